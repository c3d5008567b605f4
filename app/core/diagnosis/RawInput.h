#pragma once

#include "http/HttpExchange.h"

#include <optional>

namespace workbench::RawInput {
// Reads what a person pastes or saves: a raw HTTP response (status line, headers, a blank line,
// the body) or a callback URL carrying the authorization response in its query or fragment.
std::optional<HttpExchange> parse(const QByteArray &data, QString *error);
} // namespace workbench::RawInput
