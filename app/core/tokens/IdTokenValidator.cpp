#include "core/tokens/IdTokenValidator.h"

#include "core/jose/Jwe.h"
#include "core/jose/JwsVerifier.h"
#include "core/jose/Jwt.h"
#include "core/util/Base64Url.h"

#include <QJsonArray>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace workbench {

QString TokenCheck::statusName(Status status)
{
    switch (status) {
    case Status::Passed:
        return QStringLiteral("passed");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Warning:
        return QStringLiteral("warning");
    case Status::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

IdTokenExpectations IdTokenExpectations::forClient(const ClientConfig &config,
                                                   const QByteArray &accessToken)
{
    IdTokenExpectations expected;
    expected.issuer = config.issuerIdentifier();
    expected.clientId = config.clientId;
    expected.clientSecret = config.clientSecret.toUtf8();
    expected.accessToken = accessToken;
    expected.allowedAlgorithms = config.idTokenSigningAlgorithms;
    expected.decryptionKey = config.decryptionKey();
    return expected;
}

namespace IdTokenValidator {

namespace {
using Status = TokenCheck::Status;

TokenCheck check(const char *name, Status status, const QString &detail, const QString &fix = {})
{
    return {QString::fromLatin1(name), status, detail, fix};
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() &&
           CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

QString when(qint64 seconds, const QDateTime &now, bool isExpiry)
{
    const QDateTime at = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    return QStringLiteral("%1 (%2)").arg(at.toString(Qt::ISODate),
                                         Jwt::relative(at, now, isExpiry));
}

TokenCheck signatureCheck(const DecodedJwt &jwt, const IdTokenExpectations &expected,
                          const KeySource &source)
{
    const QString alg = jwt.algorithm();
    if (JwsVerifier::isSymmetric(alg)) {
        const auto result = JwsVerifier::verifyWithSecret(jwt, expected.clientSecret);
        if (result.valid)
            return check("signature", Status::Passed,
                         QStringLiteral("%1 with the client secret (OIDC Core §10.1)").arg(alg));
        return check("signature", Status::Failed, result.reason,
                     expected.clientSecret.isEmpty()
                         ? QStringLiteral("Enter the client secret: an %1 ID token is signed with "
                                          "it.")
                               .arg(alg)
                         : QStringLiteral("Check that the secret in the form is the one the "
                                          "provider holds for this client."));
    }
    if (!source.keys)
        return check("signature", Status::Warning,
                     QStringLiteral("not verified: %1").arg(source.problem),
                     QStringLiteral("Fill in the JWKS URI (discovery does it) so the app can "
                                    "fetch the issuer's keys."));
    const QString kid = jwt.keyId();
    const QList<Jwk> candidates = source.keys->candidatesFor(kid, alg);
    if (candidates.isEmpty()) {
        const QString missing =
            kid.isEmpty() ? QStringLiteral("the JWKS has no %1 key for %2")
                                .arg(JwsVerifier::keyTypeFor(alg), alg)
            : source.keys->hasKeyId(kid)
                ? QStringLiteral("the key \"%1\" in the JWKS does not fit %2 "
                                 "(its kty, use or alg says otherwise)")
                      .arg(kid, alg)
                : QStringLiteral("no key with kid \"%1\" in the JWKS (%2 keys: %3)")
                      .arg(kid)
                      .arg(source.keys->keys.size())
                      .arg([&] {
                          QStringList ids;
                          for (const Jwk &key : source.keys->keys)
                              ids << (key.kid().isEmpty() ? QStringLiteral("-") : key.kid());
                          return ids.join(QStringLiteral(", "));
                      }());
        return check("signature", Status::Failed, missing + QStringLiteral("; ") + source.origin,
                     QStringLiteral("The token was signed by a key the issuer does not publish: "
                                    "check that the JWKS URI belongs to this issuer, or that the "
                                    "provider has not rotated keys without publishing the new "
                                    "one."));
    }
    QStringList reasons;
    for (const Jwk &key : candidates) {
        const auto result = JwsVerifier::verify(jwt, key);
        if (result.valid)
            return check("signature", Status::Passed,
                         QStringLiteral("%1, key %2 (%3); %4")
                             .arg(alg,
                                  key.kid().isEmpty() ? QStringLiteral("without kid") : key.kid(),
                                  key.describe(), source.origin));
        reasons << result.reason;
    }
    return check("signature", Status::Failed, reasons.join(QStringLiteral("; ")),
                 QStringLiteral("Do not trust this token. If nothing changed it on the way, the "
                                "keys you fetched are not the issuer's."));
}
} // namespace

QByteArray halfHash(const QByteArray &value, const QString &alg, const QString &crv)
{
    const EVP_MD *md = nullptr;
    int length = 0;
    if (alg.endsWith(QLatin1String("256")))
        md = EVP_sha256();
    else if (alg.endsWith(QLatin1String("384")))
        md = EVP_sha384();
    else if (alg.endsWith(QLatin1String("512")) || alg == QLatin1String("Ed25519") ||
             (alg == QLatin1String("EdDSA") && crv != QLatin1String("Ed448")))
        md = EVP_sha512();
    else if (alg == QLatin1String("Ed448") || alg == QLatin1String("EdDSA")) {
        md = EVP_shake256();
        length = 114;
    }
    if (!md)
        return {};
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    QByteArray digest(length ? length : EVP_MD_get_size(md), '\0');
    auto *out = reinterpret_cast<unsigned char *>(digest.data());
    unsigned int written = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), value.constData(), size_t(value.size())) != 1 ||
        (length ? EVP_DigestFinalXOF(ctx.get(), out, size_t(length))
                : EVP_DigestFinal_ex(ctx.get(), out, &written)) != 1)
        return {};
    return base64Url(digest.left(digest.size() / 2));
}

namespace {
// alg: never none; one the provider says it uses; one the app can check.
// What is being validated, for the words of its checks: an ID token or a JARM response.
struct Subject
{
    const char *what;              // "ID token", "response"
    const char *algMetadata;       // the server's list of signing algorithms
    const char *signedMetadata;    // the client's registered signing algorithm
    const char *encryptedMetadata; // the client's registered encryption algorithm
    const char *formatRule;        // what the token must be, with its source
};
constexpr Subject kIdToken{"ID token", "id_token_signing_alg_values_supported",
                           "id_token_signed_response_alg", "id_token_encrypted_response_alg",
                           "An ID token must be a signed JWT (OIDC Core §2)."};
constexpr Subject kResponse{"response", "authorization_signing_alg_values_supported",
                            "authorization_signed_response_alg",
                            "authorization_encrypted_response_alg",
                            "A JWT response mode answers with a signed JWT in the response "
                            "parameter (JARM §2.1)."};

TokenCheck algCheck(const QString &alg, const IdTokenExpectations &expected, const Subject &subject)
{
    const QString what = QLatin1String(subject.what);
    if (alg.isEmpty() || alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
        return check("alg", Status::Failed,
                     QStringLiteral("alg is \"%1\": the %2 is not signed, so anyone could "
                                    "have written it")
                         .arg(alg.isEmpty() ? QStringLiteral("(missing)") : alg, what),
                     QStringLiteral("Reject it: the %1 must be signed. Set the client's %2 "
                                    "(RS256 is the default) at the provider.")
                         .arg(what, QLatin1String(subject.signedMetadata)));
    }
    if (!JwsVerifier::isSupported(alg)) {
        return check("alg", Status::Failed,
                     QStringLiteral("\"%1\" is not an algorithm the app can verify (%2)")
                         .arg(alg, JwsVerifier::supportedAlgorithms().join(QStringLiteral(", "))),
                     QStringLiteral("Register the client's %1 as a common algorithm such as "
                                    "RS256 or ES256.")
                         .arg(QLatin1String(subject.signedMetadata)));
    }
    if (!expected.allowedAlgorithms.isEmpty() && !expected.allowedAlgorithms.contains(alg)) {
        return check("alg", Status::Failed,
                     QStringLiteral("%1 is not in the provider's %2 (%3)")
                         .arg(alg, QLatin1String(subject.algMetadata),
                              expected.allowedAlgorithms.join(QStringLiteral(", "))),
                     QStringLiteral("A %1 signed with an algorithm the provider does not "
                                    "announce may be forged (algorithm confusion).")
                         .arg(what));
    }
    return check("alg", Status::Passed, alg);
}

// iss: exactly the issuer, byte for byte.
TokenCheck issCheck(const QJsonObject &claims, const IdTokenExpectations &expected)
{
    const QString iss = claims.value(QLatin1String("iss")).toString();
    if (expected.issuer.isEmpty())
        return check("iss", Status::Skipped,
                     QStringLiteral("iss is \"%1\"; the expected issuer is unknown").arg(iss),
                     QStringLiteral("Fill in the issuer field (or use Discover) so the app can "
                                    "compare it."));
    else if (iss == expected.issuer)
        return check("iss", Status::Passed, iss);
    else
        return check(
            "iss", Status::Failed,
            QStringLiteral("iss is \"%1\", the issuer is \"%2\"").arg(iss, expected.issuer),
            iss.endsWith(QLatin1Char('/')) != expected.issuer.endsWith(QLatin1Char('/'))
                ? QStringLiteral("They differ only by a trailing slash: the comparison is exact, "
                                 "so enter the issuer exactly as the provider writes it.")
                : QStringLiteral("The token comes from another issuer than the one configured: "
                                 "check the issuer field and the endpoints."));
}

// sub: must be there; after a refresh, the same user.
TokenCheck subCheck(const QJsonObject &claims, const IdTokenExpectations &expected)
{
    const QString sub = claims.value(QLatin1String("sub")).toString();
    if (sub.isEmpty())
        return check("sub", Status::Failed, QStringLiteral("no sub claim"),
                     QStringLiteral("An ID token must say who the user is (OIDC Core §2)."));
    else if (!expected.expectedSubject.isEmpty() && sub != expected.expectedSubject)
        return check("sub", Status::Failed,
                     QStringLiteral("sub is \"%1\", the first ID token had \"%2\"")
                         .arg(sub, expected.expectedSubject),
                     QStringLiteral("A refreshed ID token must be about the same user (OIDC "
                                    "Core §12.2)."));
    else
        return check("sub", Status::Passed, sub);
}

// aud (a string or an array) contains the client_id; azp when there are several.
QList<TokenCheck> audienceChecks(const QJsonObject &claims, const IdTokenExpectations &expected)
{
    QList<TokenCheck> checks;
    QStringList audiences;
    const QJsonValue aud = claims.value(QLatin1String("aud"));
    if (aud.isString())
        audiences << aud.toString();
    for (const QJsonValue &value : aud.toArray())
        audiences << value.toString();
    if (audiences.contains(expected.clientId))
        checks << check("aud", Status::Passed, audiences.join(QStringLiteral(", ")));
    else
        checks << check("aud", Status::Failed,
                        audiences.isEmpty()
                            ? QStringLiteral("no aud claim")
                            : QStringLiteral("aud is %1; the client_id \"%2\" is not in it")
                                  .arg(audiences.join(QStringLiteral(", ")), expected.clientId),
                        QStringLiteral("The token was issued to another client: check the client "
                                       "ID in the form."));
    const QString azp = claims.value(QLatin1String("azp")).toString();
    if (claims.contains(QLatin1String("azp")))
        checks << (azp == expected.clientId
                       ? check("azp", Status::Passed, azp)
                       : check("azp", Status::Failed,
                               QStringLiteral("azp is \"%1\", not the client_id \"%2\"")
                                   .arg(azp, expected.clientId),
                               QStringLiteral("The token was issued to another party; do not "
                                              "use it.")));
    else if (audiences.size() > 1)
        checks << check(
            "azp", Status::Warning,
            QStringLiteral("aud names %1 parties and there is no azp").arg(audiences.size()),
            QStringLiteral("With several audiences the client should see an azp "
                           "naming itself (OIDC Core §3.1.3.7, point 4)."));
    else
        checks << check("azp", Status::Skipped, QStringLiteral("not present (single audience)"));
    return checks;
}

// exp: a NumericDate in the future.
TokenCheck expCheck(const QJsonObject &claims, const IdTokenExpectations &expected,
                    const QDateTime &now)
{
    const qint64 nowSeconds = now.toSecsSinceEpoch();
    const QJsonValue exp = claims.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return check("exp", Status::Failed, QStringLiteral("no numeric exp claim"),
                     QStringLiteral("An ID token must carry exp (OIDC Core §2)."));
    else if (qint64(exp.toDouble()) + expected.allowedSkewSeconds <= nowSeconds)
        return check("exp", Status::Failed, when(qint64(exp.toDouble()), now, true),
                     QStringLiteral("The token has expired; run the flow again. If it was "
                                    "issued a moment ago, this machine's clock is off."));
    else
        return check("exp", Status::Passed, when(qint64(exp.toDouble()), now, true));
}

// iat: a NumericDate not in the future, and not old for a fresh token.
TokenCheck iatCheck(const QJsonObject &claims, const IdTokenExpectations &expected,
                    const QDateTime &now)
{
    const qint64 nowSeconds = now.toSecsSinceEpoch();
    const QJsonValue iat = claims.value(QLatin1String("iat"));
    if (!iat.isDouble())
        return check("iat", Status::Failed, QStringLiteral("no numeric iat claim"),
                     QStringLiteral("An ID token must carry iat (OIDC Core §2)."));
    else if (qint64(iat.toDouble()) > nowSeconds + expected.allowedSkewSeconds)
        return check("iat", Status::Failed,
                     QStringLiteral("issued in the future: %1")
                         .arg(when(qint64(iat.toDouble()), now, false)),
                     QStringLiteral("This machine's clock and the provider's disagree; sync "
                                    "the clock (NTP)."));
    else if (nowSeconds - qint64(iat.toDouble()) > 3600)
        return check("iat", Status::Warning,
                     QStringLiteral("issued %1").arg(when(qint64(iat.toDouble()), now, false)),
                     QStringLiteral("A fresh ID token more than an hour old points to a "
                                    "replayed token or a wrong clock."));
    else
        return check("iat", Status::Passed, when(qint64(iat.toDouble()), now, false));
}

// nonce: echoes the one the authorization request sent.
TokenCheck nonceCheck(const QJsonObject &claims, const IdTokenExpectations &expected)
{
    const QJsonValue nonce = claims.value(QLatin1String("nonce"));
    if (expected.nonce.isEmpty())
        return check("nonce", nonce.isUndefined() ? Status::Skipped : Status::Warning,
                     nonce.isUndefined()
                         ? QStringLiteral("no nonce was sent, none came back")
                         : QStringLiteral("the token carries nonce \"%1\" though none was sent")
                               .arg(nonce.toString()));
    else if (!nonce.isString() && expected.nonceOptional)
        return check("nonce", Status::Skipped,
                     QStringLiteral("absent, as a refreshed ID token may be"));
    else if (!nonce.isString())
        return check("nonce", Status::Failed,
                     QStringLiteral("a nonce was sent, the ID token has none"),
                     QStringLiteral("The provider must echo the nonce (OIDC Core §3.1.2.1); "
                                    "without it the token cannot be tied to this request."));
    else if (constantTimeEquals(nonce.toString().toUtf8(), expected.nonce))
        return check("nonce", Status::Passed, QStringLiteral("matches the nonce sent"));
    else
        return check("nonce", Status::Failed,
                     QStringLiteral("nonce is \"%1\", the request sent \"%2\"")
                         .arg(nonce.toString(), QString::fromLatin1(expected.nonce)),
                     QStringLiteral("The ID token belongs to another request (a replay, or "
                                    "two flows crossed)."));
}

// at_hash and c_hash bind the token to the access token and code issued with it.
TokenCheck hashCheck(const QJsonObject &claims, const QString &alg, const char *name,
                     const QByteArray &value, const char *what)
{
    const QString claim = claims.value(QLatin1String(name)).toString();
    if (claim.isEmpty())
        return check(name, Status::Skipped,
                     QStringLiteral("not present (optional in the code flow)"));
    if (value.isEmpty())
        return check(
            name, Status::Skipped,
            QStringLiteral("present, but the %1 is not known here").arg(QLatin1String(what)));
    const QByteArray computed = halfHash(value, alg, QString());
    if (computed.isEmpty())
        return check(name, Status::Skipped,
                     QStringLiteral("no hash is defined for alg %1").arg(alg));
    if (computed == claim.toLatin1())
        return check(name, Status::Passed,
                     QStringLiteral("matches the %1").arg(QLatin1String(what)));
    return check(
        name, Status::Failed,
        QStringLiteral("%1 is \"%2\"; the %3 hashes to \"%4\"")
            .arg(QLatin1String(name), claim, QLatin1String(what), QString::fromLatin1(computed)),
        QStringLiteral("The %1 was not issued together with this ID token.")
            .arg(QLatin1String(what)));
}
// The "decryption" check of an encrypted token (JWE, RFC 7516): the signed JWT inside, or why
// it could not be opened.
TokenCheck decryptionCheck(const QByteArray &token, const IdTokenExpectations &expected,
                           const Subject &subject, QByteArray *inner)
{
    const Jwe::Decrypted opened = Jwe::decrypt(token, expected.decryptionKey);
    const QString algorithms = QStringLiteral("alg %1, enc %2")
                                   .arg(opened.header.value(QLatin1String("alg")).toString(),
                                        opened.header.value(QLatin1String("enc")).toString());
    if (opened.ok) {
        *inner = opened.plaintext.trimmed();
        return check("decryption", Status::Passed,
                     QStringLiteral("opened with the client's key (%1%2): %3")
                         .arg(expected.decryptionKey.describe(),
                              expected.decryptionKey.keyId().isEmpty()
                                  ? QString()
                                  : QStringLiteral(", kid %1").arg(expected.decryptionKey.keyId()),
                              algorithms));
    }
    const QString fix =
        !expected.decryptionKey.isValid()
            ? QStringLiteral("The client is registered with %1, so the server encrypts the %2 "
                             "to the client's public key. Set the client's decryption key (the "
                             "private half of the \"use\": \"enc\" key in its jwks) to open it.")
                  .arg(QLatin1String(subject.encryptedMetadata), QLatin1String(subject.what))
            : QStringLiteral("The server encrypted the %1 to a key the app does not hold: the "
                             "client's registered jwks (or jwks_uri) must carry the public half "
                             "of the decryption key set here, with its kid, and %2 must be an "
                             "algorithm that key fits.")
                  .arg(QLatin1String(subject.what), QLatin1String(subject.encryptedMetadata));
    return check("decryption", Status::Failed,
                 QStringLiteral("the %1 is encrypted (%2): %3")
                     .arg(QLatin1String(subject.what), algorithms, opened.reason),
                 fix);
}

// The checks both validations begin with: decryption when the token is encrypted, its format
// (a JWS), its algorithm, and its signature. The decoded JWT when it could be read.
std::optional<DecodedJwt> openSigned(const QByteArray &token, const IdTokenExpectations &expected,
                                     const KeySource &keys, const Subject &subject,
                                     const QDateTime &now, QList<TokenCheck> *checks)
{
    QByteArray jws = token;
    if (Jwt::kindOf(token) == Jwt::Kind::Jwe) {
        const TokenCheck decryption = decryptionCheck(token, expected, subject, &jws);
        *checks << decryption;
        if (decryption.status == Status::Failed)
            return std::nullopt;
    }
    QString error;
    auto decoded = Jwt::decode(jws, &error, now);
    if (!decoded) {
        *checks << check("format", Status::Failed,
                         jws == token ? error
                                      : QStringLiteral("the encrypted content is not a signed "
                                                       "JWT: %1")
                                            .arg(error),
                         QLatin1String(subject.formatRule));
        return std::nullopt;
    }
    *checks << check("format", Status::Passed,
                     jws == token ? QStringLiteral("signed JWT (JWS compact)")
                                  : QStringLiteral("signed JWT inside the encryption (nested)"));
    const TokenCheck algorithm = algCheck(decoded->algorithm(), expected, subject);
    *checks << algorithm;
    *checks << (algorithm.status == Status::Passed
                    ? signatureCheck(*decoded, expected, keys)
                    : check("signature", Status::Failed,
                            QStringLiteral("not checked: the algorithm is not acceptable")));
    return decoded;
}

} // namespace

QList<TokenCheck> validate(const QByteArray &idToken, const IdTokenExpectations &expected,
                           const KeySource &keys, const QDateTime &now)
{
    QList<TokenCheck> checks;
    const auto decoded = openSigned(idToken, expected, keys, kIdToken, now, &checks);
    if (!decoded)
        return checks;
    const QJsonObject &claims = decoded->claims;
    const QString alg = decoded->algorithm();
    checks << issCheck(claims, expected) << subCheck(claims, expected);
    checks << audienceChecks(claims, expected);
    checks << expCheck(claims, expected, now) << iatCheck(claims, expected, now);
    checks << nonceCheck(claims, expected);
    checks << hashCheck(claims, alg, "at_hash", expected.accessToken, "access token");
    checks << hashCheck(claims, alg, "c_hash", expected.code, "authorization code");
    return checks;
}

QList<TokenCheck> validateAuthorizationResponse(const QByteArray &response,
                                                const IdTokenExpectations &expected,
                                                const KeySource &keys, const QDateTime &now)
{
    QList<TokenCheck> checks;
    const auto decoded = openSigned(response, expected, keys, kResponse, now, &checks);
    if (!decoded)
        return checks;
    // An ID token whose keys could not be had is shown with a warning; a signed response is
    // only worth its signature, so it is not used unchecked.
    if (checks.last().status == Status::Warning)
        checks.last().status = Status::Failed;
    const QJsonObject &claims = decoded->claims;
    checks << issCheck(claims, expected);
    checks << audienceChecks(claims, expected).constFirst();
    TokenCheck expiry = expCheck(claims, expected, now);
    if (expiry.status == Status::Failed && !claims.value(QLatin1String("exp")).isDouble())
        expiry.fix = QStringLiteral("A JWT authorization response must carry exp (JARM §2.1); "
                                    "without it a captured response could be replayed later.");
    else if (expiry.status == Status::Failed)
        expiry.fix = QStringLiteral("The response expired before it reached the app; run the "
                                    "flow again. If it was issued a moment ago, this machine's "
                                    "clock is off.");
    checks << expiry;
    return checks;
}

bool accepted(const QList<TokenCheck> &checks)
{
    for (const TokenCheck &check : checks) {
        if (check.status == TokenCheck::Status::Failed)
            return false;
    }
    return true;
}

QString firstFailure(const QList<TokenCheck> &checks)
{
    for (const TokenCheck &check : checks) {
        if (check.status == TokenCheck::Status::Failed)
            return check.name + QStringLiteral(": ") + check.detail;
    }
    return {};
}

} // namespace IdTokenValidator
} // namespace workbench
