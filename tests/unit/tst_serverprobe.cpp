// The server probe against the built-in sandbox, in this process: the sandbox as it is (it
// refuses every probe's request: each passes), with every weakness on (each fails), and with
// one weakness at a time (exactly the probes that weakness bears on fail). The person at the
// browser is played by a scripted HTTP client; tests/e2e/tst_e2e_probe.cpp does it in Chromium
// against a certified provider. A test clock stands in for the expired-code probe's wait.
#include "core/export/Redaction.h"
#include "core/http/ExchangeClient.h"
#include "core/probe/ServerProbe.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"

#include "SandboxBrowser.h"
#include "TestClock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::ProbeReport)
Q_DECLARE_METATYPE(workbench::FlowOutcome)

namespace {
QStringList allIds()
{
    QStringList ids;
    for (const ProbeDefinition &probe : ProbeCatalog::all())
        ids << probe.id;
    return ids;
}
} // namespace

class TestServerProbe : public QObject
{
    Q_OBJECT

    struct Outcome
    {
        ProbeReport report;
        QStringList signIns; // the probes that asked for one, in order
        int maxRequestsPlanned = 0;
    };

    // Runs `ids` (all when empty) against a fresh sandbox with `weak`; the person signs in
    // whenever asked, or declines when `decline` is set.
    Outcome probe(const SandboxWeaknesses &weak, bool confidential = false,
                  const QStringList &ids = {}, bool decline = false)
    {
        TestClock clock;
        ScopedClock useIt(clock);
        SandboxProvider sandbox;
        sandbox.setWeaknesses(weak);
        [&] { QVERIFY(sandbox.start()); }();
        ExchangeClient client;
        ServerProbe probe(&client);
        Outcome outcome;
        connect(&probe, &ServerProbe::signInNeeded, this, [&](const QString &id, const QUrl &url) {
            outcome.signIns << id;
            QTimer::singleShot(0, &probe, [&probe, url, decline] {
                if (decline)
                    probe.noRedirectCame();
                else
                    sandboxbrowser::signIn(url);
            });
        });
        // The expired-code probe's wait: the clock jumps past ten minutes.
        connect(&probe, &ServerProbe::waitProgressed, this, [&](const QString &id, int elapsed) {
            if (id == QLatin1String("code_expired") && elapsed < 601)
                clock.advance(601);
        });
        const ClientConfig config = sandbox.clientConfig(confidential);
        const ProbePlan plan = ProbePlan::make(ids, config);
        outcome.maxRequestsPlanned = plan.maxRequests();
        QSignalSpy finished(&probe, &ServerProbe::finished);
        QString error;
        [&] {
            QVERIFY2(probe.start(config, plan, {}, &error), qPrintable(error));
            QVERIFY(finished.wait(60000));
        }();
        outcome.report = probe.report();
        return outcome;
    }

    static QString verdictOf(const ProbeReport &report, const QString &id)
    {
        const ProbeResult *result = report.result(id);
        return result ? ProbeResult::verdictName(result->verdict) : QStringLiteral("(not run)");
    }

