#include "core/discovery/ProviderMetadata.h"

#include "core/listener/LoopbackAddress.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace workbench {

namespace {
QStringList strings(const QJsonObject &object, const char *key)
{
    QStringList out;
    for (const QJsonValue &value : object.value(QLatin1String(key)).toArray())
        out << value.toString();
    return out;
}
} // namespace

std::optional<ProviderMetadata> ProviderMetadata::fromJson(const QByteArray &json,
                                                           QStringList *problems)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        if (problems)
            *problems << QStringLiteral("The metadata is not a JSON object (%1).")
                             .arg(error.error == QJsonParseError::NoError
                                      ? QStringLiteral("JSON, "
                                                       "but not an object")
                                      : error.errorString());
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    ProviderMetadata metadata;
    metadata.document = object;
    metadata.issuer = object.value(QLatin1String("issuer")).toString();
    auto url = [&object](const char *key) {
        return QUrl(object.value(QLatin1String(key)).toString(), QUrl::StrictMode);
    };
    metadata.authorizationEndpoint = url("authorization_endpoint");
    metadata.tokenEndpoint = url("token_endpoint");
    metadata.userinfoEndpoint = url("userinfo_endpoint");
    metadata.jwksUri = url("jwks_uri");
    metadata.revocationEndpoint = url("revocation_endpoint");
    metadata.introspectionEndpoint = url("introspection_endpoint");
    metadata.deviceAuthorizationEndpoint = url("device_authorization_endpoint");
    metadata.pushedAuthorizationRequestEndpoint = url("pushed_authorization_request_endpoint");
    metadata.endSessionEndpoint = url("end_session_endpoint");
    metadata.backchannelAuthenticationEndpoint = url("backchannel_authentication_endpoint");
    metadata.registrationEndpoint = url("registration_endpoint");
    metadata.scopesSupported = strings(object, "scopes_supported");
    metadata.responseTypesSupported = strings(object, "response_types_supported");
    metadata.grantTypesSupported = strings(object, "grant_types_supported");
    metadata.tokenEndpointAuthMethodsSupported =
        strings(object, "token_endpoint_auth_methods_supported");
    metadata.codeChallengeMethodsSupported = strings(object, "code_challenge_methods_supported");
    metadata.idTokenSigningAlgValuesSupported =
        strings(object, "id_token_signing_alg_values_supported");
    metadata.authorizationSigningAlgValuesSupported =
        strings(object, "authorization_signing_alg_values_supported");
    metadata.requestObjectEncryptionAlgValuesSupported =
        strings(object, "request_object_encryption_alg_values_supported");
    metadata.requestObjectEncryptionEncValuesSupported =
        strings(object, "request_object_encryption_enc_values_supported");
    metadata.responseModesSupported = strings(object, "response_modes_supported");
    metadata.issParameterSupported =
        object.value(QLatin1String("authorization_response_iss_parameter_supported")).toBool();

    QStringList found;
    if (metadata.issuer.isEmpty())
        found << QStringLiteral("The metadata has no \"issuer\".");
    if (!metadata.authorizationEndpoint.isValid() && !metadata.tokenEndpoint.isValid())
        found << QStringLiteral("The metadata names neither an authorization nor a token "
                                "endpoint.");
    if (!found.isEmpty()) {
        if (problems)
            *problems << found;
        return std::nullopt;
    }
    return metadata;
}

