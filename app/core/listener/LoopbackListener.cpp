#include "core/listener/LoopbackListener.h"
#include "core/util/Clock.h"

#include <QFile>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcListener, "workbench.listener")

namespace workbench {

namespace ListenerPages {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

QByteArray Response::serialize() const
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &header : headers)
        out += header.first + ": " + header.second + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

Response page(int status, const QByteArray &contentType, const QByteArray &body)
{
    Response response;
    response.status = status;
    response.body = body;
    response.headers = {
        {"Content-Type", contentType},
        {"Content-Length", QByteArray::number(body.size())},
        {"Cache-Control", "no-store"},
        // The address bar holds the code: never let it leak to another site.
        {"Referrer-Policy", "no-referrer"},
        {"X-Content-Type-Options", "nosniff"},
        {"Content-Security-Policy",
         "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
         "form-action 'self'"},
        {"Connection", "close"},
    };
    return response;
}

QString htmlEscape(const QString &text)
{
    return text.toHtmlEscaped();
}

static QString loadTemplate(const QString &name)
{
    QFile file(QStringLiteral(":/pages/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcListener) << "page template missing from resources:" << name;
        return QStringLiteral("<!DOCTYPE html><html data-workbench-page=\"{{OUTCOME}}\"><body><h1>"
                              "{{TITLE}}</h1><p>{{MESSAGE}}</p><p>Return to OAuth Workbench."
                              "</p></body></html>");
    }
    return QString::fromUtf8(file.readAll());
}

QByteArray resultPage(const QString &outcome, const QString &title, const QString &message)
{
    QString html = loadTemplate(QStringLiteral("callback.html"));
    html.replace(QLatin1String("{{OUTCOME}}"), htmlEscape(outcome));
    html.replace(QLatin1String("{{TITLE}}"), htmlEscape(title));
    html.replace(QLatin1String("{{MESSAGE}}"), htmlEscape(message));
    return html.toUtf8();
}

QByteArray fragmentRelayPage()
{
    QString html = loadTemplate(QStringLiteral("fragment-relay.html"));
    html.replace(QLatin1String("{{RELAY_PATH}}"), LoopbackListener::fragmentRelayPath());
    return html.toUtf8();
}

} // namespace ListenerPages

// One accepted connection: reads one request within the limits, answers it and closes.
class ListenerConnection : public QObject
{
public:
    ListenerConnection(QTcpSocket *socket, LoopbackListener *listener)
        : QObject(listener), m_socket(socket), m_listener(listener),
          m_parser(listener->options().limits), m_peer(socket->peerAddress())
    {
        socket->setParent(this);
        socket->setReadBufferSize(64 * 1024);
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, &ListenerConnection::timedOut);
        m_deadline.start(listener->options().requestTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, &ListenerConnection::readAvailable);
        connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                deleteLater();
        });
        if (socket->bytesAvailable() > 0)
            readAvailable();
    }

    // Frees its place for a newer connection: answers 503 if it had not been answered yet.
    void giveWay()
    {
        if (m_answered) {
            m_socket->abort();
            deleteLater();
            return;
        }
        const QString reason =
            QStringLiteral("Too many open connections (limit %1); the oldest gave way.")
                .arg(m_listener->options().maxConnections);
        m_listener->reject(503, reason, m_parser.received(), m_peer);
        answerWithError(503, reason);
    }

