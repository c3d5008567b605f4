#pragma once

// Small raw-socket helpers for unit tests: they let a test see and send exact bytes.

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace testhttp {

// Sends raw bytes to 127.0.0.1:port and returns everything the server answered before closing.
inline QByteArray roundTrip(quint16 port, const QByteArray &raw, int timeoutMs = 5000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(raw);
    QByteArray answer;
    // The listener answers on this thread's event loop: run it until the answer is complete
    // (a server that never closes leaves what it sent so far, for the caller to judge).
    const bool closed = QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return socket.state() != QAbstractSocket::ConnectedState;
        },
        timeoutMs);
    Q_UNUSED(closed);
    answer += socket.readAll();
    return answer;
}

inline int statusOf(const QByteArray &response)
{
    // "HTTP/1.1 200 OK"
    return response.mid(9, 3).toInt();
}

// A one-shot HTTP server answering each connection with a canned response and keeping the
// raw requests it saw.
class CannedServer : public QTcpServer
{
public:
    explicit CannedServer(QByteArray response) : m_response(std::move(response))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffers[socket] += socket->readAll();
                    const QByteArray &buffer = m_buffers[socket];
                    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
                    if (headEnd < 0)
                        return;
                    qsizetype length = 0;
                    for (const QByteArray &line : buffer.left(headEnd).split('\n')) {
                        if (line.toLower().startsWith("content-length:"))
                            length = line.mid(15).trimmed().toLongLong();
                    }
                    if (buffer.size() < headEnd + 4 + length)
                        return;
                    requests << buffer;
                    if (!m_silent) {
                        const QByteArray path =
                            buffer.left(buffer.indexOf('\r')).split(' ').value(1);
                        QList<QByteArray> &scripted = m_scripts[path];
                        if (scripted.size() > 1)
                            socket->write(scripted.takeFirst());
                        else if (scripted.size() == 1)
                            socket->write(scripted.first()); // the last answer repeats
                        else
                            socket->write(m_routes.value(path, m_response));
                        socket->disconnectFromHost();
                    }
                });
            }
        });
        listen(QHostAddress::LocalHost, 0);
    }
    void setSilent(bool silent) { m_silent = silent; }
    // Answers requests for exactly this path (query included) with their own response.
    void route(const QByteArray &path, const QByteArray &response)
    {
        m_routes.insert(path, response);
    }
    // Answers requests for this path with these responses in turn, repeating the last.
    void script(const QByteArray &path, const QList<QByteArray> &responses)
    {
        m_scripts.insert(path, responses);
    }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path));
    }
    QList<QByteArray> requests;

private:
    QByteArray m_response;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QByteArray, QByteArray> m_routes;
    QHash<QByteArray, QList<QByteArray>> m_scripts;
    bool m_silent = false;
};

inline QByteArray jsonResponse(int status, const QByteArray &json,
                               const QByteArray &contentType = "application/json")
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(json.size()) +
           "\r\nConnection: close\r\n\r\n" + json;
}

} // namespace testhttp
