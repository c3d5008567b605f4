#include "core/listener/HttpRequestParser.h"

#include <QTest>

using namespace workbench;

class TestHttpRequestParser : public QObject
{
    Q_OBJECT
private slots:
    void completeRequests_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("get") << QByteArray(
                                    "GET /callback?code=a&state=b HTTP/1.1\r\nHost: x\r\n\r\n")
                             << QByteArray("GET") << QByteArray("/callback")
                             << QByteArray("code=a&state=b") << QByteArray();
        QTest::newRow("http/1.0 without headers")
            << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET") << QByteArray("/")
            << QByteArray() << QByteArray();
        QTest::newRow("form post")
            << QByteArray("POST /cb HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                          "Content-Length: 11\r\n\r\ncode=abc&x=")
            << QByteArray("POST") << QByteArray("/cb") << QByteArray() << QByteArray("code=abc&x=");
    }
    void completeRequests()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, body);
        // Whole, and one byte at a time: the result must not depend on how TCP splits it.
        for (const bool byteByByte : {false, true}) {
            HttpRequestParser parser;
            HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
            if (byteByByte) {
                for (qsizetype i = 0; i < raw.size(); ++i) {
                    QCOMPARE(status, HttpRequestParser::Status::NeedMore);
                    status = parser.feed(raw.mid(i, 1));
                }
            } else {
                status = parser.feed(raw);
            }
            QCOMPARE(status, HttpRequestParser::Status::Complete);
            QCOMPARE(parser.request().method, method);
            QCOMPARE(parser.request().path(), path);
            QCOMPARE(parser.request().query(), query);
            QCOMPARE(parser.request().body, body);
            QCOMPARE(parser.request().raw, raw);
        }
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\r\n\r\n", 11) << 400;
        QTest::newRow("two tokens") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("absolute target") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\n") << 400;
        QTest::newRow("http/3") << QByteArray("GET / HTTP/3.0\r\n\r\n") << 505;
        QTest::newRow("no version") << QByteArray("GET / FTP\r\n\r\n") << 400;
        QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("header without colon")
            << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << 400;
        QTest::newRow("space before colon")
            << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\r\n\r\n") << 400;
        QTest::newRow("control char in target") << QByteArray("GET /\x01 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("negative length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n") << 400;
        QTest::newRow("non-numeric length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            << 400;
        QTest::newRow("chunked") << QByteArray(
                                        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << 501;
        QTest::newRow("body too large")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n") << 413;
        QTest::newRow("head too large")
            << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(20000, 'a') + "\r\n\r\n"
            << 431;
        QTest::newRow("endless head") << QByteArray("GET /") + QByteArray(20000, 'a') << 431;
        QTest::newRow("endless method") << QByteArray(20000, 'A') << 400;
    }
    void malformedRequests()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        HttpRequestParser parser;
        QCOMPARE(parser.feed(raw), HttpRequestParser::Status::Failed);
        QCOMPARE(parser.errorStatus(), status);
        QVERIFY(!parser.errorReason().isEmpty());
        QVERIFY(parser.received().size() <= HttpRequestParser::Limits{}.maxHeaderBytes);
        // Once failed it stays failed, whatever follows.
        QCOMPARE(parser.feed("GET / HTTP/1.1\r\n\r\n"), HttpRequestParser::Status::Failed);
    }

    // Bytes that cannot start a request are refused at once, not after a head that never comes:
    // a TLS ClientHello (https:// to a plain-HTTP port) is named as such.
    void nonHttpIsRefusedAtOnce()
    {
        HttpRequestParser tls;
        QCOMPARE(tls.feed(QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)),
                 HttpRequestParser::Status::Failed);
        QCOMPARE(tls.errorStatus(), 400);
        QVERIFY(tls.errorReason().contains("TLS"));
        HttpRequestParser binary;
        QCOMPARE(binary.feed(QByteArray("\x00\x01\x02", 3)), HttpRequestParser::Status::Failed);
        // Still waiting while the bytes can be a request, one at a time; empty lines first are
        // fine.
        HttpRequestParser slow;
        for (const char c : QByteArray("\r\nPOST"))
            QCOMPARE(slow.feed(QByteArray(1, c)), HttpRequestParser::Status::NeedMore);
        QCOMPARE(slow.feed(" /x?a=<b> HTTP/1.1\r\n"), HttpRequestParser::Status::NeedMore);
    }

    void limitsAreConfigurable()
    {
        HttpRequestParser::Limits limits;
        limits.maxHeaderBytes = 64;
        limits.maxBodyBytes = 4;
        HttpRequestParser small(limits);
        QCOMPARE(small.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"),
                 HttpRequestParser::Status::Failed);
        QCOMPARE(small.errorStatus(), 413);
        HttpRequestParser tiny(limits);
        QCOMPARE(tiny.feed("GET / HTTP/1.1\r\nX: " + QByteArray(80, 'x') + "\r\n\r\n"),
                 HttpRequestParser::Status::Failed);
        QCOMPARE(tiny.errorStatus(), 431);
    }

    void bytesAfterTheBodyAreIgnored()
    {
        HttpRequestParser parser;
        QCOMPARE(parser.feed("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nabEXTRA"),
                 HttpRequestParser::Status::Complete);
        QCOMPARE(parser.request().body, QByteArray("ab"));
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