private:
    void readAvailable()
    {
        if (m_answered) {
            m_socket->readAll(); // ignore anything after the request we answered
            return;
        }
        while (m_socket->bytesAvailable() > 0 &&
               m_parser.status() == HttpRequestParser::Status::NeedMore)
            m_parser.feed(m_socket->read(64 * 1024));

        switch (m_parser.status()) {
        case HttpRequestParser::Status::NeedMore:
            return;
        case HttpRequestParser::Status::Complete:
            answer(m_listener->route(m_parser.request(), m_peer));
            return;
        case HttpRequestParser::Status::Failed:
            m_listener->reject(m_parser.errorStatus(), m_parser.errorReason(), m_parser.received(),
                               m_peer);
            answerWithError(m_parser.errorStatus(), m_parser.errorReason());
            return;
        }
    }

    void timedOut()
    {
        if (m_answered) {
            m_socket->abort();
            deleteLater();
            return;
        }
        const QString reason = QStringLiteral("The request did not arrive completely within %1 ms.")
                                   .arg(m_listener->options().requestTimeoutMs);
        m_listener->reject(408, reason, m_parser.received(), m_peer);
        answerWithError(408, reason);
    }

    void answerWithError(int status, const QString &reason)
    {
        answer(ListenerPages::page(
            status, "text/html; charset=utf-8",
            ListenerPages::resultPage(QStringLiteral("error"),
                                      QString::fromLatin1(ListenerPages::reasonPhrase(status)),
                                      reason)));
    }

    void answer(const ListenerPages::Response &response)
    {
        m_answered = true;
        m_socket->write(response.serialize());
        m_socket->disconnectFromHost();
        // A peer that never reads its answer must not keep the connection forever.
        m_deadline.start(2000);
    }

    QTcpSocket *m_socket;
    LoopbackListener *m_listener;
    HttpRequestParser m_parser;
    QHostAddress m_peer;
    QTimer m_deadline;
    bool m_answered = false;
};

LoopbackListener::LoopbackListener(QObject *parent) : QObject(parent)
{
}

LoopbackListener::~LoopbackListener() = default;

bool LoopbackListener::listen(const Options &options)
{
    close();
    m_options = options;
    if (!m_options.callbackPath.startsWith(QLatin1Char('/')))
        m_options.callbackPath.prepend(QLatin1Char('/'));

    auto *v4 = new QTcpServer(this);
    if (!v4->listen(QHostAddress::LocalHost, options.port)) {
        m_errorString = QStringLiteral("Cannot listen on 127.0.0.1:%1: %2")
                            .arg(options.port)
                            .arg(v4->errorString());
        delete v4;
        return false;
    }
    m_servers << v4;
    if (options.alsoIpv6) {
        auto *v6 = new QTcpServer(this);
        if (v6->listen(QHostAddress::LocalHostIPv6, v4->serverPort())) {
            m_servers << v6;
        } else {
            qCInfo(lcListener) << "no IPv6 loopback listener:" << v6->errorString();
            delete v6;
        }
    }
    for (QTcpServer *server : std::as_const(m_servers)) {
        server->setMaxPendingConnections(options.maxConnections);
        connect(server, &QTcpServer::newConnection, this,
                [this, server] { acceptPending(server); });
    }
    qCInfo(lcListener) << "listening on 127.0.0.1 port" << port() << "path"
                       << m_options.callbackPath;
    m_errorString.clear();
    return true;
}

bool LoopbackListener::listen()
{
    return listen(Options{});
}

void LoopbackListener::close()
{
    for (QTcpServer *server : std::as_const(m_servers)) {
        server->close();
        server->deleteLater();
    }
    m_servers.clear();
}

bool LoopbackListener::isListening() const
{
    return !m_servers.isEmpty() && m_servers.first()->isListening();
}

quint16 LoopbackListener::port() const
{
    return m_servers.isEmpty() ? 0 : m_servers.first()->serverPort();
}

QHostAddress LoopbackListener::address() const
{
    return m_servers.isEmpty() ? QHostAddress() : m_servers.first()->serverAddress();
}

QList<QHostAddress> LoopbackListener::boundAddresses() const
{
    QList<QHostAddress> addresses;
    for (const QTcpServer *server : m_servers)
        addresses << server->serverAddress();
    return addresses;
}

QUrl LoopbackListener::redirectUri(const QUrl &like) const
{
    QUrl uri;
    uri.setScheme(QStringLiteral("http"));
    uri.setHost(like.host().isEmpty() ? QStringLiteral("127.0.0.1") : like.host());
    uri.setPort(port());
    uri.setPath(m_options.callbackPath);
    return uri;
}

