#pragma once

#include <QJsonObject>
#include <memory>

struct evp_pkey_st;

namespace workbench {

// A key that signs JWS compact serializations with OpenSSL 3: the sandbox's token signing key,
// a client's private key for private_key_jwt and request objects, or a client secret for
// client_secret_jwt (HMAC).
class SigningKey
{
public:
    // "RS256" or "PS256" (RSA 2048), "ES256" (P-256) or "EdDSA" (Ed25519); an invalid key for
    // any other name or when OpenSSL cannot make one.
    static SigningKey generate(const QString &alg, const QString &kid);
    // A private key from PEM (PKCS#8, PKCS#1 or SEC1; encrypted ones with `passphrase`) for
    // RS256, PS256, ES256 or EdDSA. Invalid, with `error` saying why, when the PEM cannot be read
    // or does not suit the algorithm.
    [[nodiscard]] static SigningKey fromPem(const QByteArray &pem, const QByteArray &passphrase,
                                            const QString &alg, const QString &kid, QString *error);
    // HS256 with a shared secret (client_secret_jwt, RFC 7523 §2.2).
    static SigningKey sharedSecret(const QByteArray &secret, const QString &kid = {});
    // The algorithms fromPem accepts.
    static QStringList privateKeyAlgorithms();

    bool isValid() const { return m_key != nullptr || !m_secret.isEmpty(); }
    QString algorithm() const { return m_alg; }
    QString keyId() const { return m_kid; }
    // The private key as unencrypted PKCS#8 PEM, for the keychain; empty for a shared secret.
    QByteArray privatePem() const;
    // The public half as a JWK; empty for a shared secret.
    QJsonObject publicJwk() const;
    // A JWS compact serialization of `claims`; the header gets alg, kid when there is one, and
    // `typ` if given.
    QByteArray sign(const QJsonObject &claims, const QString &typ = {}) const;
    // The same with the header's other members given (alg is always the key's; no kid is
    // added): a DPoP proof carries its public key in the header instead.
    QByteArray signWithHeader(const QJsonObject &claims, QJsonObject header) const;

private:
    QByteArray signature(const QByteArray &input) const;

    std::shared_ptr<evp_pkey_st> m_key;
    QByteArray m_secret;
    QString m_alg;
    QString m_kid;
};

} // namespace workbench
