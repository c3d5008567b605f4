#pragma once

#include <QStringList>

namespace workbench {

// The command-line front end, shared by oauth-workbench-cli and `oauth-workbench <command>`.
// It uses the core only (no widgets), so it runs without a display.
namespace CommandLine {
// True when the arguments name a command-line action rather than the GUI.
bool handles(const QStringList &arguments);
// Runs it with a QCoreApplication already constructed; returns the exit code.
int run(const QStringList &arguments);
QString versionText();
} // namespace CommandLine

} // namespace workbench
