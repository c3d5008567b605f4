// Dynamic client registration (RFC 7591) and its management (RFC 7592): the metadata made from
// the form, what a server's answer is read into, and each operation's request and verdict on the
// wire (a canned server sees the exact bytes), bad answers included.
#include "core/flows/ClientRegistration.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/JwsSigner.h"

#include "TestHttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::ClientRegistration::Outcome)

namespace {
const QByteArray kRegistered =
    "{\"client_id\":\"c-123\",\"client_secret\":\"s3cret-value\",\n    "
    "\"client_secret_expires_at\":0,\"client_id_issued_at\":1764547200,\n    "
    "\"registration_access_token\":\"rat-1\",\n    "
    "\"registration_client_uri\":\"https://as.example.test/reg/c-123\",\n    "
    "\"token_endpoint_auth_method\":\"client_secret_post\",\n    "
    "\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"grant_types\":[\"authorization_code\"]}";
} // namespace

class TestClientRegistration : public QObject
{
    Q_OBJECT

    // Runs one operation against `server` and returns its outcome.
    template <typename Send>
    ClientRegistration::Outcome run(Send send, QList<HttpExchange> *exchanges = nullptr)
    {
        ExchangeClient client;
        ClientRegistration registration(&client);
        QSignalSpy finished(&registration, &ClientRegistration::finished);
        QList<HttpExchange> recorded;
        connect(&registration, &ClientRegistration::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        QString error;
        if (!send(registration, &error)) {
            ClientRegistration::Outcome refused;
            refused.summary = QStringLiteral("not sent: ") + error;
            return refused;
        }
        if (!finished.wait(10000))
            return {};
        if (exchanges)
            *exchanges = recorded;
        return finished.first().first().value<ClientRegistration::Outcome>();
    }

    static ClientConfig registeredConfig(const testhttp::CannedServer &server)
    {
        ClientConfig config;
        config.clientId = QStringLiteral("c-123");
        config.clientSecret = QStringLiteral("s3cret-value");
        config.registrationClientUri = server.url("/reg/c-123");
        config.registrationAccessToken = QStringLiteral("rat-1");
        return config;
    }

private slots:
    void initTestCase() { qRegisterMetaType<ClientRegistration::Outcome>(); }

    // A browser client on loopback registers as a native app (RFC 8252 §8.4) with the code
    // grant, its auth method and scope.
    void metadataForANativeApp()
    {
        ClientConfig config;
        config.redirectUri = QUrl("http://127.0.0.1:8400/callback");
        config.scope = QStringLiteral("openid  email");
        config.authMethod = ClientAuthMethod::None;
        const QJsonObject metadata = ClientRegistration::metadataFor(config, "My app");
        QCOMPARE(metadata.value("application_type").toString(), QStringLiteral("native"));
        QCOMPARE(metadata.value("redirect_uris").toArray(),
                 QJsonArray{"http://127.0.0.1:8400/callback"});
        QCOMPARE(metadata.value("response_types").toArray(), QJsonArray{"code"});
        QCOMPARE(metadata.value("grant_types").toArray(),
                 (QJsonArray{"authorization_code", "refresh_token"}));
        QCOMPARE(metadata.value("token_endpoint_auth_method").toString(), QStringLiteral("none"));
        QCOMPARE(metadata.value("scope").toString(), QStringLiteral("openid email"));
        QCOMPARE(metadata.value("client_name").toString(), QStringLiteral("My app"));
        QVERIFY(!metadata.contains("jwks"));
        QVERIFY(!metadata.contains("dpop_bound_access_tokens"));
    }

    void metadataForAWebAppAndAMachine()
    {
        ClientConfig web;
        web.redirectUri = QUrl("https://app.example.test/cb");
        QCOMPARE(ClientRegistration::metadataFor(web).value("application_type").toString(),
                 QStringLiteral("web"));

        ClientConfig machine;
        machine.grant = GrantType::ClientCredentials;
        machine.useDpop = true;
        const QJsonObject metadata = ClientRegistration::metadataFor(machine);
        QCOMPARE(metadata.value("redirect_uris").toArray(), QJsonArray());
        QCOMPARE(metadata.value("response_types").toArray(), QJsonArray());
        QCOMPARE(metadata.value("grant_types").toArray(), QJsonArray{"client_credentials"});
        QVERIFY(!metadata.contains("application_type"));
        QCOMPARE(metadata.value("dpop_bound_access_tokens").toBool(), true);
    }

    // private_key_jwt registers the public half of the client's key, with its kid, never the
    // private one.
    void privateKeyJwtRegistersThePublicKey()
    {
        const SigningKey key = SigningKey::generate("ES256", "k1");
        ClientConfig config;
        config.authMethod = ClientAuthMethod::PrivateKeyJwt;
        config.signingAlgorithm = QStringLiteral("ES256");
        config.keyId = QStringLiteral("k1");
        config.privateKeyPem = QString::fromLatin1(key.privatePem());
        const QJsonObject metadata = ClientRegistration::metadataFor(config);
        QCOMPARE(metadata.value("token_endpoint_auth_signing_alg").toString(),
                 QStringLiteral("ES256"));
        const QJsonObject jwk =
            metadata.value("jwks").toObject().value("keys").toArray().first().toObject();
        QCOMPARE(jwk.value("kid").toString(), QStringLiteral("k1"));
        QCOMPARE(jwk.value("kty").toString(), QStringLiteral("EC"));
        QVERIFY(jwk.contains("x"));
        QVERIFY(!jwk.contains("d"));
    }

    void answerIsRead()
    {
        QStringList problems;
        const auto client = RegisteredClient::fromResponse(kRegistered, &problems);
        QVERIFY(client);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QCOMPARE(client->clientId, QStringLiteral("c-123"));
        QCOMPARE(client->clientSecret, QStringLiteral("s3cret-value"));
        QCOMPARE(client->registrationAccessToken, QStringLiteral("rat-1"));
        QCOMPARE(client->registrationClientUri, QUrl("https://as.example.test/reg/c-123"));
        QCOMPARE(client->clientIdIssuedAt.toSecsSinceEpoch(), 1764547200);
        QVERIFY(!client->clientSecretExpiresAt.isValid()); // 0: never
        // The metadata kept for showing holds no secret; describe() shows fingerprints only.
        QVERIFY(!client->metadata.contains("client_secret"));
        QVERIFY(!client->metadata.contains("registration_access_token"));
        const QString described = client->describe().join('\n');
        QVERIFY(!described.contains("s3cret-value"));
        QVERIFY(!described.contains("rat-1"));
        QVERIFY(described.contains("The secret does not expire."));

        ClientConfig base;
        base.authMethod = ClientAuthMethod::ClientSecretBasic;
        base.registrationAccessToken = QStringLiteral("old");
        const ClientConfig applied = client->applyTo(base);
        QCOMPARE(applied.clientId, QStringLiteral("c-123"));
        QCOMPARE(applied.authMethod, ClientAuthMethod::ClientSecretPost); // the server's choice
        QCOMPARE(applied.registrationAccessToken, QStringLiteral("rat-1"));
    }

    // A read answer without the token and secret keeps the ones held (RFC 7592 §2.2).
    void answerWithoutSecretsKeepsTheOnesHeld()
    {
        const auto client = RegisteredClient::fromResponse(
            "{\"client_id\":\"c-123\",\"redirect_uris\":[\"http://127.0.0.1:9/other\"]}", nullptr);
        QVERIFY(client);
        ClientConfig base;
        base.clientSecret = QStringLiteral("kept");
        base.registrationAccessToken = QStringLiteral("kept-token");
        base.registrationClientUri = QUrl("https://as.example.test/reg/c-123");
        const ClientConfig applied = client->applyTo(base);
        QCOMPARE(applied.clientSecret, QStringLiteral("kept"));
        QCOMPARE(applied.registrationAccessToken, QStringLiteral("kept-token"));
        QCOMPARE(applied.registrationClientUri, base.registrationClientUri);
        // The server narrowed the redirect URIs to one the form did not have.
        QCOMPARE(applied.redirectUri, QUrl("http://127.0.0.1:9/other"));
    }

    void unusableAnswersSayWhy_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("usable");
        QTest::addColumn<QString>("problem");
        QTest::newRow("html") << QByteArray("<!doctype html><html><body>Sign in</body></html>")
                              << false << "HTML page";
        QTest::newRow("array") << QByteArray("[1,2]") << false << "not a JSON object";
        QTest::newRow("truncated")
            << QByteArray(R"({"client_id":"c)") << false << "not a JSON object";
        QTest::newRow("no client_id")
            << QByteArray(R"({"client_secret":"x"})") << false << "no client_id";
        QTest::newRow("secret not a string")
            << QByteArray(R"({"client_id":"c","client_secret":7})") << true << "not a string";
        QTest::newRow("secret without expiry")
            << QByteArray(R"({"client_id":"c","client_secret":"x"})") << true
            << "client_secret_expires_at";
        QTest::newRow("relative client uri")
            << QByteArray(R"({"client_id":"c","registration_client_uri":"/reg/c"})") << true
            << "not an absolute URL";
    }
    void unusableAnswersSayWhy()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, usable);
        QFETCH(QString, problem);
        QStringList problems;
        QCOMPARE(RegisteredClient::fromResponse(body, &problems).has_value(), usable);
        QVERIFY2(problems.join('\n').contains(problem), qPrintable(problems.join('\n')));
    }

    // The registration request: POST, JSON, the initial access token as Bearer; 201 read.
    void registerSendsTheMetadata()
    {
        testhttp::CannedServer server(testhttp::jsonResponse(201, kRegistered));
        const QJsonObject metadata{{"redirect_uris", QJsonArray{"http://127.0.0.1/callback"}}};
        const auto outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.registerClient(server.url("/register"), metadata, "iat-9", error);
        });
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        QCOMPARE(outcome.client->clientId, QStringLiteral("c-123"));
        QCOMPARE(server.requests.size(), 1);
        const QByteArray request = server.requests.first();
        QVERIFY(request.startsWith("POST /register HTTP/1.1\r\n"));
        QVERIFY(request.contains("\r\nAuthorization: Bearer iat-9\r\n"));
        QVERIFY(request.contains("\r\nContent-Type: application/json\r\n"));
        QVERIFY(request.endsWith("{\"redirect_uris\":[\"http://127.0.0.1/callback\"]}"));
    }

    void registerWithoutTokenSendsNoAuthorization()
    {
        testhttp::CannedServer server(testhttp::jsonResponse(201, kRegistered));
        const auto outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.registerClient(server.url("/register"), {}, {}, error);
        });
        QVERIFY(outcome.succeeded);
        QVERIFY(!server.requests.first().contains("Authorization:"));
    }

    // A refusal carries the server's code and words; an HTML page where the client's JSON was
    // expected is no client.
    void refusalsAndBadAnswers()
    {
        testhttp::CannedServer refused(testhttp::jsonResponse(
            400, R"({"error":"invalid_redirect_uri","error_description":"redirect_uris must )"
                 R"(not contain fragments"})"));
        QList<HttpExchange> exchanges;
        auto outcome = run(
            [&](ClientRegistration &registration, QString *error) {
                return registration.registerClient(refused.url("/register"), {}, {}, error);
            },
            &exchanges);
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("invalid_redirect_uri"));
        QVERIFY(outcome.details.join('\n').contains("must not contain fragments"));
        QCOMPARE(exchanges.size(), 1);
        QCOMPARE(exchanges.first().status, 400);

        testhttp::CannedServer html(
            testhttp::jsonResponse(200, "<html><body><h1>Welcome</h1></body></html>", "text/html"));
        outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.registerClient(html.url("/register"), {}, {}, error);
        });
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("not with a usable client"));
        QVERIFY(outcome.details.join('\n').contains("HTML page"));

        // Nothing listens: no answer, said plainly.
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.registerClient(
                QUrl(QStringLiteral("http://127.0.0.1:%1/register").arg(closedPort)), {}, {},
                error);
        });
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("no answer"));
    }

    void badEndpointIsNotSent()
    {
        const auto outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.registerClient(QUrl("ftp://as.example.test/reg"), {}, {}, error);
        });
        QVERIFY(outcome.summary.startsWith("not sent: The registration endpoint must be"));
    }

    // Read, update and delete use the registration access token at the client's URI; the update
    // sends the whole metadata with client_id and without what the server manages.
    void managementRequests()
    {
        testhttp::CannedServer server(testhttp::jsonResponse(200, kRegistered));
        server.route("/reg/c-123", testhttp::jsonResponse(200, kRegistered));
        const ClientConfig config = registeredConfig(server);
        auto outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.read(config, error);
        });
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        QVERIFY(server.requests.last().startsWith("GET /reg/c-123 HTTP/1.1\r\n"));
        QVERIFY(server.requests.last().contains("\r\nAuthorization: Bearer rat-1\r\n"));

        QJsonObject metadata = QJsonDocument::fromJson(kRegistered).object();
        metadata.insert("client_name", "renamed");
        outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.update(config, metadata, error);
        });
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        const QByteArray put = server.requests.last();
        QVERIFY(put.startsWith("PUT /reg/c-123 HTTP/1.1\r\n"));
        const QJsonObject sent =
            QJsonDocument::fromJson(put.mid(put.indexOf("\r\n\r\n") + 4)).object();
        QCOMPARE(sent.value("client_id").toString(), QStringLiteral("c-123"));
        QCOMPARE(sent.value("client_name").toString(), QStringLiteral("renamed"));
        for (const char *managed : {"registration_access_token", "registration_client_uri",
                                    "client_secret_expires_at", "client_id_issued_at"})
            QVERIFY2(!sent.contains(managed), managed);

        testhttp::CannedServer deleting("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.remove(registeredConfig(deleting), error);
        });
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        QVERIFY(deleting.requests.last().startsWith("DELETE /reg/c-123 HTTP/1.1\r\n"));
        QVERIFY(!outcome.client);
    }

    // A 401 on a management request says what it likely means; a client without a registration
    // sends nothing.
    void managementRefusals()
    {
        testhttp::CannedServer server(testhttp::jsonResponse(
            401, R"({"error":"invalid_token","error_description":"invalid token provided"})"));
        const auto outcome = run([&](ClientRegistration &registration, QString *error) {
            return registration.read(registeredConfig(server), error);
        });
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.details.join('\n').contains("rotated on an update"));

        ClientConfig unregistered;
        unregistered.clientId = QStringLiteral("c-1");
        const auto notSent = run([&](ClientRegistration &registration, QString *error) {
            return registration.read(unregistered, error);
        });
        QVERIFY(notSent.summary.contains("no registration to manage"));
    }
};

QTEST_GUILESS_MAIN(TestClientRegistration)
#include "tst_clientregistration.moc"
