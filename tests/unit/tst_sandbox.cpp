// The built-in sandbox provider, driven through the app's own core: discovery, the code flow with
// PKCE, ID token validation, the follow-up actions, and every error trigger with the diagnosis the
// app gives it. The person at the browser is played by a small scripted HTTP client here;
// tests/e2e/tst_e2e_sandbox.cpp does the same flow in a real headless Chromium.
#include "core/client/TokenRequest.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/discovery/ProviderDiscovery.h"
#include "core/export/ExchangeExport.h"
#include "core/export/Redaction.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/flows/DeviceAuthorizationFlow.h"
#include "core/flows/TokenGrantFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/sandbox/SandboxDeviceCodes.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/tokens/IdTokenVerifier.h"
#include "core/tokens/TokenActions.h"

#include "SandboxBrowser.h"
#include "TestClock.h"
#include "TestHttp.h"
#include "TokenActionsTest.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace workbench;
using sandboxbrowser::Page;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::ProviderMetadata)

class TestSandbox : public QObject
{
    Q_OBJECT

    SandboxProvider m_sandbox;

    struct Run
    {
        FlowOutcome outcome;
        QList<HttpExchange> exchanges;
        Page browser;
    };

    Run runFlow(const ClientConfig &config, const QString &decision = "approve",
                int timeoutMs = 30000)
    {
        Run run;
        ExchangeClient client;
        client.setTimeoutMs(timeoutMs);
        AuthorizationCodeFlow flow(&client);
        run.outcome = sandboxbrowser::completeFlow(flow, config, decision, &run.browser);
        run.exchanges = flow.exchanges();
        return run;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<ProviderMetadata>();
        qRegisterMetaType<TokenActions::Outcome>();
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        // Loopback only, on a port the system chose.
        QCOMPARE(m_sandbox.boundAddress(), QHostAddress(QHostAddress::LocalHost));
        QVERIFY(m_sandbox.issuer().startsWith("http://127.0.0.1:"));
    }

    void discoveryFindsEveryEndpoint()
    {
        ExchangeClient client;
        ProviderDiscovery discovery(&client);
        QSignalSpy discovered(&discovery, &ProviderDiscovery::discovered);
        discovery.discover(QUrl(m_sandbox.issuer()));
        QVERIFY(discovered.wait(5000));
        const auto metadata = discovered.first().at(0).value<ProviderMetadata>();
        QCOMPARE(metadata.issuer, m_sandbox.issuer());
        const ClientConfig config = m_sandbox.clientConfig();
        QCOMPARE(metadata.authorizationEndpoint, config.authorizationEndpoint);
        QCOMPARE(metadata.tokenEndpoint, config.tokenEndpoint);
        QCOMPARE(metadata.jwksUri, config.jwksUri);
        QCOMPARE(metadata.userinfoEndpoint, config.userinfoEndpoint);
        QCOMPARE(metadata.introspectionEndpoint, config.introspectionEndpoint);
        QCOMPARE(metadata.revocationEndpoint, config.revocationEndpoint);
        QCOMPARE(metadata.idTokenSigningAlgValuesSupported, QStringList{"RS256"});
        QVERIFY2(discovered.first().at(1).toStringList().isEmpty(),
                 qPrintable(discovered.first().at(1).toStringList().join('\n')));
    }

