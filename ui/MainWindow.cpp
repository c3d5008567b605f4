#include "ui/MainWindow.h"

#include "core/discovery/ProviderDiscovery.h"
#include "core/export/ExchangeExport.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/flows/DeviceAuthorizationFlow.h"
#include "core/flows/TokenGrantFlow.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"
#include "core/tokens/IdTokenVerifier.h"
#include "core/tokens/TokenActions.h"
#include "ui/ExportPaths.h"
#include "ui/HelpMenu.h"
#include "ui/flows/DeviceCodePanel.h"
#include "ui/forms/ClientForm.h"
#include "ui/forms/FormScrollArea.h"
#include "ui/history/HistoryDialog.h"
#include "ui/profiles/ProfileBar.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"
#include "ui/sandbox/SandboxTriggersDialog.h"
#include "ui_MainWindow.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QFileDialog>
#include <QGuiApplication>
#include <QInputDialog>
#include <QMessageBox>
#include <QSaveFile>
#include <QShortcut>

#include <algorithm>

namespace workbench {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_ui(new Ui::MainWindow), m_session(new RunSession(this)),
      m_profiles(std::make_unique<ProfileStore>()), m_secrets(new SecretStore(this)),
      m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    m_session->setHistory(std::make_unique<RunHistory>());
    m_ui->setupUi(this);
    m_form = new ClientForm(m_ui->clientGroup);
    const QString profilesProblem = m_profiles->load();
    m_profileBar = new ProfileBar(m_profiles.get(), m_secrets, m_form, m_ui->clientGroup);
    m_ui->clientGroupLayout->addWidget(m_profileBar);
    // A profile made on the sandbox keeps "the sandbox", not this start's port.
    m_profileBar->setConfigMaps(
        [this](const ClientConfig &config) { return m_session->storable(config); },
        [this](const ClientConfig &config) {
            QString problem;
            const ClientConfig resolved = m_session->resolved(config, &problem);
            if (!problem.isEmpty())
                m_results->showResult(false, tr("The built-in sandbox could not start."),
                                      {problem});
            return resolved;
        });
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
    if (!profilesProblem.isEmpty())
        m_results->showResult(false, tr("Your profiles file could not be read completely."),
                              {profilesProblem});
    connect(m_profileBar, &ProfileBar::sandboxChosen, this, [this] { useSandbox(false); });
    connect(m_profileBar, &ProfileBar::messageRaised, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_ui->actionSandboxPublic, &QAction::triggered, this, [this] { useSandbox(false); });
    connect(m_ui->actionSandboxConfidential, &QAction::triggered, this,
            [this] { useSandbox(true); });
    connect(m_ui->actionSandboxTriggers, &QAction::triggered, this,
            &MainWindow::showSandboxTriggers);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::showHistory);
    connect(m_session, &RunSession::saveFailed, this, [this](const QString &problem) {
        statusBar()->showMessage(tr("The run could not be saved to the history: %1").arg(problem),
                                 10000);
    });
    // Tokens live in memory for the session; the refresh token goes to the keychain only here,
    // when the person asks.
    connect(m_results, &ResultsPane::keepRefreshTokenRequested, this,
            [this](const QString &refreshToken) {
                const QString problem =
                    m_profileBar->keepSecret(QStringLiteral("refresh_token"), refreshToken);
                statusBar()->showMessage(
                    problem.isEmpty() ? tr("Keeping the refresh token in the keychain…") : problem,
                    8000);
            });
    const auto exportRun = [this](bool withSecrets) {
        if (withSecrets &&
            QMessageBox::warning(this, tr("Export with secrets"),
                                 tr("The file will hold the client secret, codes and tokens in "
                                    "the clear. Export it anyway?"),
                                 QMessageBox::Yes | QMessageBox::Cancel) != QMessageBox::Yes)
            return;
        const RunRecord &run = m_session->record();
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export run as HAR"), ExportPaths::suggest(run.profile, run.startedAt, "har"),
            tr("HAR (*.har *.json)"));
        if (path.isEmpty())
            return;
        ExportPaths::remember(path);
        const QString problem = exportHar(path, withSecrets);
        statusBar()->showMessage(problem.isEmpty() ? tr("Saved %1").arg(path)
                                                   : tr("Could not save: %1").arg(problem),
                                 8000);
    };
    connect(m_ui->actionExportHar, &QAction::triggered, this, [exportRun] { exportRun(false); });
    connect(m_ui->actionExportHarWithSecrets, &QAction::triggered, this,
            [exportRun] { exportRun(true); });
    connect(m_ui->sandboxNote, &QLabel::linkActivated, this, &MainWindow::showSandboxTriggers);
    // The note about the sandbox goes once the person points the form elsewhere.
    connect(m_form, &ClientForm::edited, this,
            [this] { m_ui->sandboxNote->setVisible(m_session->usesSandbox(m_form->config())); });

    connect(m_ui->authorizeButton, &QPushButton::clicked, this, &MainWindow::authorize);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &MainWindow::cancel);
    connect(m_ui->copyUrlButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(
            flow()->authorizationUrl().toString(QUrl::FullyEncoded));
        statusBar()->showMessage(tr("Authorization URL copied."), 3000);
    });
    auto *authorizeShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    authorizeShortcut->setWhatsThis(tr("Start the run (Authorize, Request token, ...)"));
    connect(authorizeShortcut, &QShortcut::activated, this, &MainWindow::authorize);
    auto *cancelShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    cancelShortcut->setWhatsThis(tr("Cancel the run"));
    connect(cancelShortcut, &QShortcut::activated, this, &MainWindow::cancel);
    HelpMenu::install(this, [this](const QUrl &url) { return m_openUrl(url); });
    orderFocus();

    connect(m_form, &ClientForm::discoverRequested, this, &MainWindow::discover);
    connect(m_session, &RunSession::exchangeRecorded, m_results, &ResultsPane::addExchange);
    connect(m_session, &RunSession::discovered, this, &MainWindow::showDiscovered);
    connect(m_session, &RunSession::discoveryFailed, this,
            [this](const QString &summary, const QStringList &details) {
                m_results->showResult(false, summary, details);
                statusBar()->clearMessage();
            });
    connect(m_session, &RunSession::requestRejected, m_results, &ResultsPane::addRejection);
    connect(m_session, &RunSession::warningRaised, m_results, &ResultsPane::addWarning);
    connect(m_session, &RunSession::started, this,
            [this](const ClientConfig &, const DiagnosisHints &hints) {
                m_results->model()->setDiagnosisHints(hints);
            });
    connect(m_session, &RunSession::authorizationUrlReady, this, [this](const QUrl &url) {
        m_results->showWaiting(flow()->redirectUri(), 0, flow()->config().redirectWaitSeconds);
        m_ui->copyUrlButton->setEnabled(true);
        m_ui->pasteBrowserButton->setEnabled(true);
        if (!m_openUrl(url))
            m_results->addWarning(tr("No browser could be opened. Copy the authorization URL "
                                     "and open it in a browser yourself."));
    });
    connect(m_session, &RunSession::waitProgressed, this, [this](int elapsed, int limit) {
        m_results->showWaiting(flow()->redirectUri(), elapsed, limit);
    });
    connect(m_ui->pasteBrowserButton, &QPushButton::clicked, this, &MainWindow::pasteBrowserPage);
    connect(m_session, &RunSession::stageChanged, this, [this](AuthorizationCodeFlow::Stage stage) {
        switch (stage) {
        case AuthorizationCodeFlow::Stage::WaitingForRedirect:
            statusBar()->showMessage(tr("Listening on %1").arg(flow()->redirectUri().toString()));
            break;
        case AuthorizationCodeFlow::Stage::ExchangingCode:
            statusBar()->showMessage(tr("Exchanging the code at the token endpoint…"));
            break;
        default:
            break;
        }
    });
    connect(m_session, &RunSession::finished, this, &MainWindow::onFinished);

    // The device flow's code, and each poll.
    connect(m_session, &RunSession::userCodeReady, this,
            [this](const DeviceAuthorization &authorization) {
                m_devicePanel->showAuthorization(authorization);
                statusBar()->showMessage(
                    tr("Enter %1 at %2; polling the token endpoint.")
                        .arg(authorization.userCode, authorization.verificationUri.toString()));
            });
    connect(m_session, &RunSession::pollAnswered, m_devicePanel, &DeviceCodePanel::showPoll);
    connect(m_devicePanel, &DeviceCodePanel::openRequested, this, [this](const QUrl &url) {
        if (!m_openUrl(url))
            statusBar()->showMessage(
                tr("No browser could be opened: open %1 yourself.").arg(url.toString()));
    });
    connect(m_devicePanel, &DeviceCodePanel::copied, this,
            [this](const QString &message) { statusBar()->showMessage(message, 3000); });
    connect(m_form, &ClientForm::edited, this, &MainWindow::updateStartButton);
    setBusy(false);
    updateStartButton();
}

