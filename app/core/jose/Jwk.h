#pragma once

#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <optional>

namespace workbench {

// One JSON Web Key (RFC 7517), kept as the JSON it came in.
struct Jwk
{
    QJsonObject json;

    QString kty() const { return json.value(QLatin1String("kty")).toString(); }
    QString kid() const { return json.value(QLatin1String("kid")).toString(); }
    QString alg() const { return json.value(QLatin1String("alg")).toString(); }
    QString use() const { return json.value(QLatin1String("use")).toString(); }
    QString crv() const { return json.value(QLatin1String("crv")).toString(); }
    // "RSA 2048", "EC P-256", "OKP Ed25519", ...
    QString describe() const;
};

// A JWK Set document (RFC 7517 §5), such as an issuer's jwks_uri serves.
struct JwkSet
{
    QList<Jwk> keys;
    QStringList skipped; // why a member of "keys" was not taken (not an object, no kty, ...)

    // Empty (and `error` set) when the document is not a JWK Set.
    [[nodiscard]] static std::optional<JwkSet> fromJson(const QByteArray &json, QString *error);
    bool hasKeyId(const QString &kid) const;
    // Keys that may have signed a JWS with this kid and alg: the same kid (any key when the token
    // names none), a key type that fits the algorithm, and no "use"/"alg" that says otherwise.
    QList<Jwk> candidatesFor(const QString &kid, const QString &alg) const;
};

} // namespace workbench
