// Secrets that travel only in a request body (client_secret_post, a client_secret_jwt
// assertion, the password grant's password, a refresh token) never leave the app in clear: not
// in the results pane while masked, not in a HAR or curl export, not in the history on disk, not
// in the logs. The literal values are written here, not taken from the redaction code, so that a
// secret name missing from Redaction::secretNames() fails this test.
#include "core/export/ExchangeExport.h"
#include "core/storage/RunHistory.h"
#include "core/util/BackgroundWork.h"
#include "ui/results/ResultsPane.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

namespace {
QStringList g_log;
void collect(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log << message;
}

// A token request as the app sends it, with `body` form-encoded, and a refusal.
HttpExchange tokenRequest(const QByteArray &body)
{
    HttpExchange e;
    e.label = QStringLiteral("Token request");
    e.request.method = "POST";
    e.request.url = QUrl(QStringLiteral("https://id.example/token"));
    e.request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    e.request.body = body;
    e.startedAt = QDateTime::currentDateTimeUtc();
    e.elapsedMs = 20;
    e.status = 400;
    e.reasonPhrase = "Bad Request";
    e.responseHeaders = {{"Content-Type", "application/json"}};
    e.responseBody = R"({"error":"invalid_grant","error_description":"refused"})";
    return e;
}
} // namespace

class TestSecretsInTheBody : public QObject
{
    Q_OBJECT

private slots:
    void neverLeaveInClear_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("client_secret_post")
            << QByteArray("grant_type=client_credentials&client_id=svc&client_secret="
                          "Post-Only-S3cret-7f2a")
            << QByteArray("Post-Only-S3cret-7f2a");
        QTest::newRow("client_secret_jwt assertion")
            << QByteArray("grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams"
                          "%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="
                          "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJzdmMifQ.Hmac-Sig-9c1e")
            << QByteArray("eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJzdmMifQ.Hmac-Sig-9c1e");
        QTest::newRow("password grant")
            << QByteArray("grant_type=password&username=alice&password=Wonderland-Pw-42&client_"
                          "id=app")
            << QByteArray("Wonderland-Pw-42");
        QTest::newRow("refresh token in the body")
            << QByteArray("grant_type=refresh_token&refresh_token=RT-in-body-5b8d3e&client_id=app")
            << QByteArray("RT-in-body-5b8d3e");
    }
    void neverLeaveInClear()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, secret);
        const QList<HttpExchange> run{tokenRequest(body)};
        g_log.clear();
        const QtMessageHandler previous = qInstallMessageHandler(collect);
        const auto restore = qScopeGuard([previous] { qInstallMessageHandler(previous); });
        QLoggingCategory::setFilterRules(QStringLiteral("workbench.*=true"));

        // The results pane, masked (as it starts): every text it shows.
        ResultsPane pane;
        pane.show();
        pane.addExchange(run.first());
        pane.selectStep(0);
        BackgroundWork::pool().waitForDone();
        QTRY_VERIFY(BackgroundWork::tally().settled());
        QVERIFY(!pane.secretsRevealed());
        for (const QString &shown : {pane.requestText(), pane.responseText(), pane.formattedText(),
                                     pane.diagnosisText(), pane.tokensText(), pane.outcomeText()})
            QVERIFY2(!shown.contains(QString::fromLatin1(secret)), qPrintable(shown.left(300)));
        // ...and revealing them shows the real value (so the check above could fail).
        pane.setSecretsRevealed(true);
        QVERIFY(pane.requestText().contains(QString::fromLatin1(secret)));

        // Exports.
        QVERIFY(!ExchangeExport::har(run).contains(secret));
        QVERIFY(!ExchangeExport::curl(run.first()).contains(QString::fromLatin1(secret)));
        QVERIFY(ExchangeExport::har(run, ExchangeExport::Secrets::Included).contains(secret));

        // The history on disk: every file written.
        QTemporaryDir dir;
        RunHistory history(dir.path());
        RunRecord record;
        record.id = RunHistory::newId(QDateTime::currentDateTimeUtc());
        record.startedAt = QDateTime::currentDateTimeUtc();
        record.profile = QStringLiteral("p");
        record.grant = QStringLiteral("x");
        record.result = QStringLiteral("token_error_response");
        record.exchanges = run;
        QVERIFY(history.save(record));
        int files = 0;
        QDirIterator it(dir.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(secret), qPrintable(file.fileName()));
            ++files;
        }
        QVERIFY(files >= 1);

        // The logs of all of the above.
        QLoggingCategory::setFilterRules(QString());
        QVERIFY2(!g_log.join('\n').contains(QString::fromLatin1(secret)),
                 qPrintable(g_log.join('\n').left(500)));
    }
};

QTEST_MAIN(TestSecretsInTheBody)
#include "tst_secretsinthebody.moc"
