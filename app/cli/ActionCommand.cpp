#include "cli/ActionCommand.h"

#include "cli/CliOutput.h"
#include "cli/RunCommand.h"
#include "core/session/RunSession.h"
#include "core/storage/SecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
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

// An action's result: as JSON, `fields` with the checks, the exchanges and the diagnosis of a
// refusal added; as text, the result, the checks and the diagnosis.
void printActionResult(QJsonObject fields, bool succeeded, const QString &summary,
                       const QStringList &details, const QList<TokenCheck> &idTokenChecks,
                       const QList<TokenCheck> &bindingChecks, const QList<HttpExchange> &steps,
                       bool asJson, const DiagnosisHints &hints)
{
    // Diagnosed with this command's steps only: a saved run's own are redacted.
    const std::optional<Diagnosis> diagnosis = succeeded ? std::nullopt : lastProblem(steps, hints);
    if (asJson) {
        QJsonArray recorded;
        for (const HttpExchange &exchange : steps)
            recorded.append(exchangeToJson(exchange));
        fields.insert("succeeded", succeeded);
        fields.insert("summary", summary);
        fields.insert("details", QJsonArray::fromStringList(details));
        fields.insert("exchanges", recorded);
        if (!idTokenChecks.isEmpty())
            fields.insert("id_token_checks", checksToJson(idTokenChecks));
        if (!bindingChecks.isEmpty())
            fields.insert("dpop_checks", checksToJson(bindingChecks));
        if (diagnosis)
            fields.insert("diagnosis", diagnosis->toJson());
        out() << QJsonDocument(fields).toJson(QJsonDocument::Indented);
    } else {
        printResultText(succeeded, summary, details);
        printChecksText(QStringLiteral("ID token checks"), idTokenChecks);
        printChecksText(QStringLiteral("DPoP binding checks"), bindingChecks);
        printDiagnosisText(diagnosis);
    }
    out().flush();
}

void printResult(const TokenActions::Outcome &outcome, const QList<HttpExchange> &steps,
                 bool asJson, const DiagnosisHints &hints)
{
    printActionResult({{"action", commandName(outcome.action)}, {"body", outcome.body}},
                      outcome.succeeded, outcome.summary, outcome.details, outcome.idTokenChecks,
                      outcome.bindingChecks, steps, asJson, hints);
}

// The options every action takes.
struct ActionOptions
{
    ClientOptions client;
    ProfileOptions profiles;
    const QCommandLineOption savedRun{
        "run",
        "Act on this saved run (its id, as the history lists it): its profile is used unless "
        "--profile is given, and the new steps join it in the history.",
        "id"};
    const QCommandLineOption userinfoEndpoint{"userinfo-endpoint", "UserInfo endpoint URL.", "url"};
    const QCommandLineOption introspectionEndpoint{"introspection-endpoint",
                                                   "Introspection endpoint URL.", "url"};
    const QCommandLineOption revocationEndpoint{"revocation-endpoint", "Revocation endpoint URL.",
                                                "url"};
    const QCommandLineOption accessEnv{
        "access-token-env", "Read the access token from this environment variable.", "name"};
    const QCommandLineOption refreshEnv{
        "refresh-token-env",
        "Read the refresh token from this environment variable (default: the one the profile "
        "keeps in the keychain).",
        "name"};
    const QCommandLineOption tokenType{
        "token-type",
        "introspect and revoke: which token, access or refresh (default: the access token when "
        "one is given, else the refresh token).",
        "access|refresh"};

    // logout names the ID token and its endpoints instead of the token options.
    bool logout = false;
    const QCommandLineOption idTokenEnv{
        "id-token-env",
        "logout: read the ID token to send as id_token_hint from this environment variable "
        "(without it only client_id names the client, and providers may then not send the "
        "browser back).",
        "name"};
    const QCommandLineOption endSessionEndpoint{
        "end-session-endpoint", "logout: the provider's end_session_endpoint.", "url"};
    const QCommandLineOption postLogoutRedirectUri{
        "post-logout-redirect-uri",
        "logout: the loopback URI the browser comes back to (default: the profile's, else "
        "http://127.0.0.1/logged-out on any free port).",
        "uri"};
    const QCommandLineOption browserCommand{
        "browser-command",
        "logout: a program to open the end-session URL with (it gets the URL as its argument); "
        "otherwise the URL is printed to open by hand.",
        "program"};
    const QCommandLineOption wait{
        "timeout", "logout: seconds to wait for the browser to come back (default 300).", "seconds",
        "300"};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions(client.all());
        parser.addOptions(profiles.all());
        parser.addOption(savedRun);
        if (logout)
            parser.addOptions(
                {idTokenEnv, endSessionEndpoint, postLogoutRedirectUri, browserCommand, wait});
        else
            parser.addOptions({userinfoEndpoint, introspectionEndpoint, revocationEndpoint,
                               accessEnv, refreshEnv, tokenType});
    }
};

