#pragma once

#include "core/client/ClientConfig.h"
#include "core/client/Pkce.h"

#include <QUrl>

namespace workbench {

// The front-channel request the browser is sent to (RFC 6749 §4.1.1, OIDC Core §3.1.2.1).
struct AuthorizationRequest
{
    QUrl endpoint;
    QString responseType = QStringLiteral("code");
    QString clientId;
    QUrl redirectUri;
    QString scope;
    QByteArray state;
    QByteArray nonce; // only sent when the scope asks for openid or an ID token comes back
    QByteArray codeChallenge;
    QString codeChallengeMethod;
    FormFields options; // response_mode, prompt, login_hint, max_age, acr_values, claims, ...
    FormFields extraParameters;

    // The request for this client, with the redirect URI the listener actually bound.
    static AuthorizationRequest forClient(const ClientConfig &config, const QUrl &redirectUri,
                                          const QByteArray &state, const QByteArray &nonce,
                                          const Pkce *pkce);
    FormFields parameters() const;
    // The endpoint with the parameters appended to any query it already has.
    QUrl toUrl() const;
    // `endpoint` with `parameters` appended to any query it already has.
    static QUrl urlWith(const QUrl &endpoint, const FormFields &parameters);
};

} // namespace workbench
