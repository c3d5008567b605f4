#include "core/capture/CaptureChecks.h"

#include "core/client/Pkce.h"
#include "core/compare/StepRole.h"
#include "core/diagnosis/HtmlText.h"
#include "core/jose/Jwt.h"
#include "core/listener/CapturedRedirect.h"
#include "core/util/FormEncoding.h"

#include <QJsonDocument>
#include <QNetworkCookie>

namespace workbench {

QJsonObject CaptureFinding::toJson() const
{
    return {{"id", id},
            {"severity", severity == Severity::Problem ? "problem" : "warning"},
            {"title", title},
            {"detail", detail},
            {"fix", fix},
            {"reference", reference},
            {"step", qint64(step)}};
}

namespace CaptureChecks {

namespace {

FormFields queryOf(const HttpExchange &exchange)
{
    return FormEncoding::queryOf(exchange.request.url);
}

struct Flow
{
    QList<HttpExchange> exchanges;
    QList<StepRole> roles;
    QList<CaptureFinding> findings;

    void add(CaptureFinding finding) { findings << std::move(finding); }

    // The last authorization request before `index`.
    qsizetype authorizationBefore(qsizetype index) const
    {
        for (qsizetype i = index - 1; i >= 0; --i) {
            if (roles.at(i) == StepRole::Authorization)
                return i;
        }
        return -1;
    }

    void checkCallbacks()
    {
        for (qsizetype i = 0; i < exchanges.size(); ++i) {
            if (roles.at(i) != StepRole::Callback)
                continue;
            const qsizetype at = authorizationBefore(i);
            if (at < 0)
                continue;
            const FormFields sent = queryOf(exchanges.at(at));
            const FormFields back = CapturedRedirect::parametersOf(exchanges.at(i));
            const QString state = FormEncoding::value(sent, QStringLiteral("state"));
            const QString returned = FormEncoding::value(back, QStringLiteral("state"));
            if (!state.isEmpty() && returned != state)
                add({returned.isEmpty() ? QStringLiteral("state_missing")
                                        : QStringLiteral("state_mismatch"),
                     CaptureFinding::Severity::Problem,
                     returned.isEmpty()
                         ? QStringLiteral("The callback came back without the state")
                         : QStringLiteral("The callback's state is not the one sent"),
                     QStringLiteral("The authorization request sent state %1; the callback "
                                    "carried %2.")
                         .arg(state, returned.isEmpty() ? QStringLiteral("none") : returned),
                     QStringLiteral("A client must refuse a callback whose state is not the one "
                                    "it sent: it may be another login's (two tabs, a reused "
                                    "link) or a forged one. Keep the state per login attempt."),
                     QStringLiteral("RFC 6749 §10.12; RFC 9700 §4.7"), i});
            const QString iss = FormEncoding::value(back, QStringLiteral("iss"));
            const QUrl server = exchanges.at(at).request.url;
            if (!iss.isEmpty() && QUrl(iss).host() != server.host())
                add({QStringLiteral("iss_other_server"), CaptureFinding::Severity::Problem,
                     QStringLiteral("The callback names another issuer"),
                     QStringLiteral("The login went to %1, but the callback's iss is %2.")
                         .arg(server.host(), iss),
                     QStringLiteral("The answer may come from another authorization server than "
                                    "the one the client sent the person to (a mix-up): the "
                                    "client must compare iss with the issuer it used."),
                     QStringLiteral("RFC 9207 §2.4"), i});
            checkCookies(i);
            checkCallbackAnswer(i);
        }
    }