    static QString describe(const ProbeReport &report) { return report.toText(); }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<ProbeReport>();
        qRegisterMetaType<FlowOutcome>();
    }

    void theSandboxAsItIsPassesEveryProbe()
    {
        const Outcome outcome = probe({});
        const ProbeReport &report = outcome.report;
        QCOMPARE(report.results().size(), ProbeCatalog::all().size());
        for (const QString &id : allIds())
            QVERIFY2(verdictOf(report, id) == QLatin1String("passed"),
                     qPrintable(id + ": " + describe(report)));
        // Refusals before any login cost no sign-in: only the probes that need a code signed in,
        // and the iss probe read the first probe's redirect.
        QCOMPARE(outcome.signIns,
                 (QStringList{"code_reuse", "token_redirect_uri", "verifier_missing",
                              "verifier_wrong", "refresh_reuse", "code_expired"}));
        QVERIFY(report.requestCount() <= outcome.maxRequestsPlanned);
        // The evidence shows the refusals.
        QVERIFY(report.result("code_reuse")->summary.contains("already used"));
        QVERIFY(report.result("redirect_localhost")->summary.contains("HTTP 400"));
        QVERIFY(report.result("request_object_none")->summary.contains("request_not_supported"));
        QVERIFY(report.result("refresh_reuse")->notes.join(' ').contains("grant was revoked"));
        QVERIFY(report.result("code_reuse")->notes.join(' ').contains("was revoked"));
    }

    void everyWeaknessMakesEveryProbeFail()
    {
        const Outcome outcome = probe(SandboxWeaknesses::all());
        for (const QString &id : allIds())
            QVERIFY2(verdictOf(outcome.report, id) == QLatin1String("failed"),
                     qPrintable(id + ": " + describe(outcome.report)));
        QVERIFY(outcome.report.requestCount() <= outcome.maxRequestsPlanned);
    }

    void eachWeaknessFailsItsOwnProbes_data()
    {
        QTest::addColumn<int>("flag");
        QTest::addColumn<QStringList>("failing");
        const auto row = [](const char *name, int flag, const QStringList &failing) {
            QTest::newRow(name) << flag << failing;
        };
        row("reusable codes", 0, {"code_reuse"});
        row("token redirect_uri ignored", 1, {"token_redirect_uri"});
        row("code_verifier ignored", 2, {"verifier_missing", "verifier_wrong"});
        row("PKCE optional", 3, {"pkce_absent_public"});
        row("plain PKCE", 4, {"pkce_plain"});
        row("lenient redirect URIs", 5,
            {"redirect_other_path", "redirect_localhost", "redirect_extra_query"});
        row("redirects unknown clients", 6, {"open_redirect"});
        row("rotated refresh tokens reusable", 7, {"refresh_reuse"});
        row("no iss", 8, {"iss_parameter"});
        row("unsigned request objects", 9, {"request_object_none"});
        row("codes never expire", 10, {"code_expired"});
    }

    void eachWeaknessFailsItsOwnProbes()
    {
        QFETCH(int, flag);
        QFETCH(QStringList, failing);
        SandboxWeaknesses weak;
        bool *flags[] = {&weak.reusableCodes,
                         &weak.ignoresTokenRedirectUri,
                         &weak.ignoresCodeVerifier,
                         &weak.pkceOptional,
                         &weak.acceptsPlainPkce,
                         &weak.lenientRedirectUris,
                         &weak.redirectsUnknownClients,
                         &weak.refreshReuse,
                         &weak.omitsIssuer,
                         &weak.unsignedRequestObjects,
                         &weak.codesNeverExpire};
        *flags[flag] = true;
        QCOMPARE(weak.names().size(), 1);
        const Outcome outcome = probe(weak);
        QStringList failed;
        for (const QString &id : allIds()) {
            const QString verdict = verdictOf(outcome.report, id);
            if (verdict == QLatin1String("failed"))
                failed << id;
            else
                QVERIFY2(verdict == QLatin1String("passed"),
                         qPrintable(id + ": " + describe(outcome.report)));
        }
        QCOMPARE(failed, failing);
    }

    void aFailureSaysWhatTheServerAccepted()
    {
        const Outcome outcome = probe(SandboxWeaknesses::all(), false,
                                      {"code_reuse", "redirect_other_path", "code_expired"});
        const ProbeReport &report = outcome.report;
        QCOMPARE(report.result("code_reuse")->summary,
                 QStringLiteral("Issued tokens a second time for the same code"));
        QVERIFY(report.result("redirect_other_path")->summary.contains("/callback-probe"));
        QVERIFY(report.result("code_expired")->summary.startsWith("Accepted a code 60"));
        // Each result carries its exchanges: the sign-in, the callback, the token requests.
        const QList<HttpExchange> &evidence = report.result("code_reuse")->evidence;
        QCOMPARE(evidence.size(), 4);
        QCOMPARE(evidence.at(0).kind, HttpExchange::Kind::BrowserNavigation);
        QCOMPARE(evidence.at(1).kind, HttpExchange::Kind::LoopbackCallback);
        QCOMPARE(evidence.at(3).status, 200);
    }

    void aConfidentialClientSkipsThePublicClientProbe()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        const ProbePlan plan = ProbePlan::make({}, sandbox.clientConfig(true));
        QCOMPARE(plan.skipped.size(), 1);
        QCOMPARE(plan.skipped.first().first.id, QStringLiteral("pkce_absent_public"));
        QVERIFY(plan.skipped.first().second.contains("client_secret_basic"));
        const QString text = plan.toText(sandbox.clientConfig(true));
        QVERIFY(text.contains(QStringLiteral("13 probes, at most %1 requests to the server and "
                                             "%2 browser sign-ins")
                                  .arg(plan.maxRequests())
                                  .arg(plan.maxSignIns())));
        QVERIFY(text.contains("keeps its code 600 s"));
        QVERIFY(text.contains("Not applicable: Public client without PKCE"));
    }

    void aDpopClientMayDoubleItsRequests()
    {
        ClientConfig config;
        const int plain = ProbePlan::make({}, config).maxRequests();
        config.useDpop = true;
        const ProbePlan plan = ProbePlan::make({}, config);
        QCOMPARE(plan.maxRequests(), 2 * plain);
        QVERIFY(plan.toText(config).contains("a request may go twice"));
    }

    void aParClientSkipsThePlainFrontChannelProbes()
    {
        ClientConfig config;
        config.authMethod = ClientAuthMethod::None;
        config.usePar = true;
        const ProbePlan plan = ProbePlan::make({}, config);
        QCOMPARE(plan.skipped.size(), 7);
        for (const auto &[probe, why] : plan.skipped)
            QVERIFY2(why.contains("(PAR)"), qPrintable(probe.id));
        QCOMPARE(plan.probes.first().id, QStringLiteral("code_reuse"));
    }

    void unknownProbeIdsAreNamed()
    {
        const ProbePlan plan = ProbePlan::make({"code_reuse", "no_such_probe"}, ClientConfig{});
        QCOMPARE(plan.unknownIds, QStringList{"no_such_probe"});
        QCOMPARE(plan.probes.size(), 1);
    }

    void noSecretInTheReport()
    {
        const Outcome outcome = probe(SandboxWeaknesses::all(), true);
        const ProbeReport &report = outcome.report;
        QList<HttpExchange> evidence;
        for (const ProbeResult &result : report.results())
            evidence << result.evidence;
        QSet<QByteArray> secrets = Redaction::secretsIn(evidence);
        secrets.insert(SandboxProvider::kConfidentialSecret);
        QVERIFY(secrets.size() > 20); // codes, verifiers, access, refresh and ID tokens
        const QByteArray text = report.toText(true).toUtf8();
        const QByteArray json = QJsonDocument(report.toJson()).toJson();
        QVERIFY(json.contains("REDACTED:"));
        QVERIFY(json.contains("\"verdict\":\"failed\"") ||
                json.contains("\"verdict\": \"failed\""));
        for (const QByteArray &secret : std::as_const(secrets)) {
            QVERIFY2(!text.contains(secret), secret.constData());
            QVERIFY2(!json.contains(secret), secret.constData());
        }
    }

    // A request to the listener with another state while a sign-in is awaited (another tab's
    // answer, or a forged one) is kept as evidence but does not end the sign-in.
    void anotherStateOnTheListenerIsNotTheSignIn()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ExchangeClient client;
        ServerProbe probe(&client);
        connect(&probe, &ServerProbe::signInNeeded, &probe,
                [&probe](const QString &, const QUrl &url) {
                    QTimer::singleShot(0, &probe, [&probe, url] {
                        QNetworkAccessManager network;
                        QUrl forged = probe.redirectUri();
                        forged.setQuery(QStringLiteral("code=forged-code&state=not-this-one"));
                        sandboxbrowser::fetch(network, forged);
                        sandboxbrowser::signIn(url);
                    });
                });
        QSignalSpy finished(&probe, &ServerProbe::finished);
        const ClientConfig config = sandbox.clientConfig();
        QString error;
        QVERIFY(probe.start(config, ProbePlan::make({"code_reuse", "iss_parameter"}, config), {},
                            &error));
        QVERIFY(finished.wait(20000));
        // The iss probe reads the real answer, not the forged one (which had no iss).
        QCOMPARE(probe.report().result("iss_parameter")->verdict, ProbeVerdict::Passed);
        const ProbeResult *result = probe.report().result("code_reuse");
        QCOMPARE(result->verdict, ProbeVerdict::Passed);
        QVERIFY(result->evidence.at(1).request.url.toString().contains("state=not-this-one"));
        QVERIFY(!result->evidence.at(2).request.url.toString().contains("state=not-this-one"));
    }

    void aRunWaitsWhileTheServerIsProbed()
    {
        RunSession session;
        QString error;
        SandboxProvider *sandbox = session.startSandbox(&error);
        QVERIFY(sandbox);
        const ClientConfig config = sandbox->clientConfig();
        QVERIFY(session.probe(config, ProbePlan::make({"code_reuse"}, config), {}, &error));
        QSignalSpy finished(&session, &RunSession::finished);
        QVERIFY(!session.start(config));
        QCOMPARE(finished.size(), 1);
        QVERIFY(finished.first().first().value<FlowOutcome>().summary.contains("probe"));
        session.prober()->cancel();
    }

    void thePersonSaysTheServerRefused()
    {
        const Outcome outcome =
            probe(SandboxWeaknesses::all(), false, {"redirect_other_path"}, true);
        const ProbeResult *result = outcome.report.result("redirect_other_path");
        QCOMPARE(result->verdict, ProbeVerdict::Passed);
        QVERIFY(result->summary.contains("the person reported"));
    }

    void cancellingEndsTheRun()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ExchangeClient client;
        ServerProbe probe(&client);
        QSignalSpy finished(&probe, &ServerProbe::finished);
        connect(&probe, &ServerProbe::signInNeeded, &probe,
                [&probe] { QTimer::singleShot(0, &probe, [&probe] { probe.cancel(); }); });
        const ClientConfig config = sandbox.clientConfig();
        QString error;
        QVERIFY(probe.start(config, ProbePlan::make({}, config), {}, &error));
        QVERIFY(finished.wait(10000));
        const ProbeReport report = finished.first().first().value<ProbeReport>();
        QVERIFY(report.cancelled());
        QCOMPARE(report.results().size(), 1);
        QCOMPARE(report.results().first().verdict, ProbeVerdict::Inconclusive);
        QVERIFY(!probe.isRunning());
        QVERIFY(report.summary().endsWith("(cancelled)"));
    }

    void aMissingEndpointStopsItBeforeAnythingIsSent()
    {
        ExchangeClient client;
        ServerProbe probe(&client);
        ClientConfig config;
        config.clientId = QStringLiteral("x");
        QString error;
        QVERIFY(!probe.start(config, ProbePlan::make({}, config), {}, &error));
        QVERIFY(error.contains("the authorization endpoint"));
        QVERIFY(error.contains("the token endpoint"));
    }
};

QTEST_GUILESS_MAIN(TestServerProbe)
#include "tst_serverprobe.moc"
