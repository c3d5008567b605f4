#pragma once

#include <QDateTime>

namespace workbench {

// Where the core reads the time: the system's clock, or a test's that moves only when told
// (tests/common/TestClock.h). Tests advance it instead of sleeping. Durations that only measure
// how long something took (QElapsedTimer) do not go through it.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // UTC

    static const Clock &system();

    // The clock the core reads: the system's unless a test has put its own in place.
    static const Clock &current();
    static QDateTime utcNow() { return current().now(); }

    // Puts a clock in place (nullptr: the system's again) and returns the one it replaces.
    // For tests, through ScopedClock; the clock must outlive its use.
    static const Clock *replace(const Clock *clock);
};

} // namespace workbench
