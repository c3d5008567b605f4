// The server probe against a real, certified provider (oidc-provider, as tests/e2e/provider.mjs
// configures it) with real Chromium signing in wherever a probe needs a code, and through the
// command line against the built-in sandbox made weak on purpose, where every probe must fail.
#include "core/export/Redaction.h"
#include "core/http/ExchangeClient.h"
#include "core/probe/ServerProbe.h"

#include "E2eEnvironment.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <memory>
#include <vector>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::ProbeReport)

class TestE2eProbe : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;
    QTemporaryDir m_dir;

    static QString verdictOf(const ProbeReport &report, const QString &id)
    {
        const ProbeResult *result = report.result(id);
        return result ? ProbeResult::verdictName(result->verdict) : QStringLiteral("(not run)");
    }

    QProcess *startCli(const QStringList &arguments)
    {
        auto *cli = new QProcess(this);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("XDG_DATA_HOME", m_dir.filePath("data"));
        environment.insert("XDG_CONFIG_HOME", m_dir.filePath("config"));
        cli->setProcessEnvironment(environment);
        cli->start(qEnvironmentVariable("WORKBENCH_CLI"), arguments);
        return cli;
    }

    QString browserCommand() const
    {
        return qEnvironmentVariable("WORKBENCH_E2E_DIR") + QStringLiteral("/open-in-chromium.sh");
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<ProbeReport>();
        QVERIFY(m_dir.isValid());
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanupTestCase() { m_env.stop(); }

    // The certified provider refuses what each probe sends; Chromium signs in for the probes that
    // need a code, one after another. The expired-code probe waits past the provider's 60 s code
    // lifetime. Nothing secret is in the report.
    void theCertifiedProviderRefusesWhatItMust()
    {
        ClientConfig config = m_env.clientConfig("public", GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid");
        config.issuerInAuthorizationResponse = true;
        ExchangeClient client;
        ServerProbe probe(&client);
        std::vector<std::unique_ptr<QProcess>> browsers;
        QStringList signIns;
        connect(&probe, &ServerProbe::signInNeeded, this, [&](const QString &id, const QUrl &url) {
            signIns << id;
            browsers.push_back(std::make_unique<QProcess>());
            m_env.openInBrowser(*browsers.back(), url);
        });
        QSignalSpy finished(&probe, &ServerProbe::finished);
        ServerProbe::Options options;
        options.codeWaitSeconds = 61;
        options.signInWaitSeconds = 60;
        QString error;
        QVERIFY2(probe.start(config, ProbePlan::make({}, config, 61), options, &error),
                 qPrintable(error));
        QVERIFY(finished.wait(280000));
        for (auto &browser : browsers)
            browser->waitForFinished(10000);
        const ProbeReport &report = probe.report();
        const QString text = report.toText(true);
        qInfo().noquote() << text;
        QCOMPARE(report.results().size(), ProbeCatalog::all().size());
        for (const ProbeDefinition &definition : ProbeCatalog::all())
            QVERIFY2(verdictOf(report, definition.id) == QLatin1String("passed"),
                     qPrintable(definition.id + ": " + text));
        // Its refusals, in its own words.
        QVERIFY(report.result("code_reuse")->summary.contains("invalid_grant"));
        QVERIFY(report.result("verifier_wrong")->summary.contains("invalid_grant"));
        QVERIFY(report.result("code_expired")->summary.startsWith("Refused a code 6"));
        QVERIFY(report.result("refresh_reuse")->summary.contains("invalid_grant"));
        // oidc-provider compares redirect URIs before any login: no sign-in for those probes.
        QVERIFY(!signIns.contains("redirect_other_path"));
        QVERIFY(!signIns.contains("open_redirect"));
        QVERIFY(signIns.contains("code_reuse"));
        QVERIFY(!report.cancelled());

        QList<HttpExchange> evidence;
        for (const ProbeResult &result : report.results())
            evidence << result.evidence;
        const QSet<QByteArray> secrets = Redaction::secretsIn(evidence);
        QVERIFY(secrets.size() > 10);
        const QByteArray json = QJsonDocument(report.toJson()).toJson();
        for (const QByteArray &secret : secrets) {
            QVERIFY2(!text.toUtf8().contains(secret), secret.constData());
            QVERIFY2(!json.contains(secret), secret.constData());
        }
    }

    // `probe --sandbox-weak`: the sandbox accepts what each probe sends, Chromium signs in on its
    // pages, and the report says so probe by probe; the expired-code probe, given a short wait,
    // can only call an accepted code inconclusive. Exit code 3: the server accepted something it
    // must refuse.
    void commandLineFindsEveryWeakness()
    {
        QProcess *cli = startCli({"probe", "--sandbox-weak", "--yes", "--json", "--code-wait", "1",
                                  "--timeout", "60", "--browser-command", browserCommand()});
        QVERIFY(cli->waitForFinished(280000));
        const QByteArray output = cli->readAllStandardOutput();
        const QByteArray errors = cli->readAllStandardError();
        QCOMPARE(cli->exitCode(), 3);
        QVERIFY2(errors.contains("at most"), errors.constData()); // the plan, before anything ran
        const QJsonObject json = QJsonDocument::fromJson(output).object();
        const QJsonArray results = json.value("results").toArray();
        QCOMPARE(results.size(), ProbeCatalog::all().size());
        for (const QJsonValue &value : results) {
            const QJsonObject result = value.toObject();
            const QString expected = result.value("id").toString() == QLatin1String("code_expired")
                                         ? QStringLiteral("inconclusive")
                                         : QStringLiteral("failed");
            QVERIFY2(result.value("verdict").toString() == expected,
                     qPrintable(result.value("id").toString() + ": " +
                                result.value("summary").toString()));
            QVERIFY(!result.value("evidence").toArray().isEmpty());
            QVERIFY(!result.value("reference").toString().isEmpty());
        }
        // The tokens the sandbox issued are JWTs; none is printed, nor a code.
        QVERIFY(!output.contains("eyJ"));
        QVERIFY(output.contains("code=REDACTED:"));
        QVERIFY(!QRegularExpression("code=(?!REDACTED)[A-Za-z0-9_-]{20}")
                     .match(QString::fromUtf8(output))
                     .hasMatch());
    }

    // Nothing is sent before the person confirms.
    void commandLineAsksFirst()
    {
        QProcess *cli = startCli({"probe", "--sandbox", "--only", "open_redirect"});
        cli->write("no\n");
        cli->closeWriteChannel();
        QVERIFY(cli->waitForFinished(30000));
        QCOMPARE(cli->exitCode(), 1);
        const QByteArray errors = cli->readAllStandardError();
        QVERIFY(errors.contains("Redirect for an unknown client [open_redirect]"));
        QVERIFY(errors.contains("Not confirmed: nothing was sent."));
        QVERIFY(cli->readAllStandardOutput().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestE2eProbe)
#include "tst_e2e_probe.moc"