    void publicClientCodeFlowWithPkce()
    {
        const Run run = runFlow(m_sandbox.clientConfig(false));
        QVERIFY2(run.outcome.succeeded(),
                 qPrintable(run.outcome.summary + "\n" + run.outcome.details.join('\n')));
        QVERIFY(run.browser.body.contains("return to OAuth Workbench"));
        // Every ID token check passes, at_hash included (the sandbox sets it).
        QCOMPARE(run.outcome.idTokenChecks.size(), 12);
        for (const char *name : {"signature", "iss", "aud", "exp", "iat", "nonce", "at_hash"})
            QVERIFY2(testactions::checkNamed(run.outcome.idTokenChecks, name).status ==
                         TokenCheck::Status::Passed,
                     name);
        // The access token is a JWT (RFC 9068) and a refresh token came too.
        QVERIFY(run.outcome.tokenResponse.value("access_token").toString().count('.') == 2);
        QVERIFY(!run.outcome.tokenResponse.value("refresh_token").toString().isEmpty());
        for (qsizetype i = 0; i < run.exchanges.size(); ++i)
            QVERIFY(!Diagnoser().diagnose(run.exchanges, i).has_value());
    }

    void deniedConsentComesBackAsAccessDenied()
    {
        const Run run = runFlow(m_sandbox.clientConfig(false), "deny");
        QCOMPARE(run.outcome.result, FlowOutcome::Result::AuthorizationError);
        const auto diagnosis = Diagnoser().diagnose(run.exchanges, 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->entryId, QStringLiteral("oauth.access_denied"));
    }

    void confidentialClientAndTheFollowUpActions()
    {
        const ClientConfig config = m_sandbox.clientConfig(true);
        const Run run = runFlow(config);
        QVERIFY2(run.outcome.succeeded(), qPrintable(run.outcome.summary));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        QList<HttpExchange> recorded;
        connect(&actions, &TokenActions::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        const TokenSet first =
            TokenSet::fromResponse(run.outcome.tokenResponse, run.outcome.tokensReceivedAt);
        actions.setSession(config, first);

        auto outcome = testactions::run(actions, TokenActions::Action::UserInfo);
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        QVERIFY(outcome.details.join('\n').contains("email: demo@sandbox.test"));
        outcome = testactions::run(actions, TokenActions::Action::Refresh);
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary + outcome.details.join('\n')));
        QVERIFY(outcome.details.join('\n').contains("Refresh token rotated"));
        QVERIFY(IdTokenValidator::accepted(outcome.idTokenChecks));
        outcome = testactions::run(actions, TokenActions::Action::Introspect,
                                   TokenActions::Target::RefreshToken);
        QVERIFY(outcome.summary.contains("refresh_token is active"));
        outcome = testactions::run(actions, TokenActions::Action::Revoke);
        QVERIFY(outcome.succeeded);
        outcome = testactions::run(actions, TokenActions::Action::Introspect);
        QVERIFY(outcome.summary.contains("not active"));

