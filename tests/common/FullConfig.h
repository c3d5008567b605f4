#pragma once

// Test-only: a client configuration with every field set, each secret field holding a value
// that is easy to find in a file ("SECRET-<field>-7f3a"), so round trips and leak scans can
// check all of them at once.

#include "core/client/ClientConfig.h"
#include "core/storage/Profile.h"

namespace fullconfig {

inline QString secretValue(const QString &field)
{
    return QStringLiteral("SECRET-%1-7f3a").arg(field);
}

inline workbench::ClientConfig make()
{
    using namespace workbench;
    ClientConfig c;
    c.grant = GrantType::TokenExchange;
    c.issuer = QUrl("https://id.example.test/tenant");
    c.authorizationEndpoint = QUrl("https://id.example.test/tenant/authorize");
    c.tokenEndpoint = QUrl("https://id.example.test/tenant/token");
    c.deviceAuthorizationEndpoint = QUrl("https://id.example.test/tenant/device");
    c.pushedAuthorizationRequestEndpoint = QUrl("https://id.example.test/tenant/par");
    c.jwksUri = QUrl("https://id.example.test/tenant/jwks");
    c.userinfoEndpoint = QUrl("https://id.example.test/tenant/userinfo");
    c.introspectionEndpoint = QUrl("https://id.example.test/tenant/introspect");
    c.revocationEndpoint = QUrl("https://id.example.test/tenant/revoke");
    c.endSessionEndpoint = QUrl("https://id.example.test/tenant/logout");
    c.postLogoutRedirectUri = QUrl("http://127.0.0.1:8765/signed-out");
    c.idTokenSigningAlgorithms = {"ES256", "RS256"};
    c.authorizationSigningAlgorithms = {"PS256"};
    c.issuerInAuthorizationResponse = true;
    c.clientId = "full-client";
    c.authMethod = ClientAuthMethod::PrivateKeyJwt;
    c.signingAlgorithm = "PS256";
    c.keyId = "key-2026";
    c.decryptionKeyId = "enc-2026";
    c.scope = "openid profile api:read";
    c.redirectUri = QUrl("http://127.0.0.1:8765/cb");
    c.usePkce = true;
    c.pkceMethod = Pkce::Method::Plain;
    c.extraAuthorizationParameters = {{"ui_locales", "de"}};
    c.responseMode = "form_post";
    c.prompt = "login consent";
    c.loginHint = "alice@example.test";
    c.maxAge = "300";
    c.acrValues = "urn:acr:mfa";
    c.claims = "{\"id_token\":{\"email\":null}}";
    c.resources = {"https://api.one", "https://api.two"};
    c.audience = "https://api.one";
    c.usePar = true;
    c.useRequestObject = true;
    c.requestObjectEncryptionAlg = "RSA-OAEP-256";
    c.requestObjectEncryptionEnc = "A256GCM";
    c.requestObjectEncryptionAlgorithms = {"RSA-OAEP-256", "ECDH-ES"};
    c.requestObjectEncryptionEncodings = {"A256GCM"};
    c.username = "alice";
    c.subjectTokenType = "urn:ietf:params:oauth:token-type:jwt";
    c.actorTokenType = "urn:ietf:params:oauth:token-type:access_token";
    c.requestedTokenType = "urn:ietf:params:oauth:token-type:refresh_token";
    c.assertionSubject = "svc@example.test";
    c.tls.caBundlePath = "/etc/ssl/extra-ca.pem";
    c.tls.clientCertificatePath = "/home/alice/client.crt";
    c.tls.clientKeyPath = "/home/alice/client.key";
    c.tls.skipVerification = true;
    c.timeoutSeconds = 7;
    c.redirectWaitSeconds = 45;
    c.provider = "keycloak";
    c.useDpop = true;
    c.dpopAlgorithm = "EdDSA";
    c.registrationClientUri = QUrl("https://id.example.test/tenant/register/full-client");
    for (const QString &field : ClientConfig::secretFieldNames())
        c.setSecretField(field, secretValue(field));
    return c;
}

// Every non-secret field, as a profile writes it: equal JSON means equal configurations.
inline QJsonObject publicFields(const workbench::ClientConfig &config)
{
    workbench::Profile profile;
    profile.id = "x";
    profile.name = "x";
    profile.config = config;
    return profile.toJson();
}

} // namespace fullconfig