    // The client's own page after the callback: an error there is the client failing to finish
    // the login (often a lost state or correlation cookie, or its token request refused).
    void checkCallbackAnswer(qsizetype callback)
    {
        const HttpExchange &back = exchanges.at(callback);
        if (back.status < 400)
            return;
        const HtmlText page = HtmlText::read(back.responseBody);
        QString said = page.text.simplified().left(300);
        if (said.isEmpty())
            said = page.title.isEmpty() ? page.headings.join(QStringLiteral(" · ")) : page.title;
        add({QStringLiteral("client_callback_failed"), CaptureFinding::Severity::Problem,
             QStringLiteral("The client failed on the callback (HTTP %1)").arg(back.status),
             said.isEmpty() ? QStringLiteral("The page says nothing more.")
                            : QStringLiteral("Its page says: %1").arg(said),
             QStringLiteral("Read the client's log for this request. A lost state or "
                            "correlation cookie (see above), a refused token request on the "
                            "server side, or an ID token that failed validation are the usual "
                            "reasons."),
             QStringLiteral("RFC 6749 §4.1.2"), callback});
    }

    // A cookie the client set before sending the person to log in, missing on the way back.
    void checkCookies(qsizetype callback)
    {
        const HttpExchange &back = exchanges.at(callback);
        const QString host = back.request.url.host();
        const QByteArray sent = back.request.header("Cookie");
        const qsizetype login = authorizationBefore(callback);
        for (qsizetype i = 0; i < login; ++i) {
            if (exchanges.at(i).request.url.host() != host)
                continue;
            for (const auto &[name, value] : exchanges.at(i).responseHeaders) {
                if (name.compare("Set-Cookie", Qt::CaseInsensitive) != 0)
                    continue;
                for (const QNetworkCookie &cookie : QNetworkCookie::parseCookies(value)) {
                    if (sent.contains(cookie.name() + '='))
                        continue;
                    const QByteArray lower = value.toLower();
                    const bool strict = lower.contains("samesite=strict");
                    const bool none = lower.contains("samesite=none");
                    const bool post = back.request.method == "POST";
                    QString why;
                    if (strict)
                        why = QStringLiteral("it is SameSite=Strict, and the way back from the "
                                             "login is a cross-site navigation");
                    else if (post && !none)
                        why = QStringLiteral("the callback is a cross-site POST (form_post), on "
                                             "which browsers do not send SameSite=Lax cookies "
                                             "(Chromium treats a cookie without SameSite as "
                                             "Lax)");
                    else if (none && !cookie.isSecure())
                        why = QStringLiteral("it is SameSite=None without Secure, which browsers "
                                             "refuse to store");
                    else
                        why = QStringLiteral("the browser did not send it back (blocked, expired "
                                             "or set on another path)");
                    add({QStringLiteral("cookie_dropped"), CaptureFinding::Severity::Problem,
                         QStringLiteral("The callback came without the client's cookie %1")
                             .arg(QString::fromLatin1(cookie.name())),
                         QStringLiteral("%1 set it before the login; the callback to %2 did not "
                                        "carry it: %3.")
                             .arg(exchanges.at(i).request.url.toString(QUrl::RemoveQuery), host,
                                  why),
                         QStringLiteral("A client that keeps the state or PKCE verifier in a "
                                        "cookie loses it here. Use SameSite=Lax with a GET "
                                        "callback, or SameSite=None; Secure for form_post, and "
                                        "set it on a path the callback is under."),
                         QStringLiteral("RFC 6265bis §5.4.7 (SameSite)"), callback});
                }
            }
        }
    }

    void checkTokenRequests()
    {
        QHash<QString, qsizetype> codes;
        for (qsizetype i = 0; i < exchanges.size(); ++i) {
            if (roles.at(i) != StepRole::Token)
                continue;
            const FormFields form = FormEncoding::decode(exchanges.at(i).request.body);
            if (FormEncoding::value(form, QStringLiteral("grant_type")) !=
                QLatin1String("authorization_code"))
                continue;
            const QString code = FormEncoding::value(form, QStringLiteral("code"));
            if (!code.isEmpty() && codes.contains(code))
                add({QStringLiteral("code_reused"), CaptureFinding::Severity::Problem,
                     QStringLiteral("The same code was redeemed twice"),
                     QStringLiteral("Step %1 sent the code step %2 had already sent.")
                         .arg(i + 1)
                         .arg(codes.value(code) + 1),
                     QStringLiteral("A code is good for one token request; the second is refused "
                                    "and a server may revoke the tokens of the first. Look for a "
                                    "callback handled twice (a reload, a double render)."),
                     QStringLiteral("RFC 6749 §4.1.2, §10.5"), i});
            codes.insert(code, i);
            const qsizetype at = authorizationBefore(i);
            if (at < 0)
                continue;
            const FormFields sent = queryOf(exchanges.at(at));
            checkRedirectUri(sent, form, i);
            checkPkce(sent, form, i);
            checkNonce(sent, i);
        }
    }

