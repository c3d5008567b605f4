#include "core/storage/LegacyLocations.h"

#include "core/storage/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace workbench::LegacyLocations {

namespace {
const QString kLegacyFolder = QStringLiteral("OAuth Workbench/OAuth Workbench");

// Moves each entry of `from` that `to` lacks; then removes `from` (and its parent) if empty.
void move(const QString &from, const QString &to, QStringList *log)
{
    const QDir old(from);
    if (from == to || !old.exists())
        return;
    const QStringList entries =
        old.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    if (entries.isEmpty() || !PrivateFiles::makeFolder(to))
        return;
    for (const QString &entry : entries) {
        const QString source = old.filePath(entry);
        const QString target = QDir(to).filePath(entry);
        if (QFileInfo::exists(target)) {
            *log << QStringLiteral("kept %1 where it is: %2 exists").arg(source, target);
            continue;
        }
        if (QDir().rename(source, target))
            *log << QStringLiteral("moved %1 to %2").arg(source, target);
        else
            *log << QStringLiteral("could not move %1 to %2").arg(source, target);
    }
    QDir().rmdir(from);
    QDir().rmdir(QFileInfo(from).path());
}
} // namespace

QStringList moveToCurrent()
{
    QStringList log;
    move(QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
             .filePath(kLegacyFolder),
         QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation), &log);
    move(QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
             .filePath(kLegacyFolder),
         QStandardPaths::writableLocation(QStandardPaths::AppDataLocation), &log);
    return log;
}

} // namespace workbench::LegacyLocations
