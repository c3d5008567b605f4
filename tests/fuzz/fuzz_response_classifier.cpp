// libFuzzer target: everything that reads what a server sent. Raw responses and redirect URLs go
// through RawInput and the Diagnoser (classifier, knowledge base matching, context rules); the
// same bytes also go straight to the classifier as a body and as header values.
#include "core/diagnosis/Diagnoser.h"
#include "core/diagnosis/RawInput.h"
#include "core/diagnosis/ResponseClassifier.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace workbench;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    if (const auto exchange = RawInput::parse(input, nullptr)) {
        if (const auto diagnosis = Diagnoser().diagnose(*exchange)) {
            (void)diagnosis->toJson();
            (void)diagnosis->toText();
        }
    }

    const int status = size > 0 ? 100 + data[0] % 500 : 400;
    static const QByteArray types[] = {
        "application/json",         "text/html", "text/plain", "application/x-www-form-urlencoded",
        "application/problem+json", ""};
    const QByteArray type = types[size > 1 ? data[1] % 6 : 0];
    (void)ResponseClassifier::classifyResponse(status, {{"Content-Type", type}}, input);
    const QByteArray line = input.left(512);
    (void)ResponseClassifier::classifyResponse(
        401, {{"WWW-Authenticate", line}, {"Retry-After", line}}, QByteArray());
    QString scheme;
    (void)ResponseClassifier::parseAuthParams(input, &scheme);
    return 0;
}
