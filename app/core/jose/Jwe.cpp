#include "core/jose/Jwe.h"

#include "core/jose/Jwt.h"
#include "core/jose/OpenSslKey.h"
#include "core/util/Base64Url.h"
#include "core/util/SecureRandom.h"

#include <QCryptographicHash>
#include <QJsonDocument>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <optional>

namespace workbench {

namespace {

struct Deleter
{
    void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
    void operator()(EVP_CIPHER_CTX *p) const { EVP_CIPHER_CTX_free(p); }
    void operator()(EVP_KDF *p) const { EVP_KDF_free(p); }
    void operator()(EVP_KDF_CTX *p) const { EVP_KDF_CTX_free(p); }
};
template <typename T> using Owned = std::unique_ptr<T, Deleter>;

const unsigned char *bytes(const QByteArray &data)
{
    return reinterpret_cast<const unsigned char *>(data.constData());
}

unsigned char *bytes(QByteArray &data)
{
    return reinterpret_cast<unsigned char *>(data.data());
}

QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding);
}

// Content encryption algorithms (RFC 7518 §5.1): the CEK's size, and GCM or CBC with HMAC.
struct ContentAlgorithm
{
    const char *name;
    int keyBytes;
    bool gcm;
};
constexpr ContentAlgorithm kContent[] = {{"A128CBC-HS256", 32, false}, {"A192CBC-HS384", 48, false},
                                         {"A256CBC-HS512", 64, false}, {"A128GCM", 16, true},
                                         {"A192GCM", 24, true},        {"A256GCM", 32, true}};

const ContentAlgorithm *contentAlgorithm(const QString &enc)
{
    for (const ContentAlgorithm &algorithm : kContent) {
        if (enc == QLatin1String(algorithm.name))
            return &algorithm;
    }
    return nullptr;
}

const EVP_CIPHER *gcmCipher(int keyBytes)
{
    return keyBytes == 16   ? EVP_aes_128_gcm()
           : keyBytes == 24 ? EVP_aes_192_gcm()
                            : EVP_aes_256_gcm();
}

const EVP_CIPHER *cbcCipher(int keyBytes)
{
    return keyBytes == 16   ? EVP_aes_128_cbc()
           : keyBytes == 24 ? EVP_aes_192_cbc()
                            : EVP_aes_256_cbc();
}

const EVP_CIPHER *wrapCipher(int keyBytes)
{
    return keyBytes == 16   ? EVP_aes_128_wrap()
           : keyBytes == 24 ? EVP_aes_192_wrap()
                            : EVP_aes_256_wrap();
}

const EVP_MD *macDigest(int keyBytes)
{
    return keyBytes == 32 ? EVP_sha256() : keyBytes == 48 ? EVP_sha384() : EVP_sha512();
}

// The AES key size of "A128KW", "ECDH-ES+A256KW", ...; 0 when the algorithm wraps no key.
int wrapKeyBytes(const QString &alg)
{
    if (alg.endsWith(QLatin1String("A128KW")))
        return 16;
    if (alg.endsWith(QLatin1String("A192KW")))
        return 24;
    if (alg.endsWith(QLatin1String("A256KW")))
        return 32;
    return 0;
}

bool isRsaOaep(const QString &alg)
{
    return alg == QLatin1String("RSA-OAEP") || alg == QLatin1String("RSA-OAEP-256");
}

bool isEcdh(const QString &alg)
{
    return alg.startsWith(QLatin1String("ECDH-ES"));
}

// Runs one cipher over `input`; empty with ok false when OpenSSL refuses.
struct Cipher
{
    Owned<EVP_CIPHER_CTX> ctx{EVP_CIPHER_CTX_new()};
    bool ok = true;

