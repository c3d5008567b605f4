#pragma once

#include "core/sandbox/SandboxHttpServer.h"

#include <QList>
#include <QString>

namespace workbench::SandboxPages {

// The HTML pages the sandbox shows a person's browser; each is a whole answer, with a strict
// Content-Security-Policy (no scripts) and no caching.

// A page with `title` and `bodyHtml` (already escaped where it holds outside text).
[[nodiscard]] SandboxResponse page(int status, const QString &title, const QString &bodyHtml);
// The sign-in and consent page for a pending authorization request (`requestId`).
[[nodiscard]] SandboxResponse signIn(const QString &clientId, const QString &scope,
                                     const QString &requestId);
[[nodiscard]] SandboxResponse unknownClient(const QString &clientId, const QString &publicId,
                                            const QString &confidentialId);
[[nodiscard]] SandboxResponse redirectNotAllowed(const QString &redirectUri);
[[nodiscard]] SandboxResponse unknownSignIn();
// The device flow's verification page; `clientId` empty when the code is not (yet) known.
[[nodiscard]] SandboxResponse device(const QString &userCode, const QString &clientId,
                                     const QString &scope);
[[nodiscard]] SandboxResponse unknownDeviceCode();
[[nodiscard]] SandboxResponse deviceDecided(bool approved);
// CIBA: the person's authentication device, which lists the requests waiting for an answer.
struct BackchannelRequest
{
    QString id; // what the page posts back to answer it
    QString clientId, loginHint, scope, bindingMessage;
};
[[nodiscard]] SandboxResponse authenticationDevice(const QList<BackchannelRequest> &requests);
[[nodiscard]] SandboxResponse backchannelDecided(bool approved);

} // namespace workbench::SandboxPages
