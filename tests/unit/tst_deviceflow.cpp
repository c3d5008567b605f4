// The device authorization grant (RFC 8628) against a scripted server: polling, slow_down,
// expiry, denial and unusable answers. The real provider is in tst_e2e_grants.
#include "core/flows/DeviceAuthorizationFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/util/FormEncoding.h"

#include "TestHttp.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::jsonResponse;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::DeviceAuthorization)

namespace {
QByteArray deviceAnswer(int interval, int expiresIn, const char *uriName = "verification_uri")
{
    return jsonResponse(
        200,
        QByteArray("{\"device_code\":\"dev-123\",\"user_code\":\"WDJB-MJHT\",\"") + uriName +
            "\":\"https://id.example.test/device\","
            "\"verification_uri_complete\":\"https://id.example.test/device?user_code=WDJB-MJHT\","
            "\"expires_in\":" +
            QByteArray::number(expiresIn) + ",\"interval\":" + QByteArray::number(interval) + "}");
}
QByteArray tokenError(const char *error)
{
    return jsonResponse(400, QByteArray("{\"error\":\"") + error + "\"}");
}
const QByteArray kTokens =
    jsonResponse(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\"}");
} // namespace

class TestDeviceFlow : public QObject
{
    Q_OBJECT

    ClientConfig configFor(const testhttp::CannedServer &server) const
    {
        ClientConfig config;
        config.grant = GrantType::DeviceCode;
        config.deviceAuthorizationEndpoint = server.url("/device/auth");
        config.tokenEndpoint = server.url("/token");
        config.clientId = "tv-app";
        config.authMethod = ClientAuthMethod::None;
        config.scope = "openid offline_access";
        return config;
    }

    static FlowOutcome outcomeOf(QSignalSpy &finished, int timeoutMs = 5000)
    {
        if (finished.isEmpty() && !finished.wait(timeoutMs))
            return {FlowOutcome::Result::Cancelled, "no outcome in time"};
        return finished.first().first().value<FlowOutcome>();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<DeviceAuthorization>();
    }

    void pendingThenSlowDownThenTokens()
    {
        testhttp::CannedServer server(tokenError("server_error"));
        server.route("/device/auth", deviceAnswer(1, 600));
        server.script("/token", {tokenError("authorization_pending"), tokenError("slow_down"),
                                 tokenError("authorization_pending"), kTokens});
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(20); // one "second" of the server's interval is 20 ms here
        QList<int> intervals;
        QList<qint64> pollTimes;
        QElapsedTimer clock;
        clock.start();
        connect(&flow, &DeviceAuthorizationFlow::pollAnswered, this,
                [&](const QString &, int next) {
                    intervals << next;
                    pollTimes << clock.elapsed();
                });
        QSignalSpy codes(&flow, &DeviceAuthorizationFlow::userCodeReady);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QCOMPARE(outcome.tokenResponse.value("access_token").toString(), QStringLiteral("at-1"));

        const auto authorization = codes.first().first().value<DeviceAuthorization>();
        QCOMPARE(authorization.userCode, QStringLiteral("WDJB-MJHT"));
        QCOMPARE(authorization.deviceCode, QByteArray("dev-123"));
        QCOMPARE(authorization.verificationUriComplete.query(),
                 QStringLiteral("user_code=WDJB-MJHT"));
        QCOMPARE(authorization.expiresInSeconds, 600);
        // slow_down adds five seconds to this and every later interval (RFC 8628 §3.5).
        QCOMPARE(intervals, (QList<int>{1, 6, 6}));
        QCOMPARE(flow.currentIntervalSeconds(), 6);
        QVERIFY2(pollTimes.at(2) - pollTimes.at(1) >= 6 * 20 - 2,
                 qPrintable(QString::number(pollTimes.at(2) - pollTimes.at(1))));
        QCOMPARE(flow.pollCount(), 4);

        // What went on the wire: the device request with client and scope, then the polls.
        QCOMPARE(server.requests.size(), 5);
        QVERIFY(server.requests.first().startsWith("POST /device/auth "));
        const QByteArray deviceBody =
            server.requests.first().mid(server.requests.first().indexOf("\r\n\r\n") + 4);
        const FormFields deviceForm = FormEncoding::decode(deviceBody);
        QCOMPARE(FormEncoding::value(deviceForm, "client_id"), QStringLiteral("tv-app"));
        QCOMPARE(FormEncoding::value(deviceForm, "scope"), QStringLiteral("openid offline_access"));
        const QByteArray poll = server.requests.last();
        const FormFields pollForm = FormEncoding::decode(poll.mid(poll.indexOf("\r\n\r\n") + 4));
        QCOMPARE(FormEncoding::value(pollForm, "grant_type"),
                 QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
        QCOMPARE(FormEncoding::value(pollForm, "device_code"), QStringLiteral("dev-123"));
    }

    void expiryEndsTheFlowWithoutApproval()
    {
        testhttp::CannedServer server(tokenError("authorization_pending"));
        server.route("/device/auth", deviceAnswer(1, 3));
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(30);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::Expired);
        QVERIFY(!flow.isRunning());
        // No poll after the end: nothing is left scheduled.
        const QList<QTimer *> timers = flow.findChildren<QTimer *>();
        QCOMPARE(timers.size(), 2); // the poll and expiry timers
        for (const QTimer *timer : timers)
            QVERIFY2(!timer->isActive(), qPrintable(timer->objectName()));
    }

