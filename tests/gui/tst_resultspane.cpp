// The results pane with large steps: a big body is read, formatted and diagnosed on a worker
// thread, the pane says so meanwhile, and the texts and the diagnosis arrive whole.
#include "WidgetTest.h"
#include "core/util/BackgroundWork.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"

#include <QFontDatabase>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTextEdit>
#include <QTreeView>

using namespace workbench;
using widgettest::child;

namespace {
HttpExchange tokenExchange(int status, const QByteArray &body)
{
    HttpExchange exchange;
    exchange.label = QStringLiteral("Token request");
    exchange.request.method = "POST";
    exchange.request.url = QUrl(QStringLiteral("http://127.0.0.1:9/token"));
    exchange.request.setHeader("Content-Type", "application/x-www-form-urlencoded");
    exchange.request.body = "grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F"
                            "127.0.0.1%2Fcallback&client_id=app";
    exchange.startedAt = QDateTime::currentDateTimeUtc();
    exchange.elapsedMs = 3;
    exchange.status = status;
    exchange.reasonPhrase = status == 200 ? "OK" : "Bad Request";
    exchange.responseHeaders = {{"Content-Type", "application/json"}};
    exchange.responseBody = body;
    return exchange;
}

// A plain API call answered with JSON: no token endpoint, so nothing to diagnose.
HttpExchange apiExchange(const QByteArray &body)
{
    HttpExchange exchange = tokenExchange(200, body);
    exchange.label = QStringLiteral("API call");
    exchange.request = HttpRequestSpec();
    exchange.request.url = QUrl(QStringLiteral("http://127.0.0.1:9/api/items"));
    return exchange;
}

QByteArray bigArray(int bytes)
{
    QByteArray body = "{\"items\":[";
    for (int i = 0; body.size() < bytes; ++i)
        body += QByteArray(i ? "," : "") + "{\"n\":" + QByteArray::number(i) + "}";
    return body + "]}";
}
} // namespace

class TstResultsPane : public QObject
{
    Q_OBJECT

    // Until every piece of work handed out has come back (delivered or dropped): no fixed wait.
    static void settle()
    {
        BackgroundWork::pool().waitForDone();
        QTRY_VERIFY_WITH_TIMEOUT(BackgroundWork::tally().settled(), 10000);
        QCoreApplication::processEvents();
    }
private slots:
    void smallStepIsShownAtOnce()
    {
        ResultsPane pane;
        pane.addExchange(tokenExchange(400, R"({"error":"invalid_grant"})"));
        QVERIFY(pane.responseText().contains(QStringLiteral("invalid_grant")));
        QVERIFY(pane.diagnosisText().contains(QStringLiteral("invalid_grant")));
    }

    // The raw texts are shown in the fixed-width font (set with the first step, not at start).
    void rawTextsAreFixedWidth()
    {
        ResultsPane pane;
        pane.addExchange(tokenExchange(400, "{\"error\":\"invalid_grant\"}"));
        const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        for (const char *name : {"requestText", "responseText", "formattedText"}) {
            const QFont font = child<QPlainTextEdit>(&pane, name)->font();
            QVERIFY2(font.family() == mono.family() && font.family() != pane.font().family(), name);
        }
    }

