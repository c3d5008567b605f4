#include "ExchangeListModel.h"

#include <QBrush>
#include <QColor>

namespace workbench {

int ExchangeListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_exchanges.size());
}

QString ExchangeListModel::summary(const HttpExchange &exchange)
{
    QString outcome;
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation)
        outcome = QStringLiteral("sent to the browser");
    else if (!exchange.networkError.isEmpty() && !exchange.hasResponse())
        outcome = QStringLiteral("failed: ") + exchange.networkError;
    else
        outcome = QStringLiteral("HTTP %1").arg(exchange.status);
    if (exchange.elapsedMs > 0)
        outcome += QStringLiteral(" · %1 ms").arg(exchange.elapsedMs);
    return QStringLiteral("%1 — %2").arg(exchange.label, outcome);
}

QVariant ExchangeListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_exchanges.size())
        return {};
    const HttpExchange &exchange = m_exchanges.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return summary(exchange);
    case Qt::ToolTipRole:
        return QString::fromLatin1(exchange.requestLine());
    case Qt::ForegroundRole:
        if ((!exchange.networkError.isEmpty() && !exchange.hasResponse()) || exchange.status >= 400)
            return QBrush(QColor(0xb4, 0x23, 0x18));
        return {};
    default:
        return {};
    }
}

void ExchangeListModel::append(const HttpExchange &exchange)
{
    const int row = int(m_exchanges.size());
    beginInsertRows({}, row, row);
    m_exchanges.append(exchange);
    endInsertRows();
}

void ExchangeListModel::clear()
{
    beginResetModel();
    m_exchanges.clear();
    endResetModel();
}

} // namespace workbench
