#include "core/capture/CaptureReport.h"
#include "core/compare/StepRole.h"
#include "core/storage/RunHistory.h"

#include "FileScan.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(WORKBENCH_TEST_DATA "/capture/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

CaptureReport reportOf(const QByteArray &har)
{
    QString error;
    std::optional<CaptureImport> capture = HarImport::read(har, &error);
    if (!capture)
        qWarning() << error;
    return capture ? CaptureReport::of(std::move(*capture)) : CaptureReport();
}

// A HAR of one login, made here: the authorization request, the callback, the token request.
struct Login
{
    QString authorizeQuery = QStringLiteral(
        "response_type=code&client_id=web&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&state=S-1"
        "&nonce=N-1");
    QString callbackQuery = QStringLiteral("code=C-123456789&state=S-1");
    QList<QString> tokenBodies{QStringLiteral(
        "grant_type=authorization_code&code=C-123456789&redirect_uri=https%3A%2F%2Fapp.test%2Fcb")};
    QByteArray tokenAnswer = "{\"access_token\":\"AT-secret-999\",\"token_type\":\"Bearer\"}";
    QList<QJsonObject> before;

    QByteArray har() const
    {
        const auto entry = [](const QString &at, const QString &method, const QString &url,
                              const QJsonArray &headers, const QString &body, int status,
                              const QJsonArray &responseHeaders, const QByteArray &answer) {
            QJsonObject request{{"method", method}, {"url", url}, {"headers", headers}};
            if (!body.isEmpty())
                request.insert(
                    "postData",
                    QJsonObject{{"mimeType", "application/x-www-form-urlencoded"}, {"text", body}});
            return QJsonObject{
                {"startedDateTime", at},
                {"time", 20},
                {"request", request},
                {"response",
                 QJsonObject{{"status", status},
                             {"headers", responseHeaders},
                             {"content", QJsonObject{{"text", QString::fromUtf8(answer)}}}}}};
        };
        const QJsonArray none;
        QJsonArray entries;
        for (const QJsonObject &extra : before)
            entries.append(extra);
        entries.append(entry("2026-11-30T10:00:01.000Z", "GET",
                             "https://id.test/authorize?" + authorizeQuery, none, {}, 200, none,
                             "<html>sign in</html>"));
        entries.append(entry("2026-11-30T10:00:05.000Z", "GET",
                             "https://app.test/cb?" + callbackQuery, none, {}, 200, none, "ok"));
        int second = 6;
        for (const QString &body : tokenBodies)
            entries.append(
                entry(QStringLiteral("2026-11-30T10:00:%1.000Z").arg(second++, 2, 10, QChar('0')),
                      "POST", "https://id.test/token",
                      QJsonArray{QJsonObject{{"name", "Content-Type"},
                                             {"value", "application/x-www-form-urlencoded"}}},
                      body, 200, none, tokenAnswer));
        return QJsonDocument(
                   QJsonObject{{"log", QJsonObject{{"version", "1.2"}, {"entries", entries}}}})
            .toJson();
    }
};

QStringList idsOf(const QList<CaptureFinding> &findings)
{
    QStringList ids;
    for (const CaptureFinding &finding : findings)
        ids << finding.id;
    return ids;
}

} // namespace

class TestCapture : public QObject
{
    Q_OBJECT

private slots:
    void notAHarIsRefusedWithTheReason()
    {
        QString error;
        QVERIFY(!HarImport::looksLikeHar("HTTP/1.1 400 Bad Request\r\n\r\n{}"));
        QVERIFY(!HarImport::looksLikeHar("{\"error\":\"invalid_grant\"}"));
        QVERIFY(!HarImport::read("{\"log\": {\"entries\": [", &error));
        QVERIFY2(error.contains("JSON is broken"), qPrintable(error));
        QVERIFY(!HarImport::read("{\"log\": {}}", &error));
        QVERIFY2(error.contains("no log.entries"), qPrintable(error));
        const CaptureReport empty = reportOf("{\"log\":{\"entries\":[]}}");
        QVERIFY(empty.capture.run.exchanges.isEmpty());
        QVERIFY(empty.summary().startsWith("No OAuth or OpenID Connect exchange"));
    }

