#pragma once

#include "core/http/HttpExchange.h"
#include "core/jose/Jwe.h"
#include "core/util/FormEncoding.h"

#include <QDateTime>
#include <QHostAddress>
#include <optional>

namespace workbench {

// What the browser brought back to the loopback listener: the authorization response.
struct CapturedRedirect
{
    enum class ResponseMode { Query, FormPost, Fragment };
    enum class StateCheck { Matched, Mismatched, Missing, NotChecked };

    ResponseMode mode = ResponseMode::Query;
    StateCheck stateCheck = StateCheck::NotChecked;
    FormFields parameters;
    QByteArray rawRequest;
    QHostAddress peer;
    QDateTime receivedAt;
    // JARM: the JWT the `response` parameter carried. `parameters` then hold its claims (read,
    // not yet verified: the flow checks the signature before it uses any of them).
    QByteArray responseJwt;
    // The exchange as the results pane shows it: the browser's request and the page we answered.
    HttpExchange exchange;

    QString value(const QString &name) const { return FormEncoding::value(parameters, name); }
    bool has(const QString &name) const { return FormEncoding::contains(parameters, name); }
    bool isError() const { return has(QStringLiteral("error")); }
    bool stateAccepted() const
    {
        return stateCheck == StateCheck::Matched || stateCheck == StateCheck::NotChecked;
    }
    static QString modeName(ResponseMode mode);
    // The authorization response parameters a recorded callback exchange carried: its query, its
    // form_post body, or the fragment the relay page posted back. An encrypted JARM response
    // is read with `key` (its wire form when the key does not open it).
    static FormFields parametersOf(const HttpExchange &callback, const DecryptionKey &key = {});
    // The same as they came over the wire: a JARM response's `response`, not its claims.
    static FormFields wireParametersOf(const HttpExchange &callback);
    // A JWT-secured response (JARM §2.3: `response` and nothing that would compete with it):
    // its JWT, and the claims as parameters (strings as they are, other values as compact
    // JSON). An encrypted one (JARM §2.2) is opened with `key` first. The JWT alone, without
    // parameters, when it cannot be read (encrypted to a key not given here, malformed).
    // Nothing for a plain response.
    struct JwtResponse
    {
        QByteArray jwt;
        FormFields parameters;
    };
    static std::optional<JwtResponse> jwtResponse(const FormFields &received,
                                                  const DecryptionKey &key = {});
    // A capture of these parameters as they arrived (JARM responses unpacked, encrypted ones
    // with `key`).
    static CapturedRedirect fromParameters(const FormFields &received,
                                           const DecryptionKey &key = {});
    static QString stateCheckDescription(StateCheck check);
    // How the state among these parameters compares with the one sent (in constant time).
    static StateCheck checkState(const FormFields &parameters, const QByteArray &expected);
    // The first parameter that appears more than once, or empty. A response must not repeat its
    // parameters (RFC 6749 section 3.1): which of two states or codes would count?
    static QString repeatedParameter(const FormFields &parameters);
    // Why this callback cannot be this flow's response and must be refused (another state, no
    // state although one was sent, a repeated parameter); empty when it can be used.
    QString refusalReason() const;
    // The step a wait on `uri` that ran out leaves (nothing arrived within `limitSeconds` since
    // `waitStartedAt`): a callback exchange without a response, as a timeout, for the diagnosis.
    static HttpExchange nothingArrived(const QString &label, const QUrl &uri,
                                       const QDateTime &waitStartedAt, int limitSeconds);
};

// A connection the listener refused: garbage, oversized, too slow, or not the callback.
struct RejectedRequest
{
    int status = 0;
    QString reason;
    QByteArray received; // what arrived, up to the listener's limits
    QHostAddress peer;
};

} // namespace workbench
