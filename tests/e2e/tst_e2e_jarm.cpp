// End to end: JWT-secured authorization responses (JARM) from the real provider (oidc-provider
// with jwtResponseModes on, provider.mjs), Chromium signing in. Each response mode completes with
// the response's signature checked against the provider's JWKS before the code is redeemed; an
// error inside a signed response is diagnosed; responses forged on this machine (another key
// under the provider's kid, or the provider's own key for another client) are refused with the
// failing check first, and their code is never redeemed. The command line's --response-mode.
#include "core/diagnosis/Diagnoser.h"
#include "core/session/RunSession.h"
#include "core/util/FormEncoding.h"

#include "E2eSignIn.h"
#include "SandboxBrowser.h"
#include "TokenCheckTest.h"

#include <QJsonArray>
#include <QSignalSpy>

using namespace workbench;
using namespace workbench::test;

class TestE2eJarm : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    ClientConfig jarmConfig(const QString &mode) const
    {
        ClientConfig config =
            m_env.clientConfig(QStringLiteral("confidentialBasic"), GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid email");
        config.jwksUri = QUrl(m_env.discovery().value("jwks_uri").toString());
        config.responseMode = mode;
        return config;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QJsonArray modes = m_env.discovery().value("response_modes_supported").toArray();
        QVERIFY2(modes.contains(QStringLiteral("query.jwt")), "jwtResponseModes is not on");
    }

    void cleanupTestCase() { m_env.stop(); }

    void eachResponseModeIsCheckedThenUsed_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QByteArray>("method");
        QTest::newRow("jwt") << "jwt" << QByteArray("GET");
        QTest::newRow("query.jwt") << "query.jwt" << QByteArray("GET");
        QTest::newRow("fragment.jwt") << "fragment.jwt" << QByteArray("POST"); // via the relay
        QTest::newRow("form_post.jwt") << "form_post.jwt" << QByteArray("POST");
    }

    void eachResponseModeIsCheckedThenUsed()
    {
        QFETCH(QString, mode);
        QFETCH(QByteArray, method);
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, jarmConfig(mode));
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QVERIFY2(IdTokenValidator::accepted(outcome.responseChecks),
                 qPrintable(IdTokenValidator::firstFailure(outcome.responseChecks)));
        const TokenCheck *signature = findCheck(outcome.responseChecks, "signature");
        QVERIFY(signature);
        QCOMPARE(signature->status, TokenCheck::Status::Passed);
        QVERIFY2(signature->detail.contains("rsa-e2e"), qPrintable(signature->detail));
        QCOMPARE(findCheck(outcome.responseChecks, "iss")->detail, m_env.issuer());
        QVERIFY(IdTokenValidator::accepted(outcome.idTokenChecks));

        // The response came as one JWT, and the code was redeemed after it was checked.
        const QList<HttpExchange> &run = session.record().exchanges;
        const auto callback = std::find_if(run.cbegin(), run.cend(), [](const HttpExchange &e) {
            return e.kind == HttpExchange::Kind::LoopbackCallback;
        });
        QVERIFY(callback != run.cend());
        QCOMPARE(callback->request.method, method);
        const FormFields carried = CapturedRedirect::parametersOf(*callback);
        QVERIFY(FormEncoding::contains(carried, "code"));
        QVERIFY(!FormEncoding::value(carried, "state").isEmpty());
    }

    // prompt=none without a session at the provider: login_required, inside a signed response.
    // The flow checks it before it trusts the error; the diagnosis reads the error from the JWT.
    void anErrorInsideASignedResponseIsDiagnosed()
    {
        ClientConfig config = jarmConfig(QStringLiteral("query.jwt"));
        config.prompt = QStringLiteral("none");
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QCOMPARE(outcome.result, FlowOutcome::Result::AuthorizationError);
        QVERIFY2(outcome.summary.contains("login_required"), qPrintable(outcome.summary));
        QVERIFY(IdTokenValidator::accepted(outcome.responseChecks));
        const QList<HttpExchange> &run = session.record().exchanges;
        int callback = -1;
        for (int i = 0; i < run.size(); ++i) {
            if (run.at(i).kind == HttpExchange::Kind::LoopbackCallback)
                callback = i;
        }
        QVERIFY(callback >= 0);
        const auto diagnosis = Diagnoser().diagnose(run, callback);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("login_required"));
        QVERIFY(!diagnosis->causes.isEmpty());
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("login_required"));
    }

    // Forged on this machine and delivered to the listener with the right state: the flow
    // refuses them, says which check failed first, and never redeems their code.
    void forgedResponsesAreRefused_data()
    {
        QTest::addColumn<QString>("signer");
        QTest::addColumn<QString>("audience");
        QTest::addColumn<QString>("failed");
        QTest::newRow("bad signature") << "impostor" << QString() << "signature";
        QTest::newRow("another audience") << "provider"
                                          << "workbench-public"
                                          << "aud";
    }

    void forgedResponsesAreRefused()
    {
        QFETCH(QString, signer);
        QFETCH(QString, audience);
        QFETCH(QString, failed);
        const ClientConfig config = jarmConfig(QStringLiteral("query.jwt"));
        RunSession session;
        QSignalSpy finished(&session, &RunSession::finished);
        QSignalSpy ready(&session, &RunSession::authorizationUrlReady);
        QVERIFY(session.start(config));
        QVERIFY(!ready.isEmpty() || ready.wait(10000));

        QNetworkAccessManager network;
        const QByteArray form =
            "signer=" + signer.toUtf8() +
            "&aud=" + QUrl::toPercentEncoding(audience.isEmpty() ? config.clientId : audience) +
            "&state=" + QUrl::toPercentEncoding(session.codeFlow()->state());
        const sandboxbrowser::Page forged = sandboxbrowser::fetch(network, m_env.jarmForge(), form);
        QCOMPARE(forged.status, 200);
        QUrl delivery = session.codeFlow()->redirectUri();
        delivery.setQuery("response=" + QString::fromLatin1(forged.body));
        sandboxbrowser::fetch(network, delivery);

        QVERIFY(!finished.isEmpty() || finished.wait(20000));
        const auto outcome = finished.first().first().value<FlowOutcome>();
        QCOMPARE(outcome.result, FlowOutcome::Result::AuthorizationResponseRejected);
        QCOMPARE(firstFailedName(outcome.responseChecks), failed);
        for (const HttpExchange &exchange : session.record().exchanges)
            QVERIFY2(exchange.request.url != config.tokenEndpoint, "the forged code was redeemed");
    }

    void commandLineTakesTheResponseMode()
    {
        const ClientConfig config = jarmConfig(QStringLiteral("form_post.jwt"));
        const e2e::CliResult result =
            e2e::runCli({"authorize",
                         "--json",
                         "--response-mode",
                         "form_post.jwt",
                         "--authorization-endpoint",
                         config.authorizationEndpoint.toString(),
                         "--token-endpoint",
                         config.tokenEndpoint.toString(),
                         "--client-id",
                         config.clientId,
                         "--client-secret-env",
                         "E2E_SECRET",
                         "--issuer",
                         m_env.issuer(),
                         "--jwks-uri",
                         config.jwksUri.toString(),
                         "--scope",
                         "openid email",
                         "--browser-command",
                         qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh"},
                        {{"E2E_SECRET", config.clientSecret}});
        QVERIFY2(result.exit == 0, result.errors.constData());
        QCOMPARE(result.json.value("outcome").toString(), QStringLiteral("succeeded"));
        const QJsonArray checks = result.json.value("response_checks").toArray();
        QVERIFY(!checks.isEmpty());
        for (const QJsonValue &check : checks)
            QCOMPARE(check.toObject().value("status").toString(), QStringLiteral("passed"));
    }
};

QTEST_MAIN(TestE2eJarm)
#include "tst_e2e_jarm.moc"
