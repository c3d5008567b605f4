#pragma once

#include <QImage>

namespace workbench::QrCode {

// The QR code of `text` (libqrencode, error correction M) as a black-on-white image with the
// four-module quiet zone readers need; a null image, with `error` set, when it cannot be encoded.
[[nodiscard]] QImage render(const QByteArray &text, int moduleSize, QString *error = nullptr);

} // namespace workbench::QrCode
