#include "cli/GrantCommand.h"

#include "cli/CliOutput.h"
#include "cli/RunCommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

namespace workbench::GrantCommand {

using CommandLine::ClientOptions;
using CommandLine::err;
using CommandLine::loadProfile;
using CommandLine::out;
using CommandLine::ProfileOptions;
using CommandLine::runToEnd;

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
           *grant != GrantType::DeviceCode && *grant != GrantType::Ciba;
}

// The options of the token command.
struct GrantOptions
{
    const QCommandLineOption grant{
        "grant",
        "client_credentials, refresh_token, password, token-exchange or jwt-bearer (or the "
        "grant_type URN).",
        "grant"};
    ClientOptions client;
    const QCommandLineOption issuer{
        "issuer", "Issuer identifier (the audience of assertions the app signs).", "url"};
    const QCommandLineOption scope{"scope", "Space-separated scopes.", "scopes"};
    const QCommandLineOption audience{"audience", "The audience parameter.", "audience"};
    const QCommandLineOption resource{"resource", "A resource indicator (repeatable).", "uri"};
    const QCommandLineOption refreshEnv{
        "refresh-token-env", "refresh_token: read the refresh token from this variable.", "name"};
    const QCommandLineOption username{"username", "password: the resource owner's name.", "name"};
    const QCommandLineOption passwordEnv{"password-env",
                                         "password: read the password from this variable.", "name"};
    const QCommandLineOption subjectEnv{
        "subject-token-env", "token-exchange: read the subject token from this variable.", "name"};
    const QCommandLineOption subjectType{
        "subject-token-type", "token-exchange: the subject token's type (default: access token).",
        "urn", QStringLiteral("urn:ietf:params:oauth:token-type:access_token")};
    const QCommandLineOption actorEnv{
        "actor-token-env", "token-exchange: read an actor token from this variable.", "name"};
    const QCommandLineOption actorType{"actor-token-type",
                                       "token-exchange: the actor token's type.", "urn"};
    const QCommandLineOption requestedType{"requested-token-type",
                                           "token-exchange: the type of token asked for.", "urn"};
    const QCommandLineOption assertionEnv{
        "assertion-env", "jwt-bearer: read a ready-made assertion from this variable.", "name"};
    const QCommandLineOption assertionSubject{
        "assertion-subject", "jwt-bearer: the subject of the assertion the app signs.", "sub"};
    const QCommandLineOption timeout{"timeout", "Seconds to wait for the answer.", "seconds", "30"};
    const QCommandLineOption rar =
        CommandLine::rarOption(QStringLiteral("with client_credentials (RFC 9396 §6.1)"));
    ProfileOptions profiles;

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOption(grant);
        parser.addOptions(client.all());
        parser.addOptions(profiles.all());
        parser.addOptions({issuer, scope, audience, resource, refreshEnv, username, passwordEnv,
                           subjectEnv, subjectType, actorEnv, actorType, requestedType,
                           assertionEnv, assertionSubject, timeout, rar});
    }
};

// The grant's own options over the config (a profile's, or the defaults); its secrets each from
// the variable named, never from an argument.
bool applyGrantOptions(const QCommandLineParser &parser, const GrantOptions &options,
                       ClientConfig &config, QString *problem)
{
    const bool fromProfile = parser.isSet(options.profiles.profile);
    if (parser.isSet(options.issuer))
        config.issuer = QUrl(parser.value(options.issuer));
    // What is given replaces the profile's value (without a profile: the defaults).
    const QList<std::pair<const QCommandLineOption *, QString *>> texts{
        {&options.scope, &config.scope},
        {&options.audience, &config.audience},
        {&options.username, &config.username},
        {&options.subjectType, &config.subjectTokenType},
        {&options.actorType, &config.actorTokenType},
        {&options.requestedType, &config.requestedTokenType},
        {&options.assertionSubject, &config.assertionSubject}};
    for (const auto &[option, field] : texts) {
        if (parser.isSet(*option) || !fromProfile)
            *field = parser.value(*option);
    }
    if (parser.isSet(options.resource))
        config.resources = parser.values(options.resource);
    if (parser.isSet(options.rar) && config.grant != GrantType::ClientCredentials) {
        *problem = QStringLiteral("--rar goes with client_credentials here; the code flow takes "
                                  "it with 'authorize', CIBA with 'ciba'");
        return false;
    }
    if (!CommandLine::authorizationDetailsFrom(parser, options.rar, &config, problem))
        return false;
    if (parser.isSet(options.timeout) || !fromProfile) {
        const int timeoutSeconds = parser.value(options.timeout).toInt();
        if (timeoutSeconds < 1 || timeoutSeconds > ClientConfig::kMaxTimeoutSeconds) {
            *problem = QStringLiteral("--timeout must be 1 to %1 seconds")
                           .arg(ClientConfig::kMaxTimeoutSeconds);
            return false;
        }
        config.timeoutSeconds = timeoutSeconds;
    }
    const QList<std::pair<const QCommandLineOption *, QString *>> secrets{
        {&options.refreshEnv, &config.refreshToken},
        {&options.passwordEnv, &config.password},
        {&options.subjectEnv, &config.subjectToken},
        {&options.actorEnv, &config.actorToken},
        {&options.assertionEnv, &config.assertion}};
    for (const auto &[option, field] : secrets) {
        if (parser.isSet(*option) &&
            !CommandLine::secretFromEnvironment(parser.value(*option), field, problem))
            return false;
    }
    return true;
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
    const GrantOptions options;
    options.addTo(parser);
    if (const auto exit = CommandLine::parseArguments(parser, arguments, kCommand))
        return *exit;
    const QCommandLineOption &profile = options.profiles.profile;

    ClientConfig config;
    if (parser.isSet(profile)) {
        if (QString problem; !loadProfile(parser.value(profile), &config, &problem))
            return usageError(problem);
    }
    if (!parser.isSet(options.grant) && !parser.isSet(profile))
        return usageError(QStringLiteral("--grant is required"));
    if (parser.isSet(options.grant) &&
        !grantFromArgument(parser.value(options.grant), &config.grant))
        return usageError(QStringLiteral("\"%1\" is not a grant this command runs (the code, "
                                         "implicit, device and CIBA flows have their own commands)")
                              .arg(parser.value(options.grant)));
    if (QString problem; !options.client.apply(parser, &config, &problem))
        return usageError(problem);
    if (usesBrowser(config.grant) || isDecoupled(config.grant))
        return usageError(QStringLiteral("profile \"%1\" runs %2: use 'authorize', 'device' or "
                                         "'ciba', or name the grant with --grant")
                              .arg(parser.value(profile), grantTypeName(config.grant)));
    if (QString problem; !applyGrantOptions(parser, options, config, &problem))
        return usageError(problem);
    if (const QStringList problems = config.validate(); !problems.isEmpty())
        return usageError(problems.join(QStringLiteral("\n  ")));
    return runToEnd(config, options.profiles.runOptions(parser, options.client.json));
}

