// IdTokenVerifier: the JWKS is fetched (and recorded), cached, and fetched again when a token
// names a kid the cached set lacks; fetch failures are explained. A canned server stands in for
// the issuer here; tests/e2e checks the same against oidc-provider's real JWKS.
#include "core/http/ExchangeClient.h"
#include "core/tokens/IdTokenVerifier.h"

#include "TestClock.h"
#include "TestHttp.h"
#include "TestJose.h"

#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::CannedServer;
using testhttp::jsonResponse;
using Status = TokenCheck::Status;

Q_DECLARE_METATYPE(QList<workbench::TokenCheck>)

namespace {
QJsonObject claims()
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return {{"iss", "https://issuer.test"},
            {"sub", "alice"},
            {"aud", "cid"},
            {"exp", double(now + 300)},
            {"iat", double(now - 1)}};
}
IdTokenExpectations expected()
{
    IdTokenExpectations e;
    e.issuer = "https://issuer.test";
    e.clientId = "cid";
    e.clientSecret = "shared-secret-for-hs256-tokens!!";
    return e;
}
TokenCheck signatureOf(const QList<TokenCheck> &checks)
{
    for (const TokenCheck &check : checks) {
        if (check.name == QLatin1String("signature"))
            return check;
    }
    return {};
}
} // namespace

class TestIdTokenVerifier : public QObject
{
    Q_OBJECT

    QList<TokenCheck> verify(IdTokenVerifier &verifier, const QByteArray &token, const QUrl &jwks)
    {
        QSignalSpy finished(&verifier, &IdTokenVerifier::finished);
        verifier.verify(token, expected(), jwks);
        if (finished.isEmpty() && !finished.wait(10000))
            return {};
        return finished.first().first().value<QList<TokenCheck>>();
    }

private slots:
    void initTestCase() { qRegisterMetaType<QList<TokenCheck>>(); }

    void fetchesCachesAndRefetchesOnUnknownKid()
    {
        const testjose::TestKey first = testjose::makeKey("ES256", "first");
        const testjose::TestKey second = testjose::makeKey("RS256", "second");
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/jwks", jsonResponse(200, testjose::jwks({first})));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        QSignalSpy recorded(&verifier, &IdTokenVerifier::exchangeRecorded);

        auto checks = verify(verifier, testjose::sign(first, claims()), server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Passed);
        QVERIFY(signatureOf(checks).detail.contains("keys fetched from"));
        QCOMPARE(verifier.fetchCount(), 1);
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.first().first().value<HttpExchange>().status, 200);
        QVERIFY(server.requests.first().startsWith("GET /jwks HTTP/1.1"));

        // Same kid again: from the cache, nothing fetched.
        checks = verify(verifier, testjose::sign(first, claims()), server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Passed);
        QVERIFY(signatureOf(checks).detail.contains("cached"));
        QCOMPARE(verifier.fetchCount(), 1);
        QCOMPARE(server.requests.size(), 1);

        // The provider rotated: a token with a new kid makes the verifier fetch again.
        server.route("/jwks", jsonResponse(200, testjose::jwks({first, second})));
        checks = verify(verifier, testjose::sign(second, claims()), server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Passed);
        QVERIFY2(signatureOf(checks).detail.contains("the cached set had no kid \"second\""),
                 qPrintable(signatureOf(checks).detail));
        QCOMPARE(verifier.fetchCount(), 2);

