#include "core/flows/FlowOutcome.h"

#include "core/http/BodyShape.h"

#include <QJsonDocument>

namespace workbench {

QString FlowOutcome::resultName(Result result)
{
    switch (result) {
    case Result::Succeeded:
        return QStringLiteral("succeeded");
    case Result::InvalidConfiguration:
        return QStringLiteral("invalid_configuration");
    case Result::ListenerFailed:
        return QStringLiteral("listener_failed");
    case Result::StateCheckFailed:
        return QStringLiteral("state_check_failed");
    case Result::AuthorizationError:
        return QStringLiteral("authorization_error");
    case Result::NoCodeInRedirect:
        return QStringLiteral("no_code_in_redirect");
    case Result::TokenRequestFailed:
        return QStringLiteral("token_request_failed");
    case Result::TokenErrorResponse:
        return QStringLiteral("token_error_response");
    case Result::UnreadableTokenResponse:
        return QStringLiteral("unreadable_token_response");
    case Result::IdTokenRejected:
        return QStringLiteral("id_token_rejected");
    case Result::Cancelled:
        return QStringLiteral("cancelled");
    case Result::MixUpSuspected:
        return QStringLiteral("mix_up_suspected");
    case Result::PushedRequestFailed:
        return QStringLiteral("pushed_request_failed");
    case Result::DeviceAuthorizationFailed:
        return QStringLiteral("device_authorization_failed");
    case Result::Expired:
        return QStringLiteral("expired");
    case Result::TimedOut:
        return QStringLiteral("timed_out");
    case Result::TokenNotBound:
        return QStringLiteral("token_not_bound");
    case Result::BackchannelAuthenticationFailed:
        return QStringLiteral("backchannel_authentication_failed");
    case Result::AuthorizationResponseRejected:
        return QStringLiteral("authorization_response_rejected");
    }
    return {};
}

void FlowOutcome::takeIdTokenChecks(const QList<TokenCheck> &checks)
{
    idTokenChecks = checks;
    if (IdTokenValidator::accepted(checks))
        return;
    result = Result::IdTokenRejected;
    summary = QStringLiteral("Tokens arrived, but the ID token failed validation.");
    for (const TokenCheck &check : checks) {
        if (check.status == TokenCheck::Status::Failed)
            details << check.name + QStringLiteral(": ") + check.detail;
    }
}

FlowOutcome FlowOutcome::invalidConfiguration(const QStringList &problems)
{
    return {Result::InvalidConfiguration,
            QStringLiteral("The client configuration cannot start a flow."), problems};
}

FlowOutcome FlowOutcome::fromTokenResponse(const HttpExchange &exchange,
                                           const QString &successSummary)
{
    if (!exchange.hasResponse())
        return {Result::TokenRequestFailed,
                QStringLiteral("The token request got no HTTP response."),
                QStringList{exchange.networkError} + exchange.tlsErrors,
                {}};

    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(exchange.responseBody, &parseError);
    const QJsonObject body = document.object();
    const bool isJsonObject = parseError.error == QJsonParseError::NoError && document.isObject();
    const bool ok = exchange.status >= 200 && exchange.status < 300;

    if (ok && isJsonObject && !body.contains(QLatin1String("error")) &&
        body.value(QLatin1String("access_token")).isString()) {
        FlowOutcome outcome{Result::Succeeded, successSummary, {}, body};
        outcome.tokensReceivedAt = exchange.receivedAt();
        return outcome;
    }
    if (isJsonObject && body.contains(QLatin1String("error"))) {
        QStringList details;
        const QJsonValue error = body.value(QLatin1String("error"));
        details << QStringLiteral("error: ") +
                       (error.isString()
                            ? error.toString()
                            : QString::fromUtf8(
                                  QJsonDocument(error.toObject()).toJson(QJsonDocument::Compact)));
        for (const char *name : {"error_description", "error_uri"}) {
            const QString value = body.value(QLatin1String(name)).toString();
            if (!value.isEmpty())
                details << QString::fromLatin1(name) + QStringLiteral(": ") + value;
        }
        return {Result::TokenErrorResponse,
                QStringLiteral("The token endpoint answered HTTP %1 with an error.")
                    .arg(exchange.status),
                details, body};
    }
    if (!ok)
        return {Result::TokenErrorResponse,
                QStringLiteral("The token endpoint answered HTTP %1.").arg(exchange.status),
                {QStringLiteral("Content-Type: ") +
                 QString::fromLatin1(exchange.responseHeader("Content-Type"))},
                body};
    return {Result::UnreadableTokenResponse,
            isJsonObject ? QStringLiteral("The token response has no access_token.")
                         : QStringLiteral("The token response is not a JSON object."),
            {QStringLiteral("Content-Type: ") +
                 QString::fromLatin1(exchange.responseHeader("Content-Type")),
             BodyShape::whyNotAJsonObject(exchange.responseBody,
                                          exchange.responseHeader("Content-Type"))},
            body};
}

} // namespace workbench
