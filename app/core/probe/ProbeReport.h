#pragma once

#include "core/http/HttpExchange.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QUrl>

namespace workbench {

class ClientConfig;

enum class ProbeVerdict { Passed, Failed, NotApplicable, Inconclusive };

// What one probe found: the verdict, what the server did in a sentence, what else was seen, and
// the exchanges it made as evidence.
struct ProbeResult
{
    QString id;
    ProbeVerdict verdict = ProbeVerdict::Inconclusive;
    QString summary;
    QStringList notes;
    QList<HttpExchange> evidence;

    static QString verdictName(ProbeVerdict verdict); // "passed", "failed", ...
};

// A probe run's results. Its text and JSON never hold a secret: codes, tokens, verifiers, client
// secrets and assertions are masked (their short fingerprints stay, so two places holding the
// same value still match).
class ProbeReport
{
public:
    ProbeReport() = default;
    ProbeReport(const ClientConfig &config, QDateTime startedAt);

    void add(const ProbeResult &result);
    // Adds secrets the exchanges do not show as such (the client's secret, say).
    void addSecrets(const QList<QByteArray> &secrets);
    void setCancelled(bool cancelled) { m_cancelled = cancelled; }

    const QList<ProbeResult> &results() const { return m_results; }
    const ProbeResult *result(const QString &id) const;
    int count(ProbeVerdict verdict) const;
    bool cancelled() const { return m_cancelled; }
    int requestCount() const;
    QString server() const { return m_server; }

    // One line: "3 failed, 9 passed, 1 not applicable".
    QString summary() const;
    QString toText(bool withEvidence = false) const;
    QJsonObject toJson() const;
    // The evidence of one result with every secret replaced (REDACTED:fingerprint).
    QList<HttpExchange> redactedEvidence(const ProbeResult &result) const;
    // `text` with the report's secrets masked.
    QString masked(const QString &text) const;

private:
    QString m_server;
    QString m_issuer;
    QString m_clientId;
    QDateTime m_startedAt;
    QList<ProbeResult> m_results;
    QList<QByteArray> m_extraSecrets;
    bool m_cancelled = false;

    QList<QByteArray> secrets() const;
};

} // namespace workbench
