#include "cli/HistoryCommand.h"

#include "cli/CliOutput.h"
#include "core/capture/CaptureReport.h"
#include "core/compare/RunComparison.h"
#include "core/storage/RunHistory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace workbench::HistoryCommand {

int run(const QStringList &arguments)
{
    using namespace workbench::CommandLine;
    const QString command = QStringLiteral("history");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lists the runs kept in the app's history, newest first: the id (what "
                       "--run takes), when it started, the profile, the grant and how it ended."));
    parser.addHelpOption();
    parser.addPositionalArgument(command, "The command.");
    const QCommandLineOption json("json", "Print the list as one JSON document.");
    parser.addOption(json);
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;

    const RunHistory history;
    QStringList unreadable;
    const QList<RunRecord> runs = history.list(&unreadable);
    if (parser.isSet(json)) {
        QJsonArray listed;
        for (const RunRecord &run : runs)
            listed.append(QJsonObject{{"id", run.id},
                                      {"started_at", run.startedAt.toString(Qt::ISODateWithMs)},
                                      {"profile", run.profile},
                                      {"grant", run.grant},
                                      {"outcome", run.result},
                                      {"summary", run.summary}});
        out() << QJsonDocument(QJsonObject{{"directory", history.directory()},
                                           {"runs", listed},
                                           {"unreadable", QJsonArray::fromStringList(unreadable)}})
                     .toJson(QJsonDocument::Indented);
    } else {
        if (runs.isEmpty())
            out() << "No saved runs in " << history.directory() << "\n";
        for (const RunRecord &run : runs)
            out() << run.id << "  " << run.startedAt.toLocalTime().toString(Qt::ISODate) << "  "
                  << run.profile << "  " << run.grant << "  " << run.result << "\n";
        for (const QString &file : unreadable)
            err() << "warning: unreadable run file " << file << "\n";
    }
    out().flush();
    err().flush();
    return 0;
}

namespace {
// A run named on the command line: its id, or "last" (the newest run), "last~1" (the one
// before), ...
std::optional<RunRecord> runNamed(const RunHistory &history, const QString &name, QString *problem)
{
    // A capture (a HAR file) is compared as the run it rebuilds.
    if (QFile file(name); name.endsWith(QLatin1String(".har"), Qt::CaseInsensitive) &&
                          file.open(QIODevice::ReadOnly)) {
        std::optional<CaptureImport> capture =
            HarImport::read(file.read(CaptureImport::kMaxBytes + 1), problem);
        if (!capture)
            return std::nullopt;
        return CaptureReport::of(std::move(*capture)).record();
    }
    QString id = name;
    if (name == QLatin1String("last") || name.startsWith(QLatin1String("last~"))) {
        bool number = true;
        const int back = name == QLatin1String("last") ? 0 : name.mid(5).toInt(&number);
        const QList<RunRecord> runs = history.list();
        if (!number || back < 0 || back >= runs.size()) {
            *problem = QStringLiteral("%1: the history holds %2 run(s)").arg(name).arg(runs.size());
            return std::nullopt;
        }
        id = runs.at(back).id;
    }
    return history.load(id, problem);
}
} // namespace

int compare(const QStringList &arguments)
{
    using namespace workbench::CommandLine;
    const QString command = QStringLiteral("compare");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compares two saved runs step by step: the parameters and headers sent, "
        "the client authentication, the answers and the tokens' claims. When one "
        "run failed, the differences come ranked by how likely each explains the "
        "failure, using that run's diagnosis. Secrets show only as the REDACTED: "
        "fingerprints the history keeps. RUN is an id from `history`, or last, "
        "last~1, ..., or a HAR file (a browser's capture, read as explain reads it)."));
    parser.addHelpOption();
    parser.addPositionalArgument(command, "The command.");
    parser.addPositionalArgument(QStringLiteral("run_a"), QStringLiteral("The first run."));
    parser.addPositionalArgument(QStringLiteral("run_b"), QStringLiteral("The second run."));
    const QCommandLineOption json("json", "Print the comparison as one JSON document.");
    parser.addOption(json);
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;
    const QStringList names = parser.positionalArguments().mid(1);
    if (names.size() != 2)
        return usageError(QStringLiteral("compare needs two runs"), command);
    const RunHistory history;
    QString problem;
    const std::optional<RunRecord> a = runNamed(history, names.at(0), &problem);
    if (!a)
        return usageError(problem, command);
    const std::optional<RunRecord> b = runNamed(history, names.at(1), &problem);
    if (!b)
        return usageError(problem, command);
    const RunComparison comparison = RunComparison::of(*a, *b);
    if (parser.isSet(json))
        out() << QJsonDocument(comparison.toJson()).toJson(QJsonDocument::Indented);
    else
        out() << comparison.toText();
    out().flush();
    return 0;
}

} // namespace workbench::HistoryCommand
