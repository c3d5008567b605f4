#include "core/jose/JwsVerifier.h"

#include "core/jose/OpenSslKey.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <memory>

namespace workbench::JwsVerifier {

namespace {

struct Deleter
{
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
    void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); }
};
template <typename T> using Owned = std::unique_ptr<T, Deleter>;

QByteArray member(const Jwk &key, const char *name)
{
    return QByteArray::fromBase64(key.json.value(QLatin1String(name)).toString().toLatin1(),
                                  QByteArray::Base64UrlEncoding);
}

const EVP_MD *digestFor(const QString &alg)
{
    if (alg.endsWith(QLatin1String("256")))
        return EVP_sha256();
    if (alg.endsWith(QLatin1String("384")))
        return EVP_sha384();
    if (alg.endsWith(QLatin1String("512")))
        return EVP_sha512();
    return nullptr;
}

// The ES algorithm that goes with each curve (RFC 7518 §3.4).
QString curveFor(const QString &alg)
{
    if (alg == QLatin1String("ES256"))
        return QStringLiteral("P-256");
    if (alg == QLatin1String("ES384"))
        return QStringLiteral("P-384");
    return QStringLiteral("P-521");
}

// JWS ECDSA signatures are R || S (RFC 7518 §3.4); OpenSSL wants DER.
QByteArray ecdsaToDer(const QByteArray &raw, int fieldBytes)
{
    if (raw.size() != 2 * fieldBytes)
        return {};
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.constData());
    Owned<ECDSA_SIG> sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(bytes, fieldBytes, nullptr);
    BIGNUM *s = BN_bin2bn(bytes + fieldBytes, fieldBytes, nullptr);
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r, s)) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(sig.get(), &der);
    if (length <= 0)
        return {};
    QByteArray result(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return result;
}

Result failure(const QString &reason)
{
    return {false, reason};
}

} // namespace

QStringList supportedAlgorithms()
{
    return {QStringLiteral("RS256"), QStringLiteral("RS384"),   QStringLiteral("RS512"),
            QStringLiteral("PS256"), QStringLiteral("PS384"),   QStringLiteral("PS512"),
            QStringLiteral("ES256"), QStringLiteral("ES384"),   QStringLiteral("ES512"),
            QStringLiteral("EdDSA"), QStringLiteral("Ed25519"), QStringLiteral("Ed448"),
            QStringLiteral("HS256"), QStringLiteral("HS384"),   QStringLiteral("HS512")};
}

bool isSupported(const QString &alg)
{
    return supportedAlgorithms().contains(alg);
}

bool isSymmetric(const QString &alg)
{
    return alg.startsWith(QLatin1String("HS"));
}

QString keyTypeFor(const QString &alg)
{
    if (alg.startsWith(QLatin1String("RS")) || alg.startsWith(QLatin1String("PS")))
        return QStringLiteral("RSA");
    if (alg.startsWith(QLatin1String("ES")))
        return QStringLiteral("EC");
    if (alg == QLatin1String("EdDSA") || alg == QLatin1String("Ed25519") ||
        alg == QLatin1String("Ed448"))
        return QStringLiteral("OKP");
    if (isSymmetric(alg))
        return QStringLiteral("oct");
    return {};
}

