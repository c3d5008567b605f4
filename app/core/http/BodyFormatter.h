#pragma once

#include <QByteArray>
#include <QString>

namespace workbench {

// Turns a message body into something readable: indented JSON, one form field per line, text,
// or a short description of binary data. Never throws away the raw bytes; this is a view.
namespace BodyFormatter {
enum class Kind { Empty, Json, Form, Text, Binary };

struct Formatted
{
    Kind kind = Kind::Empty;
    QString text;
    bool cut = false; // only the first maxBytes were formatted
};

Formatted format(const QByteArray &body, const QByteArray &contentType,
                 qsizetype maxBytes = 4 * 1024 * 1024);
QString kindName(Kind kind);
} // namespace BodyFormatter

} // namespace workbench
