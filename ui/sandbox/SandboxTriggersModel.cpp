#include "SandboxTriggersModel.h"

#include "sandbox/SandboxTriggers.h"

namespace workbench {

int SandboxTriggersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(SandboxTriggers::all().size());
}

int SandboxTriggersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SandboxTriggersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const SandboxTrigger &trigger = SandboxTriggers::all().at(index.row());
    switch (index.column()) {
    case Scope:
        return trigger.scope();
    case Where:
        return SandboxTrigger::whereName(trigger.where);
    case Shows:
        return trigger.description;
    case Diagnosis:
        return trigger.expectedEntry;
    default:
        return {};
    }
}

QVariant SandboxTriggersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Scope:
        return tr("Add this scope");
    case Where:
        return tr("Where");
    case Shows:
        return tr("What it shows");
    case Diagnosis:
        return tr("Diagnosis entry");
    default:
        return {};
    }
}

QString SandboxTriggersModel::scopeAt(int row) const
{
    return row >= 0 && row < rowCount() ? SandboxTriggers::all().at(row).scope() : QString();
}

} // namespace workbench
