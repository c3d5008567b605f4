#pragma once

#include <QByteArray>
#include <QString>

namespace workbench {

// Proof Key for Code Exchange (RFC 7636).
struct Pkce
{
    enum class Method { S256, Plain };

    Method method = Method::S256;
    QByteArray verifier;
    QByteArray challenge;

    // A fresh verifier of 43..128 characters from the OS CSPRNG, with its challenge.
    static Pkce generate(Method method = Method::S256, int verifierLength = 64);
    static QByteArray challengeFor(const QByteArray &verifier, Method method);
    // RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
    static bool isValidVerifier(const QByteArray &verifier);
    static QString methodName(Method method);
};

} // namespace workbench
