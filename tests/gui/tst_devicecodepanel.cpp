// The device flow's panel and its QR code: the code a phone scans must read back as the link
// (checked with zbarimg, a real QR decoder), and the panel shows code, link, time left and the
// polls' verdicts.
#include "ui/flows/DeviceCodePanel.h"
#include "ui/flows/QrCode.h"

#include "WidgetTest.h"

#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;
using widgettest::child;

Q_DECLARE_METATYPE(workbench::DeviceAuthorization)

namespace {
// What zbarimg reads from the image; empty (and a failure) when it reads nothing.
QString decodeQr(const QImage &image)
{
    const QString zbarimg = QStandardPaths::findExecutable("zbarimg");
    if (zbarimg.isEmpty())
        qFatal("zbarimg is missing: apt-get install zbar-tools (scripts/test.sh does this)");
    QTemporaryDir dir;
    const QString path = dir.filePath("qr.png");
    if (!image.save(path))
        return {};
    QProcess zbar;
    zbar.start(zbarimg, {"--raw", "-q", path});
    zbar.waitForFinished(10000);
    return QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
}

DeviceAuthorization authorization(const QString &complete)
{
    DeviceAuthorization a;
    a.deviceCode = "dc";
    a.userCode = "BDWP-HQPK";
    a.verificationUri = QUrl("https://id.example.test/device");
    a.verificationUriComplete = QUrl(complete);
    a.expiresInSeconds = 600;
    a.intervalSeconds = 5;
    a.expiresAt = QDateTime::currentDateTimeUtc().addSecs(600);
    return a;
}
} // namespace

class TestDeviceCodePanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void qrCodeReadsBackAsTheLink_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("short") << "https://id.example.test/device";
        QTest::newRow("with user code") << "https://id.example.test/device?user_code=BDWP-HQPK";
        QTest::newRow("long, non-ASCII")
            << QString("https://login.example.test/oauth2/v2.0/devicecode?user_code=ÄÖÜ-") +
                   QString(300, 'x');
    }
    void qrCodeReadsBackAsTheLink()
    {
        QFETCH(QString, text);
        QString error;
        const QImage image = QrCode::render(text.toUtf8(), 4, &error);
        QVERIFY2(!image.isNull(), qPrintable(error));
        QCOMPARE(image.width(), image.height());
        QCOMPARE(decodeQr(image), text);
    }

    void tooLongForAQrCodeIsAnError()
    {
        QString error;
        QVERIFY(QrCode::render(QByteArray(8000, 'a'), 4, &error).isNull());
        QVERIFY(error.contains("8000 bytes"));
    }

    void panelShowsCodeLinkAndPolls()
    {
        DeviceCodePanel panel;
        QSignalSpy opened(&panel, &DeviceCodePanel::openRequested);
        const QString complete = "https://id.example.test/device?user_code=BDWP-HQPK";
        panel.showAuthorization(authorization(complete));
        QVERIFY(panel.isVisible());
        QCOMPARE(panel.userCode(), QStringLiteral("BDWP-HQPK"));
        // The QR code and the button carry the complete URI: no typing on the phone.
        QCOMPARE(panel.verificationLink(), QUrl(complete));
        QCOMPARE(decodeQr(panel.qrImage()), complete);
        QVERIFY(child<QLabel>(&panel, "expiryLabel")->text().contains("9:5"));
        QTest::mouseClick(child<QPushButton>(&panel, "openButton"), Qt::LeftButton);
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().first().toUrl(), QUrl(complete));

        panel.showPoll("authorization_pending", 5);
        QVERIFY(panel.status().contains("authorization_pending"));
        panel.showPoll("slow_down", 10);
        QVERIFY(panel.status().contains("every 10 s"));
        QVERIFY(panel.status().contains("2 polls"));
        panel.showFinished("The device code expired before anyone approved it.");
        QVERIFY(panel.status().contains("expired"));
        QVERIFY(child<QLabel>(&panel, "expiryLabel")->text().isEmpty());
    }

    void withoutCompleteUriTheLinkIsThePlainOne()
    {
        DeviceCodePanel panel;
        panel.showAuthorization(authorization({}));
        QCOMPARE(panel.verificationLink(), QUrl("https://id.example.test/device"));
        QCOMPARE(decodeQr(panel.qrImage()), QStringLiteral("https://id.example.test/device"));
    }
};

QTEST_MAIN(TestDeviceCodePanel)
#include "tst_devicecodepanel.moc"
