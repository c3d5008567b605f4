#pragma once

#include "core/http/HttpExchange.h"
#include "core/jose/JwsSigner.h"

#include <QHash>

namespace workbench {

// The client's side of DPoP (RFC 9449) for one run: its proof key, and the newest nonce each
// server gave (the authorization server and each resource keep their own, §8 and §9).
class DpopProver
{
public:
    explicit DpopProver(SigningKey key);

    const SigningKey &key() const { return m_key; }
    // The key's RFC 7638 thumbprint: what dpop_jkt and a bound token's cnf.jkt carry.
    QByteArray thumbprint() const { return m_thumbprint; }

    // Adds a DPoP header to `request`: a fresh proof for its method and URL with the newest
    // nonce of its server, and ath when it carries "Authorization: DPoP <token>". A request
    // that already has a DPoP header is left alone.
    void prove(HttpRequestSpec *request) const;
    // Keeps the DPoP-Nonce a server sent with this response; true when there was one.
    bool learnNonce(const HttpExchange &exchange);
    QByteArray nonceFor(const QUrl &url) const;

    // True when the server refused the proof for want of a (fresh) nonce and gave one: a token
    // endpoint's 400 use_dpop_nonce (§8) or a resource's 401 with WWW-Authenticate: DPoP
    // error="use_dpop_nonce" (§9), each with a DPoP-Nonce header.
    static bool asksForNonce(const HttpExchange &exchange);

    // For tests of the servers' checks: proofs made on purpose with a wrong claim.
    enum class Fault { None, WrongHtu, WrongAth };
    void setFault(Fault fault) { m_fault = fault; }

private:
    static QString origin(const QUrl &url);

    SigningKey m_key;
    QByteArray m_thumbprint;
    QHash<QString, QByteArray> m_nonces; // by scheme://host:port
    Fault m_fault = Fault::None;
};

} // namespace workbench
