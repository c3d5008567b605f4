// RP-initiated logout against the real provider (oidc-provider, its end_session_endpoint on) and
// real headless Chromium: one person's browser signs in, then signs out at the provider (its
// confirmation page answered), comes back to the app's listener with the state, and the grant
// is gone at the provider; the command line does the same with an ID token from an earlier run;
// a post-logout redirect URI the client did not register leaves the browser on the provider's
// error page, and the wait's end is diagnosed with that cause first.
#include "core/diagnosis/Diagnoser.h"
#include "core/session/RunSession.h"

#include "E2eEnvironment.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)

class TestE2eLogout : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    using Cli = e2e::CliResult;

    static Cli runCli(const QStringList &arguments, const QByteArray &idToken = {})
    {
        if (idToken.isEmpty())
            return e2e::runCli(arguments);
        return e2e::runCli(arguments, {{"E2E_ID_TOKEN", QString::fromLatin1(idToken)}});
    }

    QString browserCommand() const
    {
        return qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh";
    }

    // An ID token of the public client, from a sign-in through the command line.
    QByteArray idTokenFromTheCommandLine() const
    {
        const ClientConfig config = m_env.clientConfig("public", GrantType::AuthorizationCode);
        const Cli run = runCli({"authorize", "--json", "--reveal-secrets",
                                "--authorization-endpoint", config.authorizationEndpoint.toString(),
                                "--token-endpoint", config.tokenEndpoint.toString(), "--client-id",
                                config.clientId, "--auth-method", "none", "--scope", "openid",
                                "--browser-command", browserCommand()});
        return run.json.value("token_response").toObject().value("id_token").toString().toLatin1();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<RpInitiatedLogout::Outcome>();
        qRegisterMetaType<TokenActions::Outcome>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(!m_env.discovery().value("end_session_endpoint").toString().isEmpty());
    }

    // The window's engine: sign in, sign out in the same browser (the provider asks to confirm,
    // the person says yes), the browser comes back with the state, and the refresh token the
    // sign-in got no longer works: the provider ended the grant.
    void signOutEndsTheSessionAtTheProvider()
    {
        QTemporaryDir browserProfile;
        QVERIFY(browserProfile.isValid());
        RunSession session;
        ClientConfig config = m_env.clientConfig("public", GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid email");
        QProcess signInBrowser;
        QProcess signOutBrowser;
        connect(&session, &RunSession::authorizationUrlReady, this, [&](const QUrl &url) {
            m_env.openInProfile(signInBrowser, url, browserProfile.path());
        });
        connect(&session, &RunSession::logoutUrlReady, this, [&](const QUrl &url) {
            m_env.openInProfile(signOutBrowser, url, browserProfile.path());
        });
        QSignalSpy finished(&session, &RunSession::finished);
        QVERIFY(session.start(config));
        QVERIFY(finished.wait(60000));
        const FlowOutcome signedIn = finished.first().first().value<FlowOutcome>();
        QVERIFY2(signedIn.succeeded(), qPrintable(signedIn.summary));
        e2e::Environment::browserResult(signInBrowser);
        const TokenSet tokens = session.actions()->tokens();
        QVERIFY(!tokens.idToken.isEmpty());
        QVERIFY(!tokens.refreshToken.isEmpty());

        QSignalSpy signedOut(&session, &RunSession::logoutFinished);
        QString error;
        QVERIFY2(session.logout(config, &error), qPrintable(error));
        const QUrl sent = session.logoutFlow()->logoutUrl();
        QCOMPARE(FormEncoding::value(FormEncoding::queryOf(sent), "id_token_hint").toLatin1(),
                 tokens.idToken);
        QVERIFY(signedOut.wait(60000));
        const auto outcome = signedOut.first().first().value<RpInitiatedLogout::Outcome>();
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary));
        const QJsonObject browser = e2e::Environment::browserResult(signOutBrowser);
        QCOMPARE(browser.value("outcome").toString(), QStringLiteral("ok"));
        QVERIFY2(browser.value("text").toString().contains("Signed out at the provider"),
                 qPrintable(QJsonDocument(browser).toJson()));
        const QUrl back(browser.value("finalUrl").toString());
        QCOMPARE(FormEncoding::value(FormEncoding::queryOf(back), "state").toLatin1(),
                 session.logoutFlow()->state());
        const QList<HttpExchange> &run = session.record().exchanges;
        QCOMPARE(run.at(run.size() - 2).label, RpInitiatedLogout::requestLabel());
        QCOMPARE(run.last().label, RpInitiatedLogout::returnLabel());

        // The provider revoked the grant with the session: its refresh token is refused.
        QSignalSpy refreshed(session.actions(), &TokenActions::finished);
        QVERIFY(session.actions()->run(TokenActions::Action::Refresh));
        QVERIFY(refreshed.wait(15000));
        const auto refresh = refreshed.first().first().value<TokenActions::Outcome>();
        QVERIFY2(!refresh.succeeded, qPrintable(refresh.summary));
        const auto diagnosis =
            Diagnoser().diagnose(session.record().exchanges, session.record().exchanges.size() - 1);
        QVERIFY(diagnosis);
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_grant"));
    }

    // The command line: an ID token from a run, the sign-out in the browser, the return with
    // the state, exit 0; the text it prints masks the ID token.
    void commandLineSignsOut()
    {
        const QByteArray idToken = idTokenFromTheCommandLine();
        QVERIFY(!idToken.isEmpty());
        const ClientConfig config = m_env.clientConfig("public", GrantType::AuthorizationCode);
        QProcess cli;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("E2E_ID_TOKEN", QString::fromLatin1(idToken));
        cli.setProcessEnvironment(environment);
        cli.start(qEnvironmentVariable("WORKBENCH_CLI"),
                  {"logout", "--client-id", config.clientId, "--end-session-endpoint",
                   config.endSessionEndpoint.toString(), "--id-token-env", "E2E_ID_TOKEN",
                   "--browser-command", browserCommand(), "--timeout", "60"});
        QVERIFY(cli.waitForFinished(90000));
        const QByteArray text = cli.readAllStandardOutput();
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QVERIFY2(text.contains("=== " + RpInitiatedLogout::requestLabel().toUtf8() + " ==="),
                 text.constData());
        QVERIFY(text.contains("=== " + RpInitiatedLogout::returnLabel().toUtf8() + " ==="));
        QVERIFY(text.contains("OK: Signed out"));
        QVERIFY(text.contains("id_token_hint=MASKED:"));
        QVERIFY(!text.contains(idToken));
    }

    // A return URI the client did not register: oidc-provider shows its error page, the browser
    // never comes back, and the diagnosis puts the unregistered URI first.
    void unregisteredReturnIsDiagnosed()
    {
        const QByteArray idToken = idTokenFromTheCommandLine();
        QVERIFY(!idToken.isEmpty());
        const ClientConfig config = m_env.clientConfig("public", GrantType::AuthorizationCode);
        const Cli logout =
            runCli({"logout", "--json", "--client-id", config.clientId, "--end-session-endpoint",
                    config.endSessionEndpoint.toString(), "--id-token-env", "E2E_ID_TOKEN",
                    "--post-logout-redirect-uri", "http://127.0.0.1/not-registered",
                    "--browser-command", browserCommand(), "--timeout", "8"},
                   idToken);
        QCOMPARE(logout.exit, 1);
        const QJsonObject diagnosis = logout.json.value("diagnosis").toObject();
        QVERIFY2(!diagnosis.isEmpty(), logout.errors.constData());
        QCOMPARE(diagnosis.value("title").toString(),
                 QStringLiteral("The browser did not come back after the sign-out"));
        QCOMPARE(diagnosis.value("causes").toArray().first().toObject().value("id").toString(),
                 QStringLiteral("post_logout_uri_unregistered"));
    }
};

QTEST_MAIN(TestE2eLogout)
#include "tst_e2e_logout.moc"