MainWindow::~MainWindow()
{
    delete m_ui;
}

void MainWindow::setConfig(const ClientConfig &config)
{
    m_form->setConfig(config);
}

AuthorizationCodeFlow *MainWindow::flow() const
{
    return m_session->codeFlow();
}

TokenGrantFlow *MainWindow::grantFlow() const
{
    return m_session->grantFlow();
}

DeviceAuthorizationFlow *MainWindow::deviceFlow() const
{
    return m_session->deviceFlow();
}

ProviderDiscovery *MainWindow::discovery() const
{
    return m_session->discovery();
}

TokenActions *MainWindow::tokenActions() const
{
    return m_session->actions();
}

SandboxProvider *MainWindow::sandbox() const
{
    return m_session->sandbox();
}

RunHistory *MainWindow::history() const
{
    return m_session->history();
}

bool MainWindow::isRunning() const
{
    return m_session->isRunning();
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

void MainWindow::showHistory()
{
    auto *dialog = new HistoryDialog(history(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &HistoryDialog::runChosen, this, &MainWindow::showHistoryRun);
    dialog->open();
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
    m_results->clear();
    m_devicePanel->hide();
    for (qsizetype i = 0; i < run->exchanges.size(); ++i) {
        if (run->diagnoses.isEmpty()) // saved before diagnoses were kept
            m_results->addExchange(run->exchanges.at(i));
        else
            m_results->addSavedExchange(run->exchanges.at(i), run->diagnoses.value(i));
    }
    m_results->showResult(
        run->result == QLatin1String("succeeded"), tr("From the history: %1").arg(run->summary),
        {tr("run of %1, profile %2, grant %3")
             .arg(QLocale().toString(run->startedAt.toLocalTime(), QLocale::ShortFormat),
                  run->profile, run->grant),
         tr("Secrets, tokens, codes and verifiers were replaced by REDACTED: markers when the "
            "run was saved.")});
    return true;
}

void MainWindow::updateStartButton()
{
    const GrantType grant = m_form->config().grant;
    m_ui->authorizeButton->setText(usesBrowser(grant)               ? tr("&Authorize")
                                   : grant == GrantType::DeviceCode ? tr("St&art device flow")
                                                                    : tr("Request &token"));
    m_results->setStartHint(m_ui->authorizeButton->text().remove(QLatin1Char('&')));
    if (m_session->sandbox() && m_ui->sandboxNote->isVisible())
        m_ui->sandboxNote->setText(sandboxNote());
    m_ui->copyUrlButton->setVisible(usesBrowser(grant));
    m_ui->pasteBrowserButton->setVisible(usesBrowser(grant));
    m_ui->clientGroup->setTitle(tr("Client — %1").arg(m_form->grantTitle()));
}

void MainWindow::authorize()
{
    if (isRunning())
        return;
    m_results->clear();
    m_session->forgetRun();
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
    QString problem;
    SandboxProvider *sandbox = m_session->startSandbox(&problem);
    if (!sandbox) {
        m_results->showResult(false, tr("The built-in sandbox could not start."), {problem});
        return false;
    }
    m_form->setConfig(sandbox->clientConfig(confidential));
    m_profileBar->selectSandbox();
    m_ui->sandboxNote->setText(sandboxNote());
    m_ui->sandboxNote->setVisible(true);
    statusBar()->showMessage(tr("Sandbox running at %1").arg(sandbox->issuer()), 5000);
    return true;
}

void MainWindow::orderFocus()
{
    // Tab goes through the profile bar, the form, then the run's buttons, then the results;
    // the window opens on the start button.
    const auto inChainOrder = [](QWidget *root) {
        QList<QWidget *> widgets;
        for (QWidget *widget = root->nextInFocusChain(); widget != root;
             widget = widget->nextInFocusChain()) {
            if (root->isAncestorOf(widget) && (widget->focusPolicy() & Qt::TabFocus) &&
                !widget->focusProxy())
                widgets << widget;
        }
        return widgets;
    };
    const QList<QWidget *> order = inChainOrder(m_profileBar) + inChainOrder(m_form) +
                                   QList<QWidget *>{m_ui->authorizeButton, m_ui->cancelButton,
                                                    m_ui->copyUrlButton, m_ui->pasteBrowserButton};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
    m_ui->authorizeButton->setFocus();
}

QString MainWindow::sandboxNote() const
{
    const QString button = m_ui->authorizeButton->text().remove(QLatin1Char('&')).toHtmlEscaped();
    const QString issuer = m_session->sandbox()->issuer().toHtmlEscaped();
    const GrantType grant = m_form->config().grant;
    const QString what = usesBrowser(grant) || grant == GrantType::DeviceCode
                             ? tr("press <b>%1</b> and sign in with any name").arg(button)
                             : tr("press <b>%1</b>").arg(button);
    return tr("Using the built-in <b>sandbox</b> at <code>%1</code> (this app, 127.0.0.1 only): "
              "%2. To see an error and its diagnosis, add a scope from the "
              "<a href=\"#triggers\">error triggers</a>.")
        .arg(issuer, what);
}

QString MainWindow::exportHar(const QString &path, bool withSecrets) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    file.write(ExchangeExport::har(m_results->model()->exchanges(),
                                   withSecrets ? ExchangeExport::Secrets::Included
                                               : ExchangeExport::Secrets::Redacted));
    return file.commit() ? QString() : file.errorString();
}

void MainWindow::useSandboxTrigger(const QString &name)
{
    if (!SandboxTriggers::named(name))
        return;
    // A trigger acts on the sandbox: start it (and show its profile) when it is not in use.
    if ((!sandbox() || !sandbox()->isRunning()) && !useSandbox(true))
        return;
    const ClientConfig config = m_form->config();
    const ClientConfig triggered = m_session->withSandboxTrigger(config, name);
    m_form->setScope(triggered.scope);
    const bool endpoint = triggered.tokenEndpoint != config.tokenEndpoint;
    if (endpoint)
        m_form->setTokenEndpoint(triggered.tokenEndpoint);
    statusBar()->showMessage(
        endpoint ? tr("Trigger %1 set: the token endpoint is now %2. Start a run to see it.")
                       .arg(name, triggered.tokenEndpoint.toString())
                 : tr("Trigger %1 set: the scopes are now \"%2\". Start a run to see it.")
                       .arg(name, triggered.scope),
        10000);
}

bool MainWindow::restoreLastProfile()
{
    return !m_profiles->lastUsed().isEmpty() && m_profileBar->select(m_profiles->lastUsed());
}

void MainWindow::showSandboxTriggers()
{
    auto *dialog = new SandboxTriggersDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SandboxTriggersDialog::triggerChosen, this, &MainWindow::useSandboxTrigger);
    dialog->open();
}

void MainWindow::cancel()
{
    m_session->cancel();
}

void MainWindow::pasteBrowserPage()
{
    bool ok = false;
    const QString pasted = QInputDialog::getMultiLineText(
        this, tr("Paste what the browser shows"),
        tr("The browser did not come back to the app. Paste the URL in its address bar, or the "
           "text of the page it shows (select all, copy), to have it diagnosed in this run:"),
        QString(), &ok);
    if (!ok || pasted.trimmed().isEmpty())
        return;
    QString error;
    if (!m_session->submitBrowserPage(pasted, &error))
        QMessageBox::warning(this, tr("Paste what the browser shows"), error);
    m_ui->pasteBrowserButton->setEnabled(m_session->acceptsBrowserPage());
}

void MainWindow::setBusy(bool busy)
{
    m_ui->authorizeButton->setEnabled(!busy);
    m_ui->cancelButton->setEnabled(busy);
    m_form->setEnabled(!busy);
    if (busy)
        m_ui->cancelButton->setFocus();
}

} // namespace workbench
