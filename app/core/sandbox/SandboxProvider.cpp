#include "core/sandbox/SandboxProvider.h"

#include "core/diagnosis/ProviderIdentifier.h"

#include "core/client/Pkce.h"
#include "core/client/TokenRequest.h"
#include "core/listener/LoopbackAddress.h"
#include "core/sandbox/SandboxPages.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/util/SecureRandom.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench {

namespace {
const QStringList kKnownScopes{QStringLiteral("openid"), QStringLiteral("profile"),
                               QStringLiteral("email"), QStringLiteral("offline_access")};

QString value(const FormFields &fields, const char *name)
{
    return FormEncoding::value(fields, QString::fromLatin1(name));
}

bool hasScope(const QString &scope, const char *name)
{
    return scope.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(QLatin1String(name));
}

SandboxResponse json(int status, const QJsonObject &object)
{
    return SandboxResponse::json(status, object);
}

SandboxResponse oauthError(int status, const QString &error, const QString &description,
                           HttpHeaders extra = {})
{
    return SandboxResponse::oauthError(status, error, description, std::move(extra));
}

// A scope that names only what the sandbox knows (its own and the trigger scopes); else the
// first unknown item.
QString unknownScopeIn(const QString &scope)
{
    for (const QString &item : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!kKnownScopes.contains(item) && !item.startsWith(QLatin1String("sandbox:")))
            return item;
    }
    return {};
}
} // namespace

SandboxProvider::SandboxProvider(QObject *parent)
    : QObject(parent),
      m_http(new SandboxHttpServer(
          [this](const HttpRequestParser::Request &request) { return route(request); }, this)),
      m_clients{
          {QString::fromLatin1(kPublicClientId), {}},
          {QString::fromLatin1(kConfidentialClientId), QString::fromLatin1(kConfidentialSecret)}}
{
    connect(m_http, &SandboxHttpServer::requestHandled, this, &SandboxProvider::requestHandled);
}

SandboxProvider::~SandboxProvider() = default;

QString SandboxProvider::issuer() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_http->port());
}

QUrl SandboxProvider::endpoint(const QString &path) const
{
    return QUrl(issuer() + path);
}

ClientConfig SandboxProvider::clientConfig(bool confidential) const
{
    ClientConfig config;
    config.issuer = QUrl(issuer());
    config.authorizationEndpoint = endpoint(QStringLiteral("/authorize"));
    config.tokenEndpoint = endpoint(QStringLiteral("/token"));
    config.jwksUri = endpoint(QStringLiteral("/jwks"));
    config.userinfoEndpoint = endpoint(QStringLiteral("/userinfo"));
    config.introspectionEndpoint = endpoint(QStringLiteral("/introspect"));
    config.revocationEndpoint = endpoint(QStringLiteral("/revoke"));
    config.deviceAuthorizationEndpoint = endpoint(QStringLiteral("/device_authorization"));
    config.issuerInAuthorizationResponse = true;
    config.idTokenSigningAlgorithms = {QString::fromLatin1(kSigningAlgorithm)};
    config.clientId = QString::fromLatin1(confidential ? kConfidentialClientId : kPublicClientId);
    config.clientSecret = confidential ? QString::fromLatin1(kConfidentialSecret) : QString();
    config.authMethod = confidential ? ClientAuthMethod::ClientSecretBasic : ClientAuthMethod::None;
    config.scope = QStringLiteral("openid profile email offline_access");
    config.usePkce = true;
    return config;
}

