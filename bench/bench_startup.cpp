// Cold start to the first painted main window, and peak memory, of the app against a bare
// QMainWindow program built the same way (bare_window.cpp). Each program runs RUNS times,
// alternating, from a fresh config directory (the app opens on the built-in sandbox);
// medians are compared.
//   bench_startup APP BASELINE [RUNS]
#include "BenchCommon.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <ctime>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct Run
{
    double wallMs;
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

    timespec start{}, end{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    const pid_t child = fork();
    if (child == 0) {
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        qFatal("%s did not exit cleanly (status %d)", program.constData(), status);
    return {(end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6,
            double(usage.ru_maxrss)};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 3)
        qFatal("usage: bench_startup APP BASELINE [RUNS]");
    const QByteArray appPath = argv[1];
    const QByteArray baselinePath = argv[2];
    const int runs = argc > 3 ? atoi(argv[3]) : 15;

    std::vector<double> appWall, appRss, bareWall, bareRss;
    for (int i = 0; i < 2; ++i) { // warm the file cache for both
        runOnce(appPath, {"--exit-on-first-paint"});
        runOnce(baselinePath, {});
    }
    for (int i = 0; i < runs; ++i) {
        const Run bare = runOnce(baselinePath, {});
        const Run ours = runOnce(appPath, {"--exit-on-first-paint"});
        bareWall.push_back(bare.wallMs);
        bareRss.push_back(bare.peakRssKb);
        appWall.push_back(ours.wallMs);
        appRss.push_back(ours.peakRssKb);
    }
    const double wall = bench::median(appWall), wallBase = bench::median(bareWall);
    const double rss = bench::median(appRss) / 1024, rssBase = bench::median(bareRss) / 1024;
    bench::report({QStringLiteral("startup"), QStringLiteral("start to first paint, ms (median)"),
                   wall, QStringLiteral("bare QMainWindow"), wallBase,
                   QStringLiteral("ratio <= 1.3"), wall <= 1.3 * wallBase});
    bench::report({QStringLiteral("startup"), QStringLiteral("peak RSS, MiB (median)"), rss,
                   QStringLiteral("bare QMainWindow"), rssBase, QStringLiteral("ratio <= 1.5"),
                   rss <= 1.5 * rssBase});
    return 0;
}
