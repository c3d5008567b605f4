#pragma once

#include <QByteArray>

namespace workbench::SecureRandom {
// Bytes from the operating system's CSPRNG (QRandomGenerator::system()).
QByteArray bytes(int count);
// base64url without padding of `count` random bytes: for state, nonce and PKCE verifiers.
QByteArray urlSafeToken(int count);
} // namespace workbench::SecureRandom