SandboxResponse SandboxProvider::route(const HttpRequestParser::Request &request)
{
    const QByteArray path = request.path();
    const QByteArray method = request.method;
    const FormFields query = FormEncoding::decode(request.query());
    const FormFields form = FormEncoding::decode(request.body);
    if (path == "/.well-known/openid-configuration" && method == "GET")
        return discovery();
    if ((path == "/jwks" || path == "/token") && !m_signer.ready())
        return oauthError(500, QStringLiteral("server_error"),
                          QStringLiteral("OpenSSL could not make the sandbox's signing key"));
    if (path == "/jwks" && method == "GET")
        return json(200, m_signer.jwks());
    if (path == "/authorize" && method == "GET")
        return authorize(query);
    if (path == "/authorize" && method == "POST")
        return decide(form);
    if (path == "/token") {
        if (method != "POST")
            return oauthError(405, QStringLiteral("invalid_request"),
                              QStringLiteral("The token endpoint takes POST only"),
                              {{"Allow", "POST"}});
        return token(request, form);
    }
    if (path == "/device_authorization" && method == "POST")
        return deviceAuthorization(request, form);
    if (path == "/device" && method == "GET")
        return devicePage(query);
    if (path == "/device" && method == "POST")
        return deviceDecide(form);
    if (path == "/userinfo" && (method == "GET" || method == "POST"))
        return userInfo(request);
    if (path == "/introspect" && method == "POST")
        return introspect(request, form);
    if (path == "/revoke" && method == "POST")
        return revoke(request, form);
    return oauthError(404, QStringLiteral("not_found"),
                      QStringLiteral("The sandbox has no %1 %2")
                          .arg(QString::fromLatin1(method), QString::fromLatin1(path)));
}

SandboxResponse SandboxProvider::discovery() const
{
    const auto url = [this](const char *path) {
        return endpoint(QString::fromLatin1(path)).toString();
    };
    return json(
        200, QJsonObject{{"issuer", issuer()},
                         {"authorization_endpoint", url("/authorize")},
                         {"token_endpoint", url("/token")},
                         {"userinfo_endpoint", url("/userinfo")},
                         {"jwks_uri", url("/jwks")},
                         {"introspection_endpoint", url("/introspect")},
                         {"revocation_endpoint", url("/revoke")},
                         {"device_authorization_endpoint", url("/device_authorization")},
                         {"scopes_supported", QJsonArray::fromStringList(kKnownScopes)},
                         {"response_types_supported", QJsonArray{"code"}},
                         {"response_modes_supported", QJsonArray{"query"}},
                         {"grant_types_supported",
                          QJsonArray{"authorization_code", "refresh_token", "client_credentials",
                                     "urn:ietf:params:oauth:grant-type:device_code"}},
                         {"code_challenge_methods_supported", QJsonArray{"S256"}},
                         {"token_endpoint_auth_methods_supported",
                          QJsonArray{"client_secret_basic", "client_secret_post", "none"}},
                         {"id_token_signing_alg_values_supported", QJsonArray{kSigningAlgorithm}},
                         {"subject_types_supported", QJsonArray{"public"}},
                         {"claims_supported", QJsonArray{"sub", "name", "preferred_username",
                                                         "email", "email_verified"}},
                         {"authorization_response_iss_parameter_supported", true}});
}

