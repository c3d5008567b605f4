#pragma once

#include "core/http/HttpExchange.h"

#include <QSet>

namespace workbench {

// Takes secrets out of recorded exchanges before they leave the app (HAR, curl, history):
// client secrets, codes, verifiers, tokens, passwords, assertions, Basic/Bearer credentials and
// cookies become "REDACTED:1a2b3c4d", with a short hash, so two places holding the same value can
// still be matched. Every occurrence of a secret is replaced, in the URL, headers, bodies and the
// raw bytes received on the listener.
namespace Redaction {

// REDACTED: the value is gone (exports, history). MASKED: the app hides it on screen and can show
// it again (results pane, until the person reveals secrets).
enum class Style { Redacted, Masked };

QByteArray marker(const QByteArray &secret, Style style = Style::Redacted);
// The names of form fields, query parameters and JSON members that hold secrets.
const QSet<QString> &secretNames();
// The secret values in these exchanges. Bodies over `maxParsedBody` bytes (when not negative)
// are not parsed for them: a window shows a big body without reading all of it first.
QSet<QByteArray> secretsIn(const QList<HttpExchange> &exchanges, qsizetype maxParsedBody = -1);
// The secrets in the order they are replaced: longest first, so one that contains another is
// replaced whole.
QList<QByteArray> inReplacementOrder(const QSet<QByteArray> &secrets);
// The exchanges with every secret (of the whole run) replaced.
QList<HttpExchange> redact(const QList<HttpExchange> &exchanges, Style style = Style::Redacted);
HttpExchange redact(const HttpExchange &exchange);
// One exchange with these secrets replaced (a run's secrets, secretsIn then inReplacementOrder:
// a code seen on the callback is also replaced in the token request).
HttpExchange redactWith(const HttpExchange &exchange, const QList<QByteArray> &secrets,
                        Style style);
// A text shown beside the run (an explanation quoting a token, say) with these secrets replaced.
QString redactText(const QString &text, const QList<QByteArray> &secrets, Style style);

} // namespace Redaction
} // namespace workbench
