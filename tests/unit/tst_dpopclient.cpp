// The client's side of DPoP: the per-profile key (made, kept as PEM, read back), the prover's
// proofs and nonces per server, the checks that tokens are bound to the key, and the diagnosis
// of a refused proof from the proof the app itself sent.
#include "core/client/DpopKey.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/http/DpopProver.h"
#include "core/jose/Dpop.h"
#include "core/jose/Jwt.h"
#include "core/tokens/TokenBinding.h"
#include "core/util/Clock.h"

#include <QJsonDocument>
#include <QTest>

using namespace workbench;

namespace {
QJsonObject proofClaims(const HttpRequestSpec &request)
{
    QString error;
    const auto decoded = Jwt::decode(request.header("DPoP"), &error);
    return decoded ? decoded->claims : QJsonObject();
}

HttpExchange answered(const HttpRequestSpec &request, int status, const QByteArray &body,
                      HttpHeaders headers = {})
{
    HttpExchange exchange;
    exchange.label = QStringLiteral("API call");
    exchange.request = request;
    exchange.startedAt = Clock::utcNow();
    exchange.elapsedMs = 3;
    exchange.status = status;
    headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    exchange.responseHeaders = headers;
    exchange.responseBody = body;
    return exchange;
}

// An unsigned JWT with these claims (enough for decoding, which checks no signature).
QByteArray jwtWith(const QJsonObject &claims)
{
    const auto part = [](const QJsonObject &object) {
        return QJsonDocument(object)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return part(QJsonObject{{"alg", "ES256"}, {"typ", "at+jwt"}}) + '.' + part(claims) + ".c2ln";
}
} // namespace

class TestDpopClient : public QObject
{
    Q_OBJECT

private slots:
    // The key a run makes is kept as PEM and read back as the same key, for each algorithm.
    void keyIsMadeOnceAndReadBack_data()
    {
        QTest::addColumn<QString>("alg");
        for (const char *alg : {"ES256", "RS256", "PS256", "EdDSA"})
            QTest::newRow(alg) << QString::fromLatin1(alg);
    }

    void keyIsMadeOnceAndReadBack()
    {
        QFETCH(QString, alg);
        ClientConfig config;
        config.useDpop = true;
        config.dpopAlgorithm = alg;
        QVERIFY(DpopKey::thumbprint(config).isEmpty());
        QVERIFY(DpopKey::ensure(&config));
        QVERIFY(config.dpopKeyPem.startsWith("-----BEGIN PRIVATE KEY-----"));
        const QByteArray thumbprint = DpopKey::thumbprint(config);
        QCOMPARE(thumbprint.size(), 43);    // base64url of 32 bytes
        QVERIFY(!DpopKey::ensure(&config)); // it has one now
        QCOMPARE(DpopKey::thumbprint(config), thumbprint);
        QCOMPARE(DpopKey::of(config).algorithm(), alg);
        QVERIFY(config.validate().filter("DPoP").isEmpty());
        // Another algorithm cannot use it: validation says so, and a new key replaces it.
        config.dpopAlgorithm = alg == QLatin1String("ES256") ? "EdDSA" : "ES256";
        QVERIFY(!config.validate().filter("DPoP key").isEmpty());
        QVERIFY(DpopKey::ensure(&config));
        QVERIFY(DpopKey::thumbprint(config) != thumbprint);
        // A client without DPoP has no key to use, whatever it holds.
        config.useDpop = false;
        QVERIFY(DpopKey::thumbprint(config).isEmpty());
    }

    void unknownAlgorithmIsAConfigurationProblem()
    {
        ClientConfig config;
        config.useDpop = true;
        config.dpopAlgorithm = "HS256";
        QVERIFY(!config.validate().filter("DPoP key's algorithm").isEmpty());
        QVERIFY(!DpopKey::ensure(&config));
    }

