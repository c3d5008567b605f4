// DPoP proofs (RFC 9449) and key thumbprints (RFC 7638): the RFCs' own example values, and proofs
// made with keys the test generates, verified with the app's JWS verifier against the key the
// proof carries.
#include "core/jose/Dpop.h"
#include "core/jose/Jwk.h"
#include "core/jose/JwsVerifier.h"
#include "core/jose/Jwt.h"

#include <QJsonDocument>
#include <QTest>

using namespace workbench;

class TestDpop : public QObject
{
    Q_OBJECT

private slots:
    // RFC 7638 §3.1: the example RSA key and its thumbprint; members beyond the required ones
    // (alg, kid, use) change nothing.
    void thumbprintOfTheRfcExampleKey()
    {
        const QJsonObject jwk{
            {"kty", "RSA"},
            {"n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1"
                  "L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4"
                  "QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91Cb"
                  "OpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-cs"
                  "FCur-kEgU8awapJzKnqDKgw"},
            {"e", "AQAB"},
            {"alg", "RS256"},
            {"kid", "2011-04-29"}};
        QCOMPARE(Dpop::thumbprint(jwk), QByteArray("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
    }

    void thumbprintNeedsTheRequiredMembers()
    {
        QVERIFY(Dpop::thumbprint(QJsonObject{{"kty", "EC"}, {"crv", "P-256"}, {"x", "abc"}})
                    .isEmpty()); // no y
        QVERIFY(Dpop::thumbprint(QJsonObject{{"kty", "oct"}, {"k", "c2VjcmV0"}}).isEmpty());
        QVERIFY(Dpop::thumbprint(QJsonObject{}).isEmpty());
    }

    // RFC 9449 §4.2: htu is the URL without query and fragment; ath is the base64url SHA-256 of
    // the access token (the value of the RFC's example in §7.1).
    void htuAndAth()
    {
        QCOMPARE(Dpop::htu(QUrl("https://server.example.com:8443/token?x=1&y=2#part")),
                 QStringLiteral("https://server.example.com:8443/token"));
        QCOMPARE(Dpop::htu(QUrl("https://resource.example.org/protectedresource")),
                 QStringLiteral("https://resource.example.org/protectedresource"));
        QCOMPARE(Dpop::accessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
                 QByteArray("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"));
    }

    void proofIsSignedByTheKeyItCarries_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::newRow("ES256") << QStringLiteral("ES256");
        QTest::newRow("RS256") << QStringLiteral("RS256");
        QTest::newRow("PS256") << QStringLiteral("PS256");
        QTest::newRow("EdDSA") << QStringLiteral("EdDSA");
    }

    void proofIsSignedByTheKeyItCarries()
    {
        QFETCH(QString, alg);
        const SigningKey key = SigningKey::generate(alg, QStringLiteral("client-key"));
        QVERIFY(key.isValid());
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        const QByteArray proof =
            Dpop::proof(key, {"POST", QUrl("https://as.example/token?ignored=1"), now, {}, {}});
        QVERIFY(!proof.isEmpty());
        QString error;
        const auto decoded = Jwt::decode(proof, &error, now);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(decoded->header.value("typ").toString(), QStringLiteral("dpop+jwt"));
        QCOMPARE(decoded->header.value("alg").toString(), alg);
        QVERIFY(!decoded->header.contains("kid"));
        const QJsonObject jwk = decoded->header.value("jwk").toObject();
        QVERIFY(!jwk.contains("d") && !jwk.contains("p") && !jwk.contains("q"));
        QCOMPARE(Dpop::thumbprint(jwk), Dpop::thumbprint(key.publicJwk()));
        const JwsVerifier::Result verified = JwsVerifier::verify(*decoded, Jwk{jwk});
        QVERIFY2(verified.valid, qPrintable(verified.reason));

        const QJsonObject &claims = decoded->claims;
        QCOMPARE(claims.value("htm").toString(), QStringLiteral("POST"));
        QCOMPARE(claims.value("htu").toString(), QStringLiteral("https://as.example/token"));
        QCOMPARE(qint64(claims.value("iat").toDouble()), qint64(1700000000));
        QVERIFY(claims.value("jti").toString().size() >= 16);
        QVERIFY(!claims.contains("nonce"));
        QVERIFY(!claims.contains("ath"));

        // Tampering with a claim breaks the signature.
        QStringList parts = QString::fromLatin1(proof).split(QLatin1Char('.'));
        QJsonObject changed = claims;
        changed.insert("htu", "https://attacker.example/token");
        parts[1] = QString::fromLatin1(
            QJsonDocument(changed)
                .toJson(QJsonDocument::Compact)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        const auto tampered = Jwt::decode(parts.join(QLatin1Char('.')).toLatin1(), &error, now);
        QVERIFY(tampered);
        QVERIFY(!JwsVerifier::verify(*tampered, Jwk{jwk}).valid);
    }

    // A resource request's proof carries ath; the server's nonce is echoed; each proof has its
    // own jti.
    void proofCarriesNonceAndAth()
    {
        const SigningKey key = SigningKey::generate(QStringLiteral("ES256"), {});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const Dpop::ProofRequest request{"GET", QUrl("https://api.example/items"), now,
                                         "eyJ7S_zG.eyJH0-Z.HX4w-7v", "token-value"};
        QString error;
        const auto first = Jwt::decode(Dpop::proof(key, request), &error, now);
        const auto second = Jwt::decode(Dpop::proof(key, request), &error, now);
        QVERIFY(first && second);
        QCOMPARE(first->claims.value("nonce").toString(),
                 QStringLiteral("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        QCOMPARE(first->claims.value("ath").toString(),
                 QString::fromLatin1(Dpop::accessTokenHash("token-value")));
        QVERIFY(first->claims.value("jti") != second->claims.value("jti"));
    }

    void noProofWithoutAKeyPair()
    {
        QVERIFY(
            Dpop::proof(
                SigningKey(),
                {"POST", QUrl("https://as.example/token"), QDateTime::currentDateTimeUtc(), {}, {}})
                .isEmpty());
        // A shared secret has no public key to put in the header.
        QVERIFY(
            Dpop::proof(
                SigningKey::sharedSecret("secret"),
                {"POST", QUrl("https://as.example/token"), QDateTime::currentDateTimeUtc(), {}, {}})
                .isEmpty());
    }
};

QTEST_MAIN(TestDpop)
#include "tst_dpop.moc"
