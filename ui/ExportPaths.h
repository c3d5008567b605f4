#pragma once

#include <QDateTime>
#include <QString>

namespace workbench::ExportPaths {

// Where a save dialog for an export opens: the folder of the last export this session, else the
// Documents folder (home when there is none), never the process's working directory; with a name
// that says what it is, e.g. "Staging login 2026-11-30 1015.har" (characters a file name cannot
// hold replaced).
QString suggest(const QString &what, const QDateTime &when, const QString &suffix);
// The folder of a file the person saved to, for the next suggestion.
void remember(const QString &savedPath);

} // namespace workbench::ExportPaths
