#include "QrCode.h"

#include <QPainter>

#include <memory>
#include <qrencode.h>

namespace workbench::QrCode {

QImage render(const QByteArray &text, int moduleSize, QString *error)
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
        return {};
    }
    constexpr int kQuietZone = 4;
    const int modules = code->width + 2 * kQuietZone;
    QImage image(modules * moduleSize, modules * moduleSize, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < code->width; ++y) {
        for (int x = 0; x < code->width; ++x) {
            // Bit 0 of each byte says whether the module is dark.
            if (code->data[y * code->width + x] & 1)
                painter.fillRect((x + kQuietZone) * moduleSize, (y + kQuietZone) * moduleSize,
                                 moduleSize, moduleSize, Qt::black);
        }
    }
    return image;
}

} // namespace workbench::QrCode
