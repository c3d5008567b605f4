#include "ClientForm.h"

#include "ui_ClientForm.h"

namespace workbench {

ClientForm::ClientForm(QWidget *parent) : QWidget(parent), m_ui(new Ui::ClientForm)
{
    m_ui->setupUi(this);
    connect(m_ui->revealSecretButton, &QToolButton::toggled, this, [this](bool reveal) {
        m_ui->clientSecretEdit->setEchoMode(reveal ? QLineEdit::Normal : QLineEdit::Password);
        m_ui->revealSecretButton->setText(reveal ? tr("Hide") : tr("Show"));
    });
    auto requestDiscovery = [this] {
        const QString issuer = m_ui->issuerEdit->text().trimmed();
        if (!issuer.isEmpty())
            emit discoverRequested(QUrl(issuer, QUrl::StrictMode));
    };
    connect(m_ui->discoverButton, &QPushButton::clicked, this, requestDiscovery);
    connect(m_ui->moreEndpointsButton, &QToolButton::toggled, this, [this](bool open) {
        m_ui->moreEndpoints->setVisible(open);
        m_ui->moreEndpointsButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });
    m_ui->moreEndpoints->setVisible(false);
    // The algorithms came with the discovered issuer; another issuer typed in voids them.
    connect(m_ui->issuerEdit, &QLineEdit::textEdited, this,
            [this] { m_idTokenAlgorithms.clear(); });
    connect(m_ui->issuerEdit, &QLineEdit::returnPressed, this, requestDiscovery);
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, this, &ClientForm::updateState);
    connect(m_ui->extraParametersEdit, &QPlainTextEdit::textChanged, this,
            &ClientForm::updateState);
    connect(m_ui->authMethodCombo, &QComboBox::currentIndexChanged, this, &ClientForm::updateState);
    connect(m_ui->pkceCheck, &QCheckBox::toggled, this, &ClientForm::updateState);
    connect(m_ui->pkceMethodCombo, &QComboBox::currentIndexChanged, this, &ClientForm::updateState);
    setConfig(ClientConfig{});
}

ClientForm::~ClientForm()
{
    delete m_ui;
}

ClientConfig ClientForm::config() const
{
    ClientConfig config;
    if (!m_ui->issuerEdit->text().trimmed().isEmpty())
        config.issuer = QUrl(m_ui->issuerEdit->text().trimmed(), QUrl::StrictMode);
    config.authorizationEndpoint =
        QUrl::fromUserInput(m_ui->authorizationEndpointEdit->text().trimmed());
    config.tokenEndpoint = QUrl::fromUserInput(m_ui->tokenEndpointEdit->text().trimmed());
    if (m_ui->authorizationEndpointEdit->text().trimmed().isEmpty())
        config.authorizationEndpoint.clear();
    if (m_ui->tokenEndpointEdit->text().trimmed().isEmpty())
        config.tokenEndpoint.clear();
    const auto optionalUrl = [](const QLineEdit *edit) {
        const QString text = edit->text().trimmed();
        return text.isEmpty() ? QUrl() : QUrl::fromUserInput(text);
    };
    config.jwksUri = optionalUrl(m_ui->jwksUriEdit);
    config.userinfoEndpoint = optionalUrl(m_ui->userinfoEndpointEdit);
    config.introspectionEndpoint = optionalUrl(m_ui->introspectionEndpointEdit);
    config.revocationEndpoint = optionalUrl(m_ui->revocationEndpointEdit);
    config.idTokenSigningAlgorithms = m_idTokenAlgorithms;
    config.clientId = m_ui->clientIdEdit->text().trimmed();
    config.clientSecret = m_ui->clientSecretEdit->text();
    clientAuthMethodFromName(m_ui->authMethodCombo->currentText(), &config.authMethod);
    config.scope = m_ui->scopeEdit->text().simplified();
    config.redirectUri = QUrl(m_ui->redirectUriEdit->text().trimmed(), QUrl::StrictMode);
    config.usePkce = m_ui->pkceCheck->isChecked();
    config.pkceMethod = m_ui->pkceMethodCombo->currentText() == QLatin1String("plain")
                            ? Pkce::Method::Plain
                            : Pkce::Method::S256;
    config.extraAuthorizationParameters =
        parseParameterLines(m_ui->extraParametersEdit->toPlainText());
    return config;
}

