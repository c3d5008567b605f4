#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace workbench {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// Case-insensitive lookup of the first header with this name; empty when absent.
QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name);

// What a request is made of: enough to send it and to print it byte for byte.
struct HttpRequestSpec
{
    QByteArray method = "GET";
    QUrl url;
    HttpHeaders headers;
    QByteArray body;
    // Sign a DPoP proof for this request (RFC 9449) when the client holds a DPoP key: token,
    // PAR, UserInfo, introspection, revocation and API requests. A resource request carries its
    // token as "Authorization: DPoP <token>", which the proof's ath binds.
    bool dpopProof = false;

    QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
    void setHeader(const QByteArray &name, const QByteArray &value);
};

// One recorded HTTP exchange, as a plain value: what was sent, what came back, how long it took
// and what went wrong on the way.
struct HttpExchange
{
    enum class Kind {
        BackChannel,       // the app itself talked to a server (token endpoint, ...)
        BrowserNavigation, // the person's browser was sent here; the app sees only the request
        LoopbackCallback,  // the browser came back to the app's loopback listener
    };

    Kind kind = Kind::BackChannel;
    QString label;
    HttpRequestSpec request;
    QByteArray wireRequest; // exact bytes received, when the app saw them (loopback callbacks)
    // The signed request object the app encrypted to the server before this request carried it
    // (its `request` is the JWE): what only the server can open, kept so the run shows it. In
    // memory only: history and exports redact the request object anyway.
    QByteArray sealedRequestObject;

    QDateTime startedAt;
    qint64 elapsedMs = -1;

    int status = 0; // 0: no HTTP response (network error, or a browser navigation)
    QByteArray reasonPhrase;
    HttpHeaders responseHeaders;
    QByteArray responseBody;
    bool responseBodyTruncated = false;

    enum class Transport { Ok, ConnectionRefused, HostNotFound, Timeout, Tls, Other };
    Transport transport = Transport::Ok;
    QString networkError; // empty when the transport worked
    QStringList tlsErrors;

    bool hasResponse() const { return status != 0; }
    QByteArray responseHeader(const QByteArray &name) const
    {
        return headerValue(responseHeaders, name);
    }
    // When the response was complete (startedAt plus the elapsed time).
    QDateTime receivedAt() const { return startedAt.addMSecs(qMax<qint64>(0, elapsedMs)); }
    QByteArray requestLine() const;
    QByteArray rawRequest() const;
    QByteArray rawResponse() const;
};

} // namespace workbench
