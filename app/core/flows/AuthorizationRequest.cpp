#include "core/flows/AuthorizationRequest.h"

#include "core/client/AuthorizationDetails.h"
#include "core/client/DpopKey.h"

namespace workbench {

AuthorizationRequest AuthorizationRequest::forClient(const ClientConfig &config,
                                                     const QUrl &redirectUri,
                                                     const QByteArray &state,
                                                     const QByteArray &nonce, const Pkce *pkce)
{
    AuthorizationRequest request;
    request.endpoint = config.authorizationEndpoint;
    request.clientId = config.clientId;
    request.redirectUri = redirectUri;
    request.scope = config.scope.simplified();
    request.state = state;
    if (config.wantsOpenId())
        request.nonce = nonce;
    if (pkce) {
        request.codeChallenge = pkce->challenge;
        request.codeChallengeMethod = Pkce::methodName(pkce->method);
    }
    if (!config.responseType.trimmed().isEmpty())
        request.responseType = config.responseType.simplified();
    else if (config.grant == GrantType::Implicit)
        request.responseType =
            config.wantsOpenId() ? QStringLiteral("id_token token") : QStringLiteral("token");
    else if (config.grant == GrantType::Hybrid)
        request.responseType = QStringLiteral("code id_token");
    // Implicit and hybrid responses that carry an ID token must carry a nonce (OIDC Core §3.2.2.1).
    if (request.responseType.contains(QLatin1String("id_token")))
        request.nonce = nonce;
    const std::pair<const char *, QString> options[] = {
        {"response_mode", config.responseMode.trimmed()},
        {"prompt", config.prompt.simplified()},
        {"login_hint", config.loginHint.trimmed()},
        {"max_age", config.maxAge.trimmed()},
        {"acr_values", config.acrValues.simplified()},
        {"claims", config.claims.trimmed()},
        {"audience", config.audience.trimmed()},
        {"authorization_details", AuthorizationDetails::compact(config.authorizationDetails)}};
    for (const auto &[name, value] : options) {
        if (!value.isEmpty())
            request.options.append({QString::fromLatin1(name), value});
    }
    for (const QString &resource : config.resources)
        request.options.append({QStringLiteral("resource"), resource});
    // The code is bound to the DPoP key the token request will prove (RFC 9449 §10).
    if (const QByteArray jkt = DpopKey::thumbprint(config); !jkt.isEmpty())
        request.options.append({QStringLiteral("dpop_jkt"), QString::fromLatin1(jkt)});
    request.extraParameters = config.extraAuthorizationParameters;
    return request;
}

FormFields AuthorizationRequest::parameters() const
{
    FormFields fields{{QStringLiteral("response_type"), responseType},
                      {QStringLiteral("client_id"), clientId},
                      {QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)}};
    if (!scope.isEmpty())
        fields.append({QStringLiteral("scope"), scope});
    if (!state.isEmpty())
        fields.append({QStringLiteral("state"), QString::fromLatin1(state)});
    if (!nonce.isEmpty())
        fields.append({QStringLiteral("nonce"), QString::fromLatin1(nonce)});
    if (!codeChallenge.isEmpty()) {
        fields.append({QStringLiteral("code_challenge"), QString::fromLatin1(codeChallenge)});
        fields.append({QStringLiteral("code_challenge_method"), codeChallengeMethod});
    }
    fields.append(options);
    // Extra parameters may override a built-in one on purpose (to test a server's reaction).
    for (const auto &extra : extraParameters) {
        bool replaced = false;
        for (auto &field : fields) {
            if (field.first == extra.first) {
                field.second = extra.second;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            fields.append(extra);
    }
    return fields;
}

QUrl AuthorizationRequest::toUrl() const
{
    return urlWith(endpoint, parameters());
}

QUrl AuthorizationRequest::urlWith(const QUrl &endpoint, const FormFields &parameters)
{
    QUrl url = endpoint;
    QByteArray query = url.query(QUrl::FullyEncoded).toLatin1();
    const QByteArray ours = FormEncoding::encode(parameters, FormEncoding::Space::Percent);
    if (!query.isEmpty())
        query += '&';
    query += ours;
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

} // namespace workbench
