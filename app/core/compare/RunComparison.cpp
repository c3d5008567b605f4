#include "core/compare/RunComparison.h"

#include "core/compare/StepDifferences.h"
#include "core/compare/StepRole.h"
#include "core/diagnosis/Diagnoser.h"

#include <QJsonArray>
#include <algorithm>

namespace workbench {

namespace {

// The families of settings a cause of the diagnosis bears on (cause ids of errors.json; a
// trailing "_" matches every id it starts).
QStringList familiesOfCause(const QString &cause)
{
    static const QList<std::pair<QString, QStringList>> table{
        {"redirect_", {"redirect_uri", "loopback_port"}},
        {"loopback_port", {"loopback_port", "redirect_uri"}},
        {"use_ip_literal", {"redirect_uri", "loopback_port"}},
        {"pkce_", {"pkce"}},
        {"wrong_auth_method", {"client_auth"}},
        {"multiple_auth_methods", {"client_auth"}},
        {"no_client_auth", {"client_auth"}},
        {"basic_", {"client_auth"}},
        {"public_client_secret", {"client_auth"}},
        {"wrong_credentials", {"client_auth"}},
        {"client_secret_expired", {"client_auth"}},
        {"assertion_", {"client_auth"}},
        {"tls_client_cert_missing", {"client_auth"}},
        {"client_unknown", {"client_id", "endpoint"}},
        {"client_id_differs", {"client_id"}},
        {"wrong_client", {"client_id"}},
        {"client_inactive", {"client_id"}},
        {"scope_", {"scope"}},
        {"target_invalid", {"resource"}},
        {"token_wrong_audience", {"aud", "resource"}},
        {"wrong_content_type", {"content_type"}},
        {"wants_form", {"content_type"}},
        {"wants_json", {"content_type"}},
        {"bad_encoding", {"content_type"}},
        {"grant_", {"grant_type"}},
        {"wrong_endpoint", {"endpoint"}},
        {"not_token_endpoint", {"endpoint"}},
        {"wrong_method", {"method"}},
        {"token_get", {"method"}},
        {"response_type_", {"response_type"}},
        {"response_mode_unsupported", {"response_mode"}},
        {"dpop_", {"dpop", "token_type"}},
        {"clock_skew", {"time", "lifetime"}},
        {"token_expired", {"lifetime", "time"}},
        {"code_expired", {"time", "lifetime"}},
        {"refresh_", {"refresh_token"}},
        {"wrong_refresh_token", {"refresh_token"}},
        {"consent_required", {"interaction", "scope"}},
        {"login_required", {"interaction"}},
        {"interaction_required", {"interaction"}},
        {"waf_block", {"user_agent", "header"}},
    };
    QStringList families;
    for (const auto &[prefix, names] : table) {
        if (prefix.endsWith(QLatin1Char('_')) ? cause.startsWith(prefix) : cause == prefix)
            families << names;
    }
    return families;
}

// The step names of a run's exchanges: "token request", then "token request 2", ...
QStringList stepNames(const RunRecord &run)
{
    QStringList names;
    QHash<StepRole, int> seen;
    for (const HttpExchange &exchange : run.exchanges) {
        const StepRole role = StepRoles::of(exchange);
        const int n = ++seen[role];
        names << StepRoles::name(role) + (n > 1 ? QStringLiteral(" %1").arg(n) : QString());
    }
    return names;
}

QList<RunComparison::Step> pairSteps(const RunRecord &left, const RunRecord &right)
{
    const QStringList a = stepNames(left);
    const QStringList b = stepNames(right);
    QList<RunComparison::Step> steps;
    for (qsizetype i = 0; i < a.size(); ++i)
        steps.append({a.at(i), i, b.indexOf(a.at(i))});
    qsizetype insertAt = 0;
    for (qsizetype j = 0; j < b.size(); ++j) {
        const auto found = std::find_if(steps.begin(), steps.end(),
                                        [&](const auto &step) { return step.name == b.at(j); });
        if (found != steps.end()) {
            insertAt = std::distance(steps.begin(), found) + 1;
            continue;
        }
        steps.insert(insertAt++, {b.at(j), -1, j});
    }
    return steps;
}

bool failed(const RunRecord &run)
{
    return run.result != QLatin1String("succeeded");
}

// The failing run's first diagnosed step, with its diagnosis (the saved one, else made now from
// the redacted exchanges).
std::pair<qsizetype, std::optional<Diagnosis>> failureOf(const RunRecord &run)
{
    const Diagnoser diagnoser;
    for (qsizetype i = 0; i < run.exchanges.size(); ++i) {
        std::optional<Diagnosis> diagnosis =
            run.diagnoses.isEmpty() ? diagnoser.diagnose(run.exchanges, i) : run.diagnoses.value(i);
        if (diagnosis)
            return {i, diagnosis};
    }
    return {run.exchanges.size() - 1, std::nullopt};
}

QJsonObject runToJson(const RunRecord &run)
{
    return {{"id", run.id},           {"started_at", run.startedAt.toString(Qt::ISODateWithMs)},
            {"profile", run.profile}, {"grant", run.grant},
            {"outcome", run.result},  {"summary", run.summary}};
}

QString failingName(RunComparison::Failing failing)
{
    switch (failing) {
    case RunComparison::Failing::Left:
        return QStringLiteral("A");
    case RunComparison::Failing::Right:
        return QStringLiteral("B");
    case RunComparison::Failing::Both:
        return QStringLiteral("both");
    case RunComparison::Failing::Neither:
        break;
    }
    return QStringLiteral("neither");
}

} // namespace

RunComparison RunComparison::of(const RunRecord &left, const RunRecord &right)
{
    RunComparison comparison;
    comparison.left = left;
    comparison.right = right;
    comparison.steps = pairSteps(left, right);
    comparison.failing = failed(left) ? (failed(right) ? Failing::Both : Failing::Left)
                                      : (failed(right) ? Failing::Right : Failing::Neither);
    for (const Step &step : std::as_const(comparison.steps)) {
        const HttpExchange *a = step.left >= 0 ? &left.exchanges.at(step.left) : nullptr;
        const HttpExchange *b = step.right >= 0 ? &right.exchanges.at(step.right) : nullptr;
        comparison.differences << StepDifferences::between(
            step.name, a, b, left.tokenFacts.value(step.left), right.tokenFacts.value(step.right));
    }

    if (comparison.failing != Failing::Neither) {
        const bool leftFailed = comparison.failing != Failing::Right;
        const RunRecord &run = leftFailed ? left : right;
        const auto [index, diagnosis] = failureOf(run);
        const QStringList names = stepNames(run);
        comparison.failedStep = names.value(index);
        if (diagnosis) {
            comparison.failureCode = diagnosis->code;
            comparison.failureTitle = diagnosis->title;
            // The likeliest causes lift the differences they bear on: the first most.
            static constexpr int kLift[] = {60, 40, 25};
            int rank = 0;
            for (const Diagnosis::Cause &cause : diagnosis->causes) {
                if (cause.status == Diagnosis::Cause::Status::Contradicted)
                    continue;
                comparison.failureCauses << cause.id;
                if (rank >= int(std::size(kLift)))
                    continue;
                const QStringList families = familiesOfCause(cause.id);
                for (RunDifference &difference : comparison.differences) {
                    if (!families.contains(difference.family) || !difference.explains.isEmpty())
                        continue;
                    difference.weight += kLift[rank] + (cause.confirmed() ? 15 : 0);
                    difference.explains = cause.id;
                }
                ++rank;
            }
        }
        // What differs where the run failed, or before, can explain it; after, it follows.
        const auto positionOf = [&](const QString &name) {
            return std::distance(comparison.steps.cbegin(),
                                 std::find_if(comparison.steps.cbegin(), comparison.steps.cend(),
                                              [&](const Step &s) { return s.name == name; }));
        };
        const auto failedAt = positionOf(comparison.failedStep);
        for (RunDifference &difference : comparison.differences) {
            const auto position = positionOf(difference.step);
            // The failing step's own settings (not its answer, nor a weak sign like a port).
            if (position == failedAt && difference.weight >= 30)
                difference.weight += 20;
            else if (position > failedAt)
                difference.weight = qMax(1, difference.weight / 4);
        }
    }
    std::stable_sort(
        comparison.differences.begin(), comparison.differences.end(),
        [](const RunDifference &a, const RunDifference &b) { return a.weight > b.weight; });
    return comparison;
}

QJsonObject RunComparison::toJson() const
{
    QJsonArray stepList;
    for (const Step &step : steps) {
        const auto statusOf = [](const RunRecord &run, qsizetype index) -> QJsonValue {
            if (index < 0)
                return QJsonValue::Null;
            return run.exchanges.at(index).status;
        };
        stepList.append(
            QJsonObject{{"step", step.name},
                        {"a", step.left < 0 ? QJsonValue() : QJsonValue(qint64(step.left))},
                        {"b", step.right < 0 ? QJsonValue() : QJsonValue(qint64(step.right))},
                        {"a_status", statusOf(left, step.left)},
                        {"b_status", statusOf(right, step.right)}});
    }
    QJsonArray differenceList;
    for (const RunDifference &difference : differences)
        differenceList.append(QJsonObject{
            {"step", difference.step},
            {"aspect", difference.aspect},
            {"a", difference.left.isEmpty() ? QJsonValue::Null : QJsonValue(difference.left)},
            {"b", difference.right.isEmpty() ? QJsonValue::Null : QJsonValue(difference.right)},
            {"why", difference.why},
            {"family", difference.family},
            {"weight", difference.weight},
            {"explains",
             difference.explains.isEmpty() ? QJsonValue::Null : QJsonValue(difference.explains)}});
    QJsonObject json{{"a", runToJson(left)},
                     {"b", runToJson(right)},
                     {"failing", failingName(failing)},
                     {"steps", stepList},
                     {"differences", differenceList}};
    if (!failedStep.isEmpty())
        json.insert(QStringLiteral("failure"),
                    QJsonObject{{"step", failedStep},
                                {"code", failureCode},
                                {"title", failureTitle},
                                {"causes", QJsonArray::fromStringList(failureCauses)}});
    return json;
}

QString RunComparison::toText() const
{
    QString text;
    const auto line = [](const QString &name, const RunRecord &run) {
        return QStringLiteral("%1  %2  %3, %4, %5: %6\n")
            .arg(name, run.id, run.profile, run.grant, run.result, run.summary);
    };
    text += line(QStringLiteral("A"), left) + line(QStringLiteral("B"), right) + QLatin1Char('\n');
    if (failing == Failing::Neither)
        text += QStringLiteral("Neither run failed; the differences in the order they matter "
                               "most often:\n");
    else
        text += QStringLiteral("%1 failed at the %2%3; the differences, likeliest explanation "
                               "first:\n")
                    .arg(failing == Failing::Both ? QStringLiteral("Both runs (A first)")
                                                  : QStringLiteral("Run ") + failingName(failing),
                         failedStep,
                         failureCode.isEmpty()
                             ? QString()
                             : QStringLiteral(" (%1: %2)").arg(failureCode, failureTitle));
    if (differences.isEmpty())
        text += QStringLiteral("  none: the two runs sent and received the same things.\n");
    const auto value = [](const QString &v) { return v.isEmpty() ? QStringLiteral("(none)") : v; };
    int rank = 0;
    for (const RunDifference &difference : differences) {
        text += QStringLiteral("%1. %2: %3%4\n     A: %5\n     B: %6\n     %7\n")
                    .arg(++rank)
                    .arg(difference.step, difference.aspect,
                         difference.explains.isEmpty()
                             ? QString()
                             : QStringLiteral("  [bears on %1]").arg(difference.explains),
                         value(difference.left), value(difference.right), difference.why);
    }
    text += QStringLiteral("\nSteps (A | B):\n");
    for (const Step &step : steps) {
        const auto status = [](const RunRecord &run, qsizetype index) {
            if (index < 0)
                return QStringLiteral("-");
            const int code = run.exchanges.at(index).status;
            return code ? QString::number(code) : QStringLiteral("sent");
        };
        text += QStringLiteral("  %1  %2 | %3\n")
                    .arg(step.name, -30)
                    .arg(status(left, step.left), status(right, step.right));
    }
    return text;
}

} // namespace workbench
