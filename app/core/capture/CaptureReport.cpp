#include "core/capture/CaptureReport.h"

#include "core/compare/StepRole.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/export/Redaction.h"
#include "core/storage/RunHistory.h"
#include "core/util/Clock.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace workbench {

CaptureReport CaptureReport::of(CaptureImport capture)
{
    CaptureReport report;
    report.capture = std::move(capture);
    const QList<HttpExchange> &exchanges = report.capture.run.exchanges;
    report.m_secrets = Redaction::inReplacementOrder(Redaction::secretsIn(exchanges));
    report.findings = CaptureChecks::of(exchanges);
    const Diagnoser diagnoser;
    for (qsizetype i = 0; i < exchanges.size(); ++i) {
        // The authorization endpoint answers the browser with pages (sign-in, consent, the
        // form_post form) and redirects: only an error status or an error sent back is one.
        const HttpExchange &exchange = exchanges.at(i);
        const QUrl next(QString::fromUtf8(exchange.responseHeader("Location")));
        const bool errorSentBack = next.query().contains(QLatin1String("error=")) ||
                                   next.fragment().contains(QLatin1String("error="));
        const bool pageAnswer = StepRoles::of(exchange) == StepRole::Authorization &&
                                exchange.status > 0 && exchange.status < 400 && !errorSentBack;
        // A success whose body the capture does not hold: nothing to read in it.
        const bool unreadSuccess =
            report.capture.bodyMissing.value(i) && exchange.status >= 200 && exchange.status < 300;
        if (pageAnswer || unreadSuccess) {
            report.diagnoses << std::nullopt;
            continue;
        }
        report.diagnoses << diagnoser.diagnose(exchanges, i);
    }
    return report;
}

QString CaptureReport::masked(const QString &text) const
{
    return Redaction::redactText(text, m_secrets, Redaction::Style::Masked);
}

QString CaptureReport::outcome() const
{
    bool tokens = false;
    for (const HttpExchange &exchange : capture.run.exchanges) {
        if (StepRoles::of(exchange) == StepRole::Token && exchange.status == 200)
            tokens = true;
    }
    const bool diagnosed = std::any_of(diagnoses.cbegin(), diagnoses.cend(),
                                       [](const auto &diagnosis) { return diagnosis.has_value(); });
    if (!findings.isEmpty() || diagnosed)
        return QStringLiteral("capture_problem");
    return tokens ? QStringLiteral("succeeded") : QStringLiteral("capture_no_tokens");
}

QString CaptureReport::summary() const
{
    if (capture.run.exchanges.isEmpty())
        return QStringLiteral("No OAuth or OpenID Connect exchange in the capture's %1 entries.")
            .arg(capture.entries);
    int diagnosed = 0;
    for (const auto &diagnosis : diagnoses)
        diagnosed += diagnosis ? 1 : 0;
    return QStringLiteral("%1 OAuth/OIDC exchanges of %2 entries; %3 flow problem(s), %4 "
                          "exchange(s) with an error.")
        .arg(capture.run.exchanges.size())
        .arg(capture.entries)
        .arg(findings.size())
        .arg(diagnosed);
}

QString CaptureReport::toText() const
{
    QString text = QStringLiteral("Capture: %1%2\n")
                       .arg(summary(), capture.creator.isEmpty()
                                           ? QString()
                                           : QStringLiteral(" (made by %1)").arg(capture.creator));
    for (const QString &note : capture.notes)
        text += QStringLiteral("note: %1\n").arg(note);
    text += QStringLiteral("\nSteps:\n");
    for (qsizetype i = 0; i < capture.run.exchanges.size(); ++i) {
        const HttpExchange &exchange = capture.run.exchanges.at(i);
        text += QStringLiteral("  %1. %2  %3 %4  %5%6\n")
                    .arg(i + 1)
                    .arg(StepRoles::name(StepRoles::of(exchange)), -28)
                    .arg(QString::fromLatin1(exchange.request.method),
                         masked(exchange.request.url.toString(QUrl::RemoveQuery)),
                         exchange.status ? QString::number(exchange.status) : exchange.networkError,
                         diagnoses.value(i) ? QStringLiteral("  ⚠ ") + diagnoses.value(i)->code
                                            : QString());
    }
    if (!findings.isEmpty())
        text += QStringLiteral("\nWhat the flow shows:\n");
    for (const CaptureFinding &finding : findings)
        text += QStringLiteral("  %1 [%2] at step %3: %4\n     %5\n     Fix: %6 (%7)\n")
                    .arg(finding.severity == CaptureFinding::Severity::Problem
                             ? QStringLiteral("PROBLEM")
                             : QStringLiteral("WARNING"),
                         finding.id)
                    .arg(finding.step + 1)
                    .arg(finding.title, masked(finding.detail), finding.fix, finding.reference);
    for (qsizetype i = 0; i < diagnoses.size(); ++i) {
        if (!diagnoses.at(i))
            continue;
        text += QStringLiteral("\nStep %1 (%2):\n")
                    .arg(i + 1)
                    .arg(StepRoles::name(StepRoles::of(capture.run.exchanges.at(i))));
        text += masked(diagnoses.at(i)->toText());
        if (!text.endsWith(QLatin1Char('\n')))
            text += QLatin1Char('\n');
    }
    return text;
}

