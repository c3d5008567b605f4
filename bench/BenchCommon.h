#pragma once

// Shared by the benchmarks: memory readings, a GUI-thread stall meter, and one report format.
// Every figure is printed with the baseline measured in the same run and their ratio.

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QTimer>
#include <QtGlobal>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace bench {

// A /proc/self/status field in KiB (VmRSS: resident now, VmHWM: peak resident).
inline qint64 procStatusKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field) + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// The longest time the event loop of this thread went without turning, while running: a
// zero-interval timer fires once per turn, so a gap between two firings is a stall.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setInterval(0);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_clock.isValid())
                m_longestMs = qMax(m_longestMs, m_clock.nsecsElapsed() / 1e6);
            m_clock.start();
        });
    }
    void start()
    {
        m_longestMs = 0;
        m_clock.invalidate();
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        return m_longestMs;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_longestMs = 0;
};

inline double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

struct Figure
{
    QString bench;  // which benchmark
    QString metric; // what was measured, with its unit
    double value;   // ours
    QString baselineName;
    double baseline; // the baseline's, same run
    QString target;  // in words, e.g. "ratio <= 1.3"
    bool met;
    bool context = false; // a figure for context, with no target of its own
};

// One JSON line per figure (for scripts) and one readable line.
inline void report(const Figure &figure)
{
    const double ratio = figure.baseline > 0 ? figure.value / figure.baseline : 0;
    QJsonObject json{{"bench", figure.bench},
                     {"metric", figure.metric},
                     {"value", figure.value},
                     {"baseline", figure.baselineName},
                     {"baseline_value", figure.baseline},
                     {"ratio", ratio},
                     {"target", figure.context ? QJsonValue() : QJsonValue(figure.target)},
                     {"met", figure.context ? QJsonValue() : QJsonValue(figure.met)}};
    std::printf("BENCH %s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    const QString verdict =
        figure.context
            ? QStringLiteral("(context, no target)")
            : QStringLiteral("target %1: %2").arg(figure.target, figure.met ? "met" : "MISSED");
    std::printf("  %-12s %-40s %10.2f  vs %s %10.2f  ratio %5.2f  %s\n", qPrintable(figure.bench),
                qPrintable(figure.metric), figure.value, qPrintable(figure.baselineName),
                figure.baseline, ratio, qPrintable(verdict));
    std::fflush(stdout);
}

// A figure shown for context, beside the targets, with no target of its own.
inline void reportContext(const QString &bench, const QString &metric, double value,
                          const QString &baselineName, double baseline)
{
    report({bench, metric, value, baselineName, baseline, {}, true, true});
}

} // namespace bench
