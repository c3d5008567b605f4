#include "core/jose/OpenSslKey.h"

#include "core/util/Base64Url.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

namespace workbench::OpenSslKey {

namespace {

struct Deleter
{
    void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
    void operator()(OSSL_PARAM_BLD *p) const { OSSL_PARAM_BLD_free(p); }
    void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); }
    void operator()(BIGNUM *p) const { BN_free(p); }
};
template <typename T> using Owned = std::unique_ptr<T, Deleter>;
using Key = std::shared_ptr<EVP_PKEY>;

QByteArray member(const Jwk &key, const char *name)
{
    return QByteArray::fromBase64(key.json.value(QLatin1String(name)).toString().toLatin1(),
                                  QByteArray::Base64UrlEncoding);
}

struct Curve
{
    const char *jwkName;
    const char *groupName;
    int fieldBytes;
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", 32}, {"P-384", "secp384r1", 48}, {"P-521", "secp521r1", 66}};

const Curve *curveNamed(const QString &crv)
{
    for (const Curve &curve : kCurves) {
        if (crv == QLatin1String(curve.jwkName))
            return &curve;
    }
    return nullptr;
}

// BIGNUMs stay alive until the parameters are built: the builder keeps pointers to them.
bool pushBn(OSSL_PARAM_BLD *builder, std::vector<Owned<BIGNUM>> &keep, const char *param,
            const QByteArray &bytes)
{
    Owned<BIGNUM> bn(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()),
                               int(bytes.size()), nullptr));
    if (!bn || !OSSL_PARAM_BLD_push_BN(builder, param, bn.get()))
        return false;
    keep.push_back(std::move(bn));
    return true;
}

Key fromData(const char *type, OSSL_PARAM_BLD *builder, bool withPrivate, QString *problem)
{
    Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(builder));
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, withPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params.get()) <= 0) {
        *problem = lastError();
        return nullptr;
    }
    return Key(raw, EVP_PKEY_free);
}

Key rsaKey(const Jwk &key, bool withPrivate, QString *problem)
{
    const QByteArray n = member(key, "n");
    const QByteArray e = member(key, "e");
    if (n.isEmpty() || e.isEmpty()) {
        *problem = QStringLiteral("the RSA key lacks \"n\" or \"e\"");
        return nullptr;
    }
    std::vector<Owned<BIGNUM>> keep;
    Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!builder || !pushBn(builder.get(), keep, OSSL_PKEY_PARAM_RSA_N, n) ||
        !pushBn(builder.get(), keep, OSSL_PKEY_PARAM_RSA_E, e)) {
        *problem = lastError();
        return nullptr;
    }
    if (withPrivate) {
        const QByteArray d = member(key, "d");
        if (d.isEmpty()) {
            *problem = QStringLiteral("the RSA key has no private part (\"d\")");
            return nullptr;
        }
        bool ok = pushBn(builder.get(), keep, OSSL_PKEY_PARAM_RSA_D, d);
        // The CRT members are optional in a JWK (RFC 7518 §6.3.2), but all or none.
        static constexpr std::pair<const char *, const char *> kCrt[] = {
            {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
            {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
            {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
            {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
            {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
        if (key.json.contains(QLatin1String("p"))) {
            for (const auto &[name, param] : kCrt)
                ok = ok && pushBn(builder.get(), keep, param, member(key, name));
        }
        if (!ok) {
            *problem = lastError();
            return nullptr;
        }
    }
    return fromData("RSA", builder.get(), withPrivate, problem);
}

Key ecKey(const Jwk &key, bool withPrivate, QString *problem)
{
    const Curve *curve = curveNamed(key.crv());
    if (!curve) {
        *problem = QStringLiteral("unknown EC curve \"%1\"").arg(key.crv());
        return nullptr;
    }
    const QByteArray x = member(key, "x");
    const QByteArray y = member(key, "y");
    if (x.size() != curve->fieldBytes || y.size() != curve->fieldBytes) {
        *problem = QStringLiteral("the %1 key's \"x\" and \"y\" must be %2 bytes each (RFC 7518 "
                                  "§6.2.1.2); they are %3 and %4")
                       .arg(QLatin1String(curve->jwkName))
                       .arg(curve->fieldBytes)
                       .arg(x.size())
                       .arg(y.size());
        return nullptr;
    }
    const QByteArray point = QByteArray(1, '\x04') + x + y; // uncompressed SEC1 point
    std::vector<Owned<BIGNUM>> keep;
    Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                         curve->groupName, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                          size_t(point.size())) ||
        (withPrivate && !pushBn(builder.get(), keep, OSSL_PKEY_PARAM_PRIV_KEY, member(key, "d")))) {
        *problem = lastError();
        return nullptr;
    }
    Key pkey = fromData("EC", builder.get(), withPrivate, problem);
    if (pkey) {
        // fromdata does not check that the point lies on the curve.
        Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
        if (!check || EVP_PKEY_public_check(check.get()) != 1) {
            ERR_clear_error();
            *problem = QStringLiteral("the EC key's point is not on %1")
                           .arg(QLatin1String(curve->jwkName));
            return nullptr;
        }
    }
    return pkey;
}

Key okpKey(const Jwk &key, QString *problem)
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
                       .arg(key.crv(), lastError());
    return Key(raw, EVP_PKEY_free);
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

std::shared_ptr<evp_pkey_st> fromJwk(const Jwk &key, bool withPrivate, QString *problem)
{
    if (key.kty() == QLatin1String("RSA"))
        return rsaKey(key, withPrivate, problem);
    if (key.kty() == QLatin1String("EC"))
        return ecKey(key, withPrivate, problem);
    if (key.kty() == QLatin1String("OKP") && !withPrivate)
        return okpKey(key, problem);
    *problem = QStringLiteral("a %1 key cannot be used here").arg(key.describe());
    return nullptr;
}

int curveBytes(const QString &crv)
{
    const Curve *curve = curveNamed(crv);
    return curve ? curve->fieldBytes : 0;
}

QByteArray groupName(const QString &crv)
{
    const Curve *curve = curveNamed(crv);
    return curve ? QByteArray(curve->groupName) : QByteArray();
}

QJsonObject publicMembers(evp_pkey_st *key)
{
    if (EVP_PKEY_is_a(key, "RSA"))
        return {{"kty", "RSA"},
                {"n", QString::fromLatin1(base64Url(bnParam(key, OSSL_PKEY_PARAM_RSA_N)))},
                {"e", QString::fromLatin1(base64Url(bnParam(key, OSSL_PKEY_PARAM_RSA_E)))}};
    if (!EVP_PKEY_is_a(key, "EC"))
        return {};
    char group[64] = {};
    size_t length = 0;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                        &length))
        return {};
    for (const Curve &curve : kCurves) {
        if (qstrcmp(group, curve.groupName) == 0 || qstrcmp(group, curve.jwkName) == 0)
            return {{"kty", "EC"},
                    {"crv", QLatin1String(curve.jwkName)},
                    {"x", QString::fromLatin1(
                              base64Url(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, curve.fieldBytes)))},
                    {"y", QString::fromLatin1(base64Url(
                              bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, curve.fieldBytes)))}};
    }
    return {};
}

QByteArray privatePem(evp_pkey_st *key)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(length));
}

QString lastError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("OpenSSL refused the key");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

} // namespace workbench::OpenSslKey
