#pragma once

#include "core/discovery/ProviderMetadata.h"
#include "core/http/HttpExchange.h"

#include <QObject>
#include <QPointer>

namespace workbench {

class ExchangeClient;
class PendingExchange;

// Fetches an issuer's metadata: OpenID Connect Discovery first, then the RFC 8414 location.
// Redirects are followed (GET only, at most kMaxRedirects, never from https to http), each hop
// recorded; a document found through one comes with a warning naming the URL to use. Every
// request is recorded; the result is a ProviderMetadata with warnings, or a failure.
class ProviderDiscovery : public QObject
{
    Q_OBJECT
public:
    explicit ProviderDiscovery(ExchangeClient *client, QObject *parent = nullptr);

    // `issuerOrDocument` is an issuer URL, or the URL of a .well-known document itself.
    void discover(const QUrl &issuerOrDocument);
    void cancel();
    bool isRunning() const { return !m_pending.isNull(); }

    static constexpr int kMaxRedirects = 5;

    // Where the metadata of this issuer may live, in the order they are tried.
    static QList<QUrl> candidateUrls(const QUrl &issuerOrDocument);

signals:
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void discovered(const workbench::ProviderMetadata &metadata, const QStringList &warnings);
    void failed(const QString &summary, const QStringList &details);

private:
    void tryNext();
    void fetch(const QUrl &url);
    void onResponse(const HttpExchange &exchange);
    // The answer is a redirect that may be followed: fetches its target, true.
    bool follow(const HttpExchange &exchange);

    ExchangeClient *m_client;
    QPointer<PendingExchange> m_pending;
    QString m_enteredIssuer;
    QList<QUrl> m_candidates;
    QStringList m_problems;
    QStringList m_hops; // "URL -> URL (HTTP 301)" of the candidate being fetched
};

} // namespace workbench
