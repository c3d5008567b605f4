#include "cli/HistoryCommand.h"

#include "cli/CliOutput.h"
#include "core/storage/RunHistory.h"

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

} // namespace workbench::HistoryCommand