    Cipher(const EVP_CIPHER *cipher, const QByteArray &key, const QByteArray &iv, bool encrypt)
    {
        EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
        ok = ctx && EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypt) == 1;
        if (ok && EVP_CIPHER_get_mode(cipher) == EVP_CIPH_GCM_MODE)
            ok = EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, int(iv.size()), nullptr) ==
                 1;
        ok = ok && EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, bytes(key),
                                     iv.isEmpty() ? nullptr : bytes(iv), encrypt) == 1;
    }
    void aad(const QByteArray &data)
    {
        int length = 0;
        ok =
            ok && EVP_CipherUpdate(ctx.get(), nullptr, &length, bytes(data), int(data.size())) == 1;
    }
    QByteArray run(const QByteArray &input)
    {
        QByteArray out(input.size() + 2 * EVP_MAX_BLOCK_LENGTH, '\0');
        int length = 0;
        int tail = 0;
        ok = ok &&
             EVP_CipherUpdate(ctx.get(), bytes(out), &length, bytes(input), int(input.size())) ==
                 1 &&
             EVP_CipherFinal_ex(ctx.get(), bytes(out) + length, &tail) == 1;
        ERR_clear_error();
        if (!ok)
            return {};
        out.resize(length + tail);
        return out;
    }
};

QByteArray hmac(const EVP_MD *md, const QByteArray &key, const QByteArray &data)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(md, key.constData(), int(key.size()), bytes(data), size_t(data.size()), mac, &length))
        return {};
    return QByteArray(reinterpret_cast<const char *>(mac), int(length));
}

QByteArray bigEndian32(quint32 value)
{
    QByteArray out(4, '\0');
    for (int i = 0; i < 4; ++i)
        out[i] = char((value >> (8 * (3 - i))) & 0xff);
    return out;
}

// AES_CBC_HMAC_SHA2's tag (RFC 7518 §5.2.2.1): HMAC over AAD || IV || C || AL, first half.
QByteArray cbcTag(const QByteArray &cek, const QByteArray &aad, const QByteArray &iv,
                  const QByteArray &ciphertext)
{
    const int half = int(cek.size() / 2);
    const QByteArray al = bigEndian32(0) + bigEndian32(quint32(aad.size()) * 8);
    return hmac(macDigest(int(cek.size())), cek.left(half), aad + iv + ciphertext + al).left(half);
}

struct Sealed
{
    QByteArray iv;
    QByteArray ciphertext;
    QByteArray tag;
};

Sealed seal(const ContentAlgorithm &enc, const QByteArray &cek, const QByteArray &plaintext,
            const QByteArray &aad)
{
    Sealed sealed;
    if (enc.gcm) {
        sealed.iv = SecureRandom::bytes(12);
        Cipher cipher(gcmCipher(enc.keyBytes), cek, sealed.iv, true);
        cipher.aad(aad);
        sealed.ciphertext = cipher.run(plaintext);
        sealed.tag = QByteArray(16, '\0');
        if (!cipher.ok ||
            EVP_CIPHER_CTX_ctrl(cipher.ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, bytes(sealed.tag)) != 1)
            return {};
    } else {
        const int half = enc.keyBytes / 2;
        sealed.iv = SecureRandom::bytes(16);
        Cipher cipher(cbcCipher(half), cek.mid(half), sealed.iv, true);
        sealed.ciphertext = cipher.run(plaintext);
        if (!cipher.ok)
            return {};
        sealed.tag = cbcTag(cek, aad, sealed.iv, sealed.ciphertext);
    }
    return sealed;
}