SandboxResponse SandboxProvider::authorize(const FormFields &query)
{
    const QString clientId = value(query, "client_id");
    const QString redirectUri = value(query, "redirect_uri");
    bool knownClient = false;
    bool publicClient = false;
    for (const Client &client : m_clients) {
        if (client.id == clientId) {
            knownClient = true;
            publicClient = client.secret.isEmpty();
        }
    }
    // Without a known client and a loopback redirect URI nothing may be redirected (RFC 6749
    // §4.1.2.1): the person gets a page.
    if (!knownClient)
        return SandboxPages::unknownClient(clientId, QString::fromLatin1(kPublicClientId),
                                           QString::fromLatin1(kConfidentialClientId));
    const QUrl redirect(redirectUri, QUrl::StrictMode);
    if (!redirect.isValid() || redirect.scheme() != QLatin1String("http") ||
        !LoopbackAddress::isLoopbackHost(redirect.host()))
        return SandboxPages::redirectNotAllowed(redirectUri);

    const QString state = value(query, "state");
    const auto fail = [&](const QString &error, const QString &description,
                          const QString &imitates = {}) {
        FormFields parameters{{QStringLiteral("error"), error},
                              {QStringLiteral("error_description"), description}};
        if (!state.isEmpty())
            parameters.append({QStringLiteral("state"), state});
        parameters.append({QStringLiteral("iss"), issuer()});
        if (!imitates.isEmpty())
            parameters.append(
                {QString::fromLatin1(ProviderIdentifier::kSandboxImitatesParameter), imitates});
        return SandboxResponse::redirectTo(redirectUri, parameters);
    };
    const QString scope = value(query, "scope");
    if (const SandboxTrigger *trigger =
            SandboxTriggers::find(scope, SandboxTrigger::Where::Authorize)) {
        // A page of its own instead of the redirect, as providers answer a bad redirect URI.
        if (trigger->redirectError.isEmpty())
            return SandboxResponse::fromTrigger(*trigger);
        return fail(trigger->redirectError, trigger->redirectDescription, trigger->imitates);
    }
    if (value(query, "response_type") != QLatin1String("code"))
        return fail(QStringLiteral("unsupported_response_type"),
                    QStringLiteral("response_type must be code"));
    const QString challenge = value(query, "code_challenge");
    const QString method = value(query, "code_challenge_method");
    if (!challenge.isEmpty() && !method.isEmpty() && method != QLatin1String("S256"))
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("code_challenge_method must be S256"));
    if (!challenge.isEmpty() && method.isEmpty())
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("code_challenge_method must be S256 (it defaults to plain "
                                   "when left out)"));
    if (publicClient && challenge.isEmpty())
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("PKCE is required for public clients: code_challenge is "
                                   "missing"));
    if (const QString unknown = unknownScopeIn(scope); !unknown.isEmpty())
        return fail(QStringLiteral("invalid_scope"),
                    QStringLiteral("Unknown scope: %1").arg(unknown));

    const QString id = QString::fromLatin1(SecureRandom::urlSafeToken(16));
    m_state.addPending(
        id, {clientId, redirectUri, scope, state, value(query, "nonce"), challenge, clock().now()});
    return SandboxPages::signIn(clientId, scope, id);
}

SandboxResponse SandboxProvider::decide(const FormFields &form)
{
    const QString id = value(form, "request");
    const std::optional<PendingAuthorization> pending = m_state.takePending(id);
    if (!pending)
        return SandboxPages::unknownSignIn();
    const PendingAuthorization &request = *pending;
    FormFields parameters;
    if (value(form, "decision") == QLatin1String("deny")) {
        parameters = {
            {QStringLiteral("error"), QStringLiteral("access_denied")},
            {QStringLiteral("error_description"), QStringLiteral("The user denied the request")}};
    } else {
        const QString code = QString::fromLatin1(SecureRandom::urlSafeToken(32));
        QString subject = value(form, "login").trimmed();
        if (subject.isEmpty())
            subject = QStringLiteral("demo");
        m_state.addCode(code, {request, subject, clock().now(), false, {}});
        parameters = {{QStringLiteral("code"), code}};
    }
    if (!request.state.isEmpty())
        parameters.append({QStringLiteral("state"), request.state});
    parameters.append({QStringLiteral("iss"), issuer()});
    return SandboxResponse::redirectTo(request.redirectUri, parameters);
}

