#include "core/tokens/IdTokenVerifier.h"

#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/jose/JwsVerifier.h"
#include "core/jose/Jwt.h"
#include "core/util/Clock.h"

namespace workbench {

IdTokenVerifier::IdTokenVerifier(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client)
{
}

IdTokenVerifier::~IdTokenVerifier()
{
    if (m_pending)
        m_pending->abort();
}

void IdTokenVerifier::cancel()
{
    if (m_pending) {
        m_pending->disconnect(this);
        m_pending->abort();
        m_pending.clear();
    }
}

void IdTokenVerifier::verify(const QByteArray &idToken, const IdTokenExpectations &expected,
                             const QUrl &jwksUri)
{
    start(&IdTokenValidator::validate, idToken, expected, jwksUri);
}

void IdTokenVerifier::verifyAuthorizationResponse(const QByteArray &response,
                                                  const IdTokenExpectations &expected,
                                                  const QUrl &jwksUri)
{
    start(&IdTokenValidator::validateAuthorizationResponse, response, expected, jwksUri);
}

void IdTokenVerifier::start(Validation validation, const QByteArray &idToken,
                            const IdTokenExpectations &expected, const QUrl &jwksUri)
{
    cancel();
    m_validation = validation;
    m_token = idToken;
    m_expected = expected;
    m_jwksUri = jwksUri;

    // Only an asymmetric algorithm needs the issuer's keys: the signed JWT's, inside the
    // encryption when the token is encrypted (one that cannot be opened needs none).
    QString error;
    const auto decoded = Jwt::decode(Jwe::signedInside(idToken, expected.decryptionKey), &error);
    const QString alg = decoded ? decoded->algorithm() : QString();
    if (!decoded || JwsVerifier::keyTypeFor(alg).isEmpty() || JwsVerifier::isSymmetric(alg)) {
        complete({});
        return;
    }
    const QString kid = decoded->keyId();
    useKeys([kid](const JwkSet &keys) {
        return kid.isEmpty() || keys.hasKeyId(kid) ? QString()
                                                   : QStringLiteral("no kid \"%1\"").arg(kid);
    });
}

void IdTokenVerifier::fetchKeys(const QUrl &jwksUri, const QString &alg)
{
    cancel();
    m_validation = nullptr;
    m_token.clear();
    m_jwksUri = jwksUri;
    useKeys([alg](const JwkSet &keys) {
        return Jwe::recipientFor(keys, alg) ? QString()
                                            : QStringLiteral("no %1 key to encrypt to with %2")
                                                  .arg(Jwe::keyTypeFor(alg), alg);
    });
}

void IdTokenVerifier::useKeys(const std::function<QString(const JwkSet &)> &lacking)
{
    const QUrl &jwksUri = m_jwksUri;
    if (!jwksUri.isValid() || jwksUri.isEmpty()) {
        complete({nullptr, {}, QStringLiteral("no JWKS URI is configured")});
        return;
    }
    const auto cached = m_cache.constFind(jwksUri);
    if (cached == m_cache.constEnd()) {
        fetch(QStringLiteral("fetched"));
        return;
    }
    if (cached->fetchedAt.secsTo(Clock::utcNow()) > m_cacheLifetimeSeconds) {
        fetch(QStringLiteral("fetched again (the cached copy was older than %1 s)")
                  .arg(m_cacheLifetimeSeconds));
        return;
    }
    if (const QString missing = lacking(cached->keys); !missing.isEmpty()) {
        fetch(QStringLiteral("fetched again: the cached set had %1").arg(missing));
        return;
    }
    complete({&cached->keys,
              QStringLiteral("keys cached from %1 at %2")
                  .arg(jwksUri.toString(), cached->fetchedAt.toLocalTime().toString(Qt::ISODate)),
              {}});
}

void IdTokenVerifier::fetch(const QString &why)
{
    m_fetchReason = why;
    ++m_fetchCount;
    HttpRequestSpec request;
    request.method = "GET";
    request.url = m_jwksUri;
    request.setHeader("Accept", "application/jwk-set+json, application/json");
    m_pending =
        m_client->send(request, m_validation ? QStringLiteral("JWKS (issuer's signing keys)")
                                             : QStringLiteral("JWKS (server's encryption keys)"));
    connect(m_pending, &PendingExchange::finished, this, &IdTokenVerifier::onFetched);
}

void IdTokenVerifier::onFetched(const HttpExchange &exchange)
{
    m_pending.clear();
    emit exchangeRecorded(exchange);
    const QString where = m_jwksUri.toString();
    if (!exchange.hasResponse()) {
        complete({nullptr,
                  {},
                  QStringLiteral("the JWKS could not be fetched from %1: %2")
                      .arg(where, exchange.networkError)});
        return;
    }
    if (exchange.status != 200) {
        complete(
            {nullptr,
             {},
             QStringLiteral("the JWKS URI %1 answered HTTP %2").arg(where).arg(exchange.status)});
        return;
    }
    QString error;
    const auto keys = JwkSet::fromJson(exchange.responseBody, &error);
    if (!keys) {
        complete({nullptr, {}, QStringLiteral("the document at %1 is %2").arg(where, error)});
        return;
    }
    CachedKeys &cached = m_cache[m_jwksUri];
    cached.keys = *keys;
    cached.fetchedAt = Clock::utcNow();
    complete({&cached.keys, QStringLiteral("keys %1 from %2").arg(m_fetchReason, where), {}});
}

void IdTokenVerifier::complete(const KeySource &source)
{
    if (m_validation)
        emit finished(m_validation(m_token, m_expected, source, Clock::utcNow()));
    else
        emit keysReady(source);
}

} // namespace workbench
