#include "core/compare/StepRole.h"

#include "core/util/FormEncoding.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace workbench::StepRoles {

namespace {
bool isForm(const HttpExchange &exchange)
{
    return exchange.request.method == "POST" &&
           exchange.request.header("Content-Type")
               .toLower()
               .startsWith("application/x-www-form-urlencoded");
}
} // namespace

StepRole of(const HttpExchange &exchange)
{
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback)
        return StepRole::Callback;
    const QUrl &url = exchange.request.url;
    const QString path = url.path().toLower();
    const FormFields query = FormEncoding::queryOf(url);
    const FormFields form =
        isForm(exchange) ? FormEncoding::decode(exchange.request.body) : FormFields();
    const QJsonObject answer = QJsonDocument::fromJson(exchange.responseBody).object();
    const auto has = [](const FormFields &fields, const char *name) {
        return FormEncoding::contains(fields, QLatin1String(name));
    };
    if (path.contains(QLatin1String("/.well-known/openid-configuration")) ||
        path.contains(QLatin1String("/.well-known/oauth-authorization-server")))
        return StepRole::Discovery;
    if (answer.value(QLatin1String("keys")).isArray() || path.endsWith(QLatin1String("jwks")) ||
        path.endsWith(QLatin1String("jwks.json")) || path.endsWith(QLatin1String("/certs")))
        return StepRole::Jwks;
    if (has(form, "grant_type"))
        return StepRole::Token;
    if (exchange.request.method == "POST" &&
        (has(form, "response_type") || answer.contains(QLatin1String("request_uri"))))
        return StepRole::PushedAuthorization;
    if ((has(query, "response_type") || has(query, "request_uri")) && has(query, "client_id"))
        return StepRole::Authorization;
    const bool post = exchange.request.method == "POST";
    if (post && (answer.contains(QLatin1String("device_code")) ||
                 path.contains(QLatin1String("device_authorization")) ||
                 path.contains(QLatin1String("devicecode")) ||
                 path.endsWith(QLatin1String("/device/code"))))
        return StepRole::DeviceAuthorization;
    // The browser back at the client: the code (or error) in the query, or posted (form_post).
    for (const FormFields *fields : {&query, &form}) {
        if ((has(*fields, "code") || has(*fields, "error") || has(*fields, "id_token")) &&
            has(*fields, "state"))
            return StepRole::Callback;
    }
    if (path.contains(QLatin1String("userinfo")))
        return StepRole::UserInfo;
    if (post && (path.contains(QLatin1String("introspect")) ||
                 (has(form, "token") && answer.value(QLatin1String("active")).isBool())))
        return StepRole::Introspection;
    if (post && has(form, "token") &&
        (path.contains(QLatin1String("revoke")) || path.contains(QLatin1String("revocation"))))
        return StepRole::Revocation;
    const QByteArray authorization = exchange.request.header("Authorization").toLower();
    if (authorization.startsWith("bearer ") || authorization.startsWith("dpop "))
        return StepRole::Resource;
    const FormFields next =
        FormEncoding::decode(QUrl(QString::fromUtf8(exchange.responseHeader("Location")))
                                 .query(QUrl::FullyEncoded)
                                 .toLatin1());
    if (exchange.status >= 300 && exchange.status < 400 && has(next, "client_id") &&
        (has(next, "response_type") || has(next, "request_uri")))
        return StepRole::LoginRedirect;
    return StepRole::Other;
}

QString name(StepRole role)
{
    switch (role) {
    case StepRole::LoginRedirect:
        return QStringLiteral("redirect to the login");
    case StepRole::Discovery:
        return QStringLiteral("discovery");
    case StepRole::Jwks:
        return QStringLiteral("JWKS");
    case StepRole::PushedAuthorization:
        return QStringLiteral("pushed authorization request");
    case StepRole::Authorization:
        return QStringLiteral("authorization request");
    case StepRole::Callback:
        return QStringLiteral("callback");
    case StepRole::Token:
        return QStringLiteral("token request");
    case StepRole::DeviceAuthorization:
        return QStringLiteral("device authorization");
    case StepRole::UserInfo:
        return QStringLiteral("UserInfo");
    case StepRole::Introspection:
        return QStringLiteral("introspection");
    case StepRole::Revocation:
        return QStringLiteral("revocation");
    case StepRole::Resource:
        return QStringLiteral("API call");
    case StepRole::Other:
        break;
    }
    return QStringLiteral("other request");
}

} // namespace workbench::StepRoles
