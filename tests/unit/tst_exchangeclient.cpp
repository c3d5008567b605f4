#include "core/http/ExchangeClient.h"

#include "TestHttp.h"

#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::CannedServer;
using testhttp::jsonResponse;

Q_DECLARE_METATYPE(workbench::HttpExchange)

class TestExchangeClient : public QObject
{
    Q_OBJECT

    static HttpExchange sendAndWait(ExchangeClient &client, const HttpRequestSpec &request)
    {
        PendingExchange *pending = client.send(request, QStringLiteral("test"));
        QSignalSpy finished(pending, &PendingExchange::finished);
        if (!finished.wait(10000))
            return {};
        return finished.first().first().value<HttpExchange>();
    }

private slots:
    void initTestCase() { qRegisterMetaType<HttpExchange>(); }

    void recordsWhatGoesOnTheWire()
    {
        CannedServer server(jsonResponse(200, "{\"access_token\":\"at\"}"));
        ExchangeClient client;
        HttpRequestSpec request;
        request.method = "POST";
        request.url = server.url("/token");
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setHeader("Authorization", "Basic eDp5");
        request.body = "grant_type=authorization_code&code=a%2Bb";
        const HttpExchange exchange = sendAndWait(client, request);

        QCOMPARE(exchange.status, 200);
        QCOMPARE(exchange.reasonPhrase, QByteArray("X"));
        QCOMPARE(exchange.responseBody, QByteArray("{\"access_token\":\"at\"}"));
        QCOMPARE(exchange.responseHeader("content-type"), QByteArray("application/json"));
        QVERIFY(exchange.networkError.isEmpty());
        QVERIFY(exchange.elapsedMs >= 0);
        QVERIFY(exchange.startedAt.isValid());

        QCOMPARE(server.requests.size(), 1);
        const QByteArray wire = server.requests.first();
        const qsizetype headEnd = wire.indexOf("\r\n\r\n");
        QCOMPARE(wire.mid(headEnd + 4), request.body);
        QVERIFY(wire.startsWith("POST /token HTTP/1.1\r\n"));
        QCOMPARE(exchange.requestLine(), QByteArray("POST /token HTTP/1.1"));
        // Every header that went on the wire is in the record, with the same value.
        const QList<QByteArray> lines = wire.left(headEnd).split('\n').mid(1);
        for (QByteArray line : lines) {
            line = line.trimmed();
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon);
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name.compare("Host", Qt::CaseInsensitive) == 0)
                continue;
            QVERIFY2(exchange.request.header(name) == value,
                     qPrintable("not recorded as sent: " + line));
        }
        QVERIFY(exchange.rawRequest().contains("Host: 127.0.0.1:"));
        QVERIFY(exchange.rawResponse().startsWith("HTTP/1.1 200 X\r\n"));
    }

    void errorStatusIsAResponseNotAFailure()
    {
        CannedServer server(jsonResponse(401, "{\"error\":\"invalid_client\"}"));
        ExchangeClient client;
        HttpRequestSpec request;
        request.method = "POST";
        request.url = server.url("/token");
        request.body = "x=1";
        const HttpExchange exchange = sendAndWait(client, request);
        QCOMPARE(exchange.status, 401);
        QVERIFY(exchange.networkError.isEmpty());
        QCOMPARE(exchange.responseBody, QByteArray("{\"error\":\"invalid_client\"}"));
    }

    void redirectsAreNotFollowed()
    {
        CannedServer server("HTTP/1.1 302 Found\r\nLocation: https://elsewhere.invalid/\r\n"
                            "Content-Length: 0\r\nConnection: close\r\n\r\n");
        ExchangeClient client;
        HttpRequestSpec request;
        request.url = server.url("/token");
        const HttpExchange exchange = sendAndWait(client, request);
        QCOMPARE(exchange.status, 302);
        QCOMPARE(exchange.responseHeader("Location"), QByteArray("https://elsewhere.invalid/"));
    }

    void connectionRefusedIsRecorded()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        ExchangeClient client;
        HttpRequestSpec request;
        request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(port));
        const HttpExchange exchange = sendAndWait(client, request);
        QCOMPARE(exchange.status, 0);
        QVERIFY(!exchange.hasResponse());
        QVERIFY(!exchange.networkError.isEmpty());
        QVERIFY(exchange.rawResponse().isEmpty());
        QCOMPARE(exchange.transport, HttpExchange::Transport::ConnectionRefused);
    }

    void silentServerTimesOut()
    {
        CannedServer server("");
        server.setSilent(true);
        ExchangeClient client;
        client.setTimeoutMs(300);
        HttpRequestSpec request;
        request.url = server.url("/token");
        const HttpExchange exchange = sendAndWait(client, request);
        QCOMPARE(exchange.status, 0);
        QVERIFY(!exchange.networkError.isEmpty());
        QCOMPARE(exchange.transport, HttpExchange::Transport::Timeout);
    }

    void tlsFailureIsRecordedAsTls()
    {
        // A plain-text server behind an https:// URL: the TLS handshake cannot succeed.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QTcpServer::newConnection, &server, [&server] {
            QTcpSocket *socket = server.nextPendingConnection();
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            socket->disconnectFromHost();
        });
        ExchangeClient client;
        HttpRequestSpec request;
        request.url = QUrl(QStringLiteral("https://127.0.0.1:%1/token").arg(server.serverPort()));
        const HttpExchange exchange = sendAndWait(client, request);
        QCOMPARE(exchange.status, 0);
        QVERIFY(!exchange.networkError.isEmpty());
        QCOMPARE(exchange.transport, HttpExchange::Transport::Tls);
    }

    void cancelIsNotATimeout()
    {
        CannedServer server("");
        server.setSilent(true);
        ExchangeClient client;
        HttpRequestSpec request;
        request.url = server.url("/token");
        PendingExchange *pending = client.send(request, QStringLiteral("test"));
        QSignalSpy finished(pending, &PendingExchange::finished);
        QTRY_VERIFY(!server.requests.isEmpty()); // the request has reached the server
        pending->abort();
        QVERIFY(finished.size() == 1 || finished.wait(5000));
        const auto exchange = finished.first().first().value<HttpExchange>();
        QCOMPARE(exchange.transport, HttpExchange::Transport::Other);
        QVERIFY(exchange.networkError.contains("Cancelled"));
    }

    void hugeBodyIsCutAtTheLimit()
    {
        CannedServer server(jsonResponse(200, QByteArray(200000, 'x'), "text/plain"));
        ExchangeClient client;
        client.setMaxBodyBytes(1000);
        HttpRequestSpec request;
        request.url = server.url("/big");
        const HttpExchange exchange = sendAndWait(client, request);
        QCOMPARE(exchange.status, 200);
        QVERIFY(exchange.responseBodyTruncated);
        QCOMPARE(exchange.responseBody.size(), 1000);
        QVERIFY(exchange.networkError.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestExchangeClient)
#include "tst_exchangeclient.moc"
