#pragma once

// Test-only: keys made in the test with OpenSSL 3, their public JWKs, and JWS tokens signed
// with them, so the verifier is checked against signatures it did not make itself.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>

namespace testjose {

inline QByteArray b64(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

inline QByteArray bnParam(EVP_PKEY *pkey, const char *name, int padTo = 0)
{
    BIGNUM *bn = nullptr;
    if (!EVP_PKEY_get_bn_param(pkey, name, &bn))
        throw std::runtime_error("EVP_PKEY_get_bn_param");
    QByteArray out(padTo ? padTo : BN_num_bytes(bn), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char *>(out.data()), int(out.size()));
    BN_free(bn);
    return out;
}

struct TestKey
{
    std::shared_ptr<EVP_PKEY> pkey;
    QString alg;
    QString kid;
    QJsonObject publicJwk;
    int ecFieldBytes = 0;
};

// A fresh key for `alg`: RSA 2048 for RS*/PS*, the matching curve for ES*, Ed25519 for
// EdDSA/Ed25519, Ed448 for Ed448.
inline TestKey makeKey(const QString &alg, const QString &kid, int rsaBits = 2048)
{
    TestKey key;
    key.alg = alg;
    key.kid = kid;
    EVP_PKEY *raw = nullptr;
    QJsonObject jwk{{"kid", kid}, {"use", "sig"}, {"alg", alg}};
    if (alg.startsWith("RS") || alg.startsWith("PS")) {
        raw = EVP_RSA_gen(unsigned(rsaBits));
        jwk["kty"] = "RSA";
        jwk["n"] = QString::fromLatin1(b64(bnParam(raw, OSSL_PKEY_PARAM_RSA_N)));
        jwk["e"] = QString::fromLatin1(b64(bnParam(raw, OSSL_PKEY_PARAM_RSA_E)));
    } else if (alg.startsWith("ES")) {
        const char *curve = alg == "ES256" ? "P-256" : alg == "ES384" ? "P-384" : "P-521";
        key.ecFieldBytes = alg == "ES256" ? 32 : alg == "ES384" ? 48 : 66;
        raw = EVP_EC_gen(curve);
        jwk["kty"] = "EC";
        jwk["crv"] = QString::fromLatin1(curve);
        jwk["x"] =
            QString::fromLatin1(b64(bnParam(raw, OSSL_PKEY_PARAM_EC_PUB_X, key.ecFieldBytes)));
        jwk["y"] =
            QString::fromLatin1(b64(bnParam(raw, OSSL_PKEY_PARAM_EC_PUB_Y, key.ecFieldBytes)));
    } else {
        const bool ed448 = alg == "Ed448";
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, ed448 ? "ED448" : "ED25519");
        size_t length = 0;
        EVP_PKEY_get_raw_public_key(raw, nullptr, &length);
        QByteArray x(int(length), '\0');
        EVP_PKEY_get_raw_public_key(raw, reinterpret_cast<unsigned char *>(x.data()), &length);
        jwk["kty"] = "OKP";
        jwk["crv"] = ed448 ? "Ed448" : "Ed25519";
        jwk["x"] = QString::fromLatin1(b64(x));
    }
    if (!raw)
        throw std::runtime_error("key generation failed");
    key.pkey.reset(raw, EVP_PKEY_free);
    key.publicJwk = jwk;
    return key;
}

inline const EVP_MD *digestFor(const QString &alg)
{
    if (alg.endsWith("256"))
        return EVP_sha256();
    if (alg.endsWith("384"))
        return EVP_sha384();
    if (alg.endsWith("512"))
        return EVP_sha512();
    return nullptr;
}

inline QByteArray signingInput(QJsonObject header, const QJsonObject &claims)
{
    return b64(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           b64(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

// header gets alg and kid from the key unless it sets them itself.
inline QByteArray sign(const TestKey &key, const QJsonObject &claims, QJsonObject header = {})
{
    if (!header.contains("alg"))
        header["alg"] = key.alg;
    if (!header.contains("kid") && !key.kid.isEmpty())
        header["kid"] = key.kid;
    const QByteArray input = signingInput(header, claims);
    const EVP_MD *md = (key.alg.startsWith("Ed")) ? nullptr : digestFor(key.alg);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = nullptr;
    EVP_DigestSignInit(ctx, &pctx, md, nullptr, key.pkey.get());
    if (key.alg.startsWith("PS")) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    EVP_DigestSign(ctx, nullptr, &length, data, size_t(input.size()));
    QByteArray signature(int(length), '\0');
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length, data,
                       size_t(input.size())) != 1)
        throw std::runtime_error("EVP_DigestSign failed");
    signature.resize(int(length));
    EVP_MD_CTX_free(ctx);
    if (key.ecFieldBytes) { // DER -> R || S
        const auto *der = reinterpret_cast<const unsigned char *>(signature.constData());
        ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &der, long(signature.size()));
        QByteArray raw(2 * key.ecFieldBytes, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char *>(raw.data()),
                     key.ecFieldBytes);
        BN_bn2binpad(ECDSA_SIG_get0_s(sig),
                     reinterpret_cast<unsigned char *>(raw.data()) + key.ecFieldBytes,
                     key.ecFieldBytes);
        ECDSA_SIG_free(sig);
        signature = raw;
    }
    return input + '.' + b64(signature);
}

inline QByteArray signHmac(const QString &alg, const QByteArray &secret, const QJsonObject &claims,
                           QJsonObject header = {})
{
    header["alg"] = alg;
    const QByteArray input = signingInput(header, claims);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(digestFor(alg), secret.constData(), int(secret.size()),
         reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()), mac,
         &length);
    return input + '.' + b64(QByteArray(reinterpret_cast<const char *>(mac), int(length)));
}

inline QByteArray jwks(const QList<TestKey> &keys)
{
    QJsonArray array;
    for (const TestKey &key : keys)
        array.append(key.publicJwk);
    return QJsonDocument(QJsonObject{{"keys", array}}).toJson(QJsonDocument::Compact);
}

} // namespace testjose
