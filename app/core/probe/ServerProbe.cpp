#include "core/probe/ServerProbe.h"

#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"
#include "core/listener/LoopbackListener.h"
#include "core/util/Clock.h"
#include "core/util/SecureRandom.h"

#include <QTimer>

// The probe run's machinery: sending, sign-ins, waits and verdicts. The probes themselves are in
// ServerProbeSteps.cpp.
namespace workbench {

ServerProbe::ServerProbe(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_ticker(new QTimer(this))
{
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        // A copy: the tick may end the wait, and with it the function that holds this one.
        if (const std::function<void()> tick = m_onTick)
            tick();
    });
}

ServerProbe::~ServerProbe() = default;

bool ServerProbe::start(const ClientConfig &config, const ProbePlan &plan, const Options &options,
                        QString *error)
{
    if (m_running) {
        *error = QStringLiteral("A probe run is under way");
        return false;
    }
    if (const QStringList missing = ProbeCatalog::missingSettings(config); !missing.isEmpty()) {
        *error = QStringLiteral("The probes need %1").arg(missing.join(QStringLiteral(", ")));
        return false;
    }
    if (plan.probes.isEmpty()) {
        *error = QStringLiteral("No probe applies to this client");
        return false;
    }
    delete m_listener;
    m_listener = new LoopbackListener(this);
    LoopbackListener::Options listen;
    listen.port = quint16(config.redirectUri.port(0));
    listen.callbackPath =
        config.redirectUri.path().isEmpty() ? QStringLiteral("/") : config.redirectUri.path();
    if (!m_listener->listen(listen)) {
        *error = QStringLiteral("The loopback listener could not start: %1")
                     .arg(m_listener->errorString());
        return false;
    }
    connect(m_listener, &LoopbackListener::redirectCaptured, this, &ServerProbe::onRedirect);
    connect(m_listener, &LoopbackListener::requestRejected, this, &ServerProbe::onRejected);
    m_config = config;
    m_config.grant = GrantType::AuthorizationCode;
    m_config.responseType = QStringLiteral("code");
    m_redirectUri = m_listener->redirectUri(config.redirectUri);
    m_options = options;
    m_plan = plan;
    m_next = 0;
    m_running = true;
    m_firstRedirect.reset();
    m_report = ProbeReport(config, Clock::utcNow());
    ++m_generation;
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation)
            runNext();
    });
    return true;
}

void ServerProbe::cancel()
{
    if (!m_running)
        return;
    for (const QPointer<PendingExchange> &pending : std::as_const(m_pending)) {
        if (pending)
            pending->abort();
    }
    finishAll(true);
}

void ServerProbe::noRedirectCame()
{
    if (!m_waitingForSignIn)
        return;
    m_login.declined = true;
    endSignIn();
}

void ServerProbe::runNext()
{
    if (m_next >= m_plan.probes.size()) {
        finishAll(false);
        return;
    }
    const ProbeDefinition &probe = m_plan.probes.at(m_next);
    m_result = ProbeResult{probe.id, ProbeVerdict::Inconclusive, {}, {}, {}};
    emit probeStarted(probe.id, m_next, int(m_plan.probes.size()));
    const QString &id = probe.id;
    if (id == QLatin1String("code_reuse"))
        probeCodeReuse();
    else if (id == QLatin1String("iss_parameter"))
        probeIssuer();
    else if (id == QLatin1String("token_redirect_uri") || id == QLatin1String("verifier_missing") ||
             id == QLatin1String("verifier_wrong"))
        probeTokenRequestVariant();
    else if (id == QLatin1String("pkce_absent_public"))
        probeFrontChannel(authorizationRequest(m_redirectUri, nullptr), {}, true);
    else if (id == QLatin1String("pkce_plain")) {
        const Pkce plain = Pkce::generate(Pkce::Method::Plain);
        probeFrontChannel(authorizationRequest(m_redirectUri, &plain), plain.verifier, true);
    } else if (id == QLatin1String("redirect_other_path")) {
        QUrl variant = m_redirectUri;
        variant.setPath(m_redirectUri.path() + QStringLiteral("-probe"));
        probeRedirectVariant(variant);
    } else if (id == QLatin1String("redirect_localhost")) {
        QUrl variant = m_redirectUri;
        variant.setHost(QStringLiteral("localhost"));
        probeRedirectVariant(variant);
    } else if (id == QLatin1String("redirect_extra_query")) {
        QUrl variant = m_redirectUri;
        variant.setQuery(QStringLiteral("probe=1"));
        probeRedirectVariant(variant);
    } else if (id == QLatin1String("open_redirect"))
        probeOpenRedirect();
    else if (id == QLatin1String("request_object_none"))
        probeRequestObject();
    else if (id == QLatin1String("refresh_reuse"))
        probeRefreshReuse();
    else if (id == QLatin1String("code_expired"))
        probeCodeExpired();
    else
        conclude(ProbeVerdict::NotApplicable, QStringLiteral("This version cannot run it"));
}