namespace {
// The decoupled grants: the device flow, and CIBA in poll mode. Both ask a first endpoint, then
// poll the token endpoint while the person approves elsewhere.
int decoupled(const QStringList &arguments, GrantType grant)
{
    const bool ciba = grant == GrantType::Ciba;
    const QString command = ciba ? QStringLiteral("ciba") : QStringLiteral("device");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        ciba ? QStringLiteral(
                   "Runs CIBA in poll mode (OpenID Connect Client-Initiated Backchannel "
                   "Authentication): asks the backchannel authentication endpoint to reach the "
                   "person named by --login-hint on their own device, polls the token endpoint "
                   "at the interval the server asks for, and prints the outcome. The client "
                   "must be confidential.")
             : QStringLiteral(
                   "Runs the device authorization grant (RFC 8628): asks for a user code, prints "
                   "it with the link to enter it at and the link as a QR code (on standard "
                   "error), polls the token endpoint at the interval the server asks for, and "
                   "prints the outcome."));
    parser.addHelpOption();
    parser.addPositionalArgument(command, "The command.");
    const QCommandLineOption endpoint(
        ciba ? QStringLiteral("backchannel-endpoint")
             : QStringLiteral("device-authorization-endpoint"),
        ciba ? QStringLiteral("Backchannel authentication endpoint URL.")
             : QStringLiteral("Device authorization endpoint URL."),
        QStringLiteral("url"));
    const QCommandLineOption loginHint(
        "login-hint", "ciba: whom to ask (login_hint), as the server knows them.", "hint");
    const QCommandLineOption bindingMessage(
        "binding-message", "ciba: a short text the person's device shows too.", "text");
    const ClientOptions client;
    const ProfileOptions profiles;
    const QCommandLineOption issuer(
        "issuer", "Issuer identifier the ID token's iss must equal exactly.", "url");
    const QCommandLineOption jwksUri(
        "jwks-uri", "The issuer's JWKS URI, to check the ID token's signature.", "url");
    const QCommandLineOption scope("scope", "Space-separated scopes.", "scopes");
    parser.addOptions(client.all());
    parser.addOptions(profiles.all());
    parser.addOptions({endpoint, issuer, jwksUri, scope});
    const QCommandLineOption rar =
        CommandLine::rarOption(QStringLiteral("on the backchannel authentication request"));
    if (ciba)
        parser.addOptions({loginHint, bindingMessage, rar});
    if (const auto exit = CommandLine::parseArguments(parser, arguments, command))
        return *exit;

    ClientConfig config;
    if (parser.isSet(profiles.profile)) {
        if (QString problem; !loadProfile(parser.value(profiles.profile), &config, &problem))
            return CommandLine::usageError(problem, command);
    }
    config.grant = grant;
    if (parser.isSet(endpoint))
        (ciba ? config.backchannelAuthenticationEndpoint : config.deviceAuthorizationEndpoint) =
            QUrl(parser.value(endpoint));
    if (QString problem; !client.apply(parser, &config, &problem))
        return CommandLine::usageError(problem, command);
    if (parser.isSet(issuer))
        config.issuer = QUrl(parser.value(issuer));
    if (parser.isSet(jwksUri))
        config.jwksUri = QUrl(parser.value(jwksUri));
    if (parser.isSet(scope))
        config.scope = parser.value(scope);
    if (ciba && parser.isSet(loginHint))
        config.loginHint = parser.value(loginHint);
    if (ciba && parser.isSet(bindingMessage))
        config.bindingMessage = parser.value(bindingMessage);
    if (QString problem;
        ciba && !CommandLine::authorizationDetailsFrom(parser, rar, &config, &problem))
        return CommandLine::usageError(problem, command);
    if (const QStringList problems = config.validate(); !problems.isEmpty())
        return CommandLine::usageError(problems.join(QStringLiteral("\n  ")), command);

    return runToEnd(config, profiles.runOptions(parser, client.json));
}
} // namespace

int device(const QStringList &arguments)
{
    return decoupled(arguments, GrantType::DeviceCode);
}

int ciba(const QStringList &arguments)
{
    return decoupled(arguments, GrantType::Ciba);
}

} // namespace workbench::GrantCommand
