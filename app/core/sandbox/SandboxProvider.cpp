#include "core/sandbox/SandboxProvider.h"

#include "core/diagnosis/ProviderIdentifier.h"

#include "core/client/Pkce.h"
#include "core/client/TokenRequest.h"
#include "core/jose/Jwt.h"
#include "core/listener/LoopbackAddress.h"
#include "core/sandbox/SandboxHelpers.h"
#include "core/sandbox/SandboxPages.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/util/SecureRandom.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench {

using namespace sandbox;

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
    config.endSessionEndpoint = endpoint(QStringLiteral("/logout"));
    config.backchannelAuthenticationEndpoint = endpoint(QStringLiteral("/backchannel"));
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
    if (path == "/backchannel" && method == "POST")
        return backchannelAuthentication(request, form);
    if (path == "/ciba" && method == "GET")
        return authenticationDevice();
    if (path == "/ciba" && method == "POST")
        return authenticationDeviceDecide(form);
    if (path == "/userinfo" && (method == "GET" || method == "POST"))
        return userInfo(request);
    if (path == "/introspect" && method == "POST")
        return introspect(request, form);
    if (path == "/revoke" && method == "POST")
        return revoke(request, form);
    if (path == "/logout" && method == "GET")
        return endSession(query);
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
        200,
        QJsonObject{{"issuer", issuer()},
                    {"authorization_endpoint", url("/authorize")},
                    {"token_endpoint", url("/token")},
                    {"userinfo_endpoint", url("/userinfo")},
                    {"jwks_uri", url("/jwks")},
                    {"introspection_endpoint", url("/introspect")},
                    {"revocation_endpoint", url("/revoke")},
                    {"device_authorization_endpoint", url("/device_authorization")},
                    {"end_session_endpoint", url("/logout")},
                    {"backchannel_authentication_endpoint", url("/backchannel")},
                    {"backchannel_token_delivery_modes_supported", QJsonArray{"poll"}},
                    {"backchannel_user_code_parameter_supported", false},
                    {"authorization_details_types_supported",
                     QJsonArray{"payment_initiation", "account_information"}},
                    {"scopes_supported", QJsonArray::fromStringList(kKnownScopes)},
                    {"response_types_supported", QJsonArray{"code"}},
                    {"response_modes_supported", QJsonArray{"query", "jwt", "query.jwt"}},
                    {"authorization_signing_alg_values_supported", QJsonArray{kSigningAlgorithm}},
                    {"grant_types_supported",
                     QJsonArray{"authorization_code", "refresh_token", "client_credentials",
                                "urn:ietf:params:oauth:grant-type:device_code",
                                "urn:openid:params:grant-type:ciba"}},
                    {"code_challenge_methods_supported", QJsonArray{"S256"}},
                    {"token_endpoint_auth_methods_supported",
                     QJsonArray{"client_secret_basic", "client_secret_post", "none"}},
                    {"id_token_signing_alg_values_supported", QJsonArray{kSigningAlgorithm}},
                    {"subject_types_supported", QJsonArray{"public"}},
                    {"claims_supported",
                     QJsonArray{"sub", "name", "preferred_username", "email", "email_verified"}},
                    {"authorization_response_iss_parameter_supported", !m_weak.omitsIssuer},
                    {"request_parameter_supported", m_weak.unsignedRequestObjects},
                    {"request_object_signing_alg_values_supported",
                     m_weak.unsignedRequestObjects ? QJsonArray{"none"} : QJsonArray{}}});
}

bool SandboxProvider::redirectAllowed(const QUrl &redirect) const
{
    // The lenient weakness is the sign-in redirect's: any loopback URI will do.
    if (m_weak.lenientRedirectUris)
        return redirect.isValid() && redirect.scheme() == QLatin1String("http") &&
               LoopbackAddress::isLoopbackHost(redirect.host());
    return registeredLoopbackUri(redirect, kRegisteredRedirectPath);
}

bool SandboxProvider::registeredLoopbackUri(const QUrl &uri, const char *path)
{
    // Registered: the loopback IP literals (not "localhost", RFC 8252 §8.3), any port, one path,
    // compared exactly otherwise (RFC 9700 §4.1.3).
    const bool ipLiteral =
        uri.host() == QLatin1String("127.0.0.1") || uri.host() == QLatin1String("::1");
    return uri.isValid() && uri.scheme() == QLatin1String("http") && ipLiteral &&
           uri.path() == QLatin1String(path) && !uri.hasQuery() && !uri.hasFragment() &&
           uri.userInfo().isEmpty();
}

