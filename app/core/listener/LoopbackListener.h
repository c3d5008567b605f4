#pragma once

#include "core/listener/CapturedRedirect.h"
#include "core/listener/HttpRequestParser.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QTcpServer;

namespace workbench {

class ListenerConnection;

// Builds the small HTML pages the browser sees.
namespace ListenerPages {
struct Response
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;
    QByteArray serialize() const;
};
QByteArray reasonPhrase(int status);
Response page(int status, const QByteArray &contentType, const QByteArray &body);
QByteArray resultPage(const QString &outcome, const QString &title, const QString &message);
QByteArray fragmentRelayPage();
QString htmlEscape(const QString &text);
} // namespace ListenerPages

// Captures the authorization response on a loopback address (RFC 8252 §7.3). It binds
// 127.0.0.1 (and optionally [::1]) only, and answers everything that is not the callback with an
// error page without taking it for the redirect.
class LoopbackListener : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        quint16 port = 0; // 0: any free port
        QString callbackPath = QStringLiteral("/callback");
        bool alsoIpv6 = false;
        HttpRequestParser::Limits limits;
        int requestTimeoutMs = 10000; // a whole request must arrive within this time
        int maxConnections = 64;
        // What comes back on the callback: an authorization response, or the browser returning
        // after an RP-initiated logout (state only, or nothing at all).
        enum class Purpose { AuthorizationResponse, LogoutReturn };
        Purpose purpose = Purpose::AuthorizationResponse;
    };

    // The internal path the fragment relay page posts back to.
    static QString fragmentRelayPath() { return QStringLiteral("/__workbench/fragment"); }

    explicit LoopbackListener(QObject *parent = nullptr);
    ~LoopbackListener() override;

    bool listen(const Options &options);
    bool listen();
    // Stop accepting; connections already open still get their answer.
    void close();
    bool isListening() const;
    QString errorString() const { return m_errorString; }

    quint16 port() const;
    QHostAddress address() const;
    QList<QHostAddress> boundAddresses() const;
    // http://127.0.0.1:PORT/PATH, or the same with the host of `like` (e.g. localhost).
    QUrl redirectUri(const QUrl &like = {}) const;

    void setExpectedState(const QByteArray &state) { m_expectedState = state; }
    // The client's key for JARM responses encrypted to it: the state inside is read with it.
    void setDecryptionKey(const DecryptionKey &key) { m_decryptionKey = key; }
    QByteArray expectedState() const { return m_expectedState; }
    const Options &options() const { return m_options; }
    int openConnections() const;

signals:
    void redirectCaptured(const workbench::CapturedRedirect &redirect);
    void requestRejected(const workbench::RejectedRequest &rejected);

private:
    friend class ListenerConnection;
    void acceptPending(QTcpServer *server);
    // Answers one complete request.
    ListenerPages::Response route(const HttpRequestParser::Request &request,
                                  const QHostAddress &peer);
    ListenerPages::Response capture(const HttpRequestParser::Request &request,
                                    const QHostAddress &peer, CapturedRedirect::ResponseMode mode,
                                    const FormFields &parameters);
    void reject(int status, const QString &reason, const QByteArray &received,
                const QHostAddress &peer);

    Options m_options;
    QList<QTcpServer *> m_servers;
    QList<QPointer<ListenerConnection>> m_connections;
    QByteArray m_expectedState;
    DecryptionKey m_decryptionKey;
    QString m_errorString;
};

} // namespace workbench
