#include "core/client/Pkce.h"

#include <QSet>
#include <QTest>

using namespace workbench;

class TestPkce : public QObject
{
    Q_OBJECT
private slots:
    void rfc7636AppendixB()
    {
        const QByteArray verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        QCOMPARE(Pkce::challengeFor(verifier, Pkce::Method::S256),
                 QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void plainChallengeIsTheVerifier()
    {
        const Pkce pkce = Pkce::generate(Pkce::Method::Plain);
        QCOMPARE(pkce.challenge, pkce.verifier);
        QCOMPARE(Pkce::methodName(pkce.method), QStringLiteral("plain"));
    }

    void generatedVerifiers_data()
    {
        QTest::addColumn<int>("requested");
        QTest::addColumn<int>("expected");
        QTest::newRow("default") << 64 << 64;
        QTest::newRow("minimum") << 43 << 43;
        QTest::newRow("maximum") << 128 << 128;
        QTest::newRow("too short is raised") << 10 << 43;
        QTest::newRow("too long is lowered") << 500 << 128;
    }
    void generatedVerifiers()
    {
        QFETCH(int, requested);
        QFETCH(int, expected);
        const Pkce pkce = Pkce::generate(Pkce::Method::S256, requested);
        QCOMPARE(pkce.verifier.size(), expected);
        QVERIFY(Pkce::isValidVerifier(pkce.verifier));
        QCOMPARE(pkce.challenge, Pkce::challengeFor(pkce.verifier, Pkce::Method::S256));
        QCOMPARE(pkce.challenge.size(), 43); // 32 bytes of SHA-256, base64url without padding
    }

    void verifiersDoNotRepeat()
    {
        QSet<QByteArray> seen;
        for (int i = 0; i < 1000; ++i)
            seen.insert(Pkce::generate().verifier);
        QCOMPARE(seen.size(), 1000);
    }

    void verifierValidation_data()
    {
        QTest::addColumn<QByteArray>("verifier");
        QTest::addColumn<bool>("valid");
        QTest::newRow("rfc example")
            << QByteArray("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") << true;
        QTest::newRow("42 chars") << QByteArray(42, 'a') << false;
        QTest::newRow("129 chars") << QByteArray(129, 'a') << false;
        QTest::newRow("tilde and dot") << QByteArray(43, '~').replace(0, 1, ".") << true;
        QTest::newRow("plus sign") << QByteArray(42, 'a') + "+" << false;
        QTest::newRow("slash") << QByteArray(42, 'a') + "/" << false;
        QTest::newRow("space") << QByteArray(42, 'a') + " " << false;
    }
    void verifierValidation()
    {
        QFETCH(QByteArray, verifier);
        QFETCH(bool, valid);
        QCOMPARE(Pkce::isValidVerifier(verifier), valid);
    }
};

QTEST_GUILESS_MAIN(TestPkce)
#include "tst_pkce.moc"
