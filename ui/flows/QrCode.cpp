#include "ui/flows/QrCode.h"

#include "core/util/QrMatrix.h"

#include <QPainter>

namespace workbench::QrCode {

QImage render(const QByteArray &text, int moduleSize, QString *error)
{
    const std::optional<QrMatrix> code = QrMatrix::encode(text, error);
    if (!code)
        return {};
    const int modules = code->size + 2 * QrMatrix::kQuietZone;
    QImage image(modules * moduleSize, modules * moduleSize, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < code->size; ++y) {
        for (int x = 0; x < code->size; ++x) {
            if (code->isDark(x, y))
                painter.fillRect((x + QrMatrix::kQuietZone) * moduleSize,
                                 (y + QrMatrix::kQuietZone) * moduleSize, moduleSize, moduleSize,
                                 Qt::black);
        }
    }
    return image;
}

} // namespace workbench::QrCode