// What an action acts for: the saved run, the profile (named, or the run's) and the client.
struct Subject
{
    RunRecord record;
    QString profileName;
    Profile profile;
    bool fromProfile = false;
    ClientConfig config;
};

// The subject from the options; the reason when it cannot be had.
std::optional<Subject> subjectOf(const QCommandLineParser &parser, const ActionOptions &options,
                                 QString *problem)
{
    Subject subject;
    subject.profileName = parser.value(options.profiles.profile);
    if (parser.isSet(options.savedRun)) {
        RunHistory history;
        QString why;
        const auto loaded = history.load(parser.value(options.savedRun), &why);
        if (!loaded) {
            *problem = QStringLiteral("no saved run \"%1\" in %2: %3")
                           .arg(parser.value(options.savedRun), history.directory(), why);
            return std::nullopt;
        }
        subject.record = *loaded;
        if (subject.profileName.isEmpty())
            subject.profileName = subject.record.profile;
    }
    if (!subject.profileName.isEmpty()) {
        QString why;
        const bool loaded =
            loadProfile(subject.profileName, &subject.config, &why, &subject.profile);
        // A run made without a saved profile (or in the sandbox) names none to load: the
        // options say where to go.
        const bool runWithoutProfile =
            !parser.isSet(options.profiles.profile) && why.startsWith("no ");
        if (!loaded && !runWithoutProfile) {
            *problem = why;
            return std::nullopt;
        }
        subject.fromProfile = loaded;
    }
    if (!options.client.apply(parser, &subject.config, problem))
        return std::nullopt;
    const QList<std::pair<const QCommandLineOption *, QUrl *>> endpoints =
        options.logout
            ? QList<std::pair<const QCommandLineOption *, QUrl *>>{{&options.endSessionEndpoint,
                                                                    &subject.config
                                                                         .endSessionEndpoint},
                                                                   {&options.postLogoutRedirectUri,
                                                                    &subject.config
                                                                         .postLogoutRedirectUri}}
            : QList<std::pair<const QCommandLineOption *, QUrl *>>{
                  {&options.userinfoEndpoint, &subject.config.userinfoEndpoint},
                  {&options.introspectionEndpoint, &subject.config.introspectionEndpoint},
                  {&options.revocationEndpoint, &subject.config.revocationEndpoint}};
    for (const auto &[option, url] : endpoints) {
        if (parser.isSet(*option))
            *url = QUrl(parser.value(*option));
    }
    return subject;
}

// The tokens to act with: from the variables named, never from an argument; the refresh token
// the profile keeps otherwise.
struct Tokens
{
    TokenSet set;
    bool refreshFromKeychain = false; // a rotated refresh token goes back to the keychain
    Target target = Target::AccessToken;
};

std::optional<Tokens> tokensOf(const QCommandLineParser &parser, const ActionOptions &options,
                               const Subject &subject, QString *problem)
{
    QString accessToken;
    QString refreshToken = subject.config.refreshToken; // the profile's kept one, if any
    const bool keptRefreshToken = subject.fromProfile && !refreshToken.isEmpty();
    for (const auto &[option, field] : {std::pair{&options.accessEnv, &accessToken},
                                        std::pair{&options.refreshEnv, &refreshToken}}) {
        if (parser.isSet(*option) && !secretFromEnvironment(parser.value(*option), field, problem))
            return std::nullopt;
    }
    Tokens tokens;
    tokens.set.accessToken = accessToken.toUtf8();
    tokens.set.refreshToken = refreshToken.toUtf8();
    // Tokens given to a client that proves a DPoP key are taken as bound to it.
    tokens.set.tokenType =
        subject.config.useDpop ? QStringLiteral("DPoP") : QStringLiteral("Bearer");
    tokens.refreshFromKeychain = keptRefreshToken && !parser.isSet(options.refreshEnv);
    tokens.target = tokens.set.accessToken.isEmpty() ? Target::RefreshToken : Target::AccessToken;
    if (parser.isSet(options.tokenType)) {
        const QString type = parser.value(options.tokenType);
        if (type != QLatin1String("access") && type != QLatin1String("refresh")) {
            *problem = QStringLiteral("--token-type is access or refresh, not \"%1\"").arg(type);
            return std::nullopt;
        }
        tokens.target =
            type == QLatin1String("access") ? Target::AccessToken : Target::RefreshToken;
    }
    return tokens;
}

