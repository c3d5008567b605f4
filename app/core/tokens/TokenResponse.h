#pragma once

#include <QJsonObject>
#include <QStringList>

namespace workbench {

// Checks on a token endpoint's successful answer (RFC 6749 §5.1): what was granted against what
// was asked, and anything odd in the fields.
namespace TokenResponse {

struct ScopeComparison
{
    QStringList requested;
    QStringList granted;
    QStringList dropped; // asked for, not granted
    QStringList added;   // granted without being asked for
    bool grantedOmitted =
        false; // no "scope" in the response: RFC 6749 says it then equals the request
};

ScopeComparison compareScopes(const QString &requested, const QJsonObject &response);
// Warnings about the response; `publicClient` when the client sent no credentials.
QStringList warnings(const QJsonObject &response, bool publicClient);

} // namespace TokenResponse
} // namespace workbench
