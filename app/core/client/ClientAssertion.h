#pragma once

#include "core/client/ClientConfig.h"
#include "core/jose/Jwk.h"
#include "core/jose/JwsSigner.h"
#include "core/util/Clock.h"

#include <QDateTime>
#include <QJsonObject>

namespace workbench {

// JWTs the client signs: RFC 7523 client assertions (client_secret_jwt, private_key_jwt), JWT
// bearer grant assertions, and RFC 9101 request objects.
namespace ClientAssertion {

// The client's private key from the configuration; invalid with `error` set when it is missing
// or unreadable.
[[nodiscard]] SigningKey privateKey(const ClientConfig &config, QString *error);
// What the client signs its own JWTs with: the secret for client_secret_jwt, else the private key.
[[nodiscard]] SigningKey clientKey(const ClientConfig &config, QString *error);

// Who a client assertion is for: the issuer identifier when it is known (RFC 7523 §3 allows it
// and servers accept it at every endpoint), else the endpoint the request goes to.
QString audienceFor(const ClientConfig &config, const QUrl &endpoint);

// RFC 7523 §3: iss and sub are the client id, aud, a fresh jti, iat now, exp a minute later.
QJsonObject assertionClaims(const QString &clientId, const QString &audience, const QDateTime &now);
// The client_assertion value for `endpoint`; empty with `error` set when it cannot be signed.
[[nodiscard]] QByteArray clientAssertion(const ClientConfig &config, const QUrl &endpoint,
                                         QString *error, const QDateTime &now = Clock::utcNow());

// The assertion for the JWT bearer grant (RFC 7523 §2.1): the pasted one, or one the app signs
// with the private key: iss the client id, sub the configured subject, aud the token endpoint's
// server.
[[nodiscard]] QByteArray bearerAssertion(const ClientConfig &config, QString *error,
                                         const QDateTime &now = Clock::utcNow());

// A signed request object (RFC 9101 §4) carrying the authorization request's parameters, with
// iss, aud (the issuer), iat, nbf, exp and jti. max_age becomes a number and claims an object, as
// OIDC Core §6.1 writes them.
[[nodiscard]] QByteArray requestObject(const ClientConfig &config, const FormFields &parameters,
                                       QString *error, const QDateTime &now = Clock::utcNow());

// A signed request object encrypted to the server (RFC 9101 §4, a nested JWT with cty "JWT"),
// by config.requestObjectEncryptionAlg/Enc: to the server's "enc" key in `serverKeys` for
// RSA-OAEP* and ECDH-ES*, to the key derived from the client secret for dir and A*KW. Empty with
// `error` set when no key fits; `recipient` says which key it went to.
[[nodiscard]] QByteArray encryptRequestObject(const ClientConfig &config,
                                              const QByteArray &signedObject,
                                              const JwkSet &serverKeys, QString *error,
                                              QString *recipient = nullptr);

} // namespace ClientAssertion
} // namespace workbench
