#include "ui/forms/ClientForm.h"

#include "core/util/Failure.h"

#include "core/client/AuthorizationDetails.h"

#include "core/diagnosis/KnowledgeBase.h"

#include "core/jose/Jwe.h"
#include "core/jose/JwsSigner.h"
#include "ui/forms/SecretFieldActions.h"
#include "ui_ClientForm.h"

#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QTextCursor>

namespace workbench {

namespace {
QString titleOf(GrantType grant)
{
    switch (grant) {
    case GrantType::AuthorizationCode:
        return QObject::tr("Authorization code (+ PKCE)");
    case GrantType::ClientCredentials:
        return QObject::tr("Client credentials");
    case GrantType::DeviceCode:
        return QObject::tr("Device authorization (RFC 8628)");
    case GrantType::RefreshToken:
        return QObject::tr("Refresh token");
    case GrantType::Password:
        return QObject::tr("Password (legacy)");
    case GrantType::TokenExchange:
        return QObject::tr("Token exchange (RFC 8693)");
    case GrantType::JwtBearer:
        return QObject::tr("JWT bearer assertion (RFC 7523)");
    case GrantType::Implicit:
        return QObject::tr("Implicit (legacy)");
    case GrantType::Hybrid:
        return QObject::tr("Hybrid (OpenID Connect)");
    case GrantType::Ciba:
        return QObject::tr("CIBA: approve on a phone (poll)");
    }
    return {};
}

QString grantDescription(GrantType grant)
{
    switch (grant) {
    case GrantType::AuthorizationCode:
        return QObject::tr("The browser signs the person in; the app captures the redirect on "
                           "127.0.0.1 and redeems the code.");
    case GrantType::ClientCredentials:
        return QObject::tr("The client gets a token for itself: no person, no browser.");
    case GrantType::DeviceCode:
        return QObject::tr("The app shows a code and a link (and a QR code); the person approves "
                           "on any device while the app polls.");
    case GrantType::RefreshToken:
        return QObject::tr("Redeems a refresh token you paste for new tokens.");
    case GrantType::Password:
        return QObject::tr("⚠ Legacy: the client handles the person's password. The OAuth 2.0 "
                           "Security BCP says not to use it.");
    case GrantType::TokenExchange:
        return QObject::tr("Trades a token for another one: delegation, impersonation or a "
                           "narrower audience.");
    case GrantType::JwtBearer:
        return QObject::tr("A signed JWT is the grant: pasted, or signed here with the private "
                           "key.");
    case GrantType::Implicit:
        return QObject::tr("⚠ Legacy: tokens come back in the URL fragment (relayed to the app "
                           "by its page). Prefer the code flow with PKCE.");
    case GrantType::Hybrid:
        return QObject::tr("An ID token and a code come back on the redirect; the code is then "
                           "redeemed.");
    case GrantType::Ciba:
        return QObject::tr("The server asks the named person on their own device (no browser "
                           "here); the app polls the token endpoint until they answer.");
    }
    return {};
}

QUrl optionalUrl(const QLineEdit *edit)
{
    const QString text = edit->text().trimmed();
    return text.isEmpty() ? QUrl() : QUrl::fromUserInput(text);
}
} // namespace

ClientForm::ClientForm(QWidget *parent) : QWidget(parent), m_ui(new Ui::ClientForm)
{
    m_ui->setupUi(this);
    for (const GrantType grant : allGrantTypes())
        m_ui->grantCombo->addItem(titleOf(grant), grantTypeName(grant));
    for (const ClientAuthMethod method : allClientAuthMethods())
        m_ui->authMethodCombo->addItem(clientAuthMethodName(method));
    // The providers come from the knowledge base, whose loading (about 0.1 s) the first paint
    // should not wait for: they are listed when the Connection section first opens, or when a
    // config names one.
    m_ui->providerCombo->addItem(tr("Identify it from its answers"), QString());
    connect(m_ui->tlsButton, &QToolButton::toggled, this, [this](bool open) {
        if (open)
            listProviders();
    });
    // Notes take the height their text needs, not the room the scroll area has to spare.
    for (QLabel *note : {m_ui->grantNote, m_ui->problemsLabel, m_ui->keyStatusLabel})
        note->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    // Token type URNs are long: the combos must not widen the whole form for them.
    for (QComboBox *combo : {m_ui->subjectTokenTypeCombo, m_ui->actorTokenTypeCombo,
                             m_ui->requestedTokenTypeCombo, m_ui->grantCombo}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(16);
    }
    // Request object encryption: none, or one of the algorithms the app encrypts with.
    m_ui->requestEncryptionAlgCombo->addItem(tr("(not encrypted)"), QString());
    for (const QString &alg : Jwe::keyManagementAlgorithms())
        m_ui->requestEncryptionAlgCombo->addItem(alg, alg);
    m_ui->requestEncryptionEncCombo->addItems(Jwe::contentEncryptionAlgorithms());
    // Every masked field can be shown and copied; the client secret has its own Show button.
    for (QLineEdit *edit : findChildren<QLineEdit *>()) {
        if (edit->echoMode() == QLineEdit::Password)
            SecretFieldActions::decorate(edit, edit != m_ui->clientSecretEdit);
    }
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
    // Sections that fold away: endpoints beyond the two main ones, request options, TLS.
    const std::pair<QToolButton *, QWidget *> sections[] = {
        {m_ui->moreEndpointsButton, m_ui->moreEndpoints},
        {m_ui->requestOptionsButton, m_ui->requestOptions},
        {m_ui->tlsButton, m_ui->tlsOptions}};
    // They sit below the form layout, not in it: QFormLayout under-counts the height of the
    // spanning rows they were (the last section was squeezed to nothing), and a row it hides
    // gets no room even when its widget is shown again.
    for (const auto &[button, section] : sections) {
        section->setVisible(false);
        connect(button, &QToolButton::toggled, this, [this, button = button](bool open) {
            button->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
            updateState(); // shows the open sections the grant has
        });
    }
    // The algorithms came with the discovered issuer; another issuer typed in voids them.
    connect(m_ui->issuerEdit, &QLineEdit::textEdited, this, [this] { m_discovered = {}; });
    // RAR's examples replace what the editor holds (undo brings it back).
    auto *templates = new QMenu(m_ui->rarTemplateButton);
    for (const AuthorizationDetails::Template &example : AuthorizationDetails::templates()) {
        templates->addAction(example.name, this, [this, json = example.json] {
            QTextCursor cursor(m_ui->authorizationDetailsEdit->document());
            cursor.select(QTextCursor::Document);
            cursor.insertText(json);
        });
    }
    m_ui->rarTemplateButton->setMenu(templates);
    // CIBA's login hint is the authorization request's: one value, shown in both places.
    connect(m_ui->cibaLoginHintEdit, &QLineEdit::textEdited, m_ui->loginHintEdit,
            &QLineEdit::setText);
    connect(m_ui->loginHintEdit, &QLineEdit::textEdited, m_ui->cibaLoginHintEdit,
            &QLineEdit::setText);
    connect(m_ui->issuerEdit, &QLineEdit::returnPressed, this, requestDiscovery);
    connect(m_ui->loadKeyButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Private key (PEM)"), {},
                                                          tr("PEM files (*.pem *.key);;All (*)"));
        if (!path.isEmpty()) {
            if (QString problem; !loadPrivateKey(path, &problem))
                m_ui->keyStatusLabel->setText(problem);
        }
    });
    connect(m_ui->clearKeyButton, &QToolButton::clicked, this, [this] { setPrivateKeyPem({}); });
    connect(m_ui->loadDecryptionKeyButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Decryption key (PEM)"), {},
                                                          tr("PEM files (*.pem *.key);;All (*)"));
        if (!path.isEmpty()) {
            if (QString problem; !loadDecryptionKey(path, &problem)) {
                m_ui->decryptionKeyStatusLabel->setText(tr("✗ not loaded (see tooltip)"));
                m_ui->decryptionKeyStatusLabel->setToolTip(problem);
            }
        }
    });
    connect(m_ui->clearDecryptionKeyButton, &QToolButton::clicked, this,
            [this] { setDecryptionKeyPem({}); });
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, this, &ClientForm::updateState);
    for (QPlainTextEdit *edit : findChildren<QPlainTextEdit *>())
        connect(edit, &QPlainTextEdit::textChanged, this, &ClientForm::updateState);
    for (QComboBox *combo : findChildren<QComboBox *>())
        connect(combo, &QComboBox::currentIndexChanged, this, &ClientForm::updateState);
    for (QCheckBox *check : findChildren<QCheckBox *>())
        connect(check, &QCheckBox::toggled, this, &ClientForm::updateState);
    for (QSpinBox *spin : findChildren<QSpinBox *>())
        connect(spin, &QSpinBox::valueChanged, this, &ClientForm::updateState);
    setConfig(ClientConfig{});
}

