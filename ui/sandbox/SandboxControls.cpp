#include "ui/sandbox/SandboxControls.h"

#include "core/sandbox/SandboxProvider.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/session/RunSession.h"
#include "ui/forms/ClientForm.h"
#include "ui/profiles/ProfileBar.h"
#include "ui/results/ResultsPane.h"
#include "ui/sandbox/SandboxTriggersDialog.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>

namespace workbench {

SandboxControls::SandboxControls(const Parts &parts, QObject *parent)
    : QObject(parent), m_parts(parts)
{
    // A profile made on the sandbox keeps "the sandbox", not this start's port.
    m_parts.profileBar->setConfigMaps(
        [session = m_parts.session](const ClientConfig &config) {
            return session->storable(config);
        },
        [this](const ClientConfig &config) {
            QString problem;
            const ClientConfig resolved = m_parts.session->resolved(config, &problem);
            if (!problem.isEmpty())
                m_parts.results->showResult(false, tr("The built-in sandbox could not start."),
                                            {problem});
            return resolved;
        });
    connect(m_parts.profileBar, &ProfileBar::sandboxChosen, this, [this] { use(false); });
    connect(m_parts.note, &QLabel::linkActivated, this, &SandboxControls::showTriggers);
    // The hint goes once the person points the form elsewhere.
    connect(m_parts.form, &ClientForm::edited, this, [this] {
        m_parts.note->setVisible(m_parts.session->usesSandbox(m_parts.form->config()));
    });
}

void SandboxControls::connectMenu(QAction *publicClient, QAction *confidentialClient,
                                  QAction *triggers)
{
    connect(publicClient, &QAction::triggered, this, [this] { use(false); });
    connect(confidentialClient, &QAction::triggered, this, [this] { use(true); });
    connect(triggers, &QAction::triggered, this, &SandboxControls::showTriggers);
}

bool SandboxControls::use(bool confidential)
{
    QString problem;
    SandboxProvider *sandbox = m_parts.session->startSandbox(&problem);
    if (!sandbox) {
        m_parts.results->showResult(false, tr("The built-in sandbox could not start."), {problem});
        return false;
    }
    m_parts.form->setConfig(sandbox->clientConfig(confidential));
    m_parts.profileBar->selectSandbox();
    m_parts.note->setText(noteText());
    m_parts.note->setVisible(true);
    m_parts.statusBar->showMessage(tr("Sandbox running at %1").arg(sandbox->issuer()), 5000);
    return true;
}

QString SandboxControls::noteText() const
{
    const SandboxProvider *sandbox = m_parts.session->sandbox();
    if (!sandbox || !sandbox->isRunning())
        return {};
    const QString button = m_parts.startButton->text().remove(QLatin1Char('&')).toHtmlEscaped();
    const GrantType grant = m_parts.form->config().grant;
    const QString what =
        usesBrowser(grant) || grant == GrantType::DeviceCode
            ? tr("press <b>%1</b> and sign in with any name").arg(button)
        : grant == GrantType::Ciba
            ? tr("use the confidential client, name anyone as the user, press <b>%1</b> and "
                 "approve on the sandbox's authentication device page")
                  .arg(button)
            : tr("press <b>%1</b>").arg(button);
    return tr("Using the built-in <b>sandbox</b> at <code>%1</code> (this app, 127.0.0.1 only): "
              "%2. To see an error and its diagnosis, add a scope from the "
              "<a href=\"#triggers\">error triggers</a>.")
        .arg(sandbox->issuer().toHtmlEscaped(), what);
}

void SandboxControls::updateNote()
{
    if (m_parts.session->sandbox() && m_parts.note->isVisible())
        m_parts.note->setText(noteText());
}

void SandboxControls::useTrigger(const QString &name)
{
    if (!SandboxTriggers::named(name))
        return;
    // A trigger acts on the sandbox: start it (and show its profile) when it is not in use.
    const SandboxProvider *sandbox = m_parts.session->sandbox();
    if ((!sandbox || !sandbox->isRunning()) && !use(true))
        return;
    const ClientConfig config = m_parts.form->config();
    const ClientConfig triggered = m_parts.session->withSandboxTrigger(config, name);
    m_parts.form->setScope(triggered.scope);
    const bool endpoint = triggered.tokenEndpoint != config.tokenEndpoint;
    if (endpoint)
        m_parts.form->setTokenEndpoint(triggered.tokenEndpoint);
    m_parts.statusBar->showMessage(
        endpoint ? tr("Trigger %1 set: the token endpoint is now %2. Start a run to see it.")
                       .arg(name, triggered.tokenEndpoint.toString())
                 : tr("Trigger %1 set: the scopes are now \"%2\". Start a run to see it.")
                       .arg(name, triggered.scope),
        10000);
}

void SandboxControls::showTriggers()
{
    auto *dialog = new SandboxTriggersDialog(m_parts.window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SandboxTriggersDialog::triggerChosen, this, &SandboxControls::useTrigger);
    dialog->open();
}

} // namespace workbench
