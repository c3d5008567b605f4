#pragma once

// Reading a list of token checks in tests: one check by name, and which failed first.

#include "core/tokens/IdTokenValidator.h"

namespace workbench::test {

inline const TokenCheck *findCheck(const QList<TokenCheck> &checks, const QString &name)
{
    for (const TokenCheck &check : checks) {
        if (check.name == name)
            return &check;
    }
    return nullptr;
}

inline QString firstFailedName(const QList<TokenCheck> &checks)
{
    for (const TokenCheck &check : checks) {
        if (check.status == TokenCheck::Status::Failed)
            return check.name;
    }
    return {};
}

} // namespace workbench::test