ClientForm::~ClientForm()
{
    delete m_ui;
}

ClientConfig ClientForm::config() const
{
    ClientConfig config;
    grantTypeFromName(m_ui->grantCombo->currentData().toString(), &config.grant);
    if (!m_ui->issuerEdit->text().trimmed().isEmpty())
        config.issuer = QUrl(m_ui->issuerEdit->text().trimmed(), QUrl::StrictMode);
    config.authorizationEndpoint = optionalUrl(m_ui->authorizationEndpointEdit);
    config.tokenEndpoint = optionalUrl(m_ui->tokenEndpointEdit);
    config.jwksUri = optionalUrl(m_ui->jwksUriEdit);
    config.userinfoEndpoint = optionalUrl(m_ui->userinfoEndpointEdit);
    config.introspectionEndpoint = optionalUrl(m_ui->introspectionEndpointEdit);
    config.revocationEndpoint = optionalUrl(m_ui->revocationEndpointEdit);
    config.endSessionEndpoint = optionalUrl(m_ui->endSessionEndpointEdit);
    config.postLogoutRedirectUri = optionalUrl(m_ui->postLogoutRedirectUriEdit);
    config.deviceAuthorizationEndpoint = optionalUrl(m_ui->deviceEndpointEdit);
    config.pushedAuthorizationRequestEndpoint = optionalUrl(m_ui->parEndpointEdit);
    config.backchannelAuthenticationEndpoint = optionalUrl(m_ui->backchannelEndpointEdit);
    config.issuerInAuthorizationResponse = m_ui->issPromisedCheck->isChecked();
    config.idTokenSigningAlgorithms = m_discovered.idToken;
    config.authorizationSigningAlgorithms = m_discovered.authorization;
    config.requestObjectEncryptionAlgorithms = m_discovered.requestEncryption;
    config.requestObjectEncryptionEncodings = m_discovered.requestEncryptionEnc;
    config.clientId = m_ui->clientIdEdit->text().trimmed();
    config.clientSecret = m_ui->clientSecretEdit->text();
    clientAuthMethodFromName(m_ui->authMethodCombo->currentText(), &config.authMethod);
    config.privateKeyPem = m_privateKeyPem;
    config.decryptionKeyPem = m_decryptionKeyPem;
    config.decryptionKeyId = m_ui->decryptionKeyIdEdit->text().trimmed();
    config.privateKeyPassphrase = m_ui->keyPassphraseEdit->text();
    config.signingAlgorithm = m_ui->signingAlgorithmCombo->currentText();
    config.keyId = m_ui->keyIdEdit->text().trimmed();
    config.scope = m_ui->scopeEdit->text().simplified();
    config.redirectUri = QUrl(m_ui->redirectUriEdit->text().trimmed(), QUrl::StrictMode);
    config.usePkce = m_ui->pkceCheck->isChecked();
    config.pkceMethod = m_ui->pkceMethodCombo->currentText() == QLatin1String("plain")
                            ? Pkce::Method::Plain
                            : Pkce::Method::S256;
    config.extraAuthorizationParameters =
        parseParameterLines(m_ui->extraParametersEdit->toPlainText());

    config.responseMode = m_ui->responseModeCombo->currentIndex() == 0
                              ? QString()
                              : m_ui->responseModeCombo->currentText();
    config.prompt = m_ui->promptEdit->text().simplified();
    config.loginHint = m_ui->loginHintEdit->text().trimmed();
    config.maxAge = m_ui->maxAgeEdit->text().trimmed();
    config.acrValues = m_ui->acrValuesEdit->text().simplified();
    config.claims = m_ui->claimsEdit->toPlainText().trimmed();
    config.authorizationDetails = m_ui->authorizationDetailsEdit->toPlainText().trimmed();
    config.resources = m_ui->resourceEdit->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    config.audience = m_ui->audienceEdit->text().trimmed();
    config.usePar = m_ui->parCheck->isChecked();
    config.useRequestObject = m_ui->requestObjectCheck->isChecked();
    config.requestObjectEncryptionAlg = m_ui->requestEncryptionAlgCombo->currentData().toString();
    config.requestObjectEncryptionEnc = m_ui->requestEncryptionEncCombo->currentText();

    config.username = m_ui->usernameEdit->text();
    config.password = m_ui->passwordEdit->text();
    config.refreshToken = m_ui->refreshTokenEdit->text().trimmed();
    config.subjectToken = m_ui->subjectTokenEdit->text().trimmed();
    config.subjectTokenType = m_ui->subjectTokenTypeCombo->currentText().trimmed();
    config.actorToken = m_ui->actorTokenEdit->text().trimmed();
    config.actorTokenType = m_ui->actorTokenTypeCombo->currentText().trimmed();
    config.requestedTokenType = m_ui->requestedTokenTypeCombo->currentText().trimmed();
    config.assertion = m_ui->assertionEdit->text().trimmed();
    config.assertionSubject = m_ui->assertionSubjectEdit->text().trimmed();
    config.bindingMessage = m_ui->bindingMessageEdit->text().trimmed();

    config.tls.caBundlePath = m_ui->caBundleEdit->text().trimmed();
    config.tls.clientCertificatePath = m_ui->clientCertificateEdit->text().trimmed();
    config.tls.clientKeyPath = m_ui->clientKeyEdit->text().trimmed();
    config.tls.skipVerification = m_ui->skipTlsCheck->isChecked();
    config.timeoutSeconds = m_ui->timeoutSpin->value();
    config.redirectWaitSeconds = m_ui->redirectWaitSpin->value();
    config.provider = m_ui->providerCombo->currentData().toString();
    config.useDpop = m_ui->dpopCheck->isChecked();
    config.dpopAlgorithm = m_ui->dpopAlgorithmCombo->currentText();
    // A key made for another algorithm is not this one's: the next run makes a new one.
    config.dpopKeyPem = m_dpopKeyAlgorithm == config.dpopAlgorithm ? m_dpopKeyPem : QString();
    if (config.clientId == m_registeredClientId && !m_registeredClientId.isEmpty()) {
        config.registrationClientUri = m_registrationClientUri;
        config.registrationAccessToken = m_registrationAccessToken;
    }
    return config;
}

