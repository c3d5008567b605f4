#include "core/http/ExchangeClient.h"

#include "core/http/DpopProver.h"
#include "core/util/Clock.h"
#include "core/util/Failure.h"

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslError>
#include <QSslKey>

Q_LOGGING_CATEGORY(lcHttp, "workbench.http")

namespace workbench {

PendingExchange::PendingExchange(HttpRequestSpec spec, const QString &label, qint64 maxBodyBytes,
                                 ExchangeClient *client)
    : QObject(client), m_client(client), m_spec(std::move(spec)), m_label(label),
      m_maxBodyBytes(maxBodyBytes)
{
}

void PendingExchange::attach(QNetworkReply *reply, HttpExchange started)
{
    m_reply = reply;
    m_exchange = std::move(started);
    m_done = false;
    m_started.start();
    reply->setParent(this);
    connect(reply, &QNetworkReply::readyRead, this, &PendingExchange::readBody);
    connect(reply, &QNetworkReply::finished, this, &PendingExchange::complete);
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            m_exchange.tlsErrors << error.errorString();
    });
}

void PendingExchange::abort()
{
    if (!m_done) {
        m_cancelled = true;
        m_reply->abort();
    }
}

void PendingExchange::readBody()
{
    const qint64 room = m_maxBodyBytes - m_exchange.responseBody.size();
    if (room <= 0) {
        m_exchange.responseBodyTruncated = true;
        m_reply->abort();
        return;
    }
    if (!m_reply->isOpen())
        return; // aborted (a timeout) before anything could be read
    // What has arrived, not `room`: QIODevice::read(n) allocates n bytes up front, which was
    // 64 MB for every answer (found under ASan, where it made each request take 160 ms).
    const qint64 available = m_reply->bytesAvailable();
    if (available > 0)
        m_exchange.responseBody += m_reply->read(qMin(room, available));
    if (m_reply->bytesAvailable() > 0) {
        m_exchange.responseBodyTruncated = true;
        m_reply->abort();
    }
}

void PendingExchange::complete()
{
    if (m_done)
        return;
    m_done = true;
    if (!m_exchange.responseBodyTruncated)
        readBody();
    m_exchange.elapsedMs = m_started.elapsed();

    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid()) {
        m_exchange.status = status.toInt();
        m_exchange.reasonPhrase =
            m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        for (const auto &pair : m_reply->rawHeaderPairs())
            m_exchange.responseHeaders.append({pair.first, pair.second});
    }
    // An HTTP error status is a response, not a transport failure: only record the latter.
    const auto error = m_reply->error();
    const bool httpLevelError = error >= QNetworkReply::ContentAccessDenied &&
                                error <= QNetworkReply::UnknownServerError && status.isValid();
    if (error != QNetworkReply::NoError && !httpLevelError) {
        if (m_exchange.responseBodyTruncated && error == QNetworkReply::OperationCanceledError)
            m_exchange.networkError.clear();
        else
            m_exchange.networkError = m_reply->errorString();
    }
    if (!m_exchange.networkError.isEmpty()) {
        using T = HttpExchange::Transport;
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            m_exchange.transport = T::ConnectionRefused;
            break;
        case QNetworkReply::HostNotFoundError:
            m_exchange.transport = T::HostNotFound;
            break;
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError: // a transfer timeout, unless we aborted
            m_exchange.transport = m_cancelled ? T::Other : T::Timeout;
            if (m_cancelled)
                m_exchange.networkError = QStringLiteral("Cancelled before the server answered.");
            break;
        case QNetworkReply::SslHandshakeFailedError:
            m_exchange.transport = T::Tls;
            break;
        default:
            m_exchange.transport = m_exchange.tlsErrors.isEmpty() ? T::Other : T::Tls;
            break;
        }
    }
    qCInfo(lcHttp).noquote() << m_exchange.request.method
                             << m_exchange.request.url.toString(QUrl::RemoveQuery) << "->"
                             << m_exchange.status << "in" << m_exchange.elapsedMs << "ms"
                             << (m_exchange.networkError.isEmpty() ? QString()
                                                                   : m_exchange.networkError);
    if (retryWithNonce())
        return;
    emit finished(m_exchange);
    deleteLater();
}

bool PendingExchange::retryWithNonce()
{
    DpopProver *dpop = m_client->dpop();
    if (!dpop || !m_spec.dpopProof)
        return false;
    dpop->learnNonce(m_exchange);
    if (m_retried || m_cancelled || !DpopProver::asksForNonce(m_exchange))
        return false;
    m_retried = true;
    emit attemptRecorded(m_exchange);
    emit m_client->exchangeFinished(m_exchange);
    m_reply->deleteLater();
    HttpExchange again;
    QNetworkReply *reply = m_client->start(
        m_spec, m_label + QStringLiteral(" (again, with the server's DPoP nonce)"), &again);
    attach(reply, std::move(again));
    return true;
}

