#include "core/discovery/ProviderDiscovery.h"
#include "core/http/ExchangeClient.h"

#include "TestHttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::CannedServer;
using testhttp::jsonResponse;

Q_DECLARE_METATYPE(workbench::ProviderMetadata)

class TestProviderDiscovery : public QObject
{
    Q_OBJECT

    static QByteArray document(const QString &issuer, bool s256 = true)
    {
        QJsonObject object{
            {"issuer", issuer},
            {"authorization_endpoint", issuer + "/authorize"},
            {"token_endpoint", issuer + "/token"},
            {"jwks_uri", issuer + "/jwks"},
            {"authorization_response_iss_parameter_supported", true},
            {"request_object_encryption_alg_values_supported", QJsonArray{"RSA-OAEP-256", "dir"}},
            {"request_object_encryption_enc_values_supported", QJsonArray{"A256GCM"}}};
        if (s256)
            object.insert("code_challenge_methods_supported", QJsonArray{"S256"});
        return QJsonDocument(object).toJson();
    }
    static QString root(const CannedServer &server)
    {
        return QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort());
    }

private slots:
    void initTestCase() { qRegisterMetaType<ProviderMetadata>(); }

    void candidateUrls_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("urls");
        QTest::newRow("host") << "https://as.example"
                              << QStringList{
                                     "https://as.example/.well-known/openid-configuration",
                                     "https://as.example/.well-known/oauth-authorization-server"};
        QTest::newRow("path")
            << "https://as.example/tenant/v2"
            << QStringList{"https://as.example/tenant/v2/.well-known/openid-configuration",
                           "https://as.example/.well-known/oauth-authorization-server/tenant/v2"};
        QTest::newRow("trailing slash")
            << "https://as.example/t/"
            << QStringList{"https://as.example/t/.well-known/openid-configuration",
                           "https://as.example/.well-known/oauth-authorization-server/t"};
        QTest::newRow("document itself")
            << "https://as.example/.well-known/openid-configuration"
            << QStringList{"https://as.example/.well-known/openid-configuration"};
    }
    void candidateUrls()
    {
        QFETCH(QString, input);
        QFETCH(QStringList, urls);
        QStringList got;
        for (const QUrl &url : ProviderDiscovery::candidateUrls(QUrl(input)))
            got << url.toString();
        QCOMPARE(got, urls);
    }

    void metadataParsing_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("usable");
        QTest::addColumn<QString>("problem");
        QTest::newRow("good") << document("https://as.example") << true << "";
        QTest::newRow("html") << QByteArray("<html>Login</html>") << false << "not a JSON object";
        QTest::newRow("array") << QByteArray("[]") << false << "not an object";
        QTest::newRow("no issuer")
            << QByteArray("{\"token_endpoint\":\"https://a/t\"}") << false << "no \"issuer\"";
        QTest::newRow("no endpoints") << QByteArray("{\"issuer\":\"https://a\"}") << false
                                      << "neither an authorization nor a token endpoint";
    }
    void metadataParsing()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, usable);
        QFETCH(QString, problem);
        QStringList problems;
        const auto metadata = ProviderMetadata::fromJson(json, &problems);
        QCOMPARE(metadata.has_value(), usable);
        if (!usable)
            QVERIFY2(problems.join(' ').contains(problem), qPrintable(problems.join(' ')));
        else
            QCOMPARE(metadata->tokenEndpoint, QUrl("https://as.example/token"));
    }

    void warnings_data()
    {
        QTest::addColumn<QString>("documentIssuer");
        QTest::addColumn<QString>("entered");
        QTest::addColumn<bool>("s256");
        QTest::addColumn<QString>("warning");
        QTest::newRow("all fine") << "https://as.example"
                                  << "https://as.example" << true << "";
        QTest::newRow("other issuer")
            << "https://evil.example"
            << "https://as.example" << true << "not the URL it was fetched for";
        QTest::newRow("trailing slash") << "https://as.example/"
                                        << "https://as.example" << true << "trailing slash";
        QTest::newRow("no S256") << "https://as.example"
                                 << "https://as.example" << false << "may not support PKCE";
        QTest::newRow("plain http")
            << "http://as.example"
            << "http://as.example" << true << "plain http on a non-loopback host";
    }
    void warnings()
    {
        QFETCH(QString, documentIssuer);
        QFETCH(QString, entered);
        QFETCH(bool, s256);
        QFETCH(QString, warning);
        const auto metadata = ProviderMetadata::fromJson(document(documentIssuer, s256), nullptr);
        QVERIFY(metadata);
        const QStringList warnings = metadata->warningsFor(entered);
        if (warning.isEmpty())
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        else
            QVERIFY2(warnings.join('\n').contains(warning), qPrintable(warnings.join('\n')));
    }

    void discoversFromTheOpenIdLocation()
    {
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/.well-known/openid-configuration",
                     jsonResponse(200, document(root(server))));
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy discovered(&discovery, &ProviderDiscovery::discovered);
        QSignalSpy recorded(&discovery, &ProviderDiscovery::exchangeRecorded);
        discovery.discover(QUrl(root(server)));
        QVERIFY(discovered.wait(5000));
        const auto metadata = discovered.first().at(0).value<ProviderMetadata>();
        QCOMPARE(metadata.authorizationEndpoint, QUrl(root(server) + "/authorize"));
        QVERIFY(metadata.issParameterSupported);
        ClientConfig config;
        metadata.applyTo(&config);
        QCOMPARE(config.requestObjectEncryptionAlgorithms, QStringList({"RSA-OAEP-256", "dir"}));
        QCOMPARE(config.requestObjectEncryptionEncodings, QStringList{"A256GCM"});
        QVERIFY(discovered.first().at(1).toStringList().isEmpty());
        QCOMPARE(recorded.size(), 1);
    }

    void fallsBackToRfc8414()
    {
        CannedServer server(jsonResponse(404, "{\"error\":\"not_found\"}"));
        server.route("/.well-known/oauth-authorization-server/tenant",
                     jsonResponse(200, document(root(server) + "/tenant")));
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy discovered(&discovery, &ProviderDiscovery::discovered);
        QSignalSpy recorded(&discovery, &ProviderDiscovery::exchangeRecorded);
        discovery.discover(QUrl(root(server) + "/tenant"));
        QVERIFY(discovered.wait(5000));
        QCOMPARE(recorded.size(), 2);
        QCOMPARE(discovered.first().at(0).value<ProviderMetadata>().issuer,
                 root(server) + "/tenant");
    }

    static QByteArray redirectTo(int status, const QByteArray &location)
    {
        return "HTTP/1.1 " + QByteArray::number(status) + " Moved\r\nLocation: " + location +
               "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }

    // A provider answering the well-known URL with 301 to its trailing-slash form: followed,
    // each hop recorded, and the warning names the URL to use.
    void followsRedirectsAndSaysWhichUrlToUse()
    {
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/.well-known/openid-configuration",
                     redirectTo(301, "/.well-known/openid-configuration/"));
        server.route("/.well-known/openid-configuration/",
                     jsonResponse(200, document(root(server))));
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy discovered(&discovery, &ProviderDiscovery::discovered);
        QSignalSpy recorded(&discovery, &ProviderDiscovery::exchangeRecorded);
        discovery.discover(QUrl(root(server)));
        QVERIFY(discovered.wait(5000));
        QCOMPARE(recorded.size(), 2);
        QCOMPARE(recorded.at(0).first().value<HttpExchange>().status, 301);
        QCOMPARE(recorded.at(1).first().value<HttpExchange>().request.url,
                 QUrl(root(server) + "/.well-known/openid-configuration/"));
        QCOMPARE(discovered.first().at(0).value<ProviderMetadata>().issuer, root(server));
        const QStringList warnings = discovered.first().at(1).toStringList();
        QVERIFY(!warnings.isEmpty());
        QVERIFY2(warnings.first().contains("after 1 redirect(s)") &&
                     warnings.first().contains("use " + root(server) +
                                               "/.well-known/openid-configuration/ as the "
                                               "metadata URL"),
                 qPrintable(warnings.join('\n')));
    }

    // A redirect loop ends after the limit and the next location is tried; a redirect without
    // a Location is a problem of its own.
    void redirectLoopsEnd()
    {
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/.well-known/openid-configuration",
                     redirectTo(302, "/.well-known/openid-configuration"));
        server.route("/.well-known/oauth-authorization-server",
                     "HTTP/1.1 301 Moved\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy failed(&discovery, &ProviderDiscovery::failed);
        QSignalSpy recorded(&discovery, &ProviderDiscovery::exchangeRecorded);
        discovery.discover(QUrl(root(server)));
        QVERIFY(failed.wait(5000));
        QCOMPARE(recorded.size(), 1 + ProviderDiscovery::kMaxRedirects + 1);
        const QString details = failed.first().at(1).toStringList().join('\n');
        QVERIFY2(details.contains("more than 5 redirects"), qPrintable(details));
        QVERIFY(details.contains("HTTP 301 without a Location header"));
    }

    void failsClearlyWhenNothingIsThere_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QString>("detail");
        QTest::newRow("404") << jsonResponse(404, "{}") << "HTTP 404";
        QTest::newRow("html login page")
            << jsonResponse(200, "<html><title>Sign in</title></html>", "text/html")
            << "not a JSON object";
    }
    void failsClearlyWhenNothingIsThere()
    {
        QFETCH(QByteArray, response);
        QFETCH(QString, detail);
        CannedServer server(response);
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy failed(&discovery, &ProviderDiscovery::failed);
        discovery.discover(QUrl(root(server)));
        QVERIFY(failed.wait(5000));
        const QStringList details = failed.first().at(1).toStringList();
        QCOMPARE(details.size(), 2); // both locations were tried
        QVERIFY2(details.join('\n').contains(detail), qPrintable(details.join('\n')));
    }

    void refusesANonHttpIssuer()
    {
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy failed(&discovery, &ProviderDiscovery::failed);
        discovery.discover(QUrl("ftp://as.example"));
        QCOMPARE(failed.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestProviderDiscovery)
#include "tst_providerdiscovery.moc"
