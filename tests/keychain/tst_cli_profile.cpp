// `oauth-workbench-cli token --profile NAME`: the real command line starts from a profile the
// app saved and takes the secret the profile keeps from a real Secret Service (gnome-keyring in a
// private D-Bus session, with-secret-service.sh), then runs the grant against the built-in
// sandbox. With the keychain entry gone, or no keychain at all (WORKBENCH_EXPECT_NO_KEYCHAIN=1),
// it stops with a clear usage error instead of running without the secret.
// The actions on tokens (`refresh`, `userinfo`, `introspect`, `revoke`) start from a profile that
// keeps a refresh token and from a saved run, and keep the rotated refresh token in the keychain.
#include "SandboxBrowser.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/sandbox/SandboxAddress.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/RunHistory.h"
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
        ProfileStore store(m_config.filePath("oauth-workbench"));
        QVERIFY(store.load());
        store.add(m_profile);
        QVERIFY(store.save());
        QVERIFY(QFile::exists(m_config.filePath("oauth-workbench/profiles.json")));
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

    // A profile the window saved on its sandbox names the sandbox by a placeholder: the command
    // line starts the sandbox itself and runs the profile against it.
    void sandboxProfileRunsAgainstItsOwnSandbox()
    {
        ClientConfig config = SandboxAddress::rebased(
            m_sandbox.clientConfig(true), m_sandbox.issuer(), SandboxAddress::kPlaceholderOrigin);
        config.grant = GrantType::ClientCredentials;
        QVERIFY(SandboxAddress::usesPlaceholder(config));
        ProfileStore store(m_config.filePath("oauth-workbench"));
        QVERIFY(store.load());
        store.add(Profile::create(QStringLiteral("On the sandbox"), config.withoutSecrets()));
        QVERIFY(store.save());
        qputenv("WORKBENCH_TEST_SANDBOX_SECRET", SandboxProvider::kConfidentialSecret);
        const Result run = runCli({"token", "--profile", "On the sandbox", "--client-secret-env",
                                   "WORKBENCH_TEST_SANDBOX_SECRET", "--json"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors + run.json.value("summary").toString()));
        const QString request =
            run.json.value("exchanges").toArray().first().toObject().value("request").toString();
        QVERIFY2(request.contains("Host: 127.0.0.1:"), qPrintable(request));
        QVERIFY(!request.contains("built-in-sandbox.invalid"));
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

    QString readSecret(const QString &key)
    {
        QSignalSpy read(&m_secrets, &SecretStore::secretRead);
        m_secrets.read(key);
        if (!read.wait(10000))
            return QStringLiteral("(no answer)");
        return read.first().first().value<SecretStore::Result>().secret;
    }

    // A signed-in user's profile: the confidential client, its secret and the refresh token a
    // real code flow against the sandbox gave, all kept in the keychain as the app keeps them.
    Profile saveUserProfile()
    {
        ClientConfig config = m_sandbox.clientConfig(true);
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        const FlowOutcome outcome = sandboxbrowser::completeFlow(flow, config);
        if (!outcome.succeeded())
            return {};
        const QString refreshToken = outcome.tokenResponse.value("refresh_token").toString();
        Profile profile = Profile::create(QStringLiteral("Sandbox user"), config.withoutSecrets());
        profile.rememberedSecrets = {QStringLiteral("client_secret"),
                                     QStringLiteral("refresh_token")};
        ProfileStore store(m_config.filePath("oauth-workbench"));
        if (!store.load())
            return {};
        store.add(profile);
        if (!store.save())
            return {};
        for (const auto &[field, value] :
             {std::pair{QStringLiteral("client_secret"), config.clientSecret},
              std::pair{QStringLiteral("refresh_token"), refreshToken}}) {
            QSignalSpy written(&m_secrets, &SecretStore::secretWritten);
            m_secrets.write(profile.secretKey(field), value);
            if (!written.wait(10000) || !written.first().first().value<SecretStore::Result>().ok())
                return {};
        }
        return profile;
    }

    // refresh, then userinfo on the saved run, introspect and revoke: each with the refresh
    // token the profile keeps, which the server rotates and the keychain follows.
    void actionsUseAndKeepTheProfilesRefreshToken()
    {
        if (m_expectNoKeychain)
            QSKIP("needs the Secret Service");
        const Profile profile = saveUserProfile();
        QVERIFY2(!profile.id.isEmpty(), "the profile with its refresh token could not be made");
        const QString first = readSecret(profile.secretKey("refresh_token"));
        QVERIFY(!first.isEmpty());

        // refresh: the kept token redeemed; the rotated one replaces it in the keychain.
        Result run = runCli({"refresh", "--profile", "Sandbox user", "--json", "--save"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        QCOMPARE(run.json.value("action").toString(), QStringLiteral("refresh"));
        QVERIFY(run.json.value("succeeded").toBool());
        const QString request =
            run.json.value("exchanges").toArray().first().toObject().value("request").toString();
        QVERIFY2(request.contains("grant_type=refresh_token"), qPrintable(request));
        const QString rotated = run.json.value("body").toObject().value("refresh_token").toString();
        QVERIFY(!rotated.isEmpty() && rotated != first);
        QVERIFY2(run.errors.contains("replaces the one profile \"Sandbox user\" keeps"),
                 qPrintable(run.errors));
        QCOMPARE(readSecret(profile.secretKey("refresh_token")), rotated);
        const qsizetype firstSteps = run.json.value("exchanges").toArray().size();

        // The run was saved; userinfo on it refreshes first (no access token is kept) and
        // joins it.
        RunHistory history(m_config.filePath("data/oauth-workbench/history"));
        const QList<RunRecord> runs = history.list();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().profile, QStringLiteral("Sandbox user"));
        // The command line lists it with the id --run takes.
        run = runCli({"history", "--json"});
        QCOMPARE(run.exit, 0);
        const QJsonObject listed = run.json.value("runs").toArray().first().toObject();
        QCOMPARE(listed.value("id").toString(), runs.first().id);
        QCOMPARE(listed.value("outcome").toString(), QStringLiteral("succeeded"));
        run = runCli({"userinfo", "--run", runs.first().id, "--json"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        QCOMPARE(run.json.value("action").toString(), QStringLiteral("userinfo"));
        QVERIFY(!run.json.value("body").toObject().value("sub").toString().isEmpty());
        const QJsonArray steps = run.json.value("exchanges").toArray();
        QVERIFY(steps.size() >= 2); // the refresh (with its JWKS fetch for the ID token), UserInfo
        QVERIFY(steps.first().toObject().value("request").toString().contains(
            "grant_type=refresh_token"));
        const QString userinfo = steps.last().toObject().value("request").toString();
        QVERIFY2(userinfo.startsWith("GET " + m_sandbox.endpoint("/userinfo").path()),
                 qPrintable(userinfo));
        const auto saved = history.load(runs.first().id);
        QVERIFY(saved.has_value());
        QCOMPARE(saved->exchanges.size(), firstSteps + steps.size()); // the run, then these
        const QString newest = readSecret(profile.secretKey("refresh_token"));
        QVERIFY(newest != rotated);

        // introspect and revoke the kept refresh token; afterwards it is refused and diagnosed.
        run = runCli({"introspect", "--profile", "Sandbox user", "--json"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        QVERIFY(run.json.value("body").toObject().value("active").toBool());
        run = runCli({"revoke", "--profile", "Sandbox user", "--json"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        run = runCli({"introspect", "--profile", "Sandbox user", "--json"});
        QVERIFY2(run.exit == 0, qPrintable(run.errors));
        QVERIFY(!run.json.value("body").toObject().value("active").toBool(true));
        run = runCli({"refresh", "--profile", "Sandbox user", "--json"});
        QCOMPARE(run.exit, 1);
        QVERIFY(!run.json.value("succeeded").toBool(true));
        QCOMPARE(run.json.value("diagnosis").toObject().value("code").toString(),
                 QStringLiteral("invalid_grant"));
        // A refused refresh leaves the kept token as it was.
        QCOMPARE(readSecret(profile.secretKey("refresh_token")), newest);
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
