#pragma once

#include "core/client/ClientConfig.h"
#include "core/flows/FlowOutcome.h"
#include "core/http/HttpExchange.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <optional>

namespace workbench {

class ExchangeClient;
class IdTokenVerifier;
class PendingExchange;

// What the device authorization endpoint hands out (RFC 8628 §3.2).
struct DeviceAuthorization
{
    QByteArray deviceCode;
    QString userCode;
    QUrl verificationUri;
    QUrl verificationUriComplete; // optional: the URI with the user code in it
    int expiresInSeconds = 0;
    int intervalSeconds = 5; // the RFC's default when the server names none
    QDateTime expiresAt;

    // Empty (and `error` set) when a required member is missing or of the wrong type.
    [[nodiscard]] static std::optional<DeviceAuthorization>
    fromJson(const QJsonObject &json, const QDateTime &receivedAt, QString *error);
};

// What the backchannel authentication endpoint hands out (CIBA Core §7.3).
struct BackchannelAuthorization
{
    QByteArray authReqId;
    int expiresInSeconds = 0;
    int intervalSeconds = 5; // CIBA Core §7.3: 5 s when the server names none
    QDateTime expiresAt;
    // What the request asked, for the person to compare with their device.
    QString loginHint;
    QString bindingMessage;

    [[nodiscard]] static std::optional<BackchannelAuthorization>
    fromJson(const QJsonObject &json, const QDateTime &receivedAt, QString *error);
};

// The decoupled grants, which poll the token endpoint while someone approves elsewhere: the
// device authorization grant (RFC 8628: get a user code and show it) and CIBA in poll mode
// (CIBA Core 1.0: ask the backchannel endpoint to reach the person's authentication device).
// Both poll at the interval the server asks for (slower after slow_down) and stop at expiry or
// on cancel.
class DeviceAuthorizationFlow : public QObject
{
    Q_OBJECT
public:
    explicit DeviceAuthorizationFlow(ExchangeClient *client, QObject *parent = nullptr);
    ~DeviceAuthorizationFlow() override;

    bool start(const ClientConfig &config);
    void cancel();
    bool isRunning() const { return m_running; }
    const ClientConfig &config() const { return m_config; }
    const std::optional<DeviceAuthorization> &authorization() const { return m_authorization; }
    const std::optional<BackchannelAuthorization> &backchannel() const { return m_backchannel; }
    int currentIntervalSeconds() const { return m_intervalSeconds; }
    int pollCount() const { return m_polls; }
    // Checks the ID token the tokens come with (signature against the JWKS, iss, aud, exp, ...)
    // before the flow ends; without one, ID tokens are not checked.
    void setIdTokenVerifier(IdTokenVerifier *verifier) { m_verifier = verifier; }
    // Tests shorten the wait between polls; the server's interval still counts for slow_down.
    void setSecondScaleMs(int ms) { m_secondMs = ms; }

signals:
    void userCodeReady(const workbench::DeviceAuthorization &authorization);
    // CIBA: the server took the request and is asking the person on their device.
    void backchannelAccepted(const workbench::BackchannelAuthorization &authorization);
    // Each poll's verdict: "authorization_pending", "slow_down", ... with the next wait.
    void pollAnswered(const QString &error, int nextIntervalSeconds);
    void warningRaised(const QString &warning);
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::FlowOutcome &outcome);

private:
    void onAuthorization(const HttpExchange &exchange);
    bool accept(const HttpExchange &exchange, QString *problem);
    void poll();
    void onPoll(const HttpExchange &exchange);
    void scheduleNextPoll();
    void validateIdToken(FlowOutcome outcome);
    void finish(const FlowOutcome &outcome);

    ExchangeClient *m_client;
    IdTokenVerifier *m_verifier = nullptr;
    quint64 m_validation = 0; // the ID token check under way; an older one's result is dropped
    ClientConfig m_config;
    QPointer<PendingExchange> m_pending;
    std::optional<DeviceAuthorization> m_authorization;
    std::optional<BackchannelAuthorization> m_backchannel;
    QByteArray m_pollCode; // the device_code or the auth_req_id
    int m_lifetimeSeconds = 0;
    QTimer m_pollTimer;
    QTimer m_expiryTimer;
    int m_intervalSeconds = 5;
    int m_secondMs = 1000;
    int m_polls = 0;
    bool m_running = false;
};

} // namespace workbench
