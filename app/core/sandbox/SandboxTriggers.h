#pragma once

#include "http/HttpExchange.h"

#include <QList>
#include <QString>

namespace workbench {

// Inputs that make the built-in sandbox answer with a given error, so a person can see each
// error the knowledge base covers, live, and how the app explains it. A trigger is a scope value
// "sandbox:NAME" in the authorization request (or the client credentials request).
struct SandboxTrigger
{
    enum class Where {
        Authorize, // the error comes back on the redirect
        Token,     // the token endpoint answers with it (after the code is issued)
        UserInfo,  // the UserInfo endpoint refuses the access token
    };

    QString name; // the scope is "sandbox:" + name
    Where where = Where::Token;
    QString description;   // what it shows, for the table in the app and the README
    QString expectedEntry; // the knowledge base entry the diagnosis leads with

    // For Authorize: the redirect's error parameters. Otherwise: the raw answer.
    QString redirectError;
    QString redirectDescription;
    int status = 400;
    HttpHeaders headers;
    QByteArray body;

    QString scope() const { return QStringLiteral("sandbox:") + name; }
    static QString whereName(Where where);
};

namespace SandboxTriggers {
const QList<SandboxTrigger> &all();
// The trigger named by a scope list ("openid sandbox:invalid_client"), for this stage.
const SandboxTrigger *find(const QString &scope, SandboxTrigger::Where where);
// A Markdown table of every trigger (for the README; the app shows the same).
QString markdownTable();
} // namespace SandboxTriggers

} // namespace workbench
