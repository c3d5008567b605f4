#pragma once

#include "core/client/ClientConfig.h"
#include "core/flows/AuthorizationRequest.h"
#include "core/http/HttpExchange.h"
#include "core/listener/CapturedRedirect.h"
#include "core/probe/ProbeCatalog.h"
#include "core/probe/ProbeReport.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <functional>
#include <optional>

class QTimer;

namespace workbench {

class ExchangeClient;
class LoopbackListener;
class PendingExchange;

// Probes an authorization server with the person's own client: a bounded list of negative tests
// (ProbeCatalog), each recording its exchanges as evidence and ending passed, failed, not
// applicable or inconclusive (ProbeReport). Probes run one after another; one that needs a code
// asks for a browser sign-in (signInNeeded) and waits for the redirect on its own loopback
// listener. Where the server may refuse a request before any login, the request is first sent
// without a browser (no cookies, redirects not followed), so most refusals need no sign-in.
class ServerProbe : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int codeWaitSeconds = ProbeCatalog::kCodeLifetimeLimitSeconds;
        int signInWaitSeconds = 300; // then the sign-in ends without a redirect
    };

    explicit ServerProbe(ExchangeClient *client, QObject *parent = nullptr);
    ~ServerProbe() override;

    // Runs `plan` against the server of `config` (its issuer in `metadata`, when discovered).
    // False (and `error`) when it cannot start: a setting is missing, the listener cannot bind.
    [[nodiscard]] bool start(const ClientConfig &config, const ProbePlan &plan,
                             const Options &options, QString *error);
    void cancel();
    // The person says the browser stayed on the server's page: the sign-in being waited for ends
    // without a redirect (and the probe weighs that as the server's refusal).
    void noRedirectCame();

    bool isRunning() const { return m_running; }
    bool isWaitingForSignIn() const { return m_waitingForSignIn; }
    QUrl redirectUri() const { return m_redirectUri; }
    const ProbeReport &report() const { return m_report; }

signals:
    void probeStarted(const QString &id, int index, int count);
    // Open `url` in the browser and sign in: the probe waits for the redirect.
    void signInNeeded(const QString &id, const QUrl &url);
    // Once a second while a sign-in or the expired-code probe waits.
    void waitProgressed(const QString &id, int elapsedSeconds, int limitSeconds);
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void probeFinished(const workbench::ProbeResult &result);
    void finished(const workbench::ProbeReport &report);

private:
    // A sign-in: what was asked for and what came back to the listener, if anything.
    struct Login
    {
        AuthorizationRequest request;
        QByteArray verifier;
        bool arrived = false;
        bool declined = false; // the person said no redirect came
        QUrl arrivedAt;        // where the browser was sent
        FormFields parameters;
        QString value(const char *name) const
        {
            return FormEncoding::value(parameters, QString::fromLatin1(name));
        }
    };
    // What the server did with an authorization request sent without a browser.
    enum class FrontAnswer { Unreachable, Refused, RedirectedHere, GoesOn };
    using Exchanged = std::function<void(const HttpExchange &)>;

    void runNext();
    void conclude(ProbeVerdict verdict, const QString &summary, const QStringList &notes = {});
    void finishAll(bool cancelled);
    ProbeResult &current() { return m_result; }
    // Sends a request as part of the current probe; `then` gets the recorded exchange.
    void send(const HttpRequestSpec &spec, const QString &label, const Exchanged &then);
    void frontCheck(const AuthorizationRequest &request,
                    const std::function<void(FrontAnswer, const HttpExchange &)> &then);
    void signIn(const AuthorizationRequest &request, const QByteArray &verifier,
                const std::function<void(const Login &)> &then);
    void endSignIn();
    void onRedirect(const CapturedRedirect &redirect);
    void onRejected(const RejectedRequest &rejected);
    void arrive(const HttpExchange &exchange, const QUrl &url, const FormFields &parameters);
    void waitSeconds(int seconds, const std::function<void()> &then);
    void redeem(const QString &code, const QUrl &redirectUri, const QByteArray &verifier,
                const QString &label, const Exchanged &then);
    AuthorizationRequest authorizationRequest(const QUrl &redirectUri, const Pkce *pkce) const;
    // A sign-in with S256 PKCE and the registered redirect URI, for the probes that need a code.
    void signInForCode(const std::function<void(const Login &, const QString &code)> &then);
    FrontAnswer classify(const HttpExchange &exchange) const;

    void probeCodeReuse();
    void probeIssuer();
    void probeTokenRequestVariant();
    void probeFrontChannel(const AuthorizationRequest &request, const QByteArray &verifier,
                           bool redeemAfter);
    void probeRedirectVariant(const QUrl &variant);
    void probeOpenRedirect();
    void probeRequestObject();
    void probeRefreshReuse();
    void probeCodeExpired();
    void checkFirstTokens(const QByteArray &accessToken, const QString &tokenType);
    void judgeFrontChannel(const Login &login, bool redeemAfter);
    void concludeUnreachable(const HttpExchange &exchange);

    ExchangeClient *m_client;
    LoopbackListener *m_listener = nullptr;
    QTimer *m_ticker;
    std::function<void()> m_onTick;
    QList<QPointer<PendingExchange>> m_pending;
    ClientConfig m_config;
    Options m_options;
    ProbePlan m_plan;
    int m_next = 0;
    bool m_running = false;
    quint64 m_generation = 0; // callbacks of a cancelled run are dropped
    QUrl m_redirectUri;
    ProbeReport m_report;
    ProbeResult m_result;
    std::optional<CapturedRedirect> m_firstRedirect; // for the iss probe
    // The sign-in being waited for.
    bool m_waitingForSignIn = false;
    Login m_login;
    std::function<void(const Login &)> m_signedIn;
    QDateTime m_waitStartedAt;
};

} // namespace workbench
