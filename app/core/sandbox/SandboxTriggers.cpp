#include "SandboxTriggers.h"

namespace workbench {

QString SandboxTrigger::whereName(Where where)
{
    switch (where) {
    case Where::Authorize:
        return QStringLiteral("authorization redirect");
    case Where::Token:
        return QStringLiteral("token endpoint");
    case Where::UserInfo:
        return QStringLiteral("UserInfo");
    }
    return {};
}

namespace SandboxTriggers {

namespace {
using Where = SandboxTrigger::Where;

SandboxTrigger redirect(const char *name, const char *error, const char *description,
                        const char *shows, const char *entry)
{
    SandboxTrigger t;
    t.name = QString::fromLatin1(name);
    t.where = Where::Authorize;
    t.redirectError = QString::fromLatin1(error);
    t.redirectDescription = QString::fromLatin1(description);
    t.description = QString::fromUtf8(shows);
    t.expectedEntry = QString::fromLatin1(entry);
    return t;
}

SandboxTrigger answer(const char *name, Where where, int status, const QByteArray &contentType,
                      const QByteArray &body, const char *shows, const char *entry,
                      HttpHeaders extra = {})
{
    SandboxTrigger t;
    t.name = QString::fromLatin1(name);
    t.where = where;
    t.status = status;
    if (!contentType.isEmpty())
        t.headers.append({"Content-Type", contentType});
    t.headers.append(extra);
    t.body = body;
    t.description = QString::fromUtf8(shows);
    t.expectedEntry = QString::fromLatin1(entry);
    return t;
}

QList<SandboxTrigger> build()
{
    const QByteArray json = "application/json";
    return {
        redirect("access_denied", "access_denied", "The user denied the request",
                 "The person said no on the consent page.", "oauth.access_denied"),
        redirect("invalid_scope", "invalid_scope",
                 "A requested scope is unknown to this server, or "
                 "malformed",
                 "A scope the server does not know.", "oauth.invalid_scope"),
        redirect("unsupported_response_type", "unsupported_response_type",
                 "response_type must be code", "Only response_type=code is allowed.",
                 "provider.listing.response_type_code_only"),
        redirect("pkce_s256_only", "invalid_request", "code_challenge_method must be S256",
                 "The server accepts S256 PKCE only.", "provider.listing.pkce_s256_only"),
        redirect("server_error_redirect", "server_error", "Unexpected condition",
                 "The authorization server failed while handling the request.",
                 "oauth.server_error"),
        redirect("temporarily_unavailable", "temporarily_unavailable",
                 "The server is overloaded, try later", "Maintenance or overload.",
                 "oauth.temporarily_unavailable"),

        answer("invalid_client", Where::Token, 401, json,
               R"({"error":"invalid_client","error_description":"Client authentication failed"})",
               "401 with a Basic challenge: the credentials were refused.", "oauth.invalid_client",
               {{"WWW-Authenticate", R"(Basic realm="sandbox")"}}),
        answer(
            "invalid_grant", Where::Token, 400, json,
            R"({"error":"invalid_grant","error_description":"Authorization code doesn't exist or is invalid for the client"})",
            "The code is refused (already used, expired, another client's).",
            "provider.marketplace.code_invalid"),
        answer(
            "unauthorized_client", Where::Token, 400, json,
            R"({"error":"unauthorized_client","error_description":"The client is not authorized to use this grant type"})",
            "The grant is not enabled for this client.", "oauth.unauthorized_client"),
        answer("unsupported_grant_type", Where::Token, 400, json,
               R"({"error":"unsupported_grant_type"})", "The server does not know the grant.",
               "oauth.unsupported_grant_type"),
        answer(
            "invalid_request", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"The request is missing a required parameter"})",
            "A parameter is missing or repeated.", "oauth.invalid_request"),
        answer("server_error", Where::Token, 500, json,
               R"({"error":"server_error","error_description":"An_Unknown_Error_Occurred"})",
               "500 from the token endpoint.", "provider.listing.unknown_server_error"),
        answer("temporarily_unavailable_503", Where::Token, 503, json,
               R"({"error":"temporarily_unavailable"})", "503 with Retry-After: 30.",
               "oauth.temporarily_unavailable", {{"Retry-After", "30"}}),
        answer(
            "rate_limited", Where::Token, 429, json,
            R"({"httpCode":"429","httpMessage":"Too Many Requests","moreInformation":"Rate Limit exceeded"})",
            "429 with Retry-After, in an API gateway's body.", "provider.gateway.rate_limit",
            {{"Retry-After", "60"}}),
        answer(
            "gateway_unauthorized", Where::Token, 401, json,
            R"({"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Invalid client id or secret."})",
            "An API gateway refusing the client (gateway-style body).",
            "provider.gateway.unsubscribed_client"),
        answer(
            "nested_error", Where::Token, 401, json,
            R"({"error":{"status":401,"title":"Unauthorized","detail":"Invalid owner in token"}})",
            "An error as a nested object.", "provider.marketplace.invalid_owner"),
        answer("html_login_page", Where::Token, 200, "text/html; charset=utf-8",
               "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form "
               "method=\"post\"><input name=\"username\"><input type=\"password\" "
               "name=\"password\"><button>Sign in</button></form></body></html>",
               "A sign-in page where JSON was expected (a proxy or SSO in the way).",
               "shape.login_page"),
        answer("no_access_token", Where::Token, 200, json, R"({"token_type":"Bearer"})",
               "A 200 without an access_token.", "token.no_access_token"),

        answer(
            "invalid_token", Where::UserInfo, 401, {}, {},
            "UserInfo refuses the token (WWW-Authenticate: Bearer error=\"invalid_token\").",
            "oauth.invalid_token",
            {{"WWW-Authenticate",
              R"(Bearer realm="sandbox", error="invalid_token", error_description="The access token expired")"}}),
        answer("insufficient_scope", Where::UserInfo, 403, {}, {},
               "UserInfo wants a scope the token lacks.", "oauth.insufficient_scope",
               {{"WWW-Authenticate",
                 R"(Bearer realm="sandbox", error="insufficient_scope", scope="openid profile")"}}),
    };
}
} // namespace

const QList<SandboxTrigger> &all()
{
    static const QList<SandboxTrigger> triggers = build();
    return triggers;
}

const SandboxTrigger *find(const QString &scope, SandboxTrigger::Where where)
{
    for (const QString &value : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!value.startsWith(QLatin1String("sandbox:")))
            continue;
        for (const SandboxTrigger &trigger : all()) {
            if (trigger.where == where && trigger.scope() == value)
                return &trigger;
        }
    }
    return nullptr;
}

QString markdownTable()
{
    QString table = QStringLiteral("| add this scope | where | what it shows | diagnosis |\n"
                                   "| --- | --- | --- | --- |\n");
    for (const SandboxTrigger &trigger : all())
        table += QStringLiteral("| `%1` | %2 | %3 | `%4` |\n")
                     .arg(trigger.scope(), SandboxTrigger::whereName(trigger.where),
                          trigger.description, trigger.expectedEntry);
    return table;
}

} // namespace SandboxTriggers
} // namespace workbench
