#include "core/storage/ProfileStore.h"

#include "core/storage/PrivateFiles.h"
#include "core/util/Clock.h"
#include "core/util/Failure.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QUuid>

Q_LOGGING_CATEGORY(lcStorage, "workbench.storage")

namespace workbench {

namespace {
constexpr int kFormatVersion = 1;
constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
} // namespace

ProfileStore::ProfileStore(QString directory) : m_directory(std::move(directory))
{
    if (m_directory.isEmpty())
        m_directory = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

QString ProfileStore::filePath() const
{
    return QDir(m_directory).filePath(QStringLiteral("profiles.json"));
}

bool ProfileStore::load(QString *error)
{
    m_profiles.clear();
    m_lastUsed.clear();
    QFile file(filePath());
    if (!file.exists())
        return true;
    QString problem;
    QJsonDocument document;
    if (!file.open(QIODevice::ReadOnly)) {
        problem = file.errorString();
    } else if (file.size() > kMaxFileBytes) {
        problem = QStringLiteral("the file is larger than 16 MiB");
    } else {
        QJsonParseError parseError{};
        document = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError)
            problem = QStringLiteral("not JSON (%1 at byte %2)")
                          .arg(parseError.errorString())
                          .arg(parseError.offset);
        else if (!document.isObject() ||
                 !document.object().value(QLatin1String("profiles")).isArray())
            problem = QStringLiteral("no \"profiles\" array");
    }
    file.close();
    if (problem.isEmpty()) {
        const QJsonObject root = document.object();
        QStringList skipped;
        for (const QJsonValue &value : root.value(QLatin1String("profiles")).toArray()) {
            QString error;
            if (const auto profile = Profile::fromJson(value.toObject(), &error))
                m_profiles << *profile;
            else
                skipped << error;
        }
        m_lastUsed = root.value(QLatin1String("last_used")).toString();
        if (skipped.isEmpty())
            return true;
        problem = QStringLiteral("%1 profile(s) could not be read: %2")
                      .arg(skipped.size())
                      .arg(skipped.join(QStringLiteral("; ")));
    }
    // Keep the unreadable file for the person; start from what could be read.
    const QString aside = filePath() + QStringLiteral(".unreadable-") +
                          Clock::utcNow().toString(QStringLiteral("yyyyMMddHHmmss"));
    QFile::copy(filePath(), aside);
    PrivateFiles::restrict(aside);
    qCWarning(lcStorage) << "profiles file problem:" << problem << "- a copy is at" << aside;
    return Failure::report(error, QStringLiteral("%1: %2. A copy of the file was kept as %3.")
                                      .arg(filePath(), problem, aside));
}

bool ProfileStore::save(QString *error) const
{
    if (!PrivateFiles::makeFolder(m_directory))
        return Failure::report(error, QStringLiteral("cannot create %1").arg(m_directory));
    QJsonArray profiles;
    for (const Profile &profile : m_profiles)
        profiles.append(profile.toJson());
    const QJsonObject root{{"format", "oauth-workbench-profiles"},
                           {"version", kFormatVersion},
                           {"last_used", m_lastUsed},
                           {"profiles", profiles}};
    return PrivateFiles::write(filePath(), QJsonDocument(root).toJson(QJsonDocument::Indented),
                               error);
}

const Profile *ProfileStore::find(const QString &id) const
{
    const int index = indexOf(id);
    return index < 0 ? nullptr : &m_profiles.at(index);
}

int ProfileStore::indexOf(const QString &id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return i;
    }
    return -1;
}

QString ProfileStore::add(const Profile &profile)
{
    Profile added = profile;
    if (added.id.isEmpty() || indexOf(added.id) >= 0)
        added.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    added.name = uniqueName(added.name.isEmpty() ? QStringLiteral("Profile") : added.name);
    m_profiles << added;
    return added.id;
}

QString ProfileStore::duplicate(const QString &id, const QString &newName)
{
    const Profile *original = find(id);
    if (!original)
        return {};
    Profile copy = *original;
    copy.id.clear();
    copy.name = newName.isEmpty() ? QStringLiteral("Copy of %1").arg(original->name) : newName;
    copy.config = copy.config.withoutSecrets(); // they stay with the original's keychain entries
    copy.rememberedSecrets.clear();
    return add(copy);
}

bool ProfileStore::rename(const QString &id, const QString &newName)
{
    const int index = indexOf(id);
    if (index < 0 || newName.trimmed().isEmpty())
        return false;
    m_profiles[index].name = newName.trimmed();
    return true;
}

bool ProfileStore::update(const Profile &profile)
{
    const int index = indexOf(profile.id);
    if (index < 0)
        return false;
    m_profiles[index] = profile;
    return true;
}

bool ProfileStore::remove(const QString &id)
{
    const int index = indexOf(id);
    if (index < 0)
        return false;
    m_profiles.removeAt(index);
    if (m_lastUsed == id)
        m_lastUsed.clear();
    return true;
}

bool ProfileStore::move(const QString &id, int toIndex)
{
    const int index = indexOf(id);
    if (index < 0 || toIndex < 0 || toIndex >= m_profiles.size())
        return false;
    m_profiles.move(index, toIndex);
    return true;
}

QString ProfileStore::uniqueName(const QString &base) const
{
    const auto taken = [this](const QString &name) {
        for (const Profile &profile : m_profiles) {
            if (profile.name == name)
                return true;
        }
        return false;
    };
    if (!taken(base))
        return base;
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1 (%2)").arg(base).arg(n);
        if (!taken(candidate))
            return candidate;
    }
}

QByteArray ProfileStore::exportJson(const QStringList &ids) const
{
    QJsonArray profiles;
    for (const Profile &profile : m_profiles) {
        if (!ids.isEmpty() && !ids.contains(profile.id))
            continue;
        QJsonObject json = profile.toJson();
        json.remove(QStringLiteral("remember_client_secret"));
        profiles.append(json);
    }
    return QJsonDocument(QJsonObject{{"format", "oauth-workbench-profiles"},
                                     {"version", kFormatVersion},
                                     {"profiles", profiles}})
        .toJson(QJsonDocument::Indented);
}

int ProfileStore::importJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error)
            *error = QStringLiteral("not a JSON object (%1)").arg(parseError.errorString());
        return 0;
    }
    const QJsonObject root = document.object();
    const QJsonArray items = root.contains(QLatin1String("profiles"))
                                 ? root.value(QLatin1String("profiles")).toArray()
                                 : QJsonArray{root};
    int imported = 0;
    QStringList problems;
    for (const QJsonValue &item : items) {
        QString problem;
        auto profile = Profile::fromJson(item.toObject(), &problem);
        if (!profile) {
            problems << problem;
            continue;
        }
        profile->id.clear(); // a new profile here, whatever it was elsewhere
        profile->config = profile->config.withoutSecrets();
        profile->rememberedSecrets.clear();
        add(*profile);
        ++imported;
    }
    if (error)
        *error = problems.isEmpty() ? QString()
                 : imported == 0    ? QStringLiteral("no profile could be read: ") +
                                       problems.join(QStringLiteral("; "))
                                 : problems.join(QStringLiteral("; "));
    return imported;
}

} // namespace workbench