        // The rotated-away refresh token: refused, and the whole grant revoked with it.
        TokenSet stale = actions.tokens();
        stale.refreshToken = first.refreshToken;
        actions.setSession(config, stale);
        outcome = testactions::run(actions, TokenActions::Action::Refresh);
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.details.join('\n').contains("already used"));
        QCOMPARE(Diagnoser().diagnose(recorded, recorded.size() - 1)->entryId,
                 QStringLiteral("oauth.invalid_grant.refresh"));
        actions.setSession(config, actions.tokens());
        outcome = testactions::run(actions, TokenActions::Action::Introspect,
                                   TokenActions::Target::RefreshToken);
        QVERIFY(outcome.summary.contains("not active"));
    }

    // A real run (code flow with a confidential client, refresh, UserInfo) exported as HAR and
    // curl: redacted by default, no secret of the run anywhere in the output; equal values get
    // equal markers; the secrets only with Secrets::Included.
    void exportsAreRedacted()
    {
        const ClientConfig config = m_sandbox.clientConfig(true);
        Run run = runFlow(config);
        QVERIFY2(run.outcome.succeeded(), qPrintable(run.outcome.summary));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        connect(&actions, &TokenActions::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { run.exchanges << exchange; });
        actions.setSession(config, TokenSet::fromResponse(run.outcome.tokenResponse,
                                                          run.outcome.tokensReceivedAt));
        QVERIFY(testactions::run(actions, TokenActions::Action::Refresh).succeeded);
        QVERIFY(testactions::run(actions, TokenActions::Action::UserInfo).succeeded);

        const FormFields tokenRequest = FormEncoding::decode(run.exchanges.at(2).request.body);
        const QByteArrayList secrets{
            config.clientSecret.toUtf8(),
            FormEncoding::value(tokenRequest, "code").toUtf8(),
            FormEncoding::value(tokenRequest, "code_verifier").toUtf8(),
            run.outcome.tokenResponse.value("access_token").toString().toUtf8(),
            run.outcome.tokenResponse.value("refresh_token").toString().toUtf8(),
            run.outcome.tokenResponse.value("id_token").toString().toUtf8(),
            actions.tokens().accessToken,
            actions.tokens().refreshToken,
            run.exchanges.at(2).request.header("Authorization")};
        for (const QByteArray &secret : secrets)
            QVERIFY(secret.size() >= 8);

        const QByteArray har = ExchangeExport::har(run.exchanges);
        for (const QByteArray &secret : secrets) {
            QVERIFY2(!har.contains(secret), secret.constData());
            QVERIFY(!har.contains(QUrl::toPercentEncoding(QString::fromUtf8(secret))));
        }
        // The code appears on the callback and in the token request with the same marker.
        const QByteArray codeMarker = Redaction::marker(secrets.at(1));
        QVERIFY(har.count(codeMarker) >= 2);
        // A valid HAR 1.2 log with every exchange.
        const QJsonObject log = QJsonDocument::fromJson(har).object().value("log").toObject();
        QCOMPARE(log.value("version").toString(), QStringLiteral("1.2"));
        const QJsonArray entries = log.value("entries").toArray();
        QCOMPARE(entries.size(), run.exchanges.size());
        const QJsonObject token = entries.at(2).toObject();
        QCOMPARE(token.value("request").toObject().value("method").toString(),
                 QStringLiteral("POST"));
        QCOMPARE(token.value("response").toObject().value("status").toInt(), 200);
        QVERIFY(token.value("request").toObject().value("postData").toObject().contains("params"));
        QVERIFY(!token.value("startedDateTime").toString().isEmpty());

        const QByteArray full =
            ExchangeExport::har(run.exchanges, ExchangeExport::Secrets::Included);
        // (The client secret itself only travels inside the Basic header's base64.)
        for (const QByteArray &secret : secrets.mid(1))
            QVERIFY(full.contains(secret) ||
                    full.contains(QUrl::toPercentEncoding(QString::fromUtf8(secret))));

        // curl for the token request: runnable shape, redacted by default.
        const QString curl = ExchangeExport::curl(run.exchanges.at(2),
                                                  ExchangeExport::Secrets::Redacted, run.exchanges);
        QVERIFY2(curl.startsWith("curl -i \\\n  -X POST \\\n  '" + config.tokenEndpoint.toString() +
                                 "'"),
                 qPrintable(curl));
        QVERIFY(curl.contains("-H 'Authorization: Basic REDACTED:"));
        QVERIFY(curl.contains("--data-raw 'grant_type=authorization_code&code=REDACTED:"));
        for (const QByteArray &secret : secrets)
            QVERIFY(!curl.toUtf8().contains(secret));
        const QString withSecrets =
            ExchangeExport::curl(run.exchanges.at(2), ExchangeExport::Secrets::Included);
        QVERIFY(withSecrets.contains(
            QString::fromUtf8(run.exchanges.at(2).request.header("Authorization"))));
        QVERIFY(!withSecrets.contains("Content-Length"));
    }

    void curlQuotesForTheShell()
    {
        HttpExchange exchange;
        exchange.request.method = "POST";
        exchange.request.url = QUrl("https://id.example.com/token");
        exchange.request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        exchange.request.body = "note=it's";
        const QString curl = ExchangeExport::curl(exchange, ExchangeExport::Secrets::Included);
        QVERIFY2(curl.endsWith("--data-raw 'note=it'\\''s'"), qPrintable(curl));
    }

    void wrongSecretAndWrongVerifierAreRefused()
    {
        ClientConfig config = m_sandbox.clientConfig(true);
        config.clientSecret = "wrong";
        Run run = runFlow(config);
        QCOMPARE(run.outcome.result, FlowOutcome::Result::TokenErrorResponse);
        QCOMPARE(run.exchanges.at(2).status, 401);
        QCOMPARE(Diagnoser().diagnose(run.exchanges, 2)->entryId,
                 QStringLiteral("oauth.invalid_client"));
    }

    void clientCredentials()
    {
        const ClientConfig config = m_sandbox.clientConfig(true);
        ExchangeClient client;
        FormFields form{{"grant_type", "client_credentials"}, {"scope", "openid email"}};
        HttpRequestSpec request;
        TokenRequest::authenticateClient(config, config.tokenEndpoint, &request, &form);
        QSignalSpy done(&client, &ExchangeClient::exchangeFinished);
        client.send(TokenRequest::formPost(config.tokenEndpoint, form, request.headers), "cc");
        QVERIFY(done.wait(5000));
        const auto exchange = done.first().first().value<HttpExchange>();
        QCOMPARE(exchange.status, 200);
        const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
        QVERIFY(body.contains("access_token"));
        QVERIFY(!body.contains("id_token")); // no user, no ID token
        QVERIFY(!body.contains("refresh_token"));
        QCOMPARE(body.value("scope").toString(), QStringLiteral("email"));
    }

    void oldestGrantsAreForgottenSoTheSandboxDoesNotGrow()
    {
        const ClientConfig config = m_sandbox.clientConfig(true);
        ExchangeClient client;
        auto activeAfter = [&](const QString &token) {
            QSignalSpy done(&client, &ExchangeClient::exchangeFinished);
            client.send(TokenRequest::aboutToken(QUrl(m_sandbox.issuer() + "/introspect"), config,
                                                 token.toUtf8(), "access_token"),
                        "introspect");
            return done.wait(5000) &&
                   QJsonDocument::fromJson(done.first().first().value<HttpExchange>().responseBody)
                       .object()
                       .value("active")
                       .toBool();
        };
        QStringList tokens;
        for (int i = 0; i < SandboxProvider::kKeptGrants + 5; ++i) {
            QSignalSpy done(&client, &ExchangeClient::exchangeFinished);
            client.send(TokenRequest::clientCredentials(config), "cc");
            QVERIFY(done.wait(5000));
            tokens << QJsonDocument::fromJson(
                          done.first().first().value<HttpExchange>().responseBody)
                          .object()
                          .value("access_token")
                          .toString();
        }
        QVERIFY(!activeAfter(tokens.first())); // its grant is gone
        QVERIFY(activeAfter(tokens.last()));
    }

    void garbageOnTheSandboxPortIsRefused()
    {
        const quint16 port = quint16(QUrl(m_sandbox.issuer()).port());
        QCOMPARE(testhttp::statusOf(testhttp::roundTrip(port, "\x16\x03\x01 not http\r\n\r\n")),
                 400);
        QCOMPARE(testhttp::statusOf(testhttp::roundTrip(port, "GET /nowhere HTTP/1.1\r\n\r\n")),
                 404);
        QCOMPARE(testhttp::statusOf(testhttp::roundTrip(port, "GET /token HTTP/1.1\r\n\r\n")), 405);
        // The sandbox still works afterwards.
        QVERIFY(runFlow(m_sandbox.clientConfig(false)).outcome.succeeded());
    }

    // Every trigger in the table, fired through the real flow; the diagnosis the app shows
    // leads with the knowledge base entry the table promises.
    // RFC 8628 against the sandbox: the app polls (pending), the person opens the verification
    // link, signs in and approves; the next poll brings tokens. A denial ends in access_denied.
    void deviceFlow_data()
    {
        QTest::addColumn<QString>("decision");
        QTest::newRow("approved") << "approve";
        QTest::newRow("denied") << "deny";
    }
    void deviceFlow()
    {
        QFETCH(QString, decision);
        m_sandbox.deviceCodes().setIntervalSeconds(1);
        ClientConfig config = m_sandbox.clientConfig(false);
        config.grant = GrantType::DeviceCode;
        ExchangeClient client;
        DeviceAuthorizationFlow flow(&client);
        QNetworkAccessManager person;
        sandboxbrowser::Page verification;
        sandboxbrowser::Page done;
        connect(&flow, &DeviceAuthorizationFlow::pollAnswered, this, [&](const QString &error) {
            if (error != "authorization_pending" || verification.status != 0)
                return;
            const QUrl link = flow.authorization()->verificationUriComplete;
            verification = sandboxbrowser::fetch(person, link);
            done = sandboxbrowser::fetch(
                person, m_sandbox.endpoint("/device"),
                "user_code=" + QUrlQuery(link).queryItemValue("user_code").toLatin1() +
                    "&login=tv-user&decision=" + decision.toLatin1());
        });
        QSignalSpy finished(&flow, &DeviceAuthorizationFlow::finished);
        QVERIFY(flow.start(config));
        QVERIFY(finished.wait(15000));
        const FlowOutcome outcome = finished.first().first().value<FlowOutcome>();
        QCOMPARE(verification.status, 200);
        QVERIFY(verification.body.contains(flow.authorization()->userCode.toUtf8()));
        QCOMPARE(done.status, 200);
        // The user code is RFC 8628 §6.1 style: eight consonants in two groups.
        QVERIFY(QRegularExpression("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")
                    .match(flow.authorization()->userCode)
                    .hasMatch());
        if (decision == "approve") {
            QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
            const TokenSet tokens =
                TokenSet::fromResponse(outcome.tokenResponse, outcome.tokensReceivedAt);
            QCOMPARE(tokens.subject, QStringLiteral("tv-user"));
            QVERIFY(!tokens.refreshToken.isEmpty()); // offline_access was asked for
        } else {
            QCOMPARE(outcome.tokenResponse.value("error").toString(),
                     QStringLiteral("access_denied"));
        }
        QVERIFY(flow.pollCount() >= 2);
    }

    // Each answer of the device flow is diagnosed as the knowledge base's device entries: the
    // sandbox shows all four live.
    void deviceAnswersAreDiagnosed()
    {
        TestClock clock; // the code's lifetime passes when the test says so
        m_sandbox.setClock(&clock);
        const auto restore = qScopeGuard([this] { m_sandbox.setClock(nullptr); });
        m_sandbox.deviceCodes().setIntervalSeconds(5);
        m_sandbox.deviceCodes().setLifetimeSeconds(1);
        ClientConfig config = m_sandbox.clientConfig(false);
        config.grant = GrantType::DeviceCode;
        config.deviceAuthorizationEndpoint = m_sandbox.endpoint("/device_authorization");
        ExchangeClient client;
        auto send = [&](const HttpRequestSpec &spec) {
            HttpExchange result;
            QEventLoop loop;
            const auto connection = connect(&client, &ExchangeClient::exchangeFinished, &loop,
                                            [&](const HttpExchange &exchange) {
                                                result = exchange;
                                                loop.quit();
                                            });
            QTimer::singleShot(5000, &loop, &QEventLoop::quit);
            client.send(spec, QStringLiteral("device"));
            loop.exec();
            disconnect(connection);
            return result;
        };
        auto entryOf = [](const HttpExchange &exchange) {
            const auto diagnosis = Diagnoser().diagnose(exchange);
            return diagnosis ? diagnosis->entryId : QStringLiteral("(none)");
        };
        auto start = [&] {
            const HttpExchange started = send(TokenRequest::deviceAuthorization(config));
            return QJsonDocument::fromJson(started.responseBody)
                .object()
                .value("device_code")
                .toString()
                .toLatin1();
        };
        QByteArray device = start();
        QVERIFY(!device.isEmpty());
        QCOMPARE(entryOf(send(TokenRequest::deviceToken(config, device))),
                 QStringLiteral("device.authorization_pending"));
        QCOMPARE(entryOf(send(TokenRequest::deviceToken(config, device))),
                 QStringLiteral("device.slow_down"));
        clock.advance(2); // past the 1 s lifetime
        QCOMPARE(entryOf(send(TokenRequest::deviceToken(config, device))),
                 QStringLiteral("device.expired_token"));

        m_sandbox.deviceCodes().setLifetimeSeconds(60);
        device = start();
        const QString userCode =
            m_sandbox.deviceCodes().find(QString::fromLatin1(device))->userCode;
        QNetworkAccessManager person;
        QCOMPARE(sandboxbrowser::fetch(person, m_sandbox.endpoint("/device"),
                                       "user_code=" + userCode.toLatin1() +
                                           "&login=tv-user&decision=deny")
                     .status,
                 200);
        QCOMPARE(entryOf(send(TokenRequest::deviceToken(config, device))),
                 QStringLiteral("device.access_denied"));
        m_sandbox.deviceCodes().setIntervalSeconds(1);
    }

    // The sandbox answers as a strict server: polls faster than the interval get slow_down with a
    // longer interval, a code past its lifetime gets expired_token.
    void deviceCodesPollLikeAServer()
    {
        SandboxDeviceCodes codes;
        codes.setIntervalSeconds(5);
        codes.setLifetimeSeconds(60);
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        const QString device = codes.issue("tv", "openid", t0);
        using V = SandboxDeviceCodes::Verdict;
        QCOMPARE(codes.poll(device, "tv", t0), V::Pending);
        QCOMPARE(codes.poll(device, "tv", t0.addSecs(2)), V::SlowDown);
        QCOMPARE(codes.find(device)->intervalSeconds, 10);
        QCOMPARE(codes.poll(device, "tv", t0.addSecs(12)), V::Pending);
        QCOMPARE(codes.poll(device, "other", t0.addSecs(30)), V::OtherClient);
        const QString typed = codes.find(device)->userCode.toLower().remove('-');
        QVERIFY(codes.decide(typed, true, "alice", t0.addSecs(25))); // typed loosely
        QCOMPARE(codes.poll(device, "tv", t0.addSecs(40)), V::Approved);
        QCOMPARE(codes.poll(device, "tv", t0.addSecs(50)), V::Unknown); // redeemed once
        const QString late = codes.issue("tv", "openid", t0);
        QVERIFY(!codes.decide(codes.find(late)->userCode, true, "bob", t0.addSecs(61)));
        QCOMPARE(codes.poll(late, "tv", t0.addSecs(61)), V::Expired);
        for (int i = 0; i < SandboxDeviceCodes::kKept + 10; ++i)
            codes.issue("tv", "", t0);
        QCOMPARE(codes.size(), SandboxDeviceCodes::kKept);
    }

    void everyTriggerIsDiagnosed_data()
    {
        QTest::addColumn<int>("index");
        for (qsizetype i = 0; i < SandboxTriggers::all().size(); ++i)
            QTest::newRow(qPrintable(SandboxTriggers::all().at(i).name)) << int(i);
    }
    void everyTriggerIsDiagnosed()
    {
        QFETCH(int, index);
        const SandboxTrigger &trigger = SandboxTriggers::all().at(index);
        ClientConfig config = m_sandbox.clientConfig(true);
        config.scope = "openid email offline_access";
        if (trigger.isScope())
            config.scope += " " + trigger.scope();
        else
            config.tokenEndpoint = trigger.tokenEndpointFor(m_sandbox.issuer());
        if (trigger.where == SandboxTrigger::Where::Password) {
            // Fired by a password-grant request carrying the trigger's scope.
            config.grant = GrantType::Password;
            config.username = "alice";
            config.password = "wonderland";
            ExchangeClient client;
            TokenGrantFlow flow(&client);
            QList<HttpExchange> recorded;
            connect(&flow, &TokenGrantFlow::exchangeRecorded, this,
                    [&](const HttpExchange &exchange) { recorded << exchange; });
            QSignalSpy finished(&flow, &TokenGrantFlow::finished);
            QVERIFY(flow.start(config));
            QVERIFY(finished.wait(10000));
            QCOMPARE(recorded.size(), 1);
            QCOMPARE(recorded.first().status, trigger.status);
            const auto diagnosis = Diagnoser().diagnose(recorded, recorded.size() - 1);
            QVERIFY2(diagnosis.has_value(), "the step must be diagnosed");
            QCOMPARE(diagnosis->entryId, trigger.expectedEntry);
            return;
        }
        const bool pageInstead =
            trigger.where == SandboxTrigger::Where::Authorize && trigger.redirectError.isEmpty();
        if (pageInstead)
            config.redirectWaitSeconds = 1; // the browser never comes back
        // The sandbox holds a no_answer request for minutes: a short timeout ends it here.
        QElapsedTimer clock;
        clock.start();
        const Run run = runFlow(config, "approve", 1500);
        // It waited for the timeout (Qt's transfer timer is coarse: it may fire 5 % early).
        if (trigger.delivery == SandboxTrigger::Delivery::NoAnswer)
            QVERIFY2(clock.elapsed() >= 1400, qPrintable(QString::number(clock.elapsed())));
        std::optional<Diagnosis> diagnosis;
        switch (trigger.where) {
        case SandboxTrigger::Where::Authorize:
            if (pageInstead) {
                QCOMPARE(run.outcome.result, FlowOutcome::Result::TimedOut);
                QCOMPARE(run.browser.status, trigger.status);
                QCOMPARE(run.exchanges.size(), 2); // the authorization request, the wait
                QVERIFY(run.outcome.summary.contains("Timed out"));
                QVERIFY(run.outcome.details.join('\n').contains(
                    run.exchanges.last().request.url.toString()));
            } else {
                QCOMPARE(run.outcome.result, FlowOutcome::Result::AuthorizationError);
            }
            diagnosis = Diagnoser().diagnose(run.exchanges, 1);
            break;
        case SandboxTrigger::Where::Token:
            QVERIFY2(!run.outcome.succeeded(), qPrintable(run.outcome.summary));
            QCOMPARE(run.exchanges.at(2).status, trigger.status);
            diagnosis = Diagnoser().diagnose(run.exchanges, 2);
            break;
        case SandboxTrigger::Where::Password:
            break; // above
        case SandboxTrigger::Where::Refresh:
        case SandboxTrigger::Where::UserInfo: {
            QVERIFY2(run.outcome.succeeded(), qPrintable(run.outcome.summary));
            ExchangeClient client;
            IdTokenVerifier verifier(&client);
            TokenActions actions(&client, &verifier);
            QList<HttpExchange> recorded;
            connect(&actions, &TokenActions::exchangeRecorded, this,
                    [&](const HttpExchange &exchange) { recorded << exchange; });
            actions.setSession(config, TokenSet::fromResponse(run.outcome.tokenResponse,
                                                              run.outcome.tokensReceivedAt));
            const auto action = trigger.where == SandboxTrigger::Where::Refresh
                                    ? TokenActions::Action::Refresh
                                    : TokenActions::Action::UserInfo;
            QVERIFY(!testactions::run(actions, action).succeeded);
            QCOMPARE(recorded.size(), 1);
            QCOMPARE(recorded.first().status, trigger.status);
            diagnosis = Diagnoser().diagnose(recorded, 0);
            break;
        }
        }
        QVERIFY2(diagnosis.has_value(), "the step must be diagnosed");
        QCOMPARE(diagnosis->entryId, trigger.expectedEntry);
        // A trigger that imitates a provider is diagnosed with that provider's knowledge,
        // identified from what the sandbox sent, not from anything the test passes.
        QCOMPARE(diagnosis->provider.id, trigger.imitates);
    }

    void triggerTableIsComplete()
    {
        const QString table = SandboxTriggers::markdownTable();
        for (const SandboxTrigger &trigger : SandboxTriggers::all()) {
            QVERIFY(table.contains(
                "`" + (trigger.isScope() ? trigger.scope() : trigger.tokenEndpoint) + "`"));
            QVERIFY(!trigger.description.isEmpty());
            QCOMPARE(SandboxTriggers::named(trigger.name), &trigger);
        }
        // Every error of the generic knowledge and of the seed providers' packs can be seen
        // live: a trigger, or (the device flow's four) the sandbox's device flow itself
        // (deviceFlow above). The other providers' packs are covered by the corpus of their
        // real responses (tst_explaincorpus). Two families the sandbox has no endpoint for yet
        // are seen elsewhere: the registration endpoint's refusals from the real provider
        // (tst_e2e_registration), CIBA's answers in tst_diagnoser::cibaAnswers. RP-initiated
        // logout's two are its own flow's (the sandbox's end-session endpoint in
        // tst_rpinitiatedlogout, the real provider's in tst_e2e_logout).
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        QStringList uncovered;
        for (const auto &entry : kb.entries()) {
            if (!entry.pack.isEmpty() && kb.provider(entry.pack)->seed.isEmpty())
                continue;
            const bool triggered =
                std::any_of(SandboxTriggers::all().begin(), SandboxTriggers::all().end(),
                            [&](const SandboxTrigger &t) { return t.expectedEntry == entry.id; });
            if (!triggered && !entry.id.startsWith("device.") &&
                !entry.id.startsWith("registration.") && !entry.id.startsWith("ciba.") &&
                !entry.id.startsWith("logout."))
                uncovered << entry.id;
        }
        QVERIFY2(uncovered.isEmpty(), qPrintable(uncovered.join(", ")));
        QVERIFY(SandboxTriggers::find("sandbox:refresh_rejected", SandboxTrigger::Where::Refresh));
        QVERIFY(!SandboxTriggers::find("sandbox:refresh_rejected", SandboxTrigger::Where::Token));
        QVERIFY(!SandboxTriggers::find("sandbox:host_not_found", SandboxTrigger::Where::Token));
        QCOMPARE(
            SandboxTriggers::named("tls_to_plain_http")->tokenEndpointFor("http://127.0.0.1:5"),
            QUrl("https://127.0.0.1:5/token"));
        // Each family the issue names is there: redirect errors, gateway and nested bodies,
        // 429 with Retry-After, 503.
        QVERIFY(SandboxTriggers::find("sandbox:rate_limited", SandboxTrigger::Where::Token));
        QVERIFY(
            SandboxTriggers::find("sandbox:gateway_unauthorized", SandboxTrigger::Where::Token));
        QVERIFY(SandboxTriggers::find("sandbox:nested_error", SandboxTrigger::Where::Token));
        QVERIFY(SandboxTriggers::find("sandbox:temporarily_unavailable_503",
                                      SandboxTrigger::Where::Token));
        QVERIFY(SandboxTriggers::find("openid sandbox:access_denied",
                                      SandboxTrigger::Where::Authorize));
        QVERIFY(
            !SandboxTriggers::find("openid sandbox:access_denied", SandboxTrigger::Where::Token));
    }

    void stopsWhenAsked()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        const quint16 port = quint16(QUrl(sandbox.issuer()).port());
        sandbox.stop();
        QVERIFY(!sandbox.isRunning());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!socket.waitForConnected(1000));
    }
};

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
