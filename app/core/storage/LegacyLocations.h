#pragma once

#include <QStringList>

namespace workbench::LegacyLocations {

// Versions up to 0.1 kept the profiles in ~/.config/OAuth Workbench/OAuth Workbench/ and the
// history in ~/.local/share/OAuth Workbench/OAuth Workbench/ (organization and application name
// both "OAuth Workbench"). Moves them, once, to the application's folders (AppIdentity.h): only
// what the new place does not have yet, and the old folders are removed when left empty.
// Returns a line per thing moved, or that could not be, for the log.
QStringList moveToCurrent();

} // namespace workbench::LegacyLocations
