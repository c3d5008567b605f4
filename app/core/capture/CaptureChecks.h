#pragma once

#include "core/http/HttpExchange.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace workbench {

// What the whole flow in a capture shows that no single exchange does: the state and nonce
// round trips, the redirect_uri of the token request against the authorization request's, the
// code_verifier against the code_challenge, a code redeemed twice, a token used after it
// expired, and the client's cookies lost on the way back from the login.
struct CaptureFinding
{
    enum class Severity { Problem, Warning };
    QString id; // "state_mismatch", "pkce_mismatch", ...
    Severity severity = Severity::Problem;
    QString title;
    QString detail; // what the capture shows, values included (mask before showing)
    QString fix;
    QString reference;
    qsizetype step = -1; // the exchange it was seen at

    QJsonObject toJson() const;
};

namespace CaptureChecks {
QList<CaptureFinding> of(const QList<HttpExchange> &exchanges);
} // namespace CaptureChecks

} // namespace workbench
