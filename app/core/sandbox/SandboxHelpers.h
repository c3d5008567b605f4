#pragma once

#include "core/sandbox/SandboxHttpServer.h"
#include "core/util/FormEncoding.h"

#include <QStringList>

// Small helpers shared by the sandbox's endpoint files (SandboxProvider.cpp and
// SandboxTokenEndpoint.cpp); not for use outside the sandbox.
namespace workbench::sandbox {
inline const QStringList kKnownScopes{QStringLiteral("openid"), QStringLiteral("profile"),
                                      QStringLiteral("email"), QStringLiteral("offline_access")};

inline QString value(const FormFields &fields, const char *name)
{
    return FormEncoding::value(fields, QString::fromLatin1(name));
}

inline bool hasScope(const QString &scope, const char *name)
{
    return scope.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(QLatin1String(name));
}

inline SandboxResponse json(int status, const QJsonObject &object)
{
    return SandboxResponse::json(status, object);
}

inline SandboxResponse oauthError(int status, const QString &error, const QString &description,
                                  HttpHeaders extra = {})
{
    return SandboxResponse::oauthError(status, error, description, std::move(extra));
}

// A scope that names only what the sandbox knows (its own and the trigger scopes); else the
// first unknown item.
inline QString unknownScopeIn(const QString &scope)
{
    for (const QString &item : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!kKnownScopes.contains(item) && !item.startsWith(QLatin1String("sandbox:")))
            return item;
    }
    return {};
}
} // namespace workbench::sandbox