void ClientForm::setConfig(const ClientConfig &config)
{
    m_ui->issuerEdit->setText(config.issuer.toString());
    m_ui->authorizationEndpointEdit->setText(config.authorizationEndpoint.toString());
    m_ui->tokenEndpointEdit->setText(config.tokenEndpoint.toString());
    m_ui->jwksUriEdit->setText(config.jwksUri.toString());
    m_ui->userinfoEndpointEdit->setText(config.userinfoEndpoint.toString());
    m_ui->introspectionEndpointEdit->setText(config.introspectionEndpoint.toString());
    m_ui->revocationEndpointEdit->setText(config.revocationEndpoint.toString());
    m_idTokenAlgorithms = config.idTokenSigningAlgorithms;
    m_ui->clientIdEdit->setText(config.clientId);
    m_ui->clientSecretEdit->setText(config.clientSecret);
    m_ui->authMethodCombo->setCurrentText(clientAuthMethodName(config.authMethod));
    m_ui->scopeEdit->setText(config.scope);
    m_ui->redirectUriEdit->setText(config.redirectUri.toString());
    m_ui->pkceCheck->setChecked(config.usePkce);
    m_ui->pkceMethodCombo->setCurrentText(Pkce::methodName(config.pkceMethod));
    m_ui->extraParametersEdit->setPlainText(
        formatParameterLines(config.extraAuthorizationParameters));
    updateState();
}

QStringList ClientForm::problems() const
{
    QStringList problems = config().validate();
    parseParameterLines(m_ui->extraParametersEdit->toPlainText(), &problems);
    return problems;
}

void ClientForm::applyMetadata(const ProviderMetadata &metadata)
{
    if (metadata.authorizationEndpoint.isValid())
        m_ui->authorizationEndpointEdit->setText(metadata.authorizationEndpoint.toString());
    if (metadata.tokenEndpoint.isValid())
        m_ui->tokenEndpointEdit->setText(metadata.tokenEndpoint.toString());
    // ID tokens are compared with the issuer exactly as the metadata writes it.
    if (!metadata.issuer.isEmpty())
        m_ui->issuerEdit->setText(metadata.issuer);
    m_ui->jwksUriEdit->setText(metadata.jwksUri.toString());
    m_ui->userinfoEndpointEdit->setText(metadata.userinfoEndpoint.toString());
    m_ui->introspectionEndpointEdit->setText(metadata.introspectionEndpoint.toString());
    m_ui->revocationEndpointEdit->setText(metadata.revocationEndpoint.toString());
    m_idTokenAlgorithms = metadata.idTokenSigningAlgValuesSupported;
    updateState();
}

void ClientForm::setScope(const QString &scope)
{
    m_ui->scopeEdit->setText(scope);
}

bool ClientForm::rememberSecret() const
{
    return m_ui->rememberSecretCheck->isChecked();
}

void ClientForm::setRememberSecret(bool remember)
{
    m_ui->rememberSecretCheck->setChecked(remember);
}

void ClientForm::setClientSecret(const QString &secret)
{
    m_ui->clientSecretEdit->setText(secret);
}

void ClientForm::updateState()
{
    const bool needsSecret = m_ui->authMethodCombo->currentText() != QLatin1String("none");
    m_ui->clientSecretEdit->setEnabled(needsSecret);
    m_ui->revealSecretButton->setEnabled(needsSecret);
    m_ui->rememberSecretCheck->setEnabled(needsSecret);
    m_ui->pkceMethodCombo->setEnabled(m_ui->pkceCheck->isChecked());
    m_ui->discoverButton->setEnabled(!m_ui->issuerEdit->text().trimmed().isEmpty());

    const ClientConfig current = config();
    QStringList lines;
    for (const QString &problem : problems())
        lines << QStringLiteral("✗ ") + problem;
    for (const QString &warning : current.warnings())
        lines << QStringLiteral("⚠ ") + warning;
    m_ui->problemsLabel->setText(lines.join(QLatin1Char('\n')));
    m_ui->problemsLabel->setVisible(!lines.isEmpty());
    emit edited();
}

} // namespace workbench
