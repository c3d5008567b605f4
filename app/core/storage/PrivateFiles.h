#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QString>

namespace workbench::PrivateFiles {

// What the app keeps on disk (profiles, the run history) names servers, client ids, claims and
// timings even when redacted: it is for the person's eyes only, as ssh and gpg keep theirs.
constexpr QFileDevice::Permissions kFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions kFolder =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

// Makes the folder (and its parents) and makes it the owner's only (0700), an existing one too.
// False when it cannot be made.
[[nodiscard]] bool makeFolder(const QString &path);
// Makes the file the owner's only (0600); for files written before the app did so.
bool restrict(const QString &file);
// Writes the file whole or not at all (a QSaveFile), owner-only from its first byte; false, with
// the reason in `error`, when it cannot.
[[nodiscard]] bool write(const QString &path, const QByteArray &content, QString *error = nullptr);

} // namespace workbench::PrivateFiles
