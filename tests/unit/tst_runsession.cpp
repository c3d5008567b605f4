// The run engine the window and the command line share, headless, against the built-in sandbox:
// it picks the flow for the grant, records every step of the run and its follow-ups, makes the
// tokens a session, tells the diagnosis what it knows (discovery, the profile's last success),
// saves the run redacted, refuses a config it cannot run without saving anything, and applies
// the sandbox's error triggers.
#include "core/diagnosis/Diagnoser.h"
#include "core/discovery/ProviderDiscovery.h"
#include "core/export/Redaction.h"
#include "core/flows/TokenGrantFlow.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"
#include "core/util/FormEncoding.h"

#include "SandboxBrowser.h"
#include "TokenActionsTest.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::ClientConfig)
Q_DECLARE_METATYPE(workbench::DiagnosisHints)
Q_DECLARE_METATYPE(workbench::DeviceAuthorization)
Q_DECLARE_METATYPE(workbench::ProviderMetadata)

namespace {
FlowOutcome outcomeOf(QSignalSpy &finished)
{
    if (finished.isEmpty() && !finished.wait(15000))
        return {FlowOutcome::Result::Cancelled, "no outcome in time"};
    return finished.last().first().value<FlowOutcome>();
}
} // namespace

class TestRunSession : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<RunSession> m_session;
    SandboxProvider *m_sandbox = nullptr;

    RunHistory &history() { return *m_session->history(); }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<ClientConfig>();
        qRegisterMetaType<DiagnosisHints>();
        qRegisterMetaType<DeviceAuthorization>();
        qRegisterMetaType<ProviderMetadata>();
        qRegisterMetaType<TokenActions::Outcome>();
    }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_session = std::make_unique<RunSession>();
        m_session->setHistory(std::make_unique<RunHistory>(m_dir.path()));
        history().clear();
        QString problem;
        m_sandbox = m_session->startSandbox(&problem);
        QVERIFY2(m_sandbox, qPrintable(problem));
    }

    void cleanup() { m_session.reset(); }

    // The code flow: the URL to open comes from the session, every step lands in the run's
    // record and the history, the tokens become a session whose follow-ups join the same run.
    void codeFlowRunIsRecordedSavedAndFollowedUp()
    {
        const ClientConfig config = m_sandbox->clientConfig(true);
        QSignalSpy started(m_session.get(), &RunSession::started);
        QSignalSpy urlReady(m_session.get(), &RunSession::authorizationUrlReady);
        QSignalSpy recorded(m_session.get(), &RunSession::exchangeRecorded);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config));
        QVERIFY(m_session->isRunning());
        QVERIFY(m_session->codeFlow()->isRunning());
        QCOMPARE(started.size(), 1);
        QCOMPARE(urlReady.size(), 1);
        const QUrl url = urlReady.first().first().toUrl();
        QCOMPARE(url, m_session->codeFlow()->authorizationUrl());
        sandboxbrowser::signIn(url);
        const FlowOutcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary));
        QVERIFY(!m_session->isRunning());

        const RunRecord run = m_session->record();
        QCOMPARE(run.profile, QStringLiteral("Sandbox")); // no profile, the sandbox's config
        QCOMPARE(run.grant, QStringLiteral("authorization_code"));
        QCOMPARE(run.result, QStringLiteral("succeeded"));
        QCOMPARE(run.exchanges.size(), recorded.size());
        QVERIFY(run.exchanges.size() >= 2); // the redirect and the token request at least
        const QByteArray accessToken = m_session->actions()->tokens().accessToken;
        QVERIFY(!accessToken.isEmpty());

        // Saved, redacted.
        m_session->waitForSaved();
        QTRY_COMPARE(history().list().size(), 1);
        auto saved = history().load(run.id);
        QVERIFY(saved);
        QCOMPARE(saved->exchanges.size(), run.exchanges.size());
        QCOMPARE(saved->result, QStringLiteral("succeeded"));
        for (const HttpExchange &exchange : saved->exchanges)
            QVERIFY(!exchange.responseBody.contains(accessToken));

        // A follow-up joins the run, and the run is saved again with it.
        const auto userInfo =
            testactions::run(*m_session->actions(), TokenActions::Action::UserInfo);
        QVERIFY2(userInfo.succeeded, qPrintable(userInfo.summary));
        QCOMPARE(m_session->record().exchanges.size(), run.exchanges.size() + 1);
        QCOMPARE(m_session->record().exchanges.last().request.url, config.userinfoEndpoint);
        m_session->waitForSaved();
        QTRY_COMPARE(history().load(run.id)->exchanges.size(),
                     m_session->record().exchanges.size());
        QCOMPARE(history().list().size(), 1);
    }

    // A saved run taken up again with tokens the person gives: the actions' steps join it, and
    // it is saved again; without a saved run the actions make a run of their own, whose outcome
    // is theirs.
    void resumedRunTakesTheFollowUps()
    {
        const ClientConfig config = m_sandbox->clientConfig(true);
        QSignalSpy urlReady(m_session.get(), &RunSession::authorizationUrlReady);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config, QStringLiteral("Staging")));
        QVERIFY(!urlReady.isEmpty() || urlReady.wait(5000));
        sandboxbrowser::signIn(urlReady.first().first().toUrl());
        QVERIFY(outcomeOf(finished).succeeded());
        const TokenSet tokens = m_session->actions()->tokens();
        const RunRecord first = m_session->record();
        m_session->waitForSaved();
        m_session->forgetRun();
        QVERIFY(m_session->actions()->tokens().isEmpty());

        // The saved run (redacted, no tokens), taken up with the refresh token.
        auto saved = history().load(first.id);
        QVERIFY(saved);
        TokenSet given;
        given.refreshToken = tokens.refreshToken;
        QString error;
        QVERIFY2(m_session->resume(config, given, *saved, {}, &error), qPrintable(error));
        QCOMPARE(m_session->record().id, first.id);
        const auto refreshed =
            testactions::run(*m_session->actions(), TokenActions::Action::Refresh);
        QVERIFY2(refreshed.succeeded, qPrintable(refreshed.summary));
        QVERIFY(m_session->record().exchanges.size() > first.exchanges.size());
        m_session->waitForSaved();
        QTRY_COMPARE(history().load(first.id)->exchanges.size(),
                     m_session->record().exchanges.size());
        QCOMPARE(history().load(first.id)->result, QStringLiteral("succeeded")); // the flow's
        QCOMPARE(history().list().size(), 1);

        // No saved run: a run of its own, under the profile named, ending as the action did.
        TokenSet stale;
        stale.refreshToken = tokens.refreshToken; // rotated away by the refresh above
        QVERIFY(m_session->resume(config, stale, {}, QStringLiteral("Staging"), &error));
        const QString id = m_session->record().id;
        QVERIFY(!id.isEmpty() && id != first.id);
        const auto refused = testactions::run(*m_session->actions(), TokenActions::Action::Refresh);
        QVERIFY(!refused.succeeded);
        m_session->waitForSaved();
        QTRY_VERIFY(history().load(id).has_value());
        const RunRecord own = *history().load(id);
        QCOMPARE(own.profile, QStringLiteral("Staging"));
        QCOMPARE(own.grant, QStringLiteral("follow-up"));
        QVERIFY(own.result != QStringLiteral("succeeded"));
        QCOMPARE(own.summary, refused.summary);
        QCOMPARE(own.exchanges.size(), m_session->record().exchanges.size());
    }

    // A saved run shows the diagnosis it had live: made from the values before redaction (the
    // PKCE check cannot be made again on a redacted verifier), kept redacted with the run.
    void savedRunKeepsItsLiveDiagnosis()
    {
        ClientConfig config = m_sandbox->clientConfig(false); // public client, PKCE
        config.scope += QStringLiteral(" sandbox:code_empty_description");
        QSignalSpy urlReady(m_session.get(), &RunSession::authorizationUrlReady);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config));
        QVERIFY(!urlReady.isEmpty() || urlReady.wait(5000));
        sandboxbrowser::signIn(urlReady.first().first().toUrl());
        QVERIFY(!outcomeOf(finished).succeeded());
        const RunRecord live = m_session->record();
        qsizetype row = live.exchanges.size() - 1;
        while (row > 0 && live.exchanges.at(row).status < 400)
            --row;
        const auto liveDiagnosis = Diagnoser().diagnose(live.exchanges, row, m_session->hints());
        QVERIFY(liveDiagnosis.has_value());
        const auto pkce =
            std::find_if(liveDiagnosis->causes.cbegin(), liveDiagnosis->causes.cend(),
                         [](const auto &cause) { return cause.id == "pkce_mismatch"; });
        QVERIFY(pkce != liveDiagnosis->causes.cend());
        QCOMPARE(pkce->status, Diagnosis::Cause::Status::Contradicted); // the verifier matched

        m_session->waitForSaved();
        const auto saved = history().load(live.id);
        QVERIFY(saved.has_value());
        QCOMPARE(saved->diagnoses.size(), saved->exchanges.size());
        const std::optional<Diagnosis> &kept = saved->diagnoses.at(row);
        QVERIFY(kept.has_value());
        QCOMPARE(kept->entryId, liveDiagnosis->entryId);
        QCOMPARE(kept->title, liveDiagnosis->title);
        QCOMPARE(kept->causes.size(), liveDiagnosis->causes.size());
        for (qsizetype i = 0; i < kept->causes.size(); ++i) {
            QCOMPARE(kept->causes.at(i).id, liveDiagnosis->causes.at(i).id);
            QCOMPARE(kept->causes.at(i).status, liveDiagnosis->causes.at(i).status);
            QCOMPARE(kept->causes.at(i).evidence.size(),
                     liveDiagnosis->causes.at(i).evidence.size());
        }
        // And no secret of the run in what was kept.
        const QByteArray file = QJsonDocument(kept->toJson()).toJson();
        for (const QByteArray &secret : Redaction::secretsIn(live.exchanges))
            QVERIFY2(!file.contains(secret), secret.constData());
    }

    // A config the session cannot run: finished() says why, and nothing is kept.
    void unusableConfigIsRefusedAndNotSaved()
    {
        ClientConfig config = m_sandbox->clientConfig(true);
        config.grant = GrantType::ClientCredentials;
        config.tokenEndpoint = QUrl();
        QSignalSpy started(m_session.get(), &RunSession::started);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(!m_session->start(config));
        QCOMPARE(finished.size(), 1);
        const FlowOutcome outcome = finished.first().first().value<FlowOutcome>();
        QCOMPARE(outcome.result, FlowOutcome::Result::InvalidConfiguration);
        QVERIFY(outcome.details.join('\n').contains("token endpoint", Qt::CaseInsensitive));
        QCOMPARE(started.size(), 0);
        QVERIFY(m_session->record().id.isEmpty());
        m_session->waitForSaved();
        QVERIFY(history().list().isEmpty());

        // TLS settings that cannot be used are refused the same way.
        config = m_sandbox->clientConfig(true);
        config.grant = GrantType::ClientCredentials;
        config.tls.caBundlePath = m_dir.filePath("missing.pem");
        QVERIFY(!m_session->start(config));
        QCOMPARE(finished.last().first().value<FlowOutcome>().summary,
                 QStringLiteral("The TLS settings cannot be used."));
        QVERIFY(history().list().isEmpty());
    }

    // The grant decides the flow; the device flow's code and polls come through the session.
    void deviceGrantRunsTheDeviceFlow()
    {
        m_sandbox->deviceCodes().setIntervalSeconds(1);
        ClientConfig config = m_sandbox->clientConfig(false);
        config.grant = GrantType::DeviceCode;
        QSignalSpy codes(m_session.get(), &RunSession::userCodeReady);
        QSignalSpy polls(m_session.get(), &RunSession::pollAnswered);
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QNetworkAccessManager person;
        bool approved = false;
        connect(m_session.get(), &RunSession::pollAnswered, this, [&](const QString &error) {
            if (error != "authorization_pending" || approved)
                return;
            approved = true;
            const QUrl link = m_session->deviceFlow()->authorization()->verificationUriComplete;
            sandboxbrowser::fetch(
                person, m_sandbox->endpoint("/device"),
                "user_code=" + QUrlQuery(link).queryItemValue("user_code").toLatin1() +
                    "&login=tv-user&decision=approve");
        });
        QVERIFY(m_session->start(config, "Living room TV"));
        QVERIFY(m_session->deviceFlow()->isRunning());
        QVERIFY(!m_session->grantFlow()->isRunning());
        const FlowOutcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary));
        QCOMPARE(codes.size(), 1);
        QVERIFY(!polls.isEmpty()); // authorization_pending before the approval
        QCOMPARE(m_session->record().profile, QStringLiteral("Living room TV"));
        QCOMPARE(m_session->record().grant,
                 QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
        QCOMPARE(m_session->actions()->tokens().subject, QStringLiteral("tv-user"));
    }

    // What the diagnosis of a run is told: the discovered metadata of its issuer, and what the
    // profile's last successful run sent.
    void theDiagnosisIsToldWhatTheSessionKnows()
    {
        QString problem;
        QSignalSpy discovered(m_session.get(), &RunSession::discovered);
        QSignalSpy recorded(m_session.get(), &RunSession::exchangeRecorded);
        QVERIFY(m_session->discover(QUrl(m_sandbox->issuer()), m_sandbox->clientConfig(true),
                                    &problem));
        QVERIFY(discovered.wait(5000));
        QVERIFY(!recorded.isEmpty()); // shown...
        QVERIFY(m_session->metadata().has_value());

        ClientConfig config = m_sandbox->clientConfig(true);
        config.grant = GrantType::ClientCredentials;
        config.scope = QStringLiteral("api");
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config, "Service"));
        QVERIFY(m_session->record().exchanges.isEmpty()); // ...but not a step of the run
        QVERIFY(m_session->hints().metadata.has_value());
        QCOMPARE(m_session->hints().metadata->issuer, m_sandbox->issuer());
        QVERIFY(m_session->hints().lastSuccessfulTokenRequest.isEmpty());
        const FlowOutcome first = outcomeOf(finished);
        QVERIFY2(first.succeeded(), qPrintable(first.summary));
        const QDateTime firstStart = m_session->record().startedAt;
        m_session->waitForSaved();

        // The next run of the same profile knows what the successful one sent...
        config.clientSecret = QStringLiteral("not-the-secret");
        QSignalSpy started(m_session.get(), &RunSession::started);
        QSignalSpy refused(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config, "Service"));
        const auto hints = started.first().at(1).value<DiagnosisHints>();
        QCOMPARE(FormEncoding::value(hints.lastSuccessfulTokenRequest, "grant_type"),
                 QStringLiteral("client_credentials"));
        QCOMPARE(hints.lastSuccessAt, firstStart);
        QCOMPARE(outcomeOf(refused).result, FlowOutcome::Result::TokenErrorResponse);
        m_session->waitForSaved();
        // ...and another profile does not.
        QSignalSpy other(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(config, "Other"));
        QVERIFY(m_session->hints().lastSuccessfulTokenRequest.isEmpty());
        QCOMPARE(outcomeOf(other).result, FlowOutcome::Result::TokenErrorResponse);
    }

    // Cancelled runs end as such and are kept as such.
    void cancelEndsTheRun()
    {
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QVERIFY(m_session->start(m_sandbox->clientConfig(false)));
        m_session->cancel();
        QCOMPARE(outcomeOf(finished).result, FlowOutcome::Result::Cancelled);
        m_session->waitForSaved();
        QTRY_COMPARE(history().list().size(), 1);
        QCOMPARE(history().list().first().result, QStringLiteral("cancelled"));
    }

    void sandboxTriggersChangeTheConfig()
    {
        const QString issuer = m_sandbox->issuer();
        ClientConfig config = m_sandbox->clientConfig(true);
        config = m_session->withSandboxTrigger(config, "invalid_client");
        QVERIFY(config.scope.endsWith(" sandbox:invalid_client"));
        // One at a time: the next replaces it.
        config = m_session->withSandboxTrigger(config, "rate_limited");
        QVERIFY(!config.scope.contains("sandbox:invalid_client"));
        QVERIFY(config.scope.endsWith(" sandbox:rate_limited"));
        // A failure before any answer is a token endpoint, and the scope trigger goes.
        config = m_session->withSandboxTrigger(config, "host_not_found");
        QCOMPARE(config.tokenEndpoint, QUrl("http://sandbox.invalid/token"));
        QVERIFY(!config.scope.contains("sandbox:"));
        QVERIFY(m_session->usesSandbox([&] {
            ClientConfig grant = config;
            grant.grant = GrantType::ClientCredentials;
            return grant;
        }()));
        // A scope trigger again puts the sandbox's own endpoint back.
        config = m_session->withSandboxTrigger(config, "invalid_client");
        QCOMPARE(config.tokenEndpoint, QUrl(issuer + "/token"));
        // An unknown name changes nothing.
        QCOMPARE(m_session->withSandboxTrigger(config, "no_such_trigger").scope, config.scope);
    }
};

QTEST_MAIN(TestRunSession)
#include "tst_runsession.moc"
