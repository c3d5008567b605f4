#include "core/storage/PrivateFiles.h"

#include <QDir>
#include <QFile>

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

} // namespace workbench::PrivateFiles
