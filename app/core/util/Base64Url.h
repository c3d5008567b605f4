#pragma once

#include <QByteArray>

namespace workbench {

// base64url without padding (RFC 4648 §5, RFC 7515 §2): JWS segments, PKCE challenges, hashes
// in tokens and the random values the app makes.
inline QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace workbench