const SandboxProvider::Client *
SandboxProvider::authenticate(const HttpRequestParser::Request &request, const FormFields &form,
                              Response *error) const
{
    const QByteArray authorization = request.header("Authorization");
    QString id;
    QString secret;
    bool hasSecret = false;
    const bool basic = authorization.startsWith("Basic ");
    if (basic) {
        const auto credentials = TokenRequest::parseBasicAuthorization(authorization);
        if (!credentials) {
            *error = oauthError(401, QStringLiteral("invalid_client"),
                                QStringLiteral("The Basic credentials are not base64(id:secret)"),
                                {{"WWW-Authenticate", "Basic realm=\"sandbox\""}});
            return nullptr;
        }
        // RFC 6749 §2.3.1: each half is form-encoded.
        id = FormEncoding::decodeComponent(credentials->id);
        secret = FormEncoding::decodeComponent(credentials->secret);
        hasSecret = true;
        if (FormEncoding::contains(form, QStringLiteral("client_secret"))) {
            *error = oauthError(400, QStringLiteral("invalid_request"),
                                QStringLiteral("The client authenticated twice (Basic header "
                                               "and client_secret)"));
            return nullptr;
        }
    } else {
        id = value(form, "client_id");
        hasSecret = FormEncoding::contains(form, QStringLiteral("client_secret"));
        secret = value(form, "client_secret");
    }
    const HttpHeaders challenge =
        basic ? HttpHeaders{{"WWW-Authenticate", "Basic realm=\"sandbox\""}} : HttpHeaders{};
    for (const Client &client : m_clients) {
        if (client.id != id)
            continue;
        if (client.secret.isEmpty() && !hasSecret)
            return &client;
        if (!client.secret.isEmpty() && hasSecret && client.secret == secret)
            return &client;
        *error = oauthError(401, QStringLiteral("invalid_client"),
                            client.secret.isEmpty()
                                ? QStringLiteral("This is a public client: it sends no secret")
                            : !hasSecret ? QStringLiteral("Client authentication is missing")
                                         : QStringLiteral("Client authentication failed"),
                            challenge);
        return nullptr;
    }
    *error = oauthError(401, QStringLiteral("invalid_client"),
                        id.isEmpty() ? QStringLiteral("No client_id and no Basic credentials")
                                     : QStringLiteral("Unknown client"),
                        challenge);
    return nullptr;
}

SandboxResponse SandboxProvider::token(const HttpRequestParser::Request &request,
                                       const FormFields &form)
{
    const QString grantType = value(form, "grant_type");
    // The scope the request works under, for the error triggers.
    QString scope = value(form, "scope");
    const SandboxGrants::Code *code = m_state.findCode(value(form, "code"));
    const IssuedToken *refresh = m_state.findToken(value(form, "refresh_token"));
    if (grantType == QLatin1String("authorization_code") && code)
        scope = code->request.scope;
    else if (grantType == QLatin1String("refresh_token") && refresh)
        scope = refresh->scope;
    else if (const SandboxDeviceCodes::Entry *device = m_devices.find(value(form, "device_code")))
        scope = device->scope;
    const auto stage = grantType == QLatin1String("refresh_token") ? SandboxTrigger::Where::Refresh
                       : grantType == QLatin1String("password")    ? SandboxTrigger::Where::Password
                                                                   : SandboxTrigger::Where::Token;
    if (const SandboxTrigger *trigger = SandboxTriggers::find(scope, stage))
        return SandboxResponse::fromTrigger(*trigger);

    if (!request.header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded"))
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("The body must be application/x-www-form-urlencoded"));
    Response error;
    const Client *client = authenticate(request, form, &error);
    if (!client)
        return error;
    if (grantType.isEmpty())
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("grant_type is missing"));

    if (grantType == QLatin1String("authorization_code"))
        return codeGrant(*client, form);
    if (grantType == QLatin1String("refresh_token"))
        return refreshGrant(*client, form);
    if (grantType == QLatin1String("client_credentials"))
        return clientCredentialsGrant(*client, scope);
    if (grantType == grantTypeName(GrantType::DeviceCode))
        return deviceToken(*client, form);
    return oauthError(400, QStringLiteral("unsupported_grant_type"),
                      QStringLiteral("The sandbox does not support grant_type %1").arg(grantType));
}

