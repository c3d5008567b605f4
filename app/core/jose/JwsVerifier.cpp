#include "core/jose/JwsVerifier.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <memory>

namespace workbench::JwsVerifier {

namespace {

struct Deleter
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
    void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
    void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); }
    void operator()(OSSL_PARAM_BLD *p) const { OSSL_PARAM_BLD_free(p); }
    void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); }
    void operator()(BIGNUM *p) const { BN_free(p); }
    void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); }
};
template <typename T> using Owned = std::unique_ptr<T, Deleter>;

QByteArray member(const Jwk &key, const char *name)
{
    return QByteArray::fromBase64(key.json.value(QLatin1String(name)).toString().toLatin1(),
                                  QByteArray::Base64UrlEncoding);
}

QString openSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("OpenSSL refused the key");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
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

struct Curve
{
    const char *jwkName;
    const char *groupName;
    const char *alg;
    int fieldBytes;
};
constexpr Curve kCurves[] = {{"P-256", "prime256v1", "ES256", 32},
                             {"P-384", "secp384r1", "ES384", 48},
                             {"P-521", "secp521r1", "ES512", 66}};

const Curve *curveNamed(const QString &crv)
{
    for (const Curve &curve : kCurves) {
        if (crv == QLatin1String(curve.jwkName))
            return &curve;
    }
    return nullptr;
}

// Builds a public EVP_PKEY from JWK members; `problem` says why not.
Owned<EVP_PKEY> fromData(const char *type, OSSL_PARAM_BLD *builder, QString *problem)
{
    Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(builder));
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
        *problem = openSslError();
        return nullptr;
    }
    return Owned<EVP_PKEY>(raw);
}

Owned<EVP_PKEY> rsaKey(const Jwk &key, QString *problem)
{
    const QByteArray n = member(key, "n");
    const QByteArray e = member(key, "e");
    if (n.isEmpty() || e.isEmpty()) {
        *problem = QStringLiteral("the RSA key lacks \"n\" or \"e\"");
        return nullptr;
    }
    Owned<BIGNUM> bnN(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(n.constData()), int(n.size()), nullptr));
    Owned<BIGNUM> bnE(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(e.constData()), int(e.size()), nullptr));
    Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!bnN || !bnE || !builder ||
        !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bnN.get()) ||
        !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bnE.get())) {
        *problem = openSslError();
        return nullptr;
    }
    return fromData("RSA", builder.get(), problem);
}

Owned<EVP_PKEY> ecKey(const Jwk &key, const Curve &curve, QString *problem)
{
    const QByteArray x = member(key, "x");
    const QByteArray y = member(key, "y");
    if (x.size() != curve.fieldBytes || y.size() != curve.fieldBytes) {
        *problem = QStringLiteral("the %1 key's \"x\" and \"y\" must be %2 bytes each (RFC 7518 "
                                  "§6.2.1.2); they are %3 and %4")
                       .arg(QLatin1String(curve.jwkName))
                       .arg(curve.fieldBytes)
                       .arg(x.size())
                       .arg(y.size());
        return nullptr;
    }
    const QByteArray point = QByteArray(1, '\x04') + x + y; // uncompressed SEC1 point
    Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.groupName,
                                         0) ||
        !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                          size_t(point.size()))) {
        *problem = openSslError();
        return nullptr;
    }
    Owned<EVP_PKEY> pkey = fromData("EC", builder.get(), problem);
    if (pkey) {
        // fromdata does not check that the point lies on the curve.
        Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
        if (!check || EVP_PKEY_public_check(check.get()) != 1) {
            ERR_clear_error();
            *problem =
                QStringLiteral("the EC key's point is not on %1").arg(QLatin1String(curve.jwkName));
            return nullptr;
        }
    }
    return pkey;
}

Owned<EVP_PKEY> okpKey(const Jwk &key, QString *problem)
{
    const QByteArray x = member(key, "x");
    int type = 0;
    if (key.crv() == QLatin1String("Ed25519"))
        type = EVP_PKEY_ED25519;
    else if (key.crv() == QLatin1String("Ed448"))
        type = EVP_PKEY_ED448;
    else {
        *problem = QStringLiteral("OKP curve \"%1\" cannot sign (Ed25519 or Ed448 expected)")
                       .arg(key.crv());
        return nullptr;
    }
    EVP_PKEY *raw = EVP_PKEY_new_raw_public_key(
        type, nullptr, reinterpret_cast<const unsigned char *>(x.constData()), size_t(x.size()));
    if (!raw)
        *problem = QStringLiteral("the %1 key's \"x\" is not a valid public key (%2)")
                       .arg(key.crv(), openSslError());
    return Owned<EVP_PKEY>(raw);
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
    Owned<EVP_PKEY> pkey;
    QByteArray signature = jws.signature;
    const EVP_MD *md = nullptr;
    if (key.kty() == QLatin1String("RSA")) {
        pkey = rsaKey(key, &problem);
        md = digestFor(alg);
    } else if (key.kty() == QLatin1String("EC")) {
        const Curve *curve = curveNamed(key.crv());
        if (!curve)
            return failure(QStringLiteral("unknown EC curve \"%1\"").arg(key.crv()));
        if (alg != QLatin1String(curve->alg))
            return failure(QStringLiteral("%1 signatures use %2, but key %3 is on %4")
                               .arg(alg,
                                    QLatin1String(alg == QLatin1String("ES256")   ? "P-256"
                                                  : alg == QLatin1String("ES384") ? "P-384"
                                                                                  : "P-521"),
                                    key.kid(), key.crv()));
        pkey = ecKey(key, *curve, &problem);
        md = digestFor(alg);
        signature = ecdsaToDer(jws.signature, curve->fieldBytes);
        if (signature.isEmpty())
            return failure(QStringLiteral("an %1 signature is %2 bytes (R || S); this one is %3")
                               .arg(alg)
                               .arg(2 * curve->fieldBytes)
                               .arg(jws.signature.size()));
    } else {
        if ((alg == QLatin1String("Ed25519") || alg == QLatin1String("Ed448")) && key.crv() != alg)
            return failure(QStringLiteral("%1 needs an %1 key; key %2 is %3")
                               .arg(alg, key.kid(), key.describe()));
        pkey = okpKey(key, &problem);
    }
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
        return failure(openSslError());
    if (alg.startsWith(QLatin1String("PS")) &&
        (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1))
        return failure(openSslError());
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
        return failure(openSslError());
    if (jws.signature.size() != qsizetype(length) ||
        CRYPTO_memcmp(mac, jws.signature.constData(), length) != 0)
        return failure(QStringLiteral("the %1 signature does not match the client secret: the "
                                      "secret differs from the server's, or the token was changed")
                           .arg(alg));
    return {true, {}};
}

} // namespace workbench::JwsVerifier
