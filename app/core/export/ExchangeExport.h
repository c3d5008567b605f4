#pragma once

#include "core/http/HttpExchange.h"

namespace workbench {

// A run's exchanges as a HAR 1.2 log, and one exchange as a curl command. Both are redacted
// (Redaction) unless the person explicitly asks for the secrets.
namespace ExchangeExport {

enum class Secrets { Redacted, Included };

QByteArray har(const QList<HttpExchange> &exchanges, Secrets secrets = Secrets::Redacted);
// `run` gives the secrets of the whole run to redact (a code seen on the callback is also
// redacted in the token request); empty: just this exchange.
QString curl(const HttpExchange &exchange, Secrets secrets = Secrets::Redacted,
             const QList<HttpExchange> &run = {});

} // namespace ExchangeExport
} // namespace workbench