SandboxResponse SandboxProvider::codeGrant(const Client &client, const FormFields &form)
{
    SandboxGrants::Code *code = m_state.findCode(value(form, "code"));
    if (!code)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("Unknown authorization code"));
    if (code->used) {
        for (const QString &issued : std::as_const(code->issuedTokens)) {
            m_state.revokeToken(issued);
        }
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The authorization code was already used; the tokens "
                                         "issued with it are now revoked"));
    }
    if (code->issuedAt.secsTo(clock().now()) > m_codeLifetime)
        return oauthError(
            400, QStringLiteral("invalid_grant"),
            QStringLiteral("Expired authorization code (codes live %1 s)").arg(m_codeLifetime));
    if (code->request.clientId != client.id)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The code was issued to another client"));
    if (value(form, "redirect_uri") != code->request.redirectUri)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("redirect_uri does not match the one of the "
                                         "authorization request"));
    const QString verifier = value(form, "code_verifier");
    if (!code->request.codeChallenge.isEmpty()) {
        if (verifier.isEmpty())
            return oauthError(400, QStringLiteral("invalid_grant"),
                              QStringLiteral("code_verifier is missing (PKCE)"));
        if (Pkce::challengeFor(verifier.toLatin1(), Pkce::Method::S256) !=
            code->request.codeChallenge.toLatin1())
            return oauthError(400, QStringLiteral("invalid_grant"),
                              QStringLiteral("PKCE verification failed: the code_verifier "
                                             "does not match the code_challenge"));
    } else if (!verifier.isEmpty()) {
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("code_verifier sent, but the authorization request "
                                         "had no code_challenge"));
    }
    code->used = true;
    const int grant = m_state.addGrant({client.id, code->subject, code->request.scope,
                                        code->request.nonce, code->issuedAt, false});
    Response response =
        issueTokens(grant, client.id, code->request.scope, code->request.nonce, true);
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    code->issuedTokens << body.value(QLatin1String("access_token")).toString()
                       << body.value(QLatin1String("refresh_token")).toString();
    return response;
}

SandboxResponse SandboxProvider::refreshGrant(const Client &client, const FormFields &form)
{
    IssuedToken *refresh = m_state.findToken(value(form, "refresh_token"));
    if (!refresh || refresh->kind != IssuedToken::Kind::Refresh || refresh->revoked ||
        m_state.grant(refresh->grant).revoked)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("Invalid refresh token"));
    if (refresh->clientId != client.id)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The refresh token was issued to another client"));
    if (refresh->rotated) {
        // Reuse of a rotated refresh token: someone holds a copy. Revoke the whole grant.
        m_state.grant(refresh->grant).revoked = true;
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The refresh token was already used (it rotates on "
                                         "each use); the grant is now revoked"));
    }
    refresh->rotated = true;
    const Grant &grant = m_state.grant(refresh->grant);
    return issueTokens(refresh->grant, client.id, grant.scope, grant.nonce, true);
}

SandboxResponse SandboxProvider::clientCredentialsGrant(const Client &client, const QString &scope)
{
    if (client.secret.isEmpty())
        return oauthError(400, QStringLiteral("unauthorized_client"),
                          QStringLiteral("Public clients may not use client_credentials"));
    QStringList allowed;
    for (const QString &item : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (item != QLatin1String("openid") && item != QLatin1String("offline_access"))
            allowed << item;
    }
    const int grant = m_state.addGrant(
        {client.id, client.id, allowed.join(QLatin1Char(' ')), {}, clock().now(), false});
    return issueTokens(grant, client.id, allowed.join(QLatin1Char(' ')), {}, false);
}

SandboxResponse SandboxProvider::deviceAuthorization(const HttpRequestParser::Request &request,
                                                     const FormFields &form)
{
    Response error;
    const Client *client = authenticate(request, form, &error);
    if (!client)
        return error;
    const QString scope = value(form, "scope");
    if (const QString unknown = unknownScopeIn(scope); !unknown.isEmpty())
        return oauthError(400, QStringLiteral("invalid_scope"),
                          QStringLiteral("Unknown scope: %1").arg(unknown));
    const QString deviceCode = m_devices.issue(client->id, scope, clock().now());
    const QString userCode = m_devices.find(deviceCode)->userCode;
    QUrl complete = endpoint(QStringLiteral("/device"));
    complete.setQuery(QStringLiteral("user_code=") + userCode);
    return json(200,
                QJsonObject{{"device_code", deviceCode},
                            {"user_code", userCode},
                            {"verification_uri", endpoint(QStringLiteral("/device")).toString()},
                            {"verification_uri_complete", complete.toString()},
                            {"expires_in", m_devices.lifetimeSeconds()},
                            {"interval", m_devices.intervalSeconds()}});
}

