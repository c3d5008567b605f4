#pragma once

#include "http/HttpExchange.h"

#include <QSet>

namespace workbench {

// Takes secrets out of recorded exchanges before they leave the app (HAR, curl, history):
// client secrets, codes, verifiers, tokens, passwords, assertions, Basic/Bearer credentials and
// cookies become "REDACTED:1a2b3c4d", with a short hash, so two places holding the same value can
// still be matched. Every occurrence of a secret is replaced, in the URL, headers, bodies and the
// raw bytes received on the listener.
namespace Redaction {

QByteArray marker(const QByteArray &secret);
// The names of form fields, query parameters and JSON members that hold secrets.
const QSet<QString> &secretNames();
// The secret values in these exchanges.
QSet<QByteArray> secretsIn(const QList<HttpExchange> &exchanges);
// The exchanges with every secret (of the whole run) replaced.
QList<HttpExchange> redact(const QList<HttpExchange> &exchanges);
HttpExchange redact(const HttpExchange &exchange);

} // namespace Redaction
} // namespace workbench
