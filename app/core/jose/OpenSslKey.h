#pragma once

#include "core/jose/Jwk.h"

#include <memory>

struct evp_pkey_st;

namespace workbench::OpenSslKey {

// An OpenSSL key made from a JWK's members (RFC 7518 §6): RSA (n, e), EC on P-256/384/521
// (x, y) or OKP Ed25519/Ed448 (x). With `withPrivate`, the private members too (RSA d and, when
// present, p, q, dp, dq, qi; EC d). Null, and `problem` saying why, when the members do not make
// a key: a point off its curve, members of the wrong length, an unknown curve.
std::shared_ptr<evp_pkey_st> fromJwk(const Jwk &key, bool withPrivate, QString *problem);

// The curve's size in bytes for "P-256", "P-384", "P-521"; 0 for others.
int curveBytes(const QString &crv);
// OpenSSL's group name ("prime256v1", ...) for a JWK curve; empty for others.
QByteArray groupName(const QString &crv);
// The public half of an RSA or EC key as JWK members (kty, n/e or crv/x/y).
QJsonObject publicMembers(evp_pkey_st *key);

// The private key as unencrypted PKCS#8 PEM, for the keychain.
QByteArray privatePem(evp_pkey_st *key);

// The newest OpenSSL error as text, clearing the queue.
QString lastError();

} // namespace workbench::OpenSslKey
