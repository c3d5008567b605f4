// libFuzzer target: the loopback listener's request parser, fed in chunks of varying size as TCP
// would deliver them. Whatever arrives, it must end in a bounded state without crashing.
#include "core/listener/HttpRequestParser.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int chunk = 1 + data[0] % 64;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    workbench::HttpRequestParser::Limits limits;
    limits.maxHeaderBytes = 4096;
    limits.maxBodyBytes = 8192;
    workbench::HttpRequestParser parser(limits);
    for (qsizetype at = 0; at < input.size(); at += chunk) {
        if (parser.feed(input.mid(at, chunk)) != workbench::HttpRequestParser::Status::NeedMore)
            break;
    }
    // Never holds more than the limits allow.
    if (parser.received().size() > limits.maxHeaderBytes + limits.maxBodyBytes + chunk)
        std::abort();
    if (parser.status() == workbench::HttpRequestParser::Status::Complete) {
        (void)parser.request().path();
        (void)parser.request().query();
    }
    return 0;
}
