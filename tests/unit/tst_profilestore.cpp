// ProfileStore: profiles kept as readable JSON without secrets; every operation; an unreadable
// file is kept aside, never lost; import and export.
#include "core/storage/LegacyLocations.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/RunHistory.h"
#include "core/util/AppIdentity.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "FullConfig.h"

using namespace workbench;

namespace {
ClientConfig sampleConfig()
{
    ClientConfig config;
    config.issuer = QUrl("https://id.example.com");
    config.authorizationEndpoint = QUrl("https://id.example.com/authorize");
    config.tokenEndpoint = QUrl("https://id.example.com/token");
    config.jwksUri = QUrl("https://id.example.com/jwks");
    config.userinfoEndpoint = QUrl("https://id.example.com/userinfo");
    config.introspectionEndpoint = QUrl("https://id.example.com/introspect");
    config.revocationEndpoint = QUrl("https://id.example.com/revoke");
    config.idTokenSigningAlgorithms = {"RS256", "ES256"};
    config.clientId = "my-client";
    config.clientSecret = "TOP-SECRET-VALUE";
    config.authMethod = ClientAuthMethod::ClientSecretPost;
    config.scope = "openid email";
    config.redirectUri = QUrl("http://127.0.0.1:8400/cb");
    config.usePkce = true;
    config.pkceMethod = Pkce::Method::Plain;
    config.extraAuthorizationParameters = {{"prompt", "consent"}, {"login_hint", "a@b"}};
    config.extraTokenParameters = {{"resource", "https://api"}};
    return config;
}
} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT

