#pragma once

#include <QStringList>

namespace workbench::ProbeCommand {

// `probe`: shows the plan of negative tests against the profile's authorization server, asks
// for confirmation (or takes --yes), runs them one after another with the browser sign-ins they
// need, and prints the report (masked; --json as one document).
int run(const QStringList &arguments);

} // namespace workbench::ProbeCommand
