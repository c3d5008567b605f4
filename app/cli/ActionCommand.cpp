#include "cli/ActionCommand.h"

#include "cli/CliOutput.h"
#include "cli/RunCommand.h"
#include "core/session/RunSession.h"
#include "core/storage/SecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace workbench::ActionCommand {

namespace {
using namespace workbench::CommandLine;
using Action = TokenActions::Action;
using Target = TokenActions::Target;

const QHash<QString, Action> &actions()
{
    static const QHash<QString, Action> byName{{QStringLiteral("refresh"), Action::Refresh},
                                               {QStringLiteral("userinfo"), Action::UserInfo},
                                               {QStringLiteral("introspect"), Action::Introspect},
                                               {QStringLiteral("revoke"), Action::Revoke}};
    return byName;
}

QString commandName(Action action)
{
    return actions().key(action);
}

QString description(Action action)
{
    switch (action) {
    case Action::Refresh:
        return QStringLiteral("Redeems a refresh token at the token endpoint (RFC 6749 section 6) "
                              "and shows the new tokens and whether the refresh token rotated.");
    case Action::UserInfo:
        return QStringLiteral("Calls the UserInfo endpoint with an access token (OpenID Connect "
                              "Core 5.3); with only a refresh token, refreshes first.");
    case Action::Introspect:
        return QStringLiteral("Asks the introspection endpoint what it knows of a token (RFC "
                              "7662).");
    case Action::Revoke:
        return QStringLiteral("Revokes a token at the revocation endpoint (RFC 7009).");
    }
    return {};
}

// Writes the rotated refresh token where the profile keeps it; empty on success, else why not.
QString keepRefreshToken(const Profile &profile, const QByteArray &token)
{
    SecretStore secrets;
    QEventLoop loop;
    QString problem = QStringLiteral("the keychain did not answer within 30 s");
    QObject::connect(&secrets, &SecretStore::secretWritten, &loop,
                     [&](const SecretStore::Result &result) {
                         problem = result.ok() ? QString() : result.error;
                         loop.quit();
                     });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    secrets.write(profile.secretKey(QStringLiteral("refresh_token")), QString::fromUtf8(token));
    loop.exec();
    return problem;
}

void printResult(const TokenActions::Outcome &outcome, const QList<HttpExchange> &steps,
                 bool asJson, const DiagnosisHints &hints)
{
    // Diagnosed with this command's steps only: a saved run's own are redacted.
    const std::optional<Diagnosis> diagnosis =
        outcome.succeeded ? std::nullopt : lastProblem(steps, hints);
    if (asJson) {
        QJsonArray recorded;
        for (const HttpExchange &exchange : steps)
            recorded.append(exchangeToJson(exchange));
        QJsonObject result{{"action", commandName(outcome.action)},
                           {"succeeded", outcome.succeeded},
                           {"summary", outcome.summary},
                           {"details", QJsonArray::fromStringList(outcome.details)},
                           {"body", outcome.body},
                           {"exchanges", recorded}};
        if (diagnosis)
            result.insert("diagnosis", diagnosis->toJson());
        out() << QJsonDocument(result).toJson(QJsonDocument::Indented);
    } else {
        printResultText(outcome.succeeded, outcome.summary, outcome.details);
        printDiagnosisText(diagnosis);
    }
    out().flush();
}
} // namespace

bool handles(const QString &command)
{
    return actions().contains(command);
}