    void checkRedirectUri(const FormFields &sent, const FormFields &form, qsizetype at)
    {
        const QString first = FormEncoding::value(sent, QStringLiteral("redirect_uri"));
        const QString second = FormEncoding::value(form, QStringLiteral("redirect_uri"));
        if (first == second || first.isEmpty())
            return;
        add({QStringLiteral("redirect_uri_differs"), CaptureFinding::Severity::Problem,
             QStringLiteral("The token request's redirect_uri is not the authorization request's"),
             QStringLiteral("The authorization request sent %1; the token request sent %2.")
                 .arg(first, second.isEmpty() ? QStringLiteral("none") : second),
             QStringLiteral("Send the token request the same redirect_uri, character for "
                            "character (scheme, host, port, path, trailing slash)."),
             QStringLiteral("RFC 6749 §4.1.3"), at});
    }

    void checkPkce(const FormFields &sent, const FormFields &form, qsizetype at)
    {
        const QString challenge = FormEncoding::value(sent, QStringLiteral("code_challenge"));
        const QString method = FormEncoding::value(sent, QStringLiteral("code_challenge_method"));
        const QString verifier = FormEncoding::value(form, QStringLiteral("code_verifier"));
        if (challenge.isEmpty() && verifier.isEmpty())
            return;
        if (challenge.isEmpty()) {
            add({QStringLiteral("pkce_unexpected_verifier"), CaptureFinding::Severity::Warning,
                 QStringLiteral("A code_verifier without a code_challenge"),
                 QStringLiteral("The token request sent a code_verifier, but the authorization "
                                "request had no code_challenge."),
                 QStringLiteral("Send the challenge with the authorization request, or no "
                                "verifier: some servers refuse a verifier they did not expect."),
                 QStringLiteral("RFC 7636 §4.5"), at});
            return;
        }
        if (verifier.isEmpty()) {
            add({QStringLiteral("pkce_verifier_missing"), CaptureFinding::Severity::Problem,
                 QStringLiteral("The token request has no code_verifier"),
                 QStringLiteral("The authorization request sent code_challenge %1 (%2); the token "
                                "request sent no code_verifier.")
                     .arg(challenge, method.isEmpty() ? QStringLiteral("plain") : method),
                 QStringLiteral("Send the verifier the challenge was made from; it is usually "
                                "lost when it was kept in a cookie or storage the callback does "
                                "not see."),
                 QStringLiteral("RFC 7636 §4.5"), at});
            return;
        }
        const QString expected =
            method == QLatin1String("S256")
                ? QString::fromLatin1(Pkce::challengeFor(verifier.toUtf8(), Pkce::Method::S256))
                : verifier;
        if (expected != challenge)
            add({QStringLiteral("pkce_mismatch"), CaptureFinding::Severity::Problem,
                 QStringLiteral("The code_verifier does not match the code_challenge"),
                 QStringLiteral("The verifier sent hashes (%1) to %2, but the authorization "
                                "request's challenge was %3.")
                     .arg(method.isEmpty() ? QStringLiteral("plain") : method, expected, challenge),
                 QStringLiteral("Send the verifier of this login attempt: two attempts in "
                                "parallel (tabs, retries) overwrite each other's verifier."),
                 QStringLiteral("RFC 7636 §4.6"), at});
    }

