#pragma once

#include <QAbstractTableModel>

namespace workbench {

// The sandbox's error triggers as a table: the input (a scope to add or a token endpoint to
// type), where the error appears, what it shows and the diagnosis the app gives it.
class SandboxTriggersModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Input, Where, Shows, Diagnosis, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QString nameAt(int row) const;
    QString scopeAt(int row) const; // empty for a token-endpoint trigger
};

} // namespace workbench
