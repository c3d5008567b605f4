#include "ui/results/ExchangeListModel.h"

#include "core/diagnosis/Diagnoser.h"
#include "core/export/Redaction.h"
#include "core/util/BackgroundWork.h"
#include "ui/results/StepTexts.h"

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
    case Qt::AccessibleTextRole: {
        const auto &diagnosis = m_diagnoses.at(index.row());
        if (!diagnosis)
            return summary(exchange);
        // An expected answer (the device flow's authorization_pending) is not a problem.
        const bool expected = diagnosis->severity == QLatin1String("info");
        return QStringLiteral("%1 %2 — %3")
            .arg(expected ? QStringLiteral("…") : QStringLiteral("⚠"), summary(exchange),
                 diagnosis->title);
    }
    case Qt::ToolTipRole:
        // The request line may carry a code or a token in its query: masked like the texts.
        return QString::fromLatin1(
            m_masked
                ? Redaction::redactWith(exchange, m_secrets, Redaction::Style::Masked).requestLine()
                : exchange.requestLine());
    case Qt::ForegroundRole: {
        const auto &diagnosis = m_diagnoses.at(index.row());
        if (diagnosis && diagnosis->severity == QLatin1String("info"))
            return {}; // expected while waiting, such as authorization_pending
        if (diagnosis && diagnosis->severity == QLatin1String("warning"))
            return QBrush(QColor(0x9a, 0x67, 0x00));
        if (diagnosis || exchange.status >= 400 ||
            (!exchange.networkError.isEmpty() && !exchange.hasResponse()))
            return QBrush(QColor(0xb4, 0x23, 0x18));
        return {};
    }
    default:
        return {};
    }
}

void ExchangeListModel::append(const HttpExchange &exchange)
{
    insert(exchange, std::nullopt, true);
}

void ExchangeListModel::appendDiagnosed(const HttpExchange &exchange,
                                        const std::optional<Diagnosis> &diagnosis)
{
    insert(exchange, diagnosis, false);
}

void ExchangeListModel::insert(const HttpExchange &exchange,
                               const std::optional<Diagnosis> &diagnosis, bool diagnose)
{
    const int row = int(m_exchanges.size());
    beginInsertRows({}, row, row);
    m_exchanges.append(exchange);
    m_diagnoses.append(diagnosis);
    const qsizetype known = m_secretSet.size();
    m_secretSet.unite(Redaction::secretsIn({exchange}, 1024 * 1024));
    if (m_secretSet.size() != known)
        m_secrets = Redaction::inReplacementOrder(m_secretSet);
    const bool nothingToDiagnose = exchange.label.isEmpty() && exchange.request.url.isEmpty();
    if (diagnose && !nothingToDiagnose && !StepTexts::isLarge(exchange))
        m_diagnoses[row] = Diagnoser().diagnose(m_exchanges, row, m_hints);
    else if (diagnose && !nothingToDiagnose)
        diagnoseInBackground(row);
    endInsertRows();
}

void ExchangeListModel::diagnoseInBackground(int row)
{
    // Classifying a big body means parsing all of it: not on the GUI thread.
    m_diagnosing.insert(row);
    BackgroundWork::run(
        this,
        [run = m_exchanges, row, hints = m_hints] { return Diagnoser().diagnose(run, row, hints); },
        [this, generation = m_generation, row](const std::optional<Diagnosis> &diagnosis) {
            if (m_generation != generation) // the run was cleared meanwhile
                return;
            m_diagnoses[row] = diagnosis;
            m_diagnosing.remove(row);
            emit dataChanged(index(row), index(row));
            emit diagnosisReady(row);
        });
}

void ExchangeListModel::clear()
{
    beginResetModel();
    m_exchanges.clear();
    m_diagnoses.clear();
    m_diagnosing.clear();
    m_secretSet.clear();
    m_secrets.clear();
    ++m_generation;
    endResetModel();
}

} // namespace workbench

namespace workbench {

int ExchangeListModel::lastProblemRow() const
{
    for (int row = int(m_diagnoses.size()) - 1; row >= 0; --row) {
        if (m_diagnoses.at(row))
            return row;
    }
    return -1;
}

} // namespace workbench
