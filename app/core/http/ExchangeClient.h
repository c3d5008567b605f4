#pragma once

#include "core/http/HttpExchange.h"
#include "core/http/TlsOptions.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace workbench {

class DpopProver;
class ExchangeClient;

// One request in flight; emits finished() once with the complete record, then deletes itself.
// A request with a DPoP proof that the server refuses for want of a nonce is sent once more
// with the nonce it gave: the refused attempt is reported by attemptRecorded() first.
class PendingExchange : public QObject
{
    Q_OBJECT
public:
    const HttpExchange &exchange() const { return m_exchange; }
    void abort();

signals:
    void attemptRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::HttpExchange &exchange);

private:
    friend class ExchangeClient;
    PendingExchange(HttpRequestSpec spec, const QString &label, qint64 maxBodyBytes,
                    ExchangeClient *client);
    void attach(QNetworkReply *reply, HttpExchange started);
    void readBody();
    void complete();
    [[nodiscard]] bool retryWithNonce();

    ExchangeClient *m_client;
    HttpRequestSpec m_spec; // as the caller gave it, for a second attempt
    QString m_label;
    QNetworkReply *m_reply = nullptr;
    bool m_retried = false;
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
    // DPoP proofs for the requests that ask for one (HttpRequestSpec::dpopProof); none: they go
    // without. Kept across runs only as long as the caller keeps it here.
    void setDpop(std::shared_ptr<DpopProver> prover) { m_dpop = std::move(prover); }
    DpopProver *dpop() const { return m_dpop.get(); }

signals:
    void exchangeFinished(const workbench::HttpExchange &exchange);

private:
    friend class PendingExchange;
    // The exchange as it goes on the wire (every header set), and its reply.
    QNetworkReply *start(const HttpRequestSpec &spec, const QString &label, HttpExchange *exchange);
    void forgetConnections();

    QNetworkAccessManager *m_network;
    int m_timeoutMs = 30000;
    qint64 m_maxBodyBytes = 64 * 1024 * 1024;
    std::optional<QSslConfiguration> m_tls; // empty: the system's defaults
    std::shared_ptr<DpopProver> m_dpop;
};

} // namespace workbench
