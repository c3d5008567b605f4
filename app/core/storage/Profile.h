#pragma once

#include "core/client/ClientConfig.h"

#include <QJsonObject>
#include <optional>

namespace workbench {

// A named client configuration the person keeps between sessions. Its JSON form never holds a
// secret: secrets live in the keychain (SecretStore), and only those the person asks to keep.
struct Profile
{
    QString id;   // stable, generated; keys the profile's secrets in the keychain
    QString name; // what the person calls it
    ClientConfig config;
    // The secret fields (ClientConfig::secretFieldNames()) kept in the keychain for this profile.
    QStringList rememberedSecrets;

    static Profile create(const QString &name, const ClientConfig &config);
    // The keychain key of one of this profile's secrets ("client_secret", "refresh_token", ...).
    QString secretKey(const QString &field) const;

    bool remembers(const QString &field) const { return rememberedSecrets.contains(field); }

    QJsonObject toJson() const; // without any secret field
    [[nodiscard]] static std::optional<Profile> fromJson(const QJsonObject &json, QString *error);
};

} // namespace workbench
