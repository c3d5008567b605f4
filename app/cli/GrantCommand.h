#pragma once

#include <QStringList>

namespace workbench::GrantCommand {

// `oauth-workbench-cli token`: runs a grant that needs no browser (client credentials, refresh
// token, password, token exchange, JWT bearer) once, prints the exchange and what it means.
// Secrets come from environment variables or files, never from arguments. Returns the exit code:
// 0 tokens issued, 1 refused or failed (diagnosed), 2 bad usage.
int run(const QStringList &arguments);
// `oauth-workbench-cli device`: the device authorization grant, the code and its QR code on
// standard error while it polls. The same exit codes.
int device(const QStringList &arguments);
// `oauth-workbench-cli ciba`: CIBA in poll mode, whom it asks and the binding message on standard
// error while it polls. The same exit codes.
int ciba(const QStringList &arguments);

} // namespace workbench::GrantCommand