    // The claims tree follows the Tokens text: the ID token first, then the access token (the
    // JSON object's own order would put access_token first); the text gets the larger share.
    void claimsTreeListsTheIdTokenFirst()
    {
        const auto part = [](const QByteArray &json) {
            return json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        const QByteArray jwt = part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + '.' +
                               part("{\"iss\":\"https://as.example\",\"sub\":\"alice\"}") + ".c2ln";
        ResultsPane pane;
        pane.resize(900, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.addExchange(tokenExchange(200, "{\"access_token\":\"" + jwt +
                                                "\",\"token_type\":\"Bearer\",\"id_token\":\"" +
                                                jwt + "\"}"));
        auto *tree = child<QTreeView>(&pane, "claimsTree");
        QAbstractItemModel *claims = tree->model();
        QCOMPARE(claims->rowCount(), 4);
        QStringList roots;
        for (int row = 0; row < claims->rowCount(); ++row)
            roots << claims->index(row, 0).data().toString();
        QCOMPARE(roots, QStringList({"id_token header", "id_token claims", "access_token header",
                                     "access_token claims"}));
        auto *tabs = child<QTabWidget>(&pane, "detailTabs");
        tabs->setCurrentWidget(child<QWidget>(&pane, "tokensTab"));
        auto *text = child<QTextEdit>(&pane, "tokensText");
        QTRY_VERIFY(text->isVisible() && tree->isVisible());
        QVERIFY2(
            text->height() >= 2 * tree->height(),
            qPrintable(
                QStringLiteral("text %1 px, tree %2 px").arg(text->height()).arg(tree->height())));
    }

    void aNewStepIsPreparedOnce()
    {
        // Selecting the new step shows it; it used to be prepared a second time right after
        // (once by the selection, once by the call), doubling the work of every step.
        ResultsPane pane;
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        auto *tokens = child<QTextEdit>(&pane, "tokensText");
        QSignalSpy filled(tokens, &QTextEdit::textChanged);
        tokens->setHtml(QStringLiteral("<p>calibration</p>"));
        const qsizetype perStep = filled.size(); // what filling the tokens view once gives
        QVERIFY(perStep >= 1);
        filled.clear();
        pane.addExchange(tokenExchange(200, "{\"access_token\":\"abc-1234567890\"}"));
        settle();
        QCOMPARE(filled.size(), perStep); // not once more, late
        filled.clear();
        pane.addExchange(tokenExchange(400, "{\"error\":\"invalid_grant\"}"));
        settle();
        QCOMPARE(filled.size(), perStep);
        // Choosing a step again still shows it (the same count again).
        filled.clear();
        pane.selectStep(0);
        QCOMPARE(filled.size(), perStep);
        QVERIFY(pane.responseText().contains(QStringLiteral("access_token")));
        QVERIFY(tokens->toPlainText().contains(QStringLiteral("access_token")));
    }

    void largeBodyIsPreparedOffTheGuiThreadAndArrivesWhole()
    {
        ResultsPane pane;
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QSignalSpy shown(&pane, &ResultsPane::stepShown);
        const HttpExchange exchange = apiExchange(bigArray(1024 * 1024));
        pane.addExchange(exchange);
        // Straight after adding, the pane says it is preparing the step rather than blocking.
        QVERIFY2(pane.responseText().startsWith(QStringLiteral("(Preparing 1.0 MB")),
                 qPrintable(pane.responseText().left(80)));
        QVERIFY(shown.wait(20000));
        QCOMPARE(shown.first().first().toInt(), 0);
        QCOMPARE(pane.responseText(), QString::fromUtf8(exchange.rawResponse()));
        const QString formatted = pane.formattedText();
        QVERIFY(formatted.startsWith(QStringLiteral("{\n    \"items\": [\n")));
        QCOMPARE(QJsonDocument::fromJson(formatted.toUtf8()),
                 QJsonDocument::fromJson(exchange.responseBody));
        // No problem and no token: the body is what the person sees first.
        QVERIFY(!pane.model()->diagnosisAt(0));
        QCOMPARE(child<QTabWidget>(&pane, "detailTabs")->currentWidget(),
                 child<QWidget>(&pane, "formattedTab"));
    }

    void largeErrorIsDiagnosedInTheBackgroundAndShownFirst()
    {
        ResultsPane pane;
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QJsonObject error{{"error", "invalid_grant"},
                          {"error_description", "The authorization code has expired."},
                          {"trace", QString(400 * 1024, QLatin1Char('t'))}};
        pane.addExchange(tokenExchange(400, QJsonDocument(error).toJson()));
        QVERIFY(pane.model()->isDiagnosing(0));
        QVERIFY(pane.diagnosisText().contains(QStringLiteral("Looking for problems")));
        QSignalSpy ready(pane.model(), &ExchangeListModel::diagnosisReady);
        QVERIFY(ready.wait(20000));
        QVERIFY(!pane.model()->isDiagnosing(0));
        QVERIFY(pane.model()->diagnosisAt(0).has_value());
        QVERIFY(pane.diagnosisText().contains(QStringLiteral("invalid_grant")));
        QTRY_COMPARE(child<QTabWidget>(&pane, "detailTabs")->currentWidget(),
                     child<QWidget>(&pane, "diagnosisTab"));
        QCOMPARE(pane.model()->lastProblemRow(), 0);
    }

    void secretsInALargeBodyAreMaskedToo()
    {
        // The model does not read a body over 1 MB for secrets as it arrives; the worker that
        // prepares the step does, so a token in a big answer is still masked.
        ResultsPane pane;
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QSignalSpy shown(&pane, &ResultsPane::stepShown);
        const QString token = QStringLiteral("tok-") + QString(40, QLatin1Char('x'));
        const QJsonObject answer{{"access_token", token},
                                 {"token_type", "Bearer"},
                                 {"padding", QString(2 * 1024 * 1024, QLatin1Char('p'))}};
        pane.addExchange(tokenExchange(200, QJsonDocument(answer).toJson(QJsonDocument::Compact)));
        QVERIFY(shown.wait(20000));
        QVERIFY(!pane.responseText().contains(token));
        QVERIFY(pane.responseText().contains(QStringLiteral("\"access_token\":\"MASKED:")));
        QVERIFY(!pane.formattedText().contains(token));
    }

    void clearingDropsAStepStillBeingPrepared()
    {
        ResultsPane pane;
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QSignalSpy shown(&pane, &ResultsPane::stepShown);
        const BackgroundWork::Tally before = BackgroundWork::tally();
        pane.addExchange(apiExchange(bigArray(2 * 1024 * 1024)));
        pane.clear();
        pane.addExchange(tokenExchange(400, R"({"error":"invalid_client"})"));
        settle(); // the workers finish; what they made belongs to the cleared run
        QVERIFY(BackgroundWork::tally().started > before.started);
        QCOMPARE(pane.model()->rowCount(), 1);
        QVERIFY(pane.responseText().contains(QStringLiteral("invalid_client")));
        QVERIFY(!pane.responseText().contains(QStringLiteral("items")));
        QVERIFY(pane.diagnosisText().contains(QStringLiteral("invalid_client")));
    }

    // The workers' results find no pane: each is dropped, none delivered (a result delivered
    // to a destroyed pane would also be a use after free under ASan).
    void paneDestroyedWhileAWorkerRunsIsSafe()
    {
        auto *pane = new ResultsPane;
        pane->show();
        const BackgroundWork::Tally before = BackgroundWork::tally();
        pane->addExchange(apiExchange(bigArray(2 * 1024 * 1024)));
        const int started = BackgroundWork::tally().started - before.started;
        QVERIFY(started >= 1); // a big step is prepared and diagnosed off the GUI thread
        delete pane;
        settle();
        QCOMPARE(BackgroundWork::tally().dropped - before.dropped, started);
        QCOMPARE(BackgroundWork::tally().delivered, before.delivered);
    }
};

QTEST_MAIN(TstResultsPane)
#include "tst_resultspane.moc"
