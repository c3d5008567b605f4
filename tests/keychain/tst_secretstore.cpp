// SecretStore against a real Secret Service (gnome-keyring in a private D-Bus session, started
// by with-secret-service.sh), and with no D-Bus at all (WORKBENCH_EXPECT_NO_KEYCHAIN=1): then
// every operation must say clearly that no keychain is reachable, keep a written secret for the
// session only, and never hang or fall back to a file.
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"

#include "FileScan.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;
using Status = SecretStore::Status;

namespace {
SecretStore::Result waitFor(QSignalSpy &spy)
{
    if (spy.isEmpty() && !spy.wait(10000))
        return {Status::Failed, {}, {}, QStringLiteral("no answer within 10 s")};
    return spy.takeFirst().first().value<SecretStore::Result>();
}

} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT

    bool m_expectNoKeychain = qEnvironmentVariableIsSet("WORKBENCH_EXPECT_NO_KEYCHAIN");
    // Each run uses its own service name, so runs never see each other's entries.
    const QString m_service =
        QStringLiteral("OAuth Workbench test %1").arg(QCoreApplication::applicationPid());

private slots:
    void initTestCase()
    {
        if (!m_expectNoKeychain)
            QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                     "run through tests/keychain/with-secret-service.sh");
    }

    void roundTrip()
    {
        if (m_expectNoKeychain)
            QSKIP("no keychain in this run");
        SecretStore store(m_service);
        QSignalSpy written(&store, &SecretStore::secretWritten);
        QSignalSpy read(&store, &SecretStore::secretRead);
        QSignalSpy removed(&store, &SecretStore::secretRemoved);
        const QString secret = QStringLiteral("s3cr:et+ %ü with spaces ") + QString(2000, 'x');

        store.write("profile/a/client_secret", secret);
        auto result = waitFor(written);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(!store.hasSessionSecret("profile/a/client_secret"));

        store.read("profile/a/client_secret");
        result = waitFor(read);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.secret, secret);

        store.write("profile/a/client_secret", "replaced");
        QVERIFY(waitFor(written).ok());
        store.read("profile/a/client_secret");
        QCOMPARE(waitFor(read).secret, QStringLiteral("replaced"));

        store.remove("profile/a/client_secret");
        QVERIFY(waitFor(removed).ok());
        store.read("profile/a/client_secret");
        result = waitFor(read);
        QCOMPARE(result.status, Status::NotFound);
        QVERIFY(result.secret.isEmpty());
        QVERIFY(store.keychainReachable());
    }

    // Profiles saved with secrets: the secrets go to the keychain, and no file under the config
    // and data directories (nor anywhere in the scratch home) holds them in the clear.
    void noSecretInAnyFile()
    {
        if (m_expectNoKeychain)
            QSKIP("no keychain in this run");
        const QString clientSecret =
            QStringLiteral("client-secret-%1").arg(QDateTime::currentMSecsSinceEpoch());
        const QString refreshToken =
            QStringLiteral("refresh-token-%1").arg(QDateTime::currentMSecsSinceEpoch());
        ProfileStore profiles; // the real AppConfigLocation, inside the scratch HOME
        ClientConfig config;
        config.clientId = "cid";
        config.clientSecret = clientSecret;
        config.tokenEndpoint = QUrl("https://id.example.com/token");
        Profile profile = Profile::create("With secrets", config);
        profile.rememberedSecrets = {"client_secret"};
        profiles.add(profile);
        QVERIFY(profiles.save());

        SecretStore store(m_service);
        QSignalSpy written(&store, &SecretStore::secretWritten);
        store.write(profile.secretKey("client_secret"), clientSecret);
        QVERIFY(waitFor(written).ok());
        store.write(profile.secretKey("refresh_token"), refreshToken);
        QVERIFY(waitFor(written).ok());

        const QStringList roots{
            QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
            QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation),
            qEnvironmentVariable("HOME")};
        QVERIFY(QFile::exists(profiles.filePath()));
        for (const QString &root : roots) {
            QVERIFY2(root.startsWith(qEnvironmentVariable("HOME")), qPrintable(root));
            QCOMPARE(filescan::filesContaining(root, clientSecret.toUtf8()), QStringList());
            QCOMPARE(filescan::filesContaining(root, refreshToken.toUtf8()), QStringList());
        }
        // The profile file is there, readable, and names the client.
        QCOMPARE(filescan::filesContaining(roots.first(), "\"client_id\": \"cid\""),
                 QStringList{profiles.filePath()});
        store.remove(profile.secretKey("client_secret"));
        store.remove(profile.secretKey("refresh_token"));
    }

    // A store that goes while its jobs are still with the keychain (a window closed during a
    // read): the jobs finish on their own and nothing reaches the store that is gone. The next
    // store's answers come through; under the sanitizer build a late callback into a freed job
    // would end this test.
    void storeGoneWhileJobsRunIsSafe()
    {
        for (int round = 0; round < 5; ++round) {
            auto *gone = new SecretStore(m_service);
            gone->write("profile/c/client_secret", "written while the store goes");
            gone->read("profile/c/client_secret");
            gone->remove("profile/c/client_secret");
            delete gone;
        }
        SecretStore store(m_service);
        QSignalSpy read(&store, &SecretStore::secretRead);
        for (int i = 0; i < 3; ++i) {
            store.read("profile/c/client_secret");
            const auto result = waitFor(read);
            QVERIFY2(result.key == "profile/c/client_secret", qPrintable(result.key));
            QVERIFY(result.status ==
                        (m_expectNoKeychain ? Status::Unavailable : Status::NotFound) ||
                    result.status == Status::Ok);
        }
    }

    void noKeychainIsSaidClearly()
    {
        if (!m_expectNoKeychain)
            QSKIP("a keychain is running in this run");
        SecretStore store(m_service);
        QSignalSpy written(&store, &SecretStore::secretWritten);
        QSignalSpy read(&store, &SecretStore::secretRead);
        QElapsedTimer timer;
        timer.start();
        store.write("profile/b/client_secret", "kept for the session");
        auto result = waitFor(written);
        QVERIFY2(timer.elapsed() < 5000, "no hang without D-Bus");
        QCOMPARE(result.status, Status::Unavailable);
        QVERIFY2(result.error.startsWith("No keychain is reachable"), qPrintable(result.error));
        QVERIFY(result.error.contains("this session only"));
        QVERIFY(!store.keychainReachable());
        QVERIFY(store.hasSessionSecret("profile/b/client_secret"));
        // Read back from the session copy, still flagged as not in a keychain.
        store.read("profile/b/client_secret");
        result = waitFor(read);
        QCOMPARE(result.status, Status::Unavailable);
        QCOMPARE(result.secret, QStringLiteral("kept for the session"));
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
