#include "core/tokens/TokenResponse.h"

#include <QJsonDocument>
#include <QTest>

using namespace workbench;

class TestTokenResponse : public QObject
{
    Q_OBJECT

    static QJsonObject parse(const QByteArray &json)
    {
        return QJsonDocument::fromJson(json).object();
    }

private slots:
    void scopes_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QStringList>("dropped");
        QTest::addColumn<QStringList>("added");
        QTest::addColumn<bool>("omitted");
        QTest::newRow("as requested")
            << "openid email" << QByteArray("{\"scope\":\"email openid\"}") << QStringList{}
            << QStringList{} << false;
        QTest::newRow("dropped") << "openid email payments"
                                 << QByteArray("{\"scope\":\"openid email\"}")
                                 << QStringList{"payments"} << QStringList{} << false;
        QTest::newRow("added") << "openid" << QByteArray("{\"scope\":\"openid offline_access\"}")
                               << QStringList{} << QStringList{"offline_access"} << false;
        QTest::newRow("omitted means as requested")
            << "read write" << QByteArray("{\"access_token\":\"a\"}") << QStringList{}
            << QStringList{} << true;
    }
    void scopes()
    {
        QFETCH(QString, requested);
        QFETCH(QByteArray, response);
        QFETCH(QStringList, dropped);
        QFETCH(QStringList, added);
        QFETCH(bool, omitted);
        const auto comparison = TokenResponse::compareScopes(requested, parse(response));
        QCOMPARE(comparison.dropped, dropped);
        QCOMPARE(comparison.added, added);
        QCOMPARE(comparison.grantedOmitted, omitted);
    }

    void warnings_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<bool>("publicClient");
        QTest::addColumn<QString>("warning");
        const QByteArray fine =
            "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
        QTest::newRow("fine") << fine << false << "";
        QTest::newRow("no access token")
            << QByteArray("{\"token_type\":\"Bearer\"}") << false << "No access_token";
        QTest::newRow("no token type")
            << QByteArray("{\"access_token\":\"a\"}") << false << "No token_type";
        QTest::newRow("odd token type")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"mac\"}") << false
            << "Unusual token_type \"mac\"";
        QTest::newRow("dpop") << QByteArray("{\"access_token\":\"a\",\"token_type\":\"DPoP\"}")
                              << false << "DPoP proof";
        QTest::newRow("expires_in string")
            << QByteArray(
                   "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\"}")
            << false << "is the string \"3600\"";
        QTest::newRow("expired on arrival")
            << QByteArray("{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":0}")
            << false << "expired on arrival";
        QTest::newRow("refresh to public client")
            << QByteArray(
                   "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"refresh_token\":\"r\"}")
            << true << "public client";
        QTest::newRow("refresh to confidential client")
            << QByteArray(
                   "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"refresh_token\":\"r\"}")
            << false << "";
        QTest::newRow("id_token not a jwt")
            << QByteArray(
                   "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"id_token\":\"opaque\"}")
            << false << "id_token is not a JWT";
    }
    void warnings()
    {
        QFETCH(QByteArray, response);
        QFETCH(bool, publicClient);
        QFETCH(QString, warning);
        const QStringList warnings = TokenResponse::warnings(parse(response), publicClient);
        if (warning.isEmpty())
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        else
            QVERIFY2(warnings.join('\n').contains(warning), qPrintable(warnings.join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestTokenResponse)
#include "tst_tokenresponse.moc"
