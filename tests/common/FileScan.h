#pragma once

// Test-only: finds files that hold a value, to prove a secret never reached the disk in clear.

#include <QDirIterator>
#include <QFile>
#include <QStringList>

namespace filescan {

// Every file below `root` (hidden ones included) whose bytes contain `needle`.
inline QStringList filesContaining(const QString &root, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            hits << file.fileName();
    }
    return hits;
}

} // namespace filescan
