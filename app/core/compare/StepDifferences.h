#pragma once

#include "core/compare/RunComparison.h"

namespace workbench::StepDifferences {

// What differs between two exchanges at the same step (either may be absent), with each
// difference's base weight (before the failing run's diagnosis is taken into account).
// `leftFacts`/`rightFacts` are the exchanges' TokenFacts.
QList<RunDifference> between(const QString &step, const HttpExchange *left,
                             const HttpExchange *right, const QJsonObject &leftFacts,
                             const QJsonObject &rightFacts);

} // namespace workbench::StepDifferences
