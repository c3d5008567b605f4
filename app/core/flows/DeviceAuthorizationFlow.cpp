#include "core/flows/DeviceAuthorizationFlow.h"

#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"
#include "core/tokens/IdTokenVerifier.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDevice, "workbench.flow.device")

namespace workbench {

namespace {

// expires_in (required, positive) and interval (optional) of either answer.
template <typename Authorization>
void readLifetime(const QJsonObject &json, const QDateTime &receivedAt,
                  Authorization *authorization, QStringList *missing)
{
    const QJsonValue expires = json.value(QLatin1String("expires_in"));
    if (!expires.isDouble() || expires.toDouble() <= 0)
        *missing << QStringLiteral("expires_in");
    authorization->expiresInSeconds = expires.toInt();
    if (json.value(QLatin1String("interval")).isDouble())
        authorization->intervalSeconds = qMax(1, json.value(QLatin1String("interval")).toInt());
    authorization->expiresAt = receivedAt.addSecs(authorization->expiresInSeconds);
}

} // namespace

std::optional<DeviceAuthorization>
DeviceAuthorization::fromJson(const QJsonObject &json, const QDateTime &receivedAt, QString *error)
{
    DeviceAuthorization authorization;
    QStringList missing;
    const auto text = [&](const char *name) {
        const QJsonValue value = json.value(QLatin1String(name));
        if (!value.isString() || value.toString().isEmpty())
            missing << QString::fromLatin1(name);
        return value.toString();
    };
    authorization.deviceCode = text("device_code").toUtf8();
    authorization.userCode = text("user_code");
    // Some servers (Google's among them) write verification_url, as in an early draft.
    const QString uri = json.contains(QLatin1String("verification_uri"))
                            ? text("verification_uri")
                            : json.value(QLatin1String("verification_url")).toString();
    if (uri.isEmpty() && !missing.contains(QLatin1String("verification_uri")))
        missing << QStringLiteral("verification_uri");
    authorization.verificationUri = QUrl(uri);
    authorization.verificationUriComplete =
        QUrl(json.value(QLatin1String("verification_uri_complete")).toString());
    readLifetime(json, receivedAt, &authorization, &missing);
    if (!missing.isEmpty()) {
        if (error)
            *error = QStringLiteral("The device authorization response lacks or mistypes: %1.")
                         .arg(missing.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return authorization;
}

std::optional<BackchannelAuthorization>
BackchannelAuthorization::fromJson(const QJsonObject &json, const QDateTime &receivedAt,
                                   QString *error)
{
    BackchannelAuthorization authorization;
    QStringList missing;
    const QJsonValue id = json.value(QLatin1String("auth_req_id"));
    if (!id.isString() || id.toString().isEmpty())
        missing << QStringLiteral("auth_req_id");
    authorization.authReqId = id.toString().toUtf8();
    readLifetime(json, receivedAt, &authorization, &missing);
    if (!missing.isEmpty()) {
        if (error)
            *error = QStringLiteral("The backchannel authentication response lacks or mistypes: "
                                    "%1.")
                         .arg(missing.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return authorization;
}

DeviceAuthorizationFlow::DeviceAuthorizationFlow(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_pollTimer(this), m_expiryTimer(this)
{
    m_pollTimer.setObjectName(QStringLiteral("pollTimer"));
    m_expiryTimer.setObjectName(QStringLiteral("expiryTimer"));
    m_pollTimer.setSingleShot(true);
    // A coarse timer may fire 5 % early; polling before the interval earns a slow_down.
    m_pollTimer.setTimerType(Qt::PreciseTimer);
    m_expiryTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &DeviceAuthorizationFlow::poll);
    connect(&m_expiryTimer, &QTimer::timeout, this, [this] {
        if (m_config.grant == GrantType::Ciba)
            finish({FlowOutcome::Result::Expired,
                    QStringLiteral("The request expired before the person approved it on their "
                                   "device."),
                    {QStringLiteral("Start again and approve on the authentication device "
                                    "before it runs out (%1 s this time).")
                         .arg(m_lifetimeSeconds)}});
        else
            finish({FlowOutcome::Result::Expired,
                    QStringLiteral("The device code expired before anyone approved it."),
                    {QStringLiteral("Start again for a new user code; enter it at the "
                                    "verification page before it runs out (%1 s this time).")
                         .arg(m_lifetimeSeconds)}});
    });
}

DeviceAuthorizationFlow::~DeviceAuthorizationFlow()
{
    if (m_pending)
        m_pending->abort();
}

bool DeviceAuthorizationFlow::start(const ClientConfig &config)
{
    cancel();
    m_config = config;
    m_authorization.reset();
    m_backchannel.reset();
    m_pollCode.clear();
    m_polls = 0;
    const QStringList problems = config.validate();
    if (!problems.isEmpty()) {
        emit finished(FlowOutcome::invalidConfiguration(problems));
        return false;
    }
    for (const QString &warning : config.warnings())
        emit warningRaised(warning);
    m_running = true;
    m_pending = config.grant == GrantType::Ciba
                    ? m_client->send(TokenRequest::backchannelAuthentication(config),
                                     QStringLiteral("Backchannel authentication request"))
                    : m_client->send(TokenRequest::deviceAuthorization(config),
                                     QStringLiteral("Device authorization request"));
    connect(m_pending, &PendingExchange::finished, this, &DeviceAuthorizationFlow::onAuthorization);
    return true;
}

void DeviceAuthorizationFlow::cancel()
{
    if (!m_running)
        return;
    finish({FlowOutcome::Result::Cancelled, QStringLiteral("The device flow was cancelled.")});
}

void DeviceAuthorizationFlow::onAuthorization(const HttpExchange &exchange)
{
    emit exchangeRecorded(exchange);
    if (!m_running)
        return;
    m_pending.clear();
    QString problem;
    if (!accept(exchange, &problem)) {
        const bool ciba = m_config.grant == GrantType::Ciba;
        FlowOutcome outcome = FlowOutcome::fromTokenResponse(exchange, {});
        if (outcome.result == FlowOutcome::Result::TokenErrorResponse ||
            outcome.result == FlowOutcome::Result::UnreadableTokenResponse) {
            outcome.result = ciba ? FlowOutcome::Result::BackchannelAuthenticationFailed
                                  : FlowOutcome::Result::DeviceAuthorizationFailed;
            const QString endpoint = ciba ? QStringLiteral("backchannel authentication")
                                          : QStringLiteral("device authorization");
            outcome.summary = exchange.status == 200
                                  ? QStringLiteral("The %1 response is not usable.").arg(endpoint)
                                  : QStringLiteral("The %1 endpoint answered HTTP %2.")
                                        .arg(endpoint)
                                        .arg(exchange.status);
            if (!problem.isEmpty())
                outcome.details.prepend(problem);
        }
        finish(outcome);
        return;
    }
    m_expiryTimer.start(qMax(0, m_lifetimeSeconds) * m_secondMs);
    qCInfo(lcDevice) << (m_backchannel ? "backchannel request accepted" : "user code issued")
                     << "; polling every" << m_intervalSeconds << "s";
    if (m_backchannel)
        emit backchannelAccepted(*m_backchannel);
    else
        emit userCodeReady(*m_authorization);
    scheduleNextPoll();
}

// Reads a 200 answer of the first step into the code to poll with; false (with what is wrong,
// when the answer is a 200) otherwise.
bool DeviceAuthorizationFlow::accept(const HttpExchange &exchange, QString *problem)
{
    if (exchange.status != 200)
        return false;
    const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
    if (m_config.grant == GrantType::Ciba) {
        m_backchannel = BackchannelAuthorization::fromJson(body, exchange.receivedAt(), problem);
        if (!m_backchannel)
            return false;
        m_backchannel->loginHint = m_config.loginHint.trimmed();
        m_backchannel->bindingMessage = m_config.bindingMessage;
        m_pollCode = m_backchannel->authReqId;
        m_intervalSeconds = m_backchannel->intervalSeconds;
        m_lifetimeSeconds = m_backchannel->expiresInSeconds;
        return true;
    }
    m_authorization = DeviceAuthorization::fromJson(body, exchange.receivedAt(), problem);
    if (!m_authorization)
        return false;
    m_pollCode = m_authorization->deviceCode;
    m_intervalSeconds = m_authorization->intervalSeconds;
    m_lifetimeSeconds = m_authorization->expiresInSeconds;
    return true;
}

void DeviceAuthorizationFlow::scheduleNextPoll()
{
    m_pollTimer.start(m_intervalSeconds * m_secondMs);
}

void DeviceAuthorizationFlow::poll()
{
    if (!m_running || m_pollCode.isEmpty())
        return;
    ++m_polls;
    m_pending =
        m_config.grant == GrantType::Ciba
            ? m_client->send(TokenRequest::cibaToken(m_config, m_pollCode),
                             QStringLiteral("Token request (ciba, poll %1)").arg(m_polls))
            : m_client->send(TokenRequest::deviceToken(m_config, m_pollCode),
                             QStringLiteral("Token request (device_code, poll %1)").arg(m_polls));
    connect(m_pending, &PendingExchange::attemptRecorded, this,
            &DeviceAuthorizationFlow::exchangeRecorded);
    connect(m_pending, &PendingExchange::finished, this, &DeviceAuthorizationFlow::onPoll);
}

void DeviceAuthorizationFlow::onPoll(const HttpExchange &exchange)
{
    emit exchangeRecorded(exchange);
    if (!m_running)
        return;
    m_pending.clear();
    const bool ciba = m_config.grant == GrantType::Ciba;
    FlowOutcome outcome = FlowOutcome::fromTokenResponse(
        exchange, ciba ? QStringLiteral("The person approved on their device; tokens issued.")
                       : QStringLiteral("The device was approved; tokens issued."));
    if (outcome.result == FlowOutcome::Result::TokenErrorResponse) {
        const QString error = outcome.tokenResponse.value(QLatin1String("error")).toString();
        if (error == QLatin1String("authorization_pending") ||
            error == QLatin1String("slow_down")) {
            // RFC 8628 §3.5: slow_down adds five seconds to this and every later interval.
            if (error == QLatin1String("slow_down"))
                m_intervalSeconds += 5;
            emit pollAnswered(error, m_intervalSeconds);
            scheduleNextPoll();
            return;
        }
        if (error == QLatin1String("access_denied"))
            outcome.summary = ciba ? QStringLiteral("The person denied the request on their "
                                                    "device.")
                                   : QStringLiteral("The person at the verification page denied "
                                                    "the request.");
        else if (error == QLatin1String("expired_token")) {
            outcome.result = FlowOutcome::Result::Expired;
            outcome.summary = ciba ? QStringLiteral("The server says the auth_req_id has "
                                                    "expired.")
                                   : QStringLiteral("The server says the device code has "
                                                    "expired.");
        }
    }
    if (outcome.succeeded() && m_verifier &&
        outcome.tokenResponse.value(QLatin1String("id_token")).isString()) {
        validateIdToken(outcome);
        return;
    }
    finish(outcome);
}

void DeviceAuthorizationFlow::validateIdToken(FlowOutcome outcome)
{
    m_pollTimer.stop();
    m_expiryTimer.stop(); // the tokens came in time; only their check is left
    const IdTokenExpectations expected = IdTokenExpectations::forClient(
        m_config, outcome.tokenResponse.value(QLatin1String("access_token")).toString().toUtf8());
    const quint64 validation = ++m_validation;
    auto recording = std::make_shared<QMetaObject::Connection>(
        connect(m_verifier, &IdTokenVerifier::exchangeRecorded, this,
                &DeviceAuthorizationFlow::exchangeRecorded));
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_verifier, &IdTokenVerifier::finished, this,
                          [this, outcome, connection, recording,
                           validation](const QList<TokenCheck> &checks) mutable {
                              disconnect(*connection);
                              disconnect(*recording);
                              if (!m_running || validation != m_validation)
                                  return; // cancelled, or a newer run's
                              outcome.takeIdTokenChecks(checks);
                              finish(outcome);
                          });
    m_verifier->verify(outcome.tokenResponse.value(QLatin1String("id_token")).toString().toUtf8(),
                       expected, m_config.jwksUri);
}

void DeviceAuthorizationFlow::finish(const FlowOutcome &outcome)
{
    m_running = false;
    ++m_validation; // a check still under way no longer ends this run
    m_pollTimer.stop();
    m_expiryTimer.stop();
    if (m_pending) {
        PendingExchange *pending = m_pending;
        m_pending.clear();
        pending->abort();
    }
    qCInfo(lcDevice) << "device flow finished:" << FlowOutcome::resultName(outcome.result);
    emit finished(outcome);
}

} // namespace workbench