void ClientForm::setConfig(const ClientConfig &config)
{
    {
        // Every field set below would work the whole form's state out again; once will do.
        const QScopedValueRollback<bool> batch(m_filling, true);
        fill(config);
    }
    updateState();
}

void ClientForm::fill(const ClientConfig &config)
{
    setGrant(config.grant);
    m_ui->issuerEdit->setText(config.issuer.toString());
    m_ui->authorizationEndpointEdit->setText(config.authorizationEndpoint.toString());
    m_ui->tokenEndpointEdit->setText(config.tokenEndpoint.toString());
    m_ui->jwksUriEdit->setText(config.jwksUri.toString());
    m_ui->userinfoEndpointEdit->setText(config.userinfoEndpoint.toString());
    m_ui->introspectionEndpointEdit->setText(config.introspectionEndpoint.toString());
    m_ui->revocationEndpointEdit->setText(config.revocationEndpoint.toString());
    m_ui->endSessionEndpointEdit->setText(config.endSessionEndpoint.toString());
    m_ui->postLogoutRedirectUriEdit->setText(config.postLogoutRedirectUri.toString());
    m_ui->deviceEndpointEdit->setText(config.deviceAuthorizationEndpoint.toString());
    m_ui->backchannelEndpointEdit->setText(config.backchannelAuthenticationEndpoint.toString());
    m_ui->parEndpointEdit->setText(config.pushedAuthorizationRequestEndpoint.toString());
    m_ui->issPromisedCheck->setChecked(config.issuerInAuthorizationResponse);
    m_discovered = {config.idTokenSigningAlgorithms, config.authorizationSigningAlgorithms,
                    config.requestObjectEncryptionAlgorithms,
                    config.requestObjectEncryptionEncodings};
    m_ui->clientIdEdit->setText(config.clientId);
    m_ui->clientSecretEdit->setText(config.clientSecret);
    m_ui->authMethodCombo->setCurrentText(clientAuthMethodName(config.authMethod));
    m_privateKeyPem = config.privateKeyPem;
    m_decryptionKeyPem = config.decryptionKeyPem;
    m_ui->decryptionKeyIdEdit->setText(config.decryptionKeyId);
    m_ui->keyPassphraseEdit->setText(config.privateKeyPassphrase);
    m_ui->signingAlgorithmCombo->setCurrentText(config.signingAlgorithm);
    m_ui->keyIdEdit->setText(config.keyId);
    m_ui->scopeEdit->setText(config.scope);
    m_ui->redirectUriEdit->setText(config.redirectUri.toString());
    m_ui->pkceCheck->setChecked(config.usePkce);
    m_ui->pkceMethodCombo->setCurrentText(Pkce::methodName(config.pkceMethod));
    m_ui->extraParametersEdit->setPlainText(
        formatParameterLines(config.extraAuthorizationParameters));

    const int mode = m_ui->responseModeCombo->findText(config.responseMode);
    m_ui->responseModeCombo->setCurrentIndex(config.responseMode.isEmpty() || mode < 0 ? 0 : mode);
    m_ui->promptEdit->setText(config.prompt);
    m_ui->loginHintEdit->setText(config.loginHint);
    m_ui->cibaLoginHintEdit->setText(config.loginHint);
    m_ui->bindingMessageEdit->setText(config.bindingMessage);
    m_ui->maxAgeEdit->setText(config.maxAge);
    m_ui->acrValuesEdit->setText(config.acrValues);
    m_ui->claimsEdit->setPlainText(config.claims);
    m_ui->authorizationDetailsEdit->setPlainText(config.authorizationDetails);
    m_ui->resourceEdit->setText(config.resources.join(QLatin1Char(' ')));
    m_ui->audienceEdit->setText(config.audience);
    m_ui->parCheck->setChecked(config.usePar);
    m_ui->requestObjectCheck->setChecked(config.useRequestObject);
    // A value the app does not have stays visible (and validate() names it).
    if (m_ui->requestEncryptionAlgCombo->findData(config.requestObjectEncryptionAlg) < 0)
        m_ui->requestEncryptionAlgCombo->addItem(config.requestObjectEncryptionAlg,
                                                 config.requestObjectEncryptionAlg);
    m_ui->requestEncryptionAlgCombo->setCurrentIndex(
        m_ui->requestEncryptionAlgCombo->findData(config.requestObjectEncryptionAlg));
    if (m_ui->requestEncryptionEncCombo->findText(config.requestObjectEncryptionEnc) < 0)
        m_ui->requestEncryptionEncCombo->addItem(config.requestObjectEncryptionEnc);
    m_ui->requestEncryptionEncCombo->setCurrentText(config.requestObjectEncryptionEnc);

    m_ui->usernameEdit->setText(config.username);
    m_ui->passwordEdit->setText(config.password);
    m_ui->refreshTokenEdit->setText(config.refreshToken);
    m_ui->subjectTokenEdit->setText(config.subjectToken);
    m_ui->subjectTokenTypeCombo->setCurrentText(config.subjectTokenType);
    m_ui->actorTokenEdit->setText(config.actorToken);
    m_ui->actorTokenTypeCombo->setCurrentText(config.actorTokenType);
    m_ui->requestedTokenTypeCombo->setCurrentText(config.requestedTokenType);
    m_ui->assertionEdit->setText(config.assertion);
    m_ui->assertionSubjectEdit->setText(config.assertionSubject);

    m_ui->caBundleEdit->setText(config.tls.caBundlePath);
    m_ui->clientCertificateEdit->setText(config.tls.clientCertificatePath);
    m_ui->clientKeyEdit->setText(config.tls.clientKeyPath);
    m_ui->skipTlsCheck->setChecked(config.tls.skipVerification);
    m_ui->timeoutSpin->setValue(config.timeoutSeconds);
    m_ui->redirectWaitSpin->setValue(config.redirectWaitSeconds);
    if (!config.provider.isEmpty())
        listProviders();
    m_ui->providerCombo->setCurrentIndex(qMax(0, m_ui->providerCombo->findData(config.provider)));
    m_ui->dpopCheck->setChecked(config.useDpop);
    m_ui->dpopAlgorithmCombo->setCurrentText(config.dpopAlgorithm);
    m_dpopKeyPem = config.dpopKeyPem;
    m_dpopKeyAlgorithm = config.dpopAlgorithm;
    m_registrationClientUri = config.registrationClientUri;
    m_registrationAccessToken = config.registrationAccessToken;
    m_registeredClientId = config.clientId;
    // Open the sections that hold something, so nothing configured is out of sight.
    m_ui->requestOptionsButton->setChecked(
        !config.responseMode.isEmpty() || !config.prompt.isEmpty() || !config.loginHint.isEmpty() ||
        !config.maxAge.isEmpty() || !config.acrValues.isEmpty() || !config.claims.isEmpty() ||
        !config.resources.isEmpty() || !config.audience.isEmpty() || config.usePar ||
        config.useRequestObject);
    m_ui->tlsButton->setChecked(!config.tls.isDefault() ||
                                config.timeoutSeconds != ClientConfig{}.timeoutSeconds ||
                                config.redirectWaitSeconds != ClientConfig{}.redirectWaitSeconds ||
                                !config.provider.isEmpty() || config.useDpop);
}

