// The loopback listener under abuse: 10,000 malformed, oversized and cut-off connections while
// slow clients trickle bytes (slowloris) on more connections than the limit allows; a real
// callback sent in the middle of it all must still be captured, and nothing but loopback is
// ever bound.
#include "core/listener/LoopbackListener.h"

#include "TestHttp.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QtEndian>

using namespace workbench;
using testhttp::roundTrip;
using testhttp::statusOf;

namespace {
// What hostile or broken clients send; each connection gets one of these.
QList<QByteArray> hostilePayloads()
{
    return {
        QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), // a TLS ClientHello
        QByteArray(70 * 1024, 'A'),                                     // no line end at all
        "GET /callback?code=x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + QByteArray(40 * 1024, 'b') +
            "\r\n\r\n", // headers over the limit
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: 99999999999\r\n\r\ncode=x",
        "GARBAGE\r\n\r\n",
        QByteArray("GET /callback?code=\0\0\0 HTTP/1.1\r\n\r\n", 33),
        "GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /callback?code=half", // cut off: the client goes away
        "",                        // connect and close
        "GET /callback?state=forged&code=stolen HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    };
}
// The addresses the kernel has a listening TCP socket on for this port (Linux /proc/net), read
// independently of what the listener says it bound.
QList<QHostAddress> listeningAddresses(quint16 port)
{
    QList<QHostAddress> addresses;
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile file(QString::fromLatin1(table));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : file.readAll().split('\n').mid(1)) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (fields.size() < 4 || fields.at(3) != "0A") // 0A: LISTEN
                continue;
            const QList<QByteArray> local = fields.at(1).split(':');
            if (local.size() != 2 || local.at(1).toUShort(nullptr, 16) != port)
                continue;
            // The address is in network order, each 32-bit word written little-endian.
            QByteArray raw = QByteArray::fromHex(local.at(0));
            for (qsizetype word = 0; word + 4 <= raw.size(); word += 4)
                std::reverse(raw.begin() + word, raw.begin() + word + 4);
            if (raw.size() == 4) {
                addresses << QHostAddress(qFromBigEndian<quint32>(raw.constData()));
            } else if (raw.size() == 16) {
                Q_IPV6ADDR v6;
                std::copy(raw.begin(), raw.end(), v6.c);
                addresses << QHostAddress(v6);
            }
        }
    }
    return addresses;
}
} // namespace

class TestListenerAbuse : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qRegisterMetaType<CapturedRedirect>();
        qRegisterMetaType<RejectedRequest>();
    }

    void realCallbackSurvivesTenThousandBadConnections()
    {
        LoopbackListener listener;
        LoopbackListener::Options options;
        options.requestTimeoutMs = 3000;
        QVERIFY(listener.listen(options));
        listener.setExpectedState("the-real-state");
        const quint16 port = listener.port();

        // Only loopback is bound: every socket the kernel listens on for this port is on a
        // loopback address (a listener on 0.0.0.0 or :: would show here, whatever the machine's
        // interfaces), and the listener says the same.
        const QList<QHostAddress> listening = listeningAddresses(port);
        QVERIFY(!listening.isEmpty());
        for (const QHostAddress &address : listening)
            QVERIFY2(address.isLoopback(), qPrintable("listening on " + address.toString()));
        QCOMPARE(listening.size(), listener.boundAddresses().size());
        for (const QHostAddress &address : listener.boundAddresses())
            QVERIFY2(address.isLoopback(), qPrintable(address.toString()));

        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        QSignalSpy rejected(&listener, &LoopbackListener::requestRejected);

        // Slow clients, more than the connection limit, trickling a byte every 100 ms.
        QList<QTcpSocket *> slow;
        const int slowCount = options.maxConnections + 36;
        for (int i = 0; i < slowCount; ++i) {
            auto *socket = new QTcpSocket(this);
            socket->connectToHost(QHostAddress::LocalHost, port);
            socket->write("GET /callback?code=");
            slow << socket;
            QCoreApplication::processEvents(); // the listener accepts as they come, as in the app
        }
        // They hold every place the listener has (the oldest gave way to the newer ones).
        QTRY_COMPARE_WITH_TIMEOUT(listener.openConnections(), options.maxConnections, 5000);
        QTimer trickle;
        connect(&trickle, &QTimer::timeout, this, [&slow] {
            for (QTcpSocket *socket : std::as_const(slow)) {
                if (socket->state() == QAbstractSocket::ConnectedState)
                    socket->write("a");
            }
        });
        trickle.start(100);

        const QList<QByteArray> payloads = hostilePayloads();
        constexpr int kTotal = 10000;
        constexpr int kBatch = 50;
        int sent = 0;
        QByteArray realAnswer;
        int maxOpen = 0;
        while (sent < kTotal) {
            QList<QTcpSocket *> batch;
            for (int i = 0; i < kBatch; ++i, ++sent) {
                auto *socket = new QTcpSocket;
                socket->connectToHost(QHostAddress::LocalHost, port);
                socket->write(payloads.at(sent % payloads.size()));
                batch << socket;
            }
            QCoreApplication::processEvents(); // let the listener accept and read
            maxOpen = qMax(maxOpen, listener.openConnections());
            for (QTcpSocket *socket : batch) {
                socket->abort(); // hostile clients never wait for their answer
                delete socket;
            }
            if (sent == kTotal / 2) // the browser comes back in the middle of it all
                realAnswer = roundTrip(port, "GET /callback?code=the-real-code&state=the-real-"
                                             "state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        trickle.stop();

        QCOMPARE(statusOf(realAnswer), 200);
        QVERIFY(realAnswer.contains("return to OAuth Workbench"));
        // Callbacks with a forged or missing state arrive flagged (the flow refuses them and
        // says why); exactly one passed the state check, and it is the real one.
        QList<CapturedRedirect> accepted;
        for (const auto &arguments : std::as_const(captured)) {
            const auto redirect = arguments.first().value<CapturedRedirect>();
            if (redirect.stateCheck == CapturedRedirect::StateCheck::Matched)
                accepted << redirect;
            else
                QVERIFY(!redirect.stateAccepted());
        }
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(accepted.first().value(QStringLiteral("code")), QStringLiteral("the-real-code"));
        // None of the hostile requests was taken for a callback: every refusal is one of them
        // (how many the listener read before their clients went away depends on the machine).
        for (const auto &arguments : std::as_const(rejected))
            QVERIFY(!arguments.first().value<RejectedRequest>().reason.isEmpty());
        QVERIFY(!rejected.isEmpty());
        // The connections stayed bounded all along: never more than the limit open.
        QVERIFY2(maxOpen <= options.maxConnections, qPrintable(QString::number(maxOpen)));

        // Everything is closed again: the slow clients time out, nothing is left open.
        QTRY_VERIFY_WITH_TIMEOUT(listener.openConnections() == 0, 10000);
        for (QTcpSocket *socket : std::as_const(slow))
            QCOMPARE(socket->state(), QAbstractSocket::UnconnectedState);
        qDeleteAll(slow);
        // And the listener still works.
        QCOMPARE(statusOf(roundTrip(port, "GET /callback?code=again&state=the-real-state "
                                          "HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")),
                 200);
    }
};

QTEST_GUILESS_MAIN(TestListenerAbuse)
#include "tst_listenerabuse.moc"
