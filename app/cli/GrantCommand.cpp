#include "GrantCommand.h"

#include "CliOutput.h"
#include "flows/TokenGrantFlow.h"
#include "http/ExchangeClient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

namespace workbench::GrantCommand {

using CommandLine::ClientOptions;
using CommandLine::err;
using CommandLine::out;

namespace {
const QString kCommand = QStringLiteral("token");

int usageError(const QString &message)
{
    return CommandLine::usageError(message, kCommand);
}

// The short names the command takes, beside the grant_type values themselves.
bool grantFromArgument(const QString &name, GrantType *grant)
{
    const QHash<QString, GrantType> shortNames{
        {QStringLiteral("client_credentials"), GrantType::ClientCredentials},
        {QStringLiteral("refresh_token"), GrantType::RefreshToken},
        {QStringLiteral("password"), GrantType::Password},
        {QStringLiteral("token-exchange"), GrantType::TokenExchange},
        {QStringLiteral("jwt-bearer"), GrantType::JwtBearer}};
    if (shortNames.contains(name)) {
        *grant = shortNames.value(name);
        return true;
    }
    return grantTypeFromName(name, grant) && !usesBrowser(*grant) &&
           *grant != GrantType::DeviceCode;
}

} // namespace

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs a grant that needs no browser against a token endpoint, once: prints the request "
        "and the answer and, when it fails, what the error means and how to fix it.\n"
        "Secrets are read from environment variables (the --*-env options) or files, never "
        "from arguments, which other users of the machine can see."));
    parser.addHelpOption();
    parser.addPositionalArgument("token", "The command.");
    const QCommandLineOption grant(
        "grant",
        "client_credentials, refresh_token, password, token-exchange or jwt-bearer (or the "
        "grant_type URN).",
        "grant");
    const ClientOptions client;
    const QCommandLineOption issuer(
        "issuer", "Issuer identifier (the audience of assertions the app signs).", "url");
    const QCommandLineOption scope("scope", "Space-separated scopes.", "scopes");
    const QCommandLineOption audience("audience", "The audience parameter.", "audience");
    const QCommandLineOption resource("resource", "A resource indicator (repeatable).", "uri");
    const QCommandLineOption refreshEnv(
        "refresh-token-env", "refresh_token: read the refresh token from this variable.", "name");
    const QCommandLineOption username("username", "password: the resource owner's name.", "name");
    const QCommandLineOption passwordEnv("password-env",
                                         "password: read the password from this variable.", "name");
    const QCommandLineOption subjectEnv(
        "subject-token-env", "token-exchange: read the subject token from this variable.", "name");
    const QCommandLineOption subjectType(
        "subject-token-type", "token-exchange: the subject token's type (default: access token).",
        "urn", QStringLiteral("urn:ietf:params:oauth:token-type:access_token"));
    const QCommandLineOption actorEnv(
        "actor-token-env", "token-exchange: read an actor token from this variable.", "name");
    const QCommandLineOption actorType("actor-token-type",
                                       "token-exchange: the actor token's type.", "urn");
    const QCommandLineOption requestedType("requested-token-type",
                                           "token-exchange: the type of token asked for.", "urn");
    const QCommandLineOption assertionEnv(
        "assertion-env", "jwt-bearer: read a ready-made assertion from this variable.", "name");
    const QCommandLineOption assertionSubject(
        "assertion-subject", "jwt-bearer: the subject of the assertion the app signs.", "sub");
    const QCommandLineOption timeout("timeout", "Seconds to wait for the answer.", "seconds", "30");
    parser.addOption(grant);
    parser.addOptions(client.all());
    parser.addOptions({issuer, scope, audience, resource, refreshEnv, username, passwordEnv,
                       subjectEnv, subjectType, actorEnv, actorType, requestedType, assertionEnv,
                       assertionSubject, timeout});
    if (const auto exit = CommandLine::parseArguments(parser, arguments, kCommand))
        return *exit;

    ClientConfig config;
    if (!parser.isSet(grant))
        return usageError(QStringLiteral("--grant is required"));
    if (!grantFromArgument(parser.value(grant), &config.grant))
        return usageError(QStringLiteral("\"%1\" is not a grant this command runs (the code, "
                                         "implicit and device flows need 'authorize' or the app)")
                              .arg(parser.value(grant)));
    if (const QString problem = client.apply(parser, &config); !problem.isEmpty())
        return usageError(problem);
    if (parser.isSet(issuer))
        config.issuer = QUrl(parser.value(issuer));
    config.scope = parser.value(scope);
    config.audience = parser.value(audience);
    config.resources = parser.values(resource);
    config.username = parser.value(username);
    config.subjectTokenType = parser.value(subjectType);
    config.actorTokenType = parser.value(actorType);
    config.requestedTokenType = parser.value(requestedType);
    config.assertionSubject = parser.value(assertionSubject);
    const int timeoutSeconds = parser.value(timeout).toInt();
    if (timeoutSeconds < 1 || timeoutSeconds > ClientConfig::kMaxTimeoutSeconds)
        return usageError(QStringLiteral("--timeout must be 1 to %1 seconds")
                              .arg(ClientConfig::kMaxTimeoutSeconds));
    config.timeoutSeconds = timeoutSeconds;

    // The grant's secrets: each from the variable named, never from an argument.
    const QList<std::pair<const QCommandLineOption *, QString *>> secrets{
        {&refreshEnv, &config.refreshToken},
        {&passwordEnv, &config.password},
        {&subjectEnv, &config.subjectToken},
        {&actorEnv, &config.actorToken},
        {&assertionEnv, &config.assertion}};
    for (const auto &[option, field] : secrets) {
        if (!parser.isSet(*option))
            continue;
        if (const QString problem =
                CommandLine::secretFromEnvironment(parser.value(*option), field);
            !problem.isEmpty())
            return usageError(problem);
    }
    if (const QStringList problems = config.validate(); !problems.isEmpty())
        return usageError(problems.join(QStringLiteral("\n  ")));

    const bool asJson = parser.isSet(client.json);
    ExchangeClient exchangeClient;
    exchangeClient.setTimeoutMs(timeoutSeconds * 1000);
    TokenGrantFlow flow(&exchangeClient);
    QList<HttpExchange> exchanges;
    int exitCode = 1;
    QObject::connect(&flow, &TokenGrantFlow::warningRaised, [](const QString &warning) {
        err() << "warning: " << warning << "\n";
        err().flush();
    });
    QObject::connect(&flow, &TokenGrantFlow::exchangeRecorded, [&](const HttpExchange &exchange) {
        exchanges << exchange;
        if (!asJson)
            CommandLine::printExchange(exchange);
    });
    QObject::connect(&flow, &TokenGrantFlow::finished, [&](const FlowOutcome &outcome) {
        exitCode = outcome.succeeded() ? 0 : 1;
        CommandLine::printOutcome(outcome, exchanges, asJson, config);
        QCoreApplication::exit(exitCode);
    });
    if (!flow.start(config))
        return exitCode;
    QCoreApplication::exec();
    return exitCode;
}

} // namespace workbench::GrantCommand
