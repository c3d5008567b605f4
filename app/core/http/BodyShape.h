#pragma once

#include <QByteArray>
#include <QString>

namespace workbench::BodyShape {

// An HTML page: by its Content-Type, or by how the body starts when the type is missing or wrong.
[[nodiscard]] bool looksLikeHtml(const QByteArray &body, const QByteArray &contentType);

// Why `body` is not the JSON object an endpoint should answer with, in words a person can act
// on (an empty body, an HTML page, plain text, JSON that is not an object, or where the JSON
// breaks) instead of the parser's own message. Empty when the body is a JSON object.
[[nodiscard]] QString whyNotAJsonObject(const QByteArray &body, const QByteArray &contentType);

} // namespace workbench::BodyShape
