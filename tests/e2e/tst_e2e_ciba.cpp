// End to end: CIBA in poll mode (OpenID Connect CIBA Core 1.0) against the real provider
// (oidc-provider with its ciba feature on). The tests play the person's authentication device
// through the provider's own backchannelResult (provider.mjs, CIBA_DEVICE_PATH): approved after
// the first authorization_pending poll, the run ends with tokens and a checked ID token for the
// person the login hint named; denied, unknown and badly bound requests are diagnosed, the
// likeliest cause first; the command line runs the same flow.
#include "core/diagnosis/Diagnoser.h"
#include "core/jose/Jwt.h"
#include "core/session/RunSession.h"
#include "core/util/FormEncoding.h"

#include "E2eEnvironment.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::BackchannelAuthorization)

class TestE2eCiba : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    ClientConfig cibaConfig(const QString &bindingMessage) const
    {
        ClientConfig config = m_env.clientConfig("ciba", GrantType::Ciba);
        config.backchannelAuthenticationEndpoint =
            QUrl(m_env.discovery().value("backchannel_authentication_endpoint").toString());
        config.jwksUri = QUrl(m_env.discovery().value("jwks_uri").toString());
        config.scope = QStringLiteral("openid email");
        config.loginHint = QStringLiteral("alice");
        config.bindingMessage = bindingMessage;
        return config;
    }

    // The person answers on their device; the HTTP status of the answer.
    int answer(const QString &bindingMessage, const QString &decision) const
    {
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(m_env.issuer() + "/test/ciba-device"));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
        QNetworkReply *reply = network.post(
            request,
            FormEncoding::encode({{"binding_message", bindingMessage}, {"decision", decision}}));
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    static FlowOutcome outcomeOf(QSignalSpy &finished, int timeoutMs = 40000)
    {
        if (finished.isEmpty() && !finished.wait(timeoutMs))
            return {FlowOutcome::Result::Cancelled, "no outcome in time"};
        return finished.first().first().value<FlowOutcome>();
    }

    static QString firstCause(const QList<HttpExchange> &run)
    {
        const auto diagnosis = Diagnoser().diagnose(run, run.size() - 1);
        if (!diagnosis || diagnosis->causes.isEmpty())
            return QStringLiteral("(none)");
        return diagnosis->causes.first().id;
    }

    // Runs the flow; `decision` is given on the device after the first pending poll.
    FlowOutcome runAnswered(RunSession &session, const ClientConfig &config,
                            const QString &decision)
    {
        bool answered = false;
        connect(&session, &RunSession::pollAnswered, this, [&](const QString &error, int) {
            if (!answered && error == QLatin1String("authorization_pending")) {
                answered = true;
                QCOMPARE(answer(config.bindingMessage, decision), 200);
            }
        });
        QSignalSpy finished(&session, &RunSession::finished);
        if (!session.start(config))
            return outcomeOf(finished, 0);
        return outcomeOf(finished);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<BackchannelAuthorization>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanupTestCase() { m_env.stop(); }

    // Discovery names the endpoint; the request reaches the device; approval after the first
    // pending poll gives tokens whose ID token names alice and passes every check.
    void approvedOnTheDevice()
    {
        const ClientConfig config = cibaConfig(QStringLiteral("E2E-APPROVE"));
        QVERIFY(config.backchannelAuthenticationEndpoint.isValid());
        RunSession session;
        QSignalSpy accepted(&session, &RunSession::backchannelAccepted);
        const FlowOutcome outcome = runAnswered(session, config, "approve");
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QCOMPARE(accepted.size(), 1);
        const auto authorization = accepted.first().first().value<BackchannelAuthorization>();
        QVERIFY(!authorization.authReqId.isEmpty());
        QVERIFY(authorization.expiresInSeconds > 0);
        QCOMPARE(authorization.intervalSeconds, 5); // the provider names none: CIBA's default
        QVERIFY(!outcome.idTokenChecks.isEmpty());
        bool signatureChecked = false;
        for (const TokenCheck &check : outcome.idTokenChecks) {
            QVERIFY2(check.status != TokenCheck::Status::Failed,
                     qPrintable(check.name + ": " + check.detail));
            signatureChecked |= check.name == QLatin1String("signature") &&
                                check.status == TokenCheck::Status::Passed;
        }
        QVERIFY(signatureChecked);
        QString why;
        const auto idToken =
            Jwt::decode(outcome.tokenResponse.value("id_token").toString().toUtf8(), &why);
        QVERIFY2(idToken.has_value(), qPrintable(why));
        QCOMPARE(idToken->claims.value("sub").toString(), QStringLiteral("alice"));

        // The backchannel request, one pending poll, the tokens, and the JWKS fetched to check
        // the ID token's signature.
        const QList<HttpExchange> &run = session.record().exchanges;
        QVERIFY2(run.size() >= 4, qPrintable(QString::number(run.size())));
        QCOMPARE(run.last().request.url, config.jwksUri);
        const HttpExchange &tokens = run.at(run.size() - 2);
        QCOMPARE(tokens.status, 200);
        QCOMPARE(run.first().request.url, config.backchannelAuthenticationEndpoint);
        const FormFields sent = FormEncoding::decode(run.first().request.body);
        QCOMPARE(FormEncoding::value(sent, "login_hint"), QStringLiteral("alice"));
        QCOMPARE(FormEncoding::value(sent, "binding_message"), QStringLiteral("E2E-APPROVE"));
        QVERIFY(run.first().request.header("Authorization").startsWith("Basic "));
        QCOMPARE(QJsonDocument::fromJson(run.at(1).responseBody)["error"].toString(),
                 QStringLiteral("authorization_pending"));
        QCOMPARE(FormEncoding::value(FormEncoding::decode(tokens.request.body), "grant_type"),
                 QStringLiteral("urn:openid:params:grant-type:ciba"));
    }

    void deniedOnTheDevice()
    {
        RunSession session;
        const FlowOutcome outcome =
            runAnswered(session, cibaConfig(QStringLiteral("E2E-DENY")), "deny");
        QCOMPARE(outcome.result, FlowOutcome::Result::TokenErrorResponse);
        QCOMPARE(outcome.tokenResponse.value("error").toString(), QStringLiteral("access_denied"));
        QCOMPARE(outcome.summary, QStringLiteral("The person denied the request on their device."));
        QCOMPARE(firstCause(session.record().exchanges), QStringLiteral("ciba_user_denied"));
    }

    // Refusals at the backchannel endpoint, as the provider words them, diagnosed first-cause.
    void refusalsAreDiagnosed_data()
    {
        QTest::addColumn<QString>("loginHint");
        QTest::addColumn<QString>("bindingMessage");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("cause");
        QTest::newRow("unknown user") << "nobody"
                                      << "E2E-NOBODY"
                                      << "unknown_user_id"
                                      << "ciba_user_unknown";
        QTest::newRow("binding message") << "alice"
                                         << "pay 120 EUR to bob now, ok?"
                                         << "invalid_binding_message"
                                         << "ciba_binding_message_invalid";
    }

    void refusalsAreDiagnosed()
    {
        QFETCH(QString, loginHint);
        QFETCH(QString, bindingMessage);
        QFETCH(QString, error);
        QFETCH(QString, cause);
        ClientConfig config = cibaConfig(bindingMessage);
        config.loginHint = loginHint;
        RunSession session;
        QSignalSpy finished(&session, &RunSession::finished);
        QVERIFY(session.start(config));
        const FlowOutcome outcome = outcomeOf(finished);
        QCOMPARE(outcome.result, FlowOutcome::Result::BackchannelAuthenticationFailed);
        const QList<HttpExchange> &run = session.record().exchanges;
        QCOMPARE(run.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(run.first().responseBody)["error"].toString(), error);
        QCOMPARE(firstCause(run), cause);
    }

    // The command line: whom it asks and the binding message on standard error, the outcome as
    // JSON once the device approved.
    void commandLineRunsCiba()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name oauth-workbench-cli");
        const ClientConfig config = cibaConfig(QStringLiteral("E2E-CLI"));
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("E2E_CIBA_SECRET", config.clientSecret);
        process.setProcessEnvironment(environment);
        QString errors;
        bool answered = false;
        connect(&process, &QProcess::readyReadStandardError, this, [&] {
            errors += QString::fromUtf8(process.readAllStandardError());
            if (!answered && errors.contains("poll: authorization_pending")) {
                answered = true;
                QCOMPARE(answer(config.bindingMessage, "approve"), 200);
            }
        });
        QSignalSpy done(&process, &QProcess::finished);
        process.start(cli, {"ciba", "--json", "--backchannel-endpoint",
                            config.backchannelAuthenticationEndpoint.toString(), "--token-endpoint",
                            config.tokenEndpoint.toString(), "--client-id", config.clientId,
                            "--client-secret-env", "E2E_CIBA_SECRET", "--login-hint", "alice",
                            "--binding-message", "E2E-CLI", "--scope", "openid email", "--issuer",
                            m_env.issuer()});
        QVERIFY2(done.wait(60000), qPrintable(errors));
        const QJsonObject result =
            QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QVERIFY2(process.exitCode() == 0, qPrintable(errors + QJsonDocument(result).toJson()));
        QCOMPARE(result.value("outcome").toString(), QStringLiteral("succeeded"));
        QVERIFY(!result.value("token_response").toObject().value("id_token").toString().isEmpty());
        QVERIFY2(errors.contains("The server is asking alice on their device; it should show: "
                                 "E2E-CLI"),
                 qPrintable(errors));
        const QJsonArray exchanges = result.value("exchanges").toArray();
        QVERIFY(exchanges.size() >= 3);
        QVERIFY(exchanges.first().toObject().value("request").toString().startsWith(
            "POST " + config.backchannelAuthenticationEndpoint.path()));
    }
};

QTEST_MAIN(TestE2eCiba)
#include "tst_e2e_ciba.moc"
