#pragma once

#include "core/diagnosis/Diagnosis.h"

namespace workbench::DiagnosisNotes {

// The facts of the answer a person reads beside the causes: the error and its words as sent,
// trace and correlation ids, the challenge, Retry-After, a redirect, an HTML page's title,
// headings and text, a body that is not strict JSON or was cut off, the network and TLS.
void add(Diagnosis &diagnosis, const HttpExchange &exchange);

} // namespace workbench::DiagnosisNotes
