#pragma once

#include <QDateTime>

namespace workbench {

// Where the core reads the time: the system's clock, or a test's that moves only when told
// (tests/common/TestClock.h). Tests advance it instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // UTC

    static const Clock &system();
};

} // namespace workbench
