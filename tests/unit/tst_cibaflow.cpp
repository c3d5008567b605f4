// CIBA in poll mode (OpenID Connect CIBA Core 1.0): the backchannel request the app sends and the
// polls that follow against a scripted server (slow_down, expiry, refusals, unusable answers),
// then the whole flow against the built-in sandbox, whose page plays the person's phone, with its
// refusals diagnosed first-cause. (tests/e2e/tst_e2e_ciba runs the real provider.)
#include "core/client/AuthorizationDetails.h"
#include "core/client/TokenRequest.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/flows/DeviceAuthorizationFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwt.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"
#include "core/util/FormEncoding.h"

#include "SandboxBrowser.h"
#include "TestHttp.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::jsonResponse;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::BackchannelAuthorization)

namespace {
QByteArray accepted(int interval, int expiresIn)
{
    return jsonResponse(200, "{\"auth_req_id\":\"1c266114-a1be-4252-8ad1-04986c5b9ac1\","
                             "\"expires_in\":" +
                                 QByteArray::number(expiresIn) +
                                 ",\"interval\":" + QByteArray::number(interval) + "}");
}
QByteArray tokenError(const char *error)
{
    return jsonResponse(400, QByteArray("{\"error\":\"") + error + "\"}");
}
const QByteArray kTokens =
    jsonResponse(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\"}");

FormFields bodyOf(const QByteArray &request)
{
    return FormEncoding::decode(request.mid(request.indexOf("\r\n\r\n") + 4));
}

FlowOutcome outcomeOf(QSignalSpy &finished, int timeoutMs = 5000)
{
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return {FlowOutcome::Result::Cancelled, "no outcome in time"};
    return finished.first().first().value<FlowOutcome>();
}

QString firstCause(const QList<HttpExchange> &run)
{
    const auto diagnosis = Diagnoser().diagnose(run, run.size() - 1);
    if (!diagnosis || diagnosis->causes.isEmpty())
        return QStringLiteral("(none)");
    return diagnosis->causes.first().id;
}
} // namespace

class TestCibaFlow : public QObject
{
    Q_OBJECT

    static ClientConfig configFor(const testhttp::CannedServer &server)
    {
        ClientConfig config;
        config.grant = GrantType::Ciba;
        config.backchannelAuthenticationEndpoint = server.url("/bc-authorize");
        config.tokenEndpoint = server.url("/token");
        config.clientId = "bank-app";
        config.clientSecret = "s3cret";
        config.authMethod = ClientAuthMethod::ClientSecretBasic;
        config.scope = "openid payments";
        config.loginHint = "alice@example.test";
        config.bindingMessage = "W4SCT";
        return config;
    }

    std::unique_ptr<RunSession> m_session;
    SandboxProvider *m_sandbox = nullptr;

    // The sandbox's authentication device page, and the person's answer on it.
    static QByteArray devicePage(const SandboxProvider &sandbox)
    {
        QNetworkAccessManager network;
        return sandboxbrowser::fetch(network, sandbox.endpoint("/ciba")).body;
    }
    static int answer(const SandboxProvider &sandbox, const QString &decision)
    {
        const QRegularExpressionMatch request =
            QRegularExpression("name=\"request\" value=\"([^\"]+)\"")
                .match(QString::fromUtf8(devicePage(sandbox)));
        if (!request.hasMatch())
            return 0;
        QNetworkAccessManager network;
        return sandboxbrowser::fetch(network, sandbox.endpoint("/ciba"),
                                     "request=" + request.captured(1).toLatin1() +
                                         "&decision=" + decision.toLatin1())
            .status;
    }
    ClientConfig sandboxConfig() const
    {
        ClientConfig config = m_sandbox->clientConfig(true);
        config.grant = GrantType::Ciba;
        config.loginHint = QStringLiteral("alice");
        config.bindingMessage = QStringLiteral("K7-PLUM");
        config.scope = QStringLiteral("openid profile");
        return config;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<BackchannelAuthorization>();
    }

    void init()
    {
        m_session = std::make_unique<RunSession>();
        QString problem;
        m_sandbox = m_session->startSandbox(&problem);
        QVERIFY2(m_sandbox, qPrintable(problem));
        // Polls every second of the sandbox's clock; tests do not wait five.
        m_sandbox->deviceCodes().setIntervalSeconds(1);
    }

