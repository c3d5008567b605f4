#pragma once

#include "flows/ClientConfig.h"

#include <QJsonObject>
#include <optional>

namespace workbench {

// A named client configuration the person keeps between sessions. Its JSON form never holds a
// secret: the client secret lives in the keychain (SecretStore) when the person asks for it.
struct Profile
{
    QString id;   // stable, generated; keys the profile's secrets in the keychain
    QString name; // what the person calls it
    ClientConfig config;
    bool rememberClientSecret = false;

    static Profile create(const QString &name, const ClientConfig &config);
    // The keychain key of one of this profile's secrets ("client_secret", "refresh_token", ...).
    QString secretKey(const QString &field) const;

    QJsonObject toJson() const; // without config.clientSecret
    static std::optional<Profile> fromJson(const QJsonObject &json, QString *error);
};

} // namespace workbench
