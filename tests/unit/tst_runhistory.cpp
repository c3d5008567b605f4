#include "core/diagnosis/Diagnoser.h"
#include "core/export/Redaction.h"
#include "core/storage/RunHistory.h"

#include "FileScan.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

namespace {

HttpExchange callback()
{
    HttpExchange e;
    e.kind = HttpExchange::Kind::LoopbackCallback;
    e.label = QStringLiteral("redirect");
    e.request.url = QUrl(QStringLiteral("http://127.0.0.1:5000/callback?code=theCODE123&state=st"));
    e.wireRequest = "GET /callback?code=theCODE123&state=st HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    e.startedAt =
        QDateTime::fromString(QStringLiteral("2026-11-23T07:00:00.125Z"), Qt::ISODateWithMs);
    return e;
}

HttpExchange tokenExchange()
{
    HttpExchange e;
    e.label = QStringLiteral("token");
    e.request.method = "POST";
    e.request.url = QUrl(QStringLiteral("https://id.example/token"));
    e.request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                         {"Authorization", "Basic Y2xpZW50OnMzY3IzdC1zZWNyZXQ="}};
    e.request.body = "grant_type=authorization_code&code=theCODE123&code_verifier=VERIFIER-xyz-"
                     "0123456789012345678901234567890123&client_secret=s3cr3t-secret";
    e.startedAt =
        QDateTime::fromString(QStringLiteral("2026-11-23T07:00:01.000Z"), Qt::ISODateWithMs);
    e.elapsedMs = 12;
    e.status = 200;
    e.reasonPhrase = "OK";
    e.responseHeaders = {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
    e.responseBody = "{\"access_token\":\"AT-very-secret-token-value\",\"token_type\":\"Bearer\","
                     "\"refresh_token\":\"RT-very-secret-refresh\",\"expires_in\":3600}";
    return e;
}

RunRecord sampleRun(const QDateTime &at)
{
    RunRecord run;
    run.id = RunHistory::newId(at);
    run.startedAt = at;
    run.profile = QStringLiteral("Staging");
    run.grant = QStringLiteral("authorization_code");
    run.result = QStringLiteral("succeeded");
    run.summary = QStringLiteral("Tokens received.");
    run.exchanges = {callback(), tokenExchange()};
    return run;
}

} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT
private slots:
    // A run comes back after a "restart" (a new RunHistory on the same folder), redacted: every
    // secret is a marker with a short hash, the same value gives the same marker, and the rest
    // is byte for byte what was recorded.
    void runsComeBackRedacted()
    {
        QTemporaryDir dir;
        const QDateTime at = QDateTime::currentDateTimeUtc();
        RunRecord run = sampleRun(at);
        HttpExchange failed;
        failed.label = QStringLiteral("userinfo");
        failed.request.url = QUrl(QStringLiteral("https://id.example/userinfo"));
        failed.transport = HttpExchange::Transport::Tls;
        failed.networkError = QStringLiteral("The TLS handshake failed");
        failed.tlsErrors = {QStringLiteral("self-signed certificate")};
        failed.responseBody = QByteArray("\xff\x00\x01binary", 9);
        run.exchanges << failed;
        QVERIFY(RunHistory(dir.path()).save(run));

        const RunHistory history(dir.path());
        const QList<RunRecord> runs = history.list();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().id, run.id);
        QCOMPARE(runs.first().profile, QStringLiteral("Staging"));
        QCOMPARE(runs.first().summary, QStringLiteral("Tokens received."));
        QCOMPARE(runs.first().startedAt, at);
        QVERIFY(runs.first().exchanges.isEmpty()); // listing reads summaries only

        QString error;
        const auto loaded = history.load(run.id, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->exchanges.size(), 3);
        const QList<HttpExchange> expected = Redaction::redact(run.exchanges);
        for (int i = 0; i < 3; ++i) {
            const HttpExchange &a = loaded->exchanges.at(i);
            const HttpExchange &b = expected.at(i);
            QCOMPARE(a.kind, b.kind);
            QCOMPARE(a.label, b.label);
            QCOMPARE(a.request.method, b.request.method);
            QCOMPARE(a.request.url, b.request.url);
            QCOMPARE(a.request.headers, b.request.headers);
            QCOMPARE(a.request.body, b.request.body);
            QCOMPARE(a.wireRequest, b.wireRequest);
            QCOMPARE(a.startedAt, b.startedAt);
            QCOMPARE(a.status, b.status);
            QCOMPARE(a.responseHeaders, b.responseHeaders);
            QCOMPARE(a.responseBody, b.responseBody);
            QCOMPARE(a.transport, b.transport);
            QCOMPARE(a.networkError, b.networkError);
            QCOMPARE(a.tlsErrors, b.tlsErrors);
        }
        // The code on the callback and in the token request: one marker, so they still match.
        const QByteArray marker = Redaction::marker("theCODE123");
        QVERIFY(loaded->exchanges.at(0).request.url.toEncoded().contains(marker));
        QVERIFY(loaded->exchanges.at(1).request.body.contains("code=" + marker));

        // Not one secret anywhere on disk.
        for (const QByteArray &secret :
             {QByteArray("theCODE123"), QByteArray("s3cr3t-secret"), QByteArray("AT-very-secret"),
              QByteArray("RT-very-secret"), QByteArray("VERIFIER-xyz"),
              QByteArray("Y2xpZW50OnMzY3IzdC1zZWNyZXQ=")})
            QVERIFY2(filescan::filesContaining(dir.path(), secret).isEmpty(), secret.constData());
        QVERIFY(!filescan::filesContaining(dir.path(), "REDACTED:").isEmpty());
    }

    // Redacted runs still name servers, client ids, claims and timings: each file is the
    // owner's only (0600), in a folder that is too (0700).
    // A short secret that is also a word ("wrong") is taken out of what was sent, but not out
    // of the diagnosis's cause ids and entry names, which come from the knowledge base.
    void diagnosisNamesSurviveAShortSecret()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        RunRecord run = sampleRun(QDateTime::currentDateTimeUtc());
        HttpExchange &token = run.exchanges[1];
        token.request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        token.request.body = "grant_type=client_credentials&client_id=app&client_secret=wrong";
        token.status = 401;
        token.responseBody = "{\"error\":\"invalid_client\"}";
        run.exchanges = {token};
        const auto diagnosis = Diagnoser().diagnose(run.exchanges, 0);
        QVERIFY(diagnosis);
        QVERIFY(!diagnosis->causes.isEmpty());
        run.diagnoses = {diagnosis};
        QVERIFY(history.save(run));
        const auto loaded = history.load(run.id);
        QVERIFY(loaded && loaded->diagnoses.value(0));
        QCOMPARE(loaded->diagnoses.value(0)->entryId, diagnosis->entryId);
        for (qsizetype i = 0; i < diagnosis->causes.size(); ++i)
            QCOMPARE(loaded->diagnoses.value(0)->causes.at(i).id, diagnosis->causes.at(i).id);
        QVERIFY(loaded->exchanges.first().request.body.endsWith("client_secret=REDACTED:" +
                                                                Redaction::marker("wrong").mid(9)));
    }

    void filesAreTheOwnersOnly()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath("data/history");
        RunHistory history(folder);
        const RunRecord run = sampleRun(QDateTime::currentDateTimeUtc());
        QVERIFY(history.save(run));
        const QStringList files = QDir(folder).entryList(QDir::Files);
        QCOMPARE(files.size(), 1);
        const QFileInfo file(QDir(folder).filePath(files.first()));
        QCOMPARE(file.permissions() & 0x0FFF,
                 QFile::ReadUser | QFile::WriteUser); // 0600 (User: the bits after the owner's)
        QCOMPARE(QFileInfo(folder).permissions() & 0x0FFF,
                 QFile::ReadUser | QFile::WriteUser | QFile::ExeUser); // 0700
    }

    // On screen the same secrets are masked, not redacted: MASKED: with the same hash, in one
    // exchange (with the run's secrets) and in text shown beside it.
    void maskingUsesTheRunsSecrets()
    {
        const QList<HttpExchange> run{callback(), tokenExchange()};
        const QList<QByteArray> secrets = Redaction::inReplacementOrder(Redaction::secretsIn(run));
        const HttpExchange token =
            Redaction::redactWith(run.at(1), secrets, Redaction::Style::Masked);
        QVERIFY(token.request.body.contains(
            "code=" + Redaction::marker("theCODE123", Redaction::Style::Masked)));
        QVERIFY(!token.request.body.contains("s3cr3t"));
        QVERIFY(token.responseBody.contains("\"access_token\":\"MASKED:"));
        QCOMPARE(Redaction::marker("x-secret", Redaction::Style::Masked).mid(7),
                 Redaction::marker("x-secret").mid(9)); // same hash, other word
        const QString shown =
            Redaction::redactText(QStringLiteral("<p>token AT-very-secret-token-value here</p>"),
                                  secrets, Redaction::Style::Masked);
        QVERIFY(shown.startsWith("<p>token MASKED:"));
        QVERIFY(!shown.contains("AT-very"));
        // The unmasked exchange is untouched.
        QVERIFY(run.at(1).request.body.contains("theCODE123"));
    }

    // The request object a run sealed to the server is a credential like "request": among the
    // run's secrets (masked wherever it shows), and never written to history.
    void aSealedRequestObjectStaysInMemory()
    {
        QTemporaryDir dir;
        RunRecord run = sampleRun(QDateTime::currentDateTimeUtc());
        HttpExchange pushed;
        pushed.label = QStringLiteral("Pushed authorization request (PAR)");
        pushed.request.method = "POST";
        pushed.request.url = QUrl(QStringLiteral("https://id.example/par"));
        pushed.request.body = "client_id=c&request=eyJlbmMi.a.b.c.d";
        pushed.sealedRequestObject = "eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6InNlYWxlZC1zdGF0ZSJ9.";
        run.exchanges.prepend(pushed);
        QVERIFY(Redaction::secretsIn(run.exchanges).contains(pushed.sealedRequestObject));
        QVERIFY(RunHistory(dir.path()).save(run));
        const auto loaded = RunHistory(dir.path()).load(run.id);
        QVERIFY(loaded);
        QVERIFY(loaded->exchanges.first().sealedRequestObject.isEmpty());
        QVERIFY(
            filescan::filesContaining(dir.path(), "eyJzdGF0ZSI6InNlYWxlZC1zdGF0ZSJ9").isEmpty());
    }

    void newestFirstAndOnlyTheNewestKept()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        const QDateTime t0 =
            QDateTime::fromString(QStringLiteral("2026-01-01T00:00:00Z"), Qt::ISODate);
        QString firstId;
        for (int i = 0; i < RunHistory::kKeptRuns + 5; ++i) {
            RunRecord run = sampleRun(t0.addSecs(i));
            run.exchanges.clear();
            run.summary = QString::number(i);
            if (i == 0)
                firstId = run.id;
            QVERIFY(history.save(run));
        }
        const QList<RunRecord> runs = history.list();
        QCOMPARE(runs.size(), RunHistory::kKeptRuns);
        QCOMPARE(runs.first().summary, QString::number(RunHistory::kKeptRuns + 4));
        QCOMPARE(runs.last().summary, QStringLiteral("5"));
        QVERIFY(!history.load(firstId));
        // Saving a run again (new steps after the flow) rewrites it, no copy.
        RunRecord again = *history.load(runs.first().id);
        again.summary = QStringLiteral("with a refresh");
        again.exchanges << tokenExchange();
        QVERIFY(history.save(again));
        QCOMPARE(history.list().size(), RunHistory::kKeptRuns);
        QCOMPARE(history.load(again.id)->exchanges.size(), 1);
        QVERIFY(history.remove(again.id));
        QCOMPARE(history.list().size(), RunHistory::kKeptRuns - 1);
        history.clear();
        QVERIFY(history.list().isEmpty());
    }

    // Damaged files are reported and skipped; nothing else is lost. Ids cannot name other files.
    // The newest run of a profile that succeeded is what a failing run's diagnosis compares with.
    void lastSuccessOfAProfile()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        const QDateTime t0 = QDateTime::fromString("2026-11-23T07:00:00Z", Qt::ISODate);
        RunRecord older = sampleRun(t0);
        RunRecord newer = sampleRun(t0.addSecs(60));
        newer.exchanges.last().request.body = "grant_type=authorization_code&code=c2&redirect_uri="
                                              "http%3A%2F%2F127.0.0.1%3A8400%2Fcb";
        RunRecord failed = sampleRun(t0.addSecs(120));
        failed.result = "token_error_response";
        RunRecord otherProfile = sampleRun(t0.addSecs(180));
        otherProfile.profile = "Production";
        for (const RunRecord &run : {older, newer, failed, otherProfile})
            QVERIFY(history.save(run));
        const auto last = history.lastSuccess("Staging");
        QVERIFY(last.has_value());
        QCOMPARE(last->id, newer.id);
        QVERIFY(last->exchanges.last().request.body.contains("redirect_uri="));
        QVERIFY(!history.lastSuccess("Nobody").has_value());
    }

    void damagedFilesAreReportedNotFatal()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        const RunRecord good = sampleRun(QDateTime::currentDateTimeUtc());
        QVERIFY(history.save(good));
        auto write = [&](const QString &name, const QByteArray &content) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        };
        write("20260101T000000000-garbage1.jsonl", "<html>not json</html>");
        const QString cutId = QStringLiteral("20260101T000000001-cutshort");
        write(cutId + ".jsonl",
              "{\"id\":\"" + cutId.toLatin1() +
                  "\",\"started_at\":\"2026-01-01T00:00:00.001Z\"}\n[{\"kind\":0,");
        QStringList unreadable;
        const QList<RunRecord> runs = history.list(&unreadable);
        QCOMPARE(runs.size(), 2); // the good one and the one whose summary is intact
        QCOMPARE(unreadable, QStringList{"20260101T000000000-garbage1.jsonl"});
        QString error;
        QVERIFY(!history.load(cutId, &error));
        QVERIFY2(error.contains("damaged"), qPrintable(error));
        QVERIFY(history.load(good.id));
        QVERIFY(!history.load(QStringLiteral("../../etc/passwd"), &error));
        RunRecord evil = good;
        evil.id = QStringLiteral("../outside");
        QVERIFY(!history.save(evil));
        QVERIFY(!QFile::exists(dir.filePath("../outside.jsonl")));
    }

    void largeBodiesAreCutAndMarked()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        RunRecord run = sampleRun(QDateTime::currentDateTimeUtc());
        HttpExchange big = tokenExchange();
        big.responseBody = QByteArray(RunHistory::kMaxBodyBytes * 3, 'x');
        run.exchanges = {big};
        QVERIFY(history.save(run));
        const auto loaded = history.load(run.id);
        QVERIFY(loaded);
        QCOMPARE(loaded->exchanges.first().responseBody.size(), RunHistory::kMaxBodyBytes);
        QVERIFY(loaded->exchanges.first().responseBodyTruncated);
    }

    void unwritableFolderIsAnError()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("history"));
        QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the folder should be
        blocker.close();
        RunHistory history(dir.filePath("history"));
        QString error;
        QVERIFY(!history.save(sampleRun(QDateTime::currentDateTimeUtc()), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(history.list().isEmpty());
    }
};

QTEST_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
