#include "DiagnosisContext.h"

#include <QJsonDocument>
#include <QJsonObject>

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
    case Endpoint::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

DiagnosisContext DiagnosisContext::fromExchange(const HttpExchange &exchange)
{
    DiagnosisContext context;
    context.method = exchange.request.method;
    context.sentHeaders = exchange.request.headers;
    context.requestedAt = exchange.startedAt;
    context.requestKnown = !exchange.request.url.isEmpty();
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
        context.endpoint = Endpoint::Authorization;
        break;
    case HttpExchange::Kind::BackChannel:
        if (FormEncoding::contains(context.sentParameters, QStringLiteral("grant_type")) ||
            exchange.request.url.path().endsWith(QLatin1String("/token")))
            context.endpoint = Endpoint::Token;
        else if (exchange.request.header("Authorization").startsWith("Bearer ") ||
                 exchange.request.header("Authorization").startsWith("DPoP "))
            context.endpoint = Endpoint::Resource;
        break;
    }
    return context;
}

DiagnosisContext DiagnosisContext::fromRun(const QList<HttpExchange> &run, qsizetype index)
{
    if (index < 0 || index >= run.size())
        return {};
    DiagnosisContext context = fromExchange(run.at(index));
    const QString code = FormEncoding::value(context.sentParameters, QStringLiteral("code"));
    for (qsizetype i = index - 1; i >= 0; --i) {
        const HttpExchange &earlier = run.at(i);
        if (earlier.kind == HttpExchange::Kind::BrowserNavigation &&
            context.authorizationRequest.isEmpty()) {
            context.authorizationRequest =
                FormEncoding::decode(earlier.request.url.query(QUrl::FullyEncoded).toLatin1());
        } else if (earlier.kind == HttpExchange::Kind::LoopbackCallback &&
                   !context.codeReceivedAt.isValid() && !earlier.request.url.isEmpty()) {
            context.codeReceivedAt = earlier.startedAt;
        } else if (earlier.kind == HttpExchange::Kind::BackChannel && !code.isEmpty()) {
            const FormFields sent = FormEncoding::decode(earlier.request.body);
            if (FormEncoding::value(sent, QStringLiteral("code")) == code)
                context.codeAlreadyRedeemed = true;
        }
    }
    return context;
}

} // namespace workbench
