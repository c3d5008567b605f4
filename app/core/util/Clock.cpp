#include "core/util/Clock.h"

#include <atomic>

namespace workbench {

namespace {
class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};

std::atomic<const Clock *> g_current{nullptr};
} // namespace

const Clock &Clock::system()
{
    static const SystemClock clock;
    return clock;
}

const Clock &Clock::current()
{
    const Clock *clock = g_current.load(std::memory_order_acquire);
    return clock ? *clock : system();
}

const Clock *Clock::replace(const Clock *clock)
{
    return g_current.exchange(clock, std::memory_order_acq_rel);
}

} // namespace workbench
