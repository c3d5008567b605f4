// Cold start to the first painted main window, and peak memory, of the app against a bare
// QMainWindow program built the same way (bare_window.cpp). Each program runs RUNS times,
// alternating, from a fresh config directory (the app opens on the built-in sandbox); medians
// are compared. The time runs from the fork to the moment the program reports its first paint
// as drawn (FirstPaintExit), so the program's exit is not counted; the time to exit is printed
// too. A third program, the bare window with a menu bar and one line of text, shows what any
// window that draws text pays over the bare one.
//   bench_startup APP BASELINE [RUNS]
#include "BenchCommon.h"
#include "gui/FirstPaintExit.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct Run
{
    double firstPaintMs;
    double exitMs;
    double peakRssKb;
};

Run runOnce(const QByteArray &program, const QList<QByteArray> &arguments)
{
    QTemporaryDir home; // a first start: no profiles, no settings
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (home.path() + QStringLiteral("/cache")).toLocal8Bit());
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(program.constData()));
    for (const QByteArray &argument : arguments)
        argv.push_back(const_cast<char *>(argument.constData()));
    argv.push_back(nullptr);

    int out[2];
    if (pipe(out) != 0)
        qFatal("pipe failed");
    const long long start = FirstPaintExit::monotonicNs();
    const pid_t child = fork();
    if (child == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    QByteArray output;
    char buffer[4096];
    for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;)
        output.append(buffer, n);
    close(out[0]);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    const long long end = FirstPaintExit::monotonicNs();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        qFatal("%s did not exit cleanly (status %d)", program.constData(), status);
    const QByteArray marker = FirstPaintExit::kMarker;
    const qsizetype at = output.indexOf(marker);
    if (at < 0)
        qFatal("%s did not report its first paint", program.constData());
    const long long painted = output.mid(at + marker.size()).split('\n').first().toLongLong();
    if (painted <= start || painted > end)
        qFatal("%s reported a first paint outside its run", program.constData());
    return {(painted - start) / 1e6, (end - start) / 1e6, double(usage.ru_maxrss)};
}

struct Series
{
    std::vector<double> firstPaint, exit, rss;
    void add(const Run &run)
    {
        firstPaint.push_back(run.firstPaintMs);
        exit.push_back(run.exitMs);
        rss.push_back(run.peakRssKb / 1024);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 3)
        qFatal("usage: bench_startup APP BASELINE [RUNS]");
    const QByteArray appPath = argv[1];
    const QByteArray baselinePath = argv[2];
    const int runs = argc > 3 ? atoi(argv[3]) : 15;
    const QList<QByteArray> appArguments{"--exit-on-first-paint"};
    const QList<QByteArray> textArguments{"--with-text"};

    for (int i = 0; i < 2; ++i) { // warm the file cache for all
        runOnce(appPath, appArguments);
        runOnce(baselinePath, {});
        runOnce(baselinePath, textArguments);
    }
    Series ours, bare, text;
    for (int i = 0; i < runs; ++i) {
        bare.add(runOnce(baselinePath, {}));
        text.add(runOnce(baselinePath, textArguments));
        ours.add(runOnce(appPath, appArguments));
    }
    using bench::median;
    const QString bareName = QStringLiteral("bare QMainWindow");
    const QString textName = QStringLiteral("menu + one line of text");
    bench::report({QStringLiteral("startup"), QStringLiteral("start to first paint, ms (median)"),
                   median(ours.firstPaint), bareName, median(bare.firstPaint),
                   QStringLiteral("ratio <= 1.3"),
                   median(ours.firstPaint) <= 1.3 * median(bare.firstPaint)});
    bench::report({QStringLiteral("startup"), QStringLiteral("peak RSS, MiB (median)"),
                   median(ours.rss), bareName, median(bare.rss), QStringLiteral("ratio <= 1.5"),
                   median(ours.rss) <= 1.5 * median(bare.rss)});
    // For context, no target: the same start counted up to the exit, and the window with text.
    bench::reportContext(QStringLiteral("startup"),
                         QStringLiteral("start to exit after first paint, ms"), median(ours.exit),
                         bareName, median(bare.exit));
    bench::reportContext(QStringLiteral("startup"),
                         QStringLiteral("start to first paint, ms (median)"),
                         median(ours.firstPaint), textName, median(text.firstPaint));
    bench::reportContext(QStringLiteral("startup"), textName + QStringLiteral(": first paint"),
                         median(text.firstPaint), bareName, median(bare.firstPaint));
    bench::reportContext(QStringLiteral("startup"), QStringLiteral("peak RSS, MiB (median)"),
                         median(ours.rss), textName, median(text.rss));
    return 0;
}
