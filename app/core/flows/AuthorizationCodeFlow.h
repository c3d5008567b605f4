#pragma once

#include "core/client/ClientConfig.h"
#include "core/client/Pkce.h"
#include "core/flows/AuthorizationRequest.h"
#include "core/flows/FlowOutcome.h"
#include "core/http/HttpExchange.h"
#include "core/listener/CapturedRedirect.h"
#include "core/tokens/IdTokenValidator.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <functional>
#include <optional>

namespace workbench {

class ExchangeClient;
class IdTokenVerifier;
class LoopbackListener;
class PendingExchange;

// The authorization code flow (RFC 6749 §4.1) with PKCE (RFC 7636) for a native app (RFC 8252):
// listen on loopback, hand the authorization URL to whoever opens the browser, capture the
// redirect, check state and iss, redeem the code, and record every step. It also runs the other
// browser grants (implicit, hybrid) and the request variants (PAR, signed request objects,
// encrypted to the server when asked).
class AuthorizationCodeFlow : public QObject
{
    Q_OBJECT
public:
    enum class Stage {
        Idle,
        PreparingRequest, // fetching the server's keys to encrypt the request object to
        WaitingForRedirect,
        ValidatingResponse, // JARM: checking the signed authorization response
        ExchangingCode,
        ValidatingIdToken,
        Finished
    };

    explicit AuthorizationCodeFlow(ExchangeClient *client, QObject *parent = nullptr);
    ~AuthorizationCodeFlow() override;

    // Starts listening and emits authorizationUrlReady(); false (and finished()) when it cannot.
    // The wait for the redirect lasts config.redirectWaitSeconds; then the flow ends as timed out.
    bool start(const ClientConfig &config);
    void cancel();
    // What the person copied from the browser when no redirect came (or came elsewhere): the
    // redirect URL itself (used as if it had arrived), a URL carrying error=..., or the text of
    // the page. Recorded as a step of this run and diagnosed. False (and `error`) when it cannot
    // be used: nothing is waiting, or a URL carries neither a code nor an error.
    [[nodiscard]] bool submitBrowserPage(const QString &pasted, QString *error);
    // True while a pasted page can still join this run: waiting, or timed out.
    bool acceptsBrowserPage() const;

    Stage stage() const { return m_stage; }
    // Between start() and finished(): waiting, exchanging the code or validating the ID token.
    bool isRunning() const;
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    QUrl redirectUri() const { return m_redirectUri; }
    const ClientConfig &config() const { return m_config; }
    QByteArray state() const { return m_state; }
    QByteArray nonce() const { return m_nonce; }
    std::optional<Pkce> pkce() const { return m_pkce; }
    LoopbackListener *listener() const { return m_listener; }
    const QList<HttpExchange> &exchanges() const { return m_exchanges; }
    IdTokenVerifier *idTokenVerifier() const { return m_verifier; }

signals:
    void authorizationUrlReady(const QUrl &url);
    // Once a second while waiting for the redirect.
    void waitProgressed(int elapsedSeconds, int limitSeconds);
    void stageChanged(workbench::AuthorizationCodeFlow::Stage stage);
    void warningRaised(const QString &warning);
    void redirectCaptured(const workbench::CapturedRedirect &redirect);
    void requestRejected(const workbench::RejectedRequest &rejected);
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::FlowOutcome &outcome);

private:
    bool startListener(const ClientConfig &config);
    bool submitPastedUrl(const QUrl &url, QString *error);
    std::optional<FormFields> authorizationParameters(const ClientConfig &config);
    void warnOnReuse();
    // The request object encrypted to the server (its JWKS fetched first when the key is the
    // server's), then sent.
    void encryptRequestObject(const FormFields &parameters);
    void sendRequest(const FormFields &parameters);
    void pushRequest(const FormFields &parameters);
    // record() for the PAR step: with the request object it sealed, when it sealed one.
    void recordPushed(HttpExchange exchange);
    void openBrowserAt(const QUrl &url);
    void onRedirect(const CapturedRedirect &redirect);
    // A request on the callback: refused when it cannot be this flow's response (the wait goes
    // on), else the redirect.
    void onCallback(const CapturedRedirect &redirect);
    void onWaitTick();
    // JARM: the response JWT's signature, iss, aud and exp, before anything in it is used.
    void verifyResponse(const CapturedRedirect &redirect);
    // Runs `then` with the verifier's first answer on `signal` (its checks, or the keys it
    // fetched) if the flow is still at `stage` when it comes; the verifier's exchanges are
    // recorded with the run until then.
    template <typename Answer>
    void onVerifierAnswer(Stage stage, void (IdTokenVerifier::*signal)(const Answer &),
                          std::function<void(const Answer &)> then);
    // A step's label: "what (note)", saying how the request object was encrypted when it was.
    QString stepLabel(const QString &what, const QString &note) const;
    // A redirect that passed the state (and JARM) checks: the error, the tokens or the code.
    void useResponse(const CapturedRedirect &redirect);
    // RFC 9207: a mix-up when iss differs from our issuer, or is missing though promised.
    std::optional<FlowOutcome> checkIssuer(const CapturedRedirect &redirect);
    void finishImplicit(const CapturedRedirect &redirect);
    void onTokenResponse(const HttpExchange &exchange);
    void validateIdToken(FlowOutcome outcome);
    void record(const HttpExchange &exchange);
    void finish(FlowOutcome outcome);
    void setStage(Stage stage);

    ExchangeClient *m_client;
    IdTokenVerifier *m_verifier;
    QByteArray m_code;
    QList<TokenCheck> m_responseChecks; // JARM: carried into the outcome
    quint64 m_validation = 0;
    QMetaObject::Connection m_verifierRecording;
    LoopbackListener *m_listener = nullptr;
    QPointer<PendingExchange> m_pending;
    ClientConfig m_config;
    Stage m_stage = Stage::Idle;
    QUrl m_redirectUri;
    QUrl m_authorizationUrl;
    QByteArray m_state;
    QByteArray m_nonce;
    bool m_nonceSent = false;
    std::optional<Pkce> m_pkce;
    QString m_requestEncryption; // "RSA-OAEP-256 + A256GCM to the server's key …"; empty: none
    QByteArray m_sealedRequestObject; // the signed request object inside that encryption
    QList<HttpExchange> m_exchanges;
    QTimer *m_waitTimer;
    QDateTime m_waitStartedAt; // by the core's clock, so tests can let the wait run out
    bool m_timedOut = false;
    // Callbacks refused while waiting: if no real redirect comes, the last says what arrived.
    QList<CapturedRedirect> m_refused;
    QSet<QByteArray> m_usedStates; // every state and nonce this flow object has sent
    QSet<QByteArray> m_usedNonces;
};

} // namespace workbench