void ClientForm::setGrant(GrantType grant)
{
    m_ui->grantCombo->setCurrentIndex(m_ui->grantCombo->findData(grantTypeName(grant)));
}

QString ClientForm::grantTitle() const
{
    return m_ui->grantCombo->currentText();
}

QStringList ClientForm::problems() const
{
    QStringList problems = config().validate();
    parseParameterLines(m_ui->extraParametersEdit->toPlainText(), &problems);
    return problems;
}

void ClientForm::applyMetadata(const ProviderMetadata &metadata)
{
    {
        const QScopedValueRollback<bool> batch(m_filling, true);
        fillEndpoints(metadata);
    }
    updateState();
}

void ClientForm::fillEndpoints(const ProviderMetadata &metadata)
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
    m_ui->endSessionEndpointEdit->setText(metadata.endSessionEndpoint.toString());
    m_ui->deviceEndpointEdit->setText(metadata.deviceAuthorizationEndpoint.toString());
    m_ui->backchannelEndpointEdit->setText(metadata.backchannelAuthenticationEndpoint.toString());
    m_ui->parEndpointEdit->setText(metadata.pushedAuthorizationRequestEndpoint.toString());
    m_ui->issPromisedCheck->setChecked(metadata.issParameterSupported);
    m_discovered = {metadata.idTokenSigningAlgValuesSupported,
                    metadata.authorizationSigningAlgValuesSupported,
                    metadata.requestObjectEncryptionAlgValuesSupported,
                    metadata.requestObjectEncryptionEncValuesSupported};
}

