#include "core/probe/ProbeReport.h"

#include "core/client/ClientConfig.h"
#include "core/export/Redaction.h"
#include "core/probe/ProbeCatalog.h"
#include "core/storage/RunHistory.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench {

QString ProbeResult::verdictName(ProbeVerdict verdict)
{
    switch (verdict) {
    case ProbeVerdict::Passed:
        return QStringLiteral("passed");
    case ProbeVerdict::Failed:
        return QStringLiteral("failed");
    case ProbeVerdict::NotApplicable:
        return QStringLiteral("not applicable");
    case ProbeVerdict::Inconclusive:
        return QStringLiteral("inconclusive");
    }
    return {};
}

ProbeReport::ProbeReport(const ClientConfig &config, QDateTime startedAt)
    : m_server(config.authorizationEndpoint.toString(QUrl::RemoveQuery)),
      m_issuer(config.issuer.toString()), m_clientId(config.clientId),
      m_startedAt(std::move(startedAt))
{
    for (const QString &name : ClientConfig::secretFieldNames()) {
        const QString value = config.secretField(name);
        if (!value.isEmpty())
            m_extraSecrets << value.toUtf8();
    }
}

void ProbeReport::add(const ProbeResult &result)
{
    m_results << result;
}

void ProbeReport::addSecrets(const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets) {
        if (!secret.isEmpty())
            m_extraSecrets << secret;
    }
}

const ProbeResult *ProbeReport::result(const QString &id) const
{
    for (const ProbeResult &result : m_results) {
        if (result.id == id)
            return &result;
    }
    return nullptr;
}

int ProbeReport::count(ProbeVerdict verdict) const
{
    return int(std::count_if(m_results.begin(), m_results.end(),
                             [verdict](const ProbeResult &r) { return r.verdict == verdict; }));
}

int ProbeReport::requestCount() const
{
    int requests = 0;
    for (const ProbeResult &result : m_results) {
        for (const HttpExchange &exchange : result.evidence)
            requests += exchange.kind == HttpExchange::Kind::BackChannel ? 1 : 0;
    }
    return requests;
}

QList<QByteArray> ProbeReport::secrets() const
{
    QList<HttpExchange> all;
    for (const ProbeResult &result : m_results)
        all << result.evidence;
    QSet<QByteArray> found = Redaction::secretsIn(all);
    for (const QByteArray &secret : m_extraSecrets)
        found.insert(secret);
    return Redaction::inReplacementOrder(found);
}

QString ProbeReport::masked(const QString &text) const
{
    return Redaction::redactText(text, secrets(), Redaction::Style::Redacted);
}

QList<HttpExchange> ProbeReport::redactedEvidence(const ProbeResult &result) const
{
    const QList<QByteArray> all = secrets();
    QList<HttpExchange> redacted;
    for (const HttpExchange &exchange : result.evidence)
        redacted << Redaction::redactWith(exchange, all, Redaction::Style::Redacted);
    return redacted;
}

QString ProbeReport::summary() const
{
    QStringList parts;
    for (const ProbeVerdict verdict : {ProbeVerdict::Failed, ProbeVerdict::Passed,
                                       ProbeVerdict::Inconclusive, ProbeVerdict::NotApplicable}) {
        if (const int n = count(verdict))
            parts << QStringLiteral("%1 %2").arg(n).arg(ProbeResult::verdictName(verdict));
    }
    QString line =
        parts.isEmpty() ? QStringLiteral("no probe ran") : parts.join(QStringLiteral(", "));
    if (m_cancelled)
        line += QStringLiteral(" (cancelled)");
    return line;
}

QString ProbeReport::toText(bool withEvidence) const
{
    QString text = QStringLiteral("Probe of %1 with client %2: %3; %4 requests.\n\n")
                       .arg(m_server, m_clientId, summary())
                       .arg(requestCount());
    for (const ProbeResult &result : m_results) {
        const ProbeDefinition *probe = ProbeCatalog::find(result.id);
        text += QStringLiteral("%1  %2 [%3]\n    %4\n")
                    .arg(ProbeResult::verdictName(result.verdict).toUpper(),
                         probe ? probe->title : result.id, result.id, result.summary);
        for (const QString &note : result.notes)
            text += QStringLiteral("    - %1\n").arg(note);
        if (probe)
            text += QStringLiteral("    Reference: %1\n").arg(probe->reference);
        if (withEvidence) {
            for (const HttpExchange &exchange : redactedEvidence(result))
                text += QStringLiteral("    > %1 %2 -> %3\n")
                            .arg(QString::fromLatin1(exchange.request.method),
                                 exchange.request.url.toString(),
                                 exchange.status ? QString::number(exchange.status)
                                                 : QStringLiteral("(browser)"));
        }
        text += QLatin1Char('\n');
    }
    return masked(text);
}

QJsonObject ProbeReport::toJson() const
{
    QJsonArray results;
    for (const ProbeResult &result : m_results) {
        const ProbeDefinition *probe = ProbeCatalog::find(result.id);
        QJsonArray evidence;
        for (const HttpExchange &exchange : redactedEvidence(result))
            evidence.append(RunHistory::exchangeToJson(exchange));
        results.append(QJsonObject{{"id", result.id},
                                   {"title", probe ? probe->title : result.id},
                                   {"verdict", ProbeResult::verdictName(result.verdict)},
                                   {"summary", masked(result.summary)},
                                   {"notes", QJsonArray::fromStringList(result.notes)},
                                   {"reference", probe ? probe->reference : QString()},
                                   {"evidence", evidence}});
    }
    QJsonObject counts;
    for (const ProbeVerdict verdict : {ProbeVerdict::Failed, ProbeVerdict::Passed,
                                       ProbeVerdict::Inconclusive, ProbeVerdict::NotApplicable})
        counts.insert(ProbeResult::verdictName(verdict), count(verdict));
    QJsonObject json{
        {"server", m_server},         {"issuer", m_issuer},
        {"client_id", m_clientId},    {"started_at", m_startedAt.toString(Qt::ISODate)},
        {"summary", summary()},       {"counts", counts},
        {"requests", requestCount()}, {"cancelled", m_cancelled},
        {"results", results}};
    // Notes quote what the server said: the whole document goes through the mask once more.
    return QJsonDocument::fromJson(
               masked(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)))
                   .toUtf8())
        .object();
}

} // namespace workbench
