// Opening the history (History → the dialog listing the saved runs) with 200 saved runs, against
// opening it with none, in the same run: the time from asking for the dialog to the list shown
// and painted. Median of RUNS openings each.
//   bench_history [RUNS]
#include "BenchCommon.h"
#include "BenchSeed.h"
#include "core/storage/RunHistory.h"
#include "ui/history/HistoryDialog.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <vector>

namespace {

void seed(const QString &directory, int runs)
{
    using namespace workbench;
    RunHistory history(directory);
    const QDateTime first = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < runs; ++i) {
        const RunRecord run = bench::sampleRun(i, first, 3);
        if (!history.save(run))
            qFatal("could not seed the history");
    }
}

double openOnce(const QString &directory)
{
    QElapsedTimer timer;
    timer.start();
    workbench::RunHistory history(directory);
    workbench::HistoryDialog dialog(&history);
    dialog.show();
    dialog.repaint(); // painted, not only laid out
    QApplication::processEvents();
    const double ms = timer.nsecsElapsed() / 1e6;
    if (dialog.runCount() != int(QDir(directory).entryList(QDir::Files).size()))
        qFatal("the dialog does not list every saved run");
    return ms;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const int runs = argc > 1 ? atoi(argv[1]) : 15;
    QTemporaryDir empty;
    QTemporaryDir full;
    seed(full.path(), 200);
    openOnce(empty.path()); // warm up both
    openOnce(full.path());
    std::vector<double> withNone, with200;
    for (int i = 0; i < runs; ++i) {
        withNone.push_back(openOnce(empty.path()));
        with200.push_back(openOnce(full.path()));
    }
    const double value = bench::median(with200);
    bench::report({QStringLiteral("history"), QStringLiteral("open with 200 runs, ms (median)"),
                   value, QStringLiteral("open with none"), bench::median(withNone),
                   QStringLiteral("<= 100 ms"), value <= 100});
    return 0;
}
