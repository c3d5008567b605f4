#include "core/http/DpopProver.h"

#include "core/jose/Dpop.h"
#include "core/util/Clock.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace workbench {

DpopProver::DpopProver(SigningKey key)
    : m_key(std::move(key)), m_thumbprint(Dpop::thumbprint(m_key.publicJwk()))
{
}

QString DpopProver::origin(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                  QUrl::RemoveUserInfo)
        .toString();
}

void DpopProver::prove(HttpRequestSpec *request) const
{
    if (!request->header("DPoP").isEmpty())
        return;
    Dpop::ProofRequest proof{
        request->method, request->url, Clock::utcNow(), nonceFor(request->url), {}};
    const QByteArray authorization = request->header("Authorization");
    if (authorization.startsWith("DPoP "))
        proof.accessToken = authorization.mid(5).trimmed();
    if (m_fault == Fault::WrongHtu)
        proof.url.setPath(proof.url.path() + QStringLiteral("/elsewhere"));
    if (m_fault == Fault::WrongAth)
        proof.accessToken = "not-the-access-token";
    request->setHeader("DPoP", Dpop::proof(m_key, proof));
}

bool DpopProver::learnNonce(const HttpExchange &exchange)
{
    const QByteArray nonce = exchange.responseHeader("DPoP-Nonce").trimmed();
    if (nonce.isEmpty())
        return false;
    m_nonces.insert(origin(exchange.request.url), nonce);
    return true;
}

QByteArray DpopProver::nonceFor(const QUrl &url) const
{
    return m_nonces.value(origin(url));
}

bool DpopProver::asksForNonce(const HttpExchange &exchange)
{
    if (exchange.responseHeader("DPoP-Nonce").trimmed().isEmpty())
        return false;
    if (exchange.status == 401 &&
        exchange.responseHeader("WWW-Authenticate").contains("use_dpop_nonce"))
        return true;
    return exchange.status == 400 &&
           QJsonDocument::fromJson(exchange.responseBody).object().value("error").toString() ==
               QLatin1String("use_dpop_nonce");
}

} // namespace workbench
