#include "ui/MainWindow.h"

#include "core/capture/CaptureReport.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"
#include "core/util/Failure.h"
#include "ui/ExportPaths.h"
#include "ui/FocusOrder.h"
#include "ui/HelpMenu.h"
#include "ui/RunExport.h"
#include "ui/RunView.h"
#include "ui/console/ApiConsole.h"
#include "ui/flows/DeviceCodePanel.h"
#include "ui/forms/FormScrollArea.h"
#include "ui/history/CaptureView.h"
#include "ui/history/HistoryDialog.h"
#include "ui/probe/ProbeDialog.h"
#include "ui/profiles/ProfileBar.h"
#include "ui/registration/RegistrationDialog.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"
#include "ui/sandbox/SandboxControls.h"
#include "ui_MainWindow.h"

#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QMessageBox>

namespace workbench {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_ui(new Ui::MainWindow), m_session(new RunSession(this)),
      m_profiles(std::make_unique<ProfileStore>()), m_secrets(new SecretStore(this)),
      m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    m_session->setHistory(std::make_unique<RunHistory>());
    m_ui->setupUi(this);
    m_form = new ClientForm(m_ui->clientGroup);
    QString profilesProblem;
    const bool profilesRead = m_profiles->load(&profilesProblem);
    m_profileBar = new ProfileBar(m_profiles.get(), m_secrets, m_form, m_ui->clientGroup);
    m_ui->clientGroupLayout->addWidget(m_profileBar);
    // The form grows with the grant's fields and open sections: it scrolls, the window does not.
    auto *formScroll = new FormScrollArea(m_form, m_ui->clientGroup);
    m_ui->clientGroupLayout->addWidget(formScroll, 1);
    m_ui->leftLayout->setStretchFactor(m_ui->clientGroup, 1); // the form takes the height
    m_devicePanel = new DeviceCodePanel(m_ui->resultsGroup);
    m_devicePanel->hide();
    m_ui->resultsGroupLayout->addWidget(m_devicePanel);
    m_results = new ResultsPane(m_ui->resultsGroup);
    m_ui->resultsGroupLayout->addWidget(m_results);
    m_ui->mainSplitter->setStretchFactor(1, 2);
    m_results->setTokenActions(m_session->actions());
    m_results->setApiCaller(m_session->api());
    m_sandboxControls =
        new SandboxControls({m_session, m_form, m_profileBar, m_results, m_ui->sandboxNote,
                             m_ui->authorizeButton, statusBar(), this},
                            this);
    if (!profilesRead)
        m_results->showResult(false, tr("Your profiles file could not be read completely."),
                              {profilesProblem});
    connect(m_profileBar, &ProfileBar::messageRaised, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    m_sandboxControls->connectMenu(m_ui->actionSandboxPublic, m_ui->actionSandboxConfidential,
                                   m_ui->actionSandboxTriggers);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::showHistory);
    connect(m_ui->actionCompareRuns, &QAction::triggered, this, [this] {
        // The run just made and the one before, ready to compare (or others to pick).
        showHistory()->selectRows({0, 1});
    });
    connect(m_ui->actionImportCapture, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Diagnose a browser capture"),
                                                          ExportPaths::suggest({}, {}, "har"),
                                                          tr("HAR capture (*.har *.json)"));
        if (path.isEmpty())
            return;
        if (QString problem; !importCapture(path, &problem))
            QMessageBox::warning(this, tr("Diagnose a browser capture"), problem);
    });
    connect(m_ui->actionKeepCapture, &QAction::triggered, this, [this] {
        QString problem;
        statusBar()->showMessage(keepCapture(&problem)
                                     ? tr("The capture is in the history, redacted.")
                                     : tr("The capture was not saved: %1").arg(problem),
                                 8000);
    });
    connect(m_ui->actionProbeServer, &QAction::triggered, this, &MainWindow::showProbe);
    connect(m_ui->actionRegisterClient, &QAction::triggered, this, &MainWindow::showRegistration);
    connect(m_ui->actionSandboxWeak, &QAction::toggled, this, &MainWindow::setSandboxWeak);
    connect(m_session, &RunSession::saveFailed, this, [this](const QString &problem) {
        statusBar()->showMessage(tr("The run could not be saved to the history: %1").arg(problem),
                                 10000);
    });
    // Tokens live in memory for the session; the refresh token goes to the keychain only here,
    // when the person asks.
    connect(m_results, &ResultsPane::keepRefreshTokenRequested, m_profileBar,
            &ProfileBar::keepRefreshToken);
    connect(m_results, &ResultsPane::apiConsoleRequested, this, &MainWindow::showApiConsole);
    connect(m_results, &ResultsPane::signOutRequested, this, &MainWindow::signOut);
    // A key made for a DPoP run goes into the form, so the profile can keep it (a secret).
    connect(m_session, &RunSession::dpopKeyMade, m_form, &ClientForm::setDpopKey);
    const auto exportRun = [this](bool withSecrets) {
        const QString message = RunExport::askAndWriteHar(
            this, m_session->record(), m_results->model()->exchanges(), withSecrets);
        if (!message.isEmpty())
            statusBar()->showMessage(message, 8000);
    };
    connect(m_ui->actionExportHar, &QAction::triggered, this, [exportRun] { exportRun(false); });
    connect(m_ui->actionExportHarWithSecrets, &QAction::triggered, this,
            [exportRun] { exportRun(true); });

    connect(m_ui->authorizeButton, &QPushButton::clicked, this, &MainWindow::authorize);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &MainWindow::cancel);
    HelpMenu::addShortcut(this, QKeySequence(Qt::CTRL | Qt::Key_Return),
                          tr("Start the run (Authorize, Request token, ...)"),
                          [this] { authorize(); });
    HelpMenu::addShortcut(this, QKeySequence(Qt::Key_Escape), tr("Cancel the run"),
                          [this] { cancel(); });
    HelpMenu::install(this, [this](const QUrl &url) { return m_openUrl(url); });
    orderFocus();

    connect(m_form, &ClientForm::discoverRequested, this, &MainWindow::discover);
    connect(m_session, &RunSession::discovered, this, &MainWindow::showDiscovered);
    connect(m_session, &RunSession::finished, this, &MainWindow::onFinished);
    new RunView({m_session, m_results, m_devicePanel, statusBar(), m_ui->copyUrlButton,
                 m_ui->pasteBrowserButton, &m_openUrl, this},
                this);
    connect(m_form, &ClientForm::edited, this, &MainWindow::updateStartButton);
    setBusy(false);
    updateStartButton();
}

