#pragma once

#include "core/diagnosis/FlowEvidence.h"

// What the app can check itself of a DPoP proof (RFC 9449 §4.2, §4.3) the server refused: the
// claims against the request that carried it, so the diagnosis says which one is wrong, or that
// the proof was right and the server compares it with another URL.
namespace workbench::DpopEvidence {
void gather(const DiagnosisContext &context, const ErrorSignal &signal, Findings &findings);
} // namespace workbench::DpopEvidence
