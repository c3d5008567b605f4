// The command line's readable output masks codes, tokens and credentials as the window does
// (MASKED: and a short hash) unless --reveal-secrets; --json keeps them for scripts. Run against
// the built-in sandbox, through the real oauth-workbench-cli.
#include "core/sandbox/SandboxProvider.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

class TestCliOutput : public QObject
{
    Q_OBJECT

    SandboxProvider m_sandbox;

    struct Result
    {
        int exit = -1;
        QByteArray output; // standard output, then standard error
        QByteArray standardOutput;
    };
    Result runToken(const QStringList &extra)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("WB_TEST_SECRET",
                           QString::fromLatin1(SandboxProvider::kConfidentialSecret));
        environment.insert("XDG_DATA_HOME", "/nonexistent");
        environment.insert("XDG_CONFIG_HOME", "/nonexistent");
        process.setProcessEnvironment(environment);
        QSignalSpy done(&process, &QProcess::finished); // the sandbox answers on this thread
        process.start(qEnvironmentVariable("WORKBENCH_CLI"),
                      QStringList{"token", "--grant", "client_credentials", "--token-endpoint",
                                  m_sandbox.endpoint("/token").toString(), "--client-id",
                                  QString::fromLatin1(SandboxProvider::kConfidentialClientId),
                                  "--client-secret-env", "WB_TEST_SECRET", "--scope", "api"} +
                          extra);
        Result result;
        if (!done.wait(30000)) {
            process.kill();
            return result;
        }
        result.exit = process.exitCode();
        result.standardOutput = process.readAllStandardOutput();
        result.output = result.standardOutput + process.readAllStandardError();
        return result;
    }

private slots:
    void initTestCase() { QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString())); }

    void readableOutputMasksSecrets()
    {
        const Result run = runToken({});
        QVERIFY2(run.exit == 0, run.output.constData());
        QVERIFY(run.output.contains("grant_type=client_credentials"));
        QVERIFY2(!run.output.contains(SandboxProvider::kConfidentialSecret),
                 run.output.constData());
        const QByteArray basic = QByteArray(SandboxProvider::kConfidentialClientId) + ':' +
                                 SandboxProvider::kConfidentialSecret;
        QVERIFY(!run.output.contains(basic.toBase64()));
        QVERIFY2(!run.output.contains("eyJ"), run.output.constData()); // the JWT access token
        QVERIFY(run.output.contains("Authorization: Basic MASKED:"));
        QVERIFY(run.output.contains("\"access_token\": \"MASKED:"));
    }

    void revealSecretsShowsThem()
    {
        const Result run = runToken({"--reveal-secrets"});
        QVERIFY2(run.exit == 0, run.output.constData());
        QVERIFY(run.output.contains("\"access_token\": \"eyJ"));
        const QByteArray basic = QByteArray(SandboxProvider::kConfidentialClientId) + ':' +
                                 SandboxProvider::kConfidentialSecret;
        QVERIFY(run.output.contains("Authorization: Basic " + basic.toBase64()));
        QVERIFY(!run.output.contains("MASKED:"));
    }

    void jsonKeepsThemForScripts()
    {
        const Result run = runToken({"--json"});
        QVERIFY2(run.exit == 0, run.output.constData());
        const QJsonObject json = QJsonDocument::fromJson(run.standardOutput).object();
        QVERIFY(json.value("token_response")
                    .toObject()
                    .value("access_token")
                    .toString()
                    .startsWith("eyJ"));
    }

    // A browser capture given to explain: printed masked; --save-redacted writes the exchanges
    // found without their secrets; --save keeps it in the history, where compare finds it.
    void captureIsSavedRedacted()
    {
        QTemporaryDir dir;
        const QString har =
            QStringLiteral(WORKBENCH_TEST_DATA "/capture/chromium-spa-pkce-mismatch.har");
        const QString saved = dir.filePath("redacted.har");
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("XDG_DATA_HOME", dir.filePath("data"));
        process.setProcessEnvironment(environment);
        process.start(qEnvironmentVariable("WORKBENCH_CLI"),
                      {"explain", har, "--save-redacted", saved, "--save", "--json"});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const QByteArray output = process.readAllStandardOutput();
        const QString runId = QJsonDocument::fromJson(output).object().value("run_id").toString();
        QVERIFY2(!runId.isEmpty(), output.constData());
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        QVERIFY(written.contains("REDACTED:"));
        QVERIFY(written.contains("/oauth/token"));
        for (const QByteArray &secret :
             {QByteArray("SplxlOBeZQQYbYS6WxSbIA"),
              QByteArray("a-verifier-of-another-login-attempt-0123456789abcd")}) {
            QVERIFY(!written.contains(secret));
            QVERIFY(!output.contains(secret));
        }
        process.start(qEnvironmentVariable("WORKBENCH_CLI"), {"history"});
        QVERIFY(process.waitForFinished(30000));
        QVERIFY(process.readAllStandardOutput().contains(runId.toUtf8() + "  "));
    }
};

QTEST_MAIN(TestCliOutput)
#include "tst_cli_output.moc"