        // A kid nobody publishes: fetched once more, then a clear failure.
        const testjose::TestKey stranger = testjose::makeKey("ES256", "stranger");
        checks = verify(verifier, testjose::sign(stranger, claims()), server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Failed);
        QVERIFY(signatureOf(checks).detail.contains("no key with kid \"stranger\""));
        QCOMPARE(verifier.fetchCount(), 3);
    }

    void expiredCacheIsFetchedAgain()
    {
        const testjose::TestKey key = testjose::makeKey("ES256", "k");
        CannedServer server(jsonResponse(200, testjose::jwks({key})));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TestClock clock;
        const ScopedClock inPlace(clock);
        verify(verifier, testjose::sign(key, claims()), server.url("/jwks"));
        // Still fresh a minute later: no second fetch.
        clock.advance(60);
        verify(verifier, testjose::sign(key, claims()), server.url("/jwks"));
        QCOMPARE(verifier.fetchCount(), 1);
        clock.advance(600); // past the cache's ten minutes
        const auto checks = verify(verifier, testjose::sign(key, claims()), server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Passed);
        QVERIFY(signatureOf(checks).detail.contains("older than"));
        QCOMPARE(verifier.fetchCount(), 2);
    }

    // Keys for encrypting to the server: a fresh cached set without a key for the algorithm is
    // fetched once more (the server may have published its encryption key since), then reused.
    void encryptionKeysAreFetchedAgainWhenTheCacheHasNone()
    {
        const testjose::TestKey signing = testjose::makeKey("ES256", "sig-key");
        testjose::TestKey encryption = testjose::makeKey("ES256", "enc-key");
        encryption.publicJwk["use"] = "enc";
        encryption.publicJwk.remove("alg");
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/jwks", jsonResponse(200, testjose::jwks({signing})));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        const auto keysFor = [&](const QString &alg) {
            QStringList answer; // the key ids had, then where they came from or the problem
            bool done = false;
            const auto connection =
                connect(&verifier, &IdTokenVerifier::keysReady, this, [&](const KeySource &source) {
                    done = true;
                    if (source.keys) {
                        for (const Jwk &key : source.keys->keys)
                            answer << key.kid();
                    }
                    answer << source.origin + source.problem;
                });
            verifier.fetchKeys(server.url("/jwks"), alg);
            if (!QTest::qWaitFor([&done] { return done; }, 10000))
                answer << "no keysReady within 10 s";
            disconnect(connection);
            return answer;
        };

        QStringList had = keysFor("ECDH-ES");
        QCOMPARE(had.size(), 2);
        QCOMPARE(had.first(), QString("sig-key"));
        QCOMPARE(verifier.fetchCount(), 1);

        // The server publishes its encryption key: the fresh cache lacks one, so it is fetched.
        server.route("/jwks", jsonResponse(200, testjose::jwks({signing, encryption})));
        had = keysFor("ECDH-ES");
        QCOMPARE(verifier.fetchCount(), 2);
        QCOMPARE(had.mid(0, 2), QStringList({"sig-key", "enc-key"}));
        QVERIFY2(had.last().contains("the cached set had no EC key to encrypt to with ECDH-ES"),
                 qPrintable(had.last()));

        // Now the cache holds one: no third fetch.
        had = keysFor("ECDH-ES+A128KW");
        QCOMPARE(verifier.fetchCount(), 2);
        QVERIFY2(had.last().contains("cached"), qPrintable(had.last()));
        QCOMPARE(server.requests.size(), 2);
    }

    void hmacTokensNeedNoFetch()
    {
        CannedServer server(jsonResponse(500, "{}"));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        const auto checks =
            verify(verifier, testjose::signHmac("HS256", expected().clientSecret, claims()),
                   server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Passed);
        QCOMPARE(verifier.fetchCount(), 0);
        QVERIFY(server.requests.isEmpty());
    }

    void fetchFailuresAreExplained_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QString>("detailPart");
        QTest::newRow("html login page")
            << jsonResponse(200, "<html><body>Sign in</body></html>", "text/html") << "is not JSON";
        QTest::newRow("not a key set")
            << jsonResponse(200, "{\"issuer\":\"x\"}") << "\"keys\" array";
        QTest::newRow("not found") << jsonResponse(404, "{}") << "answered HTTP 404";
    }
    void fetchFailuresAreExplained()
    {
        QFETCH(QByteArray, response);
        QFETCH(QString, detailPart);
        const testjose::TestKey key = testjose::makeKey("ES256", "k");
        CannedServer server(response);
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        const auto checks = verify(verifier, testjose::sign(key, claims()), server.url("/jwks"));
        QCOMPARE(signatureOf(checks).status, Status::Warning);
        QVERIFY2(signatureOf(checks).detail.contains(detailPart),
                 qPrintable(signatureOf(checks).detail));
    }

    void unreachableJwks()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            port = probe.serverPort();
        }
        const testjose::TestKey key = testjose::makeKey("ES256", "k");
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        const auto checks = verify(verifier, testjose::sign(key, claims()),
                                   QUrl(QStringLiteral("http://127.0.0.1:%1/jwks").arg(port)));
        QCOMPARE(signatureOf(checks).status, Status::Warning);
        QVERIFY(signatureOf(checks).detail.contains("could not be fetched"));
        // And with no URI at all.
        const auto none = verify(verifier, testjose::sign(key, claims()), QUrl());
        QVERIFY(signatureOf(none).detail.contains("no JWKS URI"));
    }
};

QTEST_GUILESS_MAIN(TestIdTokenVerifier)
#include "tst_idtokenverifier.moc"
