#include "core/sandbox/SandboxHttpServer.h"

#include "core/listener/LoopbackListener.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace workbench {

namespace {
// A request must arrive whole within this time.
constexpr int kRequestDeadlineMs = 10000;
// A connection trigger that says nothing holds the connection this long at most.
constexpr int kSilenceMs = 600000;
} // namespace

SandboxResponse SandboxResponse::fromTrigger(const SandboxTrigger &trigger)
{
    return {trigger.status, trigger.headers, trigger.body, trigger.delivery};
}

SandboxResponse SandboxResponse::json(int status, const QJsonObject &object, HttpHeaders extra)
{
    HttpHeaders headers{{"Content-Type", "application/json"},
                        {"Cache-Control", "no-store"},
                        {"Pragma", "no-cache"}};
    headers.append(extra);
    return {status, headers, QJsonDocument(object).toJson(QJsonDocument::Compact)};
}

SandboxResponse SandboxResponse::oauthError(int status, const QString &error,
                                            const QString &description, HttpHeaders extra)
{
    return json(status, QJsonObject{{"error", error}, {"error_description", description}},
                std::move(extra));
}

SandboxResponse SandboxResponse::redirectTo(const QString &redirectUri,
                                            const FormFields &parameters)
{
    const QByteArray separator = redirectUri.contains(QLatin1Char('?')) ? "&" : "?";
    return {302,
            {{"Location", redirectUri.toUtf8() + separator + FormEncoding::encode(parameters)},
             {"Cache-Control", "no-store"},
             {"Referrer-Policy", "no-referrer"}},
            {}};
}

SandboxHttpServer::SandboxHttpServer(Handler handler, QObject *parent)
    : QObject(parent), m_handler(std::move(handler)), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &SandboxHttpServer::onConnection);
}

bool SandboxHttpServer::start()
{
    if (m_server->isListening())
        return true;
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        m_error = m_server->errorString();
        return false;
    }
    return true;
}

void SandboxHttpServer::stop()
{
    m_server->close();
}

bool SandboxHttpServer::isRunning() const
{
    return m_server->isListening();
}

QHostAddress SandboxHttpServer::boundAddress() const
{
    return m_server->serverAddress();
}

quint16 SandboxHttpServer::port() const
{
    return m_server->serverPort();
}

void SandboxHttpServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto parser = std::make_shared<HttpRequestParser>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto *deadline = new QTimer(socket);
        deadline->setObjectName(QStringLiteral("deadline"));
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, socket, &QTcpSocket::abort);
        deadline->start(kRequestDeadlineMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, parser] {
            if (parser->status() != HttpRequestParser::Status::NeedMore) {
                socket->readAll();
                return;
            }
            switch (parser->feed(socket->readAll())) {
            case HttpRequestParser::Status::NeedMore:
                return;
            case HttpRequestParser::Status::Failed: {
                ListenerPages::Response response =
                    ListenerPages::page(parser->errorStatus(), "text/plain; charset=utf-8",
                                        parser->errorReason().toUtf8());
                socket->write(response.serialize());
                socket->disconnectFromHost();
                return;
            }
            case HttpRequestParser::Status::Complete:
                respond(socket, parser->request());
                return;
            }
        });
    }
}

void SandboxHttpServer::respond(QTcpSocket *socket, const HttpRequestParser::Request &request)
{
    const SandboxResponse response = m_handler(request);
    switch (response.delivery) {
    case SandboxTrigger::Delivery::Answer:
        break;
    case SandboxTrigger::Delivery::Hangup:
        socket->abort();
        socket->deleteLater();
        emit requestHandled(request.method, request.path(), 0);
        return;
    case SandboxTrigger::Delivery::NoAnswer:
        // Held without a word until the client gives up (or the silence runs out).
        if (auto *deadline = socket->findChild<QTimer *>(QStringLiteral("deadline")))
            deadline->start(kSilenceMs);
        emit requestHandled(request.method, request.path(), 0);
        return;
    }
    ListenerPages::Response out;
    out.status = response.status;
    out.headers = response.headers;
    out.body = response.body;
    socket->write(out.serialize());
    socket->disconnectFromHost();
    emit requestHandled(request.method, request.path(), response.status);
}

} // namespace workbench