int run(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    const Action action = actions().value(command);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        description(action) +
        QStringLiteral(" The client comes from --profile, or from the profile of the saved run "
                       "given with --run, and the options; tokens come from environment "
                       "variables, or the refresh token the profile keeps in the keychain."));
    parser.addHelpOption();
    parser.addPositionalArgument(command, "The command.");
    const ClientOptions client;
    const ProfileOptions profiles;
    const QCommandLineOption savedRun(
        "run",
        "Act on this saved run (its id, as the history lists it): its profile is used unless "
        "--profile is given, and the new steps join it in the history.",
        "id");
    const QCommandLineOption userinfoEndpoint("userinfo-endpoint", "UserInfo endpoint URL.", "url");
    const QCommandLineOption introspectionEndpoint("introspection-endpoint",
                                                   "Introspection endpoint URL.", "url");
    const QCommandLineOption revocationEndpoint("revocation-endpoint", "Revocation endpoint URL.",
                                                "url");
    const QCommandLineOption accessEnv(
        "access-token-env", "Read the access token from this environment variable.", "name");
    const QCommandLineOption refreshEnv(
        "refresh-token-env",
        "Read the refresh token from this environment variable (default: the one the profile "
        "keeps in the keychain).",
        "name");
    const QCommandLineOption tokenType(
        "token-type",
        "introspect and revoke: which token, access or refresh (default: the access token when "
        "one is given, else the refresh token).",
        "access|refresh");
    parser.addOptions(client.all());
    parser.addOptions(profiles.all());
    parser.addOptions({savedRun, userinfoEndpoint, introspectionEndpoint, revocationEndpoint,
                       accessEnv, refreshEnv, tokenType});
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;
    const auto usage = [&](const QString &message) { return usageError(message, command); };

    // The saved run, and the profile: named, or the run's.
    RunHistory history;
    RunRecord record;
    QString profileName = parser.value(profiles.profile);
    if (parser.isSet(savedRun)) {
        QString problem;
        const auto loaded = history.load(parser.value(savedRun), &problem);
        if (!loaded)
            return usage(QStringLiteral("no saved run \"%1\" in %2: %3")
                             .arg(parser.value(savedRun), history.directory(), problem));
        record = *loaded;
        if (profileName.isEmpty())
            profileName = record.profile;
    }
    ClientConfig config;
    Profile profile;
    bool fromProfile = false;
    if (!profileName.isEmpty()) {
        QString problem;
        const bool loaded = loadProfile(profileName, &config, &problem, &profile);
        // A run made without a saved profile (or in the sandbox) names none to load: the
        // options say where to go.
        const bool runWithoutProfile = !parser.isSet(profiles.profile) && problem.startsWith("no ");
        if (!loaded && !runWithoutProfile)
            return usage(problem);
        fromProfile = loaded;
    }
    if (QString problem; !client.apply(parser, &config, &problem))
        return usage(problem);
    for (const auto &[option, url] :
         {std::pair{&userinfoEndpoint, &config.userinfoEndpoint},
          std::pair{&introspectionEndpoint, &config.introspectionEndpoint},
          std::pair{&revocationEndpoint, &config.revocationEndpoint}}) {
        if (parser.isSet(*option))
            *url = QUrl(parser.value(*option));
    }

    // The tokens: from the variables named, never from an argument.
    TokenSet tokens;
    QString accessToken;
    QString refreshToken = config.refreshToken; // the profile's kept one, if any
    const bool keptRefreshToken = fromProfile && !refreshToken.isEmpty();
    for (const auto &[option, field] :
         {std::pair{&accessEnv, &accessToken}, std::pair{&refreshEnv, &refreshToken}}) {
        if (!parser.isSet(*option))
            continue;
        if (QString problem; !secretFromEnvironment(parser.value(*option), field, &problem))
            return usage(problem);
    }
    tokens.accessToken = accessToken.toUtf8();
    tokens.refreshToken = refreshToken.toUtf8();
    tokens.tokenType = QStringLiteral("Bearer");
    const bool refreshFromKeychain = keptRefreshToken && !parser.isSet(refreshEnv);

    Target target = tokens.accessToken.isEmpty() ? Target::RefreshToken : Target::AccessToken;
    if (parser.isSet(tokenType)) {
        const QString type = parser.value(tokenType);
        if (type != QLatin1String("access") && type != QLatin1String("refresh"))
            return usage(QStringLiteral("--token-type is access or refresh, not \"%1\"").arg(type));
        target = type == QLatin1String("access") ? Target::AccessToken : Target::RefreshToken;
    }
    // UserInfo with only a refresh token: a fresh access token first.
    QList<Action> plan{action};
    if (action == Action::UserInfo && tokens.accessToken.isEmpty() &&
        !tokens.refreshToken.isEmpty())
        plan.prepend(Action::Refresh);

    if (plan.size() > 1 && config.userinfoEndpoint.isEmpty())
        return usage(QStringLiteral("No UserInfo endpoint is configured (--userinfo-endpoint, or "
                                    "a profile filled in by discovery)."));

    RunSession session;
    const bool asJson = parser.isSet(client.json);
    if (parser.isSet(profiles.save) || parser.isSet(savedRun))
        session.setHistory(std::make_unique<RunHistory>());
    QString problem;
    if (!session.resume(config, tokens, record, profileName, &problem))
        return usage(problem);
    const Target firstTarget = plan.first() == Action::Refresh ? Target::RefreshToken : target;
    if (const QString why = session.actions()->unavailableReason(plan.first(), firstTarget);
        !why.isEmpty())
        return usage(why);

    QList<HttpExchange> steps;
    QObject::connect(&session, &RunSession::exchangeRecorded, [&](const HttpExchange &exchange) {
        steps << exchange;
        if (!asJson)
            printExchange(exchange);
    });
    int exitCode = 1;
    QObject::connect(
        session.actions(), &TokenActions::finished, [&](const TokenActions::Outcome &outcome) {
            plan.removeFirst();
            const QByteArray rotated = session.actions()->tokens().refreshToken;
            if (outcome.action == Action::Refresh && outcome.succeeded && refreshFromKeychain &&
                rotated != tokens.refreshToken) {
                const QString kept = keepRefreshToken(profile, rotated);
                err() << (kept.isEmpty()
                              ? QStringLiteral("The server rotated the refresh token: the new one "
                                               "replaces the one profile \"%1\" keeps.\n")
                                    .arg(profile.name)
                              : QStringLiteral("warning: the server rotated the refresh token, "
                                               "and the new one could not be kept in the "
                                               "keychain (%1); the one kept is now spent.\n")
                                    .arg(kept));
                err().flush();
            }
            if (outcome.succeeded && !plan.isEmpty()) {
                err() << "Refreshed; now " << commandName(plan.first()) << ".\n";
                err().flush();
                if (session.actions()->run(plan.first(), target))
                    return;
                err() << "error: " << commandName(plan.first())
                      << " cannot run: " << session.actions()->unavailableReason(plan.first())
                      << "\n";
                printResult(outcome, steps, asJson, session.hints());
                QCoreApplication::exit(exitCode);
                return;
            }
            printResult(outcome, steps, asJson, session.hints());
            exitCode = outcome.succeeded ? 0 : 1;
            QCoreApplication::exit(exitCode);
        });
    if (session.actions()->run(plan.first(), firstTarget))
        QCoreApplication::exec();
    session.waitForSaved();
    return exitCode;
}

} // namespace workbench::ActionCommand