    // The prover signs for the request's method and URL, with the newest nonce of that server
    // only, and ath for a request that carries "Authorization: DPoP".
    void proverKeepsANoncePerServer()
    {
        DpopProver prover(SigningKey::generate("ES256", {}));
        QCOMPARE(prover.thumbprint(), Dpop::thumbprint(prover.key().publicJwk()));

        HttpRequestSpec token;
        token.method = "POST";
        token.url = QUrl("https://as.example/token?x=1");
        prover.prove(&token);
        QJsonObject claims = proofClaims(token);
        QCOMPARE(claims.value("htm").toString(), QStringLiteral("POST"));
        QCOMPARE(claims.value("htu").toString(), QStringLiteral("https://as.example/token"));
        QVERIFY(!claims.contains("nonce"));
        QVERIFY(!claims.contains("ath"));

        QVERIFY(prover.learnNonce(answered(token, 400, "{\"error\":\"use_dpop_nonce\"}",
                                           {{"DPoP-Nonce", "as-nonce-1"}})));
        QVERIFY(!prover.learnNonce(answered(token, 200, "{}")));
        QCOMPARE(prover.nonceFor(QUrl("https://as.example/other")), QByteArray("as-nonce-1"));
        QVERIFY(prover.nonceFor(QUrl("https://api.example/items")).isEmpty());
        QVERIFY(prover.nonceFor(QUrl("https://as.example:8443/token")).isEmpty());

        HttpRequestSpec again = token;
        again.headers.clear();
        prover.prove(&again);
        QCOMPARE(proofClaims(again).value("nonce").toString(), QStringLiteral("as-nonce-1"));
        QVERIFY(proofClaims(again).value("jti") != claims.value("jti"));

        HttpRequestSpec api;
        api.url = QUrl("https://api.example/items");
        api.setHeader("Authorization", "DPoP the-access-token");
        prover.prove(&api);
        claims = proofClaims(api);
        QCOMPARE(claims.value("htm").toString(), QStringLiteral("GET"));
        QCOMPARE(claims.value("ath").toString().toLatin1(),
                 Dpop::accessTokenHash("the-access-token"));
        QVERIFY(!claims.contains("nonce"));
        // A request that already has a proof keeps it.
        const QByteArray kept = api.header("DPoP");
        prover.prove(&api);
        QCOMPARE(api.header("DPoP"), kept);
    }

    void proverSpotsANonceRequest()
    {
        HttpRequestSpec request;
        request.url = QUrl("https://as.example/token");
        const HttpHeaders nonce{{"DPoP-Nonce", "n-1"}};
        QVERIFY(DpopProver::asksForNonce(
            answered(request, 400, "{\"error\":\"use_dpop_nonce\"}", nonce)));
        QVERIFY(DpopProver::asksForNonce(
            answered(request, 401, {},
                     {{"WWW-Authenticate", "DPoP error=\"use_dpop_nonce\""}, nonce.first()})));
        // No nonce to use, or another error: nothing to retry.
        QVERIFY(
            !DpopProver::asksForNonce(answered(request, 400, "{\"error\":\"use_dpop_nonce\"}")));
        QVERIFY(!DpopProver::asksForNonce(
            answered(request, 400, "{\"error\":\"invalid_dpop_proof\"}", nonce)));
        QVERIFY(!DpopProver::asksForNonce(answered(request, 200, "{}", nonce)));
    }

