#pragma once

#include "core/util/Clock.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <optional>

namespace workbench {

// A JSON Web Token taken apart for reading (RFC 7519). Decoding checks nothing about the
// signature; that is the validator's job.
struct DecodedJwt
{
    QJsonObject header;
    QJsonObject claims;
    QByteArray signingInput; // header.payload, as signed
    QByteArray signature;    // raw bytes
    QStringList warnings;    // alg none, clock skew, ...

    QString algorithm() const { return header.value(QLatin1String("alg")).toString(); }
    QString keyId() const { return header.value(QLatin1String("kid")).toString(); }
};

// One claim, explained for a person: what it is, and for times, when that is.
struct ClaimExplanation
{
    QString name;
    QString value;   // compact text of the value
    QString meaning; // empty for claims that are not registered
    QString when;    // for NumericDate claims: UTC, local time, and "in 5 min" / "3 min ago"
};

namespace Jwt {
enum class Kind { Jws, Jwe, NotAJwt };
Kind kindOf(const QByteArray &token);
// Empty (and `error` set) when the token is not a readable JWS.
[[nodiscard]] std::optional<DecodedJwt> decode(const QByteArray &token, QString *error,
                                               const QDateTime &now = Clock::utcNow());
// A JSON value as one line of text: strings as they are, true/false, numbers, null, and
// arrays and objects as compact JSON.
QString compactText(const QJsonValue &value);
QList<ClaimExplanation> explainClaims(const QJsonObject &claims,
                                      const QDateTime &now = Clock::utcNow());
// "in 59 min", "expired 3 min ago" style, relative to now.
QString relative(const QDateTime &when, const QDateTime &now, bool isExpiry);
} // namespace Jwt

} // namespace workbench
