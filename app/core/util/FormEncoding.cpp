#include "core/util/FormEncoding.h"

namespace workbench::FormEncoding {

namespace {
bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '*';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

QByteArray encodeComponent(const QString &value, Space space)
{
    static const char hex[] = "0123456789ABCDEF";
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() * 3);
    for (const char c : utf8) {
        if (isUnreserved(c)) {
            out += c;
        } else if (c == ' ' && space == Space::Plus) {
            out += '+';
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0x0f];
        }
    }
    return out;
}

QByteArray encode(const FormFields &fields, Space space)
{
    QByteArray out;
    for (const auto &field : fields) {
        if (!out.isEmpty())
            out += '&';
        out += encodeComponent(field.first, space) + '=' + encodeComponent(field.second, space);
    }
    return out;
}

QString decodeComponent(const QByteArray &component)
{
    QByteArray bytes;
    bytes.reserve(component.size());
    for (qsizetype i = 0; i < component.size(); ++i) {
        const char c = component.at(i);
        if (c == '+') {
            bytes += ' ';
        } else if (c == '%' && i + 2 < component.size() && hexValue(component.at(i + 1)) >= 0 &&
                   hexValue(component.at(i + 2)) >= 0) {
            bytes += char(hexValue(component.at(i + 1)) * 16 + hexValue(component.at(i + 2)));
            i += 2;
        } else {
            bytes += c;
        }
    }
    return QString::fromUtf8(bytes);
}

FormFields queryOf(const QUrl &url)
{
    return decode(url.query(QUrl::FullyEncoded).toLatin1());
}

FormFields decode(const QByteArray &encoded)
{
    FormFields fields;
    for (const QByteArray &pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            fields.append({decodeComponent(pair), QString()});
        else
            fields.append({decodeComponent(pair.left(eq)), decodeComponent(pair.mid(eq + 1))});
    }
    return fields;
}

QString value(const FormFields &fields, const QString &name)
{
    for (const auto &field : fields) {
        if (field.first == name)
            return field.second;
    }
    return {};
}

bool contains(const FormFields &fields, const QString &name)
{
    for (const auto &field : fields) {
        if (field.first == name)
            return true;
    }
    return false;
}

} // namespace workbench::FormEncoding
