#pragma once

#include <QByteArray>
#include <QString>

namespace workbench::CaptureCommand {

// `explain capture.har`: the capture's OAuth/OIDC exchanges rebuilt as a run and diagnosed with
// the whole flow as context (CaptureReport), printed masked. `saveRedacted` writes the
// exchanges found, redacted, as a HAR; `keep` saves the run in the history (redacted), where
// `compare` and the window's history find it.
struct Options
{
    bool json = false;
    QString saveRedacted;
    bool keep = false;
};
int explain(const QByteArray &har, const Options &options);

} // namespace workbench::CaptureCommand
