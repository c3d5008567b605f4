#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/http/HttpExchange.h"

namespace workbench::ProviderIdentifier {

// Everything that can say which provider answered.
struct Input
{
    QString chosen;       // a pack id the person chose
    QUrl requestUrl;      // where the request went
    QUrl issuer;          // the profile's issuer
    QString issParameter; // RFC 9207 iss on a callback
    HttpHeaders responseHeaders;
    QString serverText; // the error code, the server's words and its other fields
    QString imitated;   // the pack the built-in sandbox says it imitates
};

// The pack that answered, by the strongest evidence (docs/knowledge.md lists the order), with
// the provider's own code when it has a scheme; an empty id when no pack claims the response.
Diagnosis::Provider identify(const KnowledgeBase &kb, const Input &input);

// How the built-in sandbox says which provider a trigger imitates: a response header, or a
// parameter of the redirect for errors delivered there.
inline constexpr char kSandboxImitatesHeader[] = "X-Sandbox-Imitates";
inline constexpr char kSandboxImitatesParameter[] = "sandbox_imitates";

} // namespace workbench::ProviderIdentifier