// After a refresh that rotated the refresh token the profile keeps: keep the new one.
void keepRotated(const Subject &subject, const Tokens &tokens, const QByteArray &rotated)
{
    if (!tokens.refreshFromKeychain || rotated == tokens.set.refreshToken)
        return;
    const QString kept = keepRefreshToken(subject.profile, rotated);
    err() << (kept.isEmpty() ? QStringLiteral("The server rotated the refresh token: the new one "
                                              "replaces the one profile \"%1\" keeps.\n")
                                   .arg(subject.profile.name)
                             : QStringLiteral("warning: the server rotated the refresh token, "
                                              "and the new one could not be kept in the "
                                              "keychain (%1); the one kept is now spent.\n")
                                   .arg(kept));
    err().flush();
}

// Runs the plan (a refresh first when UserInfo has only a refresh token) in the session; the
// exit code.
int runPlan(RunSession &session, QList<Action> plan, const Subject &subject, const Tokens &tokens,
            bool asJson)
{
    QList<HttpExchange> steps;
    QObject::connect(&session, &RunSession::exchangeRecorded, [&](const HttpExchange &exchange) {
        steps << exchange;
        if (!asJson)
            printExchange(exchange);
    });
    int exitCode = 1;
    QObject::connect(session.actions(), &TokenActions::finished,
                     [&](const TokenActions::Outcome &outcome) {
                         plan.removeFirst();
                         if (outcome.action == Action::Refresh && outcome.succeeded)
                             keepRotated(subject, tokens, session.actions()->tokens().refreshToken);
                         if (outcome.succeeded && !plan.isEmpty()) {
                             err() << "Refreshed; now " << commandName(plan.first()) << ".\n";
                             err().flush();
                             if (session.actions()->run(plan.first(), tokens.target))
                                 return;
                             err() << "error: " << commandName(plan.first()) << " cannot run: "
                                   << session.actions()->unavailableReason(plan.first()) << "\n";
                             printResult(outcome, steps, asJson, session.hints());
                             QCoreApplication::exit(exitCode);
                             return;
                         }
                         printResult(outcome, steps, asJson, session.hints());
                         exitCode = outcome.succeeded ? 0 : 1;
                         QCoreApplication::exit(exitCode);
                     });
    const Target firstTarget =
        plan.first() == Action::Refresh ? Target::RefreshToken : tokens.target;
    if (session.actions()->run(plan.first(), firstTarget))
        QCoreApplication::exec();
    session.waitForSaved();
    return exitCode;
}
void printCallResult(const ApiCaller::Outcome &outcome, const QList<HttpExchange> &steps,
                     bool asJson, const DiagnosisHints &hints)
{
    printActionResult(
        {{"action", "call"}, {"status", outcome.status}, {"refreshed", outcome.refreshed}},
        outcome.succeeded, outcome.summary, outcome.details, {}, {}, steps, asJson, hints);
}

// The client and tokens the options name, with `session` resumed on them (and keeping its runs
// in the history when the options ask); empty (and `problem`) when the options name none.
struct Resumed
{
    Subject subject;
    Tokens tokens;
};
std::optional<Resumed> resume(RunSession &session, const QCommandLineParser &parser,
                              const ActionOptions &options, QString *problem)
{
    std::optional<Subject> subject = subjectOf(parser, options, problem);
    if (!subject)
        return std::nullopt;
    std::optional<Tokens> tokens = tokensOf(parser, options, *subject, problem);
    if (!tokens)
        return std::nullopt;
    if (parser.isSet(options.profiles.save) || parser.isSet(options.savedRun))
        session.setHistory(std::make_unique<RunHistory>());
    if (!session.resume(subject->config, tokens->set, subject->record, subject->profileName,
                        problem))
        return std::nullopt;
    return Resumed{std::move(*subject), std::move(*tokens)};
}

// The request `call` sends, from its URL argument and options; empty (and `problem`) when the
// options cannot make one.
struct CallOptions
{
    const QCommandLineOption method{"method", "The HTTP method (default GET).", "method", "GET"};
    const QCommandLineOption header{"header", "A request header, \"Name: value\" (repeatable).",
                                    "header"};
    const QCommandLineOption data{"data", "The request body, as given.", "body"};
    const QCommandLineOption bearer{"bearer", "Send the token as Bearer even when it is bound to "
                                              "the DPoP key."};

