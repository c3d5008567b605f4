#pragma once

#include <QStringList>

namespace workbench::HistoryCommand {

// `oauth-workbench-cli history`: the saved runs, newest first (id, start, profile, grant,
// outcome), as the window's history lists them; the ids are what `--run` takes.
int run(const QStringList &arguments);
// `oauth-workbench-cli compare RUN_A RUN_B [--json]`: two saved runs side by side, their
// differences ranked by how likely each explains why one failed (RunComparison).
int compare(const QStringList &arguments);

} // namespace workbench::HistoryCommand
