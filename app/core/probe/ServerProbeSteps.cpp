#include "core/probe/ServerProbe.h"

#include "core/client/TokenRequest.h"
#include "core/util/Base64Url.h"
#include "core/util/Clock.h"
#include "core/util/SecureRandom.h"

#include <QJsonDocument>
#include <QJsonObject>

// Each probe of the catalog: what it sends, in which order, and how it judges the answers.
namespace workbench {

namespace {
QJsonObject jsonOf(const HttpExchange &exchange)
{
    return QJsonDocument::fromJson(exchange.responseBody).object();
}

bool issuedTokens(const HttpExchange &exchange)
{
    return exchange.status == 200 &&
           !jsonOf(exchange).value(QLatin1String("access_token")).toString().isEmpty();
}

// "HTTP 400, invalid_grant: the code was already used" or what the transport said.
QString answerOf(const HttpExchange &exchange)
{
    if (!exchange.hasResponse())
        return QStringLiteral("no answer (%1)").arg(exchange.networkError);
    QString text = QStringLiteral("HTTP %1").arg(exchange.status);
    const QJsonObject body = jsonOf(exchange);
    const QString error = body.value(QLatin1String("error")).toString();
    if (!error.isEmpty()) {
        text += QStringLiteral(", ") + error;
        const QString description = body.value(QLatin1String("error_description")).toString();
        if (!description.isEmpty())
            text += QStringLiteral(": ") + description.left(200);
    }
    return text;
}

QString redirectErrorOf(const FormFields &parameters)
{
    QString text = FormEncoding::value(parameters, QStringLiteral("error"));
    const QString description =
        FormEncoding::value(parameters, QStringLiteral("error_description"));
    if (!description.isEmpty())
        text += QStringLiteral(": ") + description.left(200);
    return text;
}

FormFields locationParameters(const HttpExchange &exchange)
{
    const QUrl target =
        exchange.request.url.resolved(QUrl(QString::fromUtf8(exchange.responseHeader("Location"))));
    return FormEncoding::decode(target.query(QUrl::FullyEncoded).toUtf8());
}

QString noRedirectSummary(bool declined, int seconds)
{
    return declined ? QStringLiteral("The browser was not sent back: the person reported that "
                                     "the server's page refused the request")
                    : QStringLiteral("No redirect came within %1 s").arg(seconds);
}
} // namespace

void ServerProbe::concludeUnreachable(const HttpExchange &exchange)
{
    conclude(
        ProbeVerdict::Inconclusive,
        QStringLiteral("The authorization endpoint did not answer: %1").arg(answerOf(exchange)));
}

void ServerProbe::probeCodeReuse()
{
    signInForCode([this](const Login &login, const QString &code) {
        redeem(code, m_redirectUri, login.verifier, QStringLiteral("Token request (first)"),
               [this, login, code](const HttpExchange &first) {
                   if (!issuedTokens(first))
                       return conclude(ProbeVerdict::Inconclusive,
                                       QStringLiteral("The first, correct redemption was "
                                                      "refused: %1")
                                           .arg(answerOf(first)));
                   redeem(code, m_redirectUri, login.verifier,
                          QStringLiteral("Token request (the same code again)"),
                          [this, first](const HttpExchange &second) {
                              if (issuedTokens(second))
                                  return conclude(ProbeVerdict::Failed,
                                                  QStringLiteral("Issued tokens a second time "
                                                                 "for the same code"));
                              m_result.summary = QStringLiteral("Refused the second redemption: "
                                                                "%1")
                                                     .arg(answerOf(second));
                              const QJsonObject tokens = jsonOf(first);
                              checkFirstTokens(
                                  tokens.value(QLatin1String("access_token")).toString().toUtf8(),
                                  tokens.value(QLatin1String("token_type")).toString());
                          });
               });
    });
}

// After a refused replay: do the tokens of the first redemption still work? Introspection
// first, else UserInfo.
void ServerProbe::checkFirstTokens(const QByteArray &accessToken, const QString &tokenType)
{
    const QString summary = m_result.summary;
    const auto judged = [this, summary](bool stillWorks, const QString &how) {
        conclude(ProbeVerdict::Passed, summary,
                 {stillWorks ? QStringLiteral("The first access token still works (%1): the "
                                              "server should revoke the tokens issued for a code "
                                              "that was used twice")
                                   .arg(how)
                             : QStringLiteral("The first access token was revoked (%1)").arg(how)});
    };
    const auto viaUserInfo = [this, accessToken, tokenType, summary, judged] {
        if (!m_config.userinfoEndpoint.isValid() || m_config.userinfoEndpoint.isEmpty() ||
            !m_config.wantsOpenId())
            return conclude(ProbeVerdict::Passed, summary,
                            {QStringLiteral("Whether the first tokens were revoked is unknown: no "
                                            "introspection or UserInfo endpoint to ask")});
        HttpRequestSpec spec;
        spec.url = m_config.userinfoEndpoint;
        const bool dpop = tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0;
        spec.setHeader("Authorization", (dpop ? "DPoP " : "Bearer ") + accessToken);
        spec.dpopProof = dpop;
        send(spec, QStringLiteral("UserInfo with the first access token"),
             [this, summary, judged](const HttpExchange &answer) {
                 if (answer.status == 200)
                     return judged(true, QStringLiteral("UserInfo answered 200"));
                 if (answer.status == 401)
                     return judged(false, QStringLiteral("UserInfo answered 401"));
                 conclude(ProbeVerdict::Passed, summary,
                          {QStringLiteral("Whether the first tokens were revoked is unknown: "
                                          "UserInfo answered %1")
                               .arg(answerOf(answer))});
             });
    };
    if (!m_config.introspectionEndpoint.isValid() || m_config.introspectionEndpoint.isEmpty())
        return viaUserInfo();
    send(TokenRequest::aboutToken(m_config.introspectionEndpoint, m_config, accessToken,
                                  QStringLiteral("access_token")),
         QStringLiteral("Introspection of the first access token"),
         [judged, viaUserInfo](const HttpExchange &answer) {
             const QJsonValue active = jsonOf(answer).value(QLatin1String("active"));
             if (answer.status != 200 || !active.isBool())
                 return viaUserInfo();
             judged(active.toBool(),
                    QStringLiteral("introspection says active: %1")
                        .arg(active.toBool() ? QStringLiteral("true") : QStringLiteral("false")));
         });
}

void ServerProbe::probeIssuer()
{
    const auto judge = [this](const FormFields &parameters) {
        const QString iss = FormEncoding::value(parameters, QStringLiteral("iss"));
        const QString issuer = m_config.issuer.toString();
        if (iss.isEmpty()) {
            QStringList notes{QStringLiteral(
                "A client that uses one server only, or a distinct redirect URI per server, is "
                "not exposed to mix-up; others need iss to tell which server answered")};
            if (m_config.issuerInAuthorizationResponse)
                notes.prepend(QStringLiteral("Its metadata says it sends iss "
                                             "(authorization_response_iss_parameter_supported)"));
            return conclude(ProbeVerdict::Failed,
                            QStringLiteral("The authorization response carries no iss"), notes);
        }
        if (!issuer.isEmpty() && iss != issuer)
            return conclude(
                ProbeVerdict::Failed,
                QStringLiteral("iss is \"%1\", not the issuer \"%2\"").arg(iss, issuer));
        conclude(ProbeVerdict::Passed,
                 QStringLiteral("The authorization response carries iss \"%1\"").arg(iss),
                 issuer.isEmpty()
                     ? QStringList{QStringLiteral("The profile names no issuer to compare it with")}
                     : QStringList{});
    };
    if (m_firstRedirect) {
        m_result.evidence << m_firstRedirect->exchange;
        return judge(m_firstRedirect->parameters);
    }
    signInForCode([judge](const Login &login, const QString &) { judge(login.parameters); });
}

void ServerProbe::probeTokenRequestVariant()
{
    const QString id = m_result.id;
    signInForCode([this, id](const Login &login, const QString &code) {
        QUrl redirect = m_redirectUri;
        QByteArray verifier = login.verifier;
        QString label;
        QString accepted;
        QString about;
        if (id == QLatin1String("token_redirect_uri")) {
            redirect.setPath(m_redirectUri.path() + QStringLiteral("-probe"));
            label = QStringLiteral("Token request with another redirect_uri");
            accepted = QStringLiteral("Issued tokens for a redirect_uri (%1) other than the "
                                      "authorization request's")
                           .arg(redirect.toString());
            about = QStringLiteral("redirect_uri");
        } else if (id == QLatin1String("verifier_missing")) {
            verifier.clear();
            label = QStringLiteral("Token request without code_verifier");
            accepted = QStringLiteral("Issued tokens without a code_verifier although the code "
                                      "was requested with a challenge");
            about = QStringLiteral("the missing verifier");
        } else {
            verifier = Pkce::generate().verifier;
            label = QStringLiteral("Token request with a wrong code_verifier");
            accepted = QStringLiteral("Issued tokens for a code_verifier that does not match "
                                      "the challenge");
            about = QStringLiteral("the verifier");
        }
        redeem(code, redirect, verifier, label,
               [this, login, code, accepted, about](const HttpExchange &probe) {
                   if (issuedTokens(probe))
                       return conclude(ProbeVerdict::Failed, accepted);
                   const QString refused = QStringLiteral("Refused: %1").arg(answerOf(probe));
                   redeem(code, m_redirectUri, login.verifier,
                          QStringLiteral("Control: the right token request"),
                          [this, refused, about](const HttpExchange &control) {
                              conclude(
                                  ProbeVerdict::Passed, refused,
                                  {issuedTokens(control)
                                       ? QStringLiteral("The right request then got tokens: the "
                                                        "refusal was about %1")
                                             .arg(about)
                                       : QStringLiteral("The right request was refused too (%1): "
                                                        "the server spends a code on a failed "
                                                        "attempt, so the first refusal may have "
                                                        "had another reason")
                                             .arg(answerOf(control))});
                          });
               });
    });
}

void ServerProbe::probeFrontChannel(const AuthorizationRequest &request, const QByteArray &verifier,
                                    bool redeemAfter)
{
    frontCheck(request, [this, request, verifier, redeemAfter](FrontAnswer answer,
                                                               const HttpExchange &exchange) {
        switch (answer) {
        case FrontAnswer::Unreachable:
            return concludeUnreachable(exchange);
        case FrontAnswer::Refused:
            return conclude(ProbeVerdict::Passed,
                            QStringLiteral("Refused at once: %1").arg(answerOf(exchange)));
        case FrontAnswer::RedirectedHere: {
            Login login{request, verifier, true, false, {}, locationParameters(exchange)};
            return judgeFrontChannel(login, redeemAfter);
        }
        case FrontAnswer::GoesOn:
            break;
        }
        signIn(request, verifier,
               [this, redeemAfter](const Login &login) { judgeFrontChannel(login, redeemAfter); });
    });
}

void ServerProbe::judgeFrontChannel(const Login &login, bool redeemAfter)
{
    const bool plain = m_result.id == QLatin1String("pkce_plain");
    if (!login.arrived)
        return conclude(login.declined ? ProbeVerdict::Passed : ProbeVerdict::Inconclusive,
                        noRedirectSummary(login.declined, m_options.signInWaitSeconds));
    if (!login.value("error").isEmpty())
        return conclude(ProbeVerdict::Passed, QStringLiteral("Refused: the redirect carries %1")
                                                  .arg(redirectErrorOf(login.parameters)));
    const QString code = login.value("code");
    if (code.isEmpty() || !redeemAfter)
        return conclude(ProbeVerdict::Inconclusive,
                        QStringLiteral("The redirect carried neither a code nor an error"));
    redeem(code, m_redirectUri, login.verifier,
           plain ? QStringLiteral("Token request with the plain verifier")
                 : QStringLiteral("Token request without code_verifier"),
           [this, plain](const HttpExchange &exchange) {
               if (issuedTokens(exchange))
                   return conclude(
                       ProbeVerdict::Failed,
                       plain ? QStringLiteral("Took code_challenge_method=plain and issued tokens "
                                              "for the plain verifier")
                             : QStringLiteral("Issued a code and tokens to a public client that "
                                              "sent no PKCE challenge"));
               conclude(ProbeVerdict::Passed,
                        QStringLiteral("Issued a code, but refused to redeem it: %1")
                            .arg(answerOf(exchange)),
                        {QStringLiteral("Refusing at the authorization endpoint is clearer for "
                                        "the client")});
           });
}

void ServerProbe::probeRedirectVariant(const QUrl &variant)
{
    const Pkce pkce = Pkce::generate();
    const AuthorizationRequest request = authorizationRequest(variant, &pkce);
    frontCheck(request, [this, request, variant, pkce](FrontAnswer answer,
                                                       const HttpExchange &exchange) {
        switch (answer) {
        case FrontAnswer::Unreachable:
            return concludeUnreachable(exchange);
        case FrontAnswer::Refused:
            return conclude(ProbeVerdict::Passed, QStringLiteral("Refused %1 at once: %2")
                                                      .arg(variant.toString(), answerOf(exchange)));
        case FrontAnswer::RedirectedHere:
            return conclude(ProbeVerdict::Failed,
                            QStringLiteral("Sent the browser to the unregistered redirect URI %1 "
                                           "without any sign-in")
                                .arg(variant.toString()));
        case FrontAnswer::GoesOn:
            break;
        }
        signIn(request, pkce.verifier, [this, variant](const Login &login) {
            if (!login.arrived)
                return conclude(login.declined ? ProbeVerdict::Passed : ProbeVerdict::Inconclusive,
                                noRedirectSummary(login.declined, m_options.signInWaitSeconds));
            conclude(ProbeVerdict::Failed,
                     QStringLiteral("Sent the browser to the unregistered redirect URI %1 (%2)")
                         .arg(variant.toString(), login.value("code").isEmpty()
                                                      ? QStringLiteral("with error ") +
                                                            redirectErrorOf(login.parameters)
                                                      : QStringLiteral("with a code")),
                     {QStringLiteral("The browser arrived at %1")
                          .arg(login.arrivedAt.toString(QUrl::RemoveQuery))});
        });
    });
}

void ServerProbe::probeOpenRedirect()
{
    const Pkce pkce = Pkce::generate();
    AuthorizationRequest request = authorizationRequest(m_redirectUri, &pkce);
    request.clientId = QStringLiteral("workbench-probe-unknown-") +
                       QString::fromLatin1(SecureRandom::urlSafeToken(6));
    frontCheck(request, [this, request](FrontAnswer answer, const HttpExchange &exchange) {
        switch (answer) {
        case FrontAnswer::Unreachable:
            return concludeUnreachable(exchange);
        case FrontAnswer::RedirectedHere:
            return conclude(ProbeVerdict::Failed,
                            QStringLiteral("Sent the browser to the redirect URI of a client it "
                                           "does not know (%1): an open redirector")
                                .arg(redirectErrorOf(locationParameters(exchange))),
                            {QStringLiteral("client_id was %1").arg(request.clientId)});
        case FrontAnswer::Refused:
            return conclude(ProbeVerdict::Passed,
                            QStringLiteral("Showed its own error for the unknown client: %1")
                                .arg(answerOf(exchange)));
        case FrontAnswer::GoesOn:
            break;
        }
        conclude(ProbeVerdict::Passed,
                 QStringLiteral("Did not redirect to the unknown client's URI (HTTP %1)")
                     .arg(exchange.status),
                 {QStringLiteral("It answered with a page or a redirect of its own; a redirect "
                                 "to the client after a login would still be a fault")});
    });
}

void ServerProbe::probeRequestObject()
{
    const Pkce pkce = Pkce::generate();
    const AuthorizationRequest inner = authorizationRequest(m_redirectUri, &pkce);
    QJsonObject claims{{"iss", inner.clientId},
                       {"aud", m_config.issuer.isEmpty() ? inner.endpoint.toString()
                                                         : m_config.issuer.toString()}};
    for (const auto &[name, value] : inner.parameters())
        claims.insert(name, value);
    const qint64 now = Clock::utcNow().toSecsSinceEpoch();
    claims.insert(QStringLiteral("iat"), double(now));
    claims.insert(QStringLiteral("exp"), double(now + 300));
    const QByteArray object =
        base64Url(QJsonDocument(QJsonObject{{"alg", "none"}}).toJson(QJsonDocument::Compact)) +
        '.' + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.';
    AuthorizationRequest outer = inner;
    outer.state.clear(); // only inside: whose state comes back tells what the server used
    outer.nonce.clear();
    outer.codeChallenge.clear();
    outer.codeChallengeMethod.clear();
    outer.extraParameters.append({QStringLiteral("request"), QString::fromLatin1(object)});
    const QByteArray state = inner.state;
    const auto judge = [this, state](const Login &login) {
        if (!login.arrived)
            return conclude(login.declined ? ProbeVerdict::Passed : ProbeVerdict::Inconclusive,
                            noRedirectSummary(login.declined, m_options.signInWaitSeconds));
        if (!login.value("error").isEmpty())
            return conclude(ProbeVerdict::Passed,
                            QStringLiteral("Refused the unsigned request object: %1")
                                .arg(redirectErrorOf(login.parameters)));
        const QString returned = login.value("state");
        if (returned == QString::fromLatin1(state))
            return conclude(ProbeVerdict::Failed,
                            QStringLiteral("Acted on an unsigned request object: the redirect "
                                           "carries the state that was only inside it"));
        if (returned.isEmpty())
            return conclude(ProbeVerdict::Passed,
                            QStringLiteral("Ignored the request object (no state came back)"),
                            {QStringLiteral("A server that does not take request objects "
                                            "should say so with request_not_supported")});
        conclude(ProbeVerdict::Inconclusive,
                 QStringLiteral("The redirect carries a state this probe did not send"));
    };
    frontCheck(outer, [this, outer, pkce, judge](FrontAnswer answer, const HttpExchange &exchange) {
        switch (answer) {
        case FrontAnswer::Unreachable:
            return concludeUnreachable(exchange);
        case FrontAnswer::Refused:
            return conclude(ProbeVerdict::Passed,
                            QStringLiteral("Refused the unsigned request object at once: %1")
                                .arg(answerOf(exchange)));
        case FrontAnswer::RedirectedHere:
            return judge(
                Login{outer, pkce.verifier, true, false, {}, locationParameters(exchange)});
        case FrontAnswer::GoesOn:
            break;
        }
        signIn(outer, pkce.verifier, judge);
    });
}

void ServerProbe::probeRefreshReuse()
{
    signInForCode([this](const Login &login, const QString &code) {
        redeem(
            code, m_redirectUri, login.verifier, QStringLiteral("Token request"),
            [this](const HttpExchange &first) {
                if (!issuedTokens(first))
                    return conclude(ProbeVerdict::Inconclusive,
                                    QStringLiteral("The correct redemption was refused: %1")
                                        .arg(answerOf(first)));
                const QByteArray old =
                    jsonOf(first).value(QLatin1String("refresh_token")).toString().toUtf8();
                if (old.isEmpty())
                    return conclude(ProbeVerdict::NotApplicable,
                                    QStringLiteral("No refresh token was issued (scope \"%1\")")
                                        .arg(m_config.scope),
                                    {QStringLiteral("Ask for offline_access, or allow the "
                                                    "refresh_token grant for this client, to "
                                                    "run this probe")});
                send(TokenRequest::refresh(m_config, old), QStringLiteral("Refresh (first use)"),
                     [this, old](const HttpExchange &second) {
                         if (!issuedTokens(second))
                             return conclude(ProbeVerdict::Inconclusive,
                                             QStringLiteral("The first refresh was refused: %1")
                                                 .arg(answerOf(second)));
                         const QByteArray newest = jsonOf(second)
                                                       .value(QLatin1String("refresh_token"))
                                                       .toString()
                                                       .toUtf8();
                         if (newest.isEmpty() || newest == old) {
                             const bool exposed =
                                 m_config.authMethod == ClientAuthMethod::None && !m_config.useDpop;
                             return conclude(
                                 exposed ? ProbeVerdict::Failed : ProbeVerdict::NotApplicable,
                                 exposed ? QStringLiteral("The refresh token of this public "
                                                          "client neither rotates nor is bound "
                                                          "to a key")
                                         : QStringLiteral("The server does not rotate refresh "
                                                          "tokens for this client"),
                                 {QStringLiteral("Rotation is required only for public "
                                                 "clients whose tokens are not "
                                                 "sender-constrained")});
                         }
                         send(TokenRequest::refresh(m_config, old),
                              QStringLiteral("Refresh with the rotated-away token"),
                              [this, newest](const HttpExchange &third) {
                                  if (issuedTokens(third))
                                      return conclude(ProbeVerdict::Failed,
                                                      QStringLiteral("Accepted a refresh token "
                                                                     "it had rotated away"));
                                  const QString summary =
                                      QStringLiteral("Refused the rotated-away refresh token: "
                                                     "%1")
                                          .arg(answerOf(third));
                                  send(TokenRequest::refresh(m_config, newest),
                                       QStringLiteral("Refresh with the newest token"),
                                       [this, summary](const HttpExchange &fourth) {
                                           conclude(ProbeVerdict::Passed, summary,
                                                    {issuedTokens(fourth)
                                                         ? QStringLiteral(
                                                               "The newest refresh token still "
                                                               "works: revoking the whole grant on "
                                                               "reuse is recommended")
                                                         : QStringLiteral(
                                                               "The newest refresh token was "
                                                               "refused too: the grant was revoked "
                                                               "on reuse")});
                                       });
                              });
                     });
            });
    });
}

void ServerProbe::probeCodeExpired()
{
    signInForCode([this](const Login &login, const QString &code) {
        const QDateTime issuedAt = Clock::utcNow();
        waitSeconds(m_options.codeWaitSeconds, [this, login, code, issuedAt] {
            const qint64 age = issuedAt.secsTo(Clock::utcNow());
            redeem(code, m_redirectUri, login.verifier,
                   QStringLiteral("Token request with a code %1 s old").arg(age),
                   [this, age](const HttpExchange &exchange) {
                       if (!issuedTokens(exchange))
                           return conclude(ProbeVerdict::Passed,
                                           QStringLiteral("Refused a code %1 s old: %2")
                                               .arg(age)
                                               .arg(answerOf(exchange)));
                       if (age >= ProbeCatalog::kCodeLifetimeLimitSeconds)
                           return conclude(ProbeVerdict::Failed,
                                           QStringLiteral("Accepted a code %1 s old").arg(age));
                       conclude(ProbeVerdict::Inconclusive,
                                QStringLiteral("Accepted a code %1 s old; codes may live up to "
                                               "%2 s, so only a longer wait can tell")
                                    .arg(age)
                                    .arg(ProbeCatalog::kCodeLifetimeLimitSeconds));
                   });
        });
    });
}

} // namespace workbench
