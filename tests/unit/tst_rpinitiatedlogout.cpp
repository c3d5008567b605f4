// RP-initiated logout against the built-in sandbox's end-session endpoint, with a scripted
// browser: the request the app builds, the return on its own loopback listener with the state
// checked, a forged return refused, and a browser that never comes back diagnosed, the likeliest
// cause first by what the request carried. (tests/e2e/tst_e2e_logout drives real Chromium
// against the real provider.)
#include "core/diagnosis/Diagnoser.h"
#include "core/export/Redaction.h"
#include "core/flows/RpInitiatedLogout.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"
#include "core/util/FormEncoding.h"

#include "SandboxBrowser.h"

#include <QSignalSpy>
#include <QTest>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)

namespace {
using Page = sandboxbrowser::Page;

// The browser at the end-session URL: the sandbox's answer, and where its redirect led.
Page followLogout(const QUrl &url, Page *provider = nullptr)
{
    QNetworkAccessManager network;
    const Page first = sandboxbrowser::fetch(network, url);
    if (provider)
        *provider = first;
    if (first.status != 302)
        return first;
    return sandboxbrowser::fetch(network, QUrl(QString::fromUtf8(first.location)));
}

RpInitiatedLogout::Outcome outcomeOf(QSignalSpy &finished, int waitMs = 10000)
{
    if (finished.isEmpty() && !finished.wait(waitMs))
        return {RpInitiatedLogout::Outcome::Result::Cancelled, "no outcome in time", {}};
    return finished.last().first().value<RpInitiatedLogout::Outcome>();
}

QString firstCause(const QList<HttpExchange> &run, const DiagnosisHints &hints = {})
{
    const auto diagnosis = Diagnoser().diagnose(run, run.size() - 1, hints);
    if (!diagnosis || diagnosis->causes.isEmpty())
        return QStringLiteral("(none)");
    return diagnosis->causes.first().id;
}
} // namespace

class TestRpInitiatedLogout : public QObject
{
    Q_OBJECT

    std::unique_ptr<RunSession> m_session;
    SandboxProvider *m_sandbox = nullptr;

    // A code flow run in the sandbox: the session then holds its tokens, the ID token among them.
    void signIn(const ClientConfig &config)
    {
        QSignalSpy finished(m_session.get(), &RunSession::finished);
        QSignalSpy urlReady(m_session.get(), &RunSession::authorizationUrlReady);
        QVERIFY(m_session->start(config));
        QVERIFY(!urlReady.isEmpty() || urlReady.wait(5000));
        sandboxbrowser::signIn(urlReady.first().first().toUrl());
        QVERIFY(!finished.isEmpty() || finished.wait(10000));
        QVERIFY2(finished.last().first().value<FlowOutcome>().succeeded(),
                 qPrintable(finished.last().first().value<FlowOutcome>().summary));
        QVERIFY(!m_session->actions()->tokens().idToken.isEmpty());
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<RpInitiatedLogout::Outcome>();
    }

    void init()
    {
        m_session = std::make_unique<RunSession>();
        QString problem;
        m_sandbox = m_session->startSandbox(&problem);
        QVERIFY2(m_sandbox, qPrintable(problem));
    }

    void cleanup() { m_session.reset(); }

    // The whole sign-out: the request carries the ID token, the client, a return URI on the
    // app's listener and a fresh state; the sandbox sends the browser back with that state; the
    // browser sees the app's page; both steps join the run.
    void signsOutAndComesBackWithTheState()
    {
        ClientConfig config = m_sandbox->clientConfig(false);
        signIn(config);
        const qsizetype before = m_session->record().exchanges.size();
        QSignalSpy urlReady(m_session.get(), &RunSession::logoutUrlReady);
        QSignalSpy finished(m_session.get(), &RunSession::logoutFinished);
        QString error;
        QVERIFY2(m_session->logout(config, &error), qPrintable(error));
        QCOMPARE(urlReady.size(), 1);
        const QUrl url = urlReady.first().first().toUrl();
        const RpInitiatedLogout *logout = m_session->logoutFlow();
        QCOMPARE(url.path(), QStringLiteral("/logout"));
        const FormFields sent = FormEncoding::queryOf(url);
        QCOMPARE(FormEncoding::value(sent, "id_token_hint").toUtf8(),
                 m_session->actions()->tokens().idToken);
        QCOMPARE(FormEncoding::value(sent, "client_id"), config.clientId);
        QCOMPARE(FormEncoding::value(sent, "state").toLatin1(), logout->state());
        QVERIFY(logout->state().size() >= 24);
        const QUrl returnUri(FormEncoding::value(sent, "post_logout_redirect_uri"));
        QCOMPARE(returnUri, logout->returnUri());
        QCOMPARE(returnUri.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(returnUri.path(), QStringLiteral("/logged-out"));
        QVERIFY(returnUri.port() > 0);

        const Page page = followLogout(url);
        QCOMPARE(page.status, 200);
        QVERIFY2(page.body.contains("data-workbench-page=\"ok\""), page.body.constData());
        QVERIFY(page.body.contains("Signed out at the provider"));
        const RpInitiatedLogout::Outcome outcome = outcomeOf(finished);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary));
        QVERIFY(!logout->isRunning());

