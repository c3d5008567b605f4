#include "cli/CaptureCommand.h"

#include "cli/CliOutput.h"
#include "core/capture/CaptureReport.h"
#include "core/export/ExchangeExport.h"
#include "core/storage/PrivateFiles.h"
#include "core/storage/RunHistory.h"

#include <QJsonDocument>

namespace workbench::CaptureCommand {

int explain(const QByteArray &har, const Options &options)
{
    using namespace CommandLine;
    QString error;
    std::optional<CaptureImport> capture = HarImport::read(har, &error);
    if (!capture)
        return usageError(QStringLiteral("cannot read the capture: ") + error,
                          QStringLiteral("explain"));
    const CaptureReport report = CaptureReport::of(std::move(*capture));
    if (!options.saveRedacted.isEmpty() &&
        !PrivateFiles::write(
            options.saveRedacted,
            ExchangeExport::har(report.capture.run.exchanges, ExchangeExport::Secrets::Redacted),
            &error)) {
        err() << "error: cannot write " << options.saveRedacted << ": " << error << "\n";
        err().flush();
        return 1;
    }
    QString savedId;
    if (options.keep) {
        RunHistory history;
        const RunRecord run = report.record();
        if (!history.save(run, &error)) {
            err() << "error: cannot keep the capture in the history: " << error << "\n";
            err().flush();
            return 1;
        }
        savedId = run.id;
    }
    if (options.json) {
        QJsonObject json = report.toJson();
        if (!savedId.isEmpty())
            json.insert(QStringLiteral("run_id"), savedId);
        out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        out() << report.toText();
        if (!savedId.isEmpty())
            out() << "\nKept in the history as " << savedId << " (redacted).\n";
    }
    out().flush();
    return 0;
}

} // namespace workbench::CaptureCommand