void ClientForm::setScope(const QString &scope)
{
    m_ui->scopeEdit->setText(scope);
}

void ClientForm::setTokenEndpoint(const QUrl &endpoint)
{
    m_ui->tokenEndpointEdit->setText(endpoint.toString());
}

QCheckBox *ClientForm::rememberSwitchFor(const QString &secretField) const
{
    if (secretField == QLatin1String("client_secret"))
        return m_ui->rememberSecretCheck;
    if (secretField == QLatin1String("private_key") ||
        secretField == QLatin1String("private_key_passphrase"))
        return m_ui->rememberKeyCheck;
    if (secretField == QLatin1String("decryption_key"))
        return m_ui->rememberDecryptionKeyCheck;
    if (secretField == QLatin1String("password"))
        return m_ui->rememberPasswordCheck;
    if (secretField == QLatin1String("refresh_token"))
        return m_ui->rememberRefreshTokenCheck;
    return nullptr;
}

bool ClientForm::remembers(const QString &secretField) const
{
    // A profile that uses DPoP keeps its key: tokens bound to it are only usable with it.
    if (secretField == QLatin1String("dpop_key"))
        return m_ui->dpopCheck->isChecked();
    // A registered client's profile keeps what manages its registration.
    if (secretField == QLatin1String("registration_access_token"))
        return !m_registrationClientUri.isEmpty();
    const QCheckBox *check = rememberSwitchFor(secretField);
    return check && check->isChecked();
}

