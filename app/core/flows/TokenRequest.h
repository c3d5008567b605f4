#pragma once

#include "flows/ClientConfig.h"
#include "http/HttpExchange.h"

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

// Adds the client's credentials to the request, as its authentication method says.
void authenticateClient(const ClientConfig &config, HttpRequestSpec *request, FormFields *form);

HttpRequestSpec authorizationCode(const ClientConfig &config, const QString &code,
                                  const QUrl &redirectUri, const QByteArray &codeVerifier);

// grant_type=refresh_token (RFC 6749 §6), with the client's credentials.
HttpRequestSpec refresh(const ClientConfig &config, const QByteArray &refreshToken);

// grant_type=client_credentials (RFC 6749 §4.4): the client on its own behalf, with the scope
// when one is configured.
HttpRequestSpec clientCredentials(const ClientConfig &config);

// A token sent to an introspection (RFC 7662 §2.1) or revocation (RFC 7009 §2.1) endpoint, with
// the client's credentials and a token_type_hint.
HttpRequestSpec aboutToken(const QUrl &endpoint, const ClientConfig &config,
                           const QByteArray &token, const QString &tokenTypeHint);

// A form POST with the usual headers; the body is encoded from `form`.
HttpRequestSpec formPost(const QUrl &endpoint, const FormFields &form, HttpHeaders headers = {});

} // namespace TokenRequest
} // namespace workbench
