#pragma once

#include "core/jose/Jwk.h"

#include <QJsonObject>
#include <QStringList>
#include <memory>
#include <optional>

struct evp_pkey_st;

namespace workbench {

// The client's own key for JSON Web Encryption (RFC 7516): the private key that opens encrypted
// ID tokens, UserInfo responses and JARM responses sent to it. RSA (2048 bits or more) opens
// RSA-OAEP and RSA-OAEP-256; EC on P-256, P-384 or P-521 opens ECDH-ES and ECDH-ES+A128KW/
// A192KW/A256KW; a shared secret ("oct") opens dir and A128KW/A192KW/A256KW.
class DecryptionKey
{
public:
    // "RSA" (2048 bits) or "EC" (P-256); invalid for other types.
    static DecryptionKey generate(const QString &keyType, const QString &kid);
    // A private key from PEM (PKCS#8, PKCS#1 or SEC1; encrypted ones with `passphrase`).
    [[nodiscard]] static DecryptionKey fromPem(const QByteArray &pem, const QByteArray &passphrase,
                                               const QString &kid, QString *error);
    // A private JWK: RSA with d (and the CRT members when present), EC with d, or oct with k.
    [[nodiscard]] static DecryptionKey fromJwk(const QJsonObject &jwk, QString *error);
    static DecryptionKey sharedSecret(const QByteArray &secret, const QString &kid = {});

    bool isValid() const { return m_key != nullptr || !m_secret.isEmpty(); }
    QString keyId() const { return m_kid; }
    QString keyType() const; // "RSA", "EC" or "oct"; empty when invalid
    // "RSA 2048", "EC P-256", "shared secret (16 bytes)".
    QString describe() const;
    // The key management algorithms ("alg") this key opens.
    QStringList algorithms() const;
    // The private key as unencrypted PKCS#8 PEM, for the keychain; empty for a shared secret.
    QByteArray privatePem() const;
    // The public half as a JWK with use "enc" (for the client's jwks); empty for a secret.
    QJsonObject publicJwk() const;

    evp_pkey_st *pkey() const { return m_key.get(); }
    QByteArray secret() const { return m_secret; }

private:
    std::shared_ptr<evp_pkey_st> m_key;
    QByteArray m_secret;
    QString m_kid;
};

namespace Jwe {

// Key management ("alg") and content encryption ("enc") algorithms supported (RFC 7518 §4, §5).
QStringList keyManagementAlgorithms();
QStringList contentEncryptionAlgorithms();

struct Decrypted
{
    bool ok = false;
    QJsonObject header;   // the protected header, also when decryption fails
    QByteArray plaintext; // for a nested JWT (cty "JWT"), the signed JWT inside
    QString reason;       // why not, in words a person can act on
};

// Opens a JWE compact serialization (five dot-separated parts) with the key.
Decrypted decrypt(const QByteArray &compact, const DecryptionKey &key);
// The signed JWT a token carries: the token itself when it is not a JWE, what is inside when the
// key opens it, empty when it cannot be opened (decrypt() says why).
QByteArray signedInside(const QByteArray &token, const DecryptionKey &key);
// The protected header of a JWE without opening it; empty when unreadable.
QJsonObject header(const QByteArray &compact);

// Encrypts `plaintext` to a recipient: RSA-OAEP/RSA-OAEP-256 to an RSA key, ECDH-ES(+AxxxKW) to
// an EC key, dir/AxxxKW to an oct key (the "k" member). The header gets alg, enc, the key's kid
// and the members of `extraHeader` (cty "JWT" for a nested token). Empty, with `error` set, when
// the key does not suit the algorithm.
QByteArray encrypt(const QByteArray &plaintext, const Jwk &recipient, const QString &alg,
                   const QString &enc, const QJsonObject &extraHeader, QString *error);

// The key type an algorithm needs: "RSA" for RSA-OAEP*, "EC" for ECDH-ES*, else "oct".
QString keyTypeFor(const QString &alg);

// The shared key OIDC Core §10.2 derives from a client secret for dir (the enc's key size) and
// A128KW/A192KW/A256KW (the wrap key's size): the leftmost bytes of the secret's SHA-256, or
// SHA-384/SHA-512 when more than 32/48 bytes are needed. Null for other algorithms.
std::optional<Jwk> secretRecipient(const QByteArray &clientSecret, const QString &alg,
                                   const QString &enc);

// The recipient key in a JWK Set for an encryption algorithm: use "enc" (or none), a key type
// that fits, and alg absent or equal. Null when none fits.
std::optional<Jwk> recipientFor(const JwkSet &keys, const QString &alg);

} // namespace Jwe
} // namespace workbench
