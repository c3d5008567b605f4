#pragma once

#include "core/client/ClientConfig.h"
#include "core/diagnosis/DiagnosisContext.h"
#include "core/discovery/ProviderMetadata.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/flows/ClientRegistration.h"
#include "core/flows/DeviceAuthorizationFlow.h"
#include "core/flows/FlowOutcome.h"
#include "core/flows/RpInitiatedLogout.h"
#include "core/http/HttpExchange.h"
#include "core/probe/ServerProbe.h"
#include "core/storage/RunHistory.h"
#include "core/tokens/ApiCaller.h"
#include "core/tokens/TokenActions.h"

#include <QObject>
#include <QThreadPool>
#include <memory>
#include <optional>

namespace workbench {

class ExchangeClient;
class ProviderDiscovery;
class SandboxProvider;
class TokenGrantFlow;

// One run of a grant, from start to outcome, for the window and the command line alike: it
// chooses the flow for the grant and starts it, passes on every exchange and what the flow asks
// of the person, knows what the diagnosis should be told (provider, discovered metadata, the
// profile's last success), turns the tokens into a session with its follow-up actions, and saves
// the run (redacted) to the history when it ends and after each follow-up. It holds the HTTP
// client every request of a run goes through, discovery, and the built-in sandbox.
class RunSession : public QObject
{
    Q_OBJECT
public:
    explicit RunSession(QObject *parent = nullptr);
    ~RunSession() override; // waits for the last history write

    // Where runs are saved; none (the default) keeps nothing on disk.
    void setHistory(std::unique_ptr<RunHistory> history);
    RunHistory *history() const { return m_history.get(); }

    // Starts a run of config.grant under `profile` (a profile's name; empty: "Sandbox" when the
    // config points at the running sandbox, else "(no profile)"). False when it cannot start:
    // finished() has then been emitted with the reasons, and nothing is saved.
    [[nodiscard]] bool start(const ClientConfig &config, const QString &profile = {});
    void cancel();
    bool isRunning() const;
    // What the browser showed, pasted by the person when no redirect came; see
    // AuthorizationCodeFlow::submitBrowserPage.
    [[nodiscard]] bool submitBrowserPage(const QString &pasted, QString *error);
    bool acceptsBrowserPage() const;

    // Fetches the issuer's metadata with `connection`'s timeout and TLS settings; discovered()
    // or discoveryFailed() follows. False (and `error`) when the TLS settings cannot be used.
    [[nodiscard]] bool discover(const QUrl &issuer, const ClientConfig &connection, QString *error);
    // The last discovery: what later runs of that issuer are diagnosed against.
    const std::optional<ProviderMetadata> &metadata() const { return m_metadata; }

    // The run under way or last ended: its record (exchanges of the flow and its follow-ups).
    const RunRecord &record() const { return m_record; }
    const DiagnosisHints &hints() const { return m_hints; }
    // Forgets the run and its tokens (a saved run is being shown instead).
    void forgetRun();

    // Takes a run up again for its follow-up actions (actions()), with tokens the person gives (a
    // saved run keeps none): the new steps join `run`, a saved record, and it is saved again after
    // each; with an empty `run`, they make a new run under `profile`. False (and `error`) when a
    // flow is running or the TLS settings cannot be used.
    [[nodiscard]] bool resume(const ClientConfig &config, const TokenSet &tokens, RunRecord run,
                              const QString &profile, QString *error);

    // The built-in sandbox, started on first use; null (and `error`) when it cannot start.
    [[nodiscard]] SandboxProvider *startSandbox(QString *error);
    SandboxProvider *sandbox() const { return m_sandbox; }
    // True when `config` points at the running sandbox.
    bool usesSandbox(const ClientConfig &config) const;
    // `config` as a profile keeps it: the running sandbox's addresses become the sandbox
    // placeholder (SandboxAddress), so the profile still works after a restart.
    [[nodiscard]] ClientConfig storable(const ClientConfig &config) const;
    // `config` from a profile, with the sandbox placeholder replaced by the running sandbox's
    // address (the sandbox started if it is not running). Unchanged when it holds no
    // placeholder, or when the sandbox cannot start (then `error` says why).
    [[nodiscard]] ClientConfig resolved(const ClientConfig &config, QString *error);
    // `config` with the sandbox error trigger `name` applied: its scope (the trigger chosen
    // before taken away), or the token endpoint it needs. Unknown name: `config` unchanged.
    ClientConfig withSandboxTrigger(const ClientConfig &config, const QString &name) const;

    // Probes the server of `config` with `plan` (ServerProbe), under its connection settings:
    // nothing runs before this call. False (and `error`) while a run or a probe is under way, or
    // when it cannot start.
    [[nodiscard]] bool probe(const ClientConfig &config, const ProbePlan &plan,
                             const ServerProbe::Options &options, QString *error);
    ServerProbe *prober() const { return m_prober; }

