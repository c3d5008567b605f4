// ID token validation (OIDC Core §3.1.3.7): every check, passed and failed, on tokens signed in
// this test by keys it makes.
#include "core/tokens/IdTokenValidator.h"

#include "TestJose.h"
#include "TokenCheckTest.h"

#include <QTest>

using namespace workbench;
using Status = TokenCheck::Status;

namespace {
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
const QByteArray kAccessToken = "access-token-value-123";
const QByteArray kCode = "code-value-456";

QJsonObject goodClaims()
{
    return {{"iss", "https://issuer.test"},
            {"sub", "alice"},
            {"aud", "my-client"},
            {"exp", double(kNow.toSecsSinceEpoch() + 300)},
            {"iat", double(kNow.toSecsSinceEpoch() - 5)},
            {"nonce", "n-0S6_WzA2Mj"},
            {"at_hash", "0vyTvQ0n196su7qZ-xCxNQ"}};
}

IdTokenExpectations expectations()
{
    IdTokenExpectations expected;
    expected.issuer = "https://issuer.test";
    expected.clientId = "my-client";
    expected.nonce = "n-0S6_WzA2Mj";
    expected.accessToken = kAccessToken;
    expected.code = kCode;
    return expected;
}

TokenCheck find(const QList<TokenCheck> &checks, const QString &name)
{
    for (const TokenCheck &check : checks) {
        if (check.name == name)
            return check;
    }
    return {QStringLiteral("(missing %1)").arg(name), Status::Failed, {}, {}};
}

QString dump(const QList<TokenCheck> &checks)
{
    QStringList lines;
    for (const TokenCheck &check : checks)
        lines << check.name + " " + TokenCheck::statusName(check.status) + ": " + check.detail;
    return lines.join('\n');
}
} // namespace

class TestIdTokenValidator : public QObject
{
    Q_OBJECT

    testjose::TestKey m_rsa;
    testjose::TestKey m_ec;
    JwkSet m_keys;

    QList<TokenCheck> check(const QByteArray &token,
                            const IdTokenExpectations &expected = expectations())
    {
        return IdTokenValidator::validate(token, expected, {&m_keys, "test keys", {}}, kNow);
    }

private slots:
    void initTestCase()
    {
        m_rsa = testjose::makeKey("RS256", "rsa-1");
        m_ec = testjose::makeKey("ES256", "ec-1");
        QString error;
        m_keys = *JwkSet::fromJson(testjose::jwks({m_rsa, m_ec}), &error);
    }

    void aGoodTokenPassesEveryCheck()
    {
        for (const testjose::TestKey *key : {&m_rsa, &m_ec}) {
            const auto checks = check(testjose::sign(*key, goodClaims()));
            QVERIFY2(IdTokenValidator::accepted(checks), qPrintable(dump(checks)));
            const QStringList names{"format", "alg", "signature", "iss",   "sub",     "aud",
                                    "azp",    "exp", "iat",       "nonce", "at_hash", "c_hash"};
            QCOMPARE(checks.size(), names.size());
            for (qsizetype i = 0; i < names.size(); ++i)
                QCOMPARE(checks.at(i).name, names.at(i));
            for (const char *name : {"format", "alg", "signature", "iss", "sub", "aud", "exp",
                                     "iat", "nonce", "at_hash"})
                QVERIFY2(find(checks, name).status == Status::Passed, name);
            QCOMPARE(find(checks, "azp").status, Status::Skipped);
            QCOMPARE(find(checks, "c_hash").status, Status::Skipped);
            QVERIFY(find(checks, "signature").detail.contains(key->kid));
            QVERIFY(find(checks, "signature").detail.contains("test keys"));
            QVERIFY(IdTokenValidator::firstFailure(checks).isEmpty());
        }
    }

