#include "core/client/ClientConfig.h"

#include "core/client/AuthorizationDetails.h"
#include "core/client/ClientAssertion.h"

#include "core/jose/JwsSigner.h"
#include "core/listener/LoopbackAddress.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace workbench {

QString clientAuthMethodName(ClientAuthMethod method)
{
    switch (method) {
    case ClientAuthMethod::ClientSecretBasic:
        return QStringLiteral("client_secret_basic");
    case ClientAuthMethod::ClientSecretPost:
        return QStringLiteral("client_secret_post");
    case ClientAuthMethod::ClientSecretJwt:
        return QStringLiteral("client_secret_jwt");
    case ClientAuthMethod::PrivateKeyJwt:
        return QStringLiteral("private_key_jwt");
    case ClientAuthMethod::TlsClientAuth:
        return QStringLiteral("tls_client_auth");
    case ClientAuthMethod::None:
        return QStringLiteral("none");
    }
    return {};
}

QList<ClientAuthMethod> allClientAuthMethods()
{
    return {ClientAuthMethod::ClientSecretBasic, ClientAuthMethod::ClientSecretPost,
            ClientAuthMethod::ClientSecretJwt,   ClientAuthMethod::PrivateKeyJwt,
            ClientAuthMethod::TlsClientAuth,     ClientAuthMethod::None};
}

bool clientAuthMethodFromName(const QString &name, ClientAuthMethod *method)
{
    for (const auto candidate : allClientAuthMethods()) {
        if (clientAuthMethodName(candidate) == name) {
            *method = candidate;
            return true;
        }
    }
    return false;
}

QString grantTypeName(GrantType grant)
{
    switch (grant) {
    case GrantType::AuthorizationCode:
        return QStringLiteral("authorization_code");
    case GrantType::ClientCredentials:
        return QStringLiteral("client_credentials");
    case GrantType::DeviceCode:
        return QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");
    case GrantType::RefreshToken:
        return QStringLiteral("refresh_token");
    case GrantType::Password:
        return QStringLiteral("password");
    case GrantType::TokenExchange:
        return QStringLiteral("urn:ietf:params:oauth:grant-type:token-exchange");
    case GrantType::JwtBearer:
        return QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer");
    case GrantType::Implicit:
        return QStringLiteral("implicit");
    case GrantType::Hybrid:
        return QStringLiteral("hybrid");
    case GrantType::Ciba:
        return QStringLiteral("urn:openid:params:grant-type:ciba");
    }
    return {};
}

QList<GrantType> allGrantTypes()
{
    return {GrantType::AuthorizationCode,
            GrantType::ClientCredentials,
            GrantType::DeviceCode,
            GrantType::RefreshToken,
            GrantType::Password,
            GrantType::TokenExchange,
            GrantType::JwtBearer,
            GrantType::Implicit,
            GrantType::Hybrid,
            GrantType::Ciba};
}

bool grantTypeFromName(const QString &name, GrantType *grant)
{
    for (const auto candidate : allGrantTypes()) {
        if (grantTypeName(candidate) == name) {
            *grant = candidate;
            return true;
        }
    }
    return false;
}

bool usesBrowser(GrantType grant)
{
    return grant == GrantType::AuthorizationCode || grant == GrantType::Implicit ||
           grant == GrantType::Hybrid;
}

bool isDecoupled(GrantType grant)
{
    return grant == GrantType::DeviceCode || grant == GrantType::Ciba;
}

bool isLegacy(GrantType grant)
{
    return grant == GrantType::Password || grant == GrantType::Implicit;
}

static bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
}

static bool isPlainHttpElsewhere(const QUrl &url)
{
    return url.scheme() == QLatin1String("http") && !url.host().isEmpty() &&
           !LoopbackAddress::isLoopbackHost(url.host());
}

