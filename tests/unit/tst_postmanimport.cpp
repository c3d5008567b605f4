#include "core/storage/PostmanImport.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace workbench;

class TestPostmanImport : public QObject
{
    Q_OBJECT

    static QByteArray collection()
    {
        QFile file(
            QStringLiteral(WORKBENCH_TEST_DATA "/postman/team-apis.postman_collection.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    // A collection with OAuth 2.0 at its top, on a folder, repeated on a request, in v2.0's
    // object form on another, and a request with no OAuth at all.
    void everyOAuthBlockBecomesAProfile()
    {
        const PostmanImport::Result result = PostmanImport::fromJson(collection());
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.profiles.size(), 3); // the request repeating its folder counts once

        const PostmanImport::Imported &web = result.profiles.at(0);
        QCOMPARE(web.source, QStringLiteral("Team APIs"));
        const ClientConfig &c = web.profile.config;
        QCOMPARE(c.grant, GrantType::AuthorizationCode);
        QVERIFY(c.usePkce);
        QCOMPARE(c.pkceMethod, Pkce::Method::S256);
        QCOMPARE(c.authorizationEndpoint, QUrl("https://login.example.test/oauth2/authorize"));
        QCOMPARE(c.tokenEndpoint, QUrl("https://login.example.test/oauth2/token"));
        QCOMPARE(c.clientId, QStringLiteral("web-portal")); // from the collection's variables
        QCOMPARE(c.authMethod, ClientAuthMethod::ClientSecretBasic);
        QCOMPARE(c.scope, QStringLiteral("openid profile orders:read"));
        QCOMPARE(c.redirectUri, QUrl("http://127.0.0.1:8765/callback"));
        QCOMPARE(c.audience, QStringLiteral("https://api.example.test/orders"));
        QCOMPARE(c.extraAuthorizationParameters,
                 (FormFields{{"audience", "https://api.example.test/orders"}})); // disabled: out
        QCOMPARE(c.extraTokenParameters, (FormFields{{"resource", "https://api.example.test/"}}));
        QVERIFY(c.clientSecret.isEmpty()); // secrets travel apart
        QCOMPARE(web.secrets.value("client_secret"), QStringLiteral("postman-secret-4f1d"));

        const PostmanImport::Imported &backOffice = result.profiles.at(1);
        QCOMPARE(backOffice.source, QStringLiteral("Team APIs / Back office"));
        QCOMPARE(backOffice.profile.config.grant, GrantType::ClientCredentials);
        QCOMPARE(backOffice.profile.config.authMethod, ClientAuthMethod::ClientSecretPost);
        QCOMPARE(backOffice.secrets.value("client_secret"),
                 QStringLiteral("backoffice-secret-77aa"));

        const PostmanImport::Imported &legacy = result.profiles.at(2);
        QCOMPARE(legacy.source, QStringLiteral("Team APIs / Back office / Legacy login"));
        QCOMPARE(legacy.profile.config.grant, GrantType::Password);
        QCOMPARE(legacy.profile.config.username, QStringLiteral("alice"));
        QCOMPARE(legacy.profile.config.authMethod, ClientAuthMethod::None);
        // {{alice_password}} is not defined in the collection: kept as typed, and said so.
        QCOMPARE(legacy.secrets.value("password"), QStringLiteral("{{alice_password}}"));

        // What did not carry over is said, each once.
        const QString warnings = result.warnings.join('\n');
        QVERIFY2(warnings.contains("alice_password"), qPrintable(warnings));
        QVERIFY(warnings.contains("fixed state"));
        QVERIFY(warnings.contains("X-Tenant"));
        QCOMPARE(result.warnings.filter("alice_password").size(), 1);

        // The profiles' JSON holds no secret.
        for (const auto &imported : result.profiles) {
            const QByteArray json = QJsonDocument(imported.profile.toJson()).toJson();
            QVERIFY(!json.contains("postman-secret-4f1d"));
            QVERIFY(!json.contains("backoffice-secret-77aa"));
        }
    }

    void nonLoopbackRedirectIsReplacedAndSaid()
    {
        const QByteArray json =
            "{\"info\":{\"name\":\"C\",\"schema\":\"https://schema.getpostman.com/json/collection/"
            "v2.1.0/collection.json\"},\"item\":[],\"auth\":{\"type\":\"oauth2\",\"oauth2\":["
            "{\"key\":\"authUrl\",\"value\":\"https://id.example.test/authorize\"},"
            "{\"key\":\"accessTokenUrl\",\"value\":\"https://id.example.test/token\"},"
            "{\"key\":\"clientId\",\"value\":\"c\"},"
            "{\"key\":\"redirect_uri\",\"value\":\"https://app.example.test/cb\"}]}}";
        const PostmanImport::Result result = PostmanImport::fromJson(json);
        QCOMPARE(result.profiles.size(), 1);
        const ClientConfig &c = result.profiles.first().profile.config;
        QCOMPARE(c.grant, GrantType::AuthorizationCode);
        QVERIFY(!c.usePkce); // Postman's plain code grant
        QCOMPARE(c.redirectUri, ClientConfig().redirectUri);
        QVERIFY(result.warnings.join('\n').contains("https://app.example.test/cb"));
    }

    void badInputIsRefusedClearly_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("says");
        QTest::newRow("html") << QByteArray("<!DOCTYPE html><html></html>")
                              << "not a Postman collection";
        QTest::newRow("empty") << QByteArray() << "not a Postman collection";
        QTest::newRow("array") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("other json") << QByteArray("{\"profiles\":[]}") << "no info and item";
        QTest::newRow("no oauth") << QByteArray("{\"info\":{\"name\":\"x\"},\"item\":[{\"name\":"
                                                "\"r\",\"request\":{\"auth\":{\"type\":"
                                                "\"bearer\"}}}]}")
                                  << "no OAuth 2.0 settings";
    }
    void badInputIsRefusedClearly()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, says);
        const PostmanImport::Result result = PostmanImport::fromJson(input);
        QVERIFY(result.profiles.isEmpty());
        QVERIFY2(result.error.contains(says), qPrintable(result.error));
    }
};

QTEST_MAIN(TestPostmanImport)
#include "tst_postmanimport.moc"
