// Cold start to the first painted main window, and peak memory, of the app against a bare
// QMainWindow program built the same way (bare_window.cpp). Each program runs RUNS times,
// alternating, from a fresh config directory (the app opens on the built-in sandbox); medians
// are compared. The time runs from the fork to the moment the program reports its first paint
// as drawn (FirstPaintExit), so the program's exit is not counted; the time to exit is printed
// too. A third program, the bare window with a menu bar and one line of text, is the floor the
// targets are set against (issue 18: any window that draws text pays 1.37x the bare one). A
// fourth series starts the app with 200 saved runs and 100 profiles, against the app with none.
//   bench_startup APP BASELINE [RUNS]
#include "BenchCommon.h"
#include "BenchSeed.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/RunHistory.h"
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

// A home with `profiles` saved profiles (the last one used) and `runs` saved runs of two steps
// each, where the app keeps them (XDG folders, application "oauth-workbench").
void seed(const QString &home, int profiles, int runs)
{
    using namespace workbench;
    ProfileStore store(home + QStringLiteral("/config/oauth-workbench"));
    for (int i = 0; i < profiles; ++i) {
        ClientConfig config;
        config.clientId = QStringLiteral("client-%1").arg(i);
        config.authorizationEndpoint =
            QUrl(QStringLiteral("https://id%1.example/authorize").arg(i));
        config.tokenEndpoint = QUrl(QStringLiteral("https://id%1.example/token").arg(i));
        config.scope = QStringLiteral("openid profile email");
        store.setLastUsed(store.add(Profile::create(QStringLiteral("Profile %1").arg(i), config)));
    }
    if (!store.save())
        qFatal("could not seed the profiles");
    RunHistory history(home + QStringLiteral("/data/oauth-workbench/history"));
    const QDateTime first = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < runs; ++i) {
        const RunRecord run = bench::sampleRun(i, first, 2);
        if (!history.save(run))
            qFatal("could not seed the history");
    }
}

// `seeded`: the home to start in (its files as seed() left them); empty: a first start.
Run runOnce(const QByteArray &program, const QList<QByteArray> &arguments,
            const QString &seeded = {})
{
    QTemporaryDir fresh; // a first start: no profiles, no settings
    const QString home = seeded.isEmpty() ? fresh.path() : seeded;
    qputenv("XDG_CONFIG_HOME", (home + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (home + QStringLiteral("/data")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (home + QStringLiteral("/cache")).toLocal8Bit());
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
    if (argc < 4)
        qFatal("usage: bench_startup APP BASELINE LINKED_BASELINE [RUNS]");
    const QByteArray appPath = argv[1];
    const QByteArray baselinePath = argv[2];
    // The window with text, loading the libraries the app links beyond Qt Widgets.
    const QByteArray linkedPath = argv[3];
    const int runs = argc > 4 ? atoi(argv[4]) : 15;
    const QList<QByteArray> appArguments{"--exit-on-first-paint"};
    const QList<QByteArray> textArguments{"--with-text"};

    QTemporaryDir populated;
    seed(populated.path(), 100, 200);

    for (int i = 0; i < 2; ++i) { // warm the file cache for all
        runOnce(appPath, appArguments);
        runOnce(appPath, appArguments, populated.path());
        runOnce(baselinePath, {});
        runOnce(baselinePath, textArguments);
        runOnce(linkedPath, textArguments);
    }
    Series ours, full, bare, text, linked;
    for (int i = 0; i < runs; ++i) {
        bare.add(runOnce(baselinePath, {}));
        text.add(runOnce(baselinePath, textArguments));
        linked.add(runOnce(linkedPath, textArguments));
        ours.add(runOnce(appPath, appArguments));
        full.add(runOnce(appPath, appArguments, populated.path()));
    }
    using bench::median;
    const QString bareName = QStringLiteral("bare QMainWindow");
    const QString textName = QStringLiteral("menu + one line of text");
    // The targets (issue 18), against the window with text: the floor any window that shows
    // text stands on.
    bench::report({QStringLiteral("startup"), QStringLiteral("start to first paint, ms (median)"),
                   median(ours.firstPaint), textName, median(text.firstPaint),
                   QStringLiteral("ratio <= 1.5"),
                   median(ours.firstPaint) <= 1.5 * median(text.firstPaint)});
    bench::report({QStringLiteral("startup"), QStringLiteral("peak RSS, MiB (median)"),
                   median(ours.rss), textName, median(text.rss), QStringLiteral("ratio <= 1.25"),
                   median(ours.rss) <= 1.25 * median(text.rss)});
    bench::report({QStringLiteral("startup"),
                   QStringLiteral("first paint with 200 runs and 100 profiles, ms (median)"),
                   median(full.firstPaint), QStringLiteral("the app with none"),
                   median(ours.firstPaint), QStringLiteral("ratio <= 1.1"),
                   median(full.firstPaint) <= 1.1 * median(ours.firstPaint)});
    // For context, no target: against the bare window, the exit, and the window with text.
    bench::reportContext(QStringLiteral("startup"), QStringLiteral("start to first paint, ms"),
                         median(ours.firstPaint), bareName, median(bare.firstPaint));
    bench::reportContext(QStringLiteral("startup"), QStringLiteral("peak RSS, MiB"),
                         median(ours.rss), bareName, median(bare.rss));
    bench::reportContext(QStringLiteral("startup"),
                         QStringLiteral("start to exit after first paint, ms"), median(ours.exit),
                         bareName, median(bare.exit));
    bench::reportContext(QStringLiteral("startup"), textName + QStringLiteral(": first paint"),
                         median(text.firstPaint), bareName, median(bare.firstPaint));
    bench::reportContext(QStringLiteral("startup"),
                         QStringLiteral("peak RSS with 200 runs and 100 profiles, MiB"),
                         median(full.rss), QStringLiteral("the app with none"), median(ours.rss));
    // What loading the app's other libraries (network, crypto, keychain, QR codes) costs on its
    // own, and what is left for the app's window beside that.
    const QString linkedName = QStringLiteral("the same, linked like the app");
    bench::reportContext(QStringLiteral("startup"), linkedName + QStringLiteral(": first paint"),
                         median(linked.firstPaint), textName, median(text.firstPaint));
    bench::reportContext(QStringLiteral("startup"), linkedName + QStringLiteral(": peak RSS, MiB"),
                         median(linked.rss), textName, median(text.rss));
    bench::reportContext(QStringLiteral("startup"), QStringLiteral("start to first paint, ms"),
                         median(ours.firstPaint), linkedName, median(linked.firstPaint));
    bench::reportContext(QStringLiteral("startup"), QStringLiteral("peak RSS, MiB"),
                         median(ours.rss), linkedName, median(linked.rss));
    return 0;
}
