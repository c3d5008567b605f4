#include "ui/RunView.h"

#include "core/flows/AuthorizationCodeFlow.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"
#include "ui/flows/DeviceCodePanel.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

namespace workbench {

RunView::RunView(const Parts &parts, QObject *parent) : QObject(parent), m_parts(parts)
{
    RunSession *session = m_parts.session;
    ResultsPane *results = m_parts.results;
    connect(session, &RunSession::exchangeRecorded, results, &ResultsPane::addExchange);
    connect(session, &RunSession::requestRejected, results, &ResultsPane::addRejection);
    connect(session, &RunSession::warningRaised, results, &ResultsPane::addWarning);
    connect(session, &RunSession::started, this,
            [results](const ClientConfig &, const DiagnosisHints &hints) {
                results->model()->setDiagnosisHints(hints);
            });
    connect(session, &RunSession::discoveryFailed, this,
            [this](const QString &summary, const QStringList &details) {
                m_parts.results->showResult(false, summary, details);
                m_parts.statusBar->clearMessage();
            });
    connectCodeFlow();
    connectDeviceFlow();
}

void RunView::pasteBrowserPage()
{
    bool ok = false;
    const QString pasted = QInputDialog::getMultiLineText(
        m_parts.window, tr("Paste what the browser shows"),
        tr("The browser did not come back to the app. Paste the URL in its address bar, or the "
           "text of the page it shows (select all, copy), to have it diagnosed in this run:"),
        QString(), &ok);
    if (!ok || pasted.trimmed().isEmpty())
        return;
    QString error;
    if (!m_parts.session->submitBrowserPage(pasted, &error))
        QMessageBox::warning(m_parts.window, tr("Paste what the browser shows"), error);
    m_parts.pasteBrowserButton->setEnabled(m_parts.session->acceptsBrowserPage());
}

void RunView::connectCodeFlow()
{
    RunSession *session = m_parts.session;
    connect(m_parts.copyUrlButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(
            m_parts.session->codeFlow()->authorizationUrl().toString(QUrl::FullyEncoded));
        m_parts.statusBar->showMessage(tr("Authorization URL copied."), 3000);
    });
    connect(m_parts.pasteBrowserButton, &QPushButton::clicked, this, &RunView::pasteBrowserPage);
    connect(session, &RunSession::authorizationUrlReady, this, [this](const QUrl &url) {
        const AuthorizationCodeFlow *flow = m_parts.session->codeFlow();
        m_parts.results->showWaiting(flow->redirectUri(), 0, flow->config().redirectWaitSeconds);
        m_parts.copyUrlButton->setEnabled(true);
        m_parts.pasteBrowserButton->setEnabled(true);
        if (!(*m_parts.openUrl)(url))
            m_parts.results->addWarning(tr("No browser could be opened. Copy the authorization "
                                           "URL and open it in a browser yourself."));
    });
    connect(session, &RunSession::waitProgressed, this, [this](int elapsed, int limit) {
        const RpInitiatedLogout *logout = m_parts.session->logoutFlow();
        m_parts.results->showWaiting(
            logout->isRunning() ? logout->returnUri() : m_parts.session->codeFlow()->redirectUri(),
            elapsed, limit);
    });
    connect(session, &RunSession::logoutUrlReady, this, [this](const QUrl &url) {
        const RpInitiatedLogout *logout = m_parts.session->logoutFlow();
        m_parts.results->showWaiting(logout->returnUri(), 0, logout->config().redirectWaitSeconds);
        m_parts.statusBar->showMessage(
            tr("Signing out; listening on %1").arg(logout->returnUri().toString()));
        if (!(*m_parts.openUrl)(url))
            m_parts.results->addWarning(tr("No browser could be opened. Open the end-session "
                                           "request (the newest step) in a browser yourself."));
    });
    connect(session, &RunSession::logoutFinished, this,
            [this](const RpInitiatedLogout::Outcome &outcome) {
                m_parts.results->showResult(outcome.succeeded(), outcome.summary, outcome.details);
                m_parts.statusBar->showMessage(outcome.summary, 5000);
            });
    connect(session, &RunSession::stageChanged, this, [this](AuthorizationCodeFlow::Stage stage) {
        switch (stage) {
        case AuthorizationCodeFlow::Stage::WaitingForRedirect:
            m_parts.statusBar->showMessage(
                tr("Listening on %1").arg(m_parts.session->codeFlow()->redirectUri().toString()));
            break;
        case AuthorizationCodeFlow::Stage::ExchangingCode:
            m_parts.statusBar->showMessage(tr("Exchanging the code at the token endpoint…"));
            break;
        default:
            break;
        }
    });
}

void RunView::connectDeviceFlow()
{
    RunSession *session = m_parts.session;
    DeviceCodePanel *panel = m_parts.devicePanel;
    connect(session, &RunSession::userCodeReady, this,
            [this](const DeviceAuthorization &authorization) {
                m_parts.devicePanel->showAuthorization(authorization);
                m_parts.statusBar->showMessage(
                    tr("Enter %1 at %2; polling the token endpoint.")
                        .arg(authorization.userCode, authorization.verificationUri.toString()));
            });
    connect(session, &RunSession::backchannelAccepted, this,
            [this](const BackchannelAuthorization &authorization) {
                // On the sandbox, its page plays the person's device; a real provider reaches
                // the person on its own.
                RunSession *session = m_parts.session;
                const QUrl device = session->usesSandbox(session->deviceFlow()->config())
                                        ? session->sandbox()->endpoint(QStringLiteral("/ciba"))
                                        : QUrl();
                m_parts.devicePanel->showBackchannel(authorization, device);
                m_parts.statusBar->showMessage(
                    tr("Asked %1 to approve on their device; polling the token endpoint.")
                        .arg(authorization.loginHint));
            });
    connect(session, &RunSession::pollAnswered, panel, &DeviceCodePanel::showPoll);
    connect(panel, &DeviceCodePanel::openRequested, this, [this](const QUrl &url) {
        if (!(*m_parts.openUrl)(url))
            m_parts.statusBar->showMessage(
                tr("No browser could be opened: open %1 yourself.").arg(url.toString()));
    });
    connect(panel, &DeviceCodePanel::copied, this,
            [this](const QString &message) { m_parts.statusBar->showMessage(message, 3000); });
}

} // namespace workbench
