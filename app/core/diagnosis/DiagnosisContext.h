#pragma once

#include "core/discovery/ProviderMetadata.h"
#include "core/http/HttpExchange.h"
#include "core/jose/Jwe.h"
#include "core/util/FormEncoding.h"

#include <QDateTime>
#include <optional>

namespace workbench {

// What the app knows beyond one run, for the diagnosis: the provider the person chose, the
// profile's issuer, the discovery document, and the profile's last successful token request.
struct DiagnosisHints
{
    QString provider; // a pack id the person chose; empty: identify it from the evidence
    QUrl issuer;
    std::optional<ProviderMetadata> metadata;
    FormFields lastSuccessfulTokenRequest;
    QDateTime lastSuccessAt;
    // The client's decryption key, to read an encrypted JARM response (never saved with a run).
    DecryptionKey decryptionKey;
};

// What the flow around an exchange tells the diagnosis: which endpoint it was, what was sent
// there and in the authorization request, and when.
struct DiagnosisContext
{
    // Registration: dynamic client registration and its management (RFC 7591/7592).
    enum class Endpoint { Unknown, Authorization, Token, Resource, Registration, EndSession };

    Endpoint endpoint = Endpoint::Unknown;
    bool requestKnown = false; // false for a pasted response: nothing is known of what was sent
    QByteArray method;
    QUrl url;
    HttpHeaders sentHeaders;
    FormFields sentParameters; // the form (or JSON object) sent to the endpoint
    QByteArray rawBody;        // the request body as sent
    bool sentAsJson = false;
    bool grantStated = false;        // grant_type said by the person, not read from what was sent
    FormFields authorizationRequest; // the authorization (or end-session) request's parameters
    QDateTime codeReceivedAt;
    QDateTime requestedAt;
    bool codeAlreadyRedeemed = false;
    bool refreshTokenAlreadyRedeemed = false; // this refresh token was redeemed earlier in the run
    // The token this resource call used, from the run's token response.
    QDateTime tokenIssuedAt;
    qint64 tokenExpiresIn = -1;
    QString tokenType;
    QString grantedScope;
    DiagnosisHints hints;

    QString grantType() const { return FormEncoding::value(sentParameters, "grant_type"); }
    static QString endpointName(Endpoint endpoint);
    // The context of run[index], from the exchanges that came before it.
    static DiagnosisContext fromRun(const QList<HttpExchange> &run, qsizetype index);
    // The context of a lone exchange (nothing known about the flow).
    static DiagnosisContext fromExchange(const HttpExchange &exchange);
};

} // namespace workbench
