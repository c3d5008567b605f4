#include "core/discovery/ProviderDiscovery.h"

#include "core/http/ExchangeClient.h"

namespace workbench {

ProviderDiscovery::ProviderDiscovery(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client)
{
}

QList<QUrl> ProviderDiscovery::candidateUrls(const QUrl &input)
{
    if (input.path().contains(QLatin1String("/.well-known/")))
        return {input};
    QString path = input.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    QUrl openId = input;
    openId.setPath(path + QStringLiteral("/.well-known/openid-configuration"));
    // RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
    QUrl oauth = input;
    oauth.setPath(QStringLiteral("/.well-known/oauth-authorization-server") + path);
    return {openId, oauth};
}

void ProviderDiscovery::discover(const QUrl &issuerOrDocument)
{
    cancel();
    m_problems.clear();
    m_candidates = candidateUrls(issuerOrDocument);
    QString entered = issuerOrDocument.toString();
    if (issuerOrDocument.path().contains(QLatin1String("/.well-known/")))
        entered.clear(); // a document URL: there is no issuer to compare with
    m_enteredIssuer = entered;
    if (!issuerOrDocument.isValid() || issuerOrDocument.host().isEmpty() ||
        (issuerOrDocument.scheme() != QLatin1String("https") &&
         issuerOrDocument.scheme() != QLatin1String("http"))) {
        emit failed(QStringLiteral("The issuer must be an http(s) URL."),
                    {issuerOrDocument.toString()});
        return;
    }
    tryNext();
}

void ProviderDiscovery::cancel()
{
    if (m_pending)
        m_pending->abort();
    m_pending.clear();
    m_candidates.clear();
}

void ProviderDiscovery::tryNext()
{
    if (m_candidates.isEmpty()) {
        emit failed(QStringLiteral("No metadata document was found for this issuer."), m_problems);
        return;
    }
    HttpRequestSpec request;
    request.url = m_candidates.takeFirst();
    request.setHeader("Accept", "application/json");
    m_pending = m_client->send(request, QStringLiteral("Discovery (%1)").arg(request.url.path()));
    connect(m_pending, &PendingExchange::finished, this, &ProviderDiscovery::onResponse);
}

void ProviderDiscovery::onResponse(const HttpExchange &exchange)
{
    m_pending.clear();
    emit exchangeRecorded(exchange);
    const QString where = exchange.request.url.toString();
    if (!exchange.hasResponse()) {
        m_problems << QStringLiteral("%1: %2").arg(where, exchange.networkError);
        tryNext();
        return;
    }
    if (exchange.status != 200) {
        m_problems << QStringLiteral("%1: HTTP %2").arg(where).arg(exchange.status);
        tryNext();
        return;
    }
    QStringList problems;
    const auto metadata = ProviderMetadata::fromJson(exchange.responseBody, &problems);
    if (!metadata) {
        for (const QString &problem : std::as_const(problems))
            m_problems << QStringLiteral("%1: %2").arg(where, problem);
        tryNext();
        return;
    }
    m_candidates.clear();
    const QString compareWith = m_enteredIssuer.isEmpty() ? metadata->issuer : m_enteredIssuer;
    emit discovered(*metadata, metadata->warningsFor(compareWith));
}

} // namespace workbench
