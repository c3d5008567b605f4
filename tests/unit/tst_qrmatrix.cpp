// The QR code of the device flow's link as the command line prints it: every module of the code
// and of its quiet zone comes back out of the half-block text, light where the code is light.
#include "core/util/QrMatrix.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

namespace {
// The terminal text back as a picture (a drawn half block is light), four pixels a module,
// read by zbarimg, a real QR decoder.
QString decodeTerminalText(const QString &text)
{
    const QStringList lines = text.split('\n', Qt::SkipEmptyParts);
    const int width = int(lines.first().size());
    const int height = int(lines.size()) * 2;
    constexpr int kScale = 4;
    QByteArray pgm =
        QStringLiteral("P5 %1 %2 255\n").arg(width * kScale).arg(height * kScale).toLatin1();
    for (int y = 0; y < height; ++y) {
        QByteArray row;
        for (int x = 0; x < width; ++x) {
            const QChar c = lines.at(y / 2).at(x);
            const bool light =
                c == QChar(0x2588) || (y % 2 == 0 ? c == QChar(0x2580) : c == QChar(0x2584));
            row += QByteArray(kScale, light ? char(255) : char(0));
        }
        for (int i = 0; i < kScale; ++i)
            pgm += row;
    }
    const QString zbarimg = QStandardPaths::findExecutable("zbarimg");
    if (zbarimg.isEmpty())
        qFatal("zbarimg is missing: apt-get install zbar-tools (scripts/test.sh does this)");
    QTemporaryDir dir;
    QFile file(dir.filePath("qr.pgm"));
    if (!file.open(QIODevice::WriteOnly) || file.write(pgm) != pgm.size())
        return {};
    file.close();
    QProcess zbar;
    zbar.start(zbarimg, {"--raw", "-q", file.fileName()});
    zbar.waitForFinished(10000);
    return QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
}
} // namespace

class TestQrMatrix : public QObject
{
    Q_OBJECT

private slots:
    void terminalTextHoldsEveryModule()
    {
        const auto code = QrMatrix::encode("http://127.0.0.1:8080/device?user_code=WDJB-MJHT");
        QVERIFY(code.has_value());
        QVERIFY(code->size >= 21); // version 1 or larger
        QCOMPARE(code->dark.size(), qsizetype(code->size) * code->size);
        const int side = code->size + 2 * QrMatrix::kQuietZone;
        const QStringList lines = code->terminalText().split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), (side + 1) / 2);
        int darkSeen = 0;
        for (int row = 0; row < lines.size(); ++row) {
            QCOMPARE(lines.at(row).size(), side);
            for (int column = 0; column < side; ++column) {
                const QChar c = lines.at(row).at(column);
                const bool topLight = c == QChar(0x2588) || c == QChar(0x2580);
                const bool bottomLight = c == QChar(0x2588) || c == QChar(0x2584);
                QVERIFY2(topLight || bottomLight || c == ' ', qPrintable(QString(c)));
                const int x = column - QrMatrix::kQuietZone;
                const int y = 2 * row - QrMatrix::kQuietZone;
                QCOMPARE(topLight, !code->isDark(x, y));
                if (2 * row + 1 < side)
                    QCOMPARE(bottomLight, !code->isDark(x, y + 1));
                darkSeen += code->isDark(x, y) ? 1 : 0;
            }
        }
        QVERIFY(darkSeen > 0);
        // The three finder patterns: a dark 7x7 ring in three corners.
        for (const auto &[fx, fy] :
             {std::pair{0, 0}, std::pair{code->size - 7, 0}, std::pair{0, code->size - 7}}) {
            QVERIFY(code->isDark(fx, fy) && code->isDark(fx + 6, fy + 6));
            QVERIFY(!code->isDark(fx + 1, fy + 1) && code->isDark(fx + 3, fy + 3));
        }
    }

    // What a phone reads from the terminal is the link itself.
    void aDecoderReadsTheLinkFromTheTerminalText()
    {
        const QByteArray link = "https://id.example.test/device?user_code=BDWP-HQPK";
        const auto code = QrMatrix::encode(link);
        QVERIFY(code.has_value());
        QCOMPARE(decodeTerminalText(code->terminalText()), QString::fromLatin1(link));
    }

    void tooLongIsRefusedWithAReason()
    {
        QString error;
        QVERIFY(!QrMatrix::encode(QByteArray(8000, 'x'), &error).has_value());
        QVERIFY2(error.contains("8000 bytes"), qPrintable(error));
    }
};

QTEST_MAIN(TestQrMatrix)
#include "tst_qrmatrix.moc"
