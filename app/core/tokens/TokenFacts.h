#pragma once

#include "core/http/HttpExchange.h"

#include <QJsonObject>

namespace workbench::TokenFacts {

// What comparing two runs needs of the tokens an exchange received, without the tokens: for each
// JWT in a JSON answer (access_token, id_token, issued_token) its header's alg, kid and typ and
// its iss, aud, azp, scope and lifetime (exp - iat, seconds); "opaque" for a token that is not a
// readable JWT. Empty when the answer holds no token. The run history keeps these beside the
// redacted exchange, whose tokens are gone.
QJsonObject of(const HttpExchange &exchange);

} // namespace workbench::TokenFacts