QJsonObject CaptureReport::toJson() const
{
    QJsonArray steps;
    for (qsizetype i = 0; i < capture.run.exchanges.size(); ++i) {
        const HttpExchange &exchange = capture.run.exchanges.at(i);
        QJsonObject step{
            {"step", StepRoles::name(StepRoles::of(exchange))},
            {"entry", capture.entryOf.value(i)},
            {"method", QString::fromLatin1(exchange.request.method)},
            {"url", masked(exchange.request.url.toString())},
            {"status", exchange.status},
        };
        if (diagnoses.value(i)) {
            const QJsonDocument diagnosis(diagnoses.at(i)->toJson());
            step.insert(
                QStringLiteral("diagnosis"),
                QJsonDocument::fromJson(masked(QString::fromUtf8(diagnosis.toJson())).toUtf8())
                    .object());
        }
        steps.append(step);
    }
    QJsonArray found;
    for (CaptureFinding finding : findings) {
        finding.detail = masked(finding.detail);
        found.append(finding.toJson());
    }
    return {{"capture", QJsonObject{{"creator", capture.creator},
                                    {"entries", capture.entries},
                                    {"notes", QJsonArray::fromStringList(capture.notes)}}},
            {"outcome", outcome()},
            {"summary", summary()},
            {"steps", steps},
            {"findings", found}};
}

QStringList CaptureReport::findingLines() const
{
    QStringList lines;
    for (const CaptureFinding &finding : findings)
        lines << QStringLiteral("⚠ Step %1: %2").arg(finding.step + 1).arg(finding.title);
    return lines;
}

std::optional<Diagnosis> CaptureReport::stepDiagnosis(qsizetype index) const
{
    std::optional<Diagnosis> shown = diagnoses.value(index);
    qsizetype noteAt = 0; // the findings go first among the notes, in their order
    for (const CaptureFinding &finding : findings) {
        if (finding.step != index)
            continue;
        const QString detail = masked(finding.detail);
        if (shown) {
            shown->notes.insert(noteAt++,
                                QStringLiteral("Seen in the capture (not said by the server): "
                                               "%1. %2 %3")
                                    .arg(finding.title, detail, finding.fix));
            continue;
        }
        Diagnosis diagnosis;
        diagnosis.entryId = QStringLiteral("capture.") + finding.id;
        diagnosis.code = finding.id;
        diagnosis.category = QStringLiteral("flow");
        diagnosis.severity = finding.severity == CaptureFinding::Severity::Problem
                                 ? QStringLiteral("error")
                                 : QStringLiteral("warning");
        diagnosis.title = finding.title;
        diagnosis.meaning = detail;
        Diagnosis::Cause cause;
        cause.id = finding.id;
        cause.text = detail;
        cause.fix = finding.fix;
        cause.status = Diagnosis::Cause::Status::Confirmed;
        cause.evidence << Diagnosis::Evidence{Diagnosis::Evidence::Source::Flow, true, true,
                                              QStringLiteral("Seen in the capture, across its "
                                                             "exchanges."),
                                              false};
        diagnosis.causes << cause;
        diagnosis.fixes << finding.fix;
        diagnosis.references << KnowledgeBase::Reference{finding.reference, {}};
        diagnosis.provider.name = QStringLiteral("unknown provider");
        shown = diagnosis;
    }
    return shown;
}

RunRecord CaptureReport::record() const
{
    RunRecord run = capture.run;
    // Kept as imported now (the history lists and keeps the newest), captured when it says.
    run.startedAt = Clock::utcNow();
    run.id = RunHistory::newId(run.startedAt);
    run.profile =
        QStringLiteral("Capture of %1").arg(capture.run.startedAt.toUTC().toString(Qt::ISODate));
    run.result = outcome();
    QStringList titles;
    for (const CaptureFinding &finding : findings)
        titles << finding.title;
    run.summary = titles.isEmpty() ? summary() : titles.join(QStringLiteral("; "));
    run.diagnoses = diagnoses;
    return run;
}

} // namespace workbench
