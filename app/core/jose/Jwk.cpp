#include "core/jose/Jwk.h"

#include "core/jose/JwsVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench {

namespace {
int rsaBits(const QJsonObject &json)
{
    QByteArray n = QByteArray::fromBase64(json.value(QLatin1String("n")).toString().toLatin1(),
                                          QByteArray::Base64UrlEncoding);
    while (!n.isEmpty() && n.at(0) == '\0')
        n.remove(0, 1);
    if (n.isEmpty())
        return 0;
    int bits = int(n.size()) * 8;
    for (unsigned char top = static_cast<unsigned char>(n.at(0)); !(top & 0x80); top <<= 1)
        --bits;
    return bits;
}
} // namespace

QString Jwk::describe() const
{
    if (kty() == QLatin1String("RSA"))
        return QStringLiteral("RSA %1").arg(rsaBits(json));
    if (!crv().isEmpty())
        return kty() + QLatin1Char(' ') + crv();
    return kty();
}

std::optional<JwkSet> JwkSet::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("not JSON (%1 at byte %2)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject() || !document.object().value(QLatin1String("keys")).isArray()) {
        if (error)
            *error = QStringLiteral("not a JWK Set: it needs a \"keys\" array (RFC 7517 §5)");
        return std::nullopt;
    }
    JwkSet set;
    const QJsonArray keys = document.object().value(QLatin1String("keys")).toArray();
    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QJsonValue value = keys.at(i);
        if (!value.isObject()) {
            set.skipped << QStringLiteral("keys[%1] is not an object").arg(i);
            continue;
        }
        Jwk key{value.toObject()};
        if (key.kty().isEmpty()) {
            set.skipped << QStringLiteral("keys[%1] has no \"kty\"").arg(i);
            continue;
        }
        if (key.json.contains(QLatin1String("d")))
            set.skipped << QStringLiteral(
                               "keys[%1] (kid %2) holds a private key (\"d\"): a JWKS must only "
                               "publish public keys")
                               .arg(i)
                               .arg(key.kid());
        set.keys << key;
    }
    return set;
}

bool JwkSet::hasKeyId(const QString &kid) const
{
    for (const Jwk &key : keys) {
        if (key.kid() == kid)
            return true;
    }
    return false;
}

QList<Jwk> JwkSet::candidatesFor(const QString &kid, const QString &alg) const
{
    const QString kty = JwsVerifier::keyTypeFor(alg);
    QList<Jwk> result;
    for (const Jwk &key : keys) {
        if (!kid.isEmpty() && key.kid() != kid)
            continue;
        if (key.kty() != kty)
            continue;
        if (!key.use().isEmpty() && key.use() != QLatin1String("sig"))
            continue;
        if (!key.alg().isEmpty() && key.alg() != alg &&
            !(alg == QLatin1String("EdDSA") && key.alg().startsWith(QLatin1String("Ed"))) &&
            !(key.alg() == QLatin1String("EdDSA") && alg.startsWith(QLatin1String("Ed"))))
            continue;
        result << key;
    }
    return result;
}

} // namespace workbench
