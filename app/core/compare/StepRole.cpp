#include "core/compare/StepRole.h"

#include "core/util/FormEncoding.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace workbench::StepRoles {

namespace {
FormFields queryOf(const QUrl &url)
{
    return FormEncoding::decode(url.query(QUrl::FullyEncoded).toLatin1());
}

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
    const FormFields query = queryOf(url);
    const FormFields form =
        isForm(exchange) ? FormEncoding::decode(exchange.request.body) : FormFields();
    const QJsonObject answer = QJsonDocument::fromJson(exchange.responseBody).object();
    const auto has = [](const FormFields &fields, const char *name) {
        return FormEncoding::contains(fields, QLatin1String(name));
    };
    if (path.contains(QLatin1String("/.well-known/")))
        return StepRole::Discovery;
    if (answer.value(QLatin1String("keys")).isArray() || path.endsWith(QLatin1String("jwks")) ||
        path.endsWith(QLatin1String("jwks.json")) || path.endsWith(QLatin1String("/certs")))
        return StepRole::Jwks;
    if (has(form, "grant_type"))
        return StepRole::Token;
    if (has(form, "response_type") || answer.contains(QLatin1String("request_uri")))
        return StepRole::PushedAuthorization;
    if ((has(query, "response_type") || has(query, "request_uri")) && has(query, "client_id"))
        return StepRole::Authorization;
    if (answer.contains(QLatin1String("device_code")) || path.contains(QLatin1String("device")))
        return StepRole::DeviceAuthorization;
    if ((has(query, "code") || has(query, "error")) && has(query, "state"))
        return StepRole::Callback;
    if (path.contains(QLatin1String("userinfo")))
        return StepRole::UserInfo;
    if (path.contains(QLatin1String("introspect")) || answer.contains(QLatin1String("active")))
        return StepRole::Introspection;
    if (path.contains(QLatin1String("revo")))
        return StepRole::Revocation;
    const QByteArray authorization = exchange.request.header("Authorization").toLower();
    if (authorization.startsWith("bearer ") || authorization.startsWith("dpop "))
        return StepRole::Resource;
    return StepRole::Other;
}

QString name(StepRole role)
{
    switch (role) {
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