    // Registers, reads, updates or deletes a client (RFC 7591/7592) with `connection`'s
    // timeout and TLS settings: its exchanges are shown as discovery's are, not as steps of a
    // run. Null (and `error`) while a run or a probe is under way, or when the TLS settings
    // cannot be used.
    [[nodiscard]] ClientRegistration *registrar(const ClientConfig &connection, QString *error);
    ClientRegistration *registration() const { return m_registration; }

    // Signs the person out at the provider (RP-initiated logout) with the run's ID token and
    // `config`'s end-session endpoint and post-logout redirect URI: a follow-up of the run, its
    // steps recorded and saved with it. logoutUrlReady() hands the URL to the browser;
    // logoutFinished() ends it. False (and `error`) while a flow runs, or when the client has no
    // end-session endpoint. A run started meanwhile cancels the wait.
    [[nodiscard]] bool logout(const ClientConfig &config, QString *error);
    RpInitiatedLogout *logoutFlow() const { return m_logout; }

    ExchangeClient *client() const { return m_client; }
    AuthorizationCodeFlow *codeFlow() const { return m_codeFlow; }
    TokenGrantFlow *grantFlow() const { return m_grantFlow; }
    DeviceAuthorizationFlow *deviceFlow() const { return m_deviceFlow; }
    ProviderDiscovery *discovery() const { return m_discovery; }
    TokenActions *actions() const { return m_actions; }
    // Calls to APIs with the run's access token (the console), recorded as its steps.
    ApiCaller *api() const { return m_api; }

    // The run's history write (if any) is done; for the command line before it exits.
    void waitForSaved();

signals:
    void started(const workbench::ClientConfig &config, const workbench::DiagnosisHints &hints);
    // Every request of the run and its follow-ups, and of discovery.
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void warningRaised(const QString &warning);
    void requestRejected(const workbench::RejectedRequest &rejected);
    // The browser grants: the URL to open, then once a second while waiting for the redirect.
    void authorizationUrlReady(const QUrl &url);
    void waitProgressed(int elapsedSeconds, int limitSeconds);
    void stageChanged(workbench::AuthorizationCodeFlow::Stage stage);
    // The device grant: the code to show, then each poll's verdict.
    void userCodeReady(const workbench::DeviceAuthorization &authorization);
    void backchannelAccepted(const workbench::BackchannelAuthorization &authorization);
    void pollAnswered(const QString &error, int nextIntervalSeconds);
    // RP-initiated logout: the URL to open, the wait, and how it ended.
    void logoutUrlReady(const QUrl &url);
    void logoutFinished(const workbench::RpInitiatedLogout::Outcome &outcome);
    void finished(const workbench::FlowOutcome &outcome);
    void discovered(const workbench::ProviderMetadata &metadata, const QStringList &warnings);
    void discoveryFailed(const QString &summary, const QStringList &details);
    // The history could not keep the run.
    void saveFailed(const QString &problem);
    // A run that uses DPoP had no key: this one was made for it (PEM, a secret to keep with the
    // profile, and its algorithm). The profile's later runs should prove the same key.
    void dpopKeyMade(const QString &pem, const QString &algorithm);

private:
    void onFinished(const FlowOutcome &outcome, const ClientConfig &config);
    void keep(const HttpExchange &exchange); // into the record, and on to the view
    void save();
    void followUpEnded(bool succeeded, const QString &summary);
    [[nodiscard]] bool applyConnectionSettings(const ClientConfig &config, QString *error);
    DiagnosisHints hintsFor(const ClientConfig &config) const;

    ExchangeClient *m_client;
    AuthorizationCodeFlow *m_codeFlow;
    TokenGrantFlow *m_grantFlow;
    DeviceAuthorizationFlow *m_deviceFlow;
    ProviderDiscovery *m_discovery;
    TokenActions *m_actions;
    ApiCaller *m_api;
    ServerProbe *m_prober;
    ClientRegistration *m_registration;
    RpInitiatedLogout *m_logout;
    SandboxProvider *m_sandbox = nullptr;
    std::unique_ptr<RunHistory> m_history;
    QThreadPool m_historyWriter;  // one run after the other: the newest save of a run stays
    RunRecord m_record;           // empty id: nothing to save
    bool m_recording = false;     // between start() and forgetRun() or the next start()
    bool m_followUpsOnly = false; // a run resume() made: its actions make its outcome
    DiagnosisHints m_hints;
    std::optional<ProviderMetadata> m_metadata;
    QString m_dpopKeyPem; // the key of the client's DPoP prover
};

} // namespace workbench
