#pragma once

#include "core/diagnosis/Diagnosis.h"

// A diagnosis as the Diagnosis tab shows it: what it means, the provider, what the server said,
// the causes likeliest first with the evidence for and against each, the fixes and references.
namespace workbench::DiagnosisHtml {
QString render(const Diagnosis &diagnosis);
} // namespace workbench::DiagnosisHtml
