#include "core/jose/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace workbench::Jwt {

namespace {
constexpr qint64 kAllowedSkewSeconds = 60;

bool base64UrlDecode(const QByteArray &segment, QByteArray *out)
{
    const auto result = QByteArray::fromBase64Encoding(
        segment, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    *out = result.decoded;
    return true;
}

QString describeSpan(qint64 seconds)
{
    seconds = qAbs(seconds);
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 86400 * 2)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    return QStringLiteral("%1 days").arg(seconds / 86400);
}

const QHash<QString, QString> &meanings()
{
    static const QHash<QString, QString> table{
        {"iss", "Issuer: who made the token; must equal the issuer the client trusts."},
        {"sub", "Subject: the user (or client) the token is about, unique within the issuer."},
        {"aud", "Audience: who the token is for; an ID token's must contain the client_id."},
        {"exp", "Expires at: the token must not be accepted after this time."},
        {"nbf", "Not before: the token must not be accepted before this time."},
        {"iat", "Issued at: when the token was made."},
        {"jti", "JWT ID: a unique identifier, to detect replays."},
        {"auth_time", "When the user actually authenticated (OIDC); checked against max_age."},
        {"nonce", "Echo of the nonce sent in the authorization request; ties the ID token to it."},
        {"azp", "Authorized party: the client the token was issued to, when aud has several."},
        {"at_hash",
         "Hash of the access token issued with this ID token (left half of its digest)."},
        {"c_hash", "Hash of the authorization code issued with this ID token (hybrid flow)."},
        {"acr", "Authentication context class: how strongly the user was authenticated."},
        {"amr", "Authentication methods used (pwd, otp, mfa, ...)."},
        {"sid", "Session ID at the provider, used for logout."},
        {"scope", "Scopes granted to this access token."},
        {"cnf", "Confirmation: the key the token is bound to (DPoP, mTLS)."},
        {"client_id", "The client the access token was issued to (RFC 9068)."},
        {"typ", "Token type header (e.g. at+jwt for access tokens, RFC 9068)."}};
    return table;
}

QString compactValue(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 16);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isNull())
        return QStringLiteral("null");
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}
} // namespace

Kind kindOf(const QByteArray &token)
{
    const qsizetype dots = token.count('.');
    if (dots == 2 && !token.startsWith('.'))
        return Kind::Jws;
    if (dots == 4)
        return Kind::Jwe;
    return Kind::NotAJwt;
}

QString relative(const QDateTime &when, const QDateTime &now, bool isExpiry)
{
    const qint64 delta = now.secsTo(when);
    if (qAbs(delta) < 2)
        return QStringLiteral("just now");
    if (delta >= 0)
        return QStringLiteral("in %1").arg(describeSpan(delta));
    return isExpiry ? QStringLiteral("expired %1 ago").arg(describeSpan(delta))
                    : QStringLiteral("%1 ago").arg(describeSpan(delta));
}

