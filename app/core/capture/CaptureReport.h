#pragma once

#include "core/capture/CaptureChecks.h"
#include "core/capture/HarImport.h"
#include "core/diagnosis/Diagnosis.h"

#include <optional>

namespace workbench {

// A capture diagnosed with the whole flow as context: what the flow shows (CaptureChecks), then
// each exchange's diagnosis (the Diagnoser, with the capture's earlier exchanges as its run).
// Text and JSON come masked: every secret of the capture (codes, verifiers, tokens, cookies,
// passwords, client secrets) as a MASKED: fingerprint.
struct CaptureReport
{
    CaptureImport capture;
    QList<CaptureFinding> findings;
    QList<std::optional<Diagnosis>> diagnoses; // one per exchange

    static CaptureReport of(CaptureImport capture);
    // What the run ended as: "succeeded" when tokens came and nothing was found wrong.
    QString outcome() const;
    QString summary() const;
    QString toText() const;
    QJsonObject toJson() const;
    // The run as the history keeps it (RunHistory redacts it when saving).
    RunRecord record() const;

private:
    QString masked(const QString &text) const;
    QList<QByteArray> m_secrets;
};

} // namespace workbench