QStringList ClientConfig::validate() const
{
    QStringList problems;
    if (timeoutSeconds < 1 || timeoutSeconds > kMaxTimeoutSeconds)
        problems << QStringLiteral("The request timeout must be between 1 and %1 seconds.")
                        .arg(kMaxTimeoutSeconds);
    if (redirectWaitSeconds < 1 || redirectWaitSeconds > kMaxRedirectWaitSeconds)
        problems << QStringLiteral("The wait for the redirect must be between 1 and %1 seconds.")
                        .arg(kMaxRedirectWaitSeconds);
    problems << endpointProblems();
    if (clientId.trimmed().isEmpty())
        problems << QStringLiteral("The client ID is empty.");
    problems << authenticationProblems();
    if (usesBrowser(grant)) {
        QString why;
        if (!LoopbackAddress::isCapturable(redirectUri, &why))
            problems << why;
    }
    problems << grantProblems() << requestOptionProblems();
    return problems;
}

// The endpoints the grant and the options need.
QStringList ClientConfig::endpointProblems() const
{
    QStringList problems;
    if (usesBrowser(grant) && !isHttpUrl(authorizationEndpoint))
        problems << QStringLiteral("The authorization endpoint must be an http(s) URL.");
    if (grant != GrantType::Implicit && !isHttpUrl(tokenEndpoint))
        problems << QStringLiteral("The token endpoint must be an http(s) URL.");
    if (grant == GrantType::DeviceCode && !isHttpUrl(deviceAuthorizationEndpoint))
        problems << QStringLiteral("The device authorization endpoint must be an http(s) URL "
                                   "(discovery fills it in when the server has one).");
    if (grant == GrantType::Ciba && !isHttpUrl(backchannelAuthenticationEndpoint))
        problems << QStringLiteral("CIBA needs the backchannel authentication endpoint "
                                   "(discovery fills it in when the server has one).");
    if (usePar && usesBrowser(grant) && !isHttpUrl(pushedAuthorizationRequestEndpoint))
        problems << QStringLiteral("Pushed authorization requests need the server's "
                                   "pushed_authorization_request_endpoint.");
    return problems;
}

// The secret or key the client authentication (and a request object) needs.
QStringList ClientConfig::authenticationProblems() const
{
    QStringList problems;
    const bool usesSecret = authMethod == ClientAuthMethod::ClientSecretBasic ||
                            authMethod == ClientAuthMethod::ClientSecretPost ||
                            authMethod == ClientAuthMethod::ClientSecretJwt;
    if (usesSecret && clientSecret.isEmpty() && grant != GrantType::Implicit)
        problems << QStringLiteral("%1 needs a client secret (or choose \"none\" for a public "
                                   "client).")
                        .arg(clientAuthMethodName(authMethod));
    const bool needsKey =
        (authMethod == ClientAuthMethod::PrivateKeyJwt && grant != GrantType::Implicit) ||
        (useRequestObject && usesBrowser(grant) &&
         authMethod != ClientAuthMethod::ClientSecretJwt) ||
        (grant == GrantType::JwtBearer && assertion.trimmed().isEmpty());
    if (needsKey && !privateKeyPem.trimmed().isEmpty()) {
        QString why;
        if (!SigningKey::fromPem(privateKeyPem.toUtf8(), privateKeyPassphrase.toUtf8(),
                                 signingAlgorithm, keyId, &why)
                 .isValid())
            problems << why;
    }
    if (needsKey && privateKeyPem.trimmed().isEmpty())
        problems << QStringLiteral("A private key (PEM) is needed to sign %1.")
                        .arg(authMethod == ClientAuthMethod::PrivateKeyJwt
                                 ? QStringLiteral("the private_key_jwt client assertion")
                             : grant == GrantType::JwtBearer
                                 ? QStringLiteral("the JWT bearer assertion")
                                 : QStringLiteral("the request object"));
    if (useDpop && !SigningKey::privateKeyAlgorithms().contains(dpopAlgorithm))
        problems << QStringLiteral("The DPoP key's algorithm must be one of %1.")
                        .arg(SigningKey::privateKeyAlgorithms().join(QStringLiteral(", ")));
    else if (useDpop && !dpopKeyPem.trimmed().isEmpty()) {
        QString why;
        if (!SigningKey::fromPem(dpopKeyPem.toUtf8(), {}, dpopAlgorithm, {}, &why).isValid())
            problems << QStringLiteral("The DPoP key cannot be used: %1").arg(why);
    }
    if (!decryptionKeyPem.trimmed().isEmpty()) {
        QString why;
        if (!DecryptionKey::fromPem(decryptionKeyPem.toUtf8(), {}, decryptionKeyId, &why).isValid())
            problems << QStringLiteral("The decryption key cannot be used: %1").arg(why);
    }
    problems << requestEncryptionProblems();
    if (authMethod == ClientAuthMethod::TlsClientAuth &&
        (tls.clientCertificatePath.isEmpty() || tls.clientKeyPath.isEmpty()))
        problems << QStringLiteral("tls_client_auth needs a client certificate and its key (TLS "
                                   "settings).");
    return problems;
}