void ServerProbe::conclude(ProbeVerdict verdict, const QString &summary, const QStringList &notes)
{
    m_result.verdict = verdict;
    m_result.summary = summary;
    m_result.notes << notes;
    m_report.add(m_result);
    emit probeFinished(m_result);
    ++m_next;
    // The next probe starts from the event loop, not inside the callback that ended this one.
    QTimer::singleShot(0, this, [this, generation = m_generation] {
        if (generation == m_generation && m_running)
            runNext();
    });
}

void ServerProbe::finishAll(bool cancelled)
{
    ++m_generation;
    m_ticker->stop();
    m_onTick = nullptr;
    m_waitingForSignIn = false;
    m_signedIn = nullptr;
    if (m_listener)
        m_listener->close();
    if (cancelled && !m_result.id.isEmpty() && !m_report.result(m_result.id)) {
        m_result.summary = QStringLiteral("Cancelled before it ended");
        m_report.add(m_result);
    }
    m_report.setCancelled(cancelled);
    m_running = false;
    emit finished(m_report);
}

void ServerProbe::send(const HttpRequestSpec &spec, const QString &label, const Exchanged &then)
{
    PendingExchange *pending = m_client->send(spec, label);
    m_pending << pending;
    const quint64 generation = m_generation;
    connect(pending, &PendingExchange::attemptRecorded, this,
            [this, generation](const HttpExchange &exchange) {
                if (generation != m_generation)
                    return;
                m_result.evidence << exchange;
                emit exchangeRecorded(exchange);
            });
    connect(pending, &PendingExchange::finished, this,
            [this, generation, then](const HttpExchange &exchange) {
                if (generation != m_generation)
                    return;
                m_result.evidence << exchange;
                emit exchangeRecorded(exchange);
                then(exchange);
            });
}

ServerProbe::FrontAnswer ServerProbe::classify(const HttpExchange &exchange) const
{
    if (exchange.status == 0)
        return FrontAnswer::Unreachable;
    if (exchange.status >= 400)
        return FrontAnswer::Refused;
    if (exchange.status >= 300 && exchange.status < 400) {
        const QUrl target = exchange.request.url.resolved(
            QUrl(QString::fromUtf8(exchange.responseHeader("Location"))));
        if (target.port() == m_redirectUri.port() && target.scheme() == QLatin1String("http") &&
            (target.host() == QLatin1String("localhost") || target.host() == m_redirectUri.host() ||
             target.host() == QLatin1String("127.0.0.1") || target.host() == QLatin1String("::1")))
            return FrontAnswer::RedirectedHere;
    }
    return FrontAnswer::GoesOn;
}

void ServerProbe::frontCheck(const AuthorizationRequest &request,
                             const std::function<void(FrontAnswer, const HttpExchange &)> &then)
{
    HttpRequestSpec spec;
    spec.url = request.toUrl();
    send(spec, QStringLiteral("Authorization request without a browser"),
         [this, then](const HttpExchange &exchange) { then(classify(exchange), exchange); });
}

void ServerProbe::signIn(const AuthorizationRequest &request, const QByteArray &verifier,
                         const std::function<void(const Login &)> &then)
{
    m_login = Login{request, verifier, false, false, {}, {}};
    m_signedIn = then;
    m_waitingForSignIn = true;
    HttpExchange navigation;
    navigation.kind = HttpExchange::Kind::BrowserNavigation;
    navigation.label = QStringLiteral("Sign-in in the browser");
    navigation.request.url = request.toUrl();
    navigation.startedAt = Clock::utcNow();
    m_result.evidence << navigation;
    emit exchangeRecorded(navigation);
    m_waitStartedAt = Clock::utcNow();
    const QString id = m_result.id;
    m_onTick = [this, id] {
        const int elapsed = int(m_waitStartedAt.secsTo(Clock::utcNow()));
        emit waitProgressed(id, elapsed, m_options.signInWaitSeconds);
        if (elapsed >= m_options.signInWaitSeconds)
            endSignIn();
    };
    m_ticker->start();
    emit signInNeeded(id, navigation.request.url);
}

