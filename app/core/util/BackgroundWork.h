#pragma once

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

#include <utility>

// Work on large steps (reading, formatting, diagnosing big bodies) away from the GUI thread.
namespace workbench::BackgroundWork {

// A pool of its own, not the global one: Qt's raster painting borrows threads from that one,
// and keeping it busy stalls every paint on the GUI thread.
inline QThreadPool &pool()
{
    static QThreadPool workers;
    // One core stays for the GUI thread: with every core parsing a big body, the scheduler
    // made the GUI thread wait up to 70 ms on a 2-core machine (bench_large_body).
    static const bool sized = [] {
        workers.setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
        return true;
    }();
    Q_UNUSED(sized);
    return workers;
}

// What became of the work handed out: its result delivered to a live context, or dropped
// because the context was gone. Read on the GUI thread; tests wait on it instead of sleeping.
struct Tally
{
    int started = 0;
    int delivered = 0;
    int dropped = 0;
    bool settled() const { return delivered + dropped == started; }
};
inline Tally &tally()
{
    static Tally counts;
    return counts;
}

// Runs work() on `workers`, then done(result) on the GUI thread, unless `context` was destroyed
// in the meantime (done may then safely use it).
template <typename Work, typename Done>
void run(QThreadPool &workers, QObject *context, Work work, Done done)
{
    const QPointer<QObject> alive(context);
    ++tally().started;
    workers.start([alive, work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        QMetaObject::invokeMethod(
            qApp, [alive, done = std::move(done), result = std::move(result)]() mutable {
                if (!alive) {
                    ++tally().dropped;
                    return;
                }
                ++tally().delivered;
                done(std::move(result));
            });
    });
}

// The same on the large-step pool.
template <typename Work, typename Done> void run(QObject *context, Work work, Done done)
{
    run(pool(), context, std::move(work), std::move(done));
}

} // namespace workbench::BackgroundWork
