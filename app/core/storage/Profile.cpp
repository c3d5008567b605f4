#include "core/storage/Profile.h"

#include "core/util/Failure.h"

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
// Readers of one profile's JSON.
class ProfileJson
{
public:
    explicit ProfileJson(const QJsonObject &json) : m_json(json) {}
    QString text(const char *name, const QString &fallback = {}) const
    {
        return m_json.value(QLatin1String(name)).toString(fallback);
    }
    QUrl url(const char *name) const { return QUrl(text(name)); }
    bool flag(const char *name, bool fallback = false) const
    {
        return m_json.value(QLatin1String(name)).toBool(fallback);
    }
    QStringList strings(const char *name) const
    {
        QStringList values;
        for (const QJsonValue &value : m_json.value(QLatin1String(name)).toArray())
            values << value.toString();
        return values;
    }
    const QJsonObject &object() const { return m_json; }

private:
    const QJsonObject &m_json;
};

void readEndpoints(const ProfileJson &json, ClientConfig &c)
{
    c.issuer = json.url("issuer");
    c.authorizationEndpoint = json.url("authorization_endpoint");
    c.tokenEndpoint = json.url("token_endpoint");
    c.jwksUri = json.url("jwks_uri");
    c.userinfoEndpoint = json.url("userinfo_endpoint");
    c.introspectionEndpoint = json.url("introspection_endpoint");
    c.revocationEndpoint = json.url("revocation_endpoint");
    c.endSessionEndpoint = json.url("end_session_endpoint");
    c.postLogoutRedirectUri = json.url("post_logout_redirect_uri");
    c.deviceAuthorizationEndpoint = json.url("device_authorization_endpoint");
    c.backchannelAuthenticationEndpoint = json.url("backchannel_authentication_endpoint");
    c.pushedAuthorizationRequestEndpoint = json.url("pushed_authorization_request_endpoint");
    c.issuerInAuthorizationResponse = json.flag("authorization_response_iss_parameter_supported");
    c.idTokenSigningAlgorithms << json.strings("id_token_signing_alg_values");
    c.authorizationSigningAlgorithms << json.strings("authorization_signing_alg_values");
    c.requestObjectEncryptionAlgorithms = json.strings("request_object_encryption_alg_values");
    c.requestObjectEncryptionEncodings = json.strings("request_object_encryption_enc_values");
    c.registrationClientUri = json.url("registration_client_uri");
}

void readRequestOptions(const ProfileJson &json, ClientConfig &c)
{
    c.signingAlgorithm = json.text("signing_alg", c.signingAlgorithm);
    c.keyId = json.text("key_id");
    c.decryptionKeyId = json.text("decryption_key_id");
    c.responseType = json.text("response_type");
    c.responseMode = json.text("response_mode");
    c.prompt = json.text("prompt");
    c.loginHint = json.text("login_hint");
    c.bindingMessage = json.text("binding_message");
    c.maxAge = json.text("max_age");
    c.acrValues = json.text("acr_values");
    c.claims = json.text("claims");
    c.authorizationDetails = json.text("authorization_details");
    c.resources = json.strings("resources");
    c.audience = json.text("audience");
    c.usePar = json.flag("par");
    c.useRequestObject = json.flag("request_object");
    c.requestObjectEncryptionAlg = json.text("request_object_encryption_alg");
    c.requestObjectEncryptionEnc =
        json.text("request_object_encryption_enc", c.requestObjectEncryptionEnc);
    c.useDpop = json.flag("dpop");
    c.dpopAlgorithm = json.text("dpop_alg", c.dpopAlgorithm);
    c.username = json.text("username");
    c.subjectTokenType = json.text("subject_token_type", c.subjectTokenType);
    c.actorTokenType = json.text("actor_token_type");
    c.requestedTokenType = json.text("requested_token_type");
    c.assertionSubject = json.text("assertion_subject");
    c.clientId = json.text("client_id");
    c.scope = json.text("scope");
    if (json.object().contains(QLatin1String("redirect_uri")))
        c.redirectUri = json.url("redirect_uri");
    c.usePkce = json.flag("pkce", true);
    c.pkceMethod = json.text("pkce_method") == QLatin1String("plain") ? Pkce::Method::Plain
                                                                      : Pkce::Method::S256;
    c.extraAuthorizationParameters =
        fieldsFromJson(json.object().value(QLatin1String("extra_authorization_parameters")));
    c.extraTokenParameters =
        fieldsFromJson(json.object().value(QLatin1String("extra_token_parameters")));
}