void ServerProbe::endSignIn()
{
    if (!m_waitingForSignIn)
        return;
    m_waitingForSignIn = false;
    m_ticker->stop();
    m_onTick = nullptr;
    const auto then = std::move(m_signedIn);
    m_signedIn = nullptr;
    const Login login = m_login;
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, then, login, generation] {
        if (generation == m_generation && then)
            then(login);
    });
}

void ServerProbe::arrive(const HttpExchange &exchange, const QUrl &url,
                         const FormFields &parameters)
{
    m_result.evidence << exchange;
    emit exchangeRecorded(exchange);
    if (!m_waitingForSignIn)
        return;
    // Another request's answer (or a forged one) does not end this sign-in: it stays in the
    // evidence, and the wait goes on.
    const QString state = FormEncoding::value(parameters, QStringLiteral("state"));
    if (!m_login.request.state.isEmpty() && !state.isEmpty() &&
        state != QString::fromLatin1(m_login.request.state))
        return;
    m_login.arrived = true;
    m_login.arrivedAt = url;
    m_login.parameters = parameters;
    endSignIn();
}

void ServerProbe::onRedirect(const CapturedRedirect &redirect)
{
    if (!m_running)
        return;
    QUrl url = redirect.exchange.request.url;
    const QByteArray host = redirect.exchange.request.header("Host");
    if (!host.isEmpty())
        url.setHost(QString::fromLatin1(host.left(host.lastIndexOf(':'))));
    const bool waiting = m_waitingForSignIn;
    arrive(redirect.exchange, url, redirect.parameters);
    // The first sign-in's answer, for the iss probe: only one that was taken as the answer.
    if (waiting && !m_waitingForSignIn && !m_firstRedirect && redirect.has(QStringLiteral("code")))
        m_firstRedirect = redirect;
}

void ServerProbe::onRejected(const RejectedRequest &rejected)
{
    // Only a browser sent to another path of the listener counts: garbage does not.
    const QList<QByteArray> line =
        rejected.received.left(rejected.received.indexOf('\r')).split(' ');
    if (!m_running || !m_waitingForSignIn || line.size() != 3 || !line.at(1).startsWith('/'))
        return;
    HttpExchange exchange;
    exchange.kind = HttpExchange::Kind::LoopbackCallback;
    exchange.label = QStringLiteral("Browser sent to another path of the listener");
    exchange.request.method = line.at(0);
    exchange.request.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_listener->port()) +
                                QString::fromLatin1(line.at(1)));
    exchange.wireRequest = rejected.received;
    exchange.startedAt = Clock::utcNow();
    exchange.status = rejected.status;
    arrive(exchange, exchange.request.url, FormEncoding::queryOf(exchange.request.url));
}

void ServerProbe::waitSeconds(int seconds, const std::function<void()> &then)
{
    m_waitStartedAt = Clock::utcNow();
    const QString id = m_result.id;
    const quint64 generation = m_generation;
    m_onTick = [this, id, seconds, then, generation] {
        const int elapsed = int(m_waitStartedAt.secsTo(Clock::utcNow()));
        emit waitProgressed(id, elapsed, seconds);
        if (elapsed < seconds || generation != m_generation)
            return;
        m_ticker->stop();
        m_onTick = nullptr;
        then();
    };
    m_ticker->start();
}

void ServerProbe::redeem(const QString &code, const QUrl &redirectUri, const QByteArray &verifier,
                         const QString &label, const Exchanged &then)
{
    send(TokenRequest::authorizationCode(m_config, code, redirectUri, verifier), label, then);
}

AuthorizationRequest ServerProbe::authorizationRequest(const QUrl &redirectUri,
                                                       const Pkce *pkce) const
{
    AuthorizationRequest request =
        AuthorizationRequest::forClient(m_config, redirectUri, SecureRandom::urlSafeToken(16),
                                        SecureRandom::urlSafeToken(16), pkce);
    request.responseType = QStringLiteral("code");
    return request;
}

void ServerProbe::signInForCode(const std::function<void(const Login &, const QString &)> &then)
{
    const Pkce pkce = Pkce::generate();
    signIn(authorizationRequest(m_redirectUri, &pkce), pkce.verifier,
           [this, then](const Login &login) {
               const QString code = login.value("code");
               if (!login.arrived)
                   return conclude(ProbeVerdict::Inconclusive,
                                   QStringLiteral("No redirect came back from the sign-in, so "
                                                  "there was no code to test with"));
               if (code.isEmpty())
                   return conclude(ProbeVerdict::Inconclusive,
                                   QStringLiteral("The sign-in came back without a code (%1)")
                                       .arg(login.value("error").isEmpty()
                                                ? QStringLiteral("no error either")
                                                : login.value("error")));
               then(login, code);
           });
}

} // namespace workbench
