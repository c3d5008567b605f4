// Rich authorization requests (RFC 9396): what the app accepts as authorization_details, where it
// sends them (the authorization request, client credentials, CIBA, never a refresh), the
// templates, how what was granted is set against what was asked, and the sandbox granting them
// through a whole code flow. (tst_e2e_rar runs the real provider, which narrows a grant.)
#include "core/client/AuthorizationDetails.h"
#include "core/client/TokenRequest.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/flows/AuthorizationRequest.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/util/FormEncoding.h"

#include "SandboxBrowser.h"
#include "TestJose.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)

namespace {
const QString kPayment =
    QStringLiteral("[{\"type\": \"payment_initiation\", \"actions\": [\"initiate\"],\n"
                   " \"instructedAmount\": {\"currency\": \"EUR\", \"amount\": \"10.00\"}}]");

ClientConfig clientCredentials()
{
    ClientConfig config;
    config.grant = GrantType::ClientCredentials;
    config.tokenEndpoint = QUrl("https://id.example.test/token");
    config.clientId = "svc";
    config.clientSecret = "s";
    return config;
}

FormFields bodyOf(const HttpRequestSpec &request)
{
    return FormEncoding::decode(request.body);
}
} // namespace

class TestAuthorizationDetails : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<FlowOutcome>(); }

    void problemsNameWhatIsWrong_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("problem"); // empty: acceptable
        QTest::newRow("empty text") << ""
                                    << "";
        QTest::newRow("payment") << kPayment << "";
        QTest::newRow("not JSON") << "[{\"type\": }]"
                                  << "not JSON";
        QTest::newRow("object, not array") << "{\"type\": \"a\"}"
                                           << "must be a JSON array";
        QTest::newRow("empty array") << "[]"
                                     << "empty array";
        QTest::newRow("no type") << "[{\"actions\": [\"read\"]}]"
                                 << "[0] needs a \"type\"";
        QTest::newRow("number type") << "[{\"type\": 5}]"
                                     << "[0] needs a \"type\"";
        QTest::newRow("member not object") << "[{\"type\": \"a\"}, 3]"
                                           << "[1] is not an object";
        QTest::newRow("actions not array") << "[{\"type\": \"a\", \"actions\": \"read\"}]"
                                           << "[0].actions must be an array";
        QTest::newRow("empty location") << "[{\"type\": \"a\", \"locations\": [\"\"]}]"
                                        << "[0].locations must be an array";
        QTest::newRow("identifier number") << "[{\"type\": \"a\", \"identifier\": 7}]"
                                           << "[0].identifier must be a string";
    }

    void problemsNameWhatIsWrong()
    {
        QFETCH(QString, json);
        QFETCH(QString, problem);
        const QStringList found = AuthorizationDetails::problems(json);
        if (problem.isEmpty())
            QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
        else
            QVERIFY2(found.join('\n').contains(problem), qPrintable(found.join('\n')));
        // The configuration refuses what the check refuses.
        ClientConfig config = clientCredentials();
        config.authorizationDetails = json;
        QCOMPARE(config.validate().isEmpty(), problem.isEmpty());
    }

    void everyTemplateIsValid()
    {
        const auto templates = AuthorizationDetails::templates();
        QCOMPARE(templates.size(), 3);
        QStringList types;
        for (const auto &example : templates) {
            QVERIFY2(AuthorizationDetails::problems(example.json).isEmpty(),
                     qPrintable(example.name));
            types << AuthorizationDetails::parse(example.json).first()["type"].toString();
        }
        QCOMPARE(types,
                 (QStringList{"payment_initiation", "account_information", "my_api_access"}));
    }

    // Compact JSON on the authorization request (and so in PAR and request objects, which are
    // made from its parameters), on client credentials and CIBA; never on a refresh.
    void sentWhereTheRfcPutsThem()
    {
        const QString compact = AuthorizationDetails::compact(kPayment);
        QVERIFY(!compact.contains('\n') && !compact.contains(": "));
        QCOMPARE(AuthorizationDetails::parse(compact), AuthorizationDetails::parse(kPayment));

        ClientConfig code = clientCredentials();
        code.grant = GrantType::AuthorizationCode;
        code.authorizationEndpoint = QUrl("https://id.example.test/authorize");
        code.authorizationDetails = kPayment;
        const FormFields authorization =
            AuthorizationRequest::forClient(code, QUrl("http://127.0.0.1/cb"), "s", "n", nullptr)
                .parameters();
        QCOMPARE(FormEncoding::value(authorization, "authorization_details"), compact);

        ClientConfig service = clientCredentials();
        service.authorizationDetails = kPayment;
        QCOMPARE(FormEncoding::value(bodyOf(TokenRequest::clientCredentials(service)),
                                     "authorization_details"),
                 compact);

        ClientConfig ciba = service;
        ciba.grant = GrantType::Ciba;
        ciba.backchannelAuthenticationEndpoint = QUrl("https://id.example.test/bc");
        ciba.loginHint = "alice";
        QCOMPARE(FormEncoding::value(bodyOf(TokenRequest::backchannelAuthentication(ciba)),
                                     "authorization_details"),
                 compact);

        ClientConfig refresh = service;
        refresh.grant = GrantType::RefreshToken;
        refresh.refreshToken = "rt";
        const auto request = TokenRequest::forGrant(refresh);
        QVERIFY(request.has_value());
        QVERIFY(!FormEncoding::contains(bodyOf(*request), "authorization_details"));
    }

    void comparisonNamesEachDifference_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("granted"); // the value of authorization_details, or "-"
        QTest::addColumn<QStringList>("differences");
        const QString accounts =
            "[{\"type\":\"account_information\",\"actions\":[\"list\",\"read\"]}]";
        QTest::newRow("as asked") << accounts << accounts << QStringList();
        QTest::newRow("same, other order of members")
            << accounts << "[{\"actions\":[\"list\",\"read\"],\"type\":\"account_information\"}]"
            << QStringList();
        QTest::newRow("narrowed")
            << accounts << "[{\"type\":\"account_information\",\"actions\":[\"list\"]}]"
            << QStringList{"account_information: actions asked [\"list\",\"read\"], granted "
                           "[\"list\"]"};
        QTest::newRow("field dropped and added")
            << accounts << "[{\"type\":\"account_information\",\"identifier\":\"acc-1\"}]"
            << QStringList{"account_information: actions asked [\"list\",\"read\"], not granted",
                           "account_information: identifier acc-1 granted without being asked"};
        QTest::newRow("not granted")
            << accounts << "[]" << QStringList{"account_information: not granted"};
        QTest::newRow("extra type")
            << accounts
            << "[{\"type\":\"account_information\",\"actions\":[\"list\",\"read\"]},"
               "{\"type\":\"payment_initiation\"}]"
            << QStringList{"payment_initiation: granted without being asked "
                           "({\"type\":\"payment_initiation\"})"};
        QTest::newRow("server silent") << accounts << "-"
                                       << QStringList{"The answer names no authorization_details: "
                                                      "the server did not say what it granted."};
        QTest::newRow("not an array") << accounts << "\"all\""
                                      << QStringList{"authorization_details in the answer is not "
                                                     "an array: all"};
    }

    void comparisonNamesEachDifference()
    {
        QFETCH(QString, asked);
        QFETCH(QString, granted);
        QFETCH(QStringList, differences);
        const QJsonValue answer =
            granted == "-" ? QJsonValue(QJsonValue::Undefined)
                           : QJsonDocument::fromJson(("{\"v\":" + granted + "}").toUtf8())["v"];
        const auto comparison =
            AuthorizationDetails::compare(AuthorizationDetails::parse(asked), answer);
        QCOMPARE(comparison.differences, differences);
        QCOMPARE(comparison.grantedAsAsked, differences.isEmpty());
    }

    // A request object encrypted to the server hides what was asked: the run cannot compare the
    // grant with it, and says so instead of "none asked for".
    void detailsInsideAnEncryptedRequestObjectAreOutOfSight()
    {
        const DecryptionKey server = DecryptionKey::generate("RSA", "server-enc");
        const QByteArray signedObject =
            "eyJhbGciOiJub25lIn0.eyJhdXRob3JpemF0aW9uX2RldGFpbHMiOltdfQ.";
        QString error;
        const QByteArray encrypted =
            Jwe::encrypt(signedObject, Jwk{server.publicJwk()}, "RSA-OAEP-256", "A256GCM",
                         {{"cty", "JWT"}}, &error);
        QVERIFY2(!encrypted.isEmpty(), qPrintable(error));
        const auto navigationWith = [](const QByteArray &request) {
            HttpExchange navigation;
            navigation.kind = HttpExchange::Kind::BrowserNavigation;
            navigation.request.url = AuthorizationRequest::urlWith(
                QUrl("https://as.example/authorize"), {{"client_id", "c"}, {"request", request}});
            return navigation;
        };
        HttpExchange token;
        token.request.body = "grant_type=authorization_code&code=x";
        token.status = 200;
        token.responseBody = R"({"access_token":"at","authorization_details":[{"type":"x"}]})";

        QList<HttpExchange> run{navigationWith(encrypted), token};
        QVERIFY(AuthorizationDetails::askedOutOfSight(run, 1));
        QVERIFY(AuthorizationDetails::askedIn(run, 1).isEmpty());

        run = {navigationWith(signedObject), token};
        QVERIFY(!AuthorizationDetails::askedOutOfSight(run, 1));
        QCOMPARE(AuthorizationDetails::askedIn(run, 1), QJsonArray());
        QVERIFY(!AuthorizationDetails::askedOutOfSight({token}, 0));
    }

    // The run that sealed the request object keeps it with the step: what was asked is read
    // from there, and the grant is compared with it.
    void detailsSealedByThisRunAreCompared()
    {
        const DecryptionKey server = DecryptionKey::generate("EC", "server-enc");
        const QByteArray signedObject =
            testjose::signingInput({{"alg", "none"}},
                                   {{"authorization_details",
                                     QJsonArray{QJsonObject{{"type", "account_information"}}}}}) +
            '.';
        QString error;
        const QByteArray encrypted = Jwe::encrypt(signedObject, Jwk{server.publicJwk()}, "ECDH-ES",
                                                  "A128GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!encrypted.isEmpty(), qPrintable(error));
        HttpExchange pushed;
        pushed.request.body =
            FormEncoding::encode({{"client_id", "c"}, {"request", QString::fromLatin1(encrypted)}});
        pushed.sealedRequestObject = signedObject;
        pushed.status = 201;
        HttpExchange token;
        token.request.body = "grant_type=authorization_code&code=x";
        token.status = 200;
        token.responseBody = R"({"access_token":"at","authorization_details":[{"type":"x"}]})";

        const QList<HttpExchange> run{pushed, token};
        QVERIFY(!AuthorizationDetails::askedOutOfSight(run, 1));
        QCOMPARE(AuthorizationDetails::askedIn(run, 1),
                 QJsonArray({QJsonObject{{"type", "account_information"}}}));
    }

    // A whole code flow on the sandbox: the details asked for come back in the token response,
    // the run says what was asked, and the sandbox refuses a type it does not know.
    void sandboxGrantsWhatWasAsked()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ClientConfig config = sandbox.clientConfig(false);
        config.authorizationDetails = kPayment;
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QList<HttpExchange> run;
        connect(&flow, &AuthorizationCodeFlow::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { run << exchange; });
        const FlowOutcome outcome = sandboxbrowser::completeFlow(flow, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        const QJsonArray asked = AuthorizationDetails::askedIn(run, run.size() - 1);
        QCOMPARE(asked, AuthorizationDetails::parse(kPayment));
        QVERIFY(AuthorizationDetails::compare(asked,
                                              outcome.tokenResponse.value("authorization_details"))
                    .grantedAsAsked);

        config.authorizationDetails = "[{\"type\":\"crypto_trading\"}]";
        run.clear();
        const FlowOutcome refused = sandboxbrowser::completeFlow(flow, config);
        QCOMPARE(refused.result, FlowOutcome::Result::AuthorizationError);
        QVERIFY2(refused.summary.contains("invalid_authorization_details"),
                 qPrintable(refused.summary));
    }
};

QTEST_MAIN(TestAuthorizationDetails)
#include "tst_authorizationdetails.moc"
