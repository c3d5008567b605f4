// End to end: DPoP (RFC 9449) against the real oidc-provider with its DPoP feature on and nonces
// required, and against a resource server (provider.mjs) that wants DPoP-bound tokens with its
// own nonces: the code flow with a real headless Chromium, refresh, UserInfo, introspection, API
// calls with the console's auto-refresh, client credentials, proofs made wrong on purpose, a
// token checked against another key, and the command line.
#include "core/client/DpopKey.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/http/DpopProver.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Dpop.h"
#include "core/jose/Jwt.h"
#include "core/session/RunSession.h"

#include "E2eEnvironment.h"
#include "TokenActionsTest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)

namespace {
// The claims of the DPoP proof a request carried; empty when it carried none.
QJsonObject proofClaims(const HttpExchange &exchange)
{
    QString error;
    const auto decoded = Jwt::decode(exchange.request.header("DPoP"), &error);
    return decoded ? decoded->claims : QJsonObject();
}

QJsonObject proofHeader(const HttpExchange &exchange)
{
    QString error;
    const auto decoded = Jwt::decode(exchange.request.header("DPoP"), &error);
    return decoded ? decoded->header : QJsonObject();
}

QString errorOf(const HttpExchange &exchange)
{
    return QJsonDocument::fromJson(exchange.responseBody).object().value("error").toString();
}

QString describe(const QList<HttpExchange> &exchanges)
{
    QStringList lines;
    for (const HttpExchange &exchange : exchanges)
        lines << QStringLiteral("%1 -> %2 %3")
                     .arg(exchange.label)
                     .arg(exchange.status)
                     .arg(QString::fromUtf8(exchange.responseBody.left(300)));
    return lines.join("\n");
}
} // namespace

