#pragma once

// What the probes read from the server's answers. Internal to ServerProbe's .cpp files.
#include "core/http/HttpExchange.h"
#include "core/util/FormEncoding.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace workbench::probeanswers {

inline QJsonObject jsonOf(const HttpExchange &exchange)
{
    return QJsonDocument::fromJson(exchange.responseBody).object();
}

inline bool issuedTokens(const HttpExchange &exchange)
{
    return exchange.status == 200 &&
           !jsonOf(exchange).value(QLatin1String("access_token")).toString().isEmpty();
}

// "HTTP 400, invalid_grant: the code was already used" or what the transport said.
inline QString answerOf(const HttpExchange &exchange)
{
    if (!exchange.hasResponse())
        return QStringLiteral("no answer (%1)").arg(exchange.networkError);
    QString text = QStringLiteral("HTTP %1").arg(exchange.status);
    const QJsonObject body = jsonOf(exchange);
    const QString error = body.value(QLatin1String("error")).toString();
    if (!error.isEmpty()) {
        text += QStringLiteral(", ") + error;
        const QString description = body.value(QLatin1String("error_description")).toString();
        if (!description.isEmpty())
            text += QStringLiteral(": ") + description.left(200);
    }
    return text;
}

inline QString redirectErrorOf(const FormFields &parameters)
{
    QString text = FormEncoding::value(parameters, QStringLiteral("error"));
    const QString description =
        FormEncoding::value(parameters, QStringLiteral("error_description"));
    if (!description.isEmpty())
        text += QStringLiteral(": ") + description.left(200);
    return text;
}

inline FormFields locationParameters(const HttpExchange &exchange)
{
    const QUrl target =
        exchange.request.url.resolved(QUrl(QString::fromUtf8(exchange.responseHeader("Location"))));
    return FormEncoding::queryOf(target);
}

inline QString noRedirectSummary(bool declined, int seconds)
{
    return declined ? QStringLiteral("The browser was not sent back: the person reported that "
                                     "the server's page refused the request")
                    : QStringLiteral("No redirect came within %1 s").arg(seconds);
}
} // namespace workbench::probeanswers
