#pragma once

#include <QJsonDocument>
#include <QStringList>

namespace workbench::LenientJson {
// Reads JSON as servers and documents print it: strict JSON first; failing that, the same text
// with a byte-order mark removed, trailing commas before '}' or ']' dropped, and a bare list of
// "name": value members wrapped in braces. `relaxed` names each liberty taken (empty when the
// text was strict JSON). A null document when even that does not parse.
QJsonDocument parse(const QByteArray &text, QStringList *relaxed, QJsonParseError *error = nullptr);
} // namespace workbench::LenientJson
