#pragma once

#include "core/storage/RunHistory.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace workbench {

// One thing two runs did differently at a matching step.
struct RunDifference
{
    QString step;   // "token request", "authorization request 2", ...
    QString aspect; // "redirect_uri", "client authentication", "header Content-Type", ...
    QString left;   // run A's value; empty: A has none
    QString right;
    QString why; // why such a difference can break a flow
    // The family of settings it belongs to ("redirect_uri", "client_auth", "pkce", "scope", ...):
    // what the failing run's diagnosis is matched against.
    QString family;
    int weight = 0;   // how likely it explains the failure; the list is sorted by it
    QString explains; // the failing run's cause this difference bears on, when one does
};

// Two runs side by side, step by step (StepRole matches them), with their differences ranked by
// how likely each explains why one failed: the failing run's diagnosis (its likeliest causes)
// lifts the differences it bears on, so a differing redirect_uri or client authentication comes
// before a differing User-Agent. Runs are compared as the history keeps them, redacted: a secret
// is compared by its REDACTED: fingerprint and never shown.
struct RunComparison
{
    struct Step
    {
        QString name;
        qsizetype left = -1; // index in the run's exchanges; -1: not in that run
        qsizetype right = -1;
    };
    enum class Failing { Neither, Left, Right, Both };

    RunRecord left;
    RunRecord right;
    QList<Step> steps;
    QList<RunDifference> differences; // likeliest explanation first
    Failing failing = Failing::Neither;
    // The failing run's diagnosis at the step that failed (the left one when both failed).
    QString failedStep;
    QString failureCode;
    QString failureTitle;
    QStringList failureCauses; // cause ids, likeliest first

    static RunComparison of(const RunRecord &left, const RunRecord &right);
    QJsonObject toJson() const;
    QString toText() const;
};

} // namespace workbench
