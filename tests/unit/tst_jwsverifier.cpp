// JWS signature checks with OpenSSL 3, against tokens signed in this test by keys it makes.
#include "core/jose/JwsVerifier.h"

#include "TestJose.h"

#include <QTest>

using namespace workbench;

namespace {
DecodedJwt decoded(const QByteArray &token)
{
    QString error;
    const auto jwt = Jwt::decode(token, &error);
    if (!jwt)
        qFatal("test token does not decode: %s", qPrintable(error));
    return *jwt;
}

QByteArray flipLastSignatureByte(QByteArray token)
{
    // Change a byte of the signature itself, not only base64 padding bits.
    const qsizetype dot = token.lastIndexOf('.');
    QByteArray signature =
        QByteArray::fromBase64(token.mid(dot + 1), QByteArray::Base64UrlEncoding);
    signature[signature.size() / 2] = char(signature.at(signature.size() / 2) ^ 0x01);
    return token.left(dot + 1) + testjose::b64(signature);
}

const QJsonObject kClaims{{"iss", "https://issuer.test"}, {"sub", "alice"}, {"aud", "client"}};
} // namespace

class TestJwsVerifier : public QObject
{
    Q_OBJECT

private slots:
    void everyAlgorithmVerifies_data()
    {
        QTest::addColumn<QString>("alg");
        for (const char *alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
                                "ES384", "ES512", "EdDSA", "Ed25519", "Ed448"})
            QTest::newRow(alg) << QString::fromLatin1(alg);
    }
    void everyAlgorithmVerifies()
    {
        QFETCH(QString, alg);
        const testjose::TestKey key = testjose::makeKey(alg, "k1");
        const QByteArray token = testjose::sign(key, kClaims);
        const Jwk jwk{key.publicJwk};

        const auto good = JwsVerifier::verify(decoded(token), jwk);
        QVERIFY2(good.valid, qPrintable(good.reason));
        QVERIFY(good.reason.isEmpty());

        // A changed signature fails.
        const auto tampered = JwsVerifier::verify(decoded(flipLastSignatureByte(token)), jwk);
        QVERIFY(!tampered.valid);
        QVERIFY2(tampered.reason.contains("does not match") || tampered.reason.contains("bytes"),
                 qPrintable(tampered.reason));

        // Changed claims with the old signature fail.
        QJsonObject forged = kClaims;
        forged["sub"] = "mallory";
        const QByteArray forgedInput = testjose::signingInput(
            QJsonDocument::fromJson(
                QByteArray::fromBase64(token.split('.').at(0), QByteArray::Base64UrlEncoding))
                .object(),
            forged);
        const QByteArray forgedToken = forgedInput + '.' + token.split('.').at(2);
        QVERIFY(!JwsVerifier::verify(decoded(forgedToken), jwk).valid);

        // Another key of the same kind does not verify it.
        const testjose::TestKey other = testjose::makeKey(alg, "k2");
        const auto wrongKey = JwsVerifier::verify(decoded(token), Jwk{other.publicJwk});
        QVERIFY(!wrongKey.valid);
        QVERIFY(wrongKey.reason.contains("k2"));
    }

    void hmacWithTheClientSecret_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::newRow("HS256") << "HS256";
        QTest::newRow("HS384") << "HS384";
        QTest::newRow("HS512") << "HS512";
    }
    void hmacWithTheClientSecret()
    {
        QFETCH(QString, alg);
        const QByteArray secret = "a client secret that is long enough for HS512 keys..........";
        const QByteArray token = testjose::signHmac(alg, secret, kClaims);
        QVERIFY(JwsVerifier::verifyWithSecret(decoded(token), secret).valid);
        const auto wrong = JwsVerifier::verifyWithSecret(decoded(token), secret + "x");
        QVERIFY(!wrong.valid);
        QVERIFY(wrong.reason.contains("client secret"));
        const auto none = JwsVerifier::verifyWithSecret(decoded(token), {});
        QVERIFY(!none.valid);
        QVERIFY(none.reason.contains("none is set"));
        // As an "oct" JWK, too.
        const Jwk oct{
            QJsonObject{{"kty", "oct"}, {"k", QString::fromLatin1(testjose::b64(secret))}}};
        QVERIFY(JwsVerifier::verify(decoded(token), oct).valid);
    }

    void algNoneIsNeverAccepted()
    {
        const testjose::TestKey key = testjose::makeKey("ES256", "k1");
        for (const char *alg : {"none", "None", "NONE"}) {
            const QByteArray token =
                testjose::signingInput(QJsonObject{{"alg", alg}}, kClaims) + '.';
            const auto result = JwsVerifier::verify(decoded(token), Jwk{key.publicJwk});
            QVERIFY(!result.valid);
            QVERIFY(result.reason.contains("never accepted"));
        }
    }

    void keyMustFitTheAlgorithm()
    {
        const testjose::TestKey rsa = testjose::makeKey("RS256", "rsa");
        const testjose::TestKey ec = testjose::makeKey("ES256", "ec");
        const testjose::TestKey p384 = testjose::makeKey("ES384", "p384");
        // An RS256 token checked against an EC key.
        auto result = JwsVerifier::verify(decoded(testjose::sign(rsa, kClaims)), Jwk{ec.publicJwk});
        QVERIFY(!result.valid);
        QVERIFY2(result.reason.contains("needs an RSA key"), qPrintable(result.reason));
        // ES256 against a P-384 key.
        result = JwsVerifier::verify(decoded(testjose::sign(ec, kClaims)), Jwk{p384.publicJwk});
        QVERIFY(!result.valid);
        QVERIFY2(result.reason.contains("P-384"), qPrintable(result.reason));
        // HS256 (algorithm confusion: the public key used as an HMAC secret) against an RSA key.
        const QByteArray confused = testjose::signHmac(
            "HS256", QJsonDocument(rsa.publicJwk).toJson(QJsonDocument::Compact), kClaims);
        result = JwsVerifier::verify(decoded(confused), Jwk{rsa.publicJwk});
        QVERIFY(!result.valid);
        QVERIFY(result.reason.contains("shared secret"));
    }

    void brokenKeysAreExplained()
    {
        const testjose::TestKey ec = testjose::makeKey("ES256", "ec");
        const QByteArray token = testjose::sign(ec, kClaims);
        // A point that is not on the curve.
        QJsonObject offCurve = ec.publicJwk;
        QByteArray y = QByteArray::fromBase64(offCurve["y"].toString().toLatin1(),
                                              QByteArray::Base64UrlEncoding);
        y[5] = char(y.at(5) ^ 0x40);
        offCurve["y"] = QString::fromLatin1(testjose::b64(y));
        auto result = JwsVerifier::verify(decoded(token), Jwk{offCurve});
        QVERIFY(!result.valid);
        QVERIFY2(result.reason.contains("not on curve") || result.reason.contains("not on P-256"),
                 qPrintable(result.reason));
        // Coordinates of the wrong length.
        QJsonObject shortX = ec.publicJwk;
        shortX["x"] = "AAAA";
        result = JwsVerifier::verify(decoded(token), Jwk{shortX});
        QVERIFY(!result.valid);
        QVERIFY(result.reason.contains("32 bytes"));
        // A signature of the wrong length.
        const QByteArray truncated =
            token.left(token.lastIndexOf('.') + 1) + testjose::b64(QByteArray(10, 'x'));
        result = JwsVerifier::verify(decoded(truncated), Jwk{ec.publicJwk});
        QVERIFY(!result.valid);
        QVERIFY(result.reason.contains("64 bytes"));
        // An RSA key that is too short.
        const testjose::TestKey weak = testjose::makeKey("RS256", "weak", 1024);
        result = JwsVerifier::verify(decoded(testjose::sign(weak, kClaims)), Jwk{weak.publicJwk});
        QVERIFY(!result.valid);
        QVERIFY(result.reason.contains("1024 bits"));
        // An RSA key without a modulus.
        result = JwsVerifier::verify(decoded(testjose::sign(weak, kClaims)),
                                     Jwk{QJsonObject{{"kty", "RSA"}, {"e", "AQAB"}}});
        QVERIFY(!result.valid);
        QVERIFY(result.reason.contains("\"n\""));
        // An unsupported algorithm.
        const QByteArray odd =
            testjose::signingInput(QJsonObject{{"alg", "XS999"}}, kClaims) + ".AA";
        QVERIFY(!JwsVerifier::verify(decoded(odd), Jwk{ec.publicJwk}).valid);
    }

    void jwkSetParsing()
    {
        QString error;
        QVERIFY(!JwkSet::fromJson("<html>", &error));
        QVERIFY(error.startsWith("not JSON"));
        QVERIFY(!JwkSet::fromJson("{\"keys\": {}}", &error));
        QVERIFY(error.contains("\"keys\" array"));

        const testjose::TestKey rsa = testjose::makeKey("RS256", "rsa");
        const testjose::TestKey ec = testjose::makeKey("ES256", "ec");
        QJsonObject encryption = rsa.publicJwk;
        encryption["kid"] = "enc";
        encryption["use"] = "enc";
        encryption.remove("alg");
        QJsonObject privateKey = ec.publicJwk;
        privateKey["kid"] = "leaky";
        privateKey["d"] = "c2VjcmV0";
        const QByteArray document =
            QJsonDocument(QJsonObject{{"keys", QJsonArray{rsa.publicJwk, ec.publicJwk, encryption,
                                                          privateKey, 42, QJsonObject{}}}})
                .toJson();
        const auto set = JwkSet::fromJson(document, &error);
        QVERIFY(set);
        QCOMPARE(set->keys.size(), 4);
        QCOMPARE(set->skipped.size(), 3);
        QVERIFY(set->skipped.join('\n').contains("private key"));
        QVERIFY(set->hasKeyId("enc"));
        QVERIFY(!set->hasKeyId("missing"));

        QCOMPARE(set->candidatesFor("rsa", "RS256").size(), 1);
        QCOMPARE(set->candidatesFor("rsa", "PS256").size(), 0); // the key says alg RS256
        QCOMPARE(set->candidatesFor("enc", "RS256").size(), 0); // an encryption key
        QCOMPARE(set->candidatesFor("", "ES256").size(), 2);    // no kid: every EC signing key
        QCOMPARE(set->candidatesFor("ec", "RS256").size(), 0);
        QCOMPARE(Jwk{rsa.publicJwk}.describe(), QStringLiteral("RSA 2048"));
        QCOMPARE(Jwk{ec.publicJwk}.describe(), QStringLiteral("EC P-256"));
    }
};

QTEST_GUILESS_MAIN(TestJwsVerifier)
#include "tst_jwsverifier.moc"
