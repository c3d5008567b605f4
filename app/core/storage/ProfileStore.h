#pragma once

#include "core/storage/Profile.h"

#include <QList>
#include <QString>

namespace workbench {

// The person's profiles, kept as human-readable JSON (no secrets) in the user's config location
// (QStandardPaths::AppConfigLocation, or a directory given for tests). Order is the person's.
class ProfileStore
{
public:
    // `directory` empty: QStandardPaths::AppConfigLocation.
    explicit ProfileStore(QString directory = {});

    QString filePath() const;
    // Reads the file. A missing file is an empty store. An unreadable one is moved aside (its
    // name gets ".unreadable-<time>") so nothing is lost; false, with the reason, then.
    [[nodiscard]] bool load(QString *error = nullptr);
    // Writes atomically; false, with the reason, when it cannot.
    [[nodiscard]] bool save(QString *error = nullptr) const;

    const QList<Profile> &profiles() const { return m_profiles; }
    const Profile *find(const QString &id) const;
    int indexOf(const QString &id) const;

    // Each returns the affected profile's id (empty when the id is unknown).
    QString add(const Profile &profile);
    QString duplicate(const QString &id, const QString &newName);
    bool rename(const QString &id, const QString &newName);
    bool update(const Profile &profile);
    bool remove(const QString &id);
    bool move(const QString &id, int toIndex);

    QString lastUsed() const { return m_lastUsed; }
    void setLastUsed(const QString &id) { m_lastUsed = id; }
    // A name not used yet, from `base` ("Copy of X", "Copy of X (2)", ...).
    QString uniqueName(const QString &base) const;

    // Shareable profiles (no secrets, no ids the keychain knows): export and import.
    QByteArray exportJson(const QStringList &ids) const;
    // Adds the profiles in `json` (an export, or one profile object) as new profiles; returns
    // how many, with the reason in `error` when the document is not usable.
    [[nodiscard]] int importJson(const QByteArray &json, QString *error);

private:
    QString m_directory;
    QList<Profile> m_profiles;
    QString m_lastUsed;
};

} // namespace workbench
