#pragma once

#include <QString>

namespace workbench::Failure {

// The one way the core and the window report a failure: `[[nodiscard]] bool f(..., QString
// *error)`, true on success; on failure false with the reason, in words a person can act on, in
// `*error` (when `error` is not null). `report` does the second half in one line.
inline bool report(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

} // namespace workbench::Failure
