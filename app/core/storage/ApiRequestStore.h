#pragma once

#include "core/tokens/ApiCaller.h"

#include <QList>
#include <QString>

namespace workbench {

// The console's saved API requests, per profile, in api-requests.json beside the profiles (the
// owner's only). Credentials never go to the file: the Authorization header is added from the
// tokens at send time, and headers that carry keys, tokens, secrets or cookies are left out.
class ApiRequestStore
{
public:
    struct Saved
    {
        QString name;
        ApiCaller::Request request;
    };

    // `directory` empty: QStandardPaths::AppConfigLocation.
    explicit ApiRequestStore(QString directory = {});

    QList<Saved> requests(const QString &profile) const;
    // Adds or replaces (by name) a request of `profile` and writes the file; false (and `error`)
    // when it cannot be written. A missing or unreadable file starts empty.
    [[nodiscard]] bool save(const QString &profile, const Saved &saved, QString *error);
    [[nodiscard]] bool remove(const QString &profile, const QString &name, QString *error);
    QString filePath() const;
    // Whether a header is left out of the file: it carries a credential.
    static bool isCredentialHeader(const QByteArray &name);

private:
    QJsonObject read() const;
    [[nodiscard]] bool write(const QJsonObject &root, QString *error) const;
    // Removes the requests named `name` and, unless `request` is empty, adds it in their place.
    [[nodiscard]] bool replace(const QString &profile, const QString &name,
                               const QJsonObject &request, QString *error) const;

    QString m_directory;
};

} // namespace workbench
