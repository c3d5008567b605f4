#pragma once

#include "core/http/HttpExchange.h"

#include <optional>

namespace workbench::RawInput {
// Reads what a person pastes or saves: a raw HTTP response (status line, headers, a blank line,
// the body); the request that was sent followed by its response; or a redirect back to the
// client (a callback URL, or "POST https://...?error=...") carrying the authorization response
// in its query or fragment.
[[nodiscard]] std::optional<HttpExchange> parse(const QByteArray &data, QString *error);
} // namespace workbench::RawInput