void ClientForm::setRemembered(const QString &secretField, bool remember)
{
    if (QCheckBox *check = rememberSwitchFor(secretField))
        check->setChecked(remember);
}

void ClientForm::setSecret(const QString &secretField, const QString &value)
{
    if (secretField == QLatin1String("private_key"))
        setPrivateKeyPem(value);
    else if (secretField == QLatin1String("decryption_key"))
        setDecryptionKeyPem(value);
    else if (secretField == QLatin1String("private_key_passphrase"))
        m_ui->keyPassphraseEdit->setText(value);
    else if (secretField == QLatin1String("client_secret"))
        m_ui->clientSecretEdit->setText(value);
    else if (secretField == QLatin1String("password"))
        m_ui->passwordEdit->setText(value);
    else if (secretField == QLatin1String("refresh_token"))
        m_ui->refreshTokenEdit->setText(value);
    else if (secretField == QLatin1String("dpop_key"))
        m_dpopKeyPem = value; // made for the profile's DPoP algorithm, which fill() took
    else if (secretField == QLatin1String("registration_access_token"))
        m_registrationAccessToken = value;
}

void ClientForm::setDpopKey(const QString &pem, const QString &algorithm)
{
    m_dpopKeyPem = pem;
    m_dpopKeyAlgorithm = algorithm;
}

