#include "ui/results/TokenView.h"

#include "core/jose/Jwe.h"
#include "core/jose/Jwt.h"
#include "core/tokens/TokenResponse.h"

#include <QJsonDocument>

namespace workbench::TokenView {

namespace {
// 59:59, or 1:00:00 past an hour.
QString clock(qint64 seconds)
{
    seconds = qAbs(seconds);
    const QString minutesSeconds =
        QStringLiteral("%1:%2")
            .arg((seconds / 60) % 60, seconds >= 3600 ? 2 : 1, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return seconds >= 3600 ? QStringLiteral("%1:%2").arg(seconds / 3600).arg(minutesSeconds)
                           : minutesSeconds;
}
} // namespace

namespace {
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString signedTokenHtml(const QString &name, const QString &token, const QDateTime &now,
                        const QList<TokenCheck> &checks, bool authorizationResponse);

QString tokenSection(const QString &name, const QString &token, const QDateTime &now,
                     const QList<TokenCheck> &checks = {}, bool authorizationResponse = false,
                     const DecryptionKey &key = {})
{
    QString html = QStringLiteral("<h3>%1</h3>").arg(esc(name));
    if (Jwt::kindOf(token.toLatin1()) == Jwt::Kind::Jwe) {
        // Encrypted to the client: what was used is in its header; what is inside shows when
        // the run's key opens it, else only the checks (which opened it) can tell.
        const QJsonObject header = Jwe::header(token.toLatin1());
        html += QStringLiteral("<p>Encrypted to the client (JWE) with <code>%1</code> and "
                               "<code>%2</code>%3.</p>")
                    .arg(esc(header.value(QLatin1String("alg")).toString()),
                         esc(header.value(QLatin1String("enc")).toString()),
                         header.value(QLatin1String("kid")).toString().isEmpty()
                             ? QString()
                             : QStringLiteral(", to key <code>%1</code>")
                                   .arg(esc(header.value(QLatin1String("kid")).toString())));
        const QByteArray inside = Jwe::signedInside(token.toLatin1(), key);
        if (!inside.isEmpty())
            return html +
                   QStringLiteral("<p>Opened with the client's key (%1); inside:</p>")
                       .arg(esc(key.describe())) +
                   signedTokenHtml(name, QString::fromLatin1(inside), now, checks,
                                   authorizationResponse);
        html += checks.isEmpty() ? QStringLiteral("<p>Not opened in this step.</p>")
                                 : checksHtml(checks, authorizationResponse);
        return html;
    }
    return html + signedTokenHtml(name, token, now, checks, authorizationResponse);
}

// A signed (or unsecured) JWT: its alg and key, its checks, warnings and explained claims.
QString signedTokenHtml(const QString &name, const QString &token, const QDateTime &now,
                        const QList<TokenCheck> &checks, bool authorizationResponse)
{
    QString html;
    QString error;
    const auto jwt = Jwt::decode(token.toLatin1(), &error, now);
    if (!jwt) {
        html +=
            QStringLiteral("<p><i>%1</i> (%2 characters)</p>").arg(esc(error)).arg(token.size());
        return html;
    }
    const QString signedWith =
        QStringLiteral("JWT signed with <code>%1</code>%2.")
            .arg(esc(jwt->algorithm()),
                 jwt->keyId().isEmpty()
                     ? QString()
                     : QStringLiteral(", key <code>%1</code>").arg(esc(jwt->keyId())));
    if (!checks.isEmpty())
        html += QStringLiteral("<p>%1</p>%2")
                    .arg(signedWith, checksHtml(checks, authorizationResponse));
    else if (authorizationResponse)
        html += QStringLiteral("<p>%1 Not checked yet.</p>").arg(signedWith);
    else if (name == QLatin1String("id_token"))
        html += QStringLiteral("<p>%1 Not validated in this step.</p>").arg(signedWith);
    else
        html += QStringLiteral("<p>%1 Its signature is for the API that receives it to check; "
                               "the app decodes it only.</p>")
                    .arg(signedWith);
    for (const QString &warning : jwt->warnings)
        html += QStringLiteral("<p style=\"color:#b42318\">⚠ %1</p>").arg(esc(warning));
    html += QStringLiteral("<table border=\"0\" cellspacing=\"0\" cellpadding=\"3\">"
                           "<tr><th align=\"left\">Claim</th><th align=\"left\">Value</th>"
                           "<th align=\"left\">Meaning</th></tr>");
    for (const ClaimExplanation &claim : Jwt::explainClaims(jwt->claims, now)) {
        QString meaning = esc(claim.meaning);
        if (!claim.when.isEmpty())
            meaning += QStringLiteral("<br><b>%1</b>").arg(esc(claim.when));
        html += QStringLiteral("<tr><td valign=\"top\"><code>%1</code></td><td valign=\"top\">"
                               "<code>%2</code></td><td valign=\"top\">%3</td></tr>")
                    .arg(esc(claim.name), esc(claim.value.left(300)), meaning);
    }
    // The header and the claims as JSON are in the tree below and the Body tab: not again here.
    return html + QStringLiteral("</table>");
}
} // namespace

QString checksHtml(const QList<TokenCheck> &checks, bool authorizationResponse)
{
    const bool accepted = IdTokenValidator::accepted(checks);
    const QString valid = authorizationResponse
                              ? QStringLiteral("Signed response valid (JARM §2.4)")
                              : QStringLiteral("ID token valid (OIDC Core §3.1.3.7)");
    const QString what =
        authorizationResponse ? QStringLiteral("Signed response") : QStringLiteral("ID token");
    QString html = QStringLiteral("<p><b style=\"color:%1\">%2</b></p>")
                       .arg(accepted ? QStringLiteral("#1a7f37") : QStringLiteral("#b42318"),
                            accepted ? valid
                                     : QStringLiteral("%1 REJECTED: %2")
                                           .arg(what, esc(IdTokenValidator::firstFailure(checks))));
    html += QStringLiteral("<table border=\"0\" cellspacing=\"0\" cellpadding=\"3\">"
                           "<tr><th align=\"left\">Check</th><th align=\"left\">Result</th>"
                           "<th align=\"left\">Detail</th></tr>");
    for (const TokenCheck &check : checks) {
        QString mark;
        QString colour;
        switch (check.status) {
        case TokenCheck::Status::Passed:
            mark = QStringLiteral("✓ passed");
            colour = QStringLiteral("#1a7f37");
            break;
        case TokenCheck::Status::Failed:
            mark = QStringLiteral("✗ failed");
            colour = QStringLiteral("#b42318");
            break;
        case TokenCheck::Status::Warning:
            mark = QStringLiteral("⚠ warning");
            colour = QStringLiteral("#9a6700");
            break;
        case TokenCheck::Status::Skipped:
            mark = QStringLiteral("– skipped");
            colour = QStringLiteral("#57606a");
            break;
        }
        QString detail = esc(check.detail);
        if (!check.fix.isEmpty() && check.status != TokenCheck::Status::Passed)
            detail += QStringLiteral("<br><i>Fix: %1</i>").arg(esc(check.fix));
        html += QStringLiteral("<tr><td valign=\"top\"><code>%1</code></td>"
                               "<td valign=\"top\" style=\"color:%2\">%3</td>"
                               "<td valign=\"top\">%4</td></tr>")
                    .arg(esc(check.name), colour, mark, detail);
    }
    return html + QStringLiteral("</table>");
}

QString html(const QJsonObject &body, const QDateTime &receivedAt, const QString &requestedScope,
             bool publicClient, const QList<TokenCheck> &idTokenChecks, const QDateTime &now,
             const DecryptionKey &key)
{
    if (!body.contains(QLatin1String("access_token")) && !body.contains(QLatin1String("id_token")))
        return {};
    QString out;
    for (const QString &warning : TokenResponse::warnings(body, publicClient))
        out += QStringLiteral("<p style=\"color:#9a6700\">⚠ %1</p>").arg(esc(warning));
    const auto scopes = TokenResponse::compareScopes(requestedScope, body);
    if (scopes.grantedOmitted)
        out += QStringLiteral("<p>Scopes: the response names none, which means the ones "
                              "requested (<code>%1</code>).</p>")
                   .arg(esc(scopes.requested.join(QLatin1Char(' '))));
    else if (scopes.dropped.isEmpty() && scopes.added.isEmpty())
        out += QStringLiteral("<p>Scopes: granted as requested (<code>%1</code>).</p>")
                   .arg(esc(scopes.granted.join(QLatin1Char(' '))));
    else
        out += QStringLiteral("<p>Scopes granted: <code>%1</code>%2%3</p>")
                   .arg(esc(scopes.granted.join(QLatin1Char(' '))),
                        scopes.dropped.isEmpty()
                            ? QString()
                            : QStringLiteral("<br><span style=\"color:#b42318\">Dropped by the "
                                             "server: <code>%1</code></span>")
                                  .arg(esc(scopes.dropped.join(QLatin1Char(' ')))),
                        scopes.added.isEmpty()
                            ? QString()
                            : QStringLiteral("<br><span style=\"color:#9a6700\">Added by the "
                                             "server: <code>%1</code></span>")
                                  .arg(esc(scopes.added.join(QLatin1Char(' ')))));
    if (body.contains(QLatin1String("expires_in"))) {
        const QJsonValue expiresIn = body.value(QLatin1String("expires_in"));
        if (expiresIn.isDouble()) {
            const QDateTime expiry = receivedAt.addSecs(qint64(expiresIn.toDouble())).toUTC();
            out += QStringLiteral("<p>The access token expires at <b>%1 UTC</b> (%2 local), "
                                  "%3.</p>")
                       .arg(expiry.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                            expiry.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                            Jwt::relative(expiry, now, true));
        }
    }
    bool anyToken = false;
    // The ID token first: its validation is what a person reads first after a sign-in.
    for (const char *name : {"id_token", "access_token", "refresh_token"}) {
        const QString token = body.value(QLatin1String(name)).toString();
        if (token.isEmpty())
            continue;
        anyToken = true;
        out += tokenSection(QLatin1String(name), token, now,
                            qstrcmp(name, "id_token") == 0 ? idTokenChecks : QList<TokenCheck>(),
                            false, key);
    }
    // Any other JWT in the response (logout tokens, issued_token_type results, ...).
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("access_token") || key == QLatin1String("id_token") ||
            key == QLatin1String("refresh_token") || !it.value().isString())
            continue;
        if (Jwt::kindOf(it.value().toString().toLatin1()) == Jwt::Kind::Jws &&
            Jwt::decode(it.value().toString().toLatin1(), nullptr, now)) {
            anyToken = true;
            out += tokenSection(key, it.value().toString(), now);
        }
    }
    return anyToken ? out : QString();
}

