#include "core/client/TokenRequest.h"

#include "core/client/AuthorizationDetails.h"

#include "core/client/ClientAssertion.h"

namespace workbench::TokenRequest {

namespace {
constexpr char kJwtBearerAssertion[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// RFC 8707 resource indicators and the audience parameter many servers take.
void appendTargets(const ClientConfig &config, FormFields *form)
{
    for (const QString &resource : config.resources)
        form->append({QStringLiteral("resource"), resource});
    if (!config.audience.trimmed().isEmpty())
        form->append({QStringLiteral("audience"), config.audience.trimmed()});
}

void appendScope(const ClientConfig &config, FormFields *form)
{
    if (!config.scope.trimmed().isEmpty())
        form->append({QStringLiteral("scope"), config.scope.simplified()});
}

// RFC 9396 §6.1: what a grant without an authorization request asks for, beside the scope.
// (Not on refreshes: there it would narrow what the code flow was granted.)
void appendAuthorizationDetails(const ClientConfig &config, FormFields *form)
{
    if (const QString details = AuthorizationDetails::compact(config.authorizationDetails);
        !details.isEmpty())
        form->append({QStringLiteral("authorization_details"), details});
}

// A request that carries a DPoP proof when the client uses DPoP.
HttpRequestSpec proven(const ClientConfig &config, HttpRequestSpec request)
{
    request.dpopProof = config.useDpop;
    return request;
}

// Client authentication, the configured extra token parameters, and the form POST (with a DPoP
// proof when the client uses DPoP: every request to the token endpoint).
HttpRequestSpec authenticatedPost(const ClientConfig &config, const QUrl &endpoint, FormFields form)
{
    HttpRequestSpec request;
    authenticateClient(config, endpoint, &request, &form);
    form.append(config.extraTokenParameters);
    return proven(config, formPost(endpoint, form, request.headers));
}
} // namespace

QByteArray basicAuthorizationValue(const QString &clientId, const QString &clientSecret)
{
    const QByteArray credentials =
        FormEncoding::encodeComponent(clientId) + ':' + FormEncoding::encodeComponent(clientSecret);
    return "Basic " + credentials.toBase64();
}

std::optional<BasicCredentials> parseBasicAuthorization(const QByteArray &headerValue)
{
    if (!headerValue.startsWith("Basic "))
        return std::nullopt;
    const QByteArray decoded = QByteArray::fromBase64(headerValue.mid(6).trimmed(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0)
        return std::nullopt;
    return BasicCredentials{decoded.left(colon), decoded.mid(colon + 1)};
}

void authenticateClient(const ClientConfig &config, const QUrl &endpoint, HttpRequestSpec *request,
                        FormFields *form)
{
    switch (config.authMethod) {
    case ClientAuthMethod::ClientSecretBasic:
        request->setHeader("Authorization",
                           basicAuthorizationValue(config.clientId, config.clientSecret));
        break;
    case ClientAuthMethod::ClientSecretPost:
        form->append({QStringLiteral("client_id"), config.clientId});
        form->append({QStringLiteral("client_secret"), config.clientSecret});
        break;
    case ClientAuthMethod::ClientSecretJwt:
    case ClientAuthMethod::PrivateKeyJwt:
        // ClientConfig::validate() has checked the key; should signing still fail, the request
        // goes without an assertion and the server's invalid_client says so on the record.
        form->append({QStringLiteral("client_id"), config.clientId});
        form->append({QStringLiteral("client_assertion_type"), QLatin1String(kJwtBearerAssertion)});
        form->append(
            {QStringLiteral("client_assertion"),
             QString::fromLatin1(ClientAssertion::clientAssertion(config, endpoint, nullptr))});
        break;
    case ClientAuthMethod::TlsClientAuth: // the certificate goes in the TLS handshake
    case ClientAuthMethod::None:
        form->append({QStringLiteral("client_id"), config.clientId});
        break;
    }
}

HttpRequestSpec formPost(const QUrl &endpoint, const FormFields &form, HttpHeaders headers)
{
    HttpRequestSpec request;
    request.method = "POST";
    request.url = endpoint;
    request.headers = std::move(headers);
    request.setHeader("Content-Type", "application/x-www-form-urlencoded");
    request.setHeader("Accept", "application/json");
    request.body = FormEncoding::encode(form);
    return request;
}

HttpRequestSpec authorizationCode(const ClientConfig &config, const QString &code,
                                  const QUrl &redirectUri, const QByteArray &codeVerifier)
{
    FormFields form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                    {QStringLiteral("code"), code},
                    {QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)}};
    if (!codeVerifier.isEmpty())
        form.append({QStringLiteral("code_verifier"), QString::fromLatin1(codeVerifier)});
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec refresh(const ClientConfig &config, const QByteArray &refreshToken)
{
    FormFields form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                    {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)}};
    HttpRequestSpec request;
    authenticateClient(config, config.tokenEndpoint, &request, &form);
    return proven(config, formPost(config.tokenEndpoint, form, request.headers));
}

