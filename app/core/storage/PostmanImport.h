#pragma once

#include "core/storage/Profile.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QStringList>

namespace workbench {

// Reads the OAuth 2.0 settings of a Postman collection (format v2.1, and v2.0's object form of
// the same block): the collection's `auth`, and each folder's and request's, when their type is
// "oauth2". Each distinct block becomes a profile; {{variables}} are filled from the collection's
// `variable` list. Secrets (client secret, password) are handed back apart from the profile, so
// the person decides whether the keychain keeps them.
namespace PostmanImport {

struct Imported
{
    Profile profile;                 // no secret in its config
    QHash<QString, QString> secrets; // secret field (ClientConfig::secretFieldNames()) -> value
    QString source;                  // where in the collection it came from
};

struct Result
{
    QList<Imported> profiles;
    QStringList warnings; // what could not be carried over, and why
    QString error;        // non-empty: nothing could be read
};

Result fromJson(const QByteArray &json);

} // namespace PostmanImport
} // namespace workbench
