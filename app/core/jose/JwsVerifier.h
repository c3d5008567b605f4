#pragma once

#include "core/jose/Jwk.h"
#include "core/jose/Jwt.h"

namespace workbench {

// Checks JWS signatures (RFC 7515) with OpenSSL 3: RS256/384/512, PS256/384/512, ES256/384/512,
// EdDSA/Ed25519/Ed448 and HS256/384/512. "none" is never accepted.
namespace JwsVerifier {

struct Result
{
    bool valid = false;
    QString reason; // why not, in words a person can act on; empty when valid
};

QStringList supportedAlgorithms();
bool isSupported(const QString &alg);
bool isSymmetric(const QString &alg); // HS*
// The key type (kty) an algorithm needs: "RSA", "EC", "OKP" or "oct"; empty when unknown.
QString keyTypeFor(const QString &alg);

Result verify(const DecodedJwt &jws, const Jwk &key);
// HS* with a shared secret (for ID tokens: the client secret, OIDC Core §10.1).
Result verifyWithSecret(const DecodedJwt &jws, const QByteArray &secret);

} // namespace JwsVerifier
} // namespace workbench
