#pragma once

#include "core/http/HttpExchange.h"
#include "core/http/TlsOptions.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace workbench {

// One request in flight; emits finished() once with the complete record, then deletes itself.
class PendingExchange : public QObject
{
    Q_OBJECT
public:
    const HttpExchange &exchange() const { return m_exchange; }
    void abort();

signals:
    void finished(const workbench::HttpExchange &exchange);

private:
    friend class ExchangeClient;
    PendingExchange(QNetworkReply *reply, HttpExchange started, qint64 maxBodyBytes,
                    QObject *parent);
    void readBody();
    void complete();

    QNetworkReply *m_reply;
    HttpExchange m_exchange;
    qint64 m_maxBodyBytes;
    QElapsedTimer m_started; // how long the exchange took, not when
    bool m_done = false;
    bool m_cancelled = false;
};

// Sends back-channel HTTP requests and records each as an HttpExchange. It is the only place in
// the product that speaks HTTP to servers.
class ExchangeClient : public QObject
{
    Q_OBJECT
public:
    explicit ExchangeClient(QObject *parent = nullptr);

    PendingExchange *send(const HttpRequestSpec &request, const QString &label);

    void setTimeoutMs(int timeoutMs) { m_timeoutMs = timeoutMs; }
    int timeoutMs() const { return m_timeoutMs; }
    // Bodies beyond this are cut off and the exchange marked truncated.
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    static QByteArray userAgent();
    // TLS for the requests that follow: extra trusted CAs, a client certificate for mutual TLS
    // (RFC 8705), or no verification at all. False, with what could not be read, when they
    // cannot be used (the previous settings stay).
    [[nodiscard]] bool setTlsOptions(const TlsOptions &options, QString *error = nullptr);
    bool hasCustomTls() const { return m_tls.has_value(); }

signals:
    void exchangeFinished(const workbench::HttpExchange &exchange);

private:
    void forgetConnections();

    QNetworkAccessManager *m_network;
    int m_timeoutMs = 30000;
    qint64 m_maxBodyBytes = 64 * 1024 * 1024;
    std::optional<QSslConfiguration> m_tls; // empty: the system's defaults
};

} // namespace workbench
