#include "ui/history/CaptureView.h"

#include "core/capture/CaptureReport.h"
#include "ui/results/ResultsPane.h"

#include <QCoreApplication>

namespace workbench::CaptureView {

void showIn(ResultsPane *pane, const CaptureReport &report)
{
    pane->clear();
    const QList<HttpExchange> &exchanges = report.capture.run.exchanges;
    for (qsizetype i = 0; i < exchanges.size(); ++i)
        pane->addSavedExchange(exchanges.at(i), report.stepDiagnosis(i));
    for (const QString &note : report.capture.notes)
        pane->addWarning(note);
    QStringList details = report.findingLines();
    details << QCoreApplication::translate("CaptureView",
                                           "From the capture: %1 entries, made by %2.")
                   .arg(report.capture.entries)
                   .arg(report.capture.creator.isEmpty()
                            ? QCoreApplication::translate("CaptureView", "an unnamed tool")
                            : report.capture.creator);
    const bool clean = report.outcome() == QLatin1String("succeeded");
    pane->showResult(clean,
                     report.findings.isEmpty()
                         ? report.summary()
                         : QCoreApplication::translate("CaptureView", "The capture shows: %1")
                               .arg(report.findings.first().title),
                     details);
}

} // namespace workbench::CaptureView
