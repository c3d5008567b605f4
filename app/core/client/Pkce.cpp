#include "core/client/Pkce.h"

#include "core/util/Base64Url.h"
#include "core/util/SecureRandom.h"

#include <QCryptographicHash>

namespace workbench {

Pkce Pkce::generate(Method method, int verifierLength)
{
    verifierLength = qBound(43, verifierLength, 128);
    // base64url of n random bytes has ceil(4n/3) characters; take enough and trim.
    QByteArray verifier = SecureRandom::urlSafeToken((verifierLength * 3) / 4 + 3);
    verifier.truncate(verifierLength);
    return Pkce{method, verifier, challengeFor(verifier, method)};
}

QByteArray Pkce::challengeFor(const QByteArray &verifier, Method method)
{
    if (method == Method::Plain)
        return verifier;
    return base64Url(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256));
}

bool Pkce::isValidVerifier(const QByteArray &verifier)
{
    if (verifier.size() < 43 || verifier.size() > 128)
        return false;
    for (const char c : verifier) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (!ok)
            return false;
    }
    return true;
}

QString Pkce::methodName(Method method)
{
    return method == Method::S256 ? QStringLiteral("S256") : QStringLiteral("plain");
}

} // namespace workbench
