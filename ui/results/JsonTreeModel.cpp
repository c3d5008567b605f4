#include "ui/results/JsonTreeModel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace workbench {

namespace {
const QStringList kNumericDates{QStringLiteral("exp"), QStringLiteral("iat"), QStringLiteral("nbf"),
                                QStringLiteral("auth_time")};

QString leafText(const QString &name, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const QString number = QString::number(value.toDouble(), 'g', 16);
        if (!kNumericDates.contains(name))
            return number;
        const QDateTime at = QDateTime::fromSecsSinceEpoch(qint64(value.toDouble()), Qt::UTC);
        return QStringLiteral("%1 (%2 UTC, %3 local)")
            .arg(number, at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 at.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QStringLiteral("[%1 items]").arg(value.toArray().size());
    case QJsonValue::Object:
        return QStringLiteral("{%1 members}").arg(value.toObject().size());
    case QJsonValue::Undefined:
        break;
    }
    return {};
}
} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::build(Node *node)
{
    const auto add = [node](const QString &name, const QJsonValue &value) {
        auto child = std::make_unique<Node>();
        child->name = name;
        child->value = value;
        child->parent = node;
        child->row = int(node->children.size());
        build(child.get());
        node->children.push_back(std::move(child));
    };
    if (node->value.isObject()) {
        const QJsonObject object = node->value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            add(it.key(), it.value());
    } else if (node->value.isArray()) {
        const QJsonArray array = node->value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            add(QStringLiteral("[%1]").arg(i), array.at(i));
    }
}

void JsonTreeModel::setRoots(const QList<QPair<QString, QJsonValue>> &roots)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    for (const auto &[name, value] : roots) {
        auto child = std::make_unique<Node>();
        child->name = name;
        child->value = value;
        child->parent = m_root.get();
        child->row = int(m_root->children.size());
        build(child.get());
        m_root->children.push_back(std::move(child));
    }
    endResetModel();
}

JsonTreeModel::Node *JsonTreeModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *node = nodeAt(parent);
    if (row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= node->children.size())
        return {};
    return createIndex(row, column, node->children.at(size_t(row)).get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeAt(child);
    if (!child.isValid() || !node->parent || node->parent == m_root.get())
        return {};
    return createIndex(node->parent->row, 0, node->parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeAt(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Node *node = nodeAt(index);
    return index.column() == Name ? node->name : leafText(node->name, node->value);
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Name ? tr("Name") : tr("Value");
}

} // namespace workbench
