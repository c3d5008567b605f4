#include "core/http/HttpExchange.h"

namespace workbench {

QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

void HttpRequestSpec::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpExchange::requestLine() const
{
    QByteArray target = request.url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (request.url.hasQuery())
        target += '?' + request.url.query(QUrl::FullyEncoded).toLatin1();
    return request.method + ' ' + target + " HTTP/1.1";
}

QByteArray HttpExchange::rawRequest() const
{
    if (!wireRequest.isEmpty())
        return wireRequest;
    QByteArray raw = requestLine() + "\r\n";
    if (request.header("Host").isEmpty())
        raw += "Host: " + request.url.authority(QUrl::FullyEncoded).toLatin1() + "\r\n";
    for (const auto &header : request.headers)
        raw += header.first + ": " + header.second + "\r\n";
    raw += "\r\n";
    raw += request.body;
    return raw;
}

QByteArray HttpExchange::rawResponse() const
{
    if (!hasResponse())
        return {};
    QByteArray raw = "HTTP/1.1 " + QByteArray::number(status);
    if (!reasonPhrase.isEmpty())
        raw += ' ' + reasonPhrase;
    raw += "\r\n";
    for (const auto &header : responseHeaders)
        raw += header.first + ": " + header.second + "\r\n";
    raw += "\r\n";
    raw += responseBody;
    return raw;
}

} // namespace workbench
