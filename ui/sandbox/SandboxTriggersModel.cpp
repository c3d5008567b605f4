#include "ui/sandbox/SandboxTriggersModel.h"

#include "core/sandbox/SandboxTriggers.h"

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
    case Input:
        return trigger.input();
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
    case Input:
        return tr("Input");
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

QString SandboxTriggersModel::nameAt(int row) const
{
    return row >= 0 && row < rowCount() ? SandboxTriggers::all().at(row).name : QString();
}

QString SandboxTriggersModel::scopeAt(int row) const
{
    if (row < 0 || row >= rowCount() || !SandboxTriggers::all().at(row).isScope())
        return {};
    return SandboxTriggers::all().at(row).scope();
}

} // namespace workbench