namespace {
// The parameters of an unsigned request object laid over the query's (OIDC Core §6.1): only
// for a sandbox made weak on purpose; a real server verifies the signature first.
FormFields withRequestObject(const FormFields &query, const QString &requestObject)
{
    QString problem;
    const auto decoded = Jwt::decode(requestObject.toLatin1(), &problem);
    if (!decoded || decoded->algorithm() != QLatin1String("none"))
        return query;
    FormFields merged;
    for (const auto &field : query) {
        if (!decoded->claims.contains(field.first))
            merged.append(field);
    }
    for (auto it = decoded->claims.begin(); it != decoded->claims.end(); ++it) {
        if (it.value().isString())
            merged.append({it.key(), it.value().toString()});
    }
    return merged;
}
} // namespace

SandboxResponse SandboxProvider::authorize(const FormFields &received)
{
    const bool hasRequestObject = FormEncoding::contains(received, QStringLiteral("request"));
    const FormFields query = hasRequestObject && m_weak.unsignedRequestObjects
                                 ? withRequestObject(received, value(received, "request"))
                                 : received;
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
    const QUrl redirect(redirectUri, QUrl::StrictMode);
    if (!knownClient && m_weak.redirectsUnknownClients && redirectAllowed(redirect))
        return SandboxResponse::redirectTo(
            redirectUri, {{QStringLiteral("error"), QStringLiteral("unauthorized_client")},
                          {QStringLiteral("error_description"), QStringLiteral("Unknown client")}});
    if (!knownClient)
        return SandboxPages::unknownClient(clientId, QString::fromLatin1(kPublicClientId),
                                           QString::fromLatin1(kConfidentialClientId));
    if (!redirectAllowed(redirect))
        return SandboxPages::redirectNotAllowed(redirectUri);

    const QString state = value(query, "state");
    const QString responseMode = value(query, "response_mode");
    const bool jwtResponse =
        responseMode == QLatin1String("jwt") || responseMode == QLatin1String("query.jwt");
    const auto fail = [&](const QString &error, const QString &description,
                          const QString &imitates = {}) {
        FormFields parameters{{QStringLiteral("error"), error},
                              {QStringLiteral("error_description"), description}};
        if (!state.isEmpty())
            parameters.append({QStringLiteral("state"), state});
        if (!m_weak.omitsIssuer)
            parameters.append({QStringLiteral("iss"), issuer()});
        if (!imitates.isEmpty())
            parameters.append(
                {QString::fromLatin1(ProviderIdentifier::kSandboxImitatesParameter), imitates});
        return redirectBack(redirectUri, clientId, jwtResponse, parameters);
    };
    const QString scope = value(query, "scope");
    if (const SandboxTrigger *trigger =
            SandboxTriggers::find(scope, SandboxTrigger::Where::Authorize)) {
        // A page of its own instead of the redirect, as providers answer a bad redirect URI.
        if (trigger->redirectError.isEmpty())
            return SandboxResponse::fromTrigger(*trigger);
        return fail(trigger->redirectError, trigger->redirectDescription, trigger->imitates);
    }
    if (hasRequestObject && !m_weak.unsignedRequestObjects)
        return fail(QStringLiteral("request_not_supported"),
                    QStringLiteral("The sandbox does not take request objects"));
    if (!responseMode.isEmpty() && !jwtResponse && responseMode != QLatin1String("query"))
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("response_mode %1 is not supported; the sandbox answers with "
                                   "query, jwt or query.jwt")
                        .arg(responseMode));
    if (value(query, "response_type") != QLatin1String("code"))
        return fail(QStringLiteral("unsupported_response_type"),
                    QStringLiteral("response_type must be code"));
    const QString challenge = value(query, "code_challenge");
    const QString method = value(query, "code_challenge_method");
    const bool plain = method == QLatin1String("plain") || method.isEmpty();
    if (!challenge.isEmpty() && !method.isEmpty() && method != QLatin1String("S256") &&
        !(plain && m_weak.acceptsPlainPkce))
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("code_challenge_method must be S256"));
    if (!challenge.isEmpty() && method.isEmpty() && !m_weak.acceptsPlainPkce)
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("code_challenge_method must be S256 (it defaults to plain "
                                   "when left out)"));
    if (publicClient && challenge.isEmpty() && !m_weak.pkceOptional)
        return fail(QStringLiteral("invalid_request"),
                    QStringLiteral("PKCE is required for public clients: code_challenge is "
                                   "missing"));
    if (const QString unknown = unknownScopeIn(scope); !unknown.isEmpty())
        return fail(QStringLiteral("invalid_scope"),
                    QStringLiteral("Unknown scope: %1").arg(unknown));
    const QString details = value(query, "authorization_details");
    if (const QString problem = authorizationDetailsProblem(details); !problem.isEmpty())
        return fail(QStringLiteral("invalid_authorization_details"), problem);

    const QString id = QString::fromLatin1(SecureRandom::urlSafeToken(16));
    m_state.addPending(id, {clientId, redirectUri, scope, state, value(query, "nonce"), challenge,
                            clock().now(), plain ? QStringLiteral("plain") : QStringLiteral("S256"),
                            AuthorizationDetails::parse(details), jwtResponse});
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
    if (!m_weak.omitsIssuer)
        parameters.append({QStringLiteral("iss"), issuer()});
    return redirectBack(request.redirectUri, request.clientId, request.jwtResponse, parameters);
}

