#include "core/flows/DeviceAuthorizationFlow.h"

#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDevice, "workbench.flow.device")

namespace workbench {

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
    const QJsonValue expires = json.value(QLatin1String("expires_in"));
    if (!expires.isDouble() || expires.toDouble() <= 0)
        missing << QStringLiteral("expires_in");
    authorization.expiresInSeconds = expires.toInt();
    if (json.value(QLatin1String("interval")).isDouble())
        authorization.intervalSeconds = qMax(1, json.value(QLatin1String("interval")).toInt());
    authorization.expiresAt = receivedAt.addSecs(authorization.expiresInSeconds);
    if (!missing.isEmpty()) {
        if (error)
            *error = QStringLiteral("The device authorization response lacks or mistypes: %1.")
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
        finish({FlowOutcome::Result::Expired,
                QStringLiteral("The device code expired before anyone approved it."),
                {QStringLiteral("Start again for a new user code; enter it at the verification "
                                "page before it runs out (%1 s this time).")
                     .arg(m_authorization ? m_authorization->expiresInSeconds : 0)}});
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
    m_polls = 0;
    const QStringList problems = config.validate();
    if (!problems.isEmpty()) {
        emit finished(FlowOutcome::invalidConfiguration(problems));
        return false;
    }
    for (const QString &warning : config.warnings())
        emit warningRaised(warning);
    m_running = true;
    m_pending = m_client->send(TokenRequest::deviceAuthorization(config),
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
    QJsonParseError parseError{};
    const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody, &parseError).object();
    QString problem;
    std::optional<DeviceAuthorization> authorization;
    if (exchange.status == 200)
        authorization = DeviceAuthorization::fromJson(body, exchange.receivedAt(), &problem);
    if (!authorization) {
        FlowOutcome outcome = FlowOutcome::fromTokenResponse(exchange, {});
        if (outcome.result == FlowOutcome::Result::TokenErrorResponse ||
            outcome.result == FlowOutcome::Result::UnreadableTokenResponse) {
            outcome.result = FlowOutcome::Result::DeviceAuthorizationFailed;
            outcome.summary = exchange.status == 200
                                  ? QStringLiteral("The device authorization response is not "
                                                   "usable.")
                                  : QStringLiteral("The device authorization endpoint answered "
                                                   "HTTP %1.")
                                        .arg(exchange.status);
            if (!problem.isEmpty())
                outcome.details.prepend(problem);
        }
        finish(outcome);
        return;
    }
    m_authorization = authorization;
    m_intervalSeconds = authorization->intervalSeconds;
    m_expiryTimer.start(qMax(0, authorization->expiresInSeconds) * m_secondMs);
    qCInfo(lcDevice) << "user code issued; polling every" << m_intervalSeconds << "s";
    emit userCodeReady(*authorization);
    scheduleNextPoll();
}

void DeviceAuthorizationFlow::scheduleNextPoll()
{
    m_pollTimer.start(m_intervalSeconds * m_secondMs);
}

void DeviceAuthorizationFlow::poll()
{
    if (!m_running || !m_authorization)
        return;
    ++m_polls;
    m_pending = m_client->send(TokenRequest::deviceToken(m_config, m_authorization->deviceCode),
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
    FlowOutcome outcome = FlowOutcome::fromTokenResponse(
        exchange, QStringLiteral("The device was approved; tokens issued."));
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
            outcome.summary = QStringLiteral("The person at the verification page denied the "
                                             "request.");
        else if (error == QLatin1String("expired_token")) {
            outcome.result = FlowOutcome::Result::Expired;
            outcome.summary = QStringLiteral("The server says the device code has expired.");
        }
    }
    finish(outcome);
}

void DeviceAuthorizationFlow::finish(const FlowOutcome &outcome)
{
    m_running = false;
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