int LoopbackListener::openConnections() const
{
    int open = 0;
    for (const auto &connection : m_connections)
        open += connection ? 1 : 0;
    return open;
}

void LoopbackListener::acceptPending(QTcpServer *server)
{
    while (QTcpSocket *socket = server->nextPendingConnection()) {
        m_connections.removeAll(nullptr);
        // At the limit the oldest connection gives way, not the newest: clients that open
        // connections and trickle bytes (slowloris) must not lock the browser's callback out.
        if (m_connections.size() >= m_options.maxConnections)
            m_connections.takeFirst()->giveWay();
        m_connections << new ListenerConnection(socket, this);
    }
}

void LoopbackListener::reject(int status, const QString &reason, const QByteArray &received,
                              const QHostAddress &peer)
{
    qCInfo(lcListener) << "rejected a request:" << status << reason;
    emit requestRejected(RejectedRequest{status, reason, received, peer});
}

ListenerPages::Response LoopbackListener::route(const HttpRequestParser::Request &request,
                                                const QHostAddress &peer)
{
    const QByteArray path = request.path();
    const QByteArray callbackPath = m_options.callbackPath.toUtf8();

    if (path == fragmentRelayPath().toLatin1() && request.method == "POST") {
        const FormFields relayed = FormEncoding::decode(request.body);
        const QByteArray fragment =
            FormEncoding::value(relayed, QStringLiteral("fragment")).toUtf8();
        return capture(request, peer, CapturedRedirect::ResponseMode::Fragment,
                       FormEncoding::decode(fragment));
    }

    if (path != callbackPath) {
        const QString reason = QStringLiteral("%1 %2 is not the callback path %3.")
                                   .arg(QString::fromLatin1(request.method),
                                        QString::fromUtf8(path), m_options.callbackPath);
        if (path != "/favicon.ico")
            reject(404, reason, request.raw, peer);
        return ListenerPages::page(404, "text/html; charset=utf-8",
                                   ListenerPages::resultPage(QStringLiteral("error"),
                                                             QStringLiteral("Not found"), reason));
    }

    if (request.method == "GET" || request.method == "HEAD") {
        const FormFields parameters = FormEncoding::decode(request.query());
        const bool logout = m_options.purpose == Options::Purpose::LogoutReturn;
        if (parameters.isEmpty() && !logout) {
            // Nothing in the query: the response may be in the fragment, which only the page sees.
            return ListenerPages::page(200, "text/html; charset=utf-8",
                                       ListenerPages::fragmentRelayPage());
        }
        return capture(request, peer, CapturedRedirect::ResponseMode::Query, parameters);
    }

    if (request.method == "POST") {
        const QByteArray contentType = request.header("Content-Type").toLower();
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            const QString reason =
                QStringLiteral("A form_post response must be application/x-www-form-urlencoded, "
                               "not \"%1\".")
                    .arg(QString::fromLatin1(contentType));
            reject(415, reason, request.raw, peer);
            return ListenerPages::page(
                415, "text/html; charset=utf-8",
                ListenerPages::resultPage(QStringLiteral("error"),
                                          QStringLiteral("Unsupported form encoding"), reason));
        }
        return capture(request, peer, CapturedRedirect::ResponseMode::FormPost,
                       FormEncoding::decode(request.body));
    }

    const QString reason = QStringLiteral("Method %1 is not used for redirects.")
                               .arg(QString::fromLatin1(request.method));
    reject(405, reason, request.raw, peer);
    auto response = ListenerPages::page(
        405, "text/html; charset=utf-8",
        ListenerPages::resultPage(QStringLiteral("error"), QStringLiteral("Method not allowed"),
                                  reason));
    response.headers.append(qMakePair(QByteArray("Allow"), QByteArray("GET, POST")));
    return response;
}