MainWindow::~MainWindow()
{
    delete m_ui;
}

void MainWindow::onFinished(const FlowOutcome &outcome)
{
    m_devicePanel->showFinished(outcome.summary); // hidden unless it was the device flow
    m_results->showOutcome(outcome);
    statusBar()->showMessage(outcome.summary, 10000);
    setBusy(false);
    m_ui->pasteBrowserButton->setEnabled(m_session->acceptsBrowserPage());
}

void MainWindow::showDiscovered(const ProviderMetadata &metadata, const QStringList &warnings)
{
    m_form->applyMetadata(metadata);
    QStringList details{tr("issuer: %1").arg(metadata.issuer)};
    for (const auto &[name, url] : metadata.endpoints())
        details << QStringLiteral("%1: %2").arg(name, url.toString());
    m_results->showResult(
        true, tr("Discovered the issuer's metadata; the endpoints are filled in."), details);
    for (const QString &warning : warnings)
        m_results->addWarning(warning);
    statusBar()->showMessage(tr("Discovery done."), 5000);
}

bool MainWindow::importCapture(const QString &path, QString *error)
{
    if (isRunning())
        return Failure::report(error, tr("A run is in progress."));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Failure::report(error, tr("%1 cannot be read: %2").arg(path, file.errorString()));
    QString problem;
    std::optional<CaptureImport> capture =
        HarImport::read(file.read(CaptureImport::kMaxBytes + 1), &problem);
    if (!capture)
        return Failure::report(error, problem);
    const CaptureReport report = CaptureReport::of(std::move(*capture));
    m_session->forgetRun(); // the steps shown are the capture's, not a run of this session
    m_devicePanel->hide();
    CaptureView::showIn(m_results, report);
    m_capture = report.record();
    m_ui->actionKeepCapture->setEnabled(true);
    statusBar()->showMessage(report.summary(), 8000);
    return true;
}

