#pragma once

#include "core/client/ClientConfig.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwk.h"
#include "core/util/Clock.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace workbench {

// One check on a token, as the results pane lists it.
struct TokenCheck
{
    enum class Status { Passed, Failed, Warning, Skipped };
    QString name; // "signature", "iss", "aud", ...
    Status status = Status::Passed;
    QString detail; // what was compared, or why it failed
    QString fix;    // what to do about a failure; empty when passed

    static QString statusName(Status status);
};

// What the client knows and expects when it receives an ID token (OIDC Core §3.1.3.7).
struct IdTokenExpectations
{
    QString issuer; // from discovery or the issuer field; empty: unknown
    QString clientId;
    QByteArray clientSecret;       // for HS* ID tokens
    QByteArray nonce;              // the nonce sent; empty when none was sent
    bool nonceOptional = false;    // after a refresh: may be absent, must match when present
    QByteArray accessToken;        // for at_hash
    QByteArray code;               // for c_hash
    QStringList allowedAlgorithms; // id_token_signing_alg_values_supported; empty: any supported
    QString expectedSubject;       // after a refresh: the sub of the first ID token (§12.2)
    qint64 allowedSkewSeconds = 120;
    // The client's key for encrypted tokens (JWE); invalid: none is set, and an encrypted token
    // fails its "decryption" check saying so.
    DecryptionKey decryptionKey;

    // What any ID token for this client must meet: its issuer, client id, secret (for HS*) and
    // algorithms, bound to the access token issued with it. Nonce and code are per request.
    static IdTokenExpectations forClient(const ClientConfig &config, const QByteArray &accessToken);
};

// Where the issuer's keys came from, for the signature check's detail.
struct KeySource
{
    const JwkSet *keys = nullptr; // null when none could be had
    QString origin;               // "jwks_uri http://… fetched 12:00:01", …
    QString problem;              // why there are no keys (no jwks_uri, fetch failed, …)
};

namespace IdTokenValidator {
// Every check, in the order OIDC Core §3.1.3.7 gives them; never empty. An encrypted ID token
// (JWE) is opened with expected.decryptionKey first ("decryption"), and the JWS inside checked.
QList<TokenCheck> validate(const QByteArray &idToken, const IdTokenExpectations &expected,
                           const KeySource &keys, const QDateTime &now = Clock::utcNow());
// A JWT-secured authorization response (JARM): signed JWT, an acceptable alg, signature, iss,
// aud naming the client and exp. `expected.allowedAlgorithms` are the server's
// authorization_signing_alg_values_supported; nonce, code and hashes do not apply.
QList<TokenCheck> validateAuthorizationResponse(const QByteArray &response,
                                                const IdTokenExpectations &expected,
                                                const KeySource &keys,
                                                const QDateTime &now = Clock::utcNow());
bool accepted(const QList<TokenCheck> &checks); // no check failed
QString firstFailure(const QList<TokenCheck> &checks);
// at_hash / c_hash (OIDC Core §3.1.3.6): the left half of the value's digest, base64url.
QByteArray halfHash(const QByteArray &value, const QString &alg, const QString &crv = {});
} // namespace IdTokenValidator

} // namespace workbench
