#include "core/util/QrMatrix.h"

#include <memory>
#include <qrencode.h>

namespace workbench {

std::optional<QrMatrix> QrMatrix::encode(const QByteArray &text, QString *error)
{
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(int(text.size()),
                          reinterpret_cast<const unsigned char *>(text.constData()), 0,
                          QR_ECLEVEL_M),
        QRcode_free);
    if (!code) {
        if (error)
            *error =
                QStringLiteral("The text cannot be put in a QR code (%1 bytes).").arg(text.size());
        return std::nullopt;
    }
    QrMatrix matrix;
    matrix.size = code->width;
    matrix.dark.resize(qsizetype(code->width) * code->width);
    for (qsizetype i = 0; i < matrix.dark.size(); ++i)
        matrix.dark[i] = char(code->data[i] & 1); // bit 0 of each byte: the module is dark
    return matrix;
}

QString QrMatrix::terminalText() const
{
    const int from = -kQuietZone;
    const int to = size + kQuietZone; // exclusive
    QString text;
    for (int y = from; y < to; y += 2) {
        for (int x = from; x < to; ++x) {
            const bool top = !isDark(x, y);
            const bool bottom = y + 1 < to ? !isDark(x, y + 1) : false;
            text += top && bottom ? QChar(0x2588) // full block
                    : top         ? QChar(0x2580) // upper half
                    : bottom      ? QChar(0x2584) // lower half
                                  : QLatin1Char(' ');
        }
        text += QLatin1Char('\n');
    }
    return text;
}

} // namespace workbench
