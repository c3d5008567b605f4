#include "core/flows/RpInitiatedLogout.h"

#include "core/flows/AuthorizationRequest.h"
#include "core/listener/LoopbackAddress.h"
#include "core/listener/LoopbackListener.h"
#include "core/util/Clock.h"
#include "core/util/Failure.h"
#include "core/util/SecureRandom.h"

namespace workbench {

namespace {
// Where the browser comes back when the profile names no post-logout redirect URI: the redirect
// URI's loopback host on any free port, at a path of its own.
QUrl returnUriOf(const ClientConfig &config)
{
    if (!config.postLogoutRedirectUri.isEmpty())
        return config.postLogoutRedirectUri;
    QUrl uri;
    uri.setScheme(QStringLiteral("http"));
    uri.setHost(config.redirectUri.host().isEmpty() ? QStringLiteral("127.0.0.1")
                                                    : config.redirectUri.host());
    uri.setPath(QStringLiteral("/logged-out"));
    return uri;
}
} // namespace

RpInitiatedLogout::RpInitiatedLogout(QObject *parent)
    : QObject(parent), m_waitTimer(new QTimer(this))
{
    m_waitTimer->setInterval(1000);
    connect(m_waitTimer, &QTimer::timeout, this, &RpInitiatedLogout::onWaitTick);
}

RpInitiatedLogout::~RpInitiatedLogout() = default;

bool RpInitiatedLogout::isLogoutStep(const HttpExchange &exchange)
{
    return exchange.label == requestLabel() || exchange.label == returnLabel() ||
           exchange.label == noReturnLabel() ||
           exchange.label.startsWith(QLatin1String("Refused after sign-out"));
}

QString RpInitiatedLogout::unavailableReason(const ClientConfig &config)
{
    if (config.endSessionEndpoint.isEmpty())
        return QStringLiteral("No end-session endpoint is configured: the provider's discovery "
                              "document names it end_session_endpoint when it offers "
                              "RP-initiated logout.");
    if (!config.endSessionEndpoint.isValid() ||
        !config.endSessionEndpoint.scheme().startsWith(QLatin1String("http")))
        return QStringLiteral("The end-session endpoint \"%1\" is not an http(s) URL.")
            .arg(config.endSessionEndpoint.toString());
    QString why;
    if (!LoopbackAddress::isCapturable(returnUriOf(config), &why))
        return QStringLiteral("The post-logout redirect URI cannot be listened on: %1").arg(why);
    return {};
}

bool RpInitiatedLogout::start(const ClientConfig &config, const QByteArray &idToken, QString *error)
{
    if (m_running)
        return Failure::report(error, QStringLiteral("A sign-out is already waiting."));
    if (const QString why = unavailableReason(config); !why.isEmpty())
        return Failure::report(error, why);
    m_config = config;
    m_exchanges.clear();
    m_refused.clear();

    const QUrl wanted = returnUriOf(config);
    // Later, not now: a slot of the old listener's own signal may be what restarts the sign-out.
    if (m_listener) { // its port is free at once for the new listener, its signals are not ours
        m_listener->close();
        m_listener->disconnect(this);
        m_listener->deleteLater();
    }
    m_listener = new LoopbackListener(this);
    LoopbackListener::Options options;
    options.port = LoopbackAddress::requestedPort(wanted);
    options.callbackPath = wanted.path().isEmpty() ? QStringLiteral("/") : wanted.path();
    options.alsoIpv6 = wanted.host() != QLatin1String("127.0.0.1");
    options.purpose = LoopbackListener::Options::Purpose::LogoutReturn;
    if (!m_listener->listen(options))
        return Failure::report(error, QStringLiteral("The loopback listener for the return "
                                                     "could not start: %1")
                                          .arg(m_listener->errorString()));
    m_returnUri = m_listener->redirectUri(wanted);
    m_state = SecureRandom::urlSafeToken(24);
    m_listener->setExpectedState(m_state);
    connect(m_listener, &LoopbackListener::redirectCaptured, this, &RpInitiatedLogout::onReturn);
    connect(m_listener, &LoopbackListener::requestRejected, this,
            &RpInitiatedLogout::requestRejected);

    // §2: id_token_hint is recommended; client_id names the client when the hint is absent
    // (or expired, which providers must accept); the state comes back with the browser (§3).
    FormFields parameters;
    if (!idToken.isEmpty())
        parameters.append({QStringLiteral("id_token_hint"), QString::fromUtf8(idToken)});
    if (!config.clientId.isEmpty())
        parameters.append({QStringLiteral("client_id"), config.clientId});
    parameters.append(
        {QStringLiteral("post_logout_redirect_uri"), m_returnUri.toString(QUrl::FullyEncoded)});
    parameters.append({QStringLiteral("state"), QString::fromLatin1(m_state)});
    m_logoutUrl = AuthorizationRequest::urlWith(config.endSessionEndpoint, parameters);

    HttpExchange navigation;
    navigation.kind = HttpExchange::Kind::BrowserNavigation;
    navigation.label = requestLabel();
    navigation.request.method = "GET";
    navigation.request.url = m_logoutUrl;
    navigation.startedAt = Clock::utcNow();
    m_running = true;
    record(navigation);
    m_waitStartedAt = Clock::utcNow();
    m_waitTimer->start();
    emit logoutUrlReady(m_logoutUrl);
    return true;
}

void RpInitiatedLogout::cancel()
{
    if (!m_running)
        return;
    finish({Outcome::Result::Cancelled, QStringLiteral("Sign-out cancelled."), {}});
}

void RpInitiatedLogout::onReturn(const CapturedRedirect &redirect)
{
    if (!m_running)
        return;
    HttpExchange step = redirect.exchange;
    if (const QString refusal = redirect.refusalReason(); !refusal.isEmpty()) {
        // Another state, or none though one was sent: not this sign-out's return. Recorded; the
        // wait goes on, as for a sign-in's redirect.
        step.label = QStringLiteral("Refused after sign-out: %1").arg(refusal);
        record(step);
        m_refused << redirect;
        emit warningRaised(QStringLiteral("A request on the post-logout redirect URI was refused "
                                          "(%1); still waiting for the real return.")
                               .arg(refusal));
        return;
    }
    step.label = returnLabel();
    record(step);
    m_listener->close();
    if (redirect.isError()) {
        finish({Outcome::Result::Failed,
                QStringLiteral("The provider came back with an error: %1")
                    .arg(redirect.value(QStringLiteral("error"))),
                {redirect.value(QStringLiteral("error_description"))}});
        return;
    }
    finish({Outcome::Result::SignedOut,
            QStringLiteral("Signed out: the provider sent the browser back to %1 with the state "
                           "that was sent.")
                .arg(m_returnUri.toString()),
            {QStringLiteral("Tokens already issued may stay valid until they expire: revoke them "
                            "to end them now.")}});
}

void RpInitiatedLogout::onWaitTick()
{
    if (!m_running) {
        m_waitTimer->stop();
        return;
    }
    const int elapsed = int(m_waitStartedAt.secsTo(Clock::utcNow()));
    const int limit = m_config.redirectWaitSeconds;
    emit waitProgressed(elapsed, limit);
    if (elapsed < limit)
        return;
    if (!m_refused.isEmpty()) {
        const CapturedRedirect &last = m_refused.last();
        finish({Outcome::Result::StateCheckFailed,
                QStringLiteral("No usable return came back within %1 s: %2 request(s) on the "
                               "post-logout redirect URI were refused.")
                    .arg(limit)
                    .arg(m_refused.size()),
                {last.refusalReason()}});
        return;
    }
    // Nothing came back: a step of its own, diagnosed (logout.no_return).
    record(CapturedRedirect::nothingArrived(noReturnLabel(), m_returnUri, m_waitStartedAt, limit));
    finish({Outcome::Result::TimedOut,
            QStringLiteral("Timed out after %1 s: the browser did not come back to %2 after the "
                           "sign-out.")
                .arg(limit)
                .arg(m_returnUri.toString()),
            {}});
}

void RpInitiatedLogout::record(const HttpExchange &exchange)
{
    m_exchanges << exchange;
    emit exchangeRecorded(exchange);
}

void RpInitiatedLogout::finish(Outcome outcome)
{
    m_running = false;
    m_waitTimer->stop();
    if (m_listener)
        m_listener->close();
    emit finished(outcome);
}

} // namespace workbench
