#pragma once

#include <QJsonObject>
#include <QStringList>
#include <QUrl>
#include <optional>
#include <utility>

namespace workbench {

// An authorization server's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).
struct ProviderMetadata
{
    QString issuer;
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl userinfoEndpoint;
    QUrl jwksUri;
    QUrl revocationEndpoint;
    QUrl introspectionEndpoint;
    QUrl deviceAuthorizationEndpoint;
    QUrl pushedAuthorizationRequestEndpoint;
    QUrl endSessionEndpoint;
    QStringList scopesSupported;
    QStringList responseTypesSupported;
    QStringList grantTypesSupported;
    QStringList tokenEndpointAuthMethodsSupported;
    QStringList codeChallengeMethodsSupported;
    QStringList idTokenSigningAlgValuesSupported;
    bool issParameterSupported = false; // authorization_response_iss_parameter_supported
    QJsonObject document;

    // Parses a metadata document; problems that make it unusable go to `problems`.
    static std::optional<ProviderMetadata> fromJson(const QByteArray &json, QStringList *problems);
    // The endpoints it names, by their metadata names, in the order a flow meets them.
    QList<std::pair<QString, QUrl>> endpoints() const;
    // Things worth a warning about this metadata, given the issuer URL the person entered.
    QStringList warningsFor(const QString &enteredIssuer) const;
};

} // namespace workbench
