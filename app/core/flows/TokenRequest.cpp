#include "TokenRequest.h"

namespace workbench::TokenRequest {

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

void authenticateClient(const ClientConfig &config, HttpRequestSpec *request, FormFields *form)
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
    HttpRequestSpec request;
    authenticateClient(config, &request, &form);
    form.append(config.extraTokenParameters);
    return formPost(config.tokenEndpoint, form, request.headers);
}

HttpRequestSpec refresh(const ClientConfig &config, const QByteArray &refreshToken)
{
    FormFields form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                    {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken)}};
    HttpRequestSpec request;
    authenticateClient(config, &request, &form);
    return formPost(config.tokenEndpoint, form, request.headers);
}

HttpRequestSpec clientCredentials(const ClientConfig &config)
{
    FormFields form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")}};
    if (!config.scope.trimmed().isEmpty())
        form.append({QStringLiteral("scope"), config.scope.trimmed()});
    HttpRequestSpec request;
    authenticateClient(config, &request, &form);
    return formPost(config.tokenEndpoint, form, request.headers);
}

HttpRequestSpec aboutToken(const QUrl &endpoint, const ClientConfig &config,
                           const QByteArray &token, const QString &tokenTypeHint)
{
    FormFields form{{QStringLiteral("token"), QString::fromUtf8(token)}};
    if (!tokenTypeHint.isEmpty())
        form.append({QStringLiteral("token_type_hint"), tokenTypeHint});
    HttpRequestSpec request;
    authenticateClient(config, &request, &form);
    return formPost(endpoint, form, request.headers);
}

} // namespace workbench::TokenRequest
