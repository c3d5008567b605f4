#pragma once

#include <QCoreApplication>

namespace workbench {

// The names the window and the command line both go by, so they find the same profiles
// (AppConfigLocation), history (AppDataLocation) and keychain entries.
inline void setApplicationIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("OAuth Workbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("OAuth Workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WORKBENCH_VERSION));
}

} // namespace workbench
