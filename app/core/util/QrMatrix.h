#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace workbench {

// A QR code's modules (libqrencode, error correction M), for the device flow's verification
// link: drawn as an image by the window and as text by the command line.
struct QrMatrix
{
    static constexpr int kQuietZone = 4; // modules of light border readers need on each side

    int size = 0;    // modules per side, without the quiet zone
    QByteArray dark; // size * size bytes, row by row: 1 for a dark module

    bool isDark(int x, int y) const
    {
        return x >= 0 && y >= 0 && x < size && y < size && dark.at(y * size + x) != 0;
    }
    // Empty (and `error` set) when the text does not fit in a QR code.
    [[nodiscard]] static std::optional<QrMatrix> encode(const QByteArray &text,
                                                        QString *error = nullptr);
    // The code with its quiet zone as lines of Unicode half blocks, two module rows per line.
    // The light modules are the drawn ones, so it reads on a terminal with a dark background,
    // as `qrencode -t UTF8` prints it.
    QString terminalText() const;
};

} // namespace workbench
