#pragma once

// Test-only: runs one TokenActions request and waits for its outcome; finds a check by name.

#include "core/tokens/TokenActions.h"

#include <QSignalSpy>

namespace testactions {

inline workbench::TokenActions::Outcome
run(workbench::TokenActions &actions, workbench::TokenActions::Action action,
    workbench::TokenActions::Target target = workbench::TokenActions::Target::AccessToken)
{
    QSignalSpy finished(&actions, &workbench::TokenActions::finished);
    if (!actions.run(action, target))
        return {action, false, "did not start: " + actions.unavailableReason(action, target),
                {},     {},    {},
                {}};
    if (!finished.wait(20000))
        return {action, false, "timed out", {}, {}, {}, {}};
    return finished.first().first().value<workbench::TokenActions::Outcome>();
}

inline workbench::TokenCheck checkNamed(const QList<workbench::TokenCheck> &checks,
                                        const QString &name)
{
    for (const workbench::TokenCheck &check : checks) {
        if (check.name == name)
            return check;
    }
    return {name, workbench::TokenCheck::Status::Failed, "(check missing)", {}};
}

} // namespace testactions
