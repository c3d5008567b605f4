#include "ui/registration/RegistrationDialog.h"

#include "core/diagnosis/Diagnoser.h"
#include "core/session/RunSession.h"
#include "ui/results/DiagnosisHtml.h"
#include "ui_RegistrationDialog.h"

#include <QJsonDocument>
#include <QMessageBox>
#include <QPushButton>

namespace workbench {

RegistrationDialog::RegistrationDialog(RunSession *session, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::RegistrationDialog>()), m_session(session)
{
    m_ui->setupUi(this);
    // The answer and its diagnosis get the larger part.
    m_ui->splitter->setStretchFactor(0, 2);
    m_ui->splitter->setStretchFactor(1, 3);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    m_ui->metadataEdit->setFont(mono);
    connect(m_ui->registerButton, &QPushButton::clicked, this, [this] { registerClient(); });
    connect(m_ui->readButton, &QPushButton::clicked, this, [this] { readRegistration(); });
    connect(m_ui->updateButton, &QPushButton::clicked, this, [this] { updateRegistration(); });
    connect(m_ui->deleteButton, &QPushButton::clicked, this, [this] { deleteRegistration(); });
    connect(m_ui->closeButton, &QPushButton::clicked, this, &QDialog::close);
    ClientRegistration *registration = m_session->registration();
    connect(registration, &ClientRegistration::exchangeRecorded, this,
            [this](const HttpExchange &exchange) {
                if (m_busy)
                    m_exchanges << exchange;
            });
    connect(registration, &ClientRegistration::finished, this, &RegistrationDialog::onFinished);
    updateButtons();
}

RegistrationDialog::~RegistrationDialog() = default;

void RegistrationDialog::setClient(const ClientConfig &config, const QString &profileName,
                                   const QUrl &registrationEndpoint)
{
    m_config = config;
    m_profileName = profileName;
    if (!registrationEndpoint.isEmpty())
        m_ui->endpointEdit->setText(registrationEndpoint.toString());
    const QString base = profileName.isEmpty() ? config.issuer.host() : profileName;
    m_ui->profileNameEdit->setText(tr("%1 (registered)").arg(base.isEmpty() ? tr("Client") : base));
    m_ui->metadataEdit->setPlainText(QString::fromUtf8(
        QJsonDocument(ClientRegistration::metadataFor(config, tr("OAuth Workbench")))
            .toJson(QJsonDocument::Indented)));
    m_ui->resultView->setHtml(
        config.registrationClientUri.isEmpty()
            ? tr("<p>Nothing sent yet.</p>")
            : tr("<p>Profile <b>%1</b> is a registered client, managed at %2.</p>")
                  .arg(profileName.toHtmlEscaped(),
                       config.registrationClientUri.toString().toHtmlEscaped()));
    updateButtons();
}

bool RegistrationDialog::isBusy() const
{
    return m_busy;
}

QString RegistrationDialog::resultText() const
{
    return m_ui->resultView->toPlainText();
}

void RegistrationDialog::updateButtons()
{
    const bool manageable =
        !m_config.registrationClientUri.isEmpty() && !m_config.registrationAccessToken.isEmpty();
    m_ui->registerButton->setEnabled(!m_busy);
    for (QPushButton *button : {m_ui->readButton, m_ui->updateButton, m_ui->deleteButton})
        button->setEnabled(!m_busy && manageable);
}

void RegistrationDialog::showProblem(const QString &problem)
{
    m_ui->resultView->setHtml(QStringLiteral("<p><b>%1</b></p><p>%2</p>")
                                  .arg(tr("Nothing was sent."), problem.toHtmlEscaped()));
}

bool RegistrationDialog::metadata(QJsonObject *object)
{
    QJsonParseError error{};
    const QJsonDocument document =
        QJsonDocument::fromJson(m_ui->metadataEdit->toPlainText().toUtf8(), &error);
    if (!document.isObject()) {
        showProblem(tr("The metadata is not a JSON object: %1 (at character %2).")
                        .arg(error.errorString())
                        .arg(error.offset));
        return false;
    }
    *object = document.object();
    return true;
}

bool RegistrationDialog::send(const std::function<bool(ClientRegistration *, QString *)> &operation,
                              const QString &working)
{
    if (m_busy)
        return false;
    QString problem;
    ClientRegistration *registration = m_session->registrar(m_config, &problem);
    m_exchanges.clear();
    m_busy = registration != nullptr; // the exchanges recorded from here on are this one's
    if (!registration || !operation(registration, &problem)) {
        m_busy = false;
        showProblem(problem);
        return false;
    }
    m_ui->resultView->setHtml(QStringLiteral("<p>%1</p>").arg(working.toHtmlEscaped()));
    updateButtons();
    return true;
}

bool RegistrationDialog::registerClient()
{
    QJsonObject object;
    if (m_busy || !metadata(&object))
        return false;
    if (m_ui->profileNameEdit->text().trimmed().isEmpty()) {
        showProblem(tr("Name the profile the new client goes into."));
        return false;
    }
    const QUrl endpoint(m_ui->endpointEdit->text().trimmed());
    const QString initialToken = m_ui->initialTokenEdit->text().trimmed();
    return send(
        [&](ClientRegistration *registration, QString *error) {
            return registration->registerClient(endpoint, object, initialToken, error);
        },
        tr("Registering…"));
}

bool RegistrationDialog::readRegistration()
{
    return send([this](ClientRegistration *registration,
                       QString *error) { return registration->read(m_config, error); },
                tr("Reading the registration…"));
}

bool RegistrationDialog::updateRegistration()
{
    QJsonObject object;
    if (m_busy || !metadata(&object))
        return false;
    return send([&](ClientRegistration *registration,
                    QString *error) { return registration->update(m_config, object, error); },
                tr("Updating the registration…"));
}

bool RegistrationDialog::deleteRegistration(bool confirmed)
{
    if (m_busy)
        return false;
    if (!confirmed &&
        QMessageBox::question(this, windowTitle(),
                              tr("Delete client %1 at the server? Its credentials stop working.")
                                  .arg(m_config.clientId)) != QMessageBox::Yes)
        return false;
    return send([this](ClientRegistration *registration,
                       QString *error) { return registration->remove(m_config, error); },
                tr("Deleting the registration…"));
}

void RegistrationDialog::onFinished(const ClientRegistration::Outcome &outcome)
{
    if (!m_busy)
        return; // another view's operation
    m_busy = false;
    QString html = QStringLiteral("<h3>%1</h3><ul>").arg(outcome.summary.toHtmlEscaped());
    for (const QString &detail : outcome.details)
        html += QStringLiteral("<li>%1</li>").arg(detail.toHtmlEscaped());
    html += QStringLiteral("</ul>");
    if (!outcome.succeeded) {
        DiagnosisHints hints = m_session->hints();
        hints.issuer = m_config.issuer;
        hints.provider = m_config.provider;
        hints.metadata = m_session->metadata();
        if (const auto diagnosis = Diagnoser().lastProblem(m_exchanges, hints))
            html += DiagnosisHtml::render(*diagnosis);
    }
    ClientConfig changed = m_config;
    if (outcome.client)
        changed = outcome.client->applyTo(m_config);
    if (outcome.succeeded && outcome.operation == ClientRegistration::Operation::Register) {
        html += tr("<p>Saved as profile <b>%1</b>.</p>")
                    .arg(m_ui->profileNameEdit->text().trimmed().toHtmlEscaped());
        m_config = changed;
        m_profileName = m_ui->profileNameEdit->text().trimmed();
        emit registered(changed, m_profileName);
    } else if (outcome.succeeded && outcome.operation == ClientRegistration::Operation::Delete) {
        changed.registrationClientUri.clear();
        changed.registrationAccessToken.clear();
        changed.clientSecret.clear();
        m_config = changed;
        emit registrationChanged(changed);
    } else if (outcome.succeeded) {
        m_config = changed;
        emit registrationChanged(changed);
    }
    m_ui->resultView->setHtml(html);
    updateButtons();
}

} // namespace workbench