// Opens the content; nullopt when the tag does not match (or OpenSSL refuses).
std::optional<QByteArray> open(const ContentAlgorithm &enc, const QByteArray &cek,
                               const Sealed &sealed, const QByteArray &aad)
{
    if (enc.gcm) {
        if (sealed.tag.size() != 16)
            return std::nullopt;
        Cipher cipher(gcmCipher(enc.keyBytes), cek, sealed.iv, false);
        cipher.aad(aad);
        QByteArray tag = sealed.tag;
        cipher.ok = cipher.ok && EVP_CIPHER_CTX_ctrl(cipher.ctx.get(), EVP_CTRL_GCM_SET_TAG, 16,
                                                     bytes(tag)) == 1;
        QByteArray plaintext = cipher.run(sealed.ciphertext);
        return cipher.ok ? std::optional(plaintext) : std::nullopt;
    }
    const QByteArray expected = cbcTag(cek, aad, sealed.iv, sealed.ciphertext);
    if (expected.isEmpty() || expected.size() != sealed.tag.size() ||
        CRYPTO_memcmp(expected.constData(), sealed.tag.constData(), size_t(expected.size())) != 0)
        return std::nullopt;
    Cipher cipher(cbcCipher(enc.keyBytes / 2), cek.mid(enc.keyBytes / 2), sealed.iv, false);
    QByteArray plaintext = cipher.run(sealed.ciphertext);
    return cipher.ok ? std::optional(plaintext) : std::nullopt;
}

// AES Key Wrap (RFC 3394) with the default IV.
QByteArray keyWrap(const QByteArray &kek, const QByteArray &input, bool wrap)
{
    Cipher cipher(wrapCipher(int(kek.size())), kek, {}, wrap);
    return cipher.run(input);
}

QByteArray rsaOaep(EVP_PKEY *key, const QString &alg, const QByteArray &input, bool encrypt)
{
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    const EVP_MD *md = alg == QLatin1String("RSA-OAEP-256") ? EVP_sha256() : EVP_sha1();
    size_t length = 0;
    const auto run = [&](unsigned char *out) {
        return encrypt
                   ? EVP_PKEY_encrypt(ctx.get(), out, &length, bytes(input), size_t(input.size()))
                   : EVP_PKEY_decrypt(ctx.get(), out, &length, bytes(input), size_t(input.size()));
    };
    if (!ctx ||
        (encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get())) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1 || run(nullptr) != 1) {
        ERR_clear_error();
        return {};
    }
    QByteArray out(qsizetype(length), '\0');
    if (run(bytes(out)) != 1) {
        ERR_clear_error();
        return {};
    }
    out.resize(qsizetype(length));
    return out;
}

// ECDH-ES (RFC 7518 §4.6): the shared secret Z, then the Concat KDF (NIST SP 800-56A, here
// OpenSSL's single-step KDF with SHA-256) over AlgorithmID, PartyUInfo, PartyVInfo and the
// key's length in bits.
QByteArray ecdhKey(EVP_PKEY *own, EVP_PKEY *peer, const QString &algorithmId,
                   const QJsonObject &header, int keyBytes)
{
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
    size_t length = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
        EVP_PKEY_derive(ctx.get(), nullptr, &length) != 1) {
        ERR_clear_error();
        return {};
    }
    QByteArray z(qsizetype(length), '\0');
    if (EVP_PKEY_derive(ctx.get(), bytes(z), &length) != 1) {
        ERR_clear_error();
        return {};
    }
    const auto prefixed = [](const QByteArray &data) {
        return bigEndian32(quint32(data.size())) + data;
    };
    QByteArray otherInfo = prefixed(algorithmId.toLatin1()) +
                           prefixed(fromBase64Url(header.value("apu").toString().toLatin1())) +
                           prefixed(fromBase64Url(header.value("apv").toString().toLatin1())) +
                           bigEndian32(quint32(keyBytes) * 8);
    Owned<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, "SSKDF", nullptr));
    Owned<EVP_KDF_CTX> kctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, z.data(), size_t(z.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, otherInfo.data(),
                                          size_t(otherInfo.size())),
        OSSL_PARAM_construct_end()};
    QByteArray key(keyBytes, '\0');
    const bool derived =
        kctx && EVP_KDF_derive(kctx.get(), bytes(key), size_t(key.size()), params) == 1;
    OPENSSL_cleanse(z.data(), size_t(z.size()));
    if (!derived) {
        ERR_clear_error();
        return {};
    }
    return key;
}

QString describeKey(EVP_PKEY *key)
{
    const QJsonObject members = OpenSslKey::publicMembers(key);
    if (members.value("kty") == QLatin1String("RSA"))
        return QStringLiteral("RSA %1").arg(EVP_PKEY_get_bits(key));
    return QStringLiteral("EC %1").arg(members.value("crv").toString());
}