    std::optional<ApiCaller::Request> request(const QCommandLineParser &parser,
                                              QString *problem) const
    {
        ApiCaller::Request request;
        request.url = QUrl(parser.positionalArguments().value(1), QUrl::StrictMode);
        if (!request.url.isValid() || request.url.host().isEmpty()) {
            *problem = QStringLiteral("call needs the API's http(s) URL");
            return std::nullopt;
        }
        request.method = parser.value(method).toUpper().toLatin1();
        for (const QString &line : parser.values(header)) {
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            if (colon <= 0) {
                *problem = QStringLiteral("--header \"%1\" is not \"Name: value\"").arg(line);
                return std::nullopt;
            }
            request.headers.append(
                {line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
        }
        request.body = parser.value(data).toUtf8();
        if (parser.isSet(bearer))
            request.scheme = ApiCaller::Scheme::Bearer;
        return request;
    }
};

// `call URL`: the API request with the tokens given, a refresh on the way when needed.
int runCall(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Calls an API with an access token (Bearer, or DPoP with a proof bound to "
                       "the token) and shows the answer, diagnosed when it is a refusal. A token "
                       "the API refuses as invalid_token is refreshed once, when a refresh token "
                       "is at hand, and the request sent again. Tokens come from environment "
                       "variables or the profile's keychain, as for the other actions."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("call"), QStringLiteral("The command."));
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("The API's URL."));
    const ActionOptions options;
    options.addTo(parser);
    const CallOptions call;
    parser.addOptions({call.method, call.header, call.data, call.bearer});
    if (const auto exit = parseArguments(parser, arguments, QStringLiteral("call")))
        return *exit;
    const auto usage = [&](const QString &message) { return usageError(message, "call"); };
    QString problem;
    const std::optional<ApiCaller::Request> request = call.request(parser, &problem);
    if (!request)
        return usage(problem);
    RunSession session;
    const std::optional<Resumed> resumed = resume(session, parser, options, &problem);
    if (!resumed)
        return usage(problem);
    const Subject *subject = &resumed->subject;
    const Tokens *tokens = &resumed->tokens;
    if (const QString why = session.api()->unavailableReason(*request); !why.isEmpty())
        return usage(why);
    const bool asJson = parser.isSet(options.client.json);
    QList<HttpExchange> steps;
    QObject::connect(&session, &RunSession::exchangeRecorded, [&](const HttpExchange &exchange) {
        steps << exchange;
        if (!asJson)
            printExchange(exchange);
    });
    QObject::connect(
        session.actions(), &TokenActions::finished, [&](const TokenActions::Outcome &outcome) {
            if (outcome.succeeded)
                keepRotated(*subject, *tokens, session.actions()->tokens().refreshToken);
        });
    int exitCode = 1;
    QObject::connect(session.api(), &ApiCaller::finished, [&](const ApiCaller::Outcome &outcome) {
        printCallResult(outcome, steps, asJson, session.hints());
        exitCode = outcome.succeeded ? 0 : 1;
        QCoreApplication::exit(exitCode);
    });
    if (session.api()->call(*request))
        QCoreApplication::exec();
    session.waitForSaved();
    return exitCode;
}

// RP-initiated logout: the browser to the end-session endpoint and back to a loopback listener.
int runLogout(const QStringList &arguments)
{
    const QString command = QStringLiteral("logout");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Signs the person out at the provider (OpenID Connect RP-Initiated Logout): opens the "
        "end_session_endpoint with the ID token as id_token_hint, the client_id, a state and a "
        "post_logout_redirect_uri on a loopback listener, and waits for the browser to come back "
        "with the same state. The client comes from --profile (or the profile of the saved run "
        "given with --run) and the options; the ID token from an environment variable. A browser "
        "that does not come back is diagnosed."));
    parser.addHelpOption();
    parser.addPositionalArgument(command, "The command.");
    ActionOptions options;
    options.logout = true;
    options.addTo(parser);
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;
    const auto usage = [&](const QString &message) { return usageError(message, command); };

    QString problem;
    std::optional<Subject> subject = subjectOf(parser, options, &problem);
    if (!subject)
        return usage(problem);
    if (!redirectWaitFrom(parser, options.wait, &subject->config, &problem))
        return usage(problem);
    TokenSet tokens;
    if (parser.isSet(options.idTokenEnv)) {
        QString idToken;
        if (!secretFromEnvironment(parser.value(options.idTokenEnv), &idToken, &problem))
            return usage(problem);
        tokens.idToken = idToken.toUtf8();
    }
    if (const QString why = RpInitiatedLogout::unavailableReason(subject->config); !why.isEmpty())
        return usage(why + QStringLiteral(" (--end-session-endpoint, or a profile filled in by "
                                          "discovery)"));
    RunSession session;
    if (parser.isSet(options.profiles.save) || parser.isSet(options.savedRun))
        session.setHistory(std::make_unique<RunHistory>());
    if (!session.resume(subject->config, tokens, subject->record, subject->profileName, &problem))
        return usage(problem);
    const bool asJson = parser.isSet(options.client.json);
    if (tokens.idToken.isEmpty()) {
        err() << "warning: no ID token (--id-token-env): the request names the client by "
                 "client_id only, and the provider may not send the browser back.\n";
        err().flush();
    }

    QList<HttpExchange> steps;
    QObject::connect(&session, &RunSession::exchangeRecorded, [&](const HttpExchange &exchange) {
        steps << exchange;
        if (!asJson)
            printExchange(exchange);
    });
    QObject::connect(&session, &RunSession::warningRaised, [](const QString &warning) {
        err() << "warning: " << warning << "\n";
        err().flush();
    });
    QProcess browser;
    const QString browserCommand = parser.value(options.browserCommand);
    QObject::connect(&session, &RunSession::logoutUrlReady, [&](const QUrl &url) {
        const QString link = url.toString(QUrl::FullyEncoded);
        err() << "Listening on " << session.logoutFlow()->returnUri().toString() << " for "
              << subject->config.redirectWaitSeconds << " s\n";
        if (browserCommand.isEmpty())
            err() << "Open this URL in a browser:\n\n" << link << "\n\n";
        else
            browser.start(browserCommand, {link});
        err().flush();
    });
    QObject::connect(&browser, &QProcess::errorOccurred, [&](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        err() << "error: the browser command \"" << browserCommand << "\" could not start ("
              << browser.errorString() << "). Open this URL yourself:\n\n"
              << session.logoutFlow()->logoutUrl().toString(QUrl::FullyEncoded) << "\n";
        err().flush();
    });
    int exitCode = 1;
    QObject::connect(
        &session, &RunSession::logoutFinished, [&](const RpInitiatedLogout::Outcome &outcome) {
            printActionResult(
                {{"action", command}, {"return_uri", session.logoutFlow()->returnUri().toString()}},
                outcome.succeeded(), outcome.summary, outcome.details, {}, {}, steps, asJson,
                session.hints());
            exitCode = outcome.succeeded() ? 0 : 1;
            QCoreApplication::exit(exitCode);
        });
    if (!session.logout(subject->config, &problem))
        return usage(problem);
    QCoreApplication::exec();
    if (browser.state() != QProcess::NotRunning && !browser.waitForFinished(5000))
        browser.kill();
    session.waitForSaved();
    return exitCode;
}
} // namespace

