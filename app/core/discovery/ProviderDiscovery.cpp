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
    m_hops.clear();
    fetch(m_candidates.takeFirst());
}

void ProviderDiscovery::fetch(const QUrl &url)
{
    HttpRequestSpec request;
    request.url = url;
    request.setHeader("Accept", "application/json");
    const QString label = m_hops.isEmpty()
                              ? QStringLiteral("Discovery (%1)").arg(url.path())
                              : QStringLiteral("Discovery, redirected (%1)").arg(url.path());
    m_pending = m_client->send(request, label);
    connect(m_pending, &PendingExchange::finished, this, &ProviderDiscovery::onResponse);
}

bool ProviderDiscovery::follow(const HttpExchange &exchange)
{
    static const QList<int> redirects{301, 302, 303, 307, 308};
    if (!redirects.contains(exchange.status))
        return false;
    const QString where = exchange.request.url.toString();
    const QByteArray location = exchange.responseHeader("Location");
    if (location.isEmpty()) {
        m_problems << QStringLiteral("%1: HTTP %2 without a Location header")
                          .arg(where)
                          .arg(exchange.status);
        return false;
    }
    const QUrl target = exchange.request.url.resolved(QUrl::fromEncoded(location.trimmed()));
    if (m_hops.size() >= kMaxRedirects) {
        m_problems << QStringLiteral("%1: more than %2 redirects").arg(where).arg(kMaxRedirects);
        return false;
    }
    if (exchange.request.url.scheme() == QLatin1String("https") &&
        target.scheme() != QLatin1String("https")) {
        m_problems << QStringLiteral("%1: redirected to %2, which leaves https; not followed")
                          .arg(where, target.toString());
        return false;
    }
    m_hops
        << QStringLiteral("%1 -> %2 (HTTP %3)").arg(where, target.toString()).arg(exchange.status);
    fetch(target);
    return true;
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
    if (follow(exchange))
        return;
    if (exchange.status != 200) {
        if (exchange.status < 300 || exchange.status >= 400)
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
    QStringList warnings = metadata->warningsFor(compareWith);
    if (!m_hops.isEmpty())
        warnings.prepend(QStringLiteral("The document was found only after %1 redirect(s) (%2): "
                                        "use %3 as the metadata URL; many client libraries do "
                                        "not follow redirects during discovery.")
                             .arg(m_hops.size())
                             .arg(m_hops.join(QStringLiteral("; ")), where));
    emit discovered(*metadata, warnings);
}

} // namespace workbench
