#include "core/storage/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include "core/util/Failure.h"

namespace workbench::PrivateFiles {

bool makeFolder(const QString &path)
{
    if (!QDir().mkpath(path))
        return false;
    QFile::setPermissions(path, kFolder);
    return true;
}

bool restrict(const QString &file)
{
    return QFile::setPermissions(file, kFile);
}

bool write(const QString &path, const QByteArray &content, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Failure::report(error, file.errorString());
    file.setPermissions(kFile); // before anything is written
    file.write(content);
    if (!file.commit())
        return Failure::report(error, file.errorString());
    restrict(path); // QSaveFile may keep the old file's mode
    return true;
}

} // namespace workbench::PrivateFiles
