#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/diagnosis/DiagnosisContext.h"
#include "core/http/HttpExchange.h"

#include <optional>

#include <QAbstractListModel>
#include <QSet>

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
    // A saved step with the diagnosis it had when it was live (not made again from its
    // redacted values).
    void appendDiagnosed(const HttpExchange &exchange, const std::optional<Diagnosis> &diagnosis);
    void clear();
    // What the diagnosis of the next steps may use beyond the run (provider, issuer, metadata).
    void setDiagnosisHints(const DiagnosisHints &hints) { m_hints = hints; }
    const DiagnosisHints &diagnosisHints() const { return m_hints; }
    void setMasked(bool masked) { m_masked = masked; }
    // The run's secrets, gathered as steps arrive (bodies over 1 MB are not read for them), in
    // the order they are masked.
    const QList<QByteArray> &secrets() const { return m_secrets; }
    const HttpExchange &at(int row) const { return m_exchanges.at(row); }
    const QList<HttpExchange> &exchanges() const { return m_exchanges; }
    // The diagnosis of a step, made when it was added, with the steps before it as context.
    const std::optional<Diagnosis> &diagnosisAt(int row) const { return m_diagnoses.at(row); }
    // A large step is diagnosed on a worker thread: until diagnosisReady, it has none.
    bool isDiagnosing(int row) const { return m_diagnosing.contains(row); }
    // The last step that shows a problem, or -1.
    int lastProblemRow() const;
    static QString summary(const HttpExchange &exchange);

signals:
    void diagnosisReady(int row);

private:
    // Adds the step with `diagnosis`, or (when `diagnose`) with the one made for it here.
    void insert(const HttpExchange &exchange, const std::optional<Diagnosis> &diagnosis,
                bool diagnose);
    void diagnoseInBackground(int row);

    QList<HttpExchange> m_exchanges;
    bool m_masked = true;
    QSet<QByteArray> m_secretSet;
    QList<QByteArray> m_secrets;
    QList<std::optional<Diagnosis>> m_diagnoses;
    QSet<int> m_diagnosing;
    DiagnosisHints m_hints;
    int m_generation = 0; // which run a worker's diagnosis belongs to
};

} // namespace workbench
