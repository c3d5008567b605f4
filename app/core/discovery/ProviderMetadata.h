#pragma once

#include "core/client/ClientConfig.h"

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
    QUrl backchannelAuthenticationEndpoint; // CIBA Core §4
    QUrl registrationEndpoint;              // RFC 7591 §3, OIDC Discovery §3
    QStringList scopesSupported;
    QStringList responseTypesSupported;
    QStringList grantTypesSupported;
    QStringList tokenEndpointAuthMethodsSupported;
    QStringList codeChallengeMethodsSupported;
    QStringList idTokenSigningAlgValuesSupported;
    QStringList authorizationSigningAlgValuesSupported; // JARM
    QStringList requestObjectEncryptionAlgValuesSupported;
    QStringList requestObjectEncryptionEncValuesSupported;
    QStringList responseModesSupported;
    bool issParameterSupported = false; // authorization_response_iss_parameter_supported
    QJsonObject document;

    // Parses a metadata document; problems that make it unusable go to `problems`.
    static std::optional<ProviderMetadata> fromJson(const QByteArray &json, QStringList *problems);
    // The endpoints it names, by their metadata names, in the order a flow meets them.
    QList<std::pair<QString, QUrl>> endpoints() const;
    // `config` with the endpoints, issuer and promises this metadata names (those it leaves out
    // keep their values), as the form fills them after discovery.
    void applyTo(ClientConfig *config) const;
    // Things worth a warning about this metadata, given the issuer URL the person entered.
    QStringList warningsFor(const QString &enteredIssuer) const;
};

} // namespace workbench
