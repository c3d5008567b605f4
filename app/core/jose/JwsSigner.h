#pragma once

#include <QJsonObject>
#include <memory>

struct evp_pkey_st;

namespace workbench {

// A private signing key made with OpenSSL 3, for the built-in sandbox provider: it signs the
// sandbox's ID and access tokens and publishes the public half as a JWK.
class SigningKey
{
public:
    // "RS256" (RSA 2048) or "ES256" (P-256); an invalid key when OpenSSL cannot make one.
    static SigningKey generate(const QString &alg, const QString &kid);

    bool isValid() const { return m_key != nullptr; }
    QString algorithm() const { return m_alg; }
    QString keyId() const { return m_kid; }
    QJsonObject publicJwk() const;
    // A JWS compact serialization of `claims`; the header gets alg and kid (and `typ` if given).
    QByteArray sign(const QJsonObject &claims, const QString &typ = {}) const;

private:
    std::shared_ptr<evp_pkey_st> m_key;
    QString m_alg;
    QString m_kid;
};

} // namespace workbench
