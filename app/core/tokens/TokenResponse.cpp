#include "core/tokens/TokenResponse.h"

#include "core/jose/Jwt.h"

namespace workbench::TokenResponse {

ScopeComparison compareScopes(const QString &requested, const QJsonObject &response)
{
    ScopeComparison comparison;
    comparison.requested = requested.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QJsonValue scope = response.value(QLatin1String("scope"));
    if (!scope.isString()) {
        comparison.grantedOmitted = true;
        comparison.granted = comparison.requested;
        return comparison;
    }
    comparison.granted = scope.toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &name : std::as_const(comparison.requested)) {
        if (!comparison.granted.contains(name))
            comparison.dropped << name;
    }
    for (const QString &name : std::as_const(comparison.granted)) {
        if (!comparison.requested.contains(name))
            comparison.added << name;
    }
    return comparison;
}

QStringList warnings(const QJsonObject &response, bool publicClient)
{
    QStringList out;
    const QJsonValue accessToken = response.value(QLatin1String("access_token"));
    if (!accessToken.isString() || accessToken.toString().isEmpty())
        out << QStringLiteral("No access_token: RFC 6749 §5.1 requires one in every successful "
                              "token response.");
    const QJsonValue tokenType = response.value(QLatin1String("token_type"));
    if (tokenType.isUndefined())
        out << QStringLiteral("No token_type: RFC 6749 §5.1 requires it (usually \"Bearer\").");
    else if (tokenType.toString().compare(QLatin1String("Bearer"), Qt::CaseInsensitive) != 0 &&
             tokenType.toString().compare(QLatin1String("DPoP"), Qt::CaseInsensitive) != 0)
        out << QStringLiteral("Unusual token_type \"%1\": send the token the way that type "
                              "prescribes, not as Bearer.")
                   .arg(tokenType.toString());
    else if (tokenType.toString().compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0)
        out << QStringLiteral("token_type DPoP: the token is bound to a key and must be sent "
                              "with a DPoP proof (RFC 9449), not as a plain Bearer token.");
    const QJsonValue expiresIn = response.value(QLatin1String("expires_in"));
    if (expiresIn.isString())
        out << QStringLiteral("expires_in is the string \"%1\": RFC 6749 §5.1 says a number of "
                              "seconds; some clients will fail to read it.")
                   .arg(expiresIn.toString());
    else if (expiresIn.isDouble() && expiresIn.toDouble() <= 0)
        out << QStringLiteral("expires_in is %1: the token is expired on arrival.")
                   .arg(expiresIn.toDouble());
    if (publicClient && response.contains(QLatin1String("refresh_token")))
        out << QStringLiteral("A refresh token was issued to a public client: it is safe only if "
                              "the server rotates refresh tokens or binds them to the client "
                              "(OAuth 2.0 Security BCP, RFC 9700 §4.14.2). Check that using it "
                              "returns a new one.");
    const QString idToken = response.value(QLatin1String("id_token")).toString();
    if (!idToken.isEmpty() && Jwt::kindOf(idToken.toLatin1()) == Jwt::Kind::NotAJwt)
        out << QStringLiteral("id_token is not a JWT; OpenID Connect requires a signed JWT.");
    return out;
}

} // namespace workbench::TokenResponse