void ClientForm::setPrivateKeyPem(const QString &pem)
{
    m_privateKeyPem = pem;
    updateState();
}

void ClientForm::listProviders()
{
    if (m_providersListed)
        return;
    m_providersListed = true;
    for (const KnowledgeBase::Provider &provider : KnowledgeBase::builtIn().providers())
        m_ui->providerCombo->addItem(provider.name, provider.id);
}

std::optional<QString> ClientForm::readPemFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Failure::report(error, tr("Could not read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    constexpr qint64 kMaxPem = 64 * 1024;
    if (file.size() > kMaxPem) {
        Failure::report(
            error,
            tr("%1 is %2 KiB: too large for a PEM private key.").arg(path).arg(file.size() / 1024));
        return std::nullopt;
    }
    const QByteArray pem = file.readAll();
    if (!pem.contains("PRIVATE KEY-----")) {
        Failure::report(error, tr("%1 holds no PEM private key.").arg(path));
        return std::nullopt;
    }
    return QString::fromUtf8(pem);
}

bool ClientForm::loadPrivateKey(const QString &path, QString *error)
{
    const std::optional<QString> pem = readPemFile(path, error);
    if (pem)
        setPrivateKeyPem(*pem);
    return pem.has_value();
}

void ClientForm::setDecryptionKeyPem(const QString &pem)
{
    m_decryptionKeyPem = pem;
    updateState();
}

bool ClientForm::loadDecryptionKey(const QString &path, QString *error)
{
    const std::optional<QString> pem = readPemFile(path, error);
    if (pem)
        setDecryptionKeyPem(*pem);
    return pem.has_value();
}

void ClientForm::updateDecryptionKeyStatus()
{
    QLabel *status = m_ui->decryptionKeyStatusLabel;
    m_ui->clearDecryptionKeyButton->setEnabled(!m_decryptionKeyPem.isEmpty());
    if (m_decryptionKeyPem.isEmpty()) {
        status->setText(tr("none loaded"));
        status->setToolTip(tr("Without it, what the server encrypts to the client cannot be "
                              "opened."));
        return;
    }
    QString error;
    const DecryptionKey key = DecryptionKey::fromPem(m_decryptionKeyPem.toUtf8(), {}, {}, &error);
    // One short line; the whole story in the tooltip.
    status->setText(key.isValid() ? tr("✓ %1 key loaded").arg(key.describe())
                                  : tr("✗ not usable (see tooltip)"));
    status->setToolTip(key.isValid() ? tr("Opens %1.").arg(key.algorithms().join(", ")) : error);
}

void ClientForm::updateKeyStatus()
{
    if (m_privateKeyPem.isEmpty()) {
        m_ui->keyStatusLabel->setText(tr("no key loaded"));
        return;
    }
    QString error;
    const SigningKey key = SigningKey::fromPem(
        m_privateKeyPem.toUtf8(), m_ui->keyPassphraseEdit->text().toUtf8(),
        m_ui->signingAlgorithmCombo->currentText(), m_ui->keyIdEdit->text(), &error);
    m_ui->keyStatusLabel->setText(key.isValid() ? tr("✓ key loaded, signs %1").arg(key.algorithm())
                                                : QStringLiteral("✗ ") + error);
}

void ClientForm::updateState()
{
    if (m_filling)
        return; // the fill calls it once it is done
    GrantType grant = GrantType::AuthorizationCode;
    grantTypeFromName(m_ui->grantCombo->currentData().toString(), &grant);
    ClientAuthMethod method = ClientAuthMethod::ClientSecretBasic;
    clientAuthMethodFromName(m_ui->authMethodCombo->currentText(), &method);
    const bool browser = usesBrowser(grant);
    const bool withCode = grant == GrantType::AuthorizationCode || grant == GrantType::Hybrid;
    const bool usesSecret = method == ClientAuthMethod::ClientSecretBasic ||
                            method == ClientAuthMethod::ClientSecretPost ||
                            method == ClientAuthMethod::ClientSecretJwt;
    const bool signsWithKey = method == ClientAuthMethod::PrivateKeyJwt ||
                              m_ui->requestObjectCheck->isChecked() ||
                              grant == GrantType::JwtBearer;

    m_ui->grantNote->setText(grantDescription(grant));
    QFormLayout *form = m_ui->formLayout;
    form->setRowVisible(m_ui->authorizationEndpointEdit, browser);
    form->setRowVisible(m_ui->tokenEndpointEdit, grant != GrantType::Implicit);
    form->setRowVisible(m_ui->redirectUriEdit, browser);
    form->setRowVisible(m_ui->pkceLayout, withCode);
    form->setRowVisible(m_ui->extraParametersEdit, browser);
    form->setRowVisible(m_ui->authorizationDetailsLayout,
                        browser || grant == GrantType::ClientCredentials ||
                            grant == GrantType::Ciba);
    m_ui->requestOptionsButton->setVisible(browser);
    m_ui->requestOptions->setVisible(browser && m_ui->requestOptionsButton->isChecked());
    m_ui->moreEndpoints->setVisible(m_ui->moreEndpointsButton->isChecked());
    m_ui->tlsOptions->setVisible(m_ui->tlsButton->isChecked());
    form->setRowVisible(m_ui->secretLayout, usesSecret);
    // Mutual TLS needs the certificate from the TLS section: show it.
    if (method == ClientAuthMethod::TlsClientAuth && !m_ui->tlsButton->isChecked())
        m_ui->tlsButton->setChecked(true);
    m_ui->requestOptionsLayout->setRowVisible(m_ui->requestEncryptionLayout,
                                              m_ui->requestObjectCheck->isChecked());
    m_ui->requestEncryptionEncCombo->setEnabled(
        !m_ui->requestEncryptionAlgCombo->currentData().toString().isEmpty());
    form->setRowVisible(m_ui->privateKeyLayout, signsWithKey);
    form->setRowVisible(m_ui->keyOptionsLayout, signsWithKey);

    QWidget *page = m_ui->noInputsPage;
    if (grant == GrantType::Password)
        page = m_ui->passwordPage;
    else if (grant == GrantType::RefreshToken)
        page = m_ui->refreshPage;
    else if (grant == GrantType::TokenExchange)
        page = m_ui->exchangePage;
    else if (grant == GrantType::JwtBearer)
        page = m_ui->bearerPage;
    else if (grant == GrantType::Ciba)
        page = m_ui->cibaPage;
    m_ui->grantInputs->setCurrentWidget(page);
    form->setRowVisible(m_ui->grantInputs, page != m_ui->noInputsPage);

    m_ui->pkceMethodCombo->setEnabled(m_ui->pkceCheck->isChecked());
    m_ui->discoverButton->setEnabled(!m_ui->issuerEdit->text().trimmed().isEmpty());
    m_ui->clearKeyButton->setEnabled(!m_privateKeyPem.isEmpty());
    updateKeyStatus();
    updateDecryptionKeyStatus();

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
