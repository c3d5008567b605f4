#pragma once

#include "core/http/HttpExchange.h"
#include "core/storage/RunHistory.h"

#include <QList>
#include <QString>

class QWidget;

namespace workbench::RunExport {

// Writes `exchanges` as HAR 1.2 to `path`, redacted unless `withSecrets`. False, with why not,
// when it cannot.
[[nodiscard]] bool writeHar(const QString &path, const QList<HttpExchange> &exchanges,
                            bool withSecrets, QString *error = nullptr);

// The File menu's export: asks first when secrets go in the clear, then where to save (a named
// file in a known folder, ExportPaths), and writes. Returns what to tell the person; empty when
// they cancelled.
[[nodiscard]] QString askAndWriteHar(QWidget *parent, const RunRecord &run,
                                     const QList<HttpExchange> &exchanges, bool withSecrets);

} // namespace workbench::RunExport
