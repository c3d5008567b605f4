#include "core/jose/Dpop.h"

#include "core/util/Base64Url.h"
#include "core/util/SecureRandom.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace workbench::Dpop {

namespace {
// The members RFC 7638 §3.2 requires for each key type.
QStringList requiredMembers(const QString &kty)
{
    if (kty == QLatin1String("RSA"))
        return {QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n")};
    if (kty == QLatin1String("EC"))
        return {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"),
                QStringLiteral("y")};
    if (kty == QLatin1String("OKP"))
        return {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x")};
    return {};
}
} // namespace

QJsonObject publicMembers(const QJsonObject &jwk)
{
    QJsonObject members;
    for (const QString &name : requiredMembers(jwk.value(QLatin1String("kty")).toString())) {
        const QJsonValue value = jwk.value(name);
        if (!value.isString() || value.toString().isEmpty())
            return {};
        members.insert(name, value);
    }
    return members;
}

QByteArray thumbprint(const QJsonObject &jwk)
{
    const QJsonObject members = publicMembers(jwk);
    if (members.isEmpty())
        return {};
    // QJsonObject keeps its keys sorted, and the compact form has no whitespace: the JSON is
    // exactly the lexicographically ordered form RFC 7638 §3.3 hashes.
    return base64Url(QCryptographicHash::hash(QJsonDocument(members).toJson(QJsonDocument::Compact),
                                              QCryptographicHash::Sha256));
}

QString htu(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString(QUrl::FullyEncoded);
}

QByteArray accessTokenHash(const QByteArray &accessToken)
{
    return base64Url(QCryptographicHash::hash(accessToken, QCryptographicHash::Sha256));
}

QByteArray proof(const SigningKey &key, const ProofRequest &request)
{
    const QJsonObject jwk = publicMembers(key.publicJwk());
    if (!key.isValid() || jwk.isEmpty())
        return {};
    QJsonObject claims{{"jti", QString::fromLatin1(SecureRandom::urlSafeToken(24))},
                       {"htm", QString::fromLatin1(request.method)},
                       {"htu", htu(request.url)},
                       {"iat", request.issuedAt.toSecsSinceEpoch()}};
    if (!request.nonce.isEmpty())
        claims.insert("nonce", QString::fromLatin1(request.nonce));
    if (!request.accessToken.isEmpty())
        claims.insert("ath", QString::fromLatin1(accessTokenHash(request.accessToken)));
    return key.signWithHeader(claims, QJsonObject{{"typ", "dpop+jwt"}, {"jwk", jwk}});
}

} // namespace workbench::Dpop
