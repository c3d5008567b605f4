#pragma once

#include "http/HttpExchange.h"

#include <QAbstractListModel>

namespace workbench {

// The steps of a run, one row per recorded exchange, in the order they happened.
class ExchangeListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    void append(const HttpExchange &exchange);
    void clear();
    const HttpExchange &at(int row) const { return m_exchanges.at(row); }
    static QString summary(const HttpExchange &exchange);

private:
    QList<HttpExchange> m_exchanges;
};

} // namespace workbench