HttpRequestSpec clientCredentials(const ClientConfig &config)
{
    FormFields form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")}};
    appendScope(config, &form);
    appendAuthorizationDetails(config, &form);
    appendTargets(config, &form);
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec password(const ClientConfig &config)
{
    FormFields form{{QStringLiteral("grant_type"), QStringLiteral("password")},
                    {QStringLiteral("username"), config.username},
                    {QStringLiteral("password"), config.password}};
    appendScope(config, &form);
    appendTargets(config, &form);
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec tokenExchange(const ClientConfig &config)
{
    FormFields form{{QStringLiteral("grant_type"), grantTypeName(GrantType::TokenExchange)},
                    {QStringLiteral("subject_token"), config.subjectToken.trimmed()},
                    {QStringLiteral("subject_token_type"), config.subjectTokenType.trimmed()}};
    if (!config.actorToken.trimmed().isEmpty()) {
        form.append({QStringLiteral("actor_token"), config.actorToken.trimmed()});
        form.append({QStringLiteral("actor_token_type"), config.actorTokenType.trimmed()});
    }
    if (!config.requestedTokenType.trimmed().isEmpty())
        form.append({QStringLiteral("requested_token_type"), config.requestedTokenType.trimmed()});
    appendScope(config, &form);
    appendTargets(config, &form);
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec jwtBearer(const ClientConfig &config)
{
    FormFields form{{QStringLiteral("grant_type"), grantTypeName(GrantType::JwtBearer)},
                    {QStringLiteral("assertion"),
                     QString::fromLatin1(ClientAssertion::bearerAssertion(config, nullptr))}};
    appendScope(config, &form);
    appendTargets(config, &form);
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec deviceAuthorization(const ClientConfig &config)
{
    FormFields form;
    appendScope(config, &form);
    appendTargets(config, &form);
    HttpRequestSpec request = authenticatedPost(config, config.deviceAuthorizationEndpoint, form);
    request.dpopProof = false; // RFC 9449 binds the tokens, not the device code
    return request;
}

HttpRequestSpec deviceToken(const ClientConfig &config, const QByteArray &deviceCode)
{
    FormFields form{{QStringLiteral("grant_type"), grantTypeName(GrantType::DeviceCode)},
                    {QStringLiteral("device_code"), QString::fromUtf8(deviceCode)}};
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec backchannelAuthentication(const ClientConfig &config)
{
    FormFields form;
    appendScope(config, &form);
    appendAuthorizationDetails(config, &form);
    form.append({QStringLiteral("login_hint"), config.loginHint.trimmed()});
    if (!config.bindingMessage.isEmpty())
        form.append({QStringLiteral("binding_message"), config.bindingMessage});
    if (!config.acrValues.isEmpty())
        form.append({QStringLiteral("acr_values"), config.acrValues});
    appendTargets(config, &form);
    HttpRequestSpec request =
        authenticatedPost(config, config.backchannelAuthenticationEndpoint, form);
    request.dpopProof = false; // as for the device code: the tokens are bound at the token call
    return request;
}

HttpRequestSpec cibaToken(const ClientConfig &config, const QByteArray &authReqId)
{
    FormFields form{{QStringLiteral("grant_type"), grantTypeName(GrantType::Ciba)},
                    {QStringLiteral("auth_req_id"), QString::fromUtf8(authReqId)}};
    return authenticatedPost(config, config.tokenEndpoint, form);
}

HttpRequestSpec pushedAuthorization(const ClientConfig &config, const FormFields &parameters)
{
    FormFields form = parameters;
    // The client authenticates as at the token endpoint; client_id is already a parameter.
    HttpRequestSpec request;
    FormFields credentials;
    authenticateClient(config, config.pushedAuthorizationRequestEndpoint, &request, &credentials);
    for (const auto &field : credentials) {
        if (field.first != QLatin1String("client_id"))
            form.append(field);
    }
    return proven(config,
                  formPost(config.pushedAuthorizationRequestEndpoint, form, request.headers));
}

std::optional<HttpRequestSpec> forGrant(const ClientConfig &config)
{
    switch (config.grant) {
    case GrantType::ClientCredentials:
        return clientCredentials(config);
    case GrantType::Password:
        return password(config);
    case GrantType::TokenExchange:
        return tokenExchange(config);
    case GrantType::JwtBearer:
        return jwtBearer(config);
    case GrantType::RefreshToken: {
        // A narrower scope may be asked for (RFC 6749 §6).
        FormFields form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                        {QStringLiteral("refresh_token"), config.refreshToken.trimmed()}};
        appendScope(config, &form);
        return authenticatedPost(config, config.tokenEndpoint, form);
    }
    default:
        return std::nullopt;
    }
}

HttpRequestSpec aboutToken(const QUrl &endpoint, const ClientConfig &config,
                           const QByteArray &token, const QString &tokenTypeHint)
{
    FormFields form{{QStringLiteral("token"), QString::fromUtf8(token)}};
    if (!tokenTypeHint.isEmpty())
        form.append({QStringLiteral("token_type_hint"), tokenTypeHint});
    HttpRequestSpec request;
    authenticateClient(config, endpoint, &request, &form);
    return proven(config, formPost(endpoint, form, request.headers));
}

} // namespace workbench::TokenRequest
