// A profile's TLS settings against a real TLS handshake: a server whose certificate the system
// does not trust is refused by default, accepted with its CA bundle or with verification off, and
// mutual TLS sends the client certificate the server asks for.
#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"

#include "TestTls.h"

#include <QSignalSpy>
#include <QTest>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::HttpExchange)

class TestTlsOptions : public QObject
{
    Q_OBJECT

    testtls::Identity m_server = testtls::makeIdentity("127.0.0.1");
    testtls::Identity m_client = testtls::makeIdentity("workbench-client");
    QTemporaryDir m_dir;

    static HttpExchange post(ExchangeClient &client, const QUrl &url)
    {
        HttpRequestSpec request;
        request.method = "POST";
        request.url = url;
        request.body = "grant_type=client_credentials";
        PendingExchange *pending = client.send(request, "tls");
        QSignalSpy finished(pending, &PendingExchange::finished);
        if (!finished.wait(10000))
            return {};
        return finished.first().first().value<HttpExchange>();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<HttpExchange>();
        QVERIFY(QSslSocket::supportsSsl());
    }

    void untrustedServerIsRefusedByDefault()
    {
        testtls::Server server(m_server);
        ExchangeClient client;
        const HttpExchange exchange = post(client, server.url());
        QVERIFY(!exchange.hasResponse());
        QCOMPARE(exchange.transport, HttpExchange::Transport::Tls);
        QVERIFY2(exchange.tlsErrors.join(' ').contains("self", Qt::CaseInsensitive),
                 qPrintable(exchange.tlsErrors.join('\n')));
        QCOMPARE(server.requests, 0);
    }

    void caBundleMakesItTrusted()
    {
        testtls::Server server(m_server);
        ExchangeClient client;
        TlsOptions tls;
        tls.caBundlePath = testtls::writeFile(m_dir, "ca.pem", m_server.certificatePem);
        QVERIFY(client.setTlsOptions(tls));
        const HttpExchange exchange = post(client, server.url());
        QVERIFY2(exchange.status == 200,
                 qPrintable(exchange.networkError + exchange.tlsErrors.join('\n')));
        QVERIFY(exchange.tlsErrors.isEmpty());
        QCOMPARE(server.requests, 1);
    }

    void skippingVerificationAcceptsAnyCertificate()
    {
        testtls::Server server(m_server);
        ExchangeClient client;
        TlsOptions tls;
        tls.skipVerification = true;
        QVERIFY(client.setTlsOptions(tls));
        QCOMPARE(post(client, server.url()).status, 200);
        // Back to the defaults: refused again.
        QVERIFY(client.setTlsOptions(TlsOptions{}));
        QVERIFY(!client.hasCustomTls());
        QCOMPARE(post(client, server.url()).transport, HttpExchange::Transport::Tls);
    }

    void mutualTlsSendsTheClientCertificate()
    {
        testtls::Server server(m_server, &m_client);
        ExchangeClient client;
        TlsOptions tls;
        tls.caBundlePath = testtls::writeFile(m_dir, "server-ca.pem", m_server.certificatePem);
        QVERIFY(client.setTlsOptions(tls));
        // Without a client certificate the server ends the handshake.
        QVERIFY(!post(client, server.url()).hasResponse());
        tls.clientCertificatePath =
            testtls::writeFile(m_dir, "client.crt", m_client.certificatePem);
        tls.clientKeyPath = testtls::writeFile(m_dir, "client.key", m_client.keyPem);
        QVERIFY(client.setTlsOptions(tls));
        const HttpExchange exchange = post(client, server.url());
        QVERIFY2(exchange.status == 200,
                 qPrintable(exchange.networkError + exchange.tlsErrors.join('\n')));
        QCOMPARE(server.peerCertificate, m_client.certificate());

        // tls_client_auth (RFC 8705 §2): the certificate authenticates; the body names the client.
        ClientConfig config;
        config.grant = GrantType::ClientCredentials;
        config.tokenEndpoint = server.url();
        config.clientId = "mtls-client";
        config.authMethod = ClientAuthMethod::TlsClientAuth;
        QVERIFY(config.validate().join(' ').contains("client certificate"));
        config.tls = tls;
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));
        const HttpRequestSpec request = *TokenRequest::forGrant(config);
        QVERIFY(request.header("Authorization").isEmpty());
        QCOMPARE(FormEncoding::value(FormEncoding::decode(request.body), "client_id"),
                 QStringLiteral("mtls-client"));
        QVERIFY(!FormEncoding::contains(FormEncoding::decode(request.body), "client_secret"));
    }

    void unreadableFilesAreExplained_data()
    {
        QTest::addColumn<QString>("ca");
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing CA bundle") << "/nonexistent/ca.pem"
                                           << ""
                                           << ""
                                           << "CA bundle";
        QTest::newRow("CA bundle is not PEM") << "garbage"
                                              << ""
                                              << ""
                                              << "CA bundle";
        QTest::newRow("certificate without key") << ""
                                                 << "client.crt"
                                                 << "/nonexistent.key"
                                                 << "cannot be read";
        QTest::newRow("key is not a key") << ""
                                          << "client.crt"
                                          << "garbage"
                                          << "not an unencrypted";
    }
    void unreadableFilesAreExplained()
    {
        QFETCH(QString, ca);
        QFETCH(QString, certificate);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const QString garbage = testtls::writeFile(m_dir, "garbage", "not pem at all");
        const QString crt = testtls::writeFile(m_dir, "client.crt", m_client.certificatePem);
        const auto resolve = [&](const QString &value) {
            return value == "garbage" ? garbage : value == "client.crt" ? crt : value;
        };
        TlsOptions tls;
        tls.caBundlePath = resolve(ca);
        tls.clientCertificatePath = resolve(certificate);
        tls.clientKeyPath = resolve(key);
        ExchangeClient client;
        QString problem;
        QVERIFY(!client.setTlsOptions(tls, &problem));
        QVERIFY2(problem.contains(expected), qPrintable(problem));
        QVERIFY(!client.hasCustomTls()); // the previous (default) settings stay
    }
};

QTEST_GUILESS_MAIN(TestTlsOptions)
#include "tst_tlsoptions.moc"
