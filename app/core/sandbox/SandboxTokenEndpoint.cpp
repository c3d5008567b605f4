#include "core/sandbox/SandboxProvider.h"

#include "core/client/Pkce.h"
#include "core/client/TokenRequest.h"
#include "core/sandbox/SandboxHelpers.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/util/SecureRandom.h"

#include <QJsonArray>
#include <QJsonDocument>

// The sandbox's token endpoint: client authentication and each grant.
namespace workbench {

using namespace sandbox;

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
        return clientCredentialsGrant(*client, scope, value(form, "authorization_details"));
    if (grantType == grantTypeName(GrantType::DeviceCode))
        return deviceToken(*client, form);
    if (grantType == grantTypeName(GrantType::Ciba))
        return deviceToken(*client, form, true);
    return oauthError(400, QStringLiteral("unsupported_grant_type"),
                      QStringLiteral("The sandbox does not support grant_type %1").arg(grantType));
}

SandboxResponse SandboxProvider::codeGrant(const Client &client, const FormFields &form)
{
    SandboxGrants::Code *code = m_state.findCode(value(form, "code"));
    if (!code)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("Unknown authorization code"));
    if (code->used && !m_weak.reusableCodes) {
        for (const QString &issued : std::as_const(code->issuedTokens)) {
            m_state.revokeToken(issued);
        }
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The authorization code was already used; the tokens "
                                         "issued with it are now revoked"));
    }
    if (code->issuedAt.secsTo(clock().now()) > m_codeLifetime && !m_weak.codesNeverExpire)
        return oauthError(
            400, QStringLiteral("invalid_grant"),
            QStringLiteral("Expired authorization code (codes live %1 s)").arg(m_codeLifetime));
    if (code->request.clientId != client.id)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The code was issued to another client"));
    if (value(form, "redirect_uri") != code->request.redirectUri && !m_weak.ignoresTokenRedirectUri)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("redirect_uri does not match the one of the "
                                         "authorization request"));
    const QString verifier = value(form, "code_verifier");
    const bool plain = code->request.codeChallengeMethod == QLatin1String("plain");
    if (m_weak.ignoresCodeVerifier) {
        // Weak on purpose: whatever verifier came, or none.
    } else if (!code->request.codeChallenge.isEmpty()) {
        if (verifier.isEmpty())
            return oauthError(400, QStringLiteral("invalid_grant"),
                              QStringLiteral("code_verifier is missing (PKCE)"));
        if (Pkce::challengeFor(verifier.toLatin1(),
                               plain ? Pkce::Method::Plain : Pkce::Method::S256) !=
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
    const int grant =
        m_state.addGrant({client.id, code->subject, code->request.scope, code->request.nonce,
                          code->issuedAt, false, code->request.authorizationDetails});
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
    if (refresh->rotated && !m_weak.refreshReuse) {
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

SandboxResponse SandboxProvider::clientCredentialsGrant(const Client &client, const QString &scope,
                                                        const QString &details)
{
    if (client.secret.isEmpty())
        return oauthError(400, QStringLiteral("unauthorized_client"),
                          QStringLiteral("Public clients may not use client_credentials"));
    if (const QString problem = authorizationDetailsProblem(details); !problem.isEmpty())
        return oauthError(400, QStringLiteral("invalid_authorization_details"), problem);
    QStringList allowed;
    for (const QString &item : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (item != QLatin1String("openid") && item != QLatin1String("offline_access"))
            allowed << item;
    }
    const int grant = m_state.addGrant({client.id,
                                        client.id,
                                        allowed.join(QLatin1Char(' ')),
                                        {},
                                        clock().now(),
                                        false,
                                        AuthorizationDetails::parse(details)});
    return issueTokens(grant, client.id, allowed.join(QLatin1Char(' ')), {}, false);
}

SandboxResponse SandboxProvider::deviceToken(const Client &client, const FormFields &form,
                                             bool ciba)
{
    const QString deviceCode = value(form, ciba ? "auth_req_id" : "device_code");
    const QString what = ciba ? QStringLiteral("auth_req_id") : QStringLiteral("device code");
    const SandboxDeviceCodes::Entry *asked = m_devices.find(deviceCode);
    if (asked && asked->backchannel != ciba)
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("Unknown or already used %1").arg(what));
    using Verdict = SandboxDeviceCodes::Verdict;
    switch (m_devices.poll(deviceCode, client.id, clock().now())) {
    case Verdict::Pending:
        return oauthError(400, QStringLiteral("authorization_pending"),
                          ciba ? QStringLiteral("The user has not answered on their device yet")
                               : QStringLiteral("The user has not entered the code yet"));
    case Verdict::SlowDown:
        return oauthError(400, QStringLiteral("slow_down"),
                          QStringLiteral("Polling too fast: wait %1 s between polls")
                              .arg(m_devices.find(deviceCode)->intervalSeconds));
    case Verdict::Expired:
        return oauthError(400, QStringLiteral("expired_token"),
                          QStringLiteral("The %1 has expired").arg(what));
    case Verdict::Denied:
        return oauthError(400, QStringLiteral("access_denied"),
                          QStringLiteral("The user denied the request"));
    case Verdict::OtherClient:
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("The %1 was issued to another client").arg(what));
    case Verdict::Unknown:
        return oauthError(400, QStringLiteral("invalid_grant"),
                          QStringLiteral("Unknown or already used %1").arg(what));
    case Verdict::Approved:
        break;
    }
    const SandboxDeviceCodes::Entry *entry = m_devices.find(deviceCode);
    const bool offline =
        entry->scope.split(QLatin1Char(' ')).contains(QLatin1String("offline_access"));
    const int grant = m_state.addGrant({client.id,
                                        entry->subject,
                                        entry->scope,
                                        {},
                                        clock().now(),
                                        false,
                                        entry->authorizationDetails});
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
    if (!grant.authorizationDetails.isEmpty())
        body.insert("authorization_details", grant.authorizationDetails); // RFC 9396 §7
    return json(200, body);
}

} // namespace workbench
