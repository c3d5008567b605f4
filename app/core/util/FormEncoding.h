#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace workbench {

using FormFields = QList<QPair<QString, QString>>;

// application/x-www-form-urlencoded, as RFC 6749 appendix B asks for: UTF-8, every byte but
// ALPHA / DIGIT / "-" / "." / "_" / "*" percent-encoded, space as "+" in bodies.
namespace FormEncoding {
enum class Space { Plus, Percent };

QByteArray encodeComponent(const QString &value, Space space = Space::Plus);
QByteArray encode(const FormFields &fields, Space space = Space::Plus);
// Lenient decoding of a query string or form body ("+" is a space, bad escapes kept literally).
FormFields decode(const QByteArray &encoded);
// The parameters in a URL's query, decoded as a form.
FormFields queryOf(const QUrl &url);
QString decodeComponent(const QByteArray &component);
QString value(const FormFields &fields, const QString &name);
bool contains(const FormFields &fields, const QString &name);
} // namespace FormEncoding

} // namespace workbench