Result verify(const DecodedJwt &jws, const Jwk &key)
{
    const QString alg = jws.algorithm();
    if (alg.isEmpty() || alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return failure(QStringLiteral("alg \"none\" means the token is not signed; it is never "
                                      "accepted"));
    if (!isSupported(alg))
        return failure(QStringLiteral("the algorithm \"%1\" is not supported").arg(alg));
    if (isSymmetric(alg)) {
        if (key.kty() != QLatin1String("oct"))
            return failure(
                QStringLiteral("%1 needs a shared secret, not a %2 key").arg(alg, key.kty()));
        return verifyWithSecret(jws, member(key, "k"));
    }
    if (key.kty() != keyTypeFor(alg))
        return failure(QStringLiteral("%1 needs an %2 key; key %3 is %4")
                           .arg(alg, keyTypeFor(alg), key.kid(), key.describe()));

    QString problem;
    QByteArray signature = jws.signature;
    const EVP_MD *md = key.kty() == QLatin1String("OKP") ? nullptr : digestFor(alg);
    if (key.kty() == QLatin1String("EC")) {
        const int fieldBytes = OpenSslKey::curveBytes(key.crv());
        if (fieldBytes == 0)
            return failure(QStringLiteral("unknown EC curve \"%1\"").arg(key.crv()));
        if (key.crv() != curveFor(alg))
            return failure(QStringLiteral("%1 signatures use %2, but key %3 is on %4")
                               .arg(alg, curveFor(alg), key.kid(), key.crv()));
        signature = ecdsaToDer(jws.signature, fieldBytes);
        if (signature.isEmpty())
            return failure(QStringLiteral("an %1 signature is %2 bytes (R || S); this one is %3")
                               .arg(alg)
                               .arg(2 * fieldBytes)
                               .arg(jws.signature.size()));
    } else if (key.kty() == QLatin1String("OKP") &&
               (alg == QLatin1String("Ed25519") || alg == QLatin1String("Ed448")) &&
               key.crv() != alg) {
        return failure(
            QStringLiteral("%1 needs an %1 key; key %2 is %3").arg(alg, key.kid(), key.describe()));
    }
    const std::shared_ptr<EVP_PKEY> pkey = OpenSslKey::fromJwk(key, false, &problem);
    if (!pkey)
        return failure(QStringLiteral("the key %1 cannot be used: %2").arg(key.kid(), problem));
    if (key.kty() == QLatin1String("RSA") && EVP_PKEY_get_bits(pkey.get()) < 2048)
        return failure(QStringLiteral("the RSA key %1 has %2 bits; RFC 7518 §3.3 asks for 2048 "
                                      "or more")
                           .arg(key.kid())
                           .arg(EVP_PKEY_get_bits(pkey.get())));

    Owned<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, pkey.get()) != 1)
        return failure(OpenSslKey::lastError());
    if (alg.startsWith(QLatin1String("PS")) &&
        (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1))
        return failure(OpenSslKey::lastError());
    const int verified =
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
                         size_t(signature.size()),
                         reinterpret_cast<const unsigned char *>(jws.signingInput.constData()),
                         size_t(jws.signingInput.size()));
    ERR_clear_error();
    if (verified != 1)
        return failure(QStringLiteral("the signature does not match key %1 (%2): the token was "
                                      "changed after signing, or another key signed it")
                           .arg(key.kid().isEmpty() ? QStringLiteral("without kid") : key.kid(),
                                key.describe()));
    return {true, {}};
}

Result verifyWithSecret(const DecodedJwt &jws, const QByteArray &secret)
{
    const QString alg = jws.algorithm();
    const EVP_MD *md = isSymmetric(alg) ? digestFor(alg) : nullptr;
    if (!md)
        return failure(QStringLiteral("\"%1\" is not an HMAC algorithm").arg(alg));
    if (secret.isEmpty())
        return failure(
            QStringLiteral("%1 is checked with the client secret, and none is set").arg(alg));
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(md, secret.constData(), int(secret.size()),
              reinterpret_cast<const unsigned char *>(jws.signingInput.constData()),
              size_t(jws.signingInput.size()), mac, &length))
        return failure(OpenSslKey::lastError());
    if (jws.signature.size() != qsizetype(length) ||
        CRYPTO_memcmp(mac, jws.signature.constData(), length) != 0)
        return failure(QStringLiteral("the %1 signature does not match the client secret: the "
                                      "secret differs from the server's, or the token was changed")
                           .arg(alg));
    return {true, {}};
}

} // namespace workbench::JwsVerifier
