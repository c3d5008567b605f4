// `oauth-workbench-cli token --profile NAME`: the real command line starts from a profile the
// app saved and takes the secret the profile keeps from a real Secret Service (gnome-keyring in a
// private D-Bus session, with-secret-service.sh), then runs the grant against the built-in
// sandbox. With the keychain entry gone, or no keychain at all (WORKBENCH_EXPECT_NO_KEYCHAIN=1),
// it stops with a clear usage error instead of running without the secret.
#include "core/sandbox/SandboxProvider.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

class TestCliProfile : public QObject
{
    Q_OBJECT

    const bool m_expectNoKeychain = qEnvironmentVariableIsSet("WORKBENCH_EXPECT_NO_KEYCHAIN");
    QTemporaryDir m_config; // the command line's XDG_CONFIG_HOME
    SandboxProvider m_sandbox;
    SecretStore m_secrets; // the app's own service name: what the command line reads
    Profile m_profile;

    struct Result
    {
        int exit = -1;
        QJsonObject json;
        QString errors;
    };
    Result runCli(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("XDG_CONFIG_HOME", m_config.path());
        environment.insert("XDG_DATA_HOME", m_config.filePath("data"));
        process.setProcessEnvironment(environment);
        // The sandbox answers from this process's event loop: wait with it running.
        QSignalSpy done(&process, &QProcess::finished);
        process.start(QStringLiteral(WORKBENCH_CLI), arguments);
        Result result;
        if (!done.wait(50000)) {
            process.kill();
            result.errors = "the command did not finish";
            return result;
        }
        result.exit = process.exitCode();
        result.json = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        result.errors = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        // The profile as the app saves it: the settings in the profiles file (where the app,
        // named as the command line names itself, keeps them), the secret in the keychain.
        ClientConfig config = m_sandbox.clientConfig(true);
        config.grant = GrantType::ClientCredentials;
        config.scope = QStringLiteral("api");
        m_profile = Profile::create(QStringLiteral("Sandbox service"), config.withoutSecrets());
        m_profile.rememberedSecrets = {QStringLiteral("client_secret")};
        ProfileStore store(m_config.filePath("OAuth Workbench/OAuth Workbench"));
        QVERIFY(store.load().isEmpty());
        store.add(m_profile);
        QVERIFY(store.save().isEmpty());
        QVERIFY(QFile::exists(m_config.filePath("OAuth Workbench/OAuth Workbench/profiles.json")));
        QFile saved(store.filePath());
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(!saved.readAll().contains(SandboxProvider::kConfidentialSecret));
        if (m_expectNoKeychain)
            return;
        QSignalSpy written(&m_secrets, &SecretStore::secretWritten);
        m_secrets.write(m_profile.secretKey("client_secret"), config.clientSecret);
        QVERIFY(written.wait(10000));
        QVERIFY2(written.first().first().value<SecretStore::Result>().ok(),
                 qPrintable(written.first().first().value<SecretStore::Result>().error));
    }

    void profileRunsWithItsKeychainSecret()
    {
        if (m_expectNoKeychain)
            QSKIP("needs the Secret Service");
        const Result run = runCli({"token", "--profile", "Sandbox service", "--json"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        QCOMPARE(run.json.value("outcome").toString(), QStringLiteral("succeeded"));
        const QString request =
            run.json.value("exchanges").toArray().first().toObject().value("request").toString();
        QVERIFY2(request.contains("grant_type=client_credentials"), qPrintable(request));
        QVERIFY(request.contains("scope=api"));
        QVERIFY(request.startsWith("POST " + m_sandbox.endpoint("/token").path()));
    }

    // An option given with the profile replaces the profile's value.
    void optionsReplaceTheProfilesValues()
    {
        if (m_expectNoKeychain)
            QSKIP("needs the Secret Service");
        const Result run =
            runCli({"token", "--profile", "Sandbox service", "--json", "--scope", "openid"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        const QString request =
            run.json.value("exchanges").toArray().first().toObject().value("request").toString();
        QVERIFY2(request.contains("scope=openid") && !request.contains("scope=api"),
                 qPrintable(request));
    }

    void unknownProfileIsAUsageError()
    {
        const Result run = runCli({"token", "--profile", "Nope"});
        QCOMPARE(run.exit, 2);
        QVERIFY2(run.errors.contains("no profile \"Nope\"; the saved ones are: Sandbox service"),
                 qPrintable(run.errors));
    }

    // Without its secret the run is not attempted: the reason names the secret and the profile.
    void missingSecretStopsTheRun()
    {
        if (!m_expectNoKeychain) {
            QSignalSpy removed(&m_secrets, &SecretStore::secretRemoved);
            m_secrets.remove(m_profile.secretKey("client_secret"));
            QVERIFY(removed.wait(10000));
        }
        const Result run = runCli({"token", "--profile", "Sandbox service", "--json"});
        QCOMPARE(run.exit, 2);
        QVERIFY(run.json.isEmpty()); // nothing was sent
        const QString expected = m_expectNoKeychain
                                     ? "the client_secret of profile \"Sandbox service\" cannot "
                                       "be read from the keychain"
                                     : "the keychain has no client_secret for profile \"Sandbox "
                                       "service\"";
        QVERIFY2(run.errors.contains(expected), qPrintable(run.errors));
    }
};

QTEST_MAIN(TestCliProfile)
#include "tst_cli_profile.moc"