        const QList<HttpExchange> &run = m_session->record().exchanges;
        QCOMPARE(run.size(), before + 2);
        QCOMPARE(run.at(before).label, RpInitiatedLogout::requestLabel());
        QCOMPARE(run.at(before).kind, HttpExchange::Kind::BrowserNavigation);
        QCOMPARE(run.at(before + 1).label, RpInitiatedLogout::returnLabel());
        QCOMPARE(FormEncoding::value(FormEncoding::queryOf(run.at(before + 1).request.url), "state")
                     .toLatin1(),
                 logout->state());
        QVERIFY(!Diagnoser().diagnose(run, run.size() - 1).has_value());
        // The history keeps the run redacted: the ID token sent as id_token_hint is masked too.
        const QList<HttpExchange> redacted = Redaction::redact(run.mid(before));
        QVERIFY(!redacted.first()
                     .request.url.toString(QUrl::FullyEncoded)
                     .contains(QString::fromLatin1(m_session->actions()->tokens().idToken)));
        QVERIFY(redacted.first().request.url.toString().contains("id_token_hint=REDACTED:"));
    }

    // Anything else on the return URI (another state, none) is refused and the wait goes on;
    // if only such requests came, the sign-out ends as a failed state check, not as success.
    void refusesAReturnWithAnotherState()
    {
        ClientConfig config = m_sandbox->clientConfig(false);
        signIn(config);
        config.redirectWaitSeconds = 2;
        QSignalSpy finished(m_session.get(), &RunSession::logoutFinished);
        QString error;
        QVERIFY2(m_session->logout(config, &error), qPrintable(error));
        QNetworkAccessManager network;
        QUrl forged = m_session->logoutFlow()->returnUri();
        forged.setQuery("state=forged");
        const Page refused = sandboxbrowser::fetch(network, forged);
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.body.contains("keeps waiting for the real return"));
        QVERIFY(m_session->logoutFlow()->isRunning());
        const Page none = sandboxbrowser::fetch(network, m_session->logoutFlow()->returnUri());
        QCOMPARE(none.status, 400);
        const RpInitiatedLogout::Outcome outcome = outcomeOf(finished, 6000);
        QCOMPARE(outcome.result, RpInitiatedLogout::Outcome::Result::StateCheckFailed);
        QVERIFY2(outcome.summary.contains("2 request(s)"), qPrintable(outcome.summary));
    }

    // The sandbox refuses a return URI its clients did not register and shows its own page: the
    // app hears nothing, and the wait's end is diagnosed with the unregistered URI first.
    void unregisteredReturnIsDiagnosedFirst()
    {
        ClientConfig config = m_sandbox->clientConfig(false);
        signIn(config);
        config.postLogoutRedirectUri = QUrl("http://127.0.0.1/signed-out-elsewhere");
        config.redirectWaitSeconds = 1;
        QSignalSpy urlReady(m_session.get(), &RunSession::logoutUrlReady);
        QSignalSpy finished(m_session.get(), &RunSession::logoutFinished);
        QString error;
        QVERIFY2(m_session->logout(config, &error), qPrintable(error));
        Page provider;
        followLogout(urlReady.first().first().toUrl(), &provider);
        QCOMPARE(provider.status, 400);
        QVERIFY(provider.body.contains("post_logout_redirect_uri not registered"));
        const RpInitiatedLogout::Outcome outcome = outcomeOf(finished, 6000);
        QCOMPARE(outcome.result, RpInitiatedLogout::Outcome::Result::TimedOut);
        const QList<HttpExchange> &run = m_session->record().exchanges;
        QCOMPARE(run.last().label, RpInitiatedLogout::noReturnLabel());
        const auto diagnosis = Diagnoser().diagnose(run, run.size() - 1);
        QVERIFY(diagnosis);
        QCOMPARE(diagnosis->entryId, QStringLiteral("logout.no_return"));
        QCOMPARE(firstCause(run), QStringLiteral("post_logout_uri_unregistered"));
    }

    // Without an ID token the request names the client by client_id only; the sandbox then
    // signs out without sending the browser back, and the missing hint is the first cause.
    void missingHintIsTheFirstCauseWhenNoneWasSent()
    {
        ClientConfig config = m_sandbox->clientConfig(false);
        config.redirectWaitSeconds = 1;
        TokenSet tokens;
        tokens.accessToken = "an-access-token-without-an-id-token";
        QString error;
        QVERIFY2(m_session->resume(config, tokens, {}, {}, &error), qPrintable(error));
        config.clientId = QStringLiteral("not-a-sandbox-client");
        QSignalSpy urlReady(m_session.get(), &RunSession::logoutUrlReady);
        QSignalSpy finished(m_session.get(), &RunSession::logoutFinished);
        QVERIFY2(m_session->logout(config, &error), qPrintable(error));
        const QUrl url = urlReady.first().first().toUrl();
        QVERIFY(!FormEncoding::contains(FormEncoding::queryOf(url), "id_token_hint"));
        Page provider;
        followLogout(url, &provider);
        QCOMPARE(provider.status, 200);
        QVERIFY(provider.body.contains("does not send you back"));
        QCOMPARE(outcomeOf(finished, 6000).result, RpInitiatedLogout::Outcome::Result::TimedOut);
        QCOMPARE(firstCause(m_session->record().exchanges), QStringLiteral("logout_hint_missing"));
    }

    // The sandbox's end-session endpoint checks what a provider checks: an ID token it did not
    // issue, or a client_id that contradicts the hint, gets a page of its own.
    void sandboxRefusesAForeignHint()
    {
        QNetworkAccessManager network;
        const auto header =
            QByteArray(R"({"alg":"RS256"})")
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const auto claims = [](const QByteArray &iss) {
            return QByteArray(R"({"iss":")" + iss + R"(","aud":"sandbox-public","sub":"demo"})")
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        QUrl url = m_sandbox->clientConfig(false).endSessionEndpoint;
        url.setQuery("id_token_hint=" + header + "." + claims("https://other.example") +
                     ".c2ln&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Flogged-out");
        Page page = sandboxbrowser::fetch(network, url);
        QCOMPARE(page.status, 400);
        QVERIFY(page.body.contains("id_token_hint not accepted"));
        url.setQuery(
            "id_token_hint=" + header + "." + claims(m_sandbox->issuer().toUtf8()) +
            ".c2ln&client_id=sandbox-confidential&post_logout_redirect_uri=http%3A%2F%2F127."
            "0.0.1%3A9%2Flogged-out&state=s1");
        page = sandboxbrowser::fetch(network, url);
        QCOMPARE(page.status, 400);
        QVERIFY(page.body.contains("client_id does not match"));
        url.setQuery(
            "id_token_hint=" + header + "." + claims(m_sandbox->issuer().toUtf8()) +
            ".c2ln&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Flogged-out&state=s1");
        page = sandboxbrowser::fetch(network, url);
        QCOMPARE(page.status, 302);
        QCOMPARE(page.location, QByteArray("http://127.0.0.1:9/logged-out?state=s1"));
        // A return URI with user info, or another path, is not the registered one.
        for (const QByteArray &unregistered :
             {QByteArray("http%3A%2F%2Fme%40127.0.0.1%3A9%2Flogged-out"),
              QByteArray("http%3A%2F%2F127.0.0.1%3A9%2Fcallback")}) {
            url.setQuery("id_token_hint=" + header + "." + claims(m_sandbox->issuer().toUtf8()) +
                         ".c2ln&post_logout_redirect_uri=" + unregistered);
            page = sandboxbrowser::fetch(network, url);
            QCOMPARE(page.status, 400);
            QVERIFY(page.body.contains("post_logout_redirect_uri not registered"));
        }
    }

    // No end-session endpoint (or one that is not a URL): the reason, before anything starts.
    void cannotStartWithoutAnEndpoint()
    {
        ClientConfig config = m_sandbox->clientConfig(false);
        config.endSessionEndpoint = QUrl();
        QVERIFY(RpInitiatedLogout::unavailableReason(config).contains("end_session_endpoint"));
        QSignalSpy urlReady(m_session.get(), &RunSession::logoutUrlReady);
        QString error;
        QVERIFY(!m_session->logout(config, &error));
        QVERIFY(error.contains("No end-session endpoint"));
        config.endSessionEndpoint = QUrl("ftp://id.example/logout");
        QVERIFY(RpInitiatedLogout::unavailableReason(config).contains("not an http(s) URL"));
        config = m_sandbox->clientConfig(false);
        config.postLogoutRedirectUri = QUrl("https://app.example/logged-out");
        QVERIFY(!RpInitiatedLogout::unavailableReason(config).isEmpty());
        QVERIFY(urlReady.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRpInitiatedLogout)
#include "tst_rpinitiatedlogout.moc"