bool handles(const QString &command)
{
    return actions().contains(command) || command == QLatin1String("call") ||
           command == QLatin1String("logout");
}

int run(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    if (command == QLatin1String("call"))
        return runCall(arguments);
    if (command == QLatin1String("logout"))
        return runLogout(arguments);
    const Action action = actions().value(command);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        description(action) +
        QStringLiteral(" The client comes from --profile, or from the profile of the saved run "
                       "given with --run, and the options; tokens come from environment "
                       "variables, or the refresh token the profile keeps in the keychain."));
    parser.addHelpOption();
    parser.addPositionalArgument(command, "The command.");
    const ActionOptions options;
    options.addTo(parser);
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;
    const auto usage = [&](const QString &message) { return usageError(message, command); };

    QString problem;
    RunSession session;
    const std::optional<Resumed> resumed = resume(session, parser, options, &problem);
    if (!resumed)
        return usage(problem);
    const Subject *subject = &resumed->subject;
    const Tokens *tokens = &resumed->tokens;
    // UserInfo with only a refresh token: a fresh access token first.
    QList<Action> plan{action};
    if (action == Action::UserInfo && tokens->set.accessToken.isEmpty() &&
        !tokens->set.refreshToken.isEmpty())
        plan.prepend(Action::Refresh);
    if (plan.size() > 1 && subject->config.userinfoEndpoint.isEmpty())
        return usage(QStringLiteral("No UserInfo endpoint is configured (--userinfo-endpoint, or "
                                    "a profile filled in by discovery)."));
    const Target firstTarget =
        plan.first() == Action::Refresh ? Target::RefreshToken : tokens->target;
    if (const QString why = session.actions()->unavailableReason(plan.first(), firstTarget);
        !why.isEmpty())
        return usage(why);
    return runPlan(session, plan, *subject, *tokens, parser.isSet(options.client.json));
}

} // namespace workbench::ActionCommand
