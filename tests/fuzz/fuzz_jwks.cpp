// libFuzzer target: a JWK Set from a server (any bytes), parsed, and every key in it handed to
// OpenSSL to check signatures of each algorithm family, then the whole ID token validation.
// Keys with absurd sizes, points off the curve or missing members must give a reason, never a
// crash or a leak.
#include "core/jose/Jwk.h"
#include "core/jose/JwsVerifier.h"
#include "core/tokens/IdTokenValidator.h"

#include <cstdint>

namespace {
QByteArray tokenFor(const char *alg, const QByteArray &signature)
{
    const auto encode = [](const QByteArray &part) {
        return part.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return encode(QByteArray("{\"alg\":\"") + alg + "\",\"kid\":\"k\"}") + '.' +
           encode("{\"iss\":\"i\",\"sub\":\"s\",\"aud\":\"c\",\"exp\":1800000300,\"iat\":"
                  "1800000000}") +
           '.' + encode(signature);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace workbench;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto keys = JwkSet::fromJson(input, nullptr);
    if (!keys)
        return 0;
    const QByteArray signature = input.left(132);
    for (const char *alg : {"RS256", "PS384", "ES256", "ES512", "EdDSA", "Ed448", "HS256"}) {
        QString error;
        const auto jwt = Jwt::decode(tokenFor(alg, signature), &error);
        if (!jwt)
            continue;
        for (const Jwk &key : keys->keys) {
            (void)key.describe();
            (void)JwsVerifier::verify(*jwt, key);
        }
        IdTokenExpectations expected;
        expected.issuer = QStringLiteral("i");
        expected.clientId = QStringLiteral("c");
        expected.clientSecret = input.left(16);
        (void)IdTokenValidator::validate(tokenFor(alg, signature), expected,
                                         {&*keys, QStringLiteral("fuzz"), {}},
                                         QDateTime::fromSecsSinceEpoch(1'800'000'001, Qt::UTC));
    }
    return 0;
}
