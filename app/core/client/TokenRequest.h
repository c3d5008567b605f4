#pragma once

#include "core/client/ClientConfig.h"
#include "core/http/HttpExchange.h"

#include <optional>

namespace workbench {

// Builds back-channel requests to the token endpoint (RFC 6749 §4.1.3) with client authentication.
namespace TokenRequest {

// RFC 6749 §2.3.1: id and secret are each form-urlencoded before they are joined and base64'd.
QByteArray basicAuthorizationValue(const QString &clientId, const QString &clientSecret);

// The two halves of a "Basic base64(id:secret)" header, still form-encoded as sent (decode each
// with FormEncoding::decodeComponent); empty when the value is not such a header.
struct BasicCredentials
{
    QByteArray id;
    QByteArray secret;
};
std::optional<BasicCredentials> parseBasicAuthorization(const QByteArray &headerValue);

// Adds the client's credentials to a request for `endpoint`, as its authentication method says.
void authenticateClient(const ClientConfig &config, const QUrl &endpoint, HttpRequestSpec *request,
                        FormFields *form);

HttpRequestSpec authorizationCode(const ClientConfig &config, const QString &code,
                                  const QUrl &redirectUri, const QByteArray &codeVerifier);

// grant_type=refresh_token (RFC 6749 §6), with the client's credentials.
HttpRequestSpec refresh(const ClientConfig &config, const QByteArray &refreshToken);

// grant_type=client_credentials (RFC 6749 §4.4): the client on its own behalf, with the scope
// when one is configured.
HttpRequestSpec clientCredentials(const ClientConfig &config);

// grant_type=password (RFC 6749 §4.3), legacy.
HttpRequestSpec password(const ClientConfig &config);
// RFC 8693 token exchange: subject (and actor) token, requested type, audience and resources.
HttpRequestSpec tokenExchange(const ClientConfig &config);
// RFC 7523 §2.1: a JWT as the grant.
HttpRequestSpec jwtBearer(const ClientConfig &config);
// RFC 8628 §3.1: asks the device authorization endpoint for a device and user code.
HttpRequestSpec deviceAuthorization(const ClientConfig &config);
// RFC 8628 §3.4: one poll of the token endpoint with the device code.
HttpRequestSpec deviceToken(const ClientConfig &config, const QByteArray &deviceCode);
// CIBA Core §7.1: the backchannel authentication request (scope, login_hint, binding_message),
// authenticated as at the token endpoint.
HttpRequestSpec backchannelAuthentication(const ClientConfig &config);
// CIBA Core §10.1: one poll of the token endpoint with the auth_req_id.
HttpRequestSpec cibaToken(const ClientConfig &config, const QByteArray &authReqId);
// RFC 9126 §2.1: the authorization request's parameters pushed with client authentication.
HttpRequestSpec pushedAuthorization(const ClientConfig &config, const FormFields &parameters);
// The one token request of a grant that needs no browser and no polling (client credentials,
// password, refresh, token exchange, JWT bearer); nothing for the others.
std::optional<HttpRequestSpec> forGrant(const ClientConfig &config);

// A token sent to an introspection (RFC 7662 §2.1) or revocation (RFC 7009 §2.1) endpoint, with
// the client's credentials and a token_type_hint.
HttpRequestSpec aboutToken(const QUrl &endpoint, const ClientConfig &config,
                           const QByteArray &token, const QString &tokenTypeHint);

// A form POST with the usual headers; the body is encoded from `form`.
HttpRequestSpec formPost(const QUrl &endpoint, const FormFields &form, HttpHeaders headers = {});

} // namespace TokenRequest
} // namespace workbench
