#include "core/sandbox/SandboxSigner.h"

#include "core/tokens/IdTokenValidator.h"
#include "core/util/SecureRandom.h"

#include <QJsonArray>

namespace workbench {

namespace {
// ID tokens are for the sign-in at hand: ten minutes.
constexpr int kIdTokenLifetimeSeconds = 600;
// JARM §2.1 asks for a short lifetime; ten minutes, as oidc-provider gives.
constexpr int kAuthorizationResponseLifetimeSeconds = 600;
} // namespace

const SigningKey &SandboxSigner::key()
{
    if (!m_key.isValid())
        m_key = SigningKey::generate(QString::fromLatin1(kAlgorithm),
                                     QStringLiteral("sandbox-") +
                                         QString::fromLatin1(SecureRandom::urlSafeToken(6)));
    return m_key;
}

bool SandboxSigner::ready()
{
    return key().isValid();
}

QJsonObject SandboxSigner::jwks()
{
    return QJsonObject{{"keys", QJsonArray{key().publicJwk()}}};
}

QByteArray SandboxSigner::accessToken(const QString &issuer, const QString &subject,
                                      const QString &clientId, const QString &scope,
                                      qint64 issuedAt, int lifetimeSeconds)
{
    return key().sign(QJsonObject{{"iss", issuer},
                                  {"sub", subject},
                                  {"aud", "sandbox-api"},
                                  {"client_id", clientId},
                                  {"scope", scope},
                                  {"iat", double(issuedAt)},
                                  {"exp", double(issuedAt + lifetimeSeconds)},
                                  {"jti", QString::fromLatin1(SecureRandom::urlSafeToken(12))}},
                      QStringLiteral("at+jwt"));
}

QByteArray SandboxSigner::idToken(const QString &issuer, const QString &clientId,
                                  const SignIn &signIn, qint64 issuedAt,
                                  const QByteArray &accessToken)
{
    QJsonObject claims{{"iss", issuer},
                       {"sub", signIn.subject},
                       {"aud", clientId},
                       {"iat", double(issuedAt)},
                       {"exp", double(issuedAt + kIdTokenLifetimeSeconds)},
                       {"auth_time", double(signIn.authTime.toSecsSinceEpoch())},
                       {"at_hash", QString::fromLatin1(IdTokenValidator::halfHash(
                                       accessToken, QString::fromLatin1(kAlgorithm)))}};
    if (!signIn.nonce.isEmpty())
        claims.insert("nonce", signIn.nonce);
    return key().sign(claims);
}

QByteArray SandboxSigner::authorizationResponse(const QString &issuer, const QString &clientId,
                                                const FormFields &parameters, qint64 issuedAt)
{
    QJsonObject claims;
    for (const auto &[name, value] : parameters)
        claims.insert(name, value);
    claims.insert("iss", issuer);
    claims.insert("aud", clientId);
    claims.insert("exp", double(issuedAt + kAuthorizationResponseLifetimeSeconds));
    return key().sign(claims);
}

} // namespace workbench
