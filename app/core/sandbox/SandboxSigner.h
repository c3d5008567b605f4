#pragma once

#include "core/jose/JwsSigner.h"
#include "core/util/FormEncoding.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace workbench {

// The sandbox's signing: one RS256 key, made on first use (an RSA key takes 0.1 to 0.2 s, which
// the app's start-up should not pay), the JWKS that publishes it, and the JWT access tokens
// (RFC 9068) and ID tokens it signs.
class SandboxSigner
{
public:
    static constexpr const char *kAlgorithm = "RS256";
    // What an ID token says about the sign-in it comes from.
    struct SignIn
    {
        QString subject;
        QDateTime authTime;
        QString nonce;
    };

    // False when OpenSSL could not make the key.
    [[nodiscard]] bool ready();
    QJsonObject jwks();
    QByteArray accessToken(const QString &issuer, const QString &subject, const QString &clientId,
                           const QString &scope, qint64 issuedAt, int lifetimeSeconds);
    // Carries at_hash for `accessToken` (OIDC Core §3.1.3.6).
    QByteArray idToken(const QString &issuer, const QString &clientId, const SignIn &signIn,
                       qint64 issuedAt, const QByteArray &accessToken);

    // A JWT-secured authorization response (JARM §2.1): the response's parameters as claims,
    // with iss, aud and a short exp.
    QByteArray authorizationResponse(const QString &issuer, const QString &clientId,
                                     const FormFields &parameters, qint64 issuedAt);

private:
    const SigningKey &key();

    SigningKey m_key;
};

} // namespace workbench