std::optional<DecodedJwt> decode(const QByteArray &token, QString *error, const QDateTime &now)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QByteArray trimmed = token.trimmed();
    switch (kindOf(trimmed)) {
    case Kind::Jwe:
        return fail(QStringLiteral("An encrypted JWT (JWE, five parts): only its recipient can "
                                   "read it."));
    case Kind::NotAJwt:
        return fail(QStringLiteral("Opaque token: not a JWT, so only the server that issued it "
                                   "can tell what it means (introspection, RFC 7662)."));
    case Kind::Jws:
        break;
    }
    const QList<QByteArray> parts = trimmed.split('.');
    QByteArray headerBytes;
    QByteArray payloadBytes;
    DecodedJwt jwt;
    if (!base64UrlDecode(parts.at(0), &headerBytes))
        return fail(QStringLiteral("The header is not valid base64url."));
    if (!base64UrlDecode(parts.at(1), &payloadBytes))
        return fail(QStringLiteral("The payload is not valid base64url."));
    if (!base64UrlDecode(parts.at(2), &jwt.signature))
        return fail(QStringLiteral("The signature is not valid base64url."));
    QJsonParseError parseError{};
    const QJsonDocument header = QJsonDocument::fromJson(headerBytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !header.isObject())
        return fail(QStringLiteral("The header is not a JSON object."));
    const QJsonDocument payload = QJsonDocument::fromJson(payloadBytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !payload.isObject())
        return fail(QStringLiteral("The payload is not a JSON object (a JWS with another "
                                   "payload is not a JWT)."));
    jwt.header = header.object();
    jwt.claims = payload.object();
    jwt.signingInput = parts.at(0) + '.' + parts.at(1);

    const QString alg = jwt.algorithm();
    if (alg.isEmpty())
        jwt.warnings << QStringLiteral("The header has no \"alg\".");
    else if (alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        jwt.warnings << QStringLiteral("alg is \"none\": the token is unsigned and anyone could "
                                       "have written it. Never accept it.");
    if (!jwt.signature.isEmpty() && alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        jwt.warnings << QStringLiteral("alg \"none\" with a signature part: a tampered token.");
    const qint64 nowSeconds = now.toSecsSinceEpoch();
    const QJsonValue iat = jwt.claims.value(QLatin1String("iat"));
    if (iat.isDouble() && qint64(iat.toDouble()) > nowSeconds + kAllowedSkewSeconds)
        jwt.warnings << QStringLiteral("iat is %1 in the future: the clocks of this machine and "
                                       "the issuer differ.")
                            .arg(describeSpan(qint64(iat.toDouble()) - nowSeconds));
    const QJsonValue exp = jwt.claims.value(QLatin1String("exp"));
    if (exp.isDouble() && qint64(exp.toDouble()) < nowSeconds)
        jwt.warnings << QStringLiteral("The token expired %1 ago.")
                            .arg(describeSpan(nowSeconds - qint64(exp.toDouble())));
    const QJsonValue nbf = jwt.claims.value(QLatin1String("nbf"));
    if (nbf.isDouble() && qint64(nbf.toDouble()) > nowSeconds + kAllowedSkewSeconds)
        jwt.warnings << QStringLiteral("The token is not valid yet (nbf is %1 away).")
                            .arg(describeSpan(qint64(nbf.toDouble()) - nowSeconds));
    for (const char *timeClaim : {"exp", "nbf", "iat", "auth_time"}) {
        const QJsonValue value = jwt.claims.value(QLatin1String(timeClaim));
        if (!value.isUndefined() && !value.isDouble())
            jwt.warnings << QStringLiteral("\"%1\" is not a number of seconds (NumericDate).")
                                .arg(QLatin1String(timeClaim));
    }
    return jwt;
}

QString compactText(const QJsonValue &value)
{
    return compactValue(value);
}

QList<ClaimExplanation> explainClaims(const QJsonObject &claims, const QDateTime &now)
{
    QList<ClaimExplanation> out;
    for (auto it = claims.begin(); it != claims.end(); ++it) {
        ClaimExplanation claim;
        claim.name = it.key();
        claim.value = compactValue(it.value());
        claim.meaning = meanings().value(it.key());
        const bool isTime = it.key() == QLatin1String("exp") || it.key() == QLatin1String("nbf") ||
                            it.key() == QLatin1String("iat") ||
                            it.key() == QLatin1String("auth_time");
        if (isTime && it.value().isDouble()) {
            const QDateTime when =
                QDateTime::fromSecsSinceEpoch(qint64(it.value().toDouble()), Qt::UTC);
            claim.when =
                QStringLiteral("%1 UTC · %2 local · %3")
                    .arg(when.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         relative(when, now, it.key() == QLatin1String("exp")));
        }
        out << claim;
    }
    return out;
}

} // namespace workbench::Jwt
