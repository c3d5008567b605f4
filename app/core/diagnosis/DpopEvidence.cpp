#include "core/diagnosis/DpopEvidence.h"

#include "core/jose/Dpop.h"
#include "core/jose/Jwt.h"

#include <QRegularExpression>

namespace workbench::DpopEvidence {

namespace {
using Source = Diagnosis::Evidence::Source;

// Where the proof does not describe the request it came with; empty when it does.
QStringList mismatches(const DiagnosisContext &ctx, const DecodedJwt &proof)
{
    QStringList wrong;
    const QJsonObject &claims = proof.claims;
    if (proof.header.value(QLatin1String("typ")).toString() != QLatin1String("dpop+jwt"))
        wrong << QStringLiteral("its typ is \"%1\", not dpop+jwt")
                     .arg(proof.header.value(QLatin1String("typ")).toString());
    const QJsonObject jwk = proof.header.value(QLatin1String("jwk")).toObject();
    if (jwk.isEmpty())
        wrong << QStringLiteral("its header carries no jwk");
    else if (jwk.contains(QLatin1String("d")))
        wrong << QStringLiteral("its jwk holds the private key (d)");
    const QString htm = claims.value(QLatin1String("htm")).toString();
    if (!ctx.method.isEmpty() && htm != QString::fromLatin1(ctx.method))
        wrong << QStringLiteral("htm is \"%1\", but the request was a %2")
                     .arg(htm, QString::fromLatin1(ctx.method));
    const QString htu = claims.value(QLatin1String("htu")).toString();
    if (ctx.url.isValid() && htu != Dpop::htu(ctx.url))
        wrong << QStringLiteral("htu is \"%1\", but the request went to %2")
                     .arg(htu, Dpop::htu(ctx.url));
    const QByteArray authorization = headerValue(ctx.sentHeaders, "Authorization");
    const QString ath = claims.value(QLatin1String("ath")).toString();
    if (authorization.startsWith("DPoP ")) {
        const QByteArray expected = Dpop::accessTokenHash(authorization.mid(5).trimmed());
        if (ath.isEmpty())
            wrong << QStringLiteral("it has no ath, and a request with a token needs one");
        else if (ath.toLatin1() != expected)
            wrong << QStringLiteral("ath is %1, not the hash of the token sent (%2)")
                         .arg(ath, QString::fromLatin1(expected));
    }
    if (claims.value(QLatin1String("jti")).toString().isEmpty())
        wrong << QStringLiteral("it has no jti");
    const QJsonValue iat = claims.value(QLatin1String("iat"));
    if (!iat.isDouble()) {
        wrong << QStringLiteral("it has no numeric iat");
    } else if (ctx.requestedAt.isValid()) {
        const qint64 off = qint64(iat.toDouble()) - ctx.requestedAt.toSecsSinceEpoch();
        if (qAbs(off) > 60)
            wrong << QStringLiteral("iat is %1 s %2 the request")
                         .arg(qAbs(off))
                         .arg(off > 0 ? QStringLiteral("after") : QStringLiteral("before"));
    }
    return wrong;
}
} // namespace

void gather(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    const QByteArray sent = headerValue(ctx.sentHeaders, "DPoP");
    if (!ctx.requestKnown || sent.isEmpty() || signal.error != QLatin1String("invalid_dpop_proof"))
        return;
    QString unreadable;
    const std::optional<DecodedJwt> proof = Jwt::decode(sent, &unreadable);
    if (!proof) {
        findings.confirm(
            "dpop_proof_claim_wrong", Source::Flow,
            QStringLiteral("The DPoP header is not a readable JWT: %1").arg(unreadable));
        findings.explains("dpop_proof_claim_wrong", "dpop_proof_invalid");
        return;
    }
    const QStringList wrong = mismatches(ctx, *proof);
    for (const QString &what : wrong)
        findings.confirm("dpop_proof_claim_wrong", Source::Flow,
                         QStringLiteral("The proof sent does not fit its request: %1.").arg(what));
    if (!wrong.isEmpty()) {
        findings.explains("dpop_proof_claim_wrong", "dpop_proof_invalid");
        return;
    }
    findings.contradict("dpop_proof_claim_wrong", Source::Flow,
                        QStringLiteral("The proof fits its request: htm %1, htu %2, iat at the "
                                       "time it was sent%3.")
                            .arg(proof->claims.value(QLatin1String("htm")).toString(),
                                 proof->claims.value(QLatin1String("htu")).toString(),
                                 proof->claims.contains(QLatin1String("ath"))
                                     ? QStringLiteral(", ath of the token sent")
                                     : QString()));
    // The server says the URL is wrong, yet the proof names the URL this app called: the server
    // sees another one.
    static const QRegularExpression htuWords(QStringLiteral("\\bhtu\\b"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (htuWords.match(signal.words()).hasMatch()) {
        findings.confirm("dpop_htu_rewritten", Source::ServerWords,
                         QStringLiteral("The server faults htu, and the proof's htu is exactly "
                                        "%1, the URL this request went to.")
                             .arg(Dpop::htu(ctx.url)));
        findings.explains("dpop_htu_rewritten", "dpop_proof_invalid");
    }
}

} // namespace workbench::DpopEvidence
