#include "core/diagnosis/RawInput.h"

#include <QRegularExpression>

namespace workbench::RawInput {

namespace {
std::optional<HttpExchange> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

std::optional<HttpExchange> parseResponse(const QByteArray &data, QString *error)
{
    // The head ends at the first empty line, whether lines end in CRLF or LF.
    qsizetype headEnd = data.indexOf("\r\n\r\n");
    qsizetype bodyStart = headEnd + 4;
    const qsizetype lfEnd = data.indexOf("\n\n");
    if (lfEnd >= 0 && (headEnd < 0 || lfEnd < headEnd)) {
        headEnd = lfEnd;
        bodyStart = lfEnd + 2;
    }
    if (headEnd < 0) {
        headEnd = data.size();
        bodyStart = data.size();
    }
    const QList<QByteArray> lines = data.left(headEnd).split('\n');
    static const QRegularExpression statusLine(
        QStringLiteral("^HTTP/[0-9.]+\\s+([1-5][0-9][0-9])(?:\\s+(.*))?$"));
    const auto match = statusLine.match(QString::fromLatin1(lines.first().trimmed()));
    if (!match.hasMatch())
        return fail(error, QStringLiteral("The first line is not an HTTP status line such as "
                                          "\"HTTP/1.1 400 Bad Request\"."));
    HttpExchange exchange;
    exchange.kind = HttpExchange::Kind::BackChannel;
    exchange.label = QStringLiteral("Pasted response");
    exchange.status = match.captured(1).toInt();
    exchange.reasonPhrase = match.captured(2).toLatin1();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(error, QStringLiteral("Header line %1 has no \"name: value\" form: %2")
                                   .arg(i + 1)
                                   .arg(QString::fromLatin1(line.left(80))));
        exchange.responseHeaders.append(
            {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    exchange.responseBody = data.mid(bodyStart);
    bool ok = false;
    const qint64 length = exchange.responseHeader("Content-Length").toLongLong(&ok);
    if (ok && length > exchange.responseBody.size())
        exchange.responseBodyTruncated = true;
    return exchange;
}

std::optional<HttpExchange> parseCallback(const QByteArray &data, QString *error,
                                          const QByteArray &method = "GET")
{
    QUrl url(QString::fromUtf8(data.trimmed()), QUrl::TolerantMode);
    if (!url.isValid())
        return fail(error, QStringLiteral("The URL cannot be parsed: %1").arg(url.errorString()));
    if (!url.hasQuery() && url.hasFragment()) {
        // Fragment responses (implicit and hybrid flows) carry the same parameters after '#'.
        url.setQuery(url.fragment(QUrl::FullyEncoded), QUrl::StrictMode);
        url.setFragment(QString());
    }
    if (!url.hasQuery())
        return fail(error, QStringLiteral("The URL carries no query or fragment parameters."));
    HttpExchange exchange;
    exchange.kind = HttpExchange::Kind::LoopbackCallback;
    exchange.label = QStringLiteral("Pasted redirect");
    exchange.request.method = method;
    exchange.request.url = url;
    return exchange;
}
const QRegularExpression &requestLine()
{
    static const QRegularExpression line(QStringLiteral(
        "^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\\s+(https?://\\S+)(?:\\s+HTTP/[0-9.]+)?\\s*$"));
    return line;
}

// A request as sent (request line with the absolute URL, headers, blank line, body), then the
// response to it; or a request alone that is a redirect back to the client (its URL carries
// error= or code=), as some providers document their errors: POST {redirect_uri}?error=...
std::optional<HttpExchange> parseRequestAndResponse(const QByteArray &data, QString *error)
{
    const qsizetype firstEnd = data.indexOf('\n');
    const QByteArray first = data.left(firstEnd < 0 ? data.size() : firstEnd).trimmed();
    const auto match = requestLine().match(QString::fromLatin1(first));
    const QByteArray method = match.captured(1).toLatin1();
    const QUrl url(match.captured(2), QUrl::TolerantMode);
    if (!url.isValid())
        return fail(
            error, QStringLiteral("The request's URL cannot be parsed: %1").arg(url.errorString()));
    static const QRegularExpression statusLine(
        QStringLiteral("(^|\\n)HTTP/[0-9.]+ [1-5][0-9][0-9]"));
    const auto status = statusLine.match(QString::fromLatin1(data));
    if (!status.hasMatch()) {
        const QString query =
            url.query(QUrl::FullyEncoded) + QLatin1Char('&') + url.fragment(QUrl::FullyEncoded);
        if (!data.mid(first.size()).trimmed().isEmpty() ||
            !(query.contains(QLatin1String("error=")) || query.contains(QLatin1String("code="))))
            return fail(error, QStringLiteral("A request must be followed by its response (a "
                                              "line \"HTTP/1.1 <status> ...\"), or be a redirect "
                                              "whose URL carries error= or code=."));
        return parseCallback(match.captured(2).toUtf8(), error, method);
    }
    const qsizetype responseStart = status.capturedStart() + status.captured(1).size();
    std::optional<HttpExchange> exchange = parseResponse(data.mid(responseStart), error);
    if (!exchange)
        return exchange;
    // The request: head up to the first blank line, then the body up to the response.
    const QByteArray request = data.left(responseStart);
    qsizetype headEnd = request.indexOf("\r\n\r\n");
    qsizetype bodyStart = headEnd + 4;
    const qsizetype lfEnd = request.indexOf("\n\n");
    if (lfEnd >= 0 && (headEnd < 0 || lfEnd < headEnd)) {
        headEnd = lfEnd;
        bodyStart = lfEnd + 2;
    }
    if (headEnd < 0) {
        headEnd = request.size();
        bodyStart = request.size();
    }
    exchange->request.method = method;
    exchange->request.url = url;
    const QList<QByteArray> lines = request.left(headEnd).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (line.isEmpty())
            continue;
        if (colon <= 0)
            return fail(error, QStringLiteral("Request header line %1 has no \"name: value\" "
                                              "form: %2")
                                   .arg(i + 1)
                                   .arg(QString::fromLatin1(line.left(80))));
        exchange->request.headers.append(
            {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    exchange->request.body = request.mid(bodyStart).trimmed();
    exchange->label = QStringLiteral("Pasted exchange");
    return exchange;
}
} // namespace

std::optional<HttpExchange> parse(const QByteArray &data, QString *error)
{
    const QByteArray trimmed = data.trimmed();
    if (trimmed.isEmpty())
        return fail(error, QStringLiteral("The input is empty."));
    if (trimmed.startsWith("HTTP/"))
        return parseResponse(trimmed.size() == data.size() ? data : data.mid(data.indexOf("HTTP/")),
                             error);
    if ((trimmed.startsWith("http://") || trimmed.startsWith("https://")) &&
        !trimmed.contains('\n'))
        return parseCallback(trimmed, error);
    const qsizetype firstEnd = trimmed.indexOf('\n');
    if (requestLine()
            .match(QString::fromLatin1(trimmed.left(firstEnd < 0 ? trimmed.size() : firstEnd)))
            .hasMatch())
        return parseRequestAndResponse(trimmed, error);
    return fail(error, QStringLiteral("Expected a raw HTTP response (starting with \"HTTP/1.1 "
                                      "<status>\"), a request followed by its response (starting "
                                      "with \"POST https://...\"), or a redirect URL (starting "
                                      "with http:// or https://)."));
}

} // namespace workbench::RawInput