QStringList ProviderMetadata::warningsFor(const QString &enteredIssuer) const
{
    QStringList warnings;
    if (issuer != enteredIssuer) {
        const bool slashOnly =
            QString(issuer).remove(QRegularExpression(QStringLiteral("/$"))) ==
            QString(enteredIssuer).remove(QRegularExpression(QStringLiteral("/$")));
        warnings << (slashOnly
                         ? QStringLiteral("The document's issuer \"%1\" differs from \"%2\" by a "
                                          "trailing slash. ID tokens carry the document's value "
                                          "in \"iss\"; use it exactly.")
                               .arg(issuer, enteredIssuer)
                         : QStringLiteral("The document's issuer \"%1\" is not the URL it was "
                                          "fetched for (\"%2\"). OpenID Connect Discovery §4.3 "
                                          "requires them to be identical: this may be the wrong "
                                          "tenant, a proxy, or an impersonation.")
                               .arg(issuer, enteredIssuer));
    }
    if (!authorizationEndpoint.isValid())
        warnings << QStringLiteral("No authorization_endpoint: the code flow is not possible.");
    if (!tokenEndpoint.isValid())
        warnings << QStringLiteral("No token_endpoint.");
    if (codeChallengeMethodsSupported.isEmpty())
        warnings << QStringLiteral("The server does not advertise code_challenge_methods_supported"
                                   "; it may not support PKCE.");
    else if (!codeChallengeMethodsSupported.contains(QLatin1String("S256")))
        warnings << QStringLiteral("The server does not list S256 in "
                                   "code_challenge_methods_supported.");
    for (const QString &alg : idTokenSigningAlgValuesSupported) {
        if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
            warnings << QStringLiteral("id_token_signing_alg_values_supported lists \"none\": "
                                       "the app rejects unsigned ID tokens all the same.");
    }
    for (const QUrl &endpoint : {authorizationEndpoint, tokenEndpoint, jwksUri}) {
        if (endpoint.scheme() == QLatin1String("http") &&
            !LoopbackAddress::isLoopbackHost(endpoint.host()))
            warnings << QStringLiteral("%1 uses plain http on a non-loopback host.")
                            .arg(endpoint.toString());
    }
    return warnings;
}

void ProviderMetadata::applyTo(ClientConfig *config) const
{
    const std::pair<QUrl, QUrl ClientConfig::*> urls[] = {
        {authorizationEndpoint, &ClientConfig::authorizationEndpoint},
        {tokenEndpoint, &ClientConfig::tokenEndpoint},
        {jwksUri, &ClientConfig::jwksUri},
        {userinfoEndpoint, &ClientConfig::userinfoEndpoint},
        {introspectionEndpoint, &ClientConfig::introspectionEndpoint},
        {revocationEndpoint, &ClientConfig::revocationEndpoint},
        {endSessionEndpoint, &ClientConfig::endSessionEndpoint},
        {deviceAuthorizationEndpoint, &ClientConfig::deviceAuthorizationEndpoint},
        {pushedAuthorizationRequestEndpoint, &ClientConfig::pushedAuthorizationRequestEndpoint},
        {backchannelAuthenticationEndpoint, &ClientConfig::backchannelAuthenticationEndpoint}};
    for (const auto &[value, member] : urls) {
        if (value.isValid())
            config->*member = value;
    }
    // ID tokens are compared with the issuer exactly as the metadata writes it.
    if (!issuer.isEmpty())
        config->issuer = QUrl(issuer);
    config->issuerInAuthorizationResponse = issParameterSupported;
    if (!idTokenSigningAlgValuesSupported.isEmpty())
        config->idTokenSigningAlgorithms = idTokenSigningAlgValuesSupported;
    if (!authorizationSigningAlgValuesSupported.isEmpty())
        config->authorizationSigningAlgorithms = authorizationSigningAlgValuesSupported;
    config->requestObjectEncryptionAlgorithms = requestObjectEncryptionAlgValuesSupported;
    config->requestObjectEncryptionEncodings = requestObjectEncryptionEncValuesSupported;
}

QList<std::pair<QString, QUrl>> ProviderMetadata::endpoints() const
{
    const std::pair<const char *, QUrl> all[] = {
        {"authorization_endpoint", authorizationEndpoint},
        {"pushed_authorization_request_endpoint", pushedAuthorizationRequestEndpoint},
        {"device_authorization_endpoint", deviceAuthorizationEndpoint},
        {"backchannel_authentication_endpoint", backchannelAuthenticationEndpoint},
        {"token_endpoint", tokenEndpoint},
        {"jwks_uri", jwksUri},
        {"userinfo_endpoint", userinfoEndpoint},
        {"introspection_endpoint", introspectionEndpoint},
        {"revocation_endpoint", revocationEndpoint},
        {"end_session_endpoint", endSessionEndpoint},
        {"registration_endpoint", registrationEndpoint}};
    QList<std::pair<QString, QUrl>> named;
    for (const auto &[name, url] : all) {
        if (!url.isEmpty())
            named.append({QString::fromLatin1(name), url});
    }
    return named;
}

} // namespace workbench
