#include "core/http/BodyFormatter.h"

#include "core/util/FormEncoding.h"

#include <QJsonDocument>
#include <QStringDecoder>

namespace workbench::BodyFormatter {

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Empty:
        return QStringLiteral("empty");
    case Kind::Json:
        return QStringLiteral("JSON");
    case Kind::Form:
        return QStringLiteral("form");
    case Kind::Text:
        return QStringLiteral("text");
    case Kind::Binary:
        return QStringLiteral("binary");
    }
    return {};
}

Formatted format(const QByteArray &body, const QByteArray &contentType, qsizetype maxBytes)
{
    Formatted out;
    if (body.isEmpty())
        return out;
    const QByteArray type = contentType.toLower();
    const bool cut = body.size() > maxBytes;
    const QByteArray slice = cut ? body.left(maxBytes) : body;

    if (!cut) {
        QJsonParseError error{};
        const QJsonDocument json = QJsonDocument::fromJson(body, &error);
        if (error.error == QJsonParseError::NoError && !json.isNull()) {
            out.kind = Kind::Json;
            out.text = QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
            return out;
        }
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
        out.kind = Kind::Form;
        QStringList lines;
        for (const auto &field : FormEncoding::decode(slice))
            lines << field.first + QStringLiteral(" = ") + field.second;
        out.text = lines.join(QLatin1Char('\n'));
        out.cut = cut;
        return out;
    }

    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(slice);
    int controls = 0;
    for (const QChar c : std::as_const(text)) {
        if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\r') &&
            c != QLatin1Char('\t'))
            ++controls;
    }
    if (utf8.hasError() && !cut) {
        // Not UTF-8: say so, and show it as Latin-1 so every byte is still visible.
        out.kind = Kind::Binary;
        out.text = QStringLiteral("[%1 bytes that are not valid UTF-8; shown as Latin-1]\n")
                       .arg(body.size()) +
                   QString::fromLatin1(slice);
        return out;
    }
    if (controls > text.size() / 10) {
        out.kind = Kind::Binary;
        out.text = QStringLiteral("[%1 bytes of binary data]\n").arg(body.size()) +
                   QString::fromLatin1(slice.left(4096).toHex(' '));
        out.cut = cut;
        return out;
    }
    out.kind = Kind::Text;
    out.text = text;
    out.cut = cut;
    return out;
}

} // namespace workbench::BodyFormatter