    // token_type must be DPoP; a JWT access token's cnf.jkt must be the key's thumbprint.
    void bindingChecks()
    {
        const QByteArray jkt = Dpop::thumbprint(SigningKey::generate("ES256", {}).publicJwk());
        const auto check = [](const QList<TokenCheck> &checks, const QString &name) {
            for (const TokenCheck &c : checks) {
                if (c.name == name)
                    return c.status;
            }
            return TokenCheck::Status::Warning;
        };
        using S = TokenCheck::Status;
        QJsonObject response{{"access_token", "opaque-token"}, {"token_type", "DPoP"}};
        QList<TokenCheck> checks = TokenBinding::dpopChecks(response, jkt);
        QCOMPARE(check(checks, "token_type"), S::Passed);
        QCOMPARE(check(checks, "cnf.jkt"), S::Skipped);

        response.insert("token_type", "Bearer");
        checks = TokenBinding::dpopChecks(response, jkt);
        QCOMPARE(check(checks, "token_type"), S::Failed);
        QVERIFY(!checks.first().fix.isEmpty());

        response.insert("token_type", "dpop"); // case does not matter (RFC 6749 §5.1)
        response.insert(
            "access_token",
            QString::fromLatin1(jwtWith({{"sub", "a"}, {"cnf", QJsonObject{{"jkt", "other"}}}})));
        checks = TokenBinding::dpopChecks(response, jkt);
        QCOMPARE(check(checks, "token_type"), S::Passed);
        QCOMPARE(check(checks, "cnf.jkt"), S::Failed);
        response.insert(
            "access_token",
            QString::fromLatin1(
                jwtWith({{"sub", "a"}, {"cnf", QJsonObject{{"jkt", QString::fromLatin1(jkt)}}}})));
        QCOMPARE(check(TokenBinding::dpopChecks(response, jkt), "cnf.jkt"), S::Passed);
        response.insert("access_token", QString::fromLatin1(jwtWith({{"sub", "a"}})));
        QCOMPARE(check(TokenBinding::dpopChecks(response, jkt), "cnf.jkt"), S::Failed);

        QCOMPARE(
            TokenBinding::introspectedJkt(
                {{"active", true}, {"cnf", QJsonObject{{"jkt", QString::fromLatin1(jkt)}}}}, jkt)
                .status,
            S::Passed);
        QCOMPARE(TokenBinding::introspectedJkt(
                     {{"active", true}, {"cnf", QJsonObject{{"jkt", "another-key"}}}}, jkt)
                     .status,
                 S::Failed);
        QCOMPARE(TokenBinding::introspectedJkt({{"active", false}}, jkt).status, S::Skipped);
    }

    // A refused proof: the app checks the one it sent. A wrong claim is named first; a proof
    // that fits its request, refused for its htu, points at the server's view of its own URL.
    void refusedProofIsCheckedAgainstItsRequest_data()
    {
        QTest::addColumn<QString>("proofUrl");
        QTest::addColumn<QString>("firstCause");
        QTest::addColumn<QString>("evidence");
        QTest::newRow("wrong htu") << "https://api.example/v2/items"
                                   << "dpop_proof_claim_wrong"
                                   << "htu is \"https://api.example/v2/items\"";
        QTest::newRow("fits") << "https://api.example/items"
                              << "dpop_htu_rewritten"
                              << "exactly https://api.example/items";
    }

    void refusedProofIsCheckedAgainstItsRequest()
    {
        QFETCH(QString, proofUrl);
        QFETCH(QString, firstCause);
        QFETCH(QString, evidence);
        const SigningKey key = SigningKey::generate("ES256", {});
        HttpRequestSpec request;
        request.url = QUrl("https://api.example/items");
        request.setHeader("Authorization", "DPoP the-token");
        request.setHeader(
            "DPoP", Dpop::proof(key, {"GET", QUrl(proofUrl), Clock::utcNow(), {}, "the-token"}));
        const HttpExchange refused =
            answered(request, 401, "{\"error\":\"invalid_dpop_proof\"}",
                     {{"WWW-Authenticate", "DPoP error=\"invalid_dpop_proof\", "
                                           "error_description=\"DPoP proof htu mismatch\""}});
        const auto diagnosis = Diagnoser().diagnose(QList<HttpExchange>{refused}, 0);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_dpop_proof"));
        QVERIFY(!diagnosis->causes.isEmpty());
        const Diagnosis::Cause &first = diagnosis->causes.first();
        QCOMPARE(first.id, firstCause);
        QVERIFY(first.confirmed());
        QVERIFY2(first.evidence.first().text.contains(evidence), qPrintable(diagnosis->toText()));
    }

    void proofWithoutAthForATokenIsNamed()
    {
        const SigningKey key = SigningKey::generate("ES256", {});
        HttpRequestSpec request;
        request.url = QUrl("https://api.example/items");
        request.setHeader("Authorization", "DPoP the-token");
        request.setHeader("DPoP", Dpop::proof(key, {"GET", request.url, Clock::utcNow(), {}, {}}));
        const auto diagnosis = Diagnoser().diagnose(
            QList<HttpExchange>{answered(request, 401, "{\"error\":\"invalid_dpop_proof\"}")}, 0);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("dpop_proof_claim_wrong"));
        QVERIFY2(diagnosis->causes.first().evidence.first().text.contains("no ath"),
                 qPrintable(diagnosis->toText()));
    }
};

QTEST_MAIN(TestDpopClient)
#include "tst_dpopclient.moc"