    void cleanup() { m_session.reset(); }

    // The request: client authentication as at the token endpoint, scope, login_hint and the
    // binding message; then polls with the CIBA grant type and the auth_req_id, slower after
    // slow_down, until tokens come.
    void backchannelRequestThenPollsUntilTokens()
    {
        testhttp::CannedServer server(tokenError("server_error"));
        server.route("/bc-authorize", accepted(1, 120));
        server.script("/token",
                      {tokenError("authorization_pending"), tokenError("slow_down"), kTokens});
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(20);
        QList<int> intervals;
        connect(&flow, &DeviceAuthorizationFlow::pollAnswered, this,
                [&](const QString &, int next) { intervals << next; });
        QSignalSpy accepted(&flow, &DeviceAuthorizationFlow::backchannelAccepted);
        QSignalSpy codes(&flow, &DeviceAuthorizationFlow::userCodeReady);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QCOMPARE(outcome.summary,
                 QStringLiteral("The person approved on their device; tokens issued."));
        QCOMPARE(codes.size(), 0);
        QCOMPARE(accepted.size(), 1);
        const auto authorization = accepted.first().first().value<BackchannelAuthorization>();
        QCOMPARE(authorization.authReqId, QByteArray("1c266114-a1be-4252-8ad1-04986c5b9ac1"));
        QCOMPARE(authorization.expiresInSeconds, 120);
        QCOMPARE(authorization.loginHint, QStringLiteral("alice@example.test"));
        QCOMPARE(authorization.bindingMessage, QStringLiteral("W4SCT"));
        QCOMPARE(intervals, (QList<int>{1, 6}));

        QCOMPARE(server.requests.size(), 4);
        const QByteArray request = server.requests.first();
        QVERIFY(request.startsWith("POST /bc-authorize "));
        QVERIFY(request.contains("Authorization: Basic "));
        const FormFields sent = bodyOf(request);
        QCOMPARE(FormEncoding::value(sent, "login_hint"), QStringLiteral("alice@example.test"));
        QCOMPARE(FormEncoding::value(sent, "binding_message"), QStringLiteral("W4SCT"));
        QCOMPARE(FormEncoding::value(sent, "scope"), QStringLiteral("openid payments"));
        QVERIFY(!FormEncoding::contains(sent, "grant_type"));
        const FormFields poll = bodyOf(server.requests.last());
        QCOMPARE(FormEncoding::value(poll, "grant_type"),
                 QStringLiteral("urn:openid:params:grant-type:ciba"));
        QCOMPARE(FormEncoding::value(poll, "auth_req_id"),
                 QStringLiteral("1c266114-a1be-4252-8ad1-04986c5b9ac1"));
        QVERIFY(!FormEncoding::contains(poll, "device_code"));
    }

    void serverVerdictsEndTheFlow_data()
    {
        QTest::addColumn<QByteArray>("error");
        QTest::addColumn<int>("result");
        QTest::addColumn<QString>("summary");
        QTest::newRow("denied") << QByteArray("access_denied")
                                << int(FlowOutcome::Result::TokenErrorResponse)
                                << QStringLiteral("The person denied the request on their "
                                                  "device.");
        QTest::newRow("expired") << QByteArray("expired_token") << int(FlowOutcome::Result::Expired)
                                 << QStringLiteral("The server says the auth_req_id has expired.");
    }

    void serverVerdictsEndTheFlow()
    {
        QFETCH(QByteArray, error);
        QFETCH(int, result);
        QFETCH(QString, summary);
        testhttp::CannedServer server(tokenError("server_error"));
        server.route("/bc-authorize", accepted(1, 120));
        server.route("/token", tokenError(error.constData()));
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(10);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(int(outcome.result), result);
        QCOMPARE(outcome.summary, summary);
    }

