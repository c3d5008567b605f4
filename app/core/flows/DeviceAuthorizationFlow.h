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

// The device authorization grant (RFC 8628): get a user code, show it, poll the token endpoint at
// the interval the server asks for (slower after slow_down), stop at expiry or on cancel.
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
    int currentIntervalSeconds() const { return m_intervalSeconds; }
    int pollCount() const { return m_polls; }
    // Tests shorten the wait between polls; the server's interval still counts for slow_down.
    void setSecondScaleMs(int ms) { m_secondMs = ms; }

signals:
    void userCodeReady(const workbench::DeviceAuthorization &authorization);
    // Each poll's verdict: "authorization_pending", "slow_down", ... with the next wait.
    void pollAnswered(const QString &error, int nextIntervalSeconds);
    void warningRaised(const QString &warning);
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::FlowOutcome &outcome);

private:
    void onAuthorization(const HttpExchange &exchange);
    void poll();
    void onPoll(const HttpExchange &exchange);
    void scheduleNextPoll();
    void finish(const FlowOutcome &outcome);

    ExchangeClient *m_client;
    ClientConfig m_config;
    QPointer<PendingExchange> m_pending;
    std::optional<DeviceAuthorization> m_authorization;
    QTimer m_pollTimer;
    QTimer m_expiryTimer;
    int m_intervalSeconds = 5;
    int m_secondMs = 1000;
    int m_polls = 0;
    bool m_running = false;
};

} // namespace workbench
