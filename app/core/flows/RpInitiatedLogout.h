#pragma once

#include "core/client/ClientConfig.h"
#include "core/http/HttpExchange.h"
#include "core/listener/CapturedRedirect.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

namespace workbench {

class LoopbackListener;

// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): sends the browser to the
// provider's end_session_endpoint with the ID token as id_token_hint, the client_id, a fresh
// state and a post_logout_redirect_uri on a loopback listener of its own, and waits for the
// browser to come back there with the same state. Each step is recorded: the request handed to
// the browser, the return (or requests refused on the way: another state, none), or the wait
// that ran out, which the diagnosis explains.
class RpInitiatedLogout : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        enum class Result { SignedOut, StateCheckFailed, TimedOut, Cancelled, Failed };
        Result result = Result::Failed;
        QString summary;
        QStringList details;
        bool succeeded() const { return result == Result::SignedOut; }
    };

    explicit RpInitiatedLogout(QObject *parent = nullptr);
    ~RpInitiatedLogout() override;

    // Why a logout with this client and ID token cannot start (no end_session_endpoint, a
    // post-logout redirect URI the app cannot listen on); empty when it can.
    static QString unavailableReason(const ClientConfig &config);
    // Starts listening and emits logoutUrlReady(); false (and `error`, nothing emitted) when it
    // cannot. The ID token may be empty (then client_id alone names the client); the wait lasts
    // config.redirectWaitSeconds.
    [[nodiscard]] bool start(const ClientConfig &config, const QByteArray &idToken, QString *error);
    void cancel();
    bool isRunning() const { return m_running; }

    QUrl logoutUrl() const { return m_logoutUrl; }
    QUrl returnUri() const { return m_returnUri; }
    QByteArray state() const { return m_state; }
    const ClientConfig &config() const { return m_config; }
    const QList<HttpExchange> &exchanges() const { return m_exchanges; }

    // The labels of this flow's steps: the diagnosis tells them from a sign-in's by these.
    static QString requestLabel()
    {
        return QStringLiteral("End-session request (opened in the browser)");
    }
    static QString returnLabel() { return QStringLiteral("Return after sign-out"); }
    static QString noReturnLabel() { return QStringLiteral("No return after sign-out"); }
    static bool isLogoutStep(const HttpExchange &exchange);

signals:
    void logoutUrlReady(const QUrl &url);
    void waitProgressed(int elapsedSeconds, int limitSeconds);
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void requestRejected(const workbench::RejectedRequest &rejected);
    void warningRaised(const QString &warning);
    void finished(const workbench::RpInitiatedLogout::Outcome &outcome);

private:
    void onReturn(const CapturedRedirect &redirect);
    void onWaitTick();
    void record(const HttpExchange &exchange);
    void finish(Outcome outcome);

    LoopbackListener *m_listener = nullptr;
    QTimer *m_waitTimer;
    ClientConfig m_config;
    bool m_running = false;
    QUrl m_logoutUrl;
    QUrl m_returnUri;
    QByteArray m_state;
    QDateTime m_waitStartedAt;
    QList<HttpExchange> m_exchanges;
    QList<CapturedRedirect> m_refused;
};

} // namespace workbench

Q_DECLARE_METATYPE(workbench::RpInitiatedLogout::Outcome)