// What an encrypted request object needs: algorithms the app has, and the server's JWKS or the
// client secret to encrypt to.
QStringList ClientConfig::requestEncryptionProblems() const
{
    if (!encryptsRequestObject())
        return {};
    const QString alg = requestObjectEncryptionAlg.trimmed();
    const QString enc = requestObjectEncryptionEnc.trimmed();
    QStringList problems;
    if (!Jwe::keyManagementAlgorithms().contains(alg))
        problems << QStringLiteral("The request object's encryption alg must be one of %1.")
                        .arg(Jwe::keyManagementAlgorithms().join(QStringLiteral(", ")));
    if (!Jwe::contentEncryptionAlgorithms().contains(enc))
        problems << QStringLiteral("The request object's encryption enc must be one of %1.")
                        .arg(Jwe::contentEncryptionAlgorithms().join(QStringLiteral(", ")));
    if (!problems.isEmpty())
        return problems;
    if (Jwe::keyTypeFor(alg) == QLatin1String("oct")) {
        if (clientSecret.isEmpty())
            problems << QStringLiteral("Encrypting the request object with %1 needs the client "
                                       "secret: the key is derived from it (OIDC Core §10.2).")
                            .arg(alg);
    } else if (!jwksUri.isValid() || jwksUri.isEmpty()) {
        problems << QStringLiteral("Encrypting the request object with %1 needs the server's "
                                   "JWKS URI, where its encryption key is published.")
                        .arg(alg);
    }
    return problems;
}

// The grant's own input.
QStringList ClientConfig::grantProblems() const
{
    QStringList problems;
    switch (grant) {
    case GrantType::Password:
        if (username.isEmpty())
            problems << QStringLiteral("The password grant needs a username.");
        break;
    case GrantType::RefreshToken:
        if (refreshToken.trimmed().isEmpty())
            problems << QStringLiteral("Paste the refresh token to redeem.");
        break;
    case GrantType::TokenExchange:
        if (subjectToken.trimmed().isEmpty() || subjectTokenType.trimmed().isEmpty())
            problems << QStringLiteral("Token exchange needs a subject token and its type.");
        if (!actorToken.trimmed().isEmpty() && actorTokenType.trimmed().isEmpty())
            problems << QStringLiteral(
                "An actor token needs its actor_token_type (RFC 8693 §2.1).");
        break;
    case GrantType::Ciba:
        if (loginHint.trimmed().isEmpty())
            problems << QStringLiteral("CIBA needs a login hint: who should approve the request "
                                       "on their own device.");
        if (!wantsOpenId())
            problems << QStringLiteral("CIBA requests are OpenID Connect requests: the scope "
                                       "must include openid (CIBA Core §7.1).");
        break;
    case GrantType::JwtBearer:
        if (assertion.trimmed().isEmpty() && assertionSubject.trimmed().isEmpty())
            problems << QStringLiteral("Paste an assertion, or give the subject of the assertion "
                                       "the app signs with the client key.");
        break;
    default:
        break;
    }
    return problems;
}