    void serverVerdictsEndTheFlow_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<FlowOutcome::Result>("result");
        QTest::addColumn<QString>("summary");
        QTest::newRow("access_denied")
            << tokenError("access_denied") << FlowOutcome::Result::TokenErrorResponse << "denied";
        QTest::newRow("expired_token")
            << tokenError("expired_token") << FlowOutcome::Result::Expired << "expired";
        QTest::newRow("invalid_grant")
            << tokenError("invalid_grant") << FlowOutcome::Result::TokenErrorResponse << "HTTP 400";
        QTest::newRow("HTML instead of JSON")
            << jsonResponse(502, "<html><body>Bad gateway</body></html>", "text/html")
            << FlowOutcome::Result::TokenErrorResponse << "HTTP 502";
    }
    void serverVerdictsEndTheFlow()
    {
        QFETCH(QByteArray, answer);
        QFETCH(FlowOutcome::Result, result);
        QFETCH(QString, summary);
        testhttp::CannedServer server(answer);
        server.route("/device/auth", deviceAnswer(1, 600));
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(10);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, result);
        QVERIFY2(outcome.summary.contains(summary), qPrintable(outcome.summary));
        QCOMPARE(flow.pollCount(), 1);
    }

    void unusableDeviceAuthorizationAnswers_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("detail");
        QTest::newRow("no user_code")
            << jsonResponse(
                   200,
                   "{\"device_code\":\"d\",\"verification_uri\":\"https://x/d\",\"expires_in\":60}")
            << "user_code";
        QTest::newRow("expires_in as text")
            << jsonResponse(200, "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":"
                                 "\"https://x/d\",\"expires_in\":\"60\"}")
            << "expires_in";
        QTest::newRow("HTML login page")
            << jsonResponse(200, "<html>sign in</html>", "text/html") << "device_code";
        QTest::newRow("invalid_client")
            << jsonResponse(401, "{\"error\":\"invalid_client\"}") << "error: invalid_client";
    }
    void unusableDeviceAuthorizationAnswers()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, detail);
        testhttp::CannedServer server(kTokens);
        server.route("/device/auth", answer);
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::DeviceAuthorizationFailed);
        QVERIFY2(outcome.details.join('\n').contains(detail),
                 qPrintable(outcome.details.join('\n')));
        QCOMPARE(server.requests.size(), 1); // no polling without a device code
    }

    void verificationUrlSpellingIsAccepted()
    {
        testhttp::CannedServer server(kTokens);
        server.route("/device/auth", deviceAnswer(1, 600, "verification_url"));
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        flow.setSecondScaleMs(5);
        QSignalSpy codes(&flow, &DeviceAuthorizationFlow::userCodeReady);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        QVERIFY(outcomeOf(finished).succeeded());
        QCOMPARE(codes.first().first().value<DeviceAuthorization>().verificationUri,
                 QUrl("https://id.example.test/device"));
    }

    void missingEndpointIsAConfigurationProblem()
    {
        ClientConfig config;
        config.grant = GrantType::DeviceCode;
        config.tokenEndpoint = QUrl("https://id.example.test/token");
        config.clientId = "tv";
        config.authMethod = ClientAuthMethod::None;
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(!flow.start(config));
        const FlowOutcome outcome = finished.first().first().value<FlowOutcome>();
        QCOMPARE(outcome.result, FlowOutcome::Result::InvalidConfiguration);
        QVERIFY(outcome.details.join(' ').contains("device authorization endpoint"));
    }
};

QTEST_GUILESS_MAIN(TestDeviceFlow)
#include "tst_deviceflow.moc"
