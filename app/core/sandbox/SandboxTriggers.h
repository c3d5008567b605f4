#pragma once

#include "core/http/HttpExchange.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace workbench {

// Inputs that make the built-in sandbox answer with a given error, so a person can see each
// error the knowledge base covers, live, and how the app explains it. A trigger is a scope value
// "sandbox:NAME" in the authorization request (or the client credentials request), or, for the
// failures before any answer, a token endpoint to type.
struct SandboxTrigger
{
    enum class Where {
        Authorize, // the error comes back on the redirect
        Token,     // the token endpoint answers with it (after the code is issued)
        Refresh,   // the code is redeemed; refreshing the tokens then fails with it
        UserInfo,  // the UserInfo endpoint refuses the access token
        Password,  // the token endpoint answers a password-grant request with it
    };
    // How the sandbox delivers it: an HTTP answer, or a connection left without one.
    enum class Delivery {
        Answer,   // status, headers and body below
        NoAnswer, // the request is read and never answered: the client's timeout ends it
        Hangup,   // the connection is closed without a response
    };

    QString name; // the scope is "sandbox:" + name
    Where where = Where::Token;
    Delivery delivery = Delivery::Answer;
    // Some failures happen before any server is reached (refused, unknown host, TLS): their input
    // is a token endpoint to type instead of a scope. "{sandbox}" stands for the sandbox's
    // host:port.
    QString tokenEndpoint;
    QString description;   // what it shows, for the table in the app and the README
    QString expectedEntry; // the knowledge base entry the diagnosis leads with
    // The provider pack whose answer this imitates (sent with it, so the diagnosis applies that
    // provider's knowledge); empty: a generic answer.
    QString imitates;

    // For Authorize: the redirect's error parameters, or (with no error) a page shown instead of
    // the redirect. Otherwise: the raw answer.
    QString redirectError;
    QString redirectDescription;
    int status = 400;
    HttpHeaders headers;
    QByteArray body;

    bool isScope() const { return tokenEndpoint.isEmpty(); }
    QString scope() const { return QStringLiteral("sandbox:") + name; }
    // What a person enters: the scope, or the token endpoint to type.
    QString input() const;
    // The token endpoint for a sandbox with this issuer ("http://127.0.0.1:PORT").
    QUrl tokenEndpointFor(const QString &sandboxIssuer) const;
    static QString whereName(Where where);
};

namespace SandboxTriggers {
const QList<SandboxTrigger> &all();
// The trigger named by a scope list ("openid sandbox:invalid_client"), for this stage.
const SandboxTrigger *find(const QString &scope, SandboxTrigger::Where where);
const SandboxTrigger *named(const QString &name);
// A Markdown table of every trigger (for the README; the app shows the same).
QString markdownTable();
} // namespace SandboxTriggers

} // namespace workbench
