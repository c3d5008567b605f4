#include "core/export/ExchangeExport.h"
#include "core/export/Redaction.h"
#include "core/listener/LoopbackListener.h"
#include "core/storage/RunHistory.h"

#include "FileScan.h"
#include "TestHttp.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;
using testhttp::roundTrip;
using testhttp::statusOf;

Q_DECLARE_METATYPE(workbench::CapturedRedirect)
Q_DECLARE_METATYPE(workbench::RejectedRequest)

class TestLoopbackListener : public QObject
{
    Q_OBJECT

    static QByteArray get(const QByteArray &target)
    {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n";
    }
    static QByteArray bodyOf(const QByteArray &response)
    {
        return response.mid(response.indexOf("\r\n\r\n") + 4);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<CapturedRedirect>();
        qRegisterMetaType<RejectedRequest>();
    }

    void bindsLoopbackOnlyOnAnEphemeralPort()
    {
        LoopbackListener listener;
        QVERIFY2(listener.listen(), qPrintable(listener.errorString()));
        QVERIFY(listener.port() != 0);
        QCOMPARE(listener.address(), QHostAddress(QHostAddress::LocalHost));
        for (const QHostAddress &address : listener.boundAddresses())
            QVERIFY(address.isLoopback());
        QCOMPARE(listener.redirectUri(),
                 QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(listener.port())));
        QCOMPARE(listener.redirectUri(QUrl("http://localhost/x")).host(),
                 QStringLiteral("localhost"));
    }

    void ipv6LoopbackWhenAsked()
    {
        LoopbackListener listener;
        LoopbackListener::Options options;
        options.alsoIpv6 = true;
        QVERIFY(listener.listen(options));
        for (const QHostAddress &address : listener.boundAddresses())
            QVERIFY2(address.isLoopback(), qPrintable(address.toString()));
    }

    void fixedPortAndPortInUse()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = occupier.serverPort();

        LoopbackListener blocked;
        LoopbackListener::Options options;
        options.port = taken;
        QVERIFY(!blocked.listen(options));
        QVERIFY(blocked.errorString().contains(QString::number(taken)));

        occupier.close();
        LoopbackListener fixed;
        QVERIFY2(fixed.listen(options), qPrintable(fixed.errorString()));
        QCOMPARE(fixed.port(), taken);
    }

    void stateChecks_data()
    {
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<int>("check");
        QTest::addColumn<QByteArray>("page");
        QTest::newRow("matched") << QByteArray("s123") << QByteArray("code=c&state=s123")
                                 << int(CapturedRedirect::StateCheck::Matched)
                                 << QByteArray("data-workbench-page=\"ok\"");
        QTest::newRow("mismatched") << QByteArray("s123") << QByteArray("code=c&state=s124")
                                    << int(CapturedRedirect::StateCheck::Mismatched)
                                    << QByteArray("data-workbench-page=\"warning\"");
        QTest::newRow("prefix is not a match")
            << QByteArray("s123") << QByteArray("code=c&state=s12")
            << int(CapturedRedirect::StateCheck::Mismatched)
            << QByteArray("data-workbench-page=\"warning\"");
        QTest::newRow("missing") << QByteArray("s123") << QByteArray("code=c")
                                 << int(CapturedRedirect::StateCheck::Missing)
                                 << QByteArray("data-workbench-page=\"warning\"");
        QTest::newRow("not checked")
            << QByteArray() << QByteArray("code=c") << int(CapturedRedirect::StateCheck::NotChecked)
            << QByteArray("data-workbench-page=\"ok\"");
    }
    void stateChecks()
    {
        QFETCH(QByteArray, expected);
        QFETCH(QByteArray, query);
        QFETCH(int, check);
        QFETCH(QByteArray, page);
        LoopbackListener listener;
        QVERIFY(listener.listen());
        listener.setExpectedState(expected);
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        const QByteArray response = roundTrip(listener.port(), get("/callback?" + query));
        // What cannot be the response is refused (the flow waits on).
        const bool refused = check == int(CapturedRedirect::StateCheck::Mismatched) ||
                             check == int(CapturedRedirect::StateCheck::Missing);
        QCOMPARE(statusOf(response), refused ? 400 : 200);
        QVERIFY2(response.contains(page), response.constData());
        QCOMPARE(response.contains("Request refused"), refused);
        QCOMPARE(captured.size(), 1);
        const auto redirect = captured.first().first().value<CapturedRedirect>();
        QCOMPARE(int(redirect.stateCheck), check);
        QCOMPARE(redirect.value("code"), QStringLiteral("c"));
        QCOMPARE(redirect.rawRequest, get("/callback?" + query));
    }

    // The browser sends its cookies for 127.0.0.1 with the callback: another local application's
    // session (cookies are not scoped by port). They are masked on screen until revealed, and
    // never reach the history or a HAR export.
    void callbackCookiesAreTreatedAsSecrets()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        listener.setExpectedState("s1");
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        const QByteArray cookie = "sid=other-apps-session-7f3a; theme=dark";
        roundTrip(listener.port(), "GET /callback?code=c&state=s1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Cookie: " +
                                       cookie + "\r\n\r\n");
        QCOMPARE(captured.size(), 1);
        const HttpExchange callback = captured.first().first().value<CapturedRedirect>().exchange;
        QVERIFY(callback.wireRequest.contains(cookie)); // recorded as it arrived

        // On screen: masked, with a marker the app can show again.
        const HttpExchange masked = Redaction::redact({callback}, Redaction::Style::Masked).first();
        QVERIFY(!masked.wireRequest.contains("other-apps-session"));
        QVERIFY(masked.wireRequest.contains("Cookie: " +
                                            Redaction::marker(cookie, Redaction::Style::Masked)));
        for (const auto &[name, value] : masked.request.headers)
            QVERIFY2(!value.contains("other-apps-session"), name.constData());

        // History and HAR: gone.
        QTemporaryDir dir;
        RunRecord run;
        run.startedAt = QDateTime::currentDateTimeUtc();
        run.id = RunHistory::newId(run.startedAt);
        run.exchanges = {callback};
        QVERIFY(RunHistory(dir.path()).save(run));
        QVERIFY(filescan::filesContaining(dir.path(), "other-apps-session").isEmpty());
        QVERIFY(!filescan::filesContaining(dir.path(), "REDACTED:").isEmpty());
        const QByteArray har = ExchangeExport::har({callback});
        QVERIFY(!har.contains("other-apps-session"));
        QVERIFY(har.contains("REDACTED:"));
    }

    void capturedExchangeIsComplete()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        const QByteArray raw = get("/callback?code=abc&state=xyz&iss=http%3A%2F%2Fas");
        const QByteArray response = roundTrip(listener.port(), raw);
        QCOMPARE(captured.size(), 1);
        const auto redirect = captured.first().first().value<CapturedRedirect>();
        QCOMPARE(redirect.mode, CapturedRedirect::ResponseMode::Query);
        // What the results pane and the diagnosis read back from the record is what was captured.
        QCOMPARE(CapturedRedirect::parametersOf(redirect.exchange), redirect.parameters);
        QCOMPARE(redirect.value("iss"), QStringLiteral("http://as"));
        QVERIFY(redirect.peer.isLoopback());
        const HttpExchange &exchange = redirect.exchange;
        QCOMPARE(exchange.kind, HttpExchange::Kind::LoopbackCallback);
        QCOMPARE(exchange.rawRequest(), raw);
        QCOMPARE(exchange.status, 200);
        QCOMPARE(exchange.rawResponse(), response);
        QCOMPARE(exchange.responseHeader("Referrer-Policy"), QByteArray("no-referrer"));
        QCOMPARE(exchange.responseHeader("Cache-Control"), QByteArray("no-store"));
        QVERIFY(bodyOf(response).contains("return to OAuth Workbench"));
    }

    void errorRedirectIsShownEscaped()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        const QByteArray response = roundTrip(
            listener.port(),
            get("/callback?error=access_denied&error_description=User+said+%3Cscript%3Eno"));
        QCOMPARE(captured.size(), 1);
        QVERIFY(captured.first().first().value<CapturedRedirect>().isError());
        QVERIFY(response.contains("data-workbench-page=\"error\""));
        QVERIFY(response.contains("access_denied: User said &lt;script&gt;no"));
        QVERIFY(!response.contains("<script>no"));
    }

    void formPostIsCaptured()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        listener.setExpectedState("st");
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        const QByteArray body = "code=c+d&state=st";
        const QByteArray response =
            roundTrip(listener.port(), "POST /callback HTTP/1.1\r\nContent-Type: "
                                       "application/x-www-form-urlencoded\r\nContent-Length: " +
                                           QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QCOMPARE(statusOf(response), 200);
        QCOMPARE(captured.size(), 1);
        const auto redirect = captured.first().first().value<CapturedRedirect>();
        QCOMPARE(redirect.mode, CapturedRedirect::ResponseMode::FormPost);
        // What the results pane and the diagnosis read back from the record is what was captured.
        QCOMPARE(CapturedRedirect::parametersOf(redirect.exchange), redirect.parameters);
        QCOMPARE(redirect.value("code"), QStringLiteral("c d"));
        QCOMPARE(redirect.stateCheck, CapturedRedirect::StateCheck::Matched);
    }

    void formPostOfAnotherTypeIsRefused()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        QSignalSpy rejected(&listener, &LoopbackListener::requestRejected);
        const QByteArray response = roundTrip(
            listener.port(), "POST /callback HTTP/1.1\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\n\r\n{}");
        QCOMPARE(statusOf(response), 415);
        QCOMPARE(captured.size(), 0);
        QCOMPARE(rejected.size(), 1);
    }

    void fragmentIsRelayed()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        listener.setExpectedState("st");
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        const QByteArray relay = roundTrip(listener.port(), get("/callback"));
        QCOMPARE(statusOf(relay), 200);
        QVERIFY(relay.contains("data-workbench-page=\"relay\""));
        QVERIFY(relay.contains("action=\"" + LoopbackListener::fragmentRelayPath().toLatin1()));
        QCOMPARE(captured.size(), 0);

        // What the relay page's form posts: the fragment, form-encoded as one field.
        const QByteArray body =
            "fragment=" + QUrl::toPercentEncoding("access_token=at&token_type=Bearer&state=st");
        const QByteArray response = roundTrip(
            listener.port(), "POST " + LoopbackListener::fragmentRelayPath().toLatin1() +
                                 " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                 "Content-Length: " +
                                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QCOMPARE(statusOf(response), 200);
        QCOMPARE(captured.size(), 1);
        const auto redirect = captured.first().first().value<CapturedRedirect>();
        QCOMPARE(redirect.mode, CapturedRedirect::ResponseMode::Fragment);
        // What the results pane and the diagnosis read back from the record is what was captured.
        QCOMPARE(CapturedRedirect::parametersOf(redirect.exchange), redirect.parameters);
        QCOMPARE(redirect.value("access_token"), QStringLiteral("at"));
        QCOMPARE(redirect.stateCheck, CapturedRedirect::StateCheck::Matched);
    }

    void notTheCallback_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("rejections");
        QTest::newRow("favicon is quiet") << get("/favicon.ico") << 404 << 0;
        QTest::newRow("other path") << get("/other?code=x") << 404 << 1;
        QTest::newRow("path prefix") << get("/callbackx?code=x") << 404 << 1;
        QTest::newRow("wrong method")
            << QByteArray("DELETE /callback HTTP/1.1\r\n\r\n") << 405 << 1;
        QTest::newRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << 400 << 1;
        QTest::newRow("oversized headers")
            << QByteArray("GET /callback?code=x HTTP/1.1\r\nCookie: ") + QByteArray(40000, 'c') +
                   "\r\n\r\n"
            << 431 << 1;
        QTest::newRow("huge body") << QByteArray("POST /callback HTTP/1.1\r\nContent-Type: "
                                                 "application/x-www-form-urlencoded\r\n"
                                                 "Content-Length: 50000000\r\n\r\ncode=x")
                                   << 413 << 1;
    }
    void notTheCallback()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        QFETCH(int, rejections);
        LoopbackListener listener;
        QVERIFY(listener.listen());
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        QSignalSpy rejected(&listener, &LoopbackListener::requestRejected);
        const QByteArray response = roundTrip(listener.port(), raw);
        QCOMPARE(statusOf(response), status);
        QCOMPARE(captured.size(), 0);
        QCOMPARE(rejected.size(), rejections);
        if (rejections) {
            const auto rejection = rejected.first().first().value<RejectedRequest>();
            QCOMPARE(rejection.status, status);
            QVERIFY(!rejection.reason.isEmpty());
            QVERIFY(!rejection.received.isEmpty());
            QVERIFY(rejection.received.size() <= qMax<qsizetype>(raw.size(), 16 * 1024));
        }
    }

    void slowClientTimesOutAndTheCallbackStillArrives()
    {
        LoopbackListener listener;
        LoopbackListener::Options options;
        options.requestTimeoutMs = 1500;
        QVERIFY(listener.listen(options));
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        QSignalSpy rejected(&listener, &LoopbackListener::requestRejected);

        // Three slow clients that never finish their request.
        QList<QTcpSocket *> slow;
        for (int i = 0; i < 3; ++i) {
            auto *socket = new QTcpSocket(this);
            socket->connectToHost(QHostAddress::LocalHost, listener.port());
            QVERIFY(socket->waitForConnected(2000));
            socket->write("GET /callback?co");
            slow << socket;
        }
        // The real callback is answered at once, not after them.
        QElapsedTimer timer;
        timer.start();
        const QByteArray response = roundTrip(listener.port(), get("/callback?code=real"));
        QCOMPARE(statusOf(response), 200);
        QVERIFY(timer.elapsed() < options.requestTimeoutMs);
        QCOMPARE(captured.size(), 1);

        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 3, 5000);
        for (const auto &arguments : rejected)
            QCOMPARE(arguments.first().value<RejectedRequest>().status, 408);
        for (QTcpSocket *socket : slow) {
            QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
            QVERIFY(socket->readAll().startsWith("HTTP/1.1 408"));
            delete socket;
        }
        QTRY_COMPARE_WITH_TIMEOUT(listener.openConnections(), 0, 5000);
    }

    void connectionLimit()
    {
        LoopbackListener listener;
        LoopbackListener::Options options;
        options.maxConnections = 2;
        options.requestTimeoutMs = 60000;
        QVERIFY(listener.listen(options));
        QSignalSpy rejected(&listener, &LoopbackListener::requestRejected);
        QList<QTcpSocket *> idle;
        for (int i = 0; i < 3; ++i) {
            auto *socket = new QTcpSocket(this);
            socket->connectToHost(QHostAddress::LocalHost, listener.port());
            QVERIFY(socket->waitForConnected(2000));
            idle << socket;
        }
        // The oldest idle connection gives way to the newest, which may be the browser's.
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, 5000);
        QCOMPARE(rejected.first().first().value<RejectedRequest>().status, 503);
        QTRY_COMPARE_WITH_TIMEOUT(idle.first()->state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(idle.first()->readAll().startsWith("HTTP/1.1 503"));
        QCOMPARE(idle.last()->state(), QAbstractSocket::ConnectedState);
        QCOMPARE(listener.openConnections(), 2);
        idle.last()->write(get("/callback?code=late"));
        QTRY_COMPARE_WITH_TIMEOUT(idle.last()->state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(idle.last()->readAll().startsWith("HTTP/1.1 200"));
        qDeleteAll(idle);
    }

    void closeStopsAccepting()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        const quint16 port = listener.port();
        listener.close();
        QVERIFY(!listener.isListening());
        QTcpSocket socket; // at once: closing stops accepting, not some time later
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!socket.waitForConnected(1000));
    }
};

QTEST_GUILESS_MAIN(TestLoopbackListener)
#include "tst_loopbacklistener.moc"
