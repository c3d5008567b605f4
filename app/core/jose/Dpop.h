#pragma once

#include "core/jose/JwsSigner.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

// DPoP (RFC 9449): proofs of possession of a client's key, and the key's thumbprint that binds
// tokens to it.
namespace workbench::Dpop {

// The JWK SHA-256 thumbprint (RFC 7638) of a public key: base64url, no padding. Only the members
// the key type requires count (RSA: e, kty, n; EC: crv, kty, x, y; OKP: crv, kty, x); empty for
// any other key type or a key without them.
QByteArray thumbprint(const QJsonObject &jwk);

// The htu claim for a request URL: the URL without its query and fragment (RFC 9449 §4.2).
QString htu(const QUrl &url);

// The ath claim for an access token: base64url of its SHA-256 (RFC 9449 §4.2).
QByteArray accessTokenHash(const QByteArray &accessToken);

struct ProofRequest
{
    QByteArray method;      // htm: "POST", "GET", ...
    QUrl url;               // the request's URL; htu leaves out its query and fragment
    QDateTime issuedAt;     // iat
    QByteArray nonce;       // the server's DPoP-Nonce, when it gave one
    QByteArray accessToken; // set for a request to a resource: the proof carries its ath
};

// A DPoP proof for one request, signed with `key` (ES256, RS256 or PS256): the header has typ
// "dpop+jwt", alg and the key's public JWK (its public members only); the claims jti (fresh and
// random), htm, htu, iat, and nonce and ath when given. Empty when the key cannot sign.
QByteArray proof(const SigningKey &key, const ProofRequest &request);

// The public members of a key's JWK, as a proof's header carries it.
QJsonObject publicMembers(const QJsonObject &jwk);

} // namespace workbench::Dpop
