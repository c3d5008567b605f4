// Dynamic client registration (RFC 7591) and its management (RFC 7592) against the real
// provider (oidc-provider, registration behind an initial access token, the registration access
// token rotated on every update), through the command line a person uses, with a real Secret
// Service (with-secret-service.sh) keeping the new client's secrets: the registered client signs
// in through Chromium, is read, updated and deleted; refusals are diagnosed, the likeliest cause
// first. Without a keychain (WORKBENCH_EXPECT_NO_KEYCHAIN=1) nothing is lost: the profile is not
// saved and the answer is still printed.
#include "core/diagnosis/Diagnoser.h"
#include "core/flows/ClientRegistration.h"
#include "core/http/ExchangeClient.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"

#include "E2eEnvironment.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::ClientRegistration::Outcome)

class TestE2eRegistration : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;
    QTemporaryDir m_dir;
    const bool m_expectNoKeychain = qEnvironmentVariableIsSet("WORKBENCH_EXPECT_NO_KEYCHAIN");

    using Result = e2e::CliResult;

    Result runCli(const QStringList &arguments, bool withInitialToken = false)
    {
        QList<QPair<QString, QString>> environment{{"XDG_DATA_HOME", m_dir.filePath("data")},
                                                   {"XDG_CONFIG_HOME", m_dir.filePath("config")}};
        if (withInitialToken)
            environment.append({"E2E_INITIAL_TOKEN", m_env.initialAccessToken()});
        return e2e::runCli(arguments, environment);
    }

    static QString firstCause(const QJsonObject &json)
    {
        return json.value("diagnosis")
            .toObject()
            .value("causes")
            .toArray()
            .first()
            .toObject()
            .value("id")
            .toString();
    }

    static QString code(const QJsonObject &json)
    {
        return json.value("diagnosis").toObject().value("code").toString();
    }

    std::optional<Profile> profileNamed(const QString &name) const
    {
        ProfileStore store(m_dir.filePath("config/oauth-workbench"));
        if (!store.load())
            return std::nullopt;
        for (const Profile &profile : store.profiles()) {
            if (profile.name == name)
                return profile;
        }
        return std::nullopt;
    }

    static QString keychainSecret(const QString &key)
    {
        SecretStore secrets;
        QSignalSpy read(&secrets, &SecretStore::secretRead);
        secrets.read(key);
        if (read.isEmpty() && !read.wait(30000))
            return QStringLiteral("(no answer)");
        const auto result = read.first().first().value<SecretStore::Result>();
        return result.ok() ? result.secret : QStringLiteral("(%1)").arg(result.error);
    }

    QString browserCommand() const
    {
        return qEnvironmentVariable("WORKBENCH_E2E_DIR") + QStringLiteral("/open-in-chromium.sh");
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<ClientRegistration::Outcome>();
        qRegisterMetaType<SecretStore::Result>();
        QVERIFY(m_dir.isValid());
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(!m_env.initialAccessToken().isEmpty());
        QVERIFY(!m_env.discovery().value("registration_endpoint").toString().isEmpty());
    }

    void cleanupTestCase() { m_env.stop(); }

    // The provider registers only with its initial access token: without one the refusal is
    // a 401 invalid_token, and the diagnosis puts the missing token first, not an expired
    // access token as it would at an API.
    void registeringWithoutTheInitialTokenIsDiagnosed()
    {
        if (m_expectNoKeychain)
            QSKIP("runs with a keychain");
        const Result result = runCli({"register", "--issuer", m_env.issuer(), "--json"});
        QCOMPARE(result.exit, 1);
        QCOMPARE(result.json.value("succeeded").toBool(true), false);
        QCOMPARE(code(result.json), QStringLiteral("invalid_token"));
        QCOMPARE(firstCause(result.json), QStringLiteral("initial_access_token_missing"));
        QCOMPARE(result.json.value("diagnosis").toObject().value("entry").toString(),
                 QStringLiteral("registration.invalid_token"));
    }

    // Redirect URIs and metadata the provider refuses, each diagnosed by the rule it broke.
    void refusedMetadataIsDiagnosed_data()
    {
        QTest::addColumn<QJsonObject>("metadata");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("cause");
        const QJsonArray loopback{"http://127.0.0.1/callback"};
        QTest::newRow("fragment") << QJsonObject{{"redirect_uris",
                                                  QJsonArray{"http://127.0.0.1/callback#here"}},
                                                 {"application_type", "native"}}
                                  << "invalid_redirect_uri"
                                  << "redirect_invalid";
        QTest::newRow("native app on a web host")
            << QJsonObject{{"redirect_uris", QJsonArray{"http://app.example.test/callback"}},
                           {"application_type", "native"}}
            << "invalid_redirect_uri"
            << "redirect_not_loopback";
        QTest::newRow("grant it does not offer")
            << QJsonObject{{"redirect_uris", loopback},
                           {"application_type", "native"},
                           {"grant_types", QJsonArray{"urn:example:grant:unknown"}}}
            << "invalid_client_metadata"
            << "metadata_unsupported_value";
        QTest::newRow("jwks beside jwks_uri")
            << QJsonObject{{"redirect_uris", loopback},
                           {"application_type", "native"},
                           {"token_endpoint_auth_method", "private_key_jwt"},
                           {"jwks_uri", "https://app.example.test/jwks"},
                           {"jwks", QJsonObject{{"keys", QJsonArray{}}}}}
            << "invalid_client_metadata"
            << "metadata_conflict";
    }
    void refusedMetadataIsDiagnosed()
    {
        if (m_expectNoKeychain)
            QSKIP("runs with a keychain");
        QFETCH(QJsonObject, metadata);
        QFETCH(QString, code);
        QFETCH(QString, cause);
        const QString path = m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + ".json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(metadata).toJson());
        file.close();
        const Result result =
            runCli({"register", "--issuer", m_env.issuer(), "--initial-access-token-env",
                    "E2E_INITIAL_TOKEN", "--metadata", path, "--json"},
                   true);
        QCOMPARE(result.exit, 1);
        const QString said = result.json.value("diagnosis")
                                 .toObject()
                                 .value("server")
                                 .toObject()
                                 .value("error_description")
                                 .toString();
        QVERIFY2(TestE2eRegistration::code(result.json) == code, qPrintable(said));
        QVERIFY2(firstCause(result.json) == cause,
                 qPrintable(said + " -> " + firstCause(result.json)));
    }

    // A client registered from the command line is a profile whose secrets are in the keychain;
    // it signs in through Chromium; its registration is read, updated (the provider rotates the
    // registration access token, and the profile keeps the new one) and deleted. The old token,
    // used after the rotation, is refused and diagnosed as such.
    void registeredClientSignsInAndIsManaged()
    {
        if (m_expectNoKeychain)
            QSKIP("runs with a keychain");
        const Result registered =
            runCli({"register", "--issuer", m_env.issuer(), "--initial-access-token-env",
                    "E2E_INITIAL_TOKEN", "--client-name", "Workbench e2e", "--save-profile",
                    "Registered", "--json"},
                   true);
        QVERIFY2(registered.exit == 0, registered.errors.constData());
        const QJsonObject client = registered.json.value("client").toObject();
        const QString clientId = client.value("client_id").toString();
        const QString firstToken = client.value("registration_access_token").toString();
        QVERIFY(!clientId.isEmpty());
        QVERIFY(!client.value("client_secret").toString().isEmpty());
        QVERIFY(!firstToken.isEmpty());
        QCOMPARE(client.value("client_name").toString(), QStringLiteral("Workbench e2e"));
        // The initial access token went in a header, never on the command line.
        const QJsonObject exchange = registered.json.value("exchanges").toArray().last().toObject();
        QCOMPARE(exchange.value("status").toInt(), 201);

        std::optional<Profile> profile = profileNamed("Registered");
        QVERIFY(profile);
        QCOMPARE(profile->config.clientId, clientId);
        QCOMPARE(profile->config.tokenEndpoint.toString(),
                 m_env.discovery().value("token_endpoint").toString());
        QVERIFY(!profile->config.registrationClientUri.isEmpty());
        QVERIFY(profile->remembers("client_secret"));
        QVERIFY(profile->remembers("registration_access_token"));
        QCOMPARE(keychainSecret(profile->secretKey("client_secret")),
                 client.value("client_secret").toString());
        QCOMPARE(keychainSecret(profile->secretKey("registration_access_token")), firstToken);
        // The profiles file holds no secret.
        QFile profiles(m_dir.filePath("config/oauth-workbench/profiles.json"));
        if (profiles.open(QIODevice::ReadOnly)) {
            const QByteArray text = profiles.readAll();
            QVERIFY(!text.contains(client.value("client_secret").toString().toUtf8()));
            QVERIFY(!text.contains(firstToken.toUtf8()));
        }

        // The new client works: a real sign-in with the profile, its secret from the keychain.
        const Result signedIn = runCli({"authorize", "--profile", "Registered", "--json",
                                        "--browser-command", browserCommand()});
        QVERIFY2(signedIn.exit == 0, signedIn.errors.constData());
        QCOMPARE(signedIn.json.value("outcome").toString(), QStringLiteral("succeeded"));

        const Result read = runCli({"register", "--read", "--profile", "Registered", "--json"});
        QVERIFY2(read.exit == 0, read.errors.constData());
        QCOMPARE(read.json.value("client").toObject().value("client_id").toString(), clientId);

        const Result updated = runCli({"register", "--update", "--profile", "Registered",
                                       "--client-name", "Workbench e2e renamed", "--json"});
        QVERIFY2(updated.exit == 0, updated.errors.constData());
        const QJsonObject afterUpdate = updated.json.value("client").toObject();
        QCOMPARE(afterUpdate.value("client_name").toString(),
                 QStringLiteral("Workbench e2e renamed"));
        const QString rotated = afterUpdate.value("registration_access_token").toString();
        QVERIFY(!rotated.isEmpty());
        QVERIFY(rotated != firstToken);
        profile = profileNamed("Registered");
        QVERIFY(profile);
        QCOMPARE(keychainSecret(profile->secretKey("registration_access_token")), rotated);
        // The kept token is the one that works now.
        const Result readAgain =
            runCli({"register", "--read", "--profile", "Registered", "--json"});
        QVERIFY2(readAgain.exit == 0, readAgain.errors.constData());

        // The token from before the rotation, used directly: refused and diagnosed as stale.
        ExchangeClient http;
        ClientRegistration registration(&http);
        QSignalSpy finished(&registration, &ClientRegistration::finished);
        QList<HttpExchange> exchanges;
        connect(&registration, &ClientRegistration::exchangeRecorded, this,
                [&](const HttpExchange &recorded) { exchanges << recorded; });
        ClientConfig stale = profile->config;
        stale.registrationAccessToken = firstToken;
        QString error;
        QVERIFY2(registration.read(stale, &error), qPrintable(error));
        QVERIFY(finished.wait(30000));
        const auto outcome = finished.first().first().value<ClientRegistration::Outcome>();
        QVERIFY(!outcome.succeeded);
        QCOMPARE(exchanges.size(), 1);
        QCOMPARE(exchanges.first().status, 401);
        const std::optional<Diagnosis> diagnosis = Diagnoser().diagnose(exchanges, 0, {});
        QVERIFY(diagnosis);
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_token"));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("registration_token_invalid"));

        const Result deleted =
            runCli({"register", "--delete", "--profile", "Registered", "--json"});
        QVERIFY2(deleted.exit == 0, deleted.errors.constData());
        QCOMPARE(
            deleted.json.value("exchanges").toArray().last().toObject().value("status").toInt(),
            204);
        profile = profileNamed("Registered");
        QVERIFY(profile);
        QVERIFY(profile->config.registrationClientUri.isEmpty());
        QVERIFY(!profile->remembers("registration_access_token"));
        QVERIFY(keychainSecret(profile->secretKey("registration_access_token")).startsWith('('));
        // Nothing left to manage: a usage error, not a request.
        const Result afterDelete =
            runCli({"register", "--read", "--profile", "Registered", "--json"});
        QCOMPARE(afterDelete.exit, 2);
        QVERIFY(afterDelete.errors.contains("no registration to manage"));
    }

    // No keychain: the registration stands, the answer (secrets included) is printed for the
    // person's own store, and no profile is saved that would name secrets nobody kept.
    void savingWithoutAKeychainLosesNothing()
    {
        if (!m_expectNoKeychain)
            QSKIP("runs without a keychain (WORKBENCH_EXPECT_NO_KEYCHAIN=1)");
        const Result result =
            runCli({"register", "--issuer", m_env.issuer(), "--initial-access-token-env",
                    "E2E_INITIAL_TOKEN", "--save-profile", "Unkept", "--json"},
                   true);
        QCOMPARE(result.exit, 1);
        const QJsonObject client = result.json.value("client").toObject();
        QVERIFY(!client.value("client_id").toString().isEmpty());
        QVERIFY(!client.value("client_secret").toString().isEmpty());
        QVERIFY(!client.value("registration_access_token").toString().isEmpty());
        const QString details = result.json.value("details").toVariant().toStringList().join('\n');
        QVERIFY2(details.contains("the keychain could not keep"), qPrintable(details));
        QVERIFY(!profileNamed("Unkept"));
    }
};

QTEST_GUILESS_MAIN(TestE2eRegistration)
#include "tst_e2e_registration.moc"
