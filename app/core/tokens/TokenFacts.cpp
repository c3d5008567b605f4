#include "core/tokens/TokenFacts.h"

#include "core/jose/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench::TokenFacts {

QJsonObject of(const HttpExchange &exchange)
{
    const QJsonObject answer = QJsonDocument::fromJson(exchange.responseBody).object();
    QJsonObject facts;
    for (const char *name : {"access_token", "id_token", "issued_token"}) {
        const QJsonValue token = answer.value(QLatin1String(name));
        if (!token.isString() || token.toString().isEmpty())
            continue;
        QString ignored;
        const auto decoded = Jwt::decode(token.toString().toUtf8(), &ignored);
        if (!decoded) {
            facts.insert(QLatin1String(name), QJsonObject{{"format", "opaque"}});
            continue;
        }
        QJsonObject fact{{"format", "jwt"}};
        for (const char *member : {"alg", "kid", "typ"}) {
            if (decoded->header.contains(QLatin1String(member)))
                fact.insert(QLatin1String(member), decoded->header.value(QLatin1String(member)));
        }
        for (const char *claim : {"iss", "aud", "azp", "scope", "scp", "client_id"}) {
            if (decoded->claims.contains(QLatin1String(claim)))
                fact.insert(QLatin1String(claim), decoded->claims.value(QLatin1String(claim)));
        }
        const QJsonValue exp = decoded->claims.value(QLatin1String("exp"));
        const QJsonValue iat = decoded->claims.value(QLatin1String("iat"));
        if (exp.isDouble() && iat.isDouble())
            fact.insert(QLatin1String("lifetime"), qint64(exp.toDouble() - iat.toDouble()));
        if (decoded->claims.contains(QLatin1String("cnf")))
            fact.insert(QLatin1String("cnf"), decoded->claims.value(QLatin1String("cnf"))
                                                  .toObject()
                                                  .keys()
                                                  .join(QLatin1Char(',')));
        facts.insert(QLatin1String(name), fact);
    }
    return facts;
}

} // namespace workbench::TokenFacts
