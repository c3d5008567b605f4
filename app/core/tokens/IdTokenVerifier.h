#pragma once

#include "core/http/HttpExchange.h"
#include "core/jose/Jwk.h"
#include "core/tokens/IdTokenValidator.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

namespace workbench {

class ExchangeClient;
class PendingExchange;

// Validates ID tokens against the issuer's JWKS: fetches jwks_uri (each fetch recorded as an
// exchange), keeps the keys for the session, and fetches them again when a token names a kid the
// cached set does not hold (the provider rotated its keys).
class IdTokenVerifier : public QObject
{
    Q_OBJECT
public:
    explicit IdTokenVerifier(ExchangeClient *client, QObject *parent = nullptr);
    ~IdTokenVerifier() override;

    // Emits finished() once, possibly before returning (no fetch needed). A new call cancels a
    // verification still waiting for its keys.
    void verify(const QByteArray &idToken, const IdTokenExpectations &expected,
                const QUrl &jwksUri);
    // The same for a JWT-secured authorization response (JARM): the keys as above, its checks
    // those of IdTokenValidator::validateAuthorizationResponse.
    void verifyAuthorizationResponse(const QByteArray &response,
                                     const IdTokenExpectations &expected, const QUrl &jwksUri);
    // The server's keys for something the client encrypts to it with `alg` (a request object):
    // cached while fresh and holding a key for `alg`, else fetched and recorded (the server may
    // have published its encryption key since). Emits keysReady() once, possibly before returning.
    void fetchKeys(const QUrl &jwksUri, const QString &alg);
    bool busy() const { return !m_pending.isNull(); }
    // Drops a verification waiting for its keys; finished() is not emitted for it.
    void cancel();
    int fetchCount() const { return m_fetchCount; }

signals:
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const QList<workbench::TokenCheck> &checks);
    // For fetchKeys(): the keys (only valid during the call), or why there are none.
    void keysReady(const workbench::KeySource &keys);

private:
    struct CachedKeys
    {
        JwkSet keys;
        QDateTime fetchedAt;
    };
    // The keys at m_jwksUri: cached, or fetched when none are cached, the cached ones are stale
    // or `lacking` finds what is needed missing from them (it says what, empty when all is there).
    void useKeys(const std::function<QString(const JwkSet &)> &lacking);
    void fetch(const QString &why);
    void onFetched(const HttpExchange &exchange);
    void complete(const KeySource &source);

    ExchangeClient *m_client;
    QPointer<PendingExchange> m_pending;
    QHash<QUrl, CachedKeys> m_cache;
    int m_cacheLifetimeSeconds = 600;
    int m_fetchCount = 0;

    using Validation = QList<TokenCheck> (*)(const QByteArray &, const IdTokenExpectations &,
                                             const KeySource &, const QDateTime &);
    void start(Validation validation, const QByteArray &token, const IdTokenExpectations &expected,
               const QUrl &jwksUri);

    // What complete() runs once the keys are had; none for fetchKeys(), which only hands them on.
    Validation m_validation = nullptr;
    QByteArray m_token;
    IdTokenExpectations m_expected;
    QUrl m_jwksUri;
    QString m_fetchReason;
};

} // namespace workbench
