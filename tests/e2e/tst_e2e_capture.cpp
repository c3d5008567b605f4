// Browser captures of someone else's login, recorded by real Chromium (Playwright's recordHar,
// as a DevTools export would) while the provider's demo single-page app signs in against the real
// oidc-provider: working, and broken three ways. The capture is read back, its OAuth flow rebuilt
// and diagnosed, through the core and through `explain capture.har`.
#include "core/capture/CaptureReport.h"
#include "core/compare/StepRole.h"
#include "core/storage/RunHistory.h"

#include "E2eEnvironment.h"
#include "FileScan.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace workbench;

class TestE2eCapture : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;
    QTemporaryDir m_dir;

    // The demo app's login in Chromium, recorded; `broken` as the app's ?break= takes it.
    QByteArray record(const QString &broken)
    {
        const QString path = m_dir.filePath(QStringLiteral("login-%1.har").arg(broken));
        QProcess browser;
        QUrl url(m_env.spa());
        if (!broken.isEmpty())
            url.setQuery(QStringLiteral("break=") + broken);
        m_env.openRecording(browser, url, path);
        const QJsonObject result = e2e::Environment::browserResult(browser, 60000);
        if (result.contains("error")) {
            qWarning() << result;
            return {};
        }
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    static QStringList rolesOf(const CaptureReport &report)
    {
        QStringList roles;
        for (const HttpExchange &exchange : report.capture.run.exchanges)
            roles << StepRoles::name(StepRoles::of(exchange));
        return roles;
    }

    static QStringList findingIds(const CaptureReport &report)
    {
        QStringList ids;
        for (const CaptureFinding &finding : report.findings)
            ids << finding.id;
        return ids;
    }

private slots:
    void initTestCase()
    {
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanupTestCase() { m_env.stop(); }

    // The whole login comes back as a run: the authorization request, the callback, the token
    // request the page made with fetch, and the UserInfo call, among the sign-in pages, fonts and
    // scripts of the visit; nothing is wrong, and saved it holds no secret.
    void workingLoginIsRebuiltFromTheCapture()
    {
        const QByteArray har = record({});
        QVERIFY(HarImport::looksLikeHar(har));
        QString error;
        std::optional<CaptureImport> capture = HarImport::read(har, &error);
        QVERIFY2(capture, qPrintable(error));
        QVERIFY(capture->creator.startsWith("Playwright"));
        const CaptureReport report = CaptureReport::of(std::move(*capture));
        QVERIFY(report.capture.entries > 4);
        QCOMPARE(rolesOf(report),
                 (QStringList{"authorization request", "callback", "token request", "API call"}));
        QVERIFY2(report.findings.isEmpty(), qPrintable(report.toText()));
        for (const auto &diagnosis : report.diagnoses)
            QVERIFY2(!diagnosis, qPrintable(report.toText()));
        QCOMPARE(report.outcome(), QStringLiteral("succeeded"));

        // The tokens the page received are in the capture, never in what is shown or kept.
        const QJsonObject tokens =
            QJsonDocument::fromJson(report.capture.run.exchanges.at(2).responseBody).object();
        const QByteArray accessToken = tokens.value("access_token").toString().toUtf8();
        QVERIFY(!accessToken.isEmpty());
        QVERIFY(!report.toText().toUtf8().contains(accessToken));
        QVERIFY(!QJsonDocument(report.toJson()).toJson().contains(accessToken));
        QTemporaryDir historyDir;
        RunHistory history(historyDir.path());
        QVERIFY(history.save(report.record()));
        QVERIFY(filescan::filesContaining(historyDir.path(), accessToken).isEmpty());
    }

    void brokenLoginsAreFoundInTheCapture_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("finding");
        QTest::addColumn<QString>("firstCause");
        QTest::newRow("another login's verifier") << "verifier"
                                                  << "pkce_mismatch"
                                                  << "pkce_mismatch";
        QTest::newRow("another redirect_uri") << "redirect"
                                              << "redirect_uri_differs"
                                              << "redirect_uri_differs";
        QTest::newRow("the code redeemed twice") << "twice"
                                                 << "code_reused"
                                                 << "code_reused";
    }

    // Each way the page breaks the login is what the capture shows first, and the refused token
    // request's diagnosis puts the same cause first.
    void brokenLoginsAreFoundInTheCapture()
    {
        QFETCH(QString, broken);
        QFETCH(QString, finding);
        QFETCH(QString, firstCause);
        QString error;
        std::optional<CaptureImport> capture = HarImport::read(record(broken), &error);
        QVERIFY2(capture, qPrintable(error));
        const CaptureReport report = CaptureReport::of(std::move(*capture));
        QCOMPARE(findingIds(report), QStringList{finding});
        const qsizetype refused = report.findings.first().step;
        QCOMPARE(StepRoles::of(report.capture.run.exchanges.at(refused)), StepRole::Token);
        QCOMPARE(report.capture.run.exchanges.at(refused).status, 400);
        QVERIFY(report.diagnoses.at(refused));
        QCOMPARE(report.diagnoses.at(refused)->code, QStringLiteral("invalid_grant"));
        QCOMPARE(report.diagnoses.at(refused)->causes.first().id, firstCause);
        QCOMPARE(report.outcome(), QStringLiteral("capture_problem"));
    }

    // The command line reads a recorded capture the same way, masks the code, and keeps the
    // capture redacted for compare.
    void commandLineExplainsACapture()
    {
        const QByteArray har = record(QStringLiteral("verifier"));
        const QString path = m_dir.filePath("cli.har");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(har);
        file.close();
        QProcess cli;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("XDG_DATA_HOME", m_dir.filePath("data"));
        cli.setProcessEnvironment(environment);
        cli.start(qEnvironmentVariable("WORKBENCH_CLI"), {"explain", path, "--json", "--save"});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        const QByteArray output = cli.readAllStandardOutput();
        const QJsonObject json = QJsonDocument::fromJson(output).object();
        QCOMPARE(json.value("findings").toArray().first().toObject().value("id").toString(),
                 QStringLiteral("pkce_mismatch"));
        QVERIFY(!json.value("run_id").toString().isEmpty());
        std::optional<CaptureImport> capture = HarImport::read(har, nullptr);
        QVERIFY(capture);
        const QString code = FormEncoding::value(
            FormEncoding::decode(
                capture->run.exchanges.at(1).request.url.query(QUrl::FullyEncoded).toLatin1()),
            "code");
        QVERIFY(code.size() > 10);
        QVERIFY(!output.contains(code.toUtf8()));
        QVERIFY(filescan::filesContaining(m_dir.filePath("data"), code.toUtf8()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestE2eCapture)
#include "tst_e2e_capture.moc"