SandboxResponse SandboxProvider::devicePage(const FormFields &query)
{
    const QString userCode = SandboxDeviceCodes::normalizedUserCode(value(query, "user_code"));
    const SandboxDeviceCodes::Entry *entry = m_devices.findByUserCode(userCode, clock().now());
    return entry ? SandboxPages::device(userCode, entry->clientId, entry->scope)
                 : SandboxPages::device(userCode, {}, {});
}

SandboxResponse SandboxProvider::deviceDecide(const FormFields &form)
{
    QString subject = value(form, "login").trimmed();
    if (subject.isEmpty())
        subject = QStringLiteral("demo");
    const bool approve = value(form, "decision") != QLatin1String("deny");
    if (!m_devices.decide(value(form, "user_code"), approve, subject, clock().now()))
        return SandboxPages::unknownDeviceCode();
    return SandboxPages::deviceDecided(approve);
}

SandboxResponse SandboxProvider::deviceToken(const Client &client, const FormFields &form)
{
    const QString deviceCode = value(form, "device_code");
    using Verdict = SandboxDeviceCodes::Verdict;
    switch (m_devices.poll(deviceCode, client.id, clock().now())) {
    case Verdict::Pending:
        return oauthError(400, QStringLiteral("authorization_pending"),
                          QStringLiteral("The user has not entered the code yet"));
    case Verdict::SlowDown:
        return oauthError(400, QStringLiteral("slow_down"),
                          QStringLiteral("Polling too fast: wait %1 s between polls")
                              .arg(m_devices.find(deviceCode)->intervalSeconds));
    case Verdict::Expired:
        return oauthError(400, QStringLiteral("expired_token"),
                          QStringLiteral("The device code has expired"));
    case Verdict::Denied:
        return oauthError(400, QStringLiteral("access_denied"),
                          QStringLiteral("The user denied the request"));
    case Verdict::OtherClient:
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The device code was issued to another client"));
    case Verdict::Unknown:
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("Unknown or already used device code"));
    case Verdict::Approved:
        break;
    }
    const SandboxDeviceCodes::Entry *entry = m_devices.find(deviceCode);
    const bool offline =
        entry->scope.split(QLatin1Char(' ')).contains(QLatin1String("offline_access"));
    const int grant =
        m_state.addGrant({client.id, entry->subject, entry->scope, {}, clock().now(), false});
    return issueTokens(grant, client.id, entry->scope, {}, offline);
}

SandboxResponse SandboxProvider::issueTokens(int grantIndex, const QString &clientId,
                                             const QString &scope, const QString &nonce,
                                             bool withRefresh)
{
    const Grant &grant = m_state.grant(grantIndex);
    const QDateTime now = clock().now();
    const qint64 iat = now.toSecsSinceEpoch();
    const QByteArray accessToken =
        m_signer.accessToken(issuer(), grant.subject, clientId, scope, iat, m_accessLifetime);
    m_state.addToken(QString::fromLatin1(accessToken),
                     {IssuedToken::Kind::Access, grantIndex, clientId, scope,
                      now.addSecs(m_accessLifetime), false, false});
    QJsonObject body{{"access_token", QString::fromLatin1(accessToken)},
                     {"token_type", "Bearer"},
                     {"expires_in", m_accessLifetime},
                     {"scope", scope}};
    if (hasScope(scope, "openid") && grant.subject != clientId) {
        const QByteArray idToken = m_signer.idToken(
            issuer(), clientId, {grant.subject, grant.authTime, nonce}, iat, accessToken);
        body.insert("id_token", QString::fromLatin1(idToken));
    }
    if (withRefresh) {
        const QString refreshToken = QString::fromLatin1(SecureRandom::urlSafeToken(32));
        m_state.addToken(
            refreshToken,
            {IssuedToken::Kind::Refresh, grantIndex, clientId, scope, {}, false, false});
        body.insert("refresh_token", refreshToken);
    }
    return json(200, body);
}

