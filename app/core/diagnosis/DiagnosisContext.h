#pragma once

#include "http/HttpExchange.h"
#include "util/FormEncoding.h"

#include <QDateTime>

namespace workbench {

// What the flow around an exchange tells the diagnosis: which endpoint it was, what was sent
// there and in the authorization request, and when.
struct DiagnosisContext
{
    enum class Endpoint { Unknown, Authorization, Token, Resource };

    Endpoint endpoint = Endpoint::Unknown;
    bool requestKnown = false; // false for a pasted response: nothing is known of what was sent
    QByteArray method;
    HttpHeaders sentHeaders;
    FormFields sentParameters; // the form (or JSON object) sent to the endpoint
    bool sentAsJson = false;
    FormFields authorizationRequest; // the parameters of the flow's authorization request
    QDateTime codeReceivedAt;
    QDateTime requestedAt;
    bool codeAlreadyRedeemed = false;

    QString grantType() const { return FormEncoding::value(sentParameters, "grant_type"); }
    static QString endpointName(Endpoint endpoint);
    // The context of run[index], from the exchanges that came before it.
    static DiagnosisContext fromRun(const QList<HttpExchange> &run, qsizetype index);
    // The context of a lone exchange (nothing known about the flow).
    static DiagnosisContext fromExchange(const HttpExchange &exchange);
};

} // namespace workbench
