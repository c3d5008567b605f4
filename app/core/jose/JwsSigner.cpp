#include "JwsSigner.h"

#include <QJsonDocument>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

namespace workbench {

namespace {
QByteArray b64(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray bnParam(EVP_PKEY *key, const char *name, int padTo = 0)
{
    BIGNUM *bn = nullptr;
    if (!EVP_PKEY_get_bn_param(key, name, &bn))
        return {};
    QByteArray out(padTo ? padTo : BN_num_bytes(bn), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char *>(out.data()), int(out.size()));
    BN_free(bn);
    return out;
}
} // namespace

SigningKey SigningKey::generate(const QString &alg, const QString &kid)
{
    SigningKey key;
    EVP_PKEY *raw = nullptr;
    if (alg == QLatin1String("RS256"))
        raw = EVP_RSA_gen(2048);
    else if (alg == QLatin1String("ES256"))
        raw = EVP_EC_gen("P-256");
    if (!raw)
        return key;
    key.m_key.reset(raw, EVP_PKEY_free);
    key.m_alg = alg;
    key.m_kid = kid;
    return key;
}

QJsonObject SigningKey::publicJwk() const
{
    if (!m_key)
        return {};
    QJsonObject jwk{{"kid", m_kid}, {"use", "sig"}, {"alg", m_alg}};
    if (m_alg == QLatin1String("RS256")) {
        jwk.insert("kty", "RSA");
        jwk.insert("n", QString::fromLatin1(b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_N))));
        jwk.insert("e", QString::fromLatin1(b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_RSA_E))));
    } else {
        jwk.insert("kty", "EC");
        jwk.insert("crv", "P-256");
        jwk.insert("x",
                   QString::fromLatin1(b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))));
        jwk.insert("y",
                   QString::fromLatin1(b64(bnParam(m_key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))));
    }
    return jwk;
}

QByteArray SigningKey::sign(const QJsonObject &claims, const QString &typ) const
{
    if (!m_key)
        return {};
    QJsonObject header{{"alg", m_alg}, {"kid", m_kid}};
    if (!typ.isEmpty())
        header.insert("typ", typ);
    const QByteArray input = b64(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
                             b64(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(input.constData());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(input.size())) != 1)
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
    return input + '.' + b64(signature);
}

} // namespace workbench
