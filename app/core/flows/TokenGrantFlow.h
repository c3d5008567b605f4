#pragma once

#include "core/client/ClientConfig.h"
#include "core/flows/FlowOutcome.h"
#include "core/http/HttpExchange.h"

#include <QObject>
#include <QPointer>

namespace workbench {

class ExchangeClient;
class PendingExchange;

// A grant that is one request to the token endpoint: client credentials, password, refresh
// token, token exchange and JWT bearer. Records the exchange and reports what it means.
class TokenGrantFlow : public QObject
{
    Q_OBJECT
public:
    explicit TokenGrantFlow(ExchangeClient *client, QObject *parent = nullptr);
    ~TokenGrantFlow() override;

    // False (and finished()) when the configuration cannot make the request.
    bool start(const ClientConfig &config);
    void cancel();
    bool isRunning() const { return !m_pending.isNull(); }
    const ClientConfig &config() const { return m_config; }

signals:
    void warningRaised(const QString &warning);
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::FlowOutcome &outcome);

private:
    ExchangeClient *m_client;
    ClientConfig m_config;
    QPointer<PendingExchange> m_pending;
};

} // namespace workbench
