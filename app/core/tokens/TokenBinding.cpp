#include "core/tokens/TokenBinding.h"

#include "core/jose/Jwt.h"

namespace workbench::TokenBinding {

namespace {
using Status = TokenCheck::Status;

// The cnf.jkt of a token's claims against the thumbprint; `where` says whose claims they are.
TokenCheck jktCheck(const QJsonObject &claims, const QByteArray &thumbprint, const QString &where)
{
    const QString jkt =
        claims.value(QLatin1String("cnf")).toObject().value(QLatin1String("jkt")).toString();
    if (jkt.isEmpty())
        return {QStringLiteral("cnf.jkt"), Status::Failed,
                QStringLiteral("%1 has no cnf.jkt: the token is not bound to a DPoP key, so "
                               "anyone holding it can use it.")
                    .arg(where),
                QStringLiteral("Check that the server has DPoP on for this client and that the "
                               "token request carried the DPoP header.")};
    if (jkt.toLatin1() != thumbprint)
        return {QStringLiteral("cnf.jkt"), Status::Failed,
                QStringLiteral("%1 is bound to the key with thumbprint %2, but the proofs were "
                               "signed with %3.")
                    .arg(where, jkt, QString::fromLatin1(thumbprint)),
                QStringLiteral("The server bound the token to another key: a proxy or another "
                               "client may have sent the token request, or the key changed "
                               "between requests.")};
    return {QStringLiteral("cnf.jkt"),
            Status::Passed,
            QStringLiteral("%1 is bound to this client's DPoP key (%2).")
                .arg(where, QString::fromLatin1(thumbprint)),
            {}};
}
} // namespace

QList<TokenCheck> dpopChecks(const QJsonObject &tokenResponse, const QByteArray &thumbprint)
{
    QList<TokenCheck> checks;
    const QString type = tokenResponse.value(QLatin1String("token_type")).toString();
    if (type.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0)
        checks << TokenCheck{QStringLiteral("token_type"),
                             Status::Passed,
                             QStringLiteral("token_type is DPoP: the access token is bound to "
                                            "the key."),
                             {}};
    else
        checks << TokenCheck{
            QStringLiteral("token_type"), Status::Failed,
            QStringLiteral("token_type is \"%1\", not DPoP, although the request carried a DPoP "
                           "proof: the server issued an unbound token.")
                .arg(type),
            QStringLiteral("Turn DPoP on for this client at the server (or check its "
                           "dpop_signing_alg_values_supported); a server without DPoP ignores "
                           "the header.")};
    const QByteArray accessToken =
        tokenResponse.value(QLatin1String("access_token")).toString().toLatin1();
    QString notJwt;
    const std::optional<DecodedJwt> decoded = Jwt::kindOf(accessToken) == Jwt::Kind::Jws
                                                  ? Jwt::decode(accessToken, &notJwt)
                                                  : std::nullopt;
    if (decoded)
        checks << jktCheck(decoded->claims, thumbprint, QStringLiteral("The access token"));
    else
        checks << TokenCheck{QStringLiteral("cnf.jkt"),
                             Status::Skipped,
                             QStringLiteral("The access token is opaque: introspect it to see "
                                            "the key it is bound to."),
                             {}};
    return checks;
}

TokenCheck introspectedJkt(const QJsonObject &introspection, const QByteArray &thumbprint)
{
    if (!introspection.value(QLatin1String("active")).toBool())
        return {QStringLiteral("cnf.jkt"),
                Status::Skipped,
                QStringLiteral("The token is not active."),
                {}};
    return jktCheck(introspection, thumbprint, QStringLiteral("The introspected token"));
}

} // namespace workbench::TokenBinding
