#pragma once

#include "core/client/ClientConfig.h"

#include <QString>

namespace workbench::SandboxAddress {

// Where a saved profile says "the built-in sandbox": the sandbox listens on a new port each time
// the app starts, so a profile keeps this origin instead and it is replaced by the running
// sandbox's when the profile is used. A .invalid host never resolves, so an unreplaced address
// fails at once rather than reaching some other server.
inline const QString kPlaceholderOrigin = QStringLiteral("http://built-in-sandbox.invalid");

// `config` with every endpoint under `fromOrigin` moved under `toOrigin` (the path and query
// kept); the redirect URI is the client's own and is never touched.
[[nodiscard]] ClientConfig rebased(const ClientConfig &config, const QString &fromOrigin,
                                   const QString &toOrigin);

// True when one of `config`'s endpoints is under the placeholder origin.
[[nodiscard]] bool usesPlaceholder(const ClientConfig &config);

} // namespace workbench::SandboxAddress
