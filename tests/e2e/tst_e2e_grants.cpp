// End to end: the grants that need no redirect — client credentials, the device authorization
// grant with a real headless Chromium approving the user code, the refresh token grant, token
// exchange, JWT bearer and password — against the real oidc-provider on loopback.
#include "core/diagnosis/Diagnoser.h"
#include "core/flows/DeviceAuthorizationFlow.h"
#include "core/flows/TokenGrantFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/util/FormEncoding.h"

#include "E2eEnvironment.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaMethod>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::DeviceAuthorization)

class TestE2eGrants : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    ClientConfig configFor(const QString &key, GrantType grant) const
    {
        return m_env.clientConfig(key, grant);
    }

    static QString describe(const FlowOutcome &outcome)
    {
        return outcome.summary + "\n" + outcome.details.join("\n") + "\n" +
               QString::fromUtf8(QJsonDocument(outcome.tokenResponse).toJson());
    }

    static FlowOutcome outcomeOf(QSignalSpy &finished, int timeoutMs)
    {
        if (finished.isEmpty() && !finished.wait(timeoutMs))
            return {FlowOutcome::Result::Cancelled, "no outcome in time"};
        return finished.first().first().value<FlowOutcome>();
    }

    // Runs the device flow with the browser approving the user code; returns its tokens.
    QJsonObject m_deviceTokens;

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<DeviceAuthorization>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanupTestCase() { m_env.stop(); }

    // ctest runs these tests in two groups by what serves them (tests/CMakeLists.txt): every
    // test of this file must be in one, or it would never run.
    void everyTestRunsUnderOneLabel()
    {
        QCOMPARE(e2e::testFunctions(metaObject(), "everyTestRunsUnderOneLabel"),
                 e2e::listedTestFunctions("WORKBENCH_GRANT_TESTS"));
    }

    void clientCredentialsGrant()
    {
        ClientConfig config = configFor("service", GrantType::ClientCredentials);
        ExchangeClient client;
        TokenGrantFlow flow(&client);
        QList<HttpExchange> recorded;
        connect(&flow, &TokenGrantFlow::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        QSignalSpy finished(&flow, &TokenGrantFlow::finished);
        QVERIFY(flow.start(config));
        const FlowOutcome outcome = outcomeOf(finished, 15000);
        QVERIFY2(outcome.succeeded(), qPrintable(describe(outcome)));
        QCOMPARE(outcome.tokenResponse.value("token_type").toString(), QStringLiteral("Bearer"));
        QVERIFY(!outcome.tokenResponse.contains("refresh_token"));
        QCOMPARE(recorded.size(), 1);
        const FormFields sent = FormEncoding::decode(recorded.first().request.body);
        QCOMPARE(FormEncoding::value(sent, "grant_type"), QStringLiteral("client_credentials"));
        QVERIFY(recorded.first().request.header("Authorization").startsWith("Basic "));

        // The wrong secret: invalid_client, recorded and diagnosed.
        config.clientSecret = "not-the-secret";
        recorded.clear();
        finished.clear();
        QVERIFY(flow.start(config));
        const FlowOutcome refused = outcomeOf(finished, 15000);
        QCOMPARE(refused.result, FlowOutcome::Result::TokenErrorResponse);
        QCOMPARE(refused.tokenResponse.value("error").toString(), QStringLiteral("invalid_client"));
        const auto diagnosis = Diagnoser().diagnose(recorded, 0);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_client"));
    }

    // RFC 8628 end to end: the app gets a user code, Chromium signs in at the verification URI
    // and approves it while the app polls (authorization_pending, then tokens).
    void deviceFlowIsApprovedInTheBrowser()
    {
        ClientConfig config = configFor("device", GrantType::DeviceCode);
        config.scope = "openid email";
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        QList<HttpExchange> recorded;
        QStringList pollVerdicts;
        QProcess browser;
        connect(&flow, &DeviceAuthorizationFlow::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        // The person gets to the browser only after the first poll, so the app sees
        // authorization_pending before the approval.
        connect(&flow, &DeviceAuthorizationFlow::pollAnswered, this,
                [&](const QString &error, int) {
                    pollVerdicts << error;
                    if (pollVerdicts.size() == 1)
                        m_env.openInBrowser(browser, flow.authorization()->verificationUriComplete);
                });
        QSignalSpy codes(&flow, &DeviceAuthorizationFlow::userCodeReady);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(config));
        const FlowOutcome outcome = outcomeOf(finished, 90000);
        const QJsonObject browserReport = e2e::Environment::browserResult(browser);
        QVERIFY2(outcome.succeeded(),
                 qPrintable(describe(outcome) + QJsonDocument(browserReport).toJson()));

        QCOMPARE(codes.size(), 1);
        const auto authorization = codes.first().first().value<DeviceAuthorization>();
        QVERIFY(!authorization.userCode.isEmpty());
        QVERIFY(authorization.verificationUri.toString().startsWith(m_env.issuer()));
        QVERIFY(authorization.verificationUriComplete.toString().contains(
            QUrl::toPercentEncoding(authorization.userCode)));
        QVERIFY(authorization.expiresInSeconds > 0);

        // Device authorization, then at least one pending poll, then the tokens.
        QVERIFY(recorded.size() >= 3);
        QCOMPARE(recorded.first().request.url, config.deviceAuthorizationEndpoint);
        QCOMPARE(recorded.first().status, 200);
        QVERIFY(pollVerdicts.contains("authorization_pending"));
        QCOMPARE(recorded.size(), 1 + flow.pollCount());
        const FormFields poll = FormEncoding::decode(recorded.last().request.body);
        QCOMPARE(FormEncoding::value(poll, "grant_type"),
                 QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
        QCOMPARE(recorded.last().status, 200);
        QVERIFY(!outcome.tokenResponse.value("id_token").toString().isEmpty());
        // A pending poll is an expected answer, not an error to explain.
        QVERIFY(!Diagnoser().diagnose(recorded, 1).has_value() ||
                Diagnoser().diagnose(recorded, 1)->code == "authorization_pending");
        m_deviceTokens = outcome.tokenResponse;
    }

    // The refresh token grant with a pasted refresh token (from the device flow above): new
    // tokens, the refresh token rotated, the old one then refused.
    void refreshTokenGrantWithAPastedToken()
    {
        const QString refreshToken = m_deviceTokens.value("refresh_token").toString();
        QVERIFY2(!refreshToken.isEmpty(), "the device flow above must have given a refresh token");
        ClientConfig config = configFor("device", GrantType::RefreshToken);
        config.refreshToken = refreshToken;
        ExchangeClient client;
        TokenGrantFlow flow(&client);
        QSignalSpy finished(&flow, &TokenGrantFlow::finished);
        QVERIFY(flow.start(config));
        const FlowOutcome outcome = outcomeOf(finished, 15000);
        QVERIFY2(outcome.succeeded(), qPrintable(describe(outcome)));
        const QString rotated = outcome.tokenResponse.value("refresh_token").toString();
        QVERIFY(!rotated.isEmpty() && rotated != refreshToken);

        finished.clear();
        QVERIFY(flow.start(config)); // the old one again
        const FlowOutcome refused = outcomeOf(finished, 15000);
        QCOMPARE(refused.result, FlowOutcome::Result::TokenErrorResponse);
        QCOMPARE(refused.tokenResponse.value("error").toString(), QStringLiteral("invalid_grant"));
    }

    // Runs one grant and returns its outcome with the exchanges it recorded.
    FlowOutcome run(const ClientConfig &config, QList<HttpExchange> *recorded)
    {
        ExchangeClient client;
        TokenGrantFlow flow(&client);
        connect(&flow, &TokenGrantFlow::exchangeRecorded, this,
                [recorded](const HttpExchange &exchange) { *recorded << exchange; });
        QSignalSpy finished(&flow, &TokenGrantFlow::finished);
        if (!flow.start(config))
            return {FlowOutcome::Result::Cancelled,
                    "the flow did not start: " + config.validate().join("; ")};
        return outcomeOf(finished, 15000);
    }

    // The grant is refused with invalid_grant, and the step is diagnosed as such.
    void expectInvalidGrant(const ClientConfig &config)
    {
        QList<HttpExchange> recorded;
        const FlowOutcome refused = run(config, &recorded);
        QCOMPARE(refused.result, FlowOutcome::Result::TokenErrorResponse);
        QCOMPARE(refused.tokenResponse.value("error").toString(), QStringLiteral("invalid_grant"));
        QCOMPARE(recorded.size(), 1);
        const auto diagnosis = Diagnoser().diagnose(recorded, 0);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_grant"));
    }

    // RFC 8693: an access token from the client credentials grant exchanged for another.
    // oidc-provider leaves this grant to the deployment; the test provider registers it.
    void tokenExchangeGrant()
    {
        QList<HttpExchange> recorded;
        const FlowOutcome subject =
            run(configFor("service", GrantType::ClientCredentials), &recorded);
        QVERIFY2(subject.succeeded(), qPrintable(describe(subject)));
        ClientConfig config = configFor("tokenExchange", GrantType::TokenExchange);
        config.subjectToken = subject.tokenResponse.value("access_token").toString();
        recorded.clear();
        const FlowOutcome outcome = run(config, &recorded);
        QVERIFY2(outcome.succeeded(), qPrintable(describe(outcome)));
        QCOMPARE(outcome.tokenResponse.value("issued_token_type").toString(),
                 QStringLiteral("urn:ietf:params:oauth:token-type:access_token"));
        const QString issued = outcome.tokenResponse.value("access_token").toString();
        QVERIFY(!issued.isEmpty() && issued != config.subjectToken);
        QCOMPARE(recorded.size(), 1);
        const FormFields sent = FormEncoding::decode(recorded.first().request.body);
        QCOMPARE(FormEncoding::value(sent, "grant_type"),
                 QStringLiteral("urn:ietf:params:oauth:grant-type:token-exchange"));
        QCOMPARE(FormEncoding::value(sent, "subject_token"), config.subjectToken);
        QVERIFY(recorded.first().request.header("Authorization").startsWith("Basic "));

        // A subject token the server does not know: invalid_grant, diagnosed.
        config.subjectToken = "not-a-token-this-server-issued";
        expectInvalidGrant(config);
    }

    // RFC 7523 §2.1: the app signs an assertion with the client's PEM key (and authenticates
    // with private_key_jwt); the provider checks it against the client's registered key.
    void jwtBearerGrant()
    {
        ClientConfig config = configFor("jwtBearer", GrantType::JwtBearer);
        config.privateKeyPem = m_env.client("jwtBearer").value("private_key_pem").toString();
        config.keyId = m_env.client("jwtBearer").value("kid").toString();
        config.assertionSubject = "service-account@example.test";
        QList<HttpExchange> recorded;
        const FlowOutcome outcome = run(config, &recorded);
        QVERIFY2(outcome.succeeded(), qPrintable(describe(outcome)));
        QVERIFY(!outcome.tokenResponse.value("access_token").toString().isEmpty());
        const FormFields sent = FormEncoding::decode(recorded.first().request.body);
        QCOMPARE(FormEncoding::value(sent, "grant_type"),
                 QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer"));
        QCOMPARE(FormEncoding::value(sent, "assertion").count('.'), 2);
        QVERIFY(!FormEncoding::value(sent, "client_assertion").isEmpty());

        // A pasted assertion that is not signed by the client's key: refused.
        const QString signedOne = FormEncoding::value(sent, "assertion");
        config.assertion = signedOne.left(signedOne.lastIndexOf('.') + 1) + "AAAA";
        expectInvalidGrant(config);
    }

    // The legacy resource owner password grant (client_secret_post), registered by the test
    // provider as oidc-provider no longer ships it.
    void passwordGrant()
    {
        const QJsonObject client = m_env.client("password");
        ClientConfig config = configFor("password", GrantType::Password);
        config.username = client.value("test_username").toString();
        config.password = client.value("test_password").toString();
        QList<HttpExchange> recorded;
        const FlowOutcome outcome = run(config, &recorded);
        QVERIFY2(outcome.succeeded(), qPrintable(describe(outcome)));
        const FormFields sent = FormEncoding::decode(recorded.first().request.body);
        QCOMPARE(FormEncoding::value(sent, "grant_type"), QStringLiteral("password"));
        QCOMPARE(FormEncoding::value(sent, "password"), config.password);
        QCOMPARE(FormEncoding::value(sent, "client_secret"), config.clientSecret);

        config.password = "not the password";
        expectInvalidGrant(config);
    }

    // The command line runs the same grants: tokens for the right secret (exit 0), and for a
    // refused token exchange the diagnosis in its JSON (exit 1). Secrets go in through the
    // environment only.
    void commandLineRunsTheGrants()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name oauth-workbench-cli");
        const auto runCli = [&](const QStringList &arguments, const QString &secret, int *exit) {
            QProcess process;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert("E2E_SECRET", secret);
            environment.insert("E2E_SUBJECT", "not-a-token-this-server-issued");
            process.setProcessEnvironment(environment);
            process.start(cli, QStringList{"token", "--json", "--token-endpoint",
                                           m_env.discovery().value("token_endpoint").toString(),
                                           "--client-secret-env", "E2E_SECRET"} +
                                   arguments);
            if (!process.waitForFinished(30000))
                return QJsonObject{{"error", "the command did not finish"}};
            *exit = process.exitCode();
            return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        };
        const QJsonObject service = m_env.client("service");
        int exit = -1;
        const QJsonObject issued = runCli(
            {"--grant", "client_credentials", "--client-id", service.value("client_id").toString()},
            service.value("client_secret").toString(), &exit);
        QCOMPARE(exit, 0);
        QCOMPARE(issued.value("outcome").toString(), QStringLiteral("succeeded"));
        QVERIFY(
            !issued.value("token_response").toObject().value("access_token").toString().isEmpty());
        QVERIFY(!issued.contains("diagnosis"));

        const QJsonObject exchanger = m_env.client("tokenExchange");
        const QJsonObject refused =
            runCli({"--grant", "token-exchange", "--client-id",
                    exchanger.value("client_id").toString(), "--subject-token-env", "E2E_SUBJECT"},
                   exchanger.value("client_secret").toString(), &exit);
        QCOMPARE(exit, 1);
        QCOMPARE(refused.value("token_response").toObject().value("error").toString(),
                 QStringLiteral("invalid_grant"));
        QCOMPARE(refused.value("diagnosis").toObject().value("code").toString(),
                 QStringLiteral("invalid_grant"));
        const QString request =
            refused.value("exchanges").toArray().first().toObject().value("request").toString();
        QVERIFY(request.contains(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"));
    }

    // The command line's device flow, on the same run engine as the window: the code, its link
    // and QR code on standard error, Chromium approving at the link, the outcome as JSON.
    void commandLineRunsTheDeviceFlow()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name oauth-workbench-cli");
        const ClientConfig config = configFor("device", GrantType::DeviceCode);
        QCOMPARE(config.authMethod, ClientAuthMethod::None);
        QProcess process;
        QProcess browser;
        QString errors;
        QUrl link;
        connect(&process, &QProcess::readyReadStandardError, this, [&] {
            errors += QString::fromUtf8(process.readAllStandardError());
            // The person opens the link once the first poll said authorization_pending.
            const QRegularExpressionMatch opened =
                QRegularExpression("or open (\\S+)\n").match(errors);
            if (link.isEmpty() && opened.hasMatch() &&
                errors.contains("poll: authorization_pending")) {
                link = QUrl(opened.captured(1));
                m_env.openInBrowser(browser, link);
            }
        });
        QSignalSpy done(&process, &QProcess::finished);
        process.start(cli, {"device", "--json", "--device-authorization-endpoint",
                            config.deviceAuthorizationEndpoint.toString(), "--token-endpoint",
                            config.tokenEndpoint.toString(), "--client-id", config.clientId,
                            "--auth-method", "none", "--scope", "openid email", "--issuer",
                            m_env.issuer()});
        QVERIFY2(done.wait(90000), qPrintable(errors));
        const QJsonObject browserReport = e2e::Environment::browserResult(browser);
        const QJsonObject result =
            QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QVERIFY2(process.exitCode() == 0, qPrintable(errors + QJsonDocument(result).toJson() +
                                                     QJsonDocument(browserReport).toJson()));
        QCOMPARE(result.value("outcome").toString(), QStringLiteral("succeeded"));
        QVERIFY(!result.value("token_response").toObject().value("id_token").toString().isEmpty());
        // What the person was shown: the code, the link with it, and a QR code of block
        // characters.
        QVERIFY(link.toString().startsWith(m_env.issuer()));
        const QString userCode = QUrlQuery(link).queryItemValue("user_code");
        QVERIFY(!userCode.isEmpty());
        QVERIFY(errors.contains("enter the code\n\n    " + userCode));
        QVERIFY(errors.contains(QChar(0x2588)) && errors.contains("scan this with a phone"));
        // Device authorization, at least one pending poll, then the tokens.
        const QJsonArray exchanges = result.value("exchanges").toArray();
        QVERIFY(exchanges.size() >= 3);
        QVERIFY(exchanges.first().toObject().value("request").toString().startsWith(
            "POST " + config.deviceAuthorizationEndpoint.path()));
    }

    // `discover` against the real provider: its metadata document and endpoints, as JSON.
    void commandLineDiscoversTheProvider()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name oauth-workbench-cli");
        QProcess process;
        process.start(cli, {"discover", "--json", m_env.issuer()});
        QVERIFY(process.waitForFinished(30000));
        const QByteArray errors = process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, errors.constData());
        const QJsonObject result =
            QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(result.value("outcome").toString(), QStringLiteral("discovered"));
        const QJsonObject metadata = result.value("metadata").toObject();
        QCOMPARE(metadata.value("issuer").toString(), m_env.issuer());
        QCOMPARE(metadata.value("token_endpoint").toString(),
                 m_env.discovery().value("token_endpoint").toString());
        const QJsonArray exchanges = result.value("exchanges").toArray();
        QVERIFY(!exchanges.isEmpty());
        QVERIFY(exchanges.first().toObject().value("request").toString().startsWith(
            "GET /.well-known/openid-configuration"));
    }

    // Cancel while polling: the flow ends at once and polls no more.
    void deviceFlowCancelStopsPolling()
    {
        ClientConfig config = configFor("device", GrantType::DeviceCode);
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        QSignalSpy codes(&flow, &DeviceAuthorizationFlow::userCodeReady);
        QSignalSpy recorded(&flow, &DeviceAuthorizationFlow::exchangeRecorded);
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(config));
        QVERIFY(codes.wait(15000));
        flow.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().value<FlowOutcome>().result,
                 FlowOutcome::Result::Cancelled);
        const qsizetype seen = recorded.size();
        QTest::qWait((flow.currentIntervalSeconds() + 1) * 1000);
        QCOMPARE(recorded.size(), seen);
        QVERIFY(!flow.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestE2eGrants)
#include "tst_e2e_grants.moc"
