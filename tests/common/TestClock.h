#pragma once

#include "core/util/Clock.h"

// A clock for tests: it stands still until the test moves it.
class TestClock final : public workbench::Clock
{
public:
    explicit TestClock(QDateTime start = QDateTime::currentDateTimeUtc()) : m_now(std::move(start))
    {
    }
    QDateTime now() const override { return m_now; }
    void advance(qint64 seconds) { m_now = m_now.addSecs(seconds); }

private:
    QDateTime m_now;
};

// Puts a test clock in place of the system's for the whole core while it lives.
class ScopedClock
{
public:
    explicit ScopedClock(const workbench::Clock &clock)
        : m_previous(workbench::Clock::replace(&clock))
    {
    }
    ~ScopedClock() { workbench::Clock::replace(m_previous); }
    ScopedClock(const ScopedClock &) = delete;
    ScopedClock &operator=(const ScopedClock &) = delete;

private:
    const workbench::Clock *m_previous;
};