class TestE2eDpop : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    ClientConfig configFor(const QString &key, GrantType grant) const
    {
        ClientConfig config = m_env.clientConfig(key, grant);
        config.jwksUri = QUrl(m_env.discovery().value("jwks_uri").toString());
        config.scope = grant == GrantType::AuthorizationCode ? "openid email" : "";
        config.useDpop = true;
        return config;
    }

    // Runs a flow in `session`, with Chromium signing in when it is the code flow.
    FlowOutcome runFlow(RunSession &session, const ClientConfig &config, QUrl *authorizationUrl)
    {
        QProcess browser;
        const auto opened =
            connect(&session, &RunSession::authorizationUrlReady, this, [&](const QUrl &url) {
                if (authorizationUrl)
                    *authorizationUrl = url;
                m_env.openInBrowser(browser, url);
            });
        QSignalSpy finished(&session, &RunSession::finished);
        if (!session.start(config) && finished.isEmpty())
            return {FlowOutcome::Result::InvalidConfiguration, "did not start"};
        if (finished.isEmpty() && !finished.wait(60000)) {
            session.cancel();
            return {FlowOutcome::Result::Cancelled, "no outcome within 60 s"};
        }
        if (browser.state() != QProcess::NotRunning)
            e2e::Environment::browserResult(browser);
        disconnect(opened);
        return finished.first().first().value<FlowOutcome>();
    }

    static ApiCaller::Outcome call(RunSession &session, const QUrl &url)
    {
        QSignalSpy finished(session.api(), &ApiCaller::finished);
        ApiCaller::Request request;
        request.url = url;
        if (!session.api()->call(request))
            return {
                false, 0, "did not start: " + session.api()->unavailableReason(request), {}, false};
        if (!finished.wait(20000))
            return {false, 0, "timed out", {}, false};
        return finished.first().first().value<ApiCaller::Outcome>();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<TokenActions::Outcome>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanupTestCase() { m_env.stop(); }

    // The code flow binds the code to the key (dpop_jkt), and every token the provider issues
    // to it; refresh, UserInfo, introspection and the resource take proofs with nonces.
    void codeFlowTokensAreBoundToTheKey_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::newRow("ES256") << "ES256";
        QTest::newRow("EdDSA") << "EdDSA";
    }

    void codeFlowTokensAreBoundToTheKey()
    {
        QFETCH(QString, algorithm);
        ClientConfig config = configFor("public", GrantType::AuthorizationCode);
        config.dpopAlgorithm = algorithm;
        RunSession session;
        QSignalSpy keyMade(&session, &RunSession::dpopKeyMade);
        QList<HttpExchange> recorded;
        connect(&session, &RunSession::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        QUrl authorizationUrl;
        const FlowOutcome outcome = runFlow(session, config, &authorizationUrl);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + "\n" + describe(recorded)));

        // The run made a key and bound the code to it.
        QCOMPARE(keyMade.count(), 1);
        ClientConfig withKey = config;
        withKey.dpopKeyPem = keyMade.first().first().toString();
        const QByteArray thumbprint = DpopKey::thumbprint(withKey);
        QVERIFY(!thumbprint.isEmpty());
        QCOMPARE(QUrlQuery(authorizationUrl).queryItemValue("dpop_jkt").toLatin1(), thumbprint);

        // The first token request had no nonce: refused with use_dpop_nonce and one, then sent
        // again with it. Both are recorded.
        QList<HttpExchange> tokenRequests;
        for (const HttpExchange &exchange : recorded) {
            if (exchange.label.startsWith("Token request"))
                tokenRequests << exchange;
        }
        QCOMPARE(tokenRequests.size(), 2);
        QCOMPARE(tokenRequests.at(0).status, 400);
        QCOMPARE(errorOf(tokenRequests.at(0)), QStringLiteral("use_dpop_nonce"));
        const QByteArray nonce = tokenRequests.at(0).responseHeader("DPoP-Nonce");
        QVERIFY(!nonce.isEmpty());
        QVERIFY(!proofClaims(tokenRequests.at(0)).contains("nonce"));
        QCOMPARE(proofClaims(tokenRequests.at(1)).value("nonce").toString().toLatin1(), nonce);
        QCOMPARE(proofClaims(tokenRequests.at(1)).value("htm").toString(), QStringLiteral("POST"));
        QCOMPARE(proofClaims(tokenRequests.at(1)).value("htu").toString(),
                 config.tokenEndpoint.toString());
        QCOMPARE(proofHeader(tokenRequests.at(1)).value("typ").toString(),
                 QStringLiteral("dpop+jwt"));
        QCOMPARE(proofHeader(tokenRequests.at(1)).value("alg").toString(), algorithm);
        QVERIFY(!proofHeader(tokenRequests.at(1)).value("jwk").toObject().contains("d"));
        QCOMPARE(Dpop::thumbprint(proofHeader(tokenRequests.at(1)).value("jwk").toObject()),
                 thumbprint);

        QCOMPARE(outcome.tokenResponse.value("token_type").toString(), QStringLiteral("DPoP"));
        QCOMPARE(testactions::checkNamed(outcome.bindingChecks, "token_type").status,
                 TokenCheck::Status::Passed);

        // Refresh: a proof with the newest nonce, and the new token bound again.
        auto action = testactions::run(*session.actions(), TokenActions::Action::Refresh);
        QVERIFY2(action.succeeded, qPrintable(action.summary + "\n" + describe(recorded)));
        QCOMPARE(testactions::checkNamed(action.bindingChecks, "token_type").status,
                 TokenCheck::Status::Passed);
        QVERIFY(!proofClaims(recorded.last()).value("nonce").toString().isEmpty());

        // UserInfo: "Authorization: DPoP" and a proof with the token's hash.
        action = testactions::run(*session.actions(), TokenActions::Action::UserInfo);
        QVERIFY2(action.succeeded, qPrintable(action.summary + "\n" + describe(recorded)));
        const QByteArray accessToken = session.actions()->tokens().accessToken;
        QCOMPARE(recorded.last().request.header("Authorization"), "DPoP " + accessToken);
        QCOMPARE(proofClaims(recorded.last()).value("ath").toString().toLatin1(),
                 Dpop::accessTokenHash(accessToken));
        QCOMPARE(proofClaims(recorded.last()).value("htm").toString(), QStringLiteral("GET"));

        // Introspection shows the token's cnf.jkt: this key's thumbprint.
        action = testactions::run(*session.actions(), TokenActions::Action::Introspect);
        QVERIFY2(action.succeeded, qPrintable(action.summary + "\n" + describe(recorded)));
        QCOMPARE(testactions::checkNamed(action.bindingChecks, "cnf.jkt").status,
                 TokenCheck::Status::Passed);

        // The resource wants its own nonce: refused once with one, then it answers.
        const int before = int(recorded.size());
        ApiCaller::Outcome called = call(session, m_env.dpopResource());
        QVERIFY2(called.succeeded, qPrintable(called.summary + "\n" + describe(recorded)));
        QCOMPARE(recorded.size(), before + 2);
        QCOMPARE(recorded.at(before).status, 401);
        QVERIFY(recorded.at(before).responseHeader("WWW-Authenticate").contains("use_dpop_nonce"));
        QCOMPARE(proofClaims(recorded.last()).value("nonce").toString().toLatin1(),
                 recorded.at(before).responseHeader("DPoP-Nonce"));
        // The next call takes the nonce the last answer gave: no refusal.
        called = call(session, m_env.dpopResource());
        QVERIFY2(called.succeeded, qPrintable(called.summary));
        QCOMPARE(recorded.last().label.contains("again"), false);
    }

    // A proof with the wrong URL or token hash is refused, and the diagnosis names the proof.
    void wrongProofsAreRefusedAndDiagnosed_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("description");
        QTest::newRow("htu") << int(DpopProver::Fault::WrongHtu) << "htu mismatch";
        QTest::newRow("ath") << int(DpopProver::Fault::WrongAth) << "ath mismatch";
    }

    void wrongProofsAreRefusedAndDiagnosed()
    {
        QFETCH(int, fault);
        QFETCH(QString, description);
        RunSession session;
        QList<HttpExchange> recorded;
        connect(&session, &RunSession::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        const FlowOutcome outcome =
            runFlow(session, configFor("service", GrantType::ClientCredentials), nullptr);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + "\n" + describe(recorded)));
        QVERIFY(call(session, m_env.dpopResource()).succeeded);

        session.client()->dpop()->setFault(DpopProver::Fault(fault));
        const ApiCaller::Outcome refused = call(session, m_env.dpopResource());
        QVERIFY(!refused.succeeded);
        QCOMPARE(refused.status, 401);
        const HttpExchange &last = recorded.last();
        QVERIFY2(last.responseHeader("WWW-Authenticate").contains(description.toLatin1()),
                 qPrintable(describe(recorded)));
        const auto diagnosis = Diagnoser().diagnose(recorded, recorded.size() - 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_dpop_proof"));
        // The app checks the proof it sent, and names the claim that was wrong first.
        QVERIFY2(!diagnosis->causes.isEmpty(), qPrintable(diagnosis->toText()));
        const Diagnosis::Cause &first = diagnosis->causes.first();
        QCOMPARE(first.id, QStringLiteral("dpop_proof_claim_wrong"));
        QVERIFY(first.confirmed());
        QVERIFY2(first.evidence.first().text.contains(description.left(3) + " is"),
                 qPrintable(diagnosis->toText()));
    }

    // Client credentials: a bound token; checked against another key, the binding fails.
    void clientCredentialsTokenIsCheckedAgainstTheKey()
    {
        ClientConfig config = configFor("service", GrantType::ClientCredentials);
        RunSession session;
        QList<HttpExchange> recorded;
        connect(&session, &RunSession::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        QSignalSpy keyMade(&session, &RunSession::dpopKeyMade);
        const FlowOutcome outcome = runFlow(session, config, nullptr);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + "\n" + describe(recorded)));
        QCOMPARE(outcome.tokenResponse.value("token_type").toString(), QStringLiteral("DPoP"));
        QCOMPARE(recorded.size(), 2); // refused for the nonce, then issued
        QCOMPARE(errorOf(recorded.first()), QStringLiteral("use_dpop_nonce"));
        QCOMPARE(FlowOutcome::resultName(outcome.result), QStringLiteral("succeeded"));

        auto introspected = testactions::run(*session.actions(), TokenActions::Action::Introspect);
        QCOMPARE(testactions::checkNamed(introspected.bindingChecks, "cnf.jkt").status,
                 TokenCheck::Status::Passed);

        // The same token, held by a client with another key: its cnf.jkt is not that key's.
        ClientConfig other = config;
        QVERIFY(DpopKey::ensure(&other));
        QVERIFY(DpopKey::thumbprint(other) != DpopKey::thumbprint([&] {
                    ClientConfig made = config;
                    made.dpopKeyPem = keyMade.first().first().toString();
                    return made;
                }()));
        RunSession elsewhere;
        QString problem;
        QVERIFY2(elsewhere.resume(other, session.actions()->tokens(), {}, {}, &problem),
                 qPrintable(problem));
        introspected = testactions::run(*elsewhere.actions(), TokenActions::Action::Introspect);
        const TokenCheck jkt = testactions::checkNamed(introspected.bindingChecks, "cnf.jkt");
        QCOMPARE(jkt.status, TokenCheck::Status::Failed);
        QVERIFY2(jkt.detail.contains("another") || jkt.detail.contains("signed with"),
                 qPrintable(jkt.detail));
        // And the resource refuses it: the proof's key is not the token's.
        const ApiCaller::Outcome refused = call(elsewhere, m_env.dpopResource());
        QVERIFY(!refused.succeeded);
        QCOMPARE(refused.status, 401);
    }

    // The console's auto-refresh: an expired token is refreshed before the call; a token the
    // resource refuses as invalid_token is refreshed once and the call sent again.
    void apiCallRefreshesAnExpiredOrRefusedToken()
    {
        RunSession session;
        QList<HttpExchange> recorded;
        connect(&session, &RunSession::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        const ClientConfig config = configFor("public", GrantType::AuthorizationCode);
        const FlowOutcome outcome = runFlow(session, config, nullptr);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + "\n" + describe(recorded)));

        // Expired (as far as the app knows): refreshed first, then called.
        TokenSet expired = session.actions()->tokens();
        expired.accessTokenExpiresAt = QDateTime::currentDateTimeUtc().addSecs(-60);
        session.actions()->setSession(session.actions()->config(), expired);
        int before = int(recorded.size());
        ApiCaller::Outcome called = call(session, m_env.dpopResource());
        QVERIFY2(called.succeeded, qPrintable(called.summary + "\n" + describe(recorded)));
        QVERIFY(called.refreshed);
        QVERIFY2(recorded.at(before).label.contains("refresh_token"),
                 qPrintable(describe(recorded)));
        QVERIFY(session.actions()->tokens().accessToken != expired.accessToken);
        QVERIFY(called.details.join("\n").contains("expired"));

        // A token the resource no longer knows (as after a server restart or a revocation
        // elsewhere): invalid_token; one refresh, one retry. (Revoking it here would end the
        // whole grant at this provider, refresh token included.)
        TokenSet stale = session.actions()->tokens();
        stale.accessToken = "an-access-token-the-server-no-longer-knows";
        session.actions()->setSession(session.actions()->config(), stale);
        before = int(recorded.size());
        called = call(session, m_env.dpopResource());
        QVERIFY2(called.succeeded, qPrintable(called.summary + "\n" + describe(recorded)));
        QVERIFY(called.refreshed);
        QCOMPARE(recorded.at(before).status, 401);
        QVERIFY(recorded.at(before).responseHeader("WWW-Authenticate").contains("invalid_token"));
        QVERIFY(called.details.join("\n").contains("invalid_token"));
        QCOMPARE(recorded.last().status, 200);
    }

    // The command line: a token bound to a key file, then an API call with the same key.
    void commandLineBindsAndCalls()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name oauth-workbench-cli");
        QTemporaryDir dir;
        const QString keyPath = dir.filePath("dpop.pem");
        {
            QFile key(keyPath);
            QVERIFY(key.open(QIODevice::WriteOnly));
            key.write(SigningKey::generate("ES256", {}).privatePem());
        }
        const QJsonObject service = m_env.client("service");
        const auto runCli = [&](const QStringList &arguments, const QString &token, int *exit) {
            QProcess process;
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert("E2E_SECRET", service.value("client_secret").toString());
            environment.insert("E2E_TOKEN", token);
            process.setProcessEnvironment(environment);
            process.start(cli, arguments + QStringList{"--json", "--dpop-key", keyPath});
            if (!process.waitForFinished(30000))
                return QJsonObject{{"error", "the command did not finish"}};
            *exit = process.exitCode();
            return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        };
        int exit = -1;
        const QJsonObject issued =
            runCli({"token", "--grant", "client_credentials", "--token-endpoint",
                    m_env.discovery().value("token_endpoint").toString(), "--client-id",
                    service.value("client_id").toString(), "--client-secret-env", "E2E_SECRET"},
                   {}, &exit);
        QCOMPARE(exit, 0);
        QCOMPARE(issued.value("token_response").toObject().value("token_type").toString(),
                 QStringLiteral("DPoP"));
        QCOMPARE(issued.value("dpop_checks").toArray().first().toObject().value("status"),
                 QJsonValue("passed"));
        QCOMPARE(issued.value("exchanges").toArray().size(), 2);

        const QString token =
            issued.value("token_response").toObject().value("access_token").toString();
        const QJsonObject called =
            runCli({"call", m_env.dpopResource().toString(), "--access-token-env", "E2E_TOKEN"},
                   token, &exit);
        QCOMPARE(exit, 0);
        QVERIFY(called.value("succeeded").toBool());
        QCOMPARE(called.value("status").toInt(), 200);
        QCOMPARE(called.value("exchanges").toArray().size(), 2); // the resource's nonce first

        // Sent as Bearer, the bound token is refused; the diagnosis says it is DPoP-bound.
        const QJsonObject asBearer = runCli({"call", m_env.dpopResource().toString(),
                                             "--access-token-env", "E2E_TOKEN", "--bearer"},
                                            token, &exit);
        QCOMPARE(exit, 1);
        QCOMPARE(asBearer.value("status").toInt(), 401);
        QVERIFY(asBearer.contains("diagnosis"));
    }
};

QTEST_GUILESS_MAIN(TestE2eDpop)
#include "tst_e2e_dpop.moc"