SandboxResponse SandboxProvider::userInfo(const HttpRequestParser::Request &request)
{
    const QByteArray authorization = request.header("Authorization");
    if (!authorization.startsWith("Bearer "))
        return {401, {{"WWW-Authenticate", "Bearer realm=\"sandbox\""}}, {}};
    const IssuedToken *token =
        m_state.findToken(QString::fromLatin1(authorization.mid(7).trimmed()));
    if (!token || token->kind != IssuedToken::Kind::Access || token->revoked ||
        m_state.grant(token->grant).revoked || token->expiresAt < clock().now())
        return {401,
                {{"WWW-Authenticate",
                  "Bearer realm=\"sandbox\", error=\"invalid_token\", error_description=\"The "
                  "access token is unknown, expired or revoked\""}},
                {}};
    if (const SandboxTrigger *trigger =
            SandboxTriggers::find(token->scope, SandboxTrigger::Where::UserInfo))
        return SandboxResponse::fromTrigger(*trigger);
    if (!hasScope(token->scope, "openid"))
        return {403,
                {{"WWW-Authenticate",
                  "Bearer realm=\"sandbox\", error=\"insufficient_scope\", scope=\"openid\""}},
                {}};
    const QString subject = m_state.grant(token->grant).subject;
    QJsonObject claims{{"sub", subject}};
    if (hasScope(token->scope, "profile")) {
        claims.insert("name", QStringLiteral("Sandbox user %1").arg(subject));
        claims.insert("preferred_username", subject);
    }
    if (hasScope(token->scope, "email")) {
        claims.insert("email", subject + QStringLiteral("@sandbox.test"));
        claims.insert("email_verified", true);
    }
    return json(200, claims);
}

SandboxResponse SandboxProvider::introspect(const HttpRequestParser::Request &request,
                                            const FormFields &form)
{
    Response error;
    const Client *client = authenticate(request, form, &error);
    if (!client)
        return error;
    const IssuedToken *token = m_state.findToken(value(form, "token"));
    const bool active =
        token && token->clientId == client->id && m_state.isLive(*token, clock().now());
    if (!active)
        return json(200, QJsonObject{{"active", false}});
    QJsonObject body{{"active", true},
                     {"scope", token->scope},
                     {"client_id", token->clientId},
                     {"sub", m_state.grant(token->grant).subject},
                     {"iss", issuer()},
                     {"token_type", token->kind == IssuedToken::Kind::Access
                                        ? QStringLiteral("Bearer")
                                        : QStringLiteral("refresh_token")}};
    if (token->expiresAt.isValid())
        body.insert("exp", double(token->expiresAt.toSecsSinceEpoch()));
    return json(200, body);
}

SandboxResponse SandboxProvider::revoke(const HttpRequestParser::Request &request,
                                        const FormFields &form)
{
    Response error;
    const Client *client = authenticate(request, form, &error);
    if (!client)
        return error;
    if (!FormEncoding::contains(form, QStringLiteral("token")))
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("token is missing"));
    IssuedToken *token = m_state.findToken(value(form, "token"));
    // RFC 7009 §2.2: unknown tokens get 200 as well.
    if (token && token->clientId == client->id) {
        token->revoked = true;
        if (token->kind == IssuedToken::Kind::Refresh)
            m_state.grant(token->grant).revoked = true; // and the access tokens of the grant
    }
    return {200, {{"Cache-Control", "no-store"}}, {}};
}

} // namespace workbench
