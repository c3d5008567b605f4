#include "core/jose/JwsSigner.h"

#include "core/jose/OpenSslKey.h"
#include "core/util/Base64Url.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QStringList>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace workbench {

SigningKey SigningKey::generate(const QString &alg, const QString &kid)
{
    SigningKey key;
    EVP_PKEY *raw = nullptr;
    if (alg == QLatin1String("RS256") || alg == QLatin1String("PS256"))
        raw = EVP_RSA_gen(2048);
    else if (alg == QLatin1String("ES256"))
        raw = EVP_EC_gen("P-256");
    else if (alg == QLatin1String("EdDSA"))
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!raw)
        return key;
    key.m_key.reset(raw, EVP_PKEY_free);
    key.m_alg = alg;
    key.m_kid = kid;
    return key;
}

SigningKey SigningKey::fromPem(const QByteArray &pem, const QByteArray &passphrase,
                               const QString &alg, const QString &kid, QString *error)
{
    SigningKey key;
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return SigningKey();
    };
    if (!privateKeyAlgorithms().contains(alg))
        return fail(QStringLiteral("\"%1\" is not an algorithm for a private key; use one of %2.")
                        .arg(alg, privateKeyAlgorithms().join(QStringLiteral(", "))));
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  BIO_free);
    // A non-null passphrase keeps OpenSSL from prompting on the terminal for an encrypted key.
    QByteArray pass = passphrase;
    EVP_PKEY *raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
    if (!raw) {
        ERR_clear_error();
        return fail(pem.contains("ENCRYPTED")
                        ? QStringLiteral("The private key is encrypted and the passphrase does not "
                                         "open it.")
                        : QStringLiteral("The private key is not a PEM private key OpenSSL can "
                                         "read (expected \"-----BEGIN PRIVATE KEY-----\" or an "
                                         "RSA/EC key)."));
    }
    key.m_key.reset(raw, EVP_PKEY_free);
    const bool isRsa = EVP_PKEY_is_a(raw, "RSA");
    const bool isEc = EVP_PKEY_is_a(raw, "EC");
    if (alg == QLatin1String("EdDSA")) {
        if (!EVP_PKEY_is_a(raw, "ED25519"))
            return fail(QStringLiteral("EdDSA needs an Ed25519 key."));
    } else if (alg.startsWith(QLatin1String("ES"))) {
        char curve[64] = {};
        size_t length = 0;
        if (!isEc ||
            !EVP_PKEY_get_utf8_string_param(raw, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve,
                                            &length) ||
            (qstrcmp(curve, "prime256v1") != 0 && qstrcmp(curve, "P-256") != 0))
            return fail(QStringLiteral("ES256 needs an EC key on the P-256 curve."));
    } else if (!isRsa) {
        return fail(QStringLiteral("%1 needs an RSA key.").arg(alg));
    } else if (EVP_PKEY_get_bits(raw) < 2048) {
        return fail(QStringLiteral("The RSA key has %1 bits; JWS needs at least 2048 (RFC 7518 "
                                   "§3.3).")
                        .arg(EVP_PKEY_get_bits(raw)));
    }
    key.m_alg = alg;
    key.m_kid = kid;
    return key;
}

SigningKey SigningKey::sharedSecret(const QByteArray &secret, const QString &kid)
{
    SigningKey key;
    key.m_secret = secret;
    key.m_alg = QStringLiteral("HS256");
    key.m_kid = kid;
    return key;
}

QStringList SigningKey::privateKeyAlgorithms()
{
    return {QStringLiteral("RS256"), QStringLiteral("PS256"), QStringLiteral("ES256"),
            QStringLiteral("EdDSA")};
}

QByteArray SigningKey::privatePem() const
{
    return m_key ? OpenSslKey::privatePem(m_key.get()) : QByteArray();
}

QJsonObject SigningKey::publicJwk() const
{
    if (!m_key)
        return {};
    QJsonObject jwk{{"use", "sig"}, {"alg", m_alg}};
    if (!m_kid.isEmpty())
        jwk.insert("kid", m_kid);
    if (EVP_PKEY_is_a(m_key.get(), "ED25519")) {
        QByteArray raw(32, '\0');
        size_t length = size_t(raw.size());
        if (EVP_PKEY_get_raw_public_key(m_key.get(), reinterpret_cast<unsigned char *>(raw.data()),
                                        &length) != 1)
            return {};
        jwk.insert("kty", "OKP");
        jwk.insert("crv", "Ed25519");
        jwk.insert("x", QString::fromLatin1(base64Url(raw.left(qsizetype(length)))));
        return jwk;
    }
    const QJsonObject members = OpenSslKey::publicMembers(m_key.get());
    for (auto it = members.begin(); it != members.end(); ++it)
        jwk.insert(it.key(), it.value());
    return jwk;
}

QByteArray SigningKey::sign(const QJsonObject &claims, const QString &typ) const
{
    QJsonObject header;
    if (!m_kid.isEmpty())
        header.insert("kid", m_kid);
    if (!typ.isEmpty())
        header.insert("typ", typ);
    return signWithHeader(claims, header);
}

QByteArray SigningKey::signWithHeader(const QJsonObject &claims, QJsonObject header) const
{
    if (!isValid())
        return {};
    header.insert("alg", m_alg);
    const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                             base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signed_ = signature(input);
    return signed_.isEmpty() ? QByteArray() : input + '.' + base64Url(signed_);
}

QByteArray SigningKey::signature(const QByteArray &input) const
{
    if (!m_secret.isEmpty())
        return QMessageAuthenticationCode::hash(input, m_secret, QCryptographicHash::Sha256);
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t length = 0;
    EVP_PKEY_CTX *keyContext = nullptr;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    // EdDSA hashes inside the signature: no digest is named (RFC 8037 §3.1).
    const EVP_MD *digest = m_alg == QLatin1String("EdDSA") ? nullptr : EVP_sha256();
    if (!ctx || EVP_DigestSignInit(ctx.get(), &keyContext, digest, nullptr, m_key.get()) != 1)
        return {};
    if (m_alg == QLatin1String("PS256") &&
        (EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) != 1))
        return {};
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) != 1)
        return {};
    QByteArray signature(qsizetype(length), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(input.size())) != 1)
        return {};
    signature.resize(qsizetype(length));
    if (m_alg == QLatin1String("ES256")) { // DER to R || S (RFC 7518 §3.4)
        const auto *der = reinterpret_cast<const unsigned char *>(signature.constData());
        ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &der, long(signature.size()));
        if (!sig)
            return {};
        QByteArray raw(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char *>(raw.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char *>(raw.data()) + 32, 32);
        ECDSA_SIG_free(sig);
        signature = raw;
    }
    return signature;
}

} // namespace workbench