    // The request runs out on the app's clock when the server keeps saying "pending".
    void expiryEndsTheFlowWithoutApproval()
    {
        testhttp::CannedServer server(tokenError("authorization_pending"));
        server.route("/bc-authorize", accepted(1, 3));
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(20);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::Expired);
        QVERIFY2(outcome.summary.contains("approved it on their device"),
                 qPrintable(outcome.summary));
    }

    void unusableBackchannelAnswers_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("detail");
        QTest::newRow("refused") << jsonResponse(400, "{\"error\":\"unknown_user_id\"}")
                                 << QString();
        QTest::newRow("no auth_req_id")
            << jsonResponse(200, "{\"expires_in\":120}") << QStringLiteral("auth_req_id");
        QTest::newRow("no expiry")
            << jsonResponse(200, "{\"auth_req_id\":\"x\"}") << QStringLiteral("expires_in");
        QTest::newRow("html") << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                            "Content-Length: 6\r\nConnection: close\r\n\r\n<html>")
                              << QStringLiteral("auth_req_id");
    }

    void unusableBackchannelAnswers()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, detail);
        testhttp::CannedServer server(answer);
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::BackchannelAuthenticationFailed);
        QCOMPARE(FlowOutcome::resultName(outcome.result),
                 QStringLiteral("backchannel_authentication_failed"));
        QVERIFY2(outcome.summary.contains("backchannel authentication"),
                 qPrintable(outcome.summary));
        if (!detail.isEmpty())
            QVERIFY2(outcome.details.join('\n').contains(detail),
                     qPrintable(outcome.details.join('\n')));
        QCOMPARE(server.requests.size(), 1); // no poll without an auth_req_id
    }

    void configurationNamesWhatIsMissing()
    {
        ClientConfig config;
        config.grant = GrantType::Ciba;
        config.tokenEndpoint = QUrl("https://id.example.test/token");
        config.clientId = "bank-app";
        config.clientSecret = "s";
        config.scope = "payments";
        const QString problems = config.validate().join('\n');
        QVERIFY2(problems.contains("backchannel authentication endpoint"), qPrintable(problems));
        QVERIFY2(problems.contains("login hint"), qPrintable(problems));
        QVERIFY2(problems.contains("must include openid"), qPrintable(problems));
        config.authMethod = ClientAuthMethod::None;
        QVERIFY(config.warnings().join('\n').contains("confidential clients"));
    }

    // The whole flow on the sandbox: its page (the person's phone) shows the request with the
    // binding message; approving there gives tokens at the next poll, an ID token for the person
    // the login hint named.
    void sandboxApprovesOnItsDevicePage()
    {
        QSignalSpy accepted(m_session.get(), &RunSession::backchannelAccepted);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(sandboxConfig()));
        QVERIFY(!accepted.isEmpty() || accepted.wait(5000));
        const QByteArray page = devicePage(*m_sandbox);
        QVERIFY2(page.contains("data-binding-message>K7-PLUM<"), page.constData());
        QVERIFY(page.contains("<b>alice</b>"));
        QCOMPARE(answer(*m_sandbox, "approve"), 200);
        const FlowOutcome outcome = outcomeOf(finished, 15000);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        const QString idToken = outcome.tokenResponse.value("id_token").toString();
        QVERIFY(!idToken.isEmpty());
        QString why;
        const auto jwt = Jwt::decode(idToken.toUtf8(), &why);
        QVERIFY2(jwt.has_value(), qPrintable(why));
        QCOMPARE(jwt->claims.value("sub").toString(), QStringLiteral("alice"));
        // The answered request leaves the device page.
        QVERIFY(!devicePage(*m_sandbox).contains("K7-PLUM"));
    }

    // Authorization details (RFC 9396) on the backchannel request: granted as asked, in the
    // token response the approval gives.
    void sandboxGrantsTheAuthorizationDetails()
    {
        ClientConfig config = sandboxConfig();
        config.authorizationDetails = QStringLiteral(
            "[{\"type\":\"payment_initiation\",\"instructedAmount\":{\"currency\":\"EUR\","
            "\"amount\":\"12.00\"},\"creditorName\":\"Bob\"}]");
        QSignalSpy accepted(m_session.get(), &RunSession::backchannelAccepted);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config));
        QVERIFY(!accepted.isEmpty() || accepted.wait(5000));
        QCOMPARE(answer(*m_sandbox, "approve"), 200);
        const FlowOutcome outcome = outcomeOf(finished, 15000);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        const QList<HttpExchange> &run = m_session->record().exchanges;
        const QJsonArray asked = AuthorizationDetails::askedIn(run, run.size() - 1);
        QCOMPARE(asked, AuthorizationDetails::parse(config.authorizationDetails));
        const auto granted = AuthorizationDetails::compare(
            asked, outcome.tokenResponse.value("authorization_details"));
        QVERIFY2(granted.grantedAsAsked, qPrintable(granted.differences.join('\n')));
    }

    // Denied on the device: access_denied at the next poll, the person's refusal first.
    void sandboxDenialIsDiagnosed()
    {
        QSignalSpy accepted(m_session.get(), &RunSession::backchannelAccepted);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(sandboxConfig()));
        QVERIFY(!accepted.isEmpty() || accepted.wait(5000));
        QCOMPARE(answer(*m_sandbox, "deny"), 200);
        const FlowOutcome outcome = outcomeOf(finished, 15000);
        QCOMPARE(outcome.tokenResponse.value("error").toString(), QStringLiteral("access_denied"));
        QCOMPARE(firstCause(m_session->record().exchanges), QStringLiteral("ciba_user_denied"));
    }

    // The sandbox refuses what real servers refuse, and the diagnosis names why first.
    void sandboxRefusalsAreDiagnosed_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("cause");
        QTest::newRow("long binding message") << "binding"
                                              << "invalid_binding_message"
                                              << "ciba_binding_message_invalid";
        QTest::newRow("public client") << "public"
                                       << "invalid_client"
                                       << "";
        QTest::newRow("unknown details type") << "details"
                                              << "invalid_authorization_details"
                                              << "authorization_details_invalid";
    }

    void sandboxRefusalsAreDiagnosed()
    {
        QFETCH(QString, change);
        QFETCH(QString, error);
        QFETCH(QString, cause);
        ClientConfig config = sandboxConfig();
        if (change == "binding")
            config.bindingMessage = QStringLiteral("Approve the payment of 120 EUR to Bob");
        if (change == "public") {
            config.clientId = m_sandbox->clientConfig(false).clientId;
            config.authMethod = ClientAuthMethod::None;
            config.clientSecret.clear();
        }
        if (change == "details")
            config.authorizationDetails = QStringLiteral("[{\"type\":\"crypto_trading\"}]");
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::BackchannelAuthenticationFailed);
        const QList<HttpExchange> &run = m_session->record().exchanges;
        QCOMPARE(run.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(run.last().responseBody)["error"].toString(), error);
        if (!cause.isEmpty())
            QCOMPARE(firstCause(run), cause);
    }

    // An auth_req_id is no device code, nor the other way round.
    void sandboxKeepsTheGrantsApart()
    {
        QSignalSpy accepted(m_session.get(), &RunSession::backchannelAccepted);
        QVERIFY(m_session->start(sandboxConfig()));
        QVERIFY(!accepted.isEmpty() || accepted.wait(5000));
        const QByteArray authReqId =
            accepted.first().first().value<BackchannelAuthorization>().authReqId;
        ClientConfig config = sandboxConfig();
        ExchangeClient client;
        PendingExchange *pending =
            client.send(TokenRequest::deviceToken(config, authReqId), "device poll with a CIBA id");
        QSignalSpy done(pending, &PendingExchange::finished);
        QVERIFY(done.wait(5000));
        const HttpExchange answer = done.first().first().value<HttpExchange>();
        QCOMPARE(QJsonDocument::fromJson(answer.responseBody)["error"].toString(),
                 QStringLiteral("invalid_grant"));
        // The device page does not list CIBA requests.
        QNetworkAccessManager network;
        const QByteArray code = QRegularExpression("name=\"request\" value=\"([^\"]+)\"")
                                    .match(QString::fromUtf8(devicePage(*m_sandbox)))
                                    .captured(1)
                                    .toLatin1();
        QVERIFY(!code.isEmpty());
        const auto page = sandboxbrowser::fetch(network, m_sandbox->endpoint("/device"),
                                                "user_code=" + code + "&decision=approve");
        QCOMPARE(page.status, 400);
        m_session->cancel();
    }
};

QTEST_MAIN(TestCibaFlow)
#include "tst_cibaflow.moc"
