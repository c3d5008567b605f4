#pragma once

#include <QStringList>

namespace workbench::RegisterCommand {

// `register`: dynamic client registration (RFC 7591) from the options or a profile's settings,
// at the registration endpoint given or discovered from --issuer, with an optional initial access
// token from an environment variable; --save-profile keeps the new client as a profile, its
// client secret and registration access token in the keychain. With --profile, --read, --update
// and --delete manage that registration (RFC 7592); an update's rotated token replaces the kept
// one. Each exchange is printed, a refusal diagnosed. Exit code: 0 done, 1 refused or failed,
// 2 bad usage.
int run(const QStringList &arguments);

} // namespace workbench::RegisterCommand
