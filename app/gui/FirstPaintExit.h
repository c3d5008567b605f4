#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QTimer>

#include <cstdio>
#include <ctime>

// Installed on a window, quits the application once that window has been painted the first
// time: how the start-up benchmark sees the app on screen (--exit-on-first-paint). When the paint
// has been drawn it writes the moment (CLOCK_MONOTONIC, in nanoseconds) to standard output as
// "first-paint-ns N", so the benchmark times the start up to the paint, not up to the exit. The
// baseline programs (bench/bare_window.cpp) use this same class, so all stop at the same event.
class FirstPaintExit : public QObject
{
public:
    using QObject::QObject;
    // What precedes the moment in the output line, and the clock it is read from (the
    // benchmark reads the same clock before it starts the program).
    static constexpr char kMarker[] = "first-paint-ns ";
    static long long monotonicNs()
    {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, qApp, [] { // the window's paint event has been handled
                std::printf("%s%lld\n", kMarker, monotonicNs());
                std::fflush(stdout);
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};
