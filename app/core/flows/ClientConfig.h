#pragma once

#include "flows/Pkce.h"
#include "util/FormEncoding.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace workbench {

enum class ClientAuthMethod { ClientSecretBasic, ClientSecretPost, None };

QString clientAuthMethodName(ClientAuthMethod method);
// Accepts the RFC 7591 names; returns false for anything else.
bool clientAuthMethodFromName(const QString &name, ClientAuthMethod *method);

// Everything a person types into the client form for the authorization code flow.
struct ClientConfig
{
    QUrl issuer; // optional; where discovery starts
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QString clientId;
    QString clientSecret;
    ClientAuthMethod authMethod = ClientAuthMethod::ClientSecretBasic;
    QString scope;
    // A loopback URI; port 0 or no port means "any free port, chosen when the flow starts".
    QUrl redirectUri = QUrl(QStringLiteral("http://127.0.0.1/callback"));
    bool usePkce = true;
    Pkce::Method pkceMethod = Pkce::Method::S256;
    FormFields extraAuthorizationParameters;
    FormFields extraTokenParameters;

    // For what follows the flow: ID token validation and the follow-up actions on tokens.
    QUrl jwksUri;
    QUrl userinfoEndpoint;
    QUrl introspectionEndpoint;           // RFC 7662
    QUrl revocationEndpoint;              // RFC 7009
    QStringList idTokenSigningAlgorithms; // from discovery; empty: any the app supports

    // Problems that stop a flow from starting; empty when the configuration is usable.
    QStringList validate() const;
    // Things that work but deserve a warning (plain PKCE, no PKCE on a public client, ...).
    QStringList warnings() const;
    bool wantsOpenId() const;
    // The issuer identifier ID tokens must carry, exactly as entered or discovered.
    QString issuerIdentifier() const { return issuer.toString(); }
};

// Parses "name=value" lines (blank lines and lines starting with '#' ignored).
FormFields parseParameterLines(const QString &text, QStringList *errors = nullptr);
QString formatParameterLines(const FormFields &fields);

} // namespace workbench