void readConnection(const ProfileJson &json, ClientConfig &c)
{
    const QJsonObject tls = json.object().value(QLatin1String("tls")).toObject();
    c.tls.caBundlePath = tls.value(QLatin1String("ca_bundle")).toString();
    c.tls.skipVerification = tls.value(QLatin1String("skip_verification")).toBool();
    c.tls.clientCertificatePath = tls.value(QLatin1String("client_certificate")).toString();
    c.tls.clientKeyPath = tls.value(QLatin1String("client_key")).toString();
    c.timeoutSeconds = std::clamp(json.object().value(QLatin1String("timeout_seconds")).toInt(30),
                                  1, ClientConfig::kMaxTimeoutSeconds);
    c.redirectWaitSeconds =
        std::clamp(json.object().value(QLatin1String("redirect_wait_seconds")).toInt(300), 1,
                   ClientConfig::kMaxRedirectWaitSeconds);
    c.provider = json.text("provider");
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
            {"backchannel_authentication_endpoint", url(c.backchannelAuthenticationEndpoint)},
            {"pushed_authorization_request_endpoint", url(c.pushedAuthorizationRequestEndpoint)},
            {"jwks_uri", url(c.jwksUri)},
            {"userinfo_endpoint", url(c.userinfoEndpoint)},
            {"introspection_endpoint", url(c.introspectionEndpoint)},
            {"revocation_endpoint", url(c.revocationEndpoint)},
            {"end_session_endpoint", url(c.endSessionEndpoint)},
            {"post_logout_redirect_uri", url(c.postLogoutRedirectUri)},
            {"id_token_signing_alg_values", list(c.idTokenSigningAlgorithms)},
            {"authorization_signing_alg_values", list(c.authorizationSigningAlgorithms)},
            {"request_object_encryption_alg_values", list(c.requestObjectEncryptionAlgorithms)},
            {"request_object_encryption_enc_values", list(c.requestObjectEncryptionEncodings)},
            {"authorization_response_iss_parameter_supported", c.issuerInAuthorizationResponse},
            {"registration_client_uri", url(c.registrationClientUri)},
            {"client_id", c.clientId},
            {"client_auth_method", clientAuthMethodName(c.authMethod)},
            {"signing_alg", c.signingAlgorithm},
            {"key_id", c.keyId},
            {"decryption_key_id", c.decryptionKeyId},
            {"scope", c.scope},
            {"redirect_uri", url(c.redirectUri)},
            {"pkce", c.usePkce},
            {"pkce_method", Pkce::methodName(c.pkceMethod)},
            {"response_type", c.responseType},
            {"response_mode", c.responseMode},
            {"prompt", c.prompt},
            {"login_hint", c.loginHint},
            {"binding_message", c.bindingMessage},
            {"max_age", c.maxAge},
            {"acr_values", c.acrValues},
            {"claims", c.claims},
            {"authorization_details", c.authorizationDetails},
            {"resources", list(c.resources)},
            {"audience", c.audience},
            {"par", c.usePar},
            {"request_object", c.useRequestObject},
            {"request_object_encryption_alg", c.requestObjectEncryptionAlg},
            {"request_object_encryption_enc", c.requestObjectEncryptionEnc},
            {"dpop", c.useDpop},
            {"dpop_alg", c.dpopAlgorithm},
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

std::optional<Profile> Profile::fromJson(const QJsonObject &object, QString *error)
{
    const ProfileJson json(object);
    Profile profile;
    profile.id = json.text("id");
    profile.name = json.text("name");
    if (profile.id.isEmpty() || profile.name.isEmpty()) {
        Failure::report(error, QStringLiteral("a profile needs an id and a name"));
        return std::nullopt;
    }
    ClientConfig &c = profile.config;
    const QString grant = json.text("grant_type");
    if (!grant.isEmpty() && !grantTypeFromName(grant, &c.grant)) {
        Failure::report(
            error,
            QStringLiteral("profile \"%1\": unknown grant_type \"%2\"").arg(profile.name, grant));
        return std::nullopt;
    }
    const QString method = json.text("client_auth_method");
    if (!method.isEmpty() && !clientAuthMethodFromName(method, &c.authMethod)) {
        Failure::report(error, QStringLiteral("profile \"%1\": unknown client_auth_method \"%2\"")
                                   .arg(profile.name, method));
        return std::nullopt;
    }
    readEndpoints(json, c);
    readRequestOptions(json, c);
    readConnection(json, c);
    profile.rememberedSecrets = json.strings("remembered_secrets");
    // Profiles from before remembered_secrets had one switch, for the client secret.
    if (json.flag("remember_client_secret") && !profile.remembers(QStringLiteral("client_secret")))
        profile.rememberedSecrets << QStringLiteral("client_secret");
    return profile;
}

} // namespace workbench
