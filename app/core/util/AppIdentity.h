#pragma once

#include <QCoreApplication>

namespace workbench {

// The names the window and the command line both go by, so they find the same profiles
// (AppConfigLocation: ~/.config/oauth-workbench), history (AppDataLocation:
// ~/.local/share/oauth-workbench) and keychain entries (SecretStore's service). No organization
// name: Qt would put a folder of that name above the application's.
inline void setApplicationIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("oauth-workbench"));
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setApplicationVersion(QStringLiteral(WORKBENCH_VERSION));
}

} // namespace workbench