    void checkNonce(const FormFields &sent, qsizetype at)
    {
        const QString nonce = FormEncoding::value(sent, QStringLiteral("nonce"));
        const QJsonObject answer = QJsonDocument::fromJson(exchanges.at(at).responseBody).object();
        const QString idToken = answer.value(QLatin1String("id_token")).toString();
        if (nonce.isEmpty() || idToken.isEmpty())
            return;
        QString ignored;
        const auto decoded = Jwt::decode(idToken.toUtf8(), &ignored);
        if (!decoded)
            return;
        const QString claim = decoded->claims.value(QLatin1String("nonce")).toString();
        if (claim != nonce)
            add({QStringLiteral("nonce_mismatch"), CaptureFinding::Severity::Problem,
                 QStringLiteral("The ID token's nonce is not the one sent"),
                 QStringLiteral("The authorization request sent nonce %1; the ID token carries "
                                "%2.")
                     .arg(nonce, claim.isEmpty() ? QStringLiteral("none") : claim),
                 QStringLiteral("The client must refuse this ID token: it belongs to another "
                                "login, or was replayed."),
                 QStringLiteral("OpenID Connect Core §3.1.3.7 (11)"), at});
    }

    // A token sent to an API (or UserInfo) after it expired, by its exp or the expires_in the
    // token response gave.
    void checkExpiredTokens()
    {
        QHash<QByteArray, QDateTime> expiresAt;
        for (qsizetype i = 0; i < exchanges.size(); ++i) {
            const HttpExchange &exchange = exchanges.at(i);
            if (roles.at(i) == StepRole::Token && exchange.status == 200) {
                const QJsonObject answer = QJsonDocument::fromJson(exchange.responseBody).object();
                const QByteArray token =
                    answer.value(QLatin1String("access_token")).toString().toUtf8();
                const double seconds = answer.value(QLatin1String("expires_in")).toDouble(-1);
                if (!token.isEmpty() && seconds >= 0)
                    expiresAt.insert(token, exchange.receivedAt().addSecs(qint64(seconds)));
            }
            const QByteArray authorization = exchange.request.header("Authorization");
            const qsizetype space = authorization.indexOf(' ');
            if (space < 0 ||
                !(roles.at(i) == StepRole::Resource || roles.at(i) == StepRole::UserInfo))
                continue;
            const QByteArray token = authorization.mid(space + 1).trimmed();
            QDateTime expiry = expiresAt.value(token);
            QString ignored;
            if (const auto decoded = Jwt::decode(token, &ignored, exchange.startedAt)) {
                const QJsonValue exp = decoded->claims.value(QLatin1String("exp"));
                if (exp.isDouble())
                    expiry = QDateTime::fromSecsSinceEpoch(qint64(exp.toDouble()), Qt::UTC);
            }
            if (!expiry.isValid() || !exchange.startedAt.isValid() || exchange.startedAt <= expiry)
                continue;
            add({QStringLiteral("token_expired_before_use"), CaptureFinding::Severity::Problem,
                 QStringLiteral("An expired access token was sent"),
                 QStringLiteral("The token expired at %1 and was sent at %2 (%3 s late).")
                     .arg(expiry.toString(Qt::ISODate),
                          exchange.startedAt.toUTC().toString(Qt::ISODate))
                     .arg(expiry.secsTo(exchange.startedAt)),
                 QStringLiteral("Refresh the token before it expires (or when the API answers "
                                "invalid_token), and check the clocks of the machines involved."),
                 QStringLiteral("RFC 6750 §3.1"), i});
        }
    }
};

} // namespace

QList<CaptureFinding> of(const QList<HttpExchange> &exchanges)
{
    Flow flow;
    flow.exchanges = exchanges;
    for (const HttpExchange &exchange : exchanges)
        flow.roles << StepRoles::of(exchange);
    flow.checkCallbacks();
    flow.checkTokenRequests();
    flow.checkExpiredTokens();
    std::stable_sort(
        flow.findings.begin(), flow.findings.end(),
        [](const CaptureFinding &a, const CaptureFinding &b) { return a.step < b.step; });
    return flow.findings;
}

} // namespace CaptureChecks
} // namespace workbench