ExchangeClient::ExchangeClient(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

QByteArray ExchangeClient::userAgent()
{
    return "OAuthWorkbench/" + QByteArray(WORKBENCH_VERSION);
}

PendingExchange *ExchangeClient::send(const HttpRequestSpec &spec, const QString &label)
{
    auto *pending = new PendingExchange(spec, label, m_maxBodyBytes, this);
    HttpExchange exchange;
    QNetworkReply *reply = start(spec, label, &exchange);
    pending->attach(reply, std::move(exchange));
    connect(pending, &PendingExchange::finished, this, &ExchangeClient::exchangeFinished);
    return pending;
}

QNetworkReply *ExchangeClient::start(const HttpRequestSpec &spec, const QString &label,
                                     HttpExchange *started)
{
    HttpExchange &exchange = *started;
    exchange.kind = HttpExchange::Kind::BackChannel;
    exchange.label = label;
    exchange.request = spec;
    if (spec.dpopProof && m_dpop)
        m_dpop->prove(&exchange.request);
    if (exchange.request.header("User-Agent").isEmpty())
        exchange.request.setHeader("User-Agent", userAgent());
    exchange.startedAt = Clock::utcNow();

    // Every header Qt would otherwise add by itself is set here, so the record shows what goes
    // on the wire. Bodies come back as the server sent them: nothing decompressed behind the
    // person's back.
    if (exchange.request.header("Accept-Encoding").isEmpty())
        exchange.request.setHeader("Accept-Encoding", "identity");
    if (exchange.request.header("Accept-Language").isEmpty())
        exchange.request.setHeader("Accept-Language", "en-US,*");
    if (exchange.request.header("Connection").isEmpty())
        exchange.request.setHeader("Connection", "Keep-Alive");
    if (!spec.body.isEmpty() || spec.method == "POST" || spec.method == "PUT")
        exchange.request.setHeader("Content-Length", QByteArray::number(spec.body.size()));

    QNetworkRequest request(spec.url);
    request.setTransferTimeout(m_timeoutMs);
    if (m_tls)
        request.setSslConfiguration(*m_tls);
    for (const auto &header : std::as_const(exchange.request.headers)) {
        if (header.first.compare("Content-Length", Qt::CaseInsensitive) != 0)
            request.setRawHeader(header.first, header.second);
    }

    return m_network->sendCustomRequest(request, spec.method,
                                        spec.body.isEmpty() ? QByteArray() : spec.body);
}

bool ExchangeClient::setTlsOptions(const TlsOptions &options, QString *error)
{
    if (options.isDefault()) {
        if (m_tls)
            forgetConnections();
        m_tls.reset();
        return true;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!options.caBundlePath.isEmpty()) {
        const QList<QSslCertificate> authorities =
            QSslCertificate::fromPath(options.caBundlePath, QSsl::Pem);
        if (authorities.isEmpty())
            return Failure::report(
                error, QStringLiteral("No PEM certificate could be read from the CA bundle %1.")
                           .arg(options.caBundlePath));
        tls.addCaCertificates(authorities);
    }
    if (options.skipVerification)
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!options.clientCertificatePath.isEmpty() || !options.clientKeyPath.isEmpty()) {
        const QList<QSslCertificate> chain =
            QSslCertificate::fromPath(options.clientCertificatePath, QSsl::Pem);
        if (chain.isEmpty())
            return Failure::report(error,
                                   QStringLiteral("No PEM certificate could be read from %1.")
                                       .arg(options.clientCertificatePath));
        QFile keyFile(options.clientKeyPath);
        if (!keyFile.open(QIODevice::ReadOnly))
            return Failure::report(
                error, QStringLiteral("The client certificate's key %1 cannot be read: %2")
                           .arg(options.clientKeyPath, keyFile.errorString()));
        const QByteArray pem = keyFile.read(64 * 1024);
        QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            return Failure::report(
                error, QStringLiteral("%1 is not an unencrypted PEM RSA or EC private key.")
                           .arg(options.clientKeyPath));
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
    }
    m_tls = tls;
    forgetConnections();
    return true;
}

void ExchangeClient::forgetConnections()
{
    // Open connections and TLS sessions were made under the old settings: a server refused
    // before must be verified anew, and one trusted before must not stay trusted.
    m_network->clearConnectionCache();
    m_network->clearAccessCache();
}

} // namespace workbench
