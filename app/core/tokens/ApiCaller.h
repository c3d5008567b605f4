#pragma once

#include "core/http/HttpExchange.h"

#include <QObject>
#include <QPointer>

namespace workbench {

class ExchangeClient;
class PendingExchange;
class TokenActions;

// Calls an API with the access token a flow left (the console's request): Bearer, or DPoP with
// a proof that carries the token's hash. An access token known to have expired is refreshed
// first; a resource that answers invalid_token gets one refresh and one more try. Every request,
// the refresh included, is recorded.
class ApiCaller : public QObject
{
    Q_OBJECT
public:
    enum class Scheme { Auto, Bearer, Dpop }; // Auto: as the token's token_type says

    struct Request
    {
        QByteArray method = "GET";
        QUrl url;
        HttpHeaders headers;
        QByteArray body;
        Scheme scheme = Scheme::Auto;
    };

    struct Outcome
    {
        bool succeeded = false;
        int status = 0;
        QString summary;
        QStringList details;
        bool refreshed = false; // the token was refreshed on the way
    };

    ApiCaller(ExchangeClient *client, TokenActions *actions, QObject *parent = nullptr);
    ~ApiCaller() override;

    // Why this request cannot be sent now; empty when it can.
    QString unavailableReason(const Request &request) const;
    // Starts the call; false (and nothing emitted) when unavailableReason() is not empty.
    bool call(const Request &request);
    bool busy() const { return !m_pending.isNull() || m_refreshing; }

signals:
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::ApiCaller::Outcome &outcome);

private:
    void send();
    void onAnswer(const HttpExchange &exchange);
    // Refreshes the access token, then sends the request again; false when it cannot.
    [[nodiscard]] bool refreshThenSend(const QString &why);
    bool canRefresh() const;
    QByteArray scheme() const;

    ExchangeClient *m_client;
    TokenActions *m_actions;
    QPointer<PendingExchange> m_pending;
    Request m_request;
    Outcome m_outcome; // what the call has said so far
    bool m_refreshing = false;
};

} // namespace workbench

Q_DECLARE_METATYPE(workbench::ApiCaller::Outcome)
