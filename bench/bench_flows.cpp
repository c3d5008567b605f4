// Many authorization code flows in a row against the built-in sandbox, wired as the main window
// wires them (one client, one flow, one results pane cleared per run): resident memory after a
// warm-up is the baseline, and its growth over the runs is the figure (target < 5 MB).
//   bench_flows [FLOWS] [--check]   --check: only assert that every flow succeeds (the ASan
//                                   build runs this, and LeakSanitizer checks the exit)
#include "BenchCommon.h"
#include "SandboxBrowser.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/sandbox/SandboxProvider.h"
#include "ui/results/ResultsPane.h"

#include <QApplication>

#include <malloc.h>

using namespace workbench;

namespace {
void runFlow(AuthorizationCodeFlow &flow, ResultsPane &pane, const ClientConfig &config)
{
    pane.clear();
    const FlowOutcome outcome = sandboxbrowser::completeFlow(flow, config);
    if (!outcome.succeeded())
        qFatal("the flow failed: %s", qPrintable(outcome.summary));
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    qRegisterMetaType<FlowOutcome>();
    const int flows = argc > 1 ? atoi(argv[1]) : 1000;
    const bool checkOnly = app.arguments().contains(QStringLiteral("--check"));

    SandboxProvider sandbox;
    if (!sandbox.start())
        qFatal("%s", qPrintable(sandbox.errorString()));
    ExchangeClient client;
    AuthorizationCodeFlow flow(&client);
    ResultsPane pane;
    QObject::connect(&flow, &AuthorizationCodeFlow::exchangeRecorded, &pane,
                     &ResultsPane::addExchange);
    QObject::connect(&flow, &AuthorizationCodeFlow::finished, &pane, &ResultsPane::showOutcome);
    pane.show();
    const ClientConfig config = sandbox.clientConfig();

    const int warmUp = checkOnly ? 0 : 50;
    for (int i = 0; i < warmUp; ++i)
        runFlow(flow, pane, config);
    malloc_trim(0); // both readings without the allocator's free pages
    const qint64 before = bench::procStatusKb("VmRSS");
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < flows; ++i)
        runFlow(flow, pane, config);
    malloc_trim(0);
    const qint64 after = bench::procStatusKb("VmRSS");
    if (checkOnly) {
        std::printf("%d flows succeeded\n", flows);
        return 0;
    }
    const double growthMb = (after - before) / 1024.0;
    std::printf("  (%d flows in %.1f s, %.1f ms each)\n", flows, clock.elapsed() / 1000.0,
                double(clock.elapsed()) / flows);
    bench::report({QStringLiteral("flows"), QStringLiteral("RSS after %1 flows, MiB").arg(flows),
                   after / 1024.0, QStringLiteral("RSS after 50 warm-up flows"), before / 1024.0,
                   QStringLiteral("growth < 5 MiB (%1 MiB)").arg(growthMb, 0, 'f', 2),
                   growthMb < 5});
    return 0;
}