private slots:
    void roundTripWithoutSecrets()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.path());
        QVERIFY(store.load()); // no file yet: an empty store
        Profile profile = Profile::create("Work", sampleConfig());
        profile.rememberedSecrets = {"client_secret"};
        const QString id = store.add(profile);
        store.setLastUsed(id);
        QVERIFY(store.save());

        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(!text.contains("TOP-SECRET-VALUE"));
        QVERIFY(text.contains("\"client_id\": \"my-client\"")); // human-readable, indented

        ProfileStore again(dir.path());
        QVERIFY(again.load());
        QCOMPARE(again.profiles().size(), 1);
        QCOMPARE(again.lastUsed(), id);
        const Profile &loaded = again.profiles().first();
        const ClientConfig expected = sampleConfig();
        QCOMPARE(loaded.name, QStringLiteral("Work"));
        QVERIFY(loaded.remembers("client_secret"));
        QCOMPARE(loaded.config.clientSecret, QString()); // never from the file
        QCOMPARE(loaded.config.issuer, expected.issuer);
        QCOMPARE(loaded.config.tokenEndpoint, expected.tokenEndpoint);
        QCOMPARE(loaded.config.jwksUri, expected.jwksUri);
        QCOMPARE(loaded.config.revocationEndpoint, expected.revocationEndpoint);
        QCOMPARE(loaded.config.idTokenSigningAlgorithms, expected.idTokenSigningAlgorithms);
        QCOMPARE(loaded.config.authMethod, ClientAuthMethod::ClientSecretPost);
        QCOMPARE(loaded.config.redirectUri, expected.redirectUri);
        QCOMPARE(loaded.config.pkceMethod, Pkce::Method::Plain);
        QCOMPARE(loaded.config.extraAuthorizationParameters, expected.extraAuthorizationParameters);
        QCOMPARE(loaded.config.extraTokenParameters, expected.extraTokenParameters);
        QCOMPARE(loaded.secretKey("client_secret"), "profile/" + id + "/client_secret");
    }

    // Every field of every grant comes back from the file; no secret field is ever in it.
    void everyFieldRoundTripsAndNoSecretIsWritten()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.path());
        const ClientConfig full = fullconfig::make();
        Profile profile = Profile::create("Everything", full);
        profile.rememberedSecrets = {"client_secret", "private_key"};
        store.add(profile);
        QVERIFY(store.save());
        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        for (const QString &field : ClientConfig::secretFieldNames())
            QVERIFY2(!text.contains(fullconfig::secretValue(field).toUtf8()), qPrintable(field));

        ProfileStore again(dir.path());
        QVERIFY(again.load());
        const Profile &loaded = again.profiles().first();
        QCOMPARE(fullconfig::publicFields(loaded.config), fullconfig::publicFields(full));
        QCOMPARE(loaded.rememberedSecrets, profile.rememberedSecrets);
        for (const QString &field : ClientConfig::secretFieldNames())
            QCOMPARE(loaded.config.secretField(field), QString());
        // Exported for a team: no secret either.
        const QByteArray exported = again.exportJson({loaded.id});
        for (const QString &field : ClientConfig::secretFieldNames())
            QVERIFY(!exported.contains(fullconfig::secretValue(field).toUtf8()));
    }

    void operations()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.path());
        const QString a = store.add(Profile::create("A", sampleConfig()));
        const QString b = store.add(Profile::create("B", sampleConfig()));
        const QString sameName = store.add(Profile::create("A", sampleConfig()));
        QCOMPARE(store.find(sameName)->name, QStringLiteral("A (2)"));

        const QString copy = store.duplicate(a, {});
        QCOMPARE(store.find(copy)->name, QStringLiteral("Copy of A"));
        QVERIFY(store.find(copy)->id != a);
        QVERIFY(store.find(copy)->rememberedSecrets.isEmpty());
        QCOMPARE(store.find(copy)->config.clientId, QStringLiteral("my-client"));

        QVERIFY(store.rename(b, "  Bee  "));
        QCOMPARE(store.find(b)->name, QStringLiteral("Bee"));
        QVERIFY(!store.rename(b, "   "));
        QVERIFY(!store.rename("unknown", "x"));

        QVERIFY(store.move(copy, 0));
        QCOMPARE(store.profiles().first().id, copy);
        QVERIFY(!store.move(copy, 99));

        store.setLastUsed(b);
        QVERIFY(store.remove(b));
        QVERIFY(store.lastUsed().isEmpty());
        QVERIFY(!store.remove(b));
        QCOMPARE(store.profiles().size(), 3);

        QVERIFY(store.save());
        ProfileStore again(dir.path());
        QVERIFY(again.load());
        QStringList names;
        for (const Profile &profile : again.profiles())
            names << profile.name;
        QCOMPARE(names, (QStringList{"Copy of A", "A", "A (2)"}));
    }

    // The profiles name servers and clients: the file is the owner's only (0600), in a folder
    // that is too (0700), and a file an older version left readable to others is closed on save.
    void filesAreTheOwnersOnly()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath("config/app");
        ProfileStore store(folder);
        QVERIFY(store.load());
        store.add(Profile::create("Work", sampleConfig()));
        QVERIFY(store.save());
        QCOMPARE(QFileInfo(store.filePath()).permissions() & 0x0FFF,
                 QFile::ReadUser | QFile::WriteUser); // 0600 (User: the bits after the owner's)
        QCOMPARE(QFileInfo(folder).permissions() & 0x0FFF,
                 QFile::ReadUser | QFile::WriteUser | QFile::ExeUser); // 0700

        QVERIFY(QFile::setPermissions(store.filePath(), QFile::ReadOwner | QFile::WriteOwner |
                                                            QFile::ReadGroup | QFile::ReadOther));
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner |
                                                  QFile::ExeOwner | QFile::ReadOther |
                                                  QFile::ExeOther));
        QVERIFY(store.save());
        QCOMPARE(QFileInfo(store.filePath()).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        QCOMPARE(QFileInfo(folder).permissions() & (QFile::ReadOther | QFile::ExeOther),
                 QFile::Permissions());
    }

    // The folders of versions up to 0.1 (organization and application both "OAuth Workbench")
    // move, once, to ~/.config/oauth-workbench and ~/.local/share/oauth-workbench, where the
    // stores then find them; what the new place already has is not overwritten.
    void legacyFoldersMoveOnce()
    {
        QTemporaryDir home;
        qputenv("XDG_CONFIG_HOME", home.filePath("config").toUtf8());
        qputenv("XDG_DATA_HOME", home.filePath("data").toUtf8());
        const QString oldName = QCoreApplication::applicationName();
        const auto restore = qScopeGuard([&] {
            qunsetenv("XDG_CONFIG_HOME");
            qunsetenv("XDG_DATA_HOME");
            QCoreApplication::setApplicationName(oldName);
        });
        setApplicationIdentity();
        QCOMPARE(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
                 home.filePath("config/oauth-workbench"));
        QCOMPARE(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
                 home.filePath("data/oauth-workbench"));

        // What an older version left.
        ProfileStore old(home.filePath("config/OAuth Workbench/OAuth Workbench"));
        QVERIFY(old.load());
        old.add(Profile::create("Work", sampleConfig()));
        QVERIFY(old.save());
        RunRecord run;
        run.startedAt = QDateTime::currentDateTimeUtc();
        run.id = RunHistory::newId(run.startedAt);
        run.profile = QStringLiteral("Work");
        QVERIFY(
            RunHistory(home.filePath("data/OAuth Workbench/OAuth Workbench/history")).save(run));

        const QStringList moved = LegacyLocations::moveToCurrent();
        QCOMPARE(moved.size(), 2);
        ProfileStore store; // the default place
        QVERIFY(store.load());
        QCOMPARE(store.profiles().size(), 1);
        QCOMPARE(store.profiles().first().name, QStringLiteral("Work"));
        QCOMPARE(RunHistory().list().size(), 1);
        QVERIFY(!QDir(home.filePath("config/OAuth Workbench")).exists());
        QVERIFY(!QDir(home.filePath("data/OAuth Workbench")).exists());
        QVERIFY(LegacyLocations::moveToCurrent().isEmpty()); // once

        // An old file beside a new one: the new one stays, the old is left where it was.
        QVERIFY(old.save());
        const QStringList kept = LegacyLocations::moveToCurrent();
        QCOMPARE(kept.size(), 1);
        QVERIFY2(kept.first().startsWith("kept "), qPrintable(kept.first()));
        QVERIFY(QFile::exists(old.filePath()));
    }

    void unreadableFileIsKeptAside_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("readable");
        QTest::newRow("not json") << QByteArray("{ this is not json") << 0;
        QTest::newRow("no profiles array") << QByteArray("{\"version\":1}") << 0;
        QTest::newRow("one bad profile")
            << QByteArray("{\"profiles\":[{\"id\":\"1\",\"name\":\"ok\"},{\"name\":\"no id\"},"
                          "{\"id\":\"3\",\"name\":\"x\",\"client_auth_method\":\"magic\"}]}")
            << 1;
    }
    void unreadableFileIsKeptAside()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, readable);
        QTemporaryDir dir;
        ProfileStore store(dir.path());
        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        QString problem;
        QVERIFY(!store.load(&problem));
        QVERIFY2(problem.contains("A copy of the file was kept"), qPrintable(problem));
        QCOMPARE(store.profiles().size(), readable);
        const QStringList aside =
            QDir(dir.path()).entryList({"profiles.json.unreadable-*"}, QDir::Files);
        QCOMPARE(aside.size(), 1);
        QFile copy(QDir(dir.path()).filePath(aside.first()));
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), content);
    }

    void exportAndImport()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.path());
        Profile profile = Profile::create("Shared", sampleConfig());
        profile.rememberedSecrets = {"client_secret"};
        const QString id = store.add(profile);
        const QByteArray exported = store.exportJson({id});
        QVERIFY(!exported.contains("TOP-SECRET-VALUE"));
        QVERIFY(!exported.contains("remember_client_secret"));

        QTemporaryDir other;
        ProfileStore team(other.path());
        QString error;
        QCOMPARE(team.importJson(exported, &error), 1);
        QVERIFY(error.isEmpty());
        QCOMPARE(team.profiles().first().name, QStringLiteral("Shared"));
        QCOMPARE(team.profiles().first().config.scope, QStringLiteral("openid email"));
        // Imported again: a new profile with a new name and id.
        QCOMPARE(team.importJson(exported, &error), 1);
        QCOMPARE(team.profiles().at(1).name, QStringLiteral("Shared (2)"));
        QVERIFY(team.profiles().at(0).id != team.profiles().at(1).id);

        QCOMPARE(team.importJson("<html>", &error), 0);
        QVERIFY(error.startsWith("not a JSON object"));
        QCOMPARE(team.importJson("{\"profiles\":[{\"name\":\"\"}]}", &error), 0);
        QVERIFY(error.startsWith("no profile could be read"));
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
