#pragma once

#include "core/client/AuthorizationDetails.h"

#include <QJsonObject>

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
// RFC 9396: what is wrong with the authorization_details asked for (empty: nothing). The
// sandbox knows the two types of the RFC's examples and the app's templates.
inline QString authorizationDetailsProblem(const QString &json)
{
    if (const QStringList problems = AuthorizationDetails::problems(json); !problems.isEmpty())
        return problems.first();
    static const QStringList known{QStringLiteral("payment_initiation"),
                                   QStringLiteral("account_information")};
    for (const QJsonValue &detail : AuthorizationDetails::parse(json)) {
        const QString type = detail.toObject().value(QLatin1String("type")).toString();
        if (!known.contains(type))
            return QStringLiteral("Unknown authorization details type \"%1\" (the sandbox knows "
                                  "%2)")
                .arg(type, known.join(QStringLiteral(", ")));
    }
    return {};
}

inline QString unknownScopeIn(const QString &scope)
{
    for (const QString &item : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!kKnownScopes.contains(item) && !item.startsWith(QLatin1String("sandbox:")))
            return item;
    }
    return {};
}
} // namespace workbench::sandbox
