// Unit test of AuthorizationCodeFlow with a canned token endpoint. The real proof that the flow
// works is tests/e2e/tst_e2e_authcode.cpp against a certified OpenID provider.
#include "core/diagnosis/Diagnoser.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/BodyShape.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwt.h"
#include "core/listener/LoopbackListener.h"

#include "TestClock.h"
#include "TestHttp.h"
#include "TestJose.h"

#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::CannedServer;
using testhttp::jsonResponse;
using testhttp::roundTrip;

Q_DECLARE_METATYPE(workbench::FlowOutcome)

class TestAuthorizationCodeFlow : public QObject
{
    Q_OBJECT

    static ClientConfig configFor(const CannedServer &server)
    {
        ClientConfig config;
        config.authorizationEndpoint = QUrl("https://as.example/authorize");
        config.tokenEndpoint = server.url("/token");
        config.clientId = "cid";
        config.clientSecret = "sec";
        config.scope = "openid";
        return config;
    }

    // Plays the browser: follows the authorization URL's redirect_uri with these parameters.
    // The listener's answer (status line, headers and page).
    static QByteArray redirectWith(AuthorizationCodeFlow &flow, const QByteArray &query)
    {
        const QUrl redirect = flow.redirectUri();
        return roundTrip(quint16(redirect.port()),
                         "GET " + redirect.path().toLatin1() + "?" + query + " HTTP/1.1\r\n\r\n");
    }

    static FlowOutcome waitForOutcome(QSignalSpy &finished)
    {
        if (finished.isEmpty() && !finished.wait(10000))
            return {FlowOutcome::Result::Cancelled, "timed out", {}, {}};
        return finished.first().first().value<FlowOutcome>();
    }

private slots:
    void initTestCase() { qRegisterMetaType<FlowOutcome>(); }

    // No redirect comes back (the provider showed its own page): the flow says it timed out,
    // not that it was cancelled, and diagnoses the wait with the redirect URI it waited on.
    void aFlowThatNeverComesBackTimesOut()
    {
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        const CannedServer server(jsonResponse(200, "{}"));
        ClientConfig config = configFor(server);
        config.redirectWaitSeconds = 300;
        TestClock clock; // the five minutes pass when the test says so
        const ScopedClock inPlace(clock);
        QSignalSpy progress(&flow, &AuthorizationCodeFlow::waitProgressed);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(config));
        QVERIFY(progress.wait());
        QCOMPARE(progress.last().at(0).toInt(), 0);
        QVERIFY(finished.isEmpty());
        clock.advance(299);
        QVERIFY(progress.wait());
        QCOMPARE(progress.last().at(0).toInt(), 299);
        QVERIFY(finished.isEmpty()); // a second short of the limit: still waiting
        clock.advance(1);
        const FlowOutcome outcome = waitForOutcome(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::TimedOut);
        QVERIFY2(outcome.summary.startsWith("Timed out after 300 s"), qPrintable(outcome.summary));
        QVERIFY(outcome.details.join('\n').contains(flow.redirectUri().toString()));
        QCOMPARE(progress.last().at(1).toInt(), 300);

