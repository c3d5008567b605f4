// libFuzzer target: the JWT decoder and claim explainer, on any bytes a server could send as a
// token (and on the same bytes made to look like three base64url segments).
#include "core/jose/Jwt.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace workbench;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    if (const auto jwt = Jwt::decode(input, nullptr, now))
        (void)Jwt::explainClaims(jwt->claims, now);

    // Split the input in three and encode each part, so the fuzzer reaches the JSON layers.
    const qsizetype third = input.size() / 3;
    const auto encode = [](const QByteArray &part) {
        return part.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray token = encode(input.left(third)) + '.' + encode(input.mid(third, third)) +
                             '.' + encode(input.mid(2 * third));
    if (const auto jwt = Jwt::decode(token, nullptr, now))
        (void)Jwt::explainClaims(jwt->claims, now);
    return 0;
}
