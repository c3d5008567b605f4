#pragma once

#include "core/http/HttpExchange.h"
#include "core/tokens/IdTokenValidator.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

namespace workbench {

// How a flow ended: the tokens, or what went wrong and where.
struct FlowOutcome
{
    enum class Result {
        Succeeded,
        InvalidConfiguration,
        ListenerFailed,
        StateCheckFailed,
        AuthorizationError, // the server sent error=... on the redirect
        NoCodeInRedirect,
        TokenRequestFailed, // transport failure: refused, timeout, TLS
        TokenErrorResponse, // the token endpoint answered with an error
        UnreadableTokenResponse,
        IdTokenRejected, // tokens arrived, but the ID token failed validation
        Cancelled,
        MixUpSuspected,            // the redirect's iss is not our server's (RFC 9207)
        PushedRequestFailed,       // the PAR endpoint refused the request (RFC 9126)
        DeviceAuthorizationFailed, // the device authorization endpoint refused (RFC 8628 §3.2)
        Expired,                   // the device code ran out before anyone approved it
        TimedOut,      // no redirect came back within the wait (the provider showed its own page)
        TokenNotBound, // DPoP was proved, but the tokens are not bound to the key (RFC 9449)
        BackchannelAuthenticationFailed, // the CIBA endpoint refused the request (§13)
        AuthorizationResponseRejected,   // a JWT-secured response (JARM) failed its checks
    };
    Result result = Result::Succeeded;
    QString summary;
    QStringList details;
    QJsonObject tokenResponse;
    QDateTime tokensReceivedAt;
    QList<TokenCheck> idTokenChecks;  // empty when no ID token came back
    QList<TokenCheck> bindingChecks;  // DPoP: whether the tokens are bound to the client's key
    QList<TokenCheck> responseChecks; // JARM: the signed authorization response's checks

    FlowOutcome() = default;
    FlowOutcome(Result result, QString summary, QStringList details = {},
                QJsonObject tokenResponse = {})
        : result(result), summary(std::move(summary)), details(std::move(details)),
          tokenResponse(std::move(tokenResponse))
    {
    }

    bool succeeded() const { return result == Result::Succeeded; }
    static QString resultName(Result result);
    // What a token endpoint's answer means: tokens (with `successSummary`), an error response,
    // a transport failure or an unreadable body. ID tokens are not checked here.
    static FlowOutcome fromTokenResponse(const HttpExchange &exchange,
                                         const QString &successSummary);
    // Keeps the ID token's checks; a failed one turns tokens into IdTokenRejected, with each
    // failure in the details.
    void takeIdTokenChecks(const QList<TokenCheck> &checks);
    // The outcome of a flow that could not start: these problems with the configuration.
    static FlowOutcome invalidConfiguration(const QStringList &problems);
};

} // namespace workbench
