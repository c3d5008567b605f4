#include "core/jose/Jwt.h"

#include <QJsonDocument>
#include <QTest>

using namespace workbench;

namespace {
QByteArray b64(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
QByteArray token(const QJsonObject &header, const QJsonObject &claims,
                 const QByteArray &signature = "sig")
{
    return b64(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           b64(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' + b64(signature);
}
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
} // namespace

class TestJwt : public QObject
{
    Q_OBJECT
private slots:
    void decodesAnIdToken()
    {
        const QByteArray jwt = token(QJsonObject{{"alg", "RS256"}, {"kid", "k1"}, {"typ", "JWT"}},
                                     QJsonObject{{"iss", "https://as.example"},
                                                 {"sub", "alice"},
                                                 {"aud", "client"},
                                                 {"nonce", "n-0S6"},
                                                 {"iat", 1'800'000'000 - 60},
                                                 {"exp", 1'800'000'000 + 3540}});
        QString error;
        const auto decoded = Jwt::decode(jwt, &error, kNow);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(decoded->algorithm(), QStringLiteral("RS256"));
        QCOMPARE(decoded->keyId(), QStringLiteral("k1"));
        QCOMPARE(decoded->claims.value("sub").toString(), QStringLiteral("alice"));
        QCOMPARE(decoded->signature, QByteArray("sig"));
        QCOMPARE(decoded->signingInput, jwt.left(jwt.lastIndexOf('.')));
        QVERIFY2(decoded->warnings.isEmpty(), qPrintable(decoded->warnings.join('\n')));

        const auto claims = Jwt::explainClaims(decoded->claims, kNow);
        auto find = [&claims](const QString &name) {
            for (const auto &claim : claims) {
                if (claim.name == name)
                    return claim;
            }
            return ClaimExplanation{};
        };
        QVERIFY(find("nonce").meaning.contains("authorization request"));
        QVERIFY(find("aud").meaning.contains("client_id"));
        QVERIFY(find("exp").when.contains("in 59 min"));
        QVERIFY(find("exp").when.contains("UTC"));
        QVERIFY(find("iat").when.contains("1 min ago"));
        QVERIFY(find("sub").when.isEmpty());
    }

    void problemsAreFlagged_data()
    {
        QTest::addColumn<QJsonObject>("header");
        QTest::addColumn<QJsonObject>("claims");
        QTest::addColumn<QString>("warning");
        QTest::newRow("alg none") << QJsonObject{{"alg", "none"}} << QJsonObject{{"sub", "x"}}
                                  << "unsigned";
        QTest::newRow("no alg") << QJsonObject{{"typ", "JWT"}} << QJsonObject{{"sub", "x"}}
                                << "no \"alg\"";
        QTest::newRow("expired") << QJsonObject{{"alg", "RS256"}}
                                 << QJsonObject{{"exp", 1'800'000'000 - 180}}
                                 << "expired 3 min ago";
        QTest::newRow("issued in the future")
            << QJsonObject{{"alg", "RS256"}} << QJsonObject{{"iat", 1'800'000'000 + 600}}
            << "clocks of this machine and the issuer differ";
        QTest::newRow("not yet valid")
            << QJsonObject{{"alg", "RS256"}} << QJsonObject{{"nbf", 1'800'000'000 + 7200}}
            << "not valid yet";
        QTest::newRow("exp as string")
            << QJsonObject{{"alg", "RS256"}} << QJsonObject{{"exp", "1800000000"}} << "NumericDate";
    }
    void problemsAreFlagged()
    {
        QFETCH(QJsonObject, header);
        QFETCH(QJsonObject, claims);
        QFETCH(QString, warning);
        const auto decoded = Jwt::decode(token(header, claims), nullptr, kNow);
        QVERIFY(decoded);
        QVERIFY2(decoded->warnings.join('\n').contains(warning),
                 qPrintable(decoded->warnings.join('\n')));
    }

    void unreadableTokens_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("error");
        QTest::newRow("opaque") << QByteArray("2YotnFZFEjr1zCsicMWpAA") << "Opaque token";
        QTest::newRow("jwe") << QByteArray("a.b.c.d.e") << "encrypted JWT";
        QTest::newRow("bad base64") << QByteArray("@@@.e30.c2ln") << "not valid base64url";
        QTest::newRow("header not json") << b64("hello") + ".e30.c2ln"
                                         << "header is not a JSON";
        QTest::newRow("payload not json")
            << b64("{\"alg\":\"HS256\"}") + "." + b64("plain text") + ".c2ln"
            << "payload is not a JSON object";
        QTest::newRow("empty") << QByteArray() << "Opaque token";
    }
    void unreadableTokens()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!Jwt::decode(input, &message, kNow));
        QVERIFY2(message.contains(error), qPrintable(message));
    }

    void relativeTimes_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<bool>("expiry");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds ahead") << qint64(30) << true << "in 30 s";
        QTest::newRow("now") << qint64(0) << false << "just now";
        QTest::newRow("a second ago") << qint64(-1) << true << "just now";
        QTest::newRow("minutes ago, expiry") << qint64(-180) << true << "expired 3 min ago";
        QTest::newRow("minutes ago") << qint64(-180) << false << "3 min ago";
        QTest::newRow("hours") << qint64(3 * 3600 + 120) << true << "in 3 h 2 min";
        QTest::newRow("days") << qint64(-30 * 86400) << false << "30 days ago";
    }
    void relativeTimes()
    {
        QFETCH(qint64, offset);
        QFETCH(bool, expiry);
        QFETCH(QString, text);
        QCOMPARE(Jwt::relative(kNow.addSecs(offset), kNow, expiry), text);
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
