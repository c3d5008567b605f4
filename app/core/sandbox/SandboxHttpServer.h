#pragma once

#include "core/http/HttpExchange.h"
#include "core/listener/HttpRequestParser.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/util/FormEncoding.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <functional>

class QTcpServer;
class QTcpSocket;

namespace workbench {

// One answer of the sandbox: what to send, or (for the connection triggers) to hang up or to
// say nothing.
struct SandboxResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
    SandboxTrigger::Delivery delivery = SandboxTrigger::Delivery::Answer;

    static SandboxResponse fromTrigger(const SandboxTrigger &trigger);
    // JSON with no-store caching, as a token endpoint answers (RFC 6749 §5.1).
    static SandboxResponse json(int status, const QJsonObject &object, HttpHeaders extra = {});
    static SandboxResponse oauthError(int status, const QString &error, const QString &description,
                                      HttpHeaders extra = {});
    // A 302 to `redirectUri` with `parameters` added to its query.
    static SandboxResponse redirectTo(const QString &redirectUri, const FormFields &parameters);
};

// The sandbox's HTTP server: listens on 127.0.0.1 (ephemeral port), reads each request with the
// loopback listener's parser and its limits, and answers with what the handler returns. It knows
// nothing of OAuth.
class SandboxHttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<SandboxResponse(const HttpRequestParser::Request &)>;

    explicit SandboxHttpServer(Handler handler, QObject *parent = nullptr);

    // Listens on 127.0.0.1 with a free port; false (see errorString()) when it cannot.
    [[nodiscard]] bool start();
    void stop();
    bool isRunning() const;
    QString errorString() const { return m_error; }
    QHostAddress boundAddress() const;
    quint16 port() const;

signals:
    // After each answer; status 0 when the connection was hung up on or left unanswered.
    void requestHandled(const QByteArray &method, const QByteArray &path, int status);

private:
    void onConnection();
    void respond(QTcpSocket *socket, const HttpRequestParser::Request &request);

    Handler m_handler;
    QTcpServer *m_server;
    QString m_error;
};

} // namespace workbench