    void eachBadClaimFailsItsCheck_data()
    {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("failedCheck");
        QTest::addColumn<QString>("detailPart");
        const double now = double(kNow.toSecsSinceEpoch());
        QTest::newRow("expired") << "exp" << QJsonValue(now - 600) << "exp"
                                 << "expired";
        QTest::newRow("no exp") << "exp" << QJsonValue() << "exp"
                                << "no numeric exp";
        QTest::newRow("exp as string") << "exp" << QJsonValue("1800000300") << "exp"
                                       << "no numeric exp";
        QTest::newRow("wrong audience") << "aud" << QJsonValue("other-client") << "aud"
                                        << "\"my-client\" is not in it";
        QTest::newRow("audience list without us")
            << "aud" << QJsonValue(QJsonArray{"a", "b"}) << "aud"
            << "a, b";
        QTest::newRow("other issuer") << "iss" << QJsonValue("https://evil.test") << "iss"
                                      << "https://evil.test";
        QTest::newRow("issuer with trailing slash")
            << "iss" << QJsonValue("https://issuer.test/") << "iss"
            << "issuer.test/";
        QTest::newRow("nonce of another request") << "nonce" << QJsonValue("other") << "nonce"
                                                  << "\"other\"";
        QTest::newRow("nonce missing") << "nonce" << QJsonValue() << "nonce"
                                       << "has none";
        QTest::newRow("at_hash of another token")
            << "at_hash" << QJsonValue("AAAAAAAAAAAAAAAAAAAAAA") << "at_hash"
            << "0vyTvQ0n196su7qZ-xCxNQ";
        QTest::newRow("c_hash of another code")
            << "c_hash" << QJsonValue("AAAAAAAAAAAAAAAAAAAAAA") << "c_hash"
            << "Pw5Dt8kkf5a_uRBJv9bvSQ";
        QTest::newRow("issued in the future") << "iat" << QJsonValue(now + 3600) << "iat"
                                              << "future";
        QTest::newRow("no sub") << "sub" << QJsonValue() << "sub"
                                << "no sub";
        QTest::newRow("azp of another client") << "azp" << QJsonValue("someone-else") << "azp"
                                               << "someone-else";
    }
    void eachBadClaimFailsItsCheck()
    {
        QFETCH(QString, claim);
        QFETCH(QJsonValue, value);
        QFETCH(QString, failedCheck);
        QFETCH(QString, detailPart);
        QJsonObject claims = goodClaims();
        if (value.isNull())
            claims.remove(claim);
        else
            claims[claim] = value;
        const auto checks = check(testjose::sign(m_rsa, claims));
        QVERIFY(!IdTokenValidator::accepted(checks));
        const TokenCheck failed = find(checks, failedCheck);
        QCOMPARE(failed.status, Status::Failed);
        QVERIFY2(failed.detail.contains(detailPart), qPrintable(failed.detail));
        QVERIFY2(!failed.fix.isEmpty(), "a failed check says what to do");
        // Only that check failed; the signature still holds.
        for (const TokenCheck &other : checks) {
            if (other.name != failedCheck)
                QVERIFY2(other.status != Status::Failed, qPrintable(dump(checks)));
        }
        QVERIFY(IdTokenValidator::firstFailure(checks).startsWith(failedCheck + ": "));
    }

    void trailingSlashIsNamedInTheFix()
    {
        QJsonObject claims = goodClaims();
        claims["iss"] = "https://issuer.test/";
        QVERIFY(find(check(testjose::sign(m_rsa, claims)), "iss").fix.contains("trailing slash"));
    }

    void signatureProblems()
    {
        // Tampered: the claims changed after signing.
        QByteArray token = testjose::sign(m_rsa, goodClaims());
        QJsonObject forged = goodClaims();
        forged["sub"] = "mallory";
        const QList<QByteArray> parts = token.split('.');
        const QByteArray tampered =
            parts.at(0) + '.' +
            testjose::b64(QJsonDocument(forged).toJson(QJsonDocument::Compact)) + '.' + parts.at(2);
        auto checks = check(tampered);
        QCOMPARE(find(checks, "signature").status, Status::Failed);
        QVERIFY(find(checks, "signature").detail.contains("does not match"));

        // A kid the JWKS does not have.
        const testjose::TestKey stranger = testjose::makeKey("RS256", "rotated-away");
        checks = check(testjose::sign(stranger, goodClaims()));
        QCOMPARE(find(checks, "signature").status, Status::Failed);
        QVERIFY2(find(checks, "signature").detail.contains("no key with kid \"rotated-away\""),
                 qPrintable(find(checks, "signature").detail));
        QVERIFY(find(checks, "signature").detail.contains("rsa-1, ec-1"));

        // A known kid, signed by another key.
        const testjose::TestKey impostor = testjose::makeKey("RS256", "rsa-1");
        checks = check(testjose::sign(impostor, goodClaims()));
        QCOMPARE(find(checks, "signature").status, Status::Failed);

        // No keys at all: not verified, said plainly, but not a failure of the token.
        checks = IdTokenValidator::validate(testjose::sign(m_rsa, goodClaims()), expectations(),
                                            {nullptr, {}, "no JWKS URI is configured"}, kNow);
        QCOMPARE(find(checks, "signature").status, Status::Warning);
        QVERIFY(find(checks, "signature").detail.contains("not verified: no JWKS URI"));
    }

