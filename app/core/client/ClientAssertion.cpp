#include "core/client/ClientAssertion.h"

#include "core/jose/Jwe.h"
#include "core/util/SecureRandom.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench::ClientAssertion {

SigningKey privateKey(const ClientConfig &config, QString *error)
{
    if (config.privateKeyPem.trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("No private key is configured.");
        return {};
    }
    return SigningKey::fromPem(config.privateKeyPem.toUtf8(), config.privateKeyPassphrase.toUtf8(),
                               config.signingAlgorithm, config.keyId, error);
}

SigningKey clientKey(const ClientConfig &config, QString *error)
{
    if (config.authMethod == ClientAuthMethod::ClientSecretJwt) {
        if (config.clientSecret.isEmpty()) {
            if (error)
                *error = QStringLiteral("client_secret_jwt needs the client secret.");
            return {};
        }
        return SigningKey::sharedSecret(config.clientSecret.toUtf8());
    }
    return privateKey(config, error);
}

QString audienceFor(const ClientConfig &config, const QUrl &endpoint)
{
    return config.issuer.isEmpty() ? endpoint.toString(QUrl::FullyEncoded)
                                   : config.issuerIdentifier();
}

QJsonObject assertionClaims(const QString &clientId, const QString &audience, const QDateTime &now)
{
    const qint64 issuedAt = now.toSecsSinceEpoch();
    return {{"iss", clientId}, {"sub", clientId},
            {"aud", audience}, {"jti", QString::fromLatin1(SecureRandom::urlSafeToken(18))},
            {"iat", issuedAt}, {"exp", issuedAt + 60}};
}

QByteArray clientAssertion(const ClientConfig &config, const QUrl &endpoint, QString *error,
                           const QDateTime &now)
{
    const SigningKey key = clientKey(config, error);
    if (!key.isValid())
        return {};
    return key.sign(assertionClaims(config.clientId, audienceFor(config, endpoint), now),
                    QStringLiteral("JWT"));
}

QByteArray bearerAssertion(const ClientConfig &config, QString *error, const QDateTime &now)
{
    if (!config.assertion.trimmed().isEmpty())
        return config.assertion.trimmed().toUtf8();
    const SigningKey key = privateKey(config, error);
    if (!key.isValid())
        return {};
    QJsonObject claims =
        assertionClaims(config.clientId, audienceFor(config, config.tokenEndpoint), now);
    claims.insert("sub", config.assertionSubject.trimmed());
    claims.insert("exp", now.toSecsSinceEpoch() + 300);
    return key.sign(claims, QStringLiteral("JWT"));
}

QByteArray requestObject(const ClientConfig &config, const FormFields &parameters, QString *error,
                         const QDateTime &now)
{
    const SigningKey key = clientKey(config, error);
    if (!key.isValid())
        return {};
    QJsonObject claims;
    for (const auto &[name, value] : parameters) {
        if (name == QLatin1String("max_age")) {
            claims.insert(name, value.toLongLong());
        } else if (name == QLatin1String("claims")) {
            claims.insert(name, QJsonDocument::fromJson(value.toUtf8()).object());
        } else if (name == QLatin1String("authorization_details") &&
                   QJsonDocument::fromJson(value.toUtf8()).isArray()) {
            claims.insert(name, QJsonDocument::fromJson(value.toUtf8()).array()); // RFC 9396 §3
        } else if (name == QLatin1String("resource") && claims.contains(name)) {
            QJsonValue previous = claims.value(name);
            QJsonArray values = previous.isArray() ? previous.toArray() : QJsonArray{previous};
            values.append(value);
            claims.insert(name, values);
        } else {
            claims.insert(name, value);
        }
    }
    const qint64 issuedAt = now.toSecsSinceEpoch();
    claims.insert("iss", config.clientId);
    claims.insert("aud", config.issuer.isEmpty()
                             ? config.authorizationEndpoint.toString(QUrl::FullyEncoded)
                             : config.issuerIdentifier());
    claims.insert("iat", issuedAt);
    claims.insert("nbf", issuedAt);
    claims.insert("exp", issuedAt + 300);
    claims.insert("jti", QString::fromLatin1(SecureRandom::urlSafeToken(18)));
    return key.sign(claims, QStringLiteral("oauth-authz-req+jwt"));
}

QByteArray encryptRequestObject(const ClientConfig &config, const QByteArray &signedObject,
                                const JwkSet &serverKeys, QString *error, QString *recipient)
{
    const QString alg = config.requestObjectEncryptionAlg.trimmed();
    const QString enc = config.requestObjectEncryptionEnc.trimmed();
    const bool shared = Jwe::keyTypeFor(alg) == QLatin1String("oct");
    const std::optional<Jwk> key =
        shared ? Jwe::secretRecipient(config.clientSecret.toUtf8(), alg, enc)
               : Jwe::recipientFor(serverKeys, alg);
    if (!key) {
        *error = shared ? QStringLiteral("%1 with %2 needs the client secret to derive its key "
                                         "from (OIDC Core §10.2).")
                              .arg(alg, enc)
                        : QStringLiteral("The server's JWKS has no %1 key for encryption (use "
                                         "\"enc\" or none, alg %2 or none) to encrypt the "
                                         "request object to.")
                              .arg(Jwe::keyTypeFor(alg), alg);
        return {};
    }
    if (recipient)
        *recipient = shared ? QStringLiteral("a key derived from the client secret")
                            : QStringLiteral("the server's key %1%2")
                                  .arg(key->describe(),
                                       key->kid().isEmpty()
                                           ? QString()
                                           : QStringLiteral(" (kid \"%1\")").arg(key->kid()));
    return Jwe::encrypt(signedObject, *key, alg, enc, {{"cty", "JWT"}}, error);
}

} // namespace workbench::ClientAssertion
