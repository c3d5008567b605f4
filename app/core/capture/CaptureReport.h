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
    // A text with the capture's secrets masked (MASKED: and a short hash).
    QString masked(const QString &text) const;
    // Each finding as one short line: what, and at which step.
    QStringList findingLines() const;
    // What to show at step `index`: its diagnosis with the findings seen there first among its
    // notes, or, for a step only a finding speaks of, the finding as a diagnosis (its detail
    // masked, its fix and reference).
    std::optional<Diagnosis> stepDiagnosis(qsizetype index) const;

private:
    QList<QByteArray> m_secrets;
};

} // namespace workbench