    // Chromium's DevTools export (HTTP/2 pseudo-headers, _resourceType, a favicon among the
    // entries): a single-page app whose token request sends another attempt's verifier.
    void chromiumExportOfAPkceMismatch()
    {
        const QByteArray har = fixture("chromium-spa-pkce-mismatch.har");
        QVERIFY(HarImport::looksLikeHar(har));
        const CaptureReport report = reportOf(har);
        QCOMPARE(report.capture.creator, QStringLiteral("WebInspector 537.36"));
        QCOMPARE(report.capture.entries, 5);
        const QList<HttpExchange> &steps = report.capture.run.exchanges;
        QCOMPARE(steps.size(), 3); // the app's page and the favicon are not OAuth
        QCOMPARE(StepRoles::of(steps.at(0)), StepRole::Authorization);
        QCOMPARE(StepRoles::of(steps.at(1)), StepRole::Callback);
        QCOMPARE(StepRoles::of(steps.at(2)), StepRole::Token);
        QCOMPARE(report.capture.entryOf, (QList<int>{1, 2, 3}));
        for (const HttpExchange &step : steps) {
            for (const auto &header : step.request.headers)
                QVERIFY(!header.first.startsWith(':'));
        }
        // The sanitized-looking export is named: no cookie, no Authorization header.
        QCOMPARE(report.capture.notes.size(), 1);
        QVERIFY(report.capture.notes.first().contains("sanitized export"));

        QCOMPARE(idsOf(report.findings), QStringList{"pkce_mismatch"});
        QCOMPARE(report.findings.first().step, 2);
        QVERIFY(!report.diagnoses.at(0)); // a 302 with the code is no error
        QVERIFY(report.diagnoses.at(2));
        QCOMPARE(report.diagnoses.at(2)->code, QStringLiteral("invalid_grant"));
        QCOMPARE(report.diagnoses.at(2)->causes.first().id, QStringLiteral("pkce_mismatch"));
        QCOMPARE(report.outcome(), QStringLiteral("capture_problem"));

        const QByteArray text = report.toText().toUtf8();
        const QByteArray json = QJsonDocument(report.toJson()).toJson();
        for (const QByteArray &secret :
             {QByteArray("SplxlOBeZQQYbYS6WxSbIA"),
              QByteArray("a-verifier-of-another-login-attempt-0123456789abcd")}) {
            QVERIFY2(!text.contains(secret), secret.constData());
            QVERIFY2(!json.contains(secret), secret.constData());
        }
        QVERIFY(json.contains("code=MASKED:")); // the callback's URL, masked
    }

    // Firefox's export (form bodies as params, lowercase headers): a server-side app using
    // form_post loses its correlation cookie on the cross-site POST back, then an API call
    // goes out with an expired token.
    void firefoxExportOfALostCookieAndAnExpiredToken()
    {
        const CaptureReport report = reportOf(fixture("firefox-form-post-cookie-lost.har"));
        QCOMPARE(report.capture.creator, QStringLiteral("Firefox 133.0"));
        const QList<HttpExchange> &steps = report.capture.run.exchanges;
        QCOMPARE(steps.size(), 4);
        QCOMPARE(StepRoles::of(steps.at(0)), StepRole::LoginRedirect);
        QCOMPARE(StepRoles::of(steps.at(2)), StepRole::Callback);
        QCOMPARE(steps.at(2).request.body,
                 QByteArray("code=A1b2C3d4E5-code&state=CfDJ8Nq-state-42"));
        QCOMPARE(StepRoles::of(steps.at(3)), StepRole::Resource);
        QVERIFY(report.capture.notes.isEmpty());
        QCOMPARE(idsOf(report.findings), (QStringList{"cookie_dropped", "client_callback_failed",
                                                      "token_expired_before_use"}));
        QVERIFY(report.findings.at(0).detail.contains("cross-site POST"));
        QVERIFY(report.findings.at(1).detail.contains("Correlation failed"));
        QVERIFY(report.findings.at(2).detail.contains("90 s late"));
        // The form_post page the authorization endpoint answers with is no error.
        QVERIFY(!report.diagnoses.at(1));
        QCOMPARE(report.diagnoses.at(3)->code, QStringLiteral("invalid_token"));
        QCOMPARE(report.diagnoses.at(3)->causes.first().id, QStringLiteral("token_expired"));
        const QByteArray text = report.toText().toUtf8();
        QVERIFY(!text.contains("A1b2C3d4E5-code"));
    }

