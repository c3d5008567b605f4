#include "core/probe/ServerProbe.h"

#include "core/client/TokenRequest.h"
#include "core/probe/ProbeAnswers.h"
#include "core/util/Base64Url.h"
#include "core/util/Clock.h"
#include "core/util/SecureRandom.h"

// The probes of the authorization endpoint (the front channel): a request the server may refuse
// before any login goes first without a browser; a sign-in follows only when it goes on.
namespace workbench {

using namespace probeanswers;

void ServerProbe::concludeUnreachable(const HttpExchange &exchange)
{
    conclude(
        ProbeVerdict::Inconclusive,
        QStringLiteral("The authorization endpoint did not answer: %1").arg(answerOf(exchange)));
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

} // namespace workbench