    void algNoneIsRejectedLoudly()
    {
        const QByteArray token =
            testjose::signingInput(QJsonObject{{"alg", "none"}}, goodClaims()) + '.';
        const auto checks = check(token);
        QVERIFY(!IdTokenValidator::accepted(checks));
        QCOMPARE(find(checks, "alg").status, Status::Failed);
        QVERIFY(find(checks, "alg").detail.contains("not signed"));
        QCOMPARE(find(checks, "signature").status, Status::Failed);
        QVERIFY(IdTokenValidator::firstFailure(checks).startsWith("alg: "));
    }

    void algorithmOutsideTheProvidersListIsRejected()
    {
        IdTokenExpectations expected = expectations();
        expected.allowedAlgorithms = {"RS256"};
        QVERIFY(IdTokenValidator::accepted(check(testjose::sign(m_rsa, goodClaims()), expected)));
        const auto checks = check(testjose::sign(m_ec, goodClaims()), expected);
        QCOMPARE(find(checks, "alg").status, Status::Failed);
        QVERIFY(find(checks, "alg").detail.contains("id_token_signing_alg_values_supported"));
    }

    void hmacIdTokensUseTheClientSecret()
    {
        IdTokenExpectations expected = expectations();
        expected.clientSecret = "the-client-secret-of-32-bytes!!!";
        const QByteArray token = testjose::signHmac("HS256", expected.clientSecret, goodClaims());
        auto checks = check(token, expected);
        QVERIFY2(IdTokenValidator::accepted(checks), qPrintable(dump(checks)));
        QVERIFY(find(checks, "signature").detail.contains("client secret"));
        expected.clientSecret = "another secret";
        checks = check(token, expected);
        QCOMPARE(find(checks, "signature").status, Status::Failed);
        expected.clientSecret.clear();
        checks = check(token, expected);
        QVERIFY(find(checks, "signature").fix.contains("Enter the client secret"));
    }

    void severalAudiencesWantAnAzp()
    {
        QJsonObject claims = goodClaims();
        claims["aud"] = QJsonArray{"my-client", "api"};
        auto checks = check(testjose::sign(m_rsa, claims));
        QVERIFY(IdTokenValidator::accepted(checks));
        QCOMPARE(find(checks, "azp").status, Status::Warning);
        claims["azp"] = "my-client";
        checks = check(testjose::sign(m_rsa, claims));
        QCOMPARE(find(checks, "azp").status, Status::Passed);
    }

    void hashesAndNoncesWhenNothingWasSent()
    {
        IdTokenExpectations expected = expectations();
        expected.nonce.clear();
        QJsonObject claims = goodClaims();
        claims.remove("nonce");
        QCOMPARE(find(check(testjose::sign(m_rsa, claims), expected), "nonce").status,
                 Status::Skipped);
        claims["nonce"] = "unexpected";
        QCOMPARE(find(check(testjose::sign(m_rsa, claims), expected), "nonce").status,
                 Status::Warning);
        claims["c_hash"] = "Pw5Dt8kkf5a_uRBJv9bvSQ";
        QCOMPARE(find(check(testjose::sign(m_rsa, claims), expected), "c_hash").status,
                 Status::Passed);
    }

    void refreshedTokenMayOmitTheNonce()
    {
        IdTokenExpectations expected = expectations();
        expected.nonceOptional = true;
        QJsonObject claims = goodClaims();
        QCOMPARE(find(check(testjose::sign(m_rsa, claims), expected), "nonce").status,
                 Status::Passed);
        claims["nonce"] = "another";
        QCOMPARE(find(check(testjose::sign(m_rsa, claims), expected), "nonce").status,
                 Status::Failed);
        claims.remove("nonce");
        QCOMPARE(find(check(testjose::sign(m_rsa, claims), expected), "nonce").status,
                 Status::Skipped);
    }

    void refreshedTokenMustBeAboutTheSameUser()
    {
        IdTokenExpectations expected = expectations();
        expected.expectedSubject = "bob";
        const auto checks = check(testjose::sign(m_rsa, goodClaims()), expected);
        QCOMPARE(find(checks, "sub").status, Status::Failed);
        QVERIFY(find(checks, "sub").fix.contains("§12.2"));
    }