QList<QPair<QString, QJsonValue>> claimRoots(const QJsonObject &tokenResponse)
{
    // In the order of the text above: the ID token first, then the access and refresh tokens,
    // then any other token the answer carries.
    QStringList names{QStringLiteral("id_token"), QStringLiteral("access_token"),
                      QStringLiteral("refresh_token")};
    for (const QString &name : tokenResponse.keys()) {
        if (!names.contains(name))
            names << name;
    }
    QList<QPair<QString, QJsonValue>> roots;
    for (const QString &name : names) {
        const QJsonValue value = tokenResponse.value(name);
        if (!value.isString())
            continue;
        QString error;
        const auto jwt = Jwt::decode(value.toString().toLatin1(), &error);
        if (!jwt)
            continue;
        roots.append({name + QStringLiteral(" header"), jwt->header});
        roots.append({name + QStringLiteral(" claims"), jwt->claims});
    }
    return roots;
}

QString sessionText(const TokenSet &tokens, const QDateTime &now)
{
    QString text;
    if (tokens.accessTokenRevoked) {
        text = QObject::tr("Access token <b>revoked</b>");
    } else if (tokens.accessTokenExpiresAt.isValid()) {
        const qint64 left = now.secsTo(tokens.accessTokenExpiresAt);
        text = left > 0
                   ? QObject::tr("Access token expires in <b>%1</b> (at %2)")
                         .arg(clock(left), tokens.accessTokenExpiresAt.toLocalTime().toString(
                                               QStringLiteral("HH:mm:ss")))
                   : QObject::tr(
                         "<span style=\"color:#b42318\">Access token <b>expired %1 ago</b></span>")
                         .arg(clock(left));
    } else if (!tokens.accessToken.isEmpty()) {
        text = QObject::tr("Access token held; the server did not say when it expires");
    }
    text += tokens.refreshToken.isEmpty() ? QObject::tr(" · no refresh token")
            : tokens.refreshTokenRevoked  ? QObject::tr(" · refresh token revoked")
                                          : QObject::tr(" · refresh token held");
    return text;
}

QString authorizationResponseHtml(const QString &response, const QList<TokenCheck> &checks,
                                  const QDateTime &now, const DecryptionKey &key)
{
    return QStringLiteral("<p>The authorization response came as one JWT in the "
                          "<code>response</code> parameter (JARM); its claims are the "
                          "response's parameters.</p>") +
           tokenSection(QStringLiteral("response"), response, now, checks, true, key);
}

} // namespace workbench::TokenView
