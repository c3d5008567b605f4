#pragma once

#include <QAbstractTableModel>

namespace workbench {

// The sandbox's error triggers as a table: the scope to add, where the error appears, what it
// shows and the diagnosis the app gives it.
class SandboxTriggersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Scope, Where, Shows, Diagnosis, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QString scopeAt(int row) const;
};

} // namespace workbench
