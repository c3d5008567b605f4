#include "Profile.h"

#include <QJsonArray>
#include <QUuid>

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
    return {{"id", id},
            {"name", name},
            {"issuer", url(c.issuer)},
            {"authorization_endpoint", url(c.authorizationEndpoint)},
            {"token_endpoint", url(c.tokenEndpoint)},
            {"jwks_uri", url(c.jwksUri)},
            {"userinfo_endpoint", url(c.userinfoEndpoint)},
            {"introspection_endpoint", url(c.introspectionEndpoint)},
            {"revocation_endpoint", url(c.revocationEndpoint)},
            {"id_token_signing_alg_values", QJsonArray::fromStringList(c.idTokenSigningAlgorithms)},
            {"client_id", c.clientId},
            {"client_auth_method", clientAuthMethodName(c.authMethod)},
            {"scope", c.scope},
            {"redirect_uri", url(c.redirectUri)},
            {"pkce", c.usePkce},
            {"pkce_method", Pkce::methodName(c.pkceMethod)},
            {"extra_authorization_parameters", fieldsToJson(c.extraAuthorizationParameters)},
            {"extra_token_parameters", fieldsToJson(c.extraTokenParameters)},
            {"remember_client_secret", rememberClientSecret}};
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
    profile.rememberClientSecret = json.value(QLatin1String("remember_client_secret")).toBool();
    return profile;
}

} // namespace workbench