    void oldTokensAreFlagged()
    {
        QJsonObject claims = goodClaims();
        claims["iat"] = double(kNow.toSecsSinceEpoch() - 7200);
        QCOMPARE(find(check(testjose::sign(m_rsa, claims)), "iat").status, Status::Warning);
    }

    // OIDC Core §10.2: a nested JWT, signed then encrypted to the client's key.
    void encryptedIdTokensAreOpenedWithTheClientsKey()
    {
        const DecryptionKey ours = DecryptionKey::generate("RSA", "client-enc");
        const DecryptionKey theirs = DecryptionKey::generate("RSA", "someone-else");
        const QByteArray signedToken = testjose::sign(m_rsa, goodClaims());
        QString error;
        const QByteArray toUs = Jwe::encrypt(signedToken, Jwk{ours.publicJwk()}, "RSA-OAEP-256",
                                             "A256GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!toUs.isEmpty(), qPrintable(error));

        IdTokenExpectations expected = expectations();
        expected.decryptionKey = ours;
        auto checks = check(toUs, expected);
        QCOMPARE(checks.first().name, QString("decryption"));
        QCOMPARE(checks.first().status, Status::Passed);
        QVERIFY2(checks.first().detail.contains("RSA-OAEP-256, enc A256GCM"),
                 qPrintable(checks.first().detail));
        QVERIFY(find(checks, "format").detail.contains("nested"));
        QCOMPARE(find(checks, "signature").status, Status::Passed);
        QVERIFY(IdTokenValidator::accepted(checks));

        // No key set: the decryption check says so and nothing else is claimed.
        checks = check(toUs);
        QCOMPARE(checks.size(), 1);
        QCOMPARE(checks.first().name, QString("decryption"));
        QCOMPARE(checks.first().status, Status::Failed);
        QVERIFY(checks.first().detail.contains("no decryption key is set"));
        QVERIFY(checks.first().fix.contains("id_token_encrypted_response_alg"));

        // Encrypted to another key: decryption fails first, naming the key it was meant for.
        const QByteArray toThem = Jwe::encrypt(signedToken, Jwk{theirs.publicJwk()}, "RSA-OAEP",
                                               "A128CBC-HS256", {{"cty", "JWT"}}, &error);
        checks = check(toThem, expected);
        QCOMPARE(test::firstFailedName(checks), QString("decryption"));
        QVERIFY2(checks.first().detail.contains("encrypted to another key"),
                 qPrintable(checks.first().detail));
        QVERIFY(checks.first().detail.contains("someone-else"));

        // Opened, but not a signed JWT inside: the format check fails.
        const QByteArray notSigned = Jwe::encrypt(R"({"sub":"alice"})", Jwk{ours.publicJwk()},
                                                  "RSA-OAEP", "A128GCM", {}, &error);
        checks = check(notSigned, expected);
        QCOMPARE(test::firstFailedName(checks), QString("format"));
        QVERIFY(find(checks, "format").detail.contains("not a signed JWT"));
    }

    void unreadableTokens()
    {
        auto checks = check("a.b.c.d.e");
        QCOMPARE(checks.size(), 1);
        QCOMPARE(checks.first().status, Status::Failed);
        QVERIFY(checks.first().detail.contains("encrypted"));
        checks = check("not a token");
        QCOMPARE(checks.first().name, QStringLiteral("format"));
        QCOMPARE(checks.first().status, Status::Failed);
    }

    void halfHashVectors()
    {
        // Computed independently (Python hashlib) for these exact inputs.
        QCOMPARE(IdTokenValidator::halfHash(kAccessToken, "RS256"),
                 QByteArray("0vyTvQ0n196su7qZ-xCxNQ"));
        QCOMPARE(IdTokenValidator::halfHash(kCode, "ES256"), QByteArray("Pw5Dt8kkf5a_uRBJv9bvSQ"));
        QCOMPARE(IdTokenValidator::halfHash(kAccessToken, "EdDSA"),
                 QByteArray("5fCA1sWn_KLw-N8HYtp3dU_vRK7_MZnwbAGzPsJKCYw"));
        QCOMPARE(
            IdTokenValidator::halfHash(kAccessToken, "Ed448"),
            QByteArray(
                "t-G2Fa29uU_87xaglLPwzDIp3b2z3T1FVfAhxgS0BqxFT92QcC7RHI7bismBL3e3WMDXLSaG2J_8"));
        QVERIFY(IdTokenValidator::halfHash(kAccessToken, "XX1").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIdTokenValidator)
#include "tst_idtokenvalidator.moc"
