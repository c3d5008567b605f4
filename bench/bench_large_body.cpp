// Large bodies in the results pane: a 20 MB JSON answer (one line, as servers send it) and a
// 2 MB single-line text body. Measures the time until the step is shown (formatted tab, then the
// raw response tab) and the longest GUI-thread stall meanwhile; the baseline is the naive way,
// QPlainTextEdit::setPlainText of the same texts on the GUI thread.

#include "BenchCommon.h"
#include "ui/results/ResultsPane.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

using namespace workbench;

namespace {

QByteArray bigJson(qsizetype bytes)
{
    QByteArray out = "{\"items\":[";
    for (int i = 0; out.size() < bytes; ++i) {
        if (i)
            out += ',';
        out += QStringLiteral("{\"id\":%1,\"name\":\"item %1\",\"tags\":[\"alpha\",\"beta\"],"
                              "\"owner\":{\"sub\":\"user-%1\",\"email\":\"u%1@example.test\"},"
                              "\"active\":true,\"score\":%2}")
                   .arg(i)
                   .arg(i * 0.25)
                   .toUtf8();
    }
    return out + "]}";
}

HttpExchange exchangeWith(const QByteArray &body, const QByteArray &contentType)
{
    HttpExchange exchange;
    exchange.label = QStringLiteral("Large answer");
    exchange.request.method = "GET";
    exchange.request.url = QUrl(QStringLiteral("http://127.0.0.1:1/large"));
    exchange.startedAt = QDateTime::currentDateTimeUtc();
    exchange.elapsedMs = 5;
    exchange.status = 200;
    exchange.reasonPhrase = "OK";
    exchange.responseHeaders = {{"Content-Type", contentType}};
    exchange.responseBody = body;
    return exchange;
}

struct Measured
{
    double shownMs;
    double stallMs;
};

// The app: the step is added to a shown pane; done when the formatted tab, then the response
// tab, have all their text.
Measured measureApp(const HttpExchange &exchange)
{
    ResultsPane pane;
    pane.resize(1000, 700);
    pane.show();
    if (!QTest::qWaitForWindowExposed(&pane))
        qFatal("the pane was never shown");
    auto *tabs = pane.findChild<QTabWidget *>(QStringLiteral("detailTabs"));
    bench::StallMeter meter;
    QSignalSpy shown(&pane, &ResultsPane::stepShown);
    QElapsedTimer clock;
    meter.start();
    QTest::qWait(20);
    clock.start();
    QTimer::singleShot(0, &pane, [&] { pane.addExchange(exchange); });
    if (!shown.wait(120000))
        qFatal("the formatted tab never finished");
    const double formattedMs = clock.nsecsElapsed() / 1e6;
    shown.clear();
    tabs->setCurrentWidget(pane.findChild<QWidget *>(QStringLiteral("responseTab")));
    if (shown.isEmpty() && !shown.wait(120000))
        qFatal("the response tab never finished");
    const double shownMs = clock.nsecsElapsed() / 1e6;
    std::printf("  (formatted tab complete after %.0f ms, response tab after %.0f ms)\n",
                formattedMs, shownMs);
    QTest::qWait(200); // paints after the last slice belong to the measurement
    return {shownMs, meter.stop()};
}

// The naive way: the same texts put into two shown editors at once on the GUI thread.
Measured measureNaive(const HttpExchange &exchange)
{
    QPlainTextEdit formatted, raw;
    for (QPlainTextEdit *edit : {&formatted, &raw}) {
        edit->resize(1000, 700);
        edit->show();
        if (!QTest::qWaitForWindowExposed(edit))
            qFatal("the editor was never shown");
    }
    bench::StallMeter meter;
    QElapsedTimer clock;
    meter.start();
    QTest::qWait(20);
    clock.start();
    QTimer::singleShot(0, [&] {
        const QJsonDocument document = QJsonDocument::fromJson(exchange.responseBody);
        formatted.setPlainText(document.isNull() ? QString::fromUtf8(exchange.responseBody)
                                                 : QString::fromUtf8(document.toJson()));
        formatted.repaint();
        raw.setPlainText(QString::fromUtf8(exchange.rawResponse()));
        raw.repaint();
    });
    QTest::qWait(50);
    const double shownMs = clock.nsecsElapsed() / 1e6 - 50;
    QTest::qWait(200);
    return {shownMs, meter.stop()};
}

// `naiveShare`: the naive way is measured on body.size() / naiveShare bytes only, where the whole
// body would take minutes (a 2 MB single line takes QPlainTextEdit's layout about 85 s here).
void run(const QString &name, const HttpExchange &exchange, int naiveShare = 1)
{
    HttpExchange naiveInput = exchange;
    naiveInput.responseBody.truncate(exchange.responseBody.size() / naiveShare);
    const Measured naive = measureNaive(naiveInput);
    const Measured app = measureApp(exchange);
    const QString baseline = naiveShare == 1 ? QStringLiteral("naive setPlainText")
                                             : QStringLiteral("naive, 1/%1 of it").arg(naiveShare);
    bench::report({QStringLiteral("large_body"), name + QStringLiteral(": longest stall, ms"),
                   app.stallMs, baseline, naive.stallMs, QStringLiteral("<= 50 ms"),
                   app.stallMs <= 50});
    bench::report({QStringLiteral("large_body"), name + QStringLiteral(": time to shown, ms"),
                   app.shownMs, baseline, naive.shownMs, QStringLiteral("reported"), true});
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    run(QStringLiteral("20 MB JSON"), exchangeWith(bigJson(20 * 1024 * 1024), "application/json"));
    run(QStringLiteral("2 MB single line"),
        exchangeWith(QByteArray(2 * 1024 * 1024, 'x'), "text/plain"), 16);
    return 0;
}