SandboxResponse SandboxProvider::redirectBack(const QString &redirectUri, const QString &clientId,
                                              bool jwtResponse, const FormFields &parameters)
{
    if (!jwtResponse)
        return SandboxResponse::redirectTo(redirectUri, parameters);
    const QByteArray response = m_signer.authorizationResponse(issuer(), clientId, parameters,
                                                               clock().now().toSecsSinceEpoch());
    return SandboxResponse::redirectTo(
        redirectUri, {{QStringLiteral("response"), QString::fromLatin1(response)}});
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
    if (const QJsonArray &details = m_state.grant(token->grant).authorizationDetails;
        !details.isEmpty())
        body.insert("authorization_details", details); // RFC 9396 §9.1
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

// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the sandbox keeps no browser
// session, so signing out is checking the request and sending the browser back. It redirects
// only to a registered post-logout URI, and only when an ID token it issued (expired or not, §2)
// or a known client_id names the client; otherwise it shows a page, as providers do.
SandboxResponse SandboxProvider::endSession(const FormFields &query) const
{
    const auto value = [&query](const char *name) {
        return FormEncoding::value(query, QString::fromLatin1(name));
    };
    QString clientId = value("client_id");
    if (const QString hint = value("id_token_hint"); !hint.isEmpty()) {
        QString problem;
        const auto decoded = Jwt::decode(hint.toLatin1(), &problem);
        const QJsonValue audience =
            decoded ? decoded->claims.value(QLatin1String("aud")) : QJsonValue();
        const QString hinted =
            audience.isArray() ? audience.toArray().first().toString() : audience.toString();
        if (!decoded || decoded->claims.value(QLatin1String("iss")).toString() != issuer())
            return SandboxPages::page(
                400, QStringLiteral("id_token_hint not accepted"),
                QStringLiteral("<p>The id_token_hint is not an ID token this sandbox issued.</p>"));
        if (!clientId.isEmpty() && clientId != hinted)
            return SandboxPages::page(
                400, QStringLiteral("client_id does not match"),
                QStringLiteral("<p>client_id names another client than the id_token_hint's "
                               "audience.</p>"));
        clientId = hinted;
    }
    const QString returnUri = value("post_logout_redirect_uri");
    if (returnUri.isEmpty())
        return SandboxPages::page(200, QStringLiteral("Signed out"),
                                  QStringLiteral("<p>You are signed out of the sandbox.</p>"));
    const bool knownClient = std::any_of(m_clients.cbegin(), m_clients.cend(),
                                         [&clientId](const Client &c) { return c.id == clientId; });
    if (!knownClient)
        return SandboxPages::page(
            200, QStringLiteral("Signed out"),
            QStringLiteral("<p>You are signed out of the sandbox. It does not send you back to "
                           "<code>%1</code>: neither an id_token_hint nor a known client_id "
                           "names the client that asked.</p>")
                .arg(returnUri.toHtmlEscaped()));
    if (!registeredLoopbackUri(QUrl(returnUri, QUrl::StrictMode), kRegisteredLogoutPath))
        return SandboxPages::page(
            400, QStringLiteral("post_logout_redirect_uri not registered"),
            QStringLiteral("<p>The sandbox's clients are registered with the post-logout "
                           "redirect URI <code>http://127.0.0.1:PORT%1</code> (or "
                           "<code>[::1]</code>), any port; it got <code>%2</code>.</p>")
                .arg(QString::fromLatin1(kRegisteredLogoutPath), returnUri.toHtmlEscaped()));
    FormFields back;
    if (const QString state = value("state"); !state.isEmpty())
        back.append({QStringLiteral("state"), state});
    return SandboxResponse::redirectTo(returnUri, back);
}

} // namespace workbench