    void aWorkingLoginHasNoFindings()
    {
        const CaptureReport report = reportOf(Login().har());
        QCOMPARE(report.capture.run.exchanges.size(), 3);
        QVERIFY2(report.findings.isEmpty(), qPrintable(report.toText()));
        QCOMPARE(report.outcome(), QStringLiteral("succeeded"));
    }

    void stateThatDoesNotComeBackIsFound()
    {
        Login login;
        login.callbackQuery = QStringLiteral("code=C-123456789&state=S-2");
        QCOMPARE(idsOf(reportOf(login.har()).findings), QStringList{"state_mismatch"});
        // Without a state the callback is still found: it came to the redirect URI sent.
        login.callbackQuery = QStringLiteral("code=C-123456789");
        const CaptureReport report = reportOf(login.har());
        QCOMPARE(report.capture.run.exchanges.at(1).kind, HttpExchange::Kind::LoopbackCallback);
        QCOMPARE(idsOf(report.findings), QStringList{"state_missing"});
    }

    void redirectUriAndCodeReuseAreFound()
    {
        Login login;
        login.tokenBodies = {QStringLiteral("grant_type=authorization_code&code=C-123456789&"
                                            "redirect_uri=https%3A%2F%2Fapp.test%2Fcb%2F"),
                             QStringLiteral("grant_type=authorization_code&code=C-123456789&"
                                            "redirect_uri=https%3A%2F%2Fapp.test%2Fcb")};
        const CaptureReport report = reportOf(login.har());
        QCOMPARE(idsOf(report.findings), (QStringList{"redirect_uri_differs", "code_reused"}));
        QVERIFY(report.findings.first().detail.contains("https://app.test/cb/"));
    }

    void nonceOfTheIdTokenIsChecked()
    {
        const auto part = [](const QJsonObject &object) {
            return QJsonDocument(object)
                .toJson(QJsonDocument::Compact)
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        Login login;
        login.tokenAnswer = "{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"id_token\":\"" +
                            part({{"alg", "RS256"}}) + '.' + part({{"nonce", "N-other"}}) +
                            ".c2ln\"}";
        QCOMPARE(idsOf(reportOf(login.har()).findings), QStringList{"nonce_mismatch"});
    }

    // The client's state cookie, SameSite=Strict, is not sent on the way back from the login.
    void strictCookieLostOnTheWayBack()
    {
        Login login;
        login.before << QJsonObject{
            {"startedDateTime", "2026-11-30T10:00:00.000Z"},
            {"request", QJsonObject{{"method", "GET"}, {"url", "https://app.test/signin"}}},
            {"response",
             QJsonObject{
                 {"status", 302},
                 {"headers",
                  QJsonArray{QJsonObject{{"name", "Set-Cookie"},
                                         {"value", "st=S-1; Path=/; Secure; "
                                                   "SameSite=Strict"}},
                             QJsonObject{{"name", "Location"},
                                         {"value", "https://id.test/authorize?"
                                                   "response_type=code&client_id=web"}}}}}}};
        const CaptureReport report = reportOf(login.har());
        QCOMPARE(idsOf(report.findings), QStringList{"cookie_dropped"});
        QVERIFY(report.findings.first().detail.contains("SameSite=Strict"));
        QVERIFY(!report.toText().contains("st=S-1"));
    }

    // Saved to the history, the capture keeps no secret: the code, the token, the cookie.
    void keptInTheHistoryRedacted()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        const CaptureReport report = reportOf(fixture("firefox-form-post-cookie-lost.har"));
        const RunRecord run = report.record();
        QCOMPARE(run.grant, QStringLiteral("capture"));
        QCOMPARE(run.result, QStringLiteral("capture_problem"));
        QVERIFY(run.summary.contains("cookie"));
        QVERIFY(history.save(run));
        for (const QByteArray &secret :
             {QByteArray("A1b2C3d4E5-code"), QByteArray(".AspNetCore.Correlation.x1=N"),
              QByteArray("eyJhbGciOiAiUlMyNTYi")})
            QVERIFY2(filescan::filesContaining(dir.path(), secret).isEmpty(), secret.constData());
        QCOMPARE(history.load(run.id)->exchanges.size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
