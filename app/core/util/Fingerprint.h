#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QString>

namespace workbench {

// A short, stable label for a secret that does not give it away ("#" and 8 hex digits of its
// SHA-256): two labels are equal exactly when (in practice) the secrets are.
inline QString fingerprint(const QByteArray &secret)
{
    return QStringLiteral("#") +
           QString::fromLatin1(
               QCryptographicHash::hash(secret, QCryptographicHash::Sha256).left(4).toHex());
}

} // namespace workbench
