#pragma once

#include "core/diagnosis/FlowEvidence.h"

// The evidence a token request carries (part of FlowEvidence::gather).
namespace workbench::FlowEvidence {

// How the client authenticated (a Basic header and what it decodes to, credentials in the body,
// none) against what the server and its metadata say.
void clientAuthentication(const DiagnosisContext &ctx, const ErrorSignal &signal,
                          Findings &findings);

// The grant_type and its input, the method and the body's encoding, a refresh token redeemed
// twice, and the grant types the metadata lists.
void grantAndFormat(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings);

} // namespace workbench::FlowEvidence
