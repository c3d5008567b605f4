#include "core/export/ExchangeExport.h"

#include "core/export/Redaction.h"
#include "core/http/ExchangeClient.h"
#include "core/util/FormEncoding.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace workbench::ExchangeExport {

namespace {
QJsonArray headersJson(const HttpHeaders &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(
            QJsonObject{{"name", QString::fromLatin1(name)}, {"value", QString::fromUtf8(value)}});
    return array;
}

QJsonObject entry(const HttpExchange &exchange)
{
    QJsonArray query;
    for (const auto &[name, value] : FormEncoding::queryOf(exchange.request.url))
        query.append(QJsonObject{{"name", name}, {"value", value}});
    QJsonObject request{{"method", QString::fromLatin1(exchange.request.method)},
                        {"url", QString::fromUtf8(exchange.request.url.toEncoded())},
                        {"httpVersion", "HTTP/1.1"},
                        {"cookies", QJsonArray{}},
                        {"headers", headersJson(exchange.request.headers)},
                        {"queryString", query},
                        {"headersSize", -1},
                        {"bodySize", int(exchange.request.body.size())}};
    if (!exchange.request.body.isEmpty()) {
        QJsonObject postData{
            {"mimeType", QString::fromLatin1(exchange.request.header("Content-Type"))},
            {"text", QString::fromUtf8(exchange.request.body)}};
        if (exchange.request.header("Content-Type")
                .startsWith("application/x-www-form-urlencoded")) {
            QJsonArray params;
            for (const auto &[name, value] : FormEncoding::decode(exchange.request.body))
                params.append(QJsonObject{{"name", name}, {"value", value}});
            postData.insert("params", params);
        }
        request.insert("postData", postData);
    }
    const QByteArray mime = exchange.responseHeader("Content-Type");
    QJsonObject content{{"size", int(exchange.responseBody.size())},
                        {"mimeType", QString::fromLatin1(mime)},
                        {"text", QString::fromUtf8(exchange.responseBody)}};
    const QJsonObject response{
        {"status", exchange.status},
        {"statusText", QString::fromLatin1(exchange.reasonPhrase)},
        {"httpVersion", "HTTP/1.1"},
        {"cookies", QJsonArray{}},
        {"headers", headersJson(exchange.responseHeaders)},
        {"content", content},
        {"redirectURL", QString::fromUtf8(exchange.responseHeader("Location"))},
        {"headersSize", -1},
        {"bodySize", exchange.hasResponse() ? int(exchange.responseBody.size()) : -1}};
    const qint64 elapsed = qMax<qint64>(0, exchange.elapsedMs);
    QString comment = exchange.label;
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation)
        comment += QStringLiteral(" (sent by the browser; its response went to the browser)");
    if (!exchange.networkError.isEmpty())
        comment += QStringLiteral(" (no response: %1)").arg(exchange.networkError);
    return {{"startedDateTime", exchange.startedAt.toString(Qt::ISODateWithMs)},
            {"time", double(elapsed)},
            {"request", request},
            {"response", response},
            {"cache", QJsonObject{}},
            {"timings", QJsonObject{{"send", 0}, {"wait", double(elapsed)}, {"receive", 0}}},
            {"comment", comment}};
}

QString shellQuote(const QByteArray &text)
{
    QString quoted = QString::fromUtf8(text);
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}
} // namespace

QByteArray har(const QList<HttpExchange> &exchanges, Secrets secrets)
{
    const QList<HttpExchange> out =
        secrets == Secrets::Redacted ? Redaction::redact(exchanges) : exchanges;
    QJsonArray entries;
    for (const HttpExchange &exchange : out)
        entries.append(entry(exchange));
    const QJsonObject log{
        {"version", "1.2"},
        {"creator", QJsonObject{{"name", "OAuth Workbench"}, {"version", WORKBENCH_VERSION}}},
        {"pages", QJsonArray{}},
        {"entries", entries},
        {"comment", secrets == Secrets::Redacted
                        ? QStringLiteral("Secrets, codes and tokens are replaced by "
                                         "REDACTED:<first 8 hex digits of their SHA-256>.")
                        : QStringLiteral("Holds secrets and tokens: share with care.")}};
    return QJsonDocument(QJsonObject{{"log", log}}).toJson(QJsonDocument::Indented);
}

QString curl(const HttpExchange &exchange, Secrets secrets, const QList<HttpExchange> &run)
{
    HttpExchange out = exchange;
    if (secrets == Secrets::Redacted) {
        QList<HttpExchange> all = run;
        all << exchange;
        out = Redaction::redactWith(exchange,
                                    Redaction::inReplacementOrder(Redaction::secretsIn(all)),
                                    Redaction::Style::Redacted);
    }
    QStringList parts{QStringLiteral("curl -i")};
    if (out.request.method != "GET" || !out.request.body.isEmpty())
        parts << QStringLiteral("-X %1").arg(QString::fromLatin1(out.request.method));
    parts << shellQuote(out.request.url.toEncoded());
    for (const auto &[name, value] : out.request.headers) {
        const QByteArray lower = name.toLower();
        // curl writes these itself, from the command.
        if (lower == "content-length" || lower == "connection" || lower == "host" ||
            lower == "accept-encoding")
            continue;
        parts << QStringLiteral("-H %1").arg(shellQuote(name + ": " + value));
    }
    if (!out.request.body.isEmpty())
        parts << QStringLiteral("--data-raw %1").arg(shellQuote(out.request.body));
    return parts.join(QStringLiteral(" \\\n  "));
}

} // namespace workbench::ExchangeExport