ListenerPages::Response LoopbackListener::capture(const HttpRequestParser::Request &request,
                                                  const QHostAddress &peer,
                                                  CapturedRedirect::ResponseMode mode,
                                                  const FormFields &parameters)
{
    CapturedRedirect redirect = CapturedRedirect::fromParameters(parameters, m_decryptionKey);
    redirect.mode = mode;
    redirect.rawRequest = request.raw;
    redirect.peer = peer;
    redirect.receivedAt = Clock::utcNow();

    redirect.stateCheck = CapturedRedirect::checkState(redirect.parameters, m_expectedState);

    QString outcome;
    QString title;
    QString message;
    int status = 200;
    const bool logout = m_options.purpose == Options::Purpose::LogoutReturn;
    if (logout && redirect.refusalReason().isEmpty() && !redirect.isError()) {
        outcome = QStringLiteral("ok");
        title = QStringLiteral("Signed out at the provider");
        message = QStringLiteral("The provider sent the browser back after signing out. "
                                 "OAuth Workbench recorded the return.");
    } else if (redirect.isError() && redirect.refusalReason().isEmpty()) {
        outcome = QStringLiteral("error");
        title = QStringLiteral("The authorization server returned an error");
        message = redirect.value(QStringLiteral("error"));
        const QString description = redirect.value(QStringLiteral("error_description"));
        if (!description.isEmpty())
            message += QStringLiteral(": ") + description;
        message += QStringLiteral(". OAuth Workbench shows what it means and how to fix it.");
    } else if (const QString refusal = redirect.refusalReason(); !refusal.isEmpty()) {
        // Any local process, or a page in the browser that finds the port, can send this: it
        // is refused, and the flow waits on for the real redirect.
        status = 400;
        outcome = QStringLiteral("warning");
        title = QStringLiteral("Request refused");
        message = QStringLiteral("This request is not the %1 the app is waiting for: %2. "
                                 "It was not used; OAuth Workbench keeps waiting for the "
                                 "real %3.")
                      .arg(logout ? QStringLiteral("return from the sign-out")
                                  : QStringLiteral("response"))
                      .arg(refusal, logout ? QStringLiteral("return") : QStringLiteral("redirect"));
    } else if (redirect.has(QStringLiteral("code")) ||
               redirect.has(QStringLiteral("access_token")) ||
               redirect.has(QStringLiteral("id_token"))) {
        outcome = QStringLiteral("ok");
        title = QStringLiteral("Authorization response received");
        message = QStringLiteral("OAuth Workbench captured the response and continues the flow.");
    } else {
        outcome = QStringLiteral("warning");
        title = QStringLiteral("No authorization response found");
        message = QStringLiteral("The redirect carried neither a code nor an error.");
    }
    const ListenerPages::Response response = ListenerPages::page(
        status, "text/html; charset=utf-8", ListenerPages::resultPage(outcome, title, message));

    HttpExchange &exchange = redirect.exchange;
    exchange.kind = HttpExchange::Kind::LoopbackCallback;
    // The flow that waits names the step (a sign-out names its return itself).
    exchange.label = QStringLiteral("Authorization response (%1%2)")
                         .arg(CapturedRedirect::modeName(mode),
                              redirect.responseJwt.isEmpty() ? QString() : QStringLiteral(", JWT"));
    exchange.request.method = request.method;
    exchange.request.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()) +
                                QString::fromLatin1(request.target));
    exchange.request.headers = request.headers;
    exchange.request.body = request.body;
    exchange.wireRequest = request.raw;
    exchange.startedAt = redirect.receivedAt;
    exchange.elapsedMs = 0;
    exchange.status = response.status;
    exchange.reasonPhrase = ListenerPages::reasonPhrase(response.status);
    exchange.responseHeaders = response.headers;
    exchange.responseBody = response.body;

    qCInfo(lcListener) << "captured a redirect via" << CapturedRedirect::modeName(mode) << "with"
                       << parameters.size() << "parameters"
                       << (redirect.responseJwt.isEmpty() ? "" : "(a JWT response)");
    emit redirectCaptured(redirect);
    return response;
}

} // namespace workbench
