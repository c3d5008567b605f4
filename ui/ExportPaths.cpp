#include "ui/ExportPaths.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace workbench::ExportPaths {

namespace {
QString &lastFolder()
{
    static QString folder;
    return folder;
}
} // namespace

QString suggest(const QString &what, const QDateTime &when, const QString &suffix)
{
    QString folder = lastFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath();
    static const QRegularExpression unsafe(QStringLiteral("[/\\\\:*?\"<>|\\x00-\\x1f]+"));
    QString name = what.trimmed();
    name.replace(unsafe, QStringLiteral("-"));
    if (name.isEmpty() || name.startsWith(QLatin1Char('.')))
        name.prepend(QStringLiteral("run"));
    if (when.isValid())
        name += QLatin1Char(' ') + when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HHmm"));
    return QDir(folder).filePath(name + QLatin1Char('.') + suffix);
}

void remember(const QString &savedPath)
{
    if (!savedPath.isEmpty())
        lastFolder() = QFileInfo(savedPath).absolutePath();
}

} // namespace workbench::ExportPaths
