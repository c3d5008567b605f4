#pragma once

#include <QStringList>

namespace workbench::ActionCommand {

// The commands that act on tokens a run left: `refresh`, `userinfo`, `introspect` and `revoke`.
// The client comes from a profile (--profile, or the profile of a saved run given with --run) and
// the options; the tokens from environment variables or the profile's refresh token kept in the
// keychain, never from arguments. With --run the new steps join that saved run. UserInfo with
// only a refresh token refreshes first. A refresh token the server rotates replaces the one the
// profile keeps. Exit code: 0 the action succeeded, 1 refused or failed (diagnosed), 2 bad usage.
bool handles(const QString &command);
int run(const QStringList &arguments);

} // namespace workbench::ActionCommand
