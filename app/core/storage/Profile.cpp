#include "core/storage/Profile.h"

#include <QJsonArray>
#include <QUuid>
#include <algorithm>

namespace workbench {

namespace {
QJsonArray fieldsToJson(const FormFields &fields)
{
    QJsonArray array;
    for (const auto &[name, value] : fields)
        array.append(QJsonArray{name, value});
    return array;
}

FormFields fieldsFromJson(const QJsonValue &value)
{
    FormFields fields;
    for (const QJsonValue &pair : value.toArray()) {
        const QJsonArray parts = pair.toArray();
        if (parts.size() == 2)
            fields.append({parts.at(0).toString(), parts.at(1).toString()});
    }
    return fields;
}

QString url(const QUrl &value)
{
    return value.toString();
}
} // namespace

Profile Profile::create(const QString &name, const ClientConfig &config)
{
    Profile profile;
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    profile.name = name;
    profile.config = config;
    return profile;
}

QString Profile::secretKey(const QString &field) const
{
    return QStringLiteral("profile/%1/%2").arg(id, field);
}

QJsonObject Profile::toJson() const
{
    const ClientConfig &c = config;
    const auto list = [](const QStringList &values) { return QJsonArray::fromStringList(values); };
    return {{"id", id},
            {"name", name},
            {"grant_type", grantTypeName(c.grant)},
            {"issuer", url(c.issuer)},
            {"authorization_endpoint", url(c.authorizationEndpoint)},
            {"token_endpoint", url(c.tokenEndpoint)},
            {"device_authorization_endpoint", url(c.deviceAuthorizationEndpoint)},
            {"pushed_authorization_request_endpoint", url(c.pushedAuthorizationRequestEndpoint)},
            {"jwks_uri", url(c.jwksUri)},
            {"userinfo_endpoint", url(c.userinfoEndpoint)},
            {"introspection_endpoint", url(c.introspectionEndpoint)},
            {"revocation_endpoint", url(c.revocationEndpoint)},
            {"id_token_signing_alg_values", list(c.idTokenSigningAlgorithms)},
            {"authorization_response_iss_parameter_supported", c.issuerInAuthorizationResponse},
            {"client_id", c.clientId},
            {"client_auth_method", clientAuthMethodName(c.authMethod)},
            {"signing_alg", c.signingAlgorithm},
            {"key_id", c.keyId},
            {"scope", c.scope},
            {"redirect_uri", url(c.redirectUri)},
            {"pkce", c.usePkce},
            {"pkce_method", Pkce::methodName(c.pkceMethod)},
            {"response_type", c.responseType},
            {"response_mode", c.responseMode},
            {"prompt", c.prompt},
            {"login_hint", c.loginHint},
            {"max_age", c.maxAge},
            {"acr_values", c.acrValues},
            {"claims", c.claims},
            {"resources", list(c.resources)},
            {"audience", c.audience},
            {"par", c.usePar},
            {"request_object", c.useRequestObject},
            {"username", c.username},
            {"subject_token_type", c.subjectTokenType},
            {"actor_token_type", c.actorTokenType},
            {"requested_token_type", c.requestedTokenType},
            {"assertion_subject", c.assertionSubject},
            {"tls", QJsonObject{{"ca_bundle", c.tls.caBundlePath},
                                {"skip_verification", c.tls.skipVerification},
                                {"client_certificate", c.tls.clientCertificatePath},
                                {"client_key", c.tls.clientKeyPath}}},
            {"timeout_seconds", c.timeoutSeconds},
            {"redirect_wait_seconds", c.redirectWaitSeconds},
            {"provider", c.provider},
            {"extra_authorization_parameters", fieldsToJson(c.extraAuthorizationParameters)},
            {"extra_token_parameters", fieldsToJson(c.extraTokenParameters)},
            {"remembered_secrets", list(rememberedSecrets)}};
}

std::optional<Profile> Profile::fromJson(const QJsonObject &json, QString *error)
{
    Profile profile;
    profile.id = json.value(QLatin1String("id")).toString();
    profile.name = json.value(QLatin1String("name")).toString();
    if (profile.id.isEmpty() || profile.name.isEmpty()) {
        if (error)
            *error = QStringLiteral("a profile needs an id and a name");
        return std::nullopt;
    }
    ClientConfig &c = profile.config;
    const auto urlOf = [&json](const char *name) {
        return QUrl(json.value(QLatin1String(name)).toString());
    };
    const QString grant = json.value(QLatin1String("grant_type")).toString();
    if (!grant.isEmpty() && !grantTypeFromName(grant, &c.grant)) {
        if (error)
            *error = QStringLiteral("profile \"%1\": unknown grant_type \"%2\"")
                         .arg(profile.name, grant);
        return std::nullopt;
    }
    const auto text = [&json](const char *name, const QString &fallback = {}) {
        return json.value(QLatin1String(name)).toString(fallback);
    };
    const auto strings = [&json](const char *name) {
        QStringList values;
        for (const QJsonValue &value : json.value(QLatin1String(name)).toArray())
            values << value.toString();
        return values;
    };
    c.deviceAuthorizationEndpoint = urlOf("device_authorization_endpoint");
    c.pushedAuthorizationRequestEndpoint = urlOf("pushed_authorization_request_endpoint");
    c.issuerInAuthorizationResponse =
        json.value(QLatin1String("authorization_response_iss_parameter_supported")).toBool();
    c.signingAlgorithm = text("signing_alg", c.signingAlgorithm);
    c.keyId = text("key_id");
    c.responseType = text("response_type");
    c.responseMode = text("response_mode");
    c.prompt = text("prompt");
    c.loginHint = text("login_hint");
    c.maxAge = text("max_age");
    c.acrValues = text("acr_values");
    c.claims = text("claims");
    c.resources = strings("resources");
    c.audience = text("audience");
    c.usePar = json.value(QLatin1String("par")).toBool();
    c.useRequestObject = json.value(QLatin1String("request_object")).toBool();
    c.username = text("username");
    c.subjectTokenType = text("subject_token_type", c.subjectTokenType);
    c.actorTokenType = text("actor_token_type");
    c.requestedTokenType = text("requested_token_type");
    c.assertionSubject = text("assertion_subject");
    const QJsonObject tls = json.value(QLatin1String("tls")).toObject();
    c.tls.caBundlePath = tls.value(QLatin1String("ca_bundle")).toString();
    c.tls.skipVerification = tls.value(QLatin1String("skip_verification")).toBool();
    c.tls.clientCertificatePath = tls.value(QLatin1String("client_certificate")).toString();
    c.tls.clientKeyPath = tls.value(QLatin1String("client_key")).toString();
    c.timeoutSeconds = std::clamp(json.value(QLatin1String("timeout_seconds")).toInt(30), 1,
                                  ClientConfig::kMaxTimeoutSeconds);
    c.redirectWaitSeconds =
        std::clamp(json.value(QLatin1String("redirect_wait_seconds")).toInt(300), 1,
                   ClientConfig::kMaxRedirectWaitSeconds);
    c.provider = text("provider");
    profile.rememberedSecrets = strings("remembered_secrets");
    // Profiles from before remembered_secrets had one switch, for the client secret.
    if (json.value(QLatin1String("remember_client_secret")).toBool() &&
        !profile.remembers(QStringLiteral("client_secret")))
        profile.rememberedSecrets << QStringLiteral("client_secret");
    c.issuer = urlOf("issuer");
    c.authorizationEndpoint = urlOf("authorization_endpoint");
    c.tokenEndpoint = urlOf("token_endpoint");
    c.jwksUri = urlOf("jwks_uri");
    c.userinfoEndpoint = urlOf("userinfo_endpoint");
    c.introspectionEndpoint = urlOf("introspection_endpoint");
    c.revocationEndpoint = urlOf("revocation_endpoint");
    for (const QJsonValue &alg : json.value(QLatin1String("id_token_signing_alg_values")).toArray())
        c.idTokenSigningAlgorithms << alg.toString();
    c.clientId = json.value(QLatin1String("client_id")).toString();
    const QString method = json.value(QLatin1String("client_auth_method")).toString();
    if (!method.isEmpty() && !clientAuthMethodFromName(method, &c.authMethod)) {
        if (error)
            *error = QStringLiteral("profile \"%1\": unknown client_auth_method \"%2\"")
                         .arg(profile.name, method);
        return std::nullopt;
    }
    c.scope = json.value(QLatin1String("scope")).toString();
    if (json.contains(QLatin1String("redirect_uri")))
        c.redirectUri = urlOf("redirect_uri");
    c.usePkce = json.value(QLatin1String("pkce")).toBool(true);
    c.pkceMethod = json.value(QLatin1String("pkce_method")).toString() == QLatin1String("plain")
                       ? Pkce::Method::Plain
                       : Pkce::Method::S256;
    c.extraAuthorizationParameters =
        fieldsFromJson(json.value(QLatin1String("extra_authorization_parameters")));
    c.extraTokenParameters = fieldsFromJson(json.value(QLatin1String("extra_token_parameters")));
    return profile;
}

} // namespace workbench