Jwe::Decrypted failed(const QJsonObject &header, const QString &reason)
{
    Jwe::Decrypted result;
    result.header = header;
    result.reason = reason;
    return result;
}

} // namespace

DecryptionKey DecryptionKey::generate(const QString &keyType, const QString &kid)
{
    DecryptionKey key;
    EVP_PKEY *raw = nullptr;
    if (keyType == QLatin1String("RSA"))
        raw = EVP_RSA_gen(2048);
    else if (keyType == QLatin1String("EC"))
        raw = EVP_EC_gen("P-256");
    if (!raw)
        return key;
    key.m_key.reset(raw, EVP_PKEY_free);
    key.m_kid = kid;
    return key;
}

DecryptionKey DecryptionKey::fromPem(const QByteArray &pem, const QByteArray &passphrase,
                                     const QString &kid, QString *error)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  BIO_free);
    QByteArray pass = passphrase; // non-null: OpenSSL never prompts on the terminal
    EVP_PKEY *raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
    ERR_clear_error();
    DecryptionKey key;
    if (!raw) {
        *error = pem.contains("ENCRYPTED")
                     ? QStringLiteral("The decryption key is encrypted and the passphrase does not "
                                      "open it.")
                     : QStringLiteral("The decryption key is not a PEM private key OpenSSL can "
                                      "read (expected \"-----BEGIN PRIVATE KEY-----\" or an RSA/EC "
                                      "key).");
        return key;
    }
    key.m_key.reset(raw, EVP_PKEY_free);
    key.m_kid = kid;
    if (EVP_PKEY_is_a(raw, "RSA") && EVP_PKEY_get_bits(raw) < 2048) {
        *error = QStringLiteral("The RSA key has %1 bits; RSA-OAEP needs at least 2048 (RFC 7518 "
                                "§4.3).")
                     .arg(EVP_PKEY_get_bits(raw));
        return {};
    }
    if (OpenSslKey::publicMembers(raw).isEmpty()) {
        *error = QStringLiteral("The decryption key must be RSA or EC on P-256, P-384 or P-521.");
        return {};
    }
    return key;
}

DecryptionKey DecryptionKey::fromJwk(const QJsonObject &jwk, QString *error)
{
    const Jwk key{jwk};
    if (key.kty() == QLatin1String("oct"))
        return sharedSecret(fromBase64Url(jwk.value("k").toString().toLatin1()), key.kid());
    DecryptionKey result;
    result.m_key = OpenSslKey::fromJwk(key, true, error);
    if (result.m_key)
        result.m_kid = key.kid();
    return result;
}

DecryptionKey DecryptionKey::sharedSecret(const QByteArray &secret, const QString &kid)
{
    DecryptionKey key;
    key.m_secret = secret;
    key.m_kid = kid;
    return key;
}

QString DecryptionKey::keyType() const
{
    if (!m_secret.isEmpty())
        return QStringLiteral("oct");
    if (!m_key)
        return {};
    return EVP_PKEY_is_a(m_key.get(), "RSA") ? QStringLiteral("RSA") : QStringLiteral("EC");
}

QString DecryptionKey::describe() const
{
    if (!m_secret.isEmpty())
        return QStringLiteral("shared secret (%1 bytes)").arg(m_secret.size());
    return m_key ? describeKey(m_key.get()) : QString();
}

QStringList DecryptionKey::algorithms() const
{
    const QString type = keyType();
    QStringList out;
    for (const QString &alg : Jwe::keyManagementAlgorithms()) {
        if (Jwe::keyTypeFor(alg) == type)
            out << alg;
    }
    return out;
}

QByteArray DecryptionKey::privatePem() const
{
    return m_key ? OpenSslKey::privatePem(m_key.get()) : QByteArray();
}