// max_age and claims, when given.
QStringList ClientConfig::requestOptionProblems() const
{
    QStringList problems;
    if (!maxAge.isEmpty()) {
        bool ok = false;
        if (maxAge.toUInt(&ok), !ok)
            problems << QStringLiteral("max_age must be a whole number of seconds.");
    }
    problems << AuthorizationDetails::problems(authorizationDetails);
    // A signed response whose signature cannot be checked proves nothing (JARM §2.4).
    if (usesBrowser(grant) && wantsJwtResponse() && !isHttpUrl(jwksUri))
        problems << QStringLiteral("A JWT response mode (%1) needs the issuer's JWKS URI to check "
                                   "the response's signature; use Discover or fill it in.")
                        .arg(responseMode.trimmed());
    if (!claims.trimmed().isEmpty()) {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(claims.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            problems << QStringLiteral("The claims parameter must be a JSON object (OIDC Core "
                                       "§5.5).");
    }
    return problems;
}

QStringList ClientConfig::warnings() const
{
    QStringList notes;
    if (isLegacy(grant))
        notes << (grant == GrantType::Password
                      ? QStringLiteral("The password grant is legacy: the client sees the "
                                       "person's password, and it cannot do multi-factor or "
                                       "federated sign-in. The OAuth 2.0 Security BCP (RFC 9700 "
                                       "§2.4) says not to use it.")
                      : QStringLiteral("The implicit grant is legacy: tokens travel in the "
                                       "browser's address bar and history and cannot be bound to "
                                       "the client. Prefer the code flow with PKCE (RFC 9700 "
                                       "§2.1.2)."));
    if (grant == GrantType::AuthorizationCode || grant == GrantType::Hybrid) {
        if (usePkce && pkceMethod == Pkce::Method::Plain)
            notes << QStringLiteral("PKCE method \"plain\" sends the verifier itself as the "
                                    "challenge; use S256 unless the server cannot do it.");
        if (!usePkce && authMethod == ClientAuthMethod::None)
            notes << QStringLiteral("A public client without PKCE: anyone who intercepts the code "
                                    "can redeem it. Most servers require PKCE here.");
    }
    if (grant == GrantType::Ciba && authMethod == ClientAuthMethod::None)
        notes << QStringLiteral("CIBA is for confidential clients: the backchannel request must "
                                "authenticate the client (CIBA Core §7.1), so expect "
                                "invalid_client with \"none\".");
    if (usesBrowser(grant)) {
        if (redirectUri.host() == QLatin1String("localhost"))
            notes << QStringLiteral(
                "RFC 8252 §7.3 recommends 127.0.0.1 over \"localhost\"; some servers "
                "refuse localhost redirect URIs.");
        if (isPlainHttpElsewhere(redirectUri))
            notes << QStringLiteral("The redirect URI uses plain http on a non-loopback host: the "
                                    "code or tokens would cross the network unencrypted.");
        if (isPlainHttpElsewhere(authorizationEndpoint))
            notes << QStringLiteral(
                "The authorization endpoint uses plain http on a non-loopback host.");
    }
    // What discovery says the server opens, against what the request object is encrypted with.
    const std::pair<QString, const QStringList *> encryption[] = {
        {requestObjectEncryptionAlg.trimmed(), &requestObjectEncryptionAlgorithms},
        {requestObjectEncryptionEnc.trimmed(), &requestObjectEncryptionEncodings}};
    for (const auto &[chosen, listed] : encryption) {
        if (encryptsRequestObject() && !listed->isEmpty() && !listed->contains(chosen))
            notes << QStringLiteral("The server lists %1 for encrypted request objects; %2 is not "
                                    "among them, so expect invalid_request_object.")
                         .arg(listed->join(QStringLiteral(", ")), chosen);
    }
    if (isPlainHttpElsewhere(tokenEndpoint))
        notes << QStringLiteral("The token endpoint uses plain http on a non-loopback host: the "
                                "client secret and tokens cross the network unencrypted.");
    if (tls.skipVerification)
        notes << QStringLiteral("TLS certificate verification is OFF for this profile: anyone on "
                                "the path can read and change every request, secrets included.");
    return notes;
}

namespace {
// Where each secret field lives in a ClientConfig.
QString ClientConfig::*secretMember(const QString &name)
{
    static const std::pair<const char *, QString ClientConfig::*> members[] = {
        {"client_secret", &ClientConfig::clientSecret},
        {"private_key", &ClientConfig::privateKeyPem},
        {"private_key_passphrase", &ClientConfig::privateKeyPassphrase},
        {"password", &ClientConfig::password},
        {"refresh_token", &ClientConfig::refreshToken},
        {"subject_token", &ClientConfig::subjectToken},
        {"actor_token", &ClientConfig::actorToken},
        {"assertion", &ClientConfig::assertion},
        {"dpop_key", &ClientConfig::dpopKeyPem},
        {"decryption_key", &ClientConfig::decryptionKeyPem},
        {"registration_access_token", &ClientConfig::registrationAccessToken}};
    for (const auto &[fieldName, member] : members) {
        if (name == QLatin1String(fieldName))
            return member;
    }
    return nullptr;
}
} // namespace

QStringList ClientConfig::secretFieldNames()
{
    return {QStringLiteral("client_secret"),
            QStringLiteral("private_key"),
            QStringLiteral("private_key_passphrase"),
            QStringLiteral("password"),
            QStringLiteral("refresh_token"),
            QStringLiteral("subject_token"),
            QStringLiteral("actor_token"),
            QStringLiteral("assertion"),
            QStringLiteral("dpop_key"),
            QStringLiteral("decryption_key"),
            QStringLiteral("registration_access_token")};
}

QString ClientConfig::secretField(const QString &name) const
{
    const auto member = secretMember(name);
    return member ? this->*member : QString();
}

void ClientConfig::setSecretField(const QString &name, const QString &value)
{
    if (const auto member = secretMember(name))
        this->*member = value;
}

ClientConfig ClientConfig::withoutSecrets() const
{
    ClientConfig copy = *this;
    for (const QString &name : secretFieldNames())
        copy.setSecretField(name, {});
    return copy;
}

bool ClientConfig::wantsOpenId() const
{
    return scope.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(QLatin1String("openid"));
}

QStringList ClientConfig::responseModes()
{
    return {QStringLiteral("query"),        QStringLiteral("fragment"),
            QStringLiteral("form_post"),    QStringLiteral("jwt"),
            QStringLiteral("query.jwt"),    QStringLiteral("fragment.jwt"),
            QStringLiteral("form_post.jwt")};
}

DecryptionKey ClientConfig::decryptionKey() const
{
    if (decryptionKeyPem.trimmed().isEmpty())
        return {};
    QString ignored; // validate() reports it
    return DecryptionKey::fromPem(decryptionKeyPem.toUtf8(), {}, decryptionKeyId, &ignored);
}

QJsonObject ClientConfig::publicJwks() const
{
    QJsonArray keys;
    const bool signs = authMethod == ClientAuthMethod::PrivateKeyJwt || useRequestObject;
    if (signs) {
        if (const SigningKey key = ClientAssertion::privateKey(*this, nullptr); key.isValid())
            keys.append(key.publicJwk());
    }
    if (const DecryptionKey key = decryptionKey(); key.isValid())
        keys.append(key.publicJwk());
    return {{"keys", keys}};
}

bool ClientConfig::encryptsRequestObject() const
{
    return useRequestObject && usesBrowser(grant) &&
           !requestObjectEncryptionAlg.trimmed().isEmpty();
}

bool ClientConfig::wantsJwtResponse() const
{
    const QString mode = responseMode.trimmed();
    return mode == QLatin1String("jwt") || mode.endsWith(QLatin1String(".jwt"));
}

FormFields parseParameterLines(const QString &text, QStringList *errors)
{
    FormFields fields;
    int lineNumber = 0;
    for (const QString &rawLine : text.split(QLatin1Char('\n'))) {
        ++lineNumber;
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            if (errors)
                *errors << QStringLiteral("Line %1: expected name=value, got \"%2\".")
                               .arg(lineNumber)
                               .arg(line);
            continue;
        }
        fields.append({line.left(eq).trimmed(), line.mid(eq + 1).trimmed()});
    }
    return fields;
}

QString formatParameterLines(const FormFields &fields)
{
    QStringList lines;
    for (const auto &field : fields)
        lines << field.first + QLatin1Char('=') + field.second;
    return lines.join(QLatin1Char('\n'));
}

} // namespace workbench