        QCOMPARE(flow.exchanges().size(), 2);
        const HttpExchange &wait = flow.exchanges().last();
        QCOMPARE(wait.transport, HttpExchange::Transport::Timeout);
        const auto diagnosis = Diagnoser().diagnose(flow.exchanges(), 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->entryId, QStringLiteral("flow.no_redirect"));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("redirect_unregistered"));
        // The exact URI sent, and the variants a server compares it with.
        const QString evidence = diagnosis->causes.first().evidence.first().text;
        QVERIFY2(evidence.contains(flow.redirectUri().toString()), qPrintable(evidence));
        QVERIFY(evidence.contains("http://localhost:"));
        QVERIFY(evidence.contains("/callback/"));
    }

    // What the browser shows can be pasted into the run after the timeout: its text is
    // diagnosed as the authorization server's page, by the provider that wrote it.
    void pastedPageJoinsTheRun()
    {
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        const CannedServer server(jsonResponse(200, "{}"));
        ClientConfig config = configFor(server);
        TestClock clock;
        const ScopedClock inPlace(clock);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QSignalSpy recorded(&flow, &AuthorizationCodeFlow::exchangeRecorded);
        QVERIFY(flow.start(config));
        clock.advance(config.redirectWaitSeconds);
        QCOMPARE(waitForOutcome(finished).result, FlowOutcome::Result::TimedOut);
        QVERIFY(flow.acceptsBrowserPage());
        QString error;
        QVERIFY(!flow.submitBrowserPage("https://as.example/somewhere", &error));
        QVERIFY(error.contains("neither a code, an error nor a JWT response"));
        QVERIFY(flow.submitBrowserPage(
            "Sorry, but we're having trouble signing you in.\nAADSTS50011: The redirect URI "
            "'http://127.0.0.1:1234/callback' specified in the request does not match the "
            "redirect URIs configured for the application 'cid'.",
            &error));
        QCOMPARE(flow.exchanges().size(), 3);
        QCOMPARE(recorded.last().first().value<HttpExchange>().label,
                 QStringLiteral("Page the browser showed (pasted)"));
        const auto diagnosis = Diagnoser().diagnose(flow.exchanges(), 2);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->provider.id, QStringLiteral("entra"));
        QCOMPARE(diagnosis->provider.code, QStringLiteral("AADSTS50011"));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("redirect_unregistered"));
        QCOMPARE(diagnosis->causes.first().status, Diagnosis::Cause::Status::Confirmed);
        // A URL with the error in it is read the same way.
        QVERIFY(flow.submitBrowserPage("https://as.example/error?error=invalid_request&"
                                       "error_description=redirect_uri+mismatch",
                                       &error));
        const auto fromUrl = Diagnoser().diagnose(flow.exchanges(), 3);
        QVERIFY(fromUrl.has_value());
        QCOMPARE(fromUrl->code, QStringLiteral("invalid_request"));
    }

    // The redirect copied from the address bar (it went to another listener, say) is used as
    // if it had arrived: the flow goes on and redeems the code.
    void pastedRedirectCompletesTheFlow()
    {
        CannedServer server(jsonResponse(
            200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        QUrl pasted = flow.redirectUri();
        pasted.setQuery("code=by-hand&state=" + QString::fromLatin1(flow.state()));
        QString error;
        QVERIFY2(flow.submitBrowserPage(pasted.toString(), &error), qPrintable(error));
        const FlowOutcome outcome = waitForOutcome(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary));
        QCOMPARE(flow.exchanges().at(1).label, QStringLiteral("Redirect URL pasted by hand"));
        QVERIFY(!server.requests.isEmpty());
        QVERIFY(server.requests.last().contains("code=by-hand"));
        // Nothing waits any more: a further paste is refused.
        QVERIFY(!flow.submitBrowserPage(pasted.toString(), &error));
    }

    void succeedsAndRecordsEveryStep()
    {
        CannedServer server(jsonResponse(
            200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy urlReady(&flow, &AuthorizationCodeFlow::authorizationUrlReady);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        QCOMPARE(urlReady.size(), 1);
        QCOMPARE(flow.stage(), AuthorizationCodeFlow::Stage::WaitingForRedirect);
        QVERIFY(flow.redirectUri().port() > 0);

        const FormFields query =
            FormEncoding::decode(flow.authorizationUrl().query(QUrl::FullyEncoded).toLatin1());
        QCOMPARE(FormEncoding::value(query, "state"), QString::fromLatin1(flow.state()));
        QCOMPARE(FormEncoding::value(query, "nonce"), QString::fromLatin1(flow.nonce()));
        QCOMPARE(FormEncoding::value(query, "redirect_uri"), flow.redirectUri().toString());
        QVERIFY(flow.pkce().has_value());

        redirectWith(flow, "code=the-code&state=" + flow.state());
        const FlowOutcome outcome = waitForOutcome(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QCOMPARE(outcome.tokenResponse.value("access_token").toString(), QStringLiteral("at"));

        QCOMPARE(flow.exchanges().size(), 3);
        QCOMPARE(flow.exchanges().at(0).kind, HttpExchange::Kind::BrowserNavigation);
        QCOMPARE(flow.exchanges().at(1).kind, HttpExchange::Kind::LoopbackCallback);
        QCOMPARE(flow.exchanges().at(2).kind, HttpExchange::Kind::BackChannel);
        const FormFields sent = FormEncoding::decode(flow.exchanges().at(2).request.body);
        QCOMPARE(FormEncoding::value(sent, "code"), QStringLiteral("the-code"));
        QCOMPARE(FormEncoding::value(sent, "redirect_uri"), flow.redirectUri().toString());
        QCOMPARE(FormEncoding::value(sent, "code_verifier"),
                 QString::fromLatin1(flow.pkce()->verifier));
        QVERIFY(!flow.listener()->isListening());
    }

    // Requests on the callback that cannot be this flow's response (any local process, or a
    // page in the browser that finds the port, can send them): each is refused with a page and
    // recorded, and the flow waits on; the real redirect then completes it.
    void forgedCallbacksAreRefusedAndTheFlowWaitsOn()
    {
        CannedServer server(jsonResponse(200, "{\"access_token\":\"at\"}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QSignalSpy warnings(&flow, &AuthorizationCodeFlow::warningRaised);
        QVERIFY(flow.start(configFor(server)));
        const QByteArray state = flow.state();
        const QList<QByteArray> forged{"code=forged&state=forged", "code=forged",
                                       "error=access_denied&state=other",
                                       "code=forged&state=" + state + "&state=" + state};
        for (const QByteArray &query : forged) {
            const QByteArray page = redirectWith(flow, query);
            QVERIFY2(page.startsWith("HTTP/1.1 400"), page.constData());
            QVERIFY(page.contains("Request refused"));
            QVERIFY(page.contains("keeps waiting for the real redirect"));
        }
        QVERIFY(finished.isEmpty());
        QVERIFY(flow.isRunning());
        QVERIFY(flow.listener()->isListening());
        QCOMPARE(warnings.size(), forged.size());
        QCOMPARE(flow.exchanges().size(), 1 + forged.size());
        for (qsizetype i = 1; i <= forged.size(); ++i)
            QVERIFY2(flow.exchanges().at(i).label.startsWith("Refused on the callback"),
                     qPrintable(flow.exchanges().at(i).label));
        QVERIFY(flow.exchanges().at(4).label.contains("\"state\" appears more than once"));
        // Refused requests are not the flow's response: not even the forged access_denied is
        // diagnosed as the flow's error.
        for (qsizetype i = 1; i <= forged.size(); ++i)
            QVERIFY(!Diagnoser().diagnose(flow.exchanges(), i).has_value());

        redirectWith(flow, "code=the-code&state=" + state);
        const FlowOutcome outcome = waitForOutcome(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary));
        QCOMPARE(server.requests.size(), 1);
        const FormFields sent = FormEncoding::decode(flow.exchanges().last().request.body);
        QCOMPARE(FormEncoding::value(sent, "code"), QStringLiteral("the-code"));
    }

    // Only refused requests and no real redirect: at the timeout the flow says what arrived (a
    // server that returns another state, or none), not just that it timed out.
    void onlyRefusedCallbacksEndAsAStateFailure()
    {
        CannedServer server(jsonResponse(200, "{\"access_token\":\"at\"}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        TestClock clock;
        const ScopedClock inPlace(clock);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        redirectWith(flow, "code=c&state=not-ours");
        QVERIFY(finished.isEmpty());
        clock.advance(flow.config().redirectWaitSeconds);
        const FlowOutcome outcome = waitForOutcome(finished);
        QCOMPARE(FlowOutcome::resultName(outcome.result),
                 FlowOutcome::resultName(FlowOutcome::Result::StateCheckFailed));
        QVERIFY2(outcome.summary.contains("1 request(s) on the callback were refused"),
                 qPrintable(outcome.summary));
        QVERIFY(outcome.details.first().contains("does NOT match"));
        QVERIFY(server.requests.isEmpty());
    }

    void outcomes_data()
    {
        QTest::addColumn<QByteArray>("tokenResponse");
        QTest::addColumn<QByteArray>("redirectQuery"); // STATE is replaced by the flow's state
        QTest::addColumn<int>("result");
        QTest::addColumn<int>("exchanges");
        const QByteArray ok = jsonResponse(200, "{\"access_token\":\"at\"}");
        QTest::newRow("error on redirect")
            << ok << QByteArray("error=access_denied&error_description=no&state=STATE")
            << int(FlowOutcome::Result::AuthorizationError) << 2;
        QTest::newRow("no code") << ok << QByteArray("state=STATE&foo=bar")
                                 << int(FlowOutcome::Result::NoCodeInRedirect) << 2;
        QTest::newRow("token error")
            << jsonResponse(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}")
            << QByteArray("code=c&state=STATE") << int(FlowOutcome::Result::TokenErrorResponse)
            << 3;
        QTest::newRow("error hidden in 200") << jsonResponse(200, "{\"error\":\"invalid_request\"}")
                                             << QByteArray("code=c&state=STATE")
                                             << int(FlowOutcome::Result::TokenErrorResponse) << 3;
        QTest::newRow("html instead of json")
            << jsonResponse(200, "<html><body>Sign in</body></html>", "text/html")
            << QByteArray("code=c&state=STATE") << int(FlowOutcome::Result::UnreadableTokenResponse)
            << 3;
        QTest::newRow("no access token")
            << jsonResponse(200, "{\"token_type\":\"Bearer\"}") << QByteArray("code=c&state=STATE")
            << int(FlowOutcome::Result::UnreadableTokenResponse) << 3;
        QTest::newRow("gateway 502 html")
            << jsonResponse(502, "<html>Bad gateway</html>", "text/html")
            << QByteArray("code=c&state=STATE") << int(FlowOutcome::Result::TokenErrorResponse)
            << 3;
    }
    void outcomes()
    {
        QFETCH(QByteArray, tokenResponse);
        QFETCH(QByteArray, redirectQuery);
        QFETCH(int, result);
        QFETCH(int, exchanges);
        CannedServer server(tokenResponse);
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        redirectWith(flow, redirectQuery.replace("STATE", flow.state()));
        const FlowOutcome outcome = waitForOutcome(finished);
        QCOMPARE(FlowOutcome::resultName(outcome.result),
                 FlowOutcome::resultName(FlowOutcome::Result(result)));
        QVERIFY(!outcome.summary.isEmpty());
        QCOMPARE(flow.exchanges().size(), exchanges);
        // A redirect that failed its checks never reaches the token endpoint.
        QCOMPARE(server.requests.size(), exchanges == 3 ? 1 : 0);
        // An unreadable body is described in plain words, never by the JSON parser's message.
        const QString details = outcome.details.join('\n');
        QVERIFY2(!details.contains("illegal value"), qPrintable(details));
        if (QByteArray(QTest::currentDataTag()) == "html instead of json")
            QVERIFY2(details.contains("The body is an HTML page, not JSON"), qPrintable(details));
    }

    // What a body that should have been a JSON object is instead, in words a person can act on.
    void unreadableBodiesAreNamed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("expected");
        QTest::newRow("object") << QByteArray("{\"a\":1}") << QByteArray("application/json")
                                << QString();
        QTest::newRow("empty") << QByteArray(" \r\n") << QByteArray("application/json")
                               << "The body is empty";
        QTest::newRow("html by type")
            << QByteArray("Sign in") << QByteArray("Text/HTML; charset=utf-8") << "an HTML page";
        QTest::newRow("html mislabelled as json")
            << QByteArray("\n<!DOCTYPE html><html>...") << QByteArray("application/json")
            << "an HTML page";
        QTest::newRow("array") << QByteArray("[1,2]") << QByteArray() << "a JSON array";
        QTest::newRow("string") << QByteArray("\"ok\"") << QByteArray() << "a single JSON value";
        QTest::newRow("plain text")
            << QByteArray("Service Unavailable") << QByteArray("text/plain")
            << "plain text, not JSON (it starts with \"Service Unavailable\")";
        QTest::newRow("cut short")
            << QByteArray("{\"access_token\":\"abc") << QByteArray() << "breaks at byte";
    }
    void unreadableBodiesAreNamed()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, expected);
        const QString reason = BodyShape::whyNotAJsonObject(body, contentType);
        if (expected.isEmpty())
            QVERIFY2(reason.isEmpty(), qPrintable(reason));
        else
            QVERIFY2(reason.contains(expected), qPrintable(reason));
    }

    // RFC 9207: iss on the redirect must be our issuer; when the server promised iss, it must
    // be there. A failed check ends the flow before the code is redeemed.
    void issuerCheck_data()
    {
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<bool>("promised");
        QTest::addColumn<QByteArray>("redirectQuery");
        QTest::addColumn<int>("result");
        QTest::addColumn<QString>("warning");
        const QByteArray base = "code=c&state=STATE";
        QTest::newRow("matching iss")
            << "https://as.example" << true << base + "&iss=https%3A%2F%2Fas.example"
            << int(FlowOutcome::Result::Succeeded) << "";
        QTest::newRow("other iss")
            << "https://as.example" << false << base + "&iss=https%3A%2F%2Fevil.example"
            << int(FlowOutcome::Result::MixUpSuspected) << "";
        QTest::newRow("trailing slash differs")
            << "https://as.example" << false << base + "&iss=https%3A%2F%2Fas.example%2F"
            << int(FlowOutcome::Result::MixUpSuspected) << "";
        QTest::newRow("promised but missing") << "https://as.example" << true << base
                                              << int(FlowOutcome::Result::MixUpSuspected) << "";
        QTest::newRow("not promised, missing")
            << "https://as.example" << false << base << int(FlowOutcome::Result::Succeeded) << "";
        QTest::newRow("iss on an error redirect is checked too")
            << "https://as.example" << false
            << QByteArray("error=access_denied&state=STATE&iss=https%3A%2F%2Fevil.example")
            << int(FlowOutcome::Result::MixUpSuspected) << "";
        QTest::newRow("no issuer configured: a warning")
            << "" << false << base + "&iss=https%3A%2F%2Fas.example"
            << int(FlowOutcome::Result::Succeeded) << "no issuer to compare";
    }
    void issuerCheck()
    {
        QFETCH(QString, issuer);
        QFETCH(bool, promised);
        QFETCH(QByteArray, redirectQuery);
        QFETCH(int, result);
        QFETCH(QString, warning);
        CannedServer server(jsonResponse(200, "{\"access_token\":\"at\"}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        ClientConfig config = configFor(server);
        config.scope = "read";
        config.issuer = QUrl(issuer);
        config.issuerInAuthorizationResponse = promised;
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QSignalSpy warnings(&flow, &AuthorizationCodeFlow::warningRaised);
        QVERIFY(flow.start(config));
        redirectWith(flow, redirectQuery.replace("STATE", flow.state()));
        const FlowOutcome outcome = waitForOutcome(finished);
        QCOMPARE(FlowOutcome::resultName(outcome.result),
                 FlowOutcome::resultName(FlowOutcome::Result(result)));
        QCOMPARE(server.requests.size(), result == int(FlowOutcome::Result::Succeeded) ? 1 : 0);
        QString raised;
        for (const auto &arguments : warnings)
            raised += arguments.first().toString();
        QCOMPARE(raised.contains(warning) && (warning.isEmpty() == raised.isEmpty()), true);
    }

    // A state or nonce sent twice (an extra parameter that pins it) is warned about.
    void reusedStateAndNonceAreWarnedAbout()
    {
        CannedServer server(jsonResponse(200, "{\"access_token\":\"at\"}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        ClientConfig config = configFor(server);
        config.extraAuthorizationParameters = {{"state", "fixed-state"}, {"nonce", "fixed-nonce"}};
        QSignalSpy warnings(&flow, &AuthorizationCodeFlow::warningRaised);
        QVERIFY(flow.start(config));
        QCOMPARE(flow.state(), QByteArray("fixed-state")); // the state really sent is checked
        QCOMPARE(warnings.size(), 0);
        flow.cancel();
        QVERIFY(flow.start(config));
        QString raised;
        for (const auto &arguments : warnings)
            raised += arguments.first().toString();
        QVERIFY2(raised.contains("state value was already sent"), qPrintable(raised));
        QVERIFY(raised.contains("nonce was already sent"));
        // The pinned state still passes the listener's check.
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        redirectWith(flow, "code=c&state=fixed-state");
        QVERIFY(waitForOutcome(finished).succeeded());
    }

    void tokenEndpointUnreachable()
    {
        ClientConfig config;
        config.authorizationEndpoint = QUrl("https://as.example/authorize");
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        config.tokenEndpoint = QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(port));
        config.clientId = "cid";
        config.authMethod = ClientAuthMethod::None;
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(config));
        redirectWith(flow, "code=c&state=" + flow.state());
        const FlowOutcome outcome = waitForOutcome(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::TokenRequestFailed);
        QVERIFY(!outcome.details.join("").isEmpty());
    }

    void invalidConfigurationDoesNotListen()
    {
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        ClientConfig config; // empty
        QVERIFY(!flow.start(config));
        QCOMPARE(finished.size(), 1);
        const auto outcome = finished.first().first().value<FlowOutcome>();
        QCOMPARE(outcome.result, FlowOutcome::Result::InvalidConfiguration);
        QVERIFY(outcome.details.size() >= 3);
        QVERIFY(!flow.listener());
    }

    void cancelStopsListening()
    {
        CannedServer server(jsonResponse(200, "{}"));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(configFor(server)));
        flow.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().value<FlowOutcome>().result,
                 FlowOutcome::Result::Cancelled);
        QVERIFY(!flow.listener()->isListening());
    }

    // The ID token in the response is validated against the JWKS before the flow reports.
    void idTokenIsValidated_data()
    {
        QTest::addColumn<bool>("rightNonce");
        QTest::newRow("valid") << true;
        QTest::newRow("nonce of another request") << false;
    }
    void idTokenIsValidated()
    {
        QFETCH(bool, rightNonce);
        const testjose::TestKey key = testjose::makeKey("PS256", "key-1");
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/jwks", jsonResponse(200, testjose::jwks({key})));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QSignalSpy stages(&flow, &AuthorizationCodeFlow::stageChanged);
        ClientConfig config = configFor(server);
        config.issuer = QUrl("https://as.example");
        config.jwksUri = server.url("/jwks");
        QVERIFY(flow.start(config));

        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{
            {"iss", "https://as.example"},
            {"sub", "alice"},
            {"aud", "cid"},
            {"exp", double(now + 300)},
            {"iat", double(now)},
            {"nonce", rightNonce ? QString::fromLatin1(flow.nonce()) : QStringLiteral("stale")},
            {"at_hash", QString::fromLatin1(IdTokenValidator::halfHash("at", "PS256"))}};
        server.route("/token", jsonResponse(200, "{\"access_token\":\"at\",\"id_token\":\"" +
                                                     testjose::sign(key, claims) + "\"}"));
        redirectWith(flow, "code=c&state=" + flow.state());
        const FlowOutcome outcome = waitForOutcome(finished);

        QCOMPARE(outcome.idTokenChecks.size(), 12);
        QCOMPARE(outcome.result, rightNonce ? FlowOutcome::Result::Succeeded
                                            : FlowOutcome::Result::IdTokenRejected);
        QVERIFY(!outcome.tokenResponse.isEmpty()); // the tokens stay visible either way
        if (!rightNonce)
            QVERIFY2(outcome.details.join('\n').contains("nonce: nonce is \"stale\""),
                     qPrintable(outcome.details.join('\n')));
        // Four steps: browser, callback, token request, JWKS.
        QCOMPARE(flow.exchanges().size(), 4);
        QCOMPARE(flow.exchanges().at(3).request.url, config.jwksUri);
        bool validating = false;
        for (const auto &stage : stages)
            validating |= stage.first().value<AuthorizationCodeFlow::Stage>() ==
                          AuthorizationCodeFlow::Stage::ValidatingIdToken;
        QVERIFY(validating);
    }

    // An encrypted request object: the server's JWKS is fetched (and recorded) before the
    // browser opens, and the request parameter is a JWE to its "enc" key holding the signed
    // request object with this run's state. A JWKS without such a key ends the run before any
    // browser opens, saying so.
    void requestObjectIsEncryptedToTheServer_data()
    {
        QTest::addColumn<bool>("serverHasEncKey");
        QTest::newRow("enc key published") << true;
        QTest::newRow("signing keys only") << false;
    }
    void requestObjectIsEncryptedToTheServer()
    {
        QFETCH(bool, serverHasEncKey);
        const DecryptionKey serverKey = DecryptionKey::generate("RSA", "server-enc");
        QJsonArray keys{testjose::makeKey("RS256", "server-sig").publicJwk};
        if (serverHasEncKey)
            keys.append(serverKey.publicJwk());
        CannedServer server(jsonResponse(404, "{}"));
        server.route("/jwks",
                     jsonResponse(200, QJsonDocument(QJsonObject{{"keys", keys}}).toJson()));
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy urlReady(&flow, &AuthorizationCodeFlow::authorizationUrlReady);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        ClientConfig config = configFor(server);
        config.issuer = QUrl("https://as.example");
        config.jwksUri = server.url("/jwks");
        config.authMethod = ClientAuthMethod::ClientSecretJwt;
        config.clientSecret = "a-client-secret-jwt-secret-longer-than-32-bytes";
        config.useRequestObject = true;
        config.requestObjectEncryptionAlg = "RSA-OAEP-256";
        config.requestObjectEncryptionEnc = "A256GCM";
        QVERIFY(flow.start(config));
        QCOMPARE(flow.stage(), AuthorizationCodeFlow::Stage::PreparingRequest);

        if (!serverHasEncKey) {
            const FlowOutcome outcome = waitForOutcome(finished);
            QCOMPARE(outcome.result, FlowOutcome::Result::InvalidConfiguration);
            QCOMPARE(outcome.summary, QStringLiteral("The request object could not be encrypted."));
            QVERIFY2(outcome.details.join('\n').contains("has no RSA key for encryption"),
                     qPrintable(outcome.details.join('\n')));
            QVERIFY(urlReady.isEmpty());
            QCOMPARE(flow.exchanges().size(), 1); // the JWKS, for the record
            QCOMPARE(flow.exchanges().at(0).request.url, config.jwksUri);
            return;
        }
        QVERIFY(urlReady.wait(5000));
        QCOMPARE(flow.stage(), AuthorizationCodeFlow::Stage::WaitingForRedirect);
        QCOMPARE(flow.exchanges().size(), 2);
        QCOMPARE(flow.exchanges().at(0).request.url, config.jwksUri);
        QCOMPARE(flow.exchanges().at(0).label, QStringLiteral("JWKS (server's encryption keys)"));
        QVERIFY2(flow.exchanges().at(1).label.contains(
                     "request object encrypted RSA-OAEP-256 + A256GCM to the server's key RSA "
                     "2048 (kid \"server-enc\")"),
                 qPrintable(flow.exchanges().at(1).label));

        const FormFields query =
            FormEncoding::decode(flow.authorizationUrl().query(QUrl::FullyEncoded).toLatin1());
        QCOMPARE(FormEncoding::value(query, "client_id"), QStringLiteral("cid"));
        QVERIFY(!FormEncoding::contains(query, "state")); // only inside the request object
        const Jwe::Decrypted opened =
            Jwe::decrypt(FormEncoding::value(query, "request").toLatin1(), serverKey);
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        const auto inner = Jwt::decode(opened.plaintext, nullptr);
        QVERIFY(inner);
        QCOMPARE(inner->header.value("typ").toString(), QStringLiteral("oauth-authz-req+jwt"));
        QCOMPARE(inner->claims.value("state").toString(), QString::fromLatin1(flow.state()));
        // The step keeps what was sealed, for the run to show; the JWKS fetch has nothing sealed.
        QCOMPARE(flow.exchanges().at(1).sealedRequestObject, opened.plaintext);
        QVERIFY(flow.exchanges().at(0).sealedRequestObject.isEmpty());

        // The run goes on as any other: the redirect's code is redeemed.
        server.route("/token", jsonResponse(200, "{\"access_token\":\"at\"}"));
        redirectWith(flow, "code=c&state=" + flow.state());
        QVERIFY(waitForOutcome(finished).succeeded());
    }
};

QTEST_GUILESS_MAIN(TestAuthorizationCodeFlow)
#include "tst_authorizationcodeflow.moc"