bool MainWindow::keepCapture(QString *error)
{
    if (!m_capture)
        return Failure::report(error, tr("No capture is shown."));
    if (!history()->save(*m_capture, error))
        return false;
    m_capture.reset(); // kept once
    m_ui->actionKeepCapture->setEnabled(false);
    return true;
}

HistoryDialog *MainWindow::showHistory()
{
    auto *dialog = new HistoryDialog(history(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &HistoryDialog::runChosen, this, &MainWindow::showHistoryRun);
    dialog->open();
    return dialog;
}

bool MainWindow::showHistoryRun(const QString &id)
{
    if (isRunning())
        return false;
    QString error;
    const std::optional<RunRecord> run = history()->load(id, &error);
    if (!run) {
        m_results->showResult(false, tr("This saved run cannot be shown."), {error});
        return false;
    }
    m_session->forgetRun(); // a run from the history is not saved again
    m_capture.reset();
    m_ui->actionKeepCapture->setEnabled(false);
    m_devicePanel->hide();
    HistoryDialog::showRunIn(m_results, *run);
    return true;
}

void MainWindow::updateStartButton()
{
    const GrantType grant = m_form->config().grant;
    m_ui->authorizeButton->setText(usesBrowser(grant)               ? tr("&Authorize")
                                   : grant == GrantType::DeviceCode ? tr("St&art device flow")
                                   : grant == GrantType::Ciba       ? tr("&Ask on the device")
                                                                    : tr("Request &token"));
    m_results->setStartHint(m_ui->authorizeButton->text().remove(QLatin1Char('&')));
    m_sandboxControls->updateNote();
    m_ui->copyUrlButton->setVisible(usesBrowser(grant));
    m_ui->pasteBrowserButton->setVisible(usesBrowser(grant));
    m_ui->clientGroup->setTitle(tr("Client — %1").arg(m_form->grantTitle()));
}

void MainWindow::signOut()
{
    // The run's client, with the sign-out settings as the form has them now: the person may have
    // filled in the end-session endpoint after the run.
    ClientConfig config = m_session->actions()->config();
    const ClientConfig form = m_form->config();
    if (!form.endSessionEndpoint.isEmpty())
        config.endSessionEndpoint = form.endSessionEndpoint;
    config.postLogoutRedirectUri = form.postLogoutRedirectUri;
    QString error;
    if (!m_session->logout(config, &error))
        m_results->showResult(false, tr("Cannot sign out."), {error});
}

void MainWindow::showApiConsole()
{
    if (!m_console) {
        m_apiRequests = std::make_unique<ApiRequestStore>();
        m_console = new ApiConsole(m_session->api(), m_apiRequests.get(), this);
    }
    const Profile *profile = m_profiles->find(m_profileBar->currentId());
    m_console->setProfile(profile ? profile->name : QString());
    m_console->show();
    m_console->raise();
    m_console->activateWindow();
}

void MainWindow::authorize()
{
    if (isRunning())
        return;
    m_results->clear();
    m_session->forgetRun();
    m_capture.reset();
    m_ui->actionKeepCapture->setEnabled(false);
    m_devicePanel->hide();
    if (const QStringList problems = m_form->problems(); !problems.isEmpty()) {
        m_results->showOutcome(FlowOutcome::invalidConfiguration(problems));
        return;
    }
    const Profile *profile = m_profiles->find(m_profileBar->currentId());
    m_ui->pasteBrowserButton->setEnabled(false);
    setBusy(true);
    if (!m_session->start(m_form->config(), profile ? profile->name : QString()))
        setBusy(false); // finished() showed why
}

void MainWindow::discover(const QUrl &issuer)
{
    if (isRunning())
        return;
    m_results->clear();
    QString problem;
    if (!m_session->discover(issuer, m_form->config(), &problem)) {
        m_results->showResult(false, tr("The TLS settings cannot be used."), {problem});
        return;
    }
    statusBar()->showMessage(tr("Fetching the metadata of %1…").arg(issuer.toString()));
}

bool MainWindow::useSandbox(bool confidential)
{
    return m_sandboxControls->use(confidential);
}

void MainWindow::orderFocus()
{
    // Tab goes through the profile bar, the form, then the run's buttons, then the results;
    // the window opens on the start button.
    FocusOrder::chain(FocusOrder::tabStops(m_profileBar) + FocusOrder::tabStops(m_form) +
                      QList<QWidget *>{m_ui->authorizeButton, m_ui->cancelButton,
                                       m_ui->copyUrlButton, m_ui->pasteBrowserButton});
    m_ui->authorizeButton->setFocus();
}

QString MainWindow::sandboxNote() const
{
    return m_sandboxControls->noteText();
}

bool MainWindow::exportHar(const QString &path, bool withSecrets, QString *error) const
{
    return RunExport::writeHar(path, m_results->model()->exchanges(), withSecrets, error);
}

void MainWindow::useSandboxTrigger(const QString &name)
{
    m_sandboxControls->useTrigger(name);
}

bool MainWindow::restoreLastProfile()
{
    return !m_profiles->lastUsed().isEmpty() && m_profileBar->select(m_profiles->lastUsed());
}

void MainWindow::showSandboxTriggers()
{
    m_sandboxControls->showTriggers();
}

void MainWindow::cancel()
{
    m_session->cancel();
}

void MainWindow::setBusy(bool busy)
{
    m_ui->authorizeButton->setEnabled(!busy);
    m_ui->cancelButton->setEnabled(busy);
    m_form->setEnabled(!busy);
    if (busy)
        m_ui->cancelButton->setFocus();
}

ProbeDialog *MainWindow::showProbe()
{
    if (!m_probe)
        m_probe = new ProbeDialog(
            m_session, [this](const QUrl &url) { return m_openUrl(url); }, this);
    if (!m_probe->isRunning())
        m_probe->setConfig(m_form->config());
    m_probe->show();
    m_probe->raise();
    m_probe->activateWindow();
    return m_probe;
}

RegistrationDialog *MainWindow::showRegistration()
{
    if (!m_registration) {
        m_registration = new RegistrationDialog(m_session, this);
        // A new client becomes a new profile, its secret and registration in the keychain.
        connect(m_registration, &RegistrationDialog::registered, this,
                [this](const ClientConfig &config, const QString &name) {
                    m_form->setConfig(config);
                    m_form->setRemembered(QStringLiteral("client_secret"),
                                          !config.clientSecret.isEmpty());
                    m_profileBar->saveAsNew(m_profiles->uniqueName(name));
                });
        // A rotated token, or a deleted registration, goes back into the profile.
        connect(m_registration, &RegistrationDialog::registrationChanged, this,
                [this](const ClientConfig &config) {
                    m_form->setConfig(config);
                    if (m_profiles->find(m_profileBar->currentId()))
                        m_profileBar->save();
                });
    }
    if (!m_registration->isBusy()) {
        const ClientConfig config = m_form->config();
        const Profile *profile = m_profiles->find(m_profileBar->currentId());
        const std::optional<ProviderMetadata> &metadata = m_session->metadata();
        m_registration->setClient(config, profile ? profile->name : QString(),
                                  metadata ? metadata->registrationEndpoint : QUrl());
    }
    m_registration->show();
    m_registration->raise();
    m_registration->activateWindow();
    return m_registration;
}

void MainWindow::setSandboxWeak(bool weak)
{
    QString problem;
    SandboxProvider *sandbox = m_session->startSandbox(&problem);
    if (!sandbox) {
        statusBar()->showMessage(tr("The sandbox could not start: %1").arg(problem), 8000);
        return;
    }
    sandbox->setWeaknesses(weak ? SandboxWeaknesses::all() : SandboxWeaknesses{});
    if (m_ui->actionSandboxWeak->isChecked() != weak)
        m_ui->actionSandboxWeak->setChecked(weak);
    statusBar()->showMessage(
        weak ? tr("The sandbox is weak on purpose: %1.")
                   .arg(sandbox->weaknesses().names().join(QStringLiteral(", ")))
             : tr("The sandbox refuses what it must again."),
        10000);
}

} // namespace workbench
