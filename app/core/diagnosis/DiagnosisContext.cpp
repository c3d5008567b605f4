#include "core/diagnosis/DiagnosisContext.h"

#include "core/flows/ClientRegistration.h"
#include "core/flows/RpInitiatedLogout.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace workbench {

QString DiagnosisContext::endpointName(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Authorization:
        return QStringLiteral("authorization");
    case Endpoint::Token:
        return QStringLiteral("token");
    case Endpoint::Resource:
        return QStringLiteral("resource");
    case Endpoint::Registration:
        return QStringLiteral("registration");
    case Endpoint::EndSession:
        return QStringLiteral("end_session");
    case Endpoint::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

namespace {
// RP-initiated logout: a step the app's logout recorded, or a request carrying the end-session
// parameters (a browser capture's).
bool looksLikeEndSession(const HttpExchange &exchange)
{
    if (RpInitiatedLogout::isLogoutStep(exchange))
        return true;
    // By parameter name, not by text: "x_response_type=" names no response_type.
    const FormFields query = FormEncoding::queryOf(exchange.request.url);
    return !FormEncoding::contains(query, QStringLiteral("response_type")) &&
           (FormEncoding::contains(query, QStringLiteral("post_logout_redirect_uri")) ||
            FormEncoding::contains(query, QStringLiteral("id_token_hint")));
}

bool looksLikeAuthorizationEndpoint(const QUrl &url)
{
    const QString path = url.path().toLower();
    return FormEncoding::contains(FormEncoding::queryOf(url), QStringLiteral("response_type")) ||
           path.endsWith(QLatin1String("/authorize")) || path.endsWith(QLatin1String("/auth")) ||
           path.contains(QLatin1String("/authorize/")) ||
           path.endsWith(QLatin1String("/authorization.oauth2"));
}

// Dynamic client registration (RFC 7591) and its management (RFC 7592): client metadata sent as
// JSON, or a registration path as servers name theirs (/register, /reg, /connect/register,
// Keycloak's clients-registrations), or an exchange the app's registration recorded.
bool looksLikeRegistration(const HttpExchange &exchange, const FormFields &sentJson)
{
    static const QStringList metadataMembers{
        "redirect_uris", "grant_types",        "response_types", "token_endpoint_auth_method",
        "client_name",   "software_statement", "jwks_uri",       "application_type"};
    for (const QString &member : metadataMembers) {
        if (FormEncoding::contains(sentJson, member) &&
            !FormEncoding::contains(sentJson, QStringLiteral("grant_type")))
            return true;
    }
    static const QRegularExpression path(
        QStringLiteral("/(register|registration|reg|clients-registrations)(/|$)"),
        QRegularExpression::CaseInsensitiveOption);
    if (path.match(exchange.request.url.path()).hasMatch())
        return true;
    using Operation = ClientRegistration::Operation;
    for (const Operation operation :
         {Operation::Register, Operation::Read, Operation::Update, Operation::Delete}) {
        if (exchange.label.startsWith(ClientRegistration::operationName(operation)))
            return true;
    }
    return false;
}
} // namespace

DiagnosisContext DiagnosisContext::fromExchange(const HttpExchange &exchange)
{
    DiagnosisContext context;
    context.method = exchange.request.method;
    context.url = exchange.request.url;
    context.sentHeaders = exchange.request.headers;
    context.requestedAt = exchange.startedAt;
    context.requestKnown = !exchange.request.url.isEmpty();
    context.rawBody = exchange.request.body.left(4096);
    const QByteArray contentType = exchange.request.header("Content-Type").toLower();
    if (contentType.startsWith("application/json")) {
        context.sentAsJson = true;
        const QJsonObject object = QJsonDocument::fromJson(exchange.request.body).object();
        for (auto it = object.begin(); it != object.end(); ++it)
            context.sentParameters.append({it.key(), it.value().toVariant().toString()});
    } else if (!exchange.request.body.isEmpty()) {
        context.sentParameters = FormEncoding::decode(exchange.request.body);
    }

    switch (exchange.kind) {
    case HttpExchange::Kind::LoopbackCallback:
    case HttpExchange::Kind::BrowserNavigation:
        context.endpoint =
            looksLikeEndSession(exchange) ? Endpoint::EndSession : Endpoint::Authorization;
        break;
    case HttpExchange::Kind::BackChannel: {
        const QByteArray authorization = exchange.request.header("Authorization");
        static const QRegularExpression tokenPath(QStringLiteral("/token/?$|/oauth2?/token\\b"));
        if (exchange.request.method == "GET" && looksLikeEndSession(exchange))
            context.endpoint = Endpoint::EndSession;
        else if (looksLikeRegistration(exchange,
                                       context.sentAsJson ? context.sentParameters : FormFields()))
            context.endpoint = Endpoint::Registration;
        else if (FormEncoding::contains(context.sentParameters, QStringLiteral("grant_type")) ||
                 tokenPath.match(exchange.request.url.path()).hasMatch() ||
                 exchange.request.url.path().endsWith(QLatin1String(".access")) ||
                 exchange.request.url.path().endsWith(QLatin1String("/access_token")))
            context.endpoint = Endpoint::Token;
        else if (authorization.startsWith("Bearer ") || authorization.startsWith("DPoP ") ||
                 authorization.startsWith("bearer "))
            context.endpoint = Endpoint::Resource;
        else if (exchange.request.method == "GET" && looksLikeAuthorizationEndpoint(context.url))
            context.endpoint = Endpoint::Authorization;
        break;
    }
    }
    // The front-channel request's parameters (for an end-session request, what it carried).
    if ((context.endpoint == Endpoint::Authorization || context.endpoint == Endpoint::EndSession) &&
        exchange.kind != HttpExchange::Kind::LoopbackCallback)
        context.authorizationRequest = FormEncoding::queryOf(exchange.request.url);
    return context;
}

DiagnosisContext DiagnosisContext::fromRun(const QList<HttpExchange> &run, qsizetype index)
{
    if (index < 0 || index >= run.size())
        return {};
    DiagnosisContext context = fromExchange(run.at(index));
    const QString code = FormEncoding::value(context.sentParameters, QStringLiteral("code"));
    const QString refreshToken =
        context.grantType() == QLatin1String("refresh_token")
            ? FormEncoding::value(context.sentParameters, QStringLiteral("refresh_token"))
            : QString();
    const QByteArray bearer = run.at(index).request.header("Authorization");
    for (qsizetype i = index - 1; i >= 0; --i) {
        const HttpExchange &earlier = run.at(i);
        if (earlier.kind == HttpExchange::Kind::BrowserNavigation &&
            context.authorizationRequest.isEmpty()) {
            context.authorizationRequest = FormEncoding::queryOf(earlier.request.url);
        } else if (earlier.kind == HttpExchange::Kind::LoopbackCallback &&
                   !context.codeReceivedAt.isValid() && !earlier.request.url.isEmpty()) {
            context.codeReceivedAt = earlier.startedAt;
        } else if (earlier.kind == HttpExchange::Kind::BackChannel) {
            // A browser's authorization request as a capture records it, with its answer.
            const FormFields query = FormEncoding::queryOf(earlier.request.url);
            if (context.authorizationRequest.isEmpty() && earlier.request.method == "GET" &&
                FormEncoding::contains(query, QStringLiteral("response_type")) &&
                FormEncoding::contains(query, QStringLiteral("client_id")))
                context.authorizationRequest = query;
            const FormFields sent = FormEncoding::decode(earlier.request.body);
            if (!code.isEmpty() && FormEncoding::value(sent, QStringLiteral("code")) == code)
                context.codeAlreadyRedeemed = true;
            if (!refreshToken.isEmpty() && earlier.status == 200 &&
                FormEncoding::value(sent, QStringLiteral("refresh_token")) == refreshToken)
                context.refreshTokenAlreadyRedeemed = true;
            // The token response whose access token this resource call carries.
            if (context.endpoint == Endpoint::Resource && !context.tokenIssuedAt.isValid() &&
                earlier.status == 200) {
                const QJsonObject token = QJsonDocument::fromJson(earlier.responseBody).object();
                const QString accessToken = token.value(QLatin1String("access_token")).toString();
                if (!accessToken.isEmpty() && bearer.endsWith(accessToken.toUtf8())) {
                    context.tokenIssuedAt = earlier.receivedAt();
                    context.tokenExpiresIn =
                        qint64(token.value(QLatin1String("expires_in")).toDouble(-1));
                    context.tokenType = token.value(QLatin1String("token_type")).toString();
                    context.grantedScope = token.value(QLatin1String("scope")).toString();
                }
            }
        }
    }
    return context;
}

} // namespace workbench
