#pragma once

#include <QAbstractItemModel>
#include <QJsonValue>
#include <memory>
#include <vector>

namespace workbench {

// A JSON document as a tree (name, value) for a QTreeView: objects and arrays expand, leaves
// show their value; NumericDate claims (exp, iat, nbf, auth_time) also show the time they mean.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, Value, ColumnCount };

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    // Replaces the tree with these named top-level values (e.g. "id_token header" -> {...}).
    void setRoots(const QList<QPair<QString, QJsonValue>> &roots);
    void clear() { setRoots({}); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString name;
        QJsonValue value;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    static void build(Node *node);
    Node *nodeAt(const QModelIndex &index) const;

    std::unique_ptr<Node> m_root;
};

} // namespace workbench
