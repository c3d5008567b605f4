#pragma once

#include "core/client/ClientConfig.h"
#include "core/discovery/ProviderMetadata.h"
#include "core/session/RunSession.h"
#include "core/storage/ApiRequestStore.h"
#include "core/storage/RunHistory.h"
#include "ui/forms/ClientForm.h"

#include <QMainWindow>
#include <functional>
#include <memory>
#include <optional>

namespace Ui {
class MainWindow;
}

namespace workbench {

class ApiConsole;

class AuthorizationCodeFlow;
class ClientForm;
class DeviceAuthorizationFlow;
class DeviceCodePanel;
class HistoryDialog;
class ProbeDialog;
class RegistrationDialog;
class TokenGrantFlow;
struct FlowOutcome;
class ProviderDiscovery;
class ResultsPane;
class RunSession;
class TokenActions;
class ProfileBar;
class ProfileStore;
class SecretStore;
class SandboxProvider;
class SandboxControls;

// The main window: the client form on the left, the results of the run on the right. A view of
// the RunSession, which runs the grants: the window maps the form to a config, starts runs and
// shows what the session reports.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Opens the authorization URL (or the device flow's verification link) in a browser;
    // QDesktopServices::openUrl unless replaced.
    using UrlOpener = std::function<bool(const QUrl &)>;

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void setUrlOpener(UrlOpener opener) { m_openUrl = std::move(opener); }
    void setConfig(const ClientConfig &config) { m_form->setConfig(config); }

    ClientForm *clientForm() const { return m_form; }
    ResultsPane *resultsPane() const { return m_results; }
    RunSession *session() const { return m_session; }
    AuthorizationCodeFlow *flow() const { return m_session->codeFlow(); }
    TokenGrantFlow *grantFlow() const { return m_session->grantFlow(); }
    DeviceAuthorizationFlow *deviceFlow() const { return m_session->deviceFlow(); }
    DeviceCodePanel *devicePanel() const { return m_devicePanel; }
    // A flow of any grant is under way.
    bool isRunning() const { return m_session->isRunning(); }
    ProviderDiscovery *discovery() const { return m_session->discovery(); }
    TokenActions *tokenActions() const { return m_session->actions(); }
    // The built-in sandbox; null until it is first chosen.
    SandboxProvider *sandbox() const { return m_session->sandbox(); }
    ProfileBar *profileBar() const { return m_profileBar; }
    ProfileStore *profileStore() const { return m_profiles.get(); }
    SecretStore *secretStore() const { return m_secrets; }
    // Selects the profile used last time; false when there is none.
    bool restoreLastProfile();

public slots:
    void authorize();
    void cancel();
    void discover(const QUrl &issuer);
    // Starts the built-in sandbox provider (if it is not running) and fills the form with one of
    // its clients. False, with the reason shown, when it cannot start.
    bool useSandbox(bool confidential = false);
    void showSandboxTriggers();
    // Applies one of the sandbox's error triggers (by name) to the form: its scope, or its token
    // endpoint; the trigger chosen before is taken away.
    void useSandboxTrigger(const QString &name);
    // The saved runs: each run is saved (redacted) when its flow ends and again after each
    // follow-up step (refresh, UserInfo, ...).
    RunHistory *history() const { return m_session->history(); }
    HistoryDialog *showHistory();
    // Reads a browser's HAR capture and shows its OAuth flow diagnosed in the results pane
    // (masked, as every run is); false, with why, when the file cannot be read.
    bool importCapture(const QString &path, QString *error = nullptr);
    // Saves the capture shown, redacted, in the history; false, with why, when there is none.
    bool keepCapture(QString *error = nullptr);
    // The API console, for calls with the session's tokens; null until first shown.
    void showApiConsole();
    // RP-initiated logout with the session's ID token (the results pane's Sign out).
    void signOut();
    // File → Probe the authorization server, for the form's client.
    ProbeDialog *showProbe();
    // Client registration (RFC 7591/7592) for the form's client and profile.
    RegistrationDialog *showRegistration();
    // The sandbox accepts what the probes send (Sandbox → Weak on purpose); it starts if needed.
    void setSandboxWeak(bool weak);
    ApiConsole *apiConsole() const { return m_console; }
    // Shows a saved run in the results pane; false (and why, in the pane) when it cannot.
    bool showHistoryRun(const QString &id);
    // Writes the current run as HAR 1.2; redacted unless `withSecrets`. False, with why not.
    void orderFocus();
    QString sandboxNote() const; // what the sandbox hint says, for the grant chosen
    [[nodiscard]] bool exportHar(const QString &path, bool withSecrets = false,
                                 QString *error = nullptr) const;

private:
    void setBusy(bool busy);
    void onFinished(const FlowOutcome &outcome);
    void showDiscovered(const ProviderMetadata &metadata, const QStringList &warnings);
    void updateStartButton();

    Ui::MainWindow *m_ui;
    ClientForm *m_form;
    ResultsPane *m_results;
    RunSession *m_session;
    DeviceCodePanel *m_devicePanel;
    std::unique_ptr<ProfileStore> m_profiles;
    SecretStore *m_secrets;
    ProfileBar *m_profileBar;
    SandboxControls *m_sandboxControls = nullptr;
    ApiConsole *m_console = nullptr;
    ProbeDialog *m_probe = nullptr;
    RegistrationDialog *m_registration = nullptr;
    std::unique_ptr<ApiRequestStore> m_apiRequests;
    UrlOpener m_openUrl;
    std::optional<RunRecord> m_capture; // the capture shown, until another run replaces it
};

} // namespace workbench
