#include "core/flows/TokenGrantFlow.h"

#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"

namespace workbench {

TokenGrantFlow::TokenGrantFlow(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client)
{
}

TokenGrantFlow::~TokenGrantFlow()
{
    if (m_pending)
        m_pending->abort();
}

bool TokenGrantFlow::start(const ClientConfig &config)
{
    cancel();
    m_config = config;
    QStringList problems = config.validate();
    const std::optional<HttpRequestSpec> request = TokenRequest::forGrant(config);
    if (!request)
        problems << QStringLiteral("The %1 grant is not a single token request.")
                        .arg(grantTypeName(config.grant));
    if (!problems.isEmpty()) {
        emit finished(FlowOutcome::invalidConfiguration(problems));
        return false;
    }
    for (const QString &warning : config.warnings())
        emit warningRaised(warning);
    m_pending = m_client->send(
        *request, QStringLiteral("Token request (%1)").arg(grantTypeName(config.grant)));
    PendingExchange *pending = m_pending;
    connect(pending, &PendingExchange::attemptRecorded, this, &TokenGrantFlow::exchangeRecorded);
    connect(pending, &PendingExchange::finished, this,
            [this, pending](const HttpExchange &exchange) {
                emit exchangeRecorded(exchange);
                if (m_pending != pending)
                    return; // cancelled: the flow has already finished
                m_pending.clear();
                emit finished(FlowOutcome::fromTokenResponse(
                    exchange, QStringLiteral("The token endpoint issued tokens for the %1 grant.")
                                  .arg(grantTypeName(m_config.grant))));
            });
    return true;
}

void TokenGrantFlow::cancel()
{
    if (!m_pending)
        return;
    PendingExchange *pending = m_pending;
    m_pending.clear();
    pending->abort();
    emit finished({FlowOutcome::Result::Cancelled, QStringLiteral("The request was cancelled.")});
}

} // namespace workbench