QJsonObject DecryptionKey::publicJwk() const
{
    if (!m_key)
        return {};
    QJsonObject jwk = OpenSslKey::publicMembers(m_key.get());
    jwk.insert("use", "enc");
    if (!m_kid.isEmpty())
        jwk.insert("kid", m_kid);
    return jwk;
}

namespace Jwe {

QStringList keyManagementAlgorithms()
{
    return {QStringLiteral("RSA-OAEP"),
            QStringLiteral("RSA-OAEP-256"),
            QStringLiteral("ECDH-ES"),
            QStringLiteral("ECDH-ES+A128KW"),
            QStringLiteral("ECDH-ES+A192KW"),
            QStringLiteral("ECDH-ES+A256KW"),
            QStringLiteral("dir"),
            QStringLiteral("A128KW"),
            QStringLiteral("A192KW"),
            QStringLiteral("A256KW")};
}

QStringList contentEncryptionAlgorithms()
{
    QStringList out;
    for (const ContentAlgorithm &algorithm : kContent)
        out << QLatin1String(algorithm.name);
    return out;
}

QJsonObject header(const QByteArray &compact)
{
    const QList<QByteArray> parts = compact.trimmed().split('.');
    if (parts.size() != 5)
        return {};
    return QJsonDocument::fromJson(fromBase64Url(parts.at(0))).object();
}

Decrypted decrypt(const QByteArray &compact, const DecryptionKey &key)
{
    const QList<QByteArray> parts = compact.trimmed().split('.');
    if (parts.size() != 5)
        return failed({}, QStringLiteral("not a JWE compact serialization: five parts expected, "
                                         "%1 found (RFC 7516 §7.1)")
                              .arg(parts.size()));
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(fromBase64Url(parts.at(0)), &parseError);
    if (!doc.isObject())
        return failed({}, QStringLiteral("the JWE header is not a JSON object"));
    const QJsonObject head = doc.object();
    const QString alg = head.value("alg").toString();
    const QString encName = head.value("enc").toString();
    if (!keyManagementAlgorithms().contains(alg))
        return failed(head, QStringLiteral("the key management algorithm \"%1\" is not supported "
                                           "(supported: %2)")
                                .arg(alg, keyManagementAlgorithms().join(QStringLiteral(", "))));
    const ContentAlgorithm *enc = contentAlgorithm(encName);
    if (!enc)
        return failed(head,
                      QStringLiteral("the content encryption \"%1\" is not supported "
                                     "(supported: %2)")
                          .arg(encName, contentEncryptionAlgorithms().join(QStringLiteral(", "))));
    if (head.contains("zip"))
        return failed(head, QStringLiteral("compressed content (zip \"%1\") is not supported")
                                .arg(head.value("zip").toString()));
    if (head.contains("crit"))
        return failed(head, QStringLiteral("the header names critical extensions (%1) this "
                                           "client does not understand (RFC 7516 §4.1.13)")
                                .arg(Jwt::compactText(head.value("crit"))));
    if (!key.isValid())
        return failed(head, QStringLiteral("the token is encrypted (%1, %2) and no decryption "
                                           "key is set")
                                .arg(alg, encName));
    if (keyTypeFor(alg) != key.keyType())
        return failed(head, QStringLiteral("%1 needs an %2 key; the decryption key is %3")
                                .arg(alg, keyTypeFor(alg), key.describe()));

    const QString kid = head.value("kid").toString();
    const QString toWhom =
        !kid.isEmpty() && !key.keyId().isEmpty() && kid != key.keyId()
            ? QStringLiteral(" It names key \"%1\"; the decryption key is \"%2\".")
                  .arg(kid, key.keyId())
            : QString();
    const QString otherKey =
        QStringLiteral("the content key cannot be recovered with the decryption key (%1): the "
                       "token was encrypted to another key.%2")
            .arg(key.describe(), toWhom);
    const QByteArray encryptedKey = fromBase64Url(parts.at(1));
    QByteArray cek;
    if (isRsaOaep(alg)) {
        cek = rsaOaep(key.pkey(), alg, encryptedKey, false);
    } else if (isEcdh(alg)) {
        QString problem;
        const std::shared_ptr<evp_pkey_st> epk =
            OpenSslKey::fromJwk(Jwk{head.value("epk").toObject()}, false, &problem);
        if (!epk)
            return failed(head, QStringLiteral("the ephemeral key (epk) in the header is not "
                                               "usable: %1")
                                    .arg(problem.isEmpty() ? QStringLiteral("missing") : problem));
        if (OpenSslKey::publicMembers(epk.get()).value("crv") !=
            OpenSslKey::publicMembers(key.pkey()).value("crv"))
            return failed(head, QStringLiteral("the ephemeral key is on %1, the decryption key "
                                               "on another curve (%2)")
                                    .arg(head.value("epk").toObject().value("crv").toString(),
                                         key.describe()));
        const int kw = wrapKeyBytes(alg);
        const QByteArray derived =
            ecdhKey(key.pkey(), epk.get(), kw ? alg : encName, head, kw ? kw : enc->keyBytes);
        cek = kw ? keyWrap(derived, encryptedKey, false) : derived;
    } else if (alg == QLatin1String("dir")) {
        cek = key.secret();
    } else {
        const int kw = wrapKeyBytes(alg);
        if (key.secret().size() != kw)
            return failed(head, QStringLiteral("%1 needs a %2-byte key; the secret is %3 bytes")
                                    .arg(alg)
                                    .arg(kw)
                                    .arg(key.secret().size()));
        cek = keyWrap(key.secret(), encryptedKey, false);
    }
    if (cek.isEmpty())
        return failed(head, otherKey);
    if (cek.size() != enc->keyBytes)
        return failed(head, QStringLiteral("the content key is %1 bytes; %2 needs %3")
                                .arg(cek.size())
                                .arg(encName)
                                .arg(enc->keyBytes));
    const Sealed sealed{fromBase64Url(parts.at(2)), fromBase64Url(parts.at(3)),
                        fromBase64Url(parts.at(4))};
    const std::optional<QByteArray> plaintext = open(*enc, cek, sealed, parts.at(0));
    if (!plaintext)
        return failed(head, isRsaOaep(alg) || wrapKeyBytes(alg) != 0
                                ? QStringLiteral("the authentication tag does not match: the "
                                                 "token was changed after it was encrypted")
                                : QStringLiteral("the authentication tag does not match: the "
                                                 "token was encrypted to another key, or changed "
                                                 "after it was encrypted.%1")
                                      .arg(toWhom));
    Decrypted result;
    result.ok = true;
    result.header = head;
    result.plaintext = *plaintext;
    return result;
}

QByteArray signedInside(const QByteArray &token, const DecryptionKey &key)
{
    if (Jwt::kindOf(token) != Jwt::Kind::Jwe)
        return token;
    const Decrypted opened = decrypt(token, key);
    return opened.ok ? opened.plaintext.trimmed() : QByteArray();
}

QByteArray encrypt(const QByteArray &plaintext, const Jwk &recipient, const QString &alg,
                   const QString &enc, const QJsonObject &extraHeader, QString *error)
{
    const ContentAlgorithm *content = contentAlgorithm(enc);
    if (!content || !keyManagementAlgorithms().contains(alg)) {
        *error = QStringLiteral("\"%1\" with \"%2\" is not a supported encryption").arg(alg, enc);
        return {};
    }
    if (recipient.kty() != keyTypeFor(alg)) {
        *error = QStringLiteral("%1 needs an %2 key; the recipient's key is %3")
                     .arg(alg, keyTypeFor(alg), recipient.describe());
        return {};
    }
    QJsonObject head = extraHeader;
    head.insert("alg", alg);
    head.insert("enc", enc);
    if (!recipient.kid().isEmpty())
        head.insert("kid", recipient.kid());
    QByteArray cek = SecureRandom::bytes(content->keyBytes);
    QByteArray encryptedKey;
    const int kw = wrapKeyBytes(alg);
    if (isRsaOaep(alg) || isEcdh(alg)) {
        const std::shared_ptr<evp_pkey_st> peer = OpenSslKey::fromJwk(recipient, false, error);
        if (!peer)
            return {};
        if (isRsaOaep(alg)) {
            encryptedKey = rsaOaep(peer.get(), alg, cek, true);
        } else {
            std::shared_ptr<EVP_PKEY> ephemeral(
                EVP_EC_gen(OpenSslKey::groupName(recipient.crv()).constData()), EVP_PKEY_free);
            if (!ephemeral) {
                *error = OpenSslKey::lastError();
                return {};
            }
            head.insert("epk", OpenSslKey::publicMembers(ephemeral.get()));
            const QByteArray derived = ecdhKey(ephemeral.get(), peer.get(), kw ? alg : enc, head,
                                               kw ? kw : content->keyBytes);
            if (kw)
                encryptedKey = keyWrap(derived, cek, true);
            else
                cek = derived;
        }
    } else {
        const QByteArray secret = fromBase64Url(recipient.json.value("k").toString().toLatin1());
        if (alg == QLatin1String("dir"))
            cek = secret;
        else if (secret.size() == kw)
            encryptedKey = keyWrap(secret, cek, true);
    }
    if (cek.size() != content->keyBytes ||
        (alg != QLatin1String("dir") && alg != QLatin1String("ECDH-ES") &&
         encryptedKey.isEmpty())) {
        *error = QStringLiteral("the content key could not be made for %1 with %2 (wrong key "
                                "size?)")
                     .arg(alg, recipient.describe());
        return {};
    }
    const QByteArray protectedHeader =
        base64Url(QJsonDocument(head).toJson(QJsonDocument::Compact));
    const Sealed sealed = seal(*content, cek, plaintext, protectedHeader);
    OPENSSL_cleanse(cek.data(), size_t(cek.size()));
    if (sealed.ciphertext.isEmpty() && !plaintext.isEmpty()) {
        *error = QStringLiteral("OpenSSL could not encrypt the content");
        return {};
    }
    return protectedHeader + '.' + base64Url(encryptedKey) + '.' + base64Url(sealed.iv) + '.' +
           base64Url(sealed.ciphertext) + '.' + base64Url(sealed.tag);
}

QString keyTypeFor(const QString &alg)
{
    if (isRsaOaep(alg))
        return QStringLiteral("RSA");
    if (isEcdh(alg))
        return QStringLiteral("EC");
    return QStringLiteral("oct");
}

std::optional<Jwk> secretRecipient(const QByteArray &clientSecret, const QString &alg,
                                   const QString &enc)
{
    const ContentAlgorithm *content = contentAlgorithm(enc);
    const int size =
        alg == QLatin1String("dir") ? (content ? content->keyBytes : 0) : wrapKeyBytes(alg);
    if (size == 0 || isEcdh(alg) || clientSecret.isEmpty())
        return std::nullopt;
    const QCryptographicHash::Algorithm digest = size <= 32   ? QCryptographicHash::Sha256
                                                 : size <= 48 ? QCryptographicHash::Sha384
                                                              : QCryptographicHash::Sha512;
    const QByteArray key = QCryptographicHash::hash(clientSecret, digest).left(size);
    return Jwk{
        {{"kty", "oct"}, {"use", "enc"}, {"alg", alg}, {"k", QString::fromLatin1(base64Url(key))}}};
}

std::optional<Jwk> recipientFor(const JwkSet &keys, const QString &alg)
{
    for (const Jwk &key : keys.keys) {
        if (key.kty() != keyTypeFor(alg) || (!key.use().isEmpty() && key.use() != "enc") ||
            (!key.alg().isEmpty() && key.alg() != alg))
            continue;
        if (key.kty() == QLatin1String("EC") && OpenSslKey::curveBytes(key.crv()) == 0)
            continue;
        return key;
    }
    return std::nullopt;
}

} // namespace Jwe
} // namespace workbench
