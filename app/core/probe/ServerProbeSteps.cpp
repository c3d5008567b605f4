#include "core/probe/ServerProbe.h"

#include "core/client/TokenRequest.h"
#include "core/probe/ProbeAnswers.h"
#include "core/util/Base64Url.h"
#include "core/util/Clock.h"
#include "core/util/SecureRandom.h"

// The probes at the token endpoint: what each sends, in which order, and how it judges the
// answers.
namespace workbench {

using namespace probeanswers;

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
