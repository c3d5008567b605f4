#include "cli/CommandLine.h"

#include "cli/ActionCommand.h"
#include "cli/CaptureCommand.h"
#include "cli/CliOutput.h"
#include "cli/GrantCommand.h"
#include "cli/HistoryCommand.h"
#include "cli/ProbeCommand.h"
#include "cli/RegisterCommand.h"
#include "cli/RunCommand.h"
#include "core/capture/HarImport.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/diagnosis/RawInput.h"
#include "core/jose/Jwe.h"
#include "core/jose/JwsSigner.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/session/RunSession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTextStream>
#include <QTimer>
#include <cstdio>

namespace workbench::CommandLine {

namespace {
const QStringList kCommands{
    QStringLiteral("authorize"), QStringLiteral("token"),    QStringLiteral("device"),
    QStringLiteral("ciba"),      QStringLiteral("discover"), QStringLiteral("explain"),
    QStringLiteral("sandbox"),   QStringLiteral("history"),  QStringLiteral("compare"),
    QStringLiteral("probe"),     QStringLiteral("register"), QStringLiteral("jwks")};

// Reads what explain is given: a file, or standard input for "-" (at most 64 MiB).
std::optional<QByteArray> readExplainInput(const QString &name, QString *problem)
{
    constexpr qint64 kMaxInput = 64 * 1024 * 1024;
    const bool fromStdin = name == QLatin1String("-");
    QFile input(fromStdin ? QString() : name);
    const bool opened =
        fromStdin ? input.open(stdin, QIODevice::ReadOnly) : input.open(QIODevice::ReadOnly);
    if (!opened) {
        *problem = fromStdin ? QStringLiteral("cannot read standard input")
                             : QStringLiteral("cannot open %1: %2").arg(name, input.errorString());
        return std::nullopt;
    }
    QByteArray data = input.read(kMaxInput + 1);
    if (data.size() > kMaxInput) {
        *problem = QStringLiteral("the input is larger than 64 MiB");
        return std::nullopt;
    }
    return data;
}

// --provider list, and an unknown --provider; the exit code when either ends the command.
std::optional<int> checkProviderOption(const KnowledgeBase &kb, const QString &provider, bool isSet)
{
    if (provider == QLatin1String("list")) {
        for (const auto &pack : kb.providers())
            out() << pack.id << "\t" << pack.name << "\n";
        out().flush();
        return 0;
    }
    if (!isSet || kb.provider(provider))
        return std::nullopt;
    QStringList ids;
    for (const auto &pack : kb.providers())
        ids << pack.id;
    return usageError(QStringLiteral("unknown --provider \"%1\"; known: %2")
                          .arg(provider, ids.join(QStringLiteral(", "))),
                      QStringLiteral("explain"));
}

void printExplained(const std::optional<Diagnosis> &diagnosis, bool asJson)
{
    if (asJson) {
        const QJsonObject result =
            diagnosis ? diagnosis->toJson()
                      : QJsonObject{{"code", QJsonValue::Null}, {"title", "No problem found"}};
        out() << QJsonDocument(result).toJson(QJsonDocument::Indented);
    } else if (diagnosis) {
        out() << diagnosis->toText();
    } else {
        out() << "No problem found: the response carries no error.\n";
    }
    out().flush();
}

int explain(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Explains an error: what it means, its likely causes ranked by the "
                       "evidence, and how to fix it. FILE holds a raw HTTP response (status "
                       "line, headers, blank line, body), the request that was sent followed by "
                       "its response, or a redirect URL; '-' reads standard input. A HAR file "
                       "(a browser's or a proxy's capture of a login) is read as a whole flow: "
                       "its OAuth and OpenID Connect exchanges are found, checked together and "
                       "each diagnosed; secrets are masked in what is printed."));
    parser.addHelpOption();
    parser.addPositionalArgument("explain", "The command.");
    parser.addPositionalArgument("FILE", "The response or URL to explain, or - for stdin.");
    const QCommandLineOption json("json", "Print the diagnosis as JSON.");
    const QCommandLineOption endpoint(
        "endpoint",
        "Which endpoint answered: token, authorization, resource, registration or end_session.",
        "kind");
    const QCommandLineOption grant("grant", "The grant_type that was sent, if any.", "type");
    const QCommandLineOption provider(
        "provider",
        "The provider that answered (a pack id such as entra, google, okta; 'list' prints them). "
        "Without it the provider is identified from the URL, codes and headers.",
        "id");
    const QCommandLineOption issuer("issuer", "The issuer of the profile the request was made for.",
                                    "url");
    const QCommandLineOption saveRedacted(
        "save-redacted", "For a HAR: write the exchanges found, redacted, as a HAR file.", "file");
    const QCommandLineOption keep(
        "save", "For a HAR: keep it in the history (redacted), for compare and the window.");
    parser.addOptions({json, endpoint, grant, provider, issuer, saveRedacted, keep});
    if (const auto exit = parseArguments(parser, arguments, QStringLiteral("explain")))
        return *exit;
    const QStringList kbErrors = KnowledgeBase::builtInLoadErrors();
    if (!kbErrors.isEmpty()) {
        err() << "oauth-workbench: the knowledge base is damaged:\n  " << kbErrors.join("\n  ")
              << "\n";
        return 3;
    }
    const KnowledgeBase &kb = KnowledgeBase::builtIn();
    if (const auto exit = checkProviderOption(kb, parser.value(provider), parser.isSet(provider)))
        return *exit;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return usageError(QStringLiteral("explain takes exactly one FILE (or - for stdin)"),
                          QStringLiteral("explain"));

    QString error;
    const std::optional<QByteArray> data = readExplainInput(positional.at(1), &error);
    if (!data)
        return usageError(error, QStringLiteral("explain"));
    if (HarImport::looksLikeHar(*data))
        return CaptureCommand::explain(
            *data, {parser.isSet(json), parser.value(saveRedacted), parser.isSet(keep)});
    if (parser.isSet(saveRedacted) || parser.isSet(keep))
        return usageError(QStringLiteral("--save and --save-redacted are for HAR captures"),
                          QStringLiteral("explain"));
    std::optional<HttpExchange> exchange = RawInput::parse(*data, &error);
    if (!exchange)
        return usageError(QStringLiteral("cannot read the input: ") + error,
                          QStringLiteral("explain"));
    DiagnosisContext context = DiagnosisContext::fromExchange(*exchange);
    if (parser.isSet(endpoint)) {
        const QString kind = parser.value(endpoint);
        if (kind == QLatin1String("token"))
            context.endpoint = DiagnosisContext::Endpoint::Token;
        else if (kind == QLatin1String("authorization"))
            context.endpoint = DiagnosisContext::Endpoint::Authorization;
        else if (kind == QLatin1String("resource"))
            context.endpoint = DiagnosisContext::Endpoint::Resource;
        else if (kind == QLatin1String("registration"))
            context.endpoint = DiagnosisContext::Endpoint::Registration;
        else if (kind == QLatin1String("end_session"))
            context.endpoint = DiagnosisContext::Endpoint::EndSession;
        else
            return usageError(QStringLiteral("unknown --endpoint \"%1\"").arg(kind),
                              QStringLiteral("explain"));
    }
    if (parser.isSet(grant) && context.grantType().isEmpty()) {
        context.sentParameters.append({QStringLiteral("grant_type"), parser.value(grant)});
        context.grantStated = true;
    }
    context.hints.provider = parser.value(provider);
    if (parser.isSet(issuer))
        context.hints.issuer = QUrl(parser.value(issuer));

    const std::optional<Diagnosis> diagnosis = Diagnoser().diagnose(*exchange, context);
    printExplained(diagnosis, parser.isSet(json));
    return 0;
}

int authorize(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs the authorization code flow: prints (or opens) the authorization "
                       "URL, captures the redirect on a loopback listener and redeems the code."));
    parser.addHelpOption();
    parser.addPositionalArgument("authorize", "The command.");
    const QCommandLineOption authEndpoint("authorization-endpoint", "Authorization endpoint URL.",
                                          "url");
    const ClientOptions client;
    const QCommandLineOption issuer(
        "issuer", "Issuer identifier the ID token's iss must equal exactly.", "url");
    const QCommandLineOption jwksUri(
        "jwks-uri", "The issuer's JWKS URI, to check the ID token's signature.", "url");
    const QCommandLineOption scope("scope", "Space-separated scopes.", "scopes", "openid");
    const QCommandLineOption redirect("redirect-uri",
                                      "Loopback redirect URI; without a port a free one is used.",
                                      "uri", "http://127.0.0.1/callback");
    const QCommandLineOption noPkce("no-pkce", "Do not send a PKCE code challenge.");
    const QCommandLineOption plainPkce("pkce-plain", "Use the plain PKCE method instead of S256.");
    const QCommandLineOption param("param", "Extra authorization request parameter (repeatable).",
                                   "name=value");
    const QCommandLineOption browser("browser-command",
                                     "Program to open the URL with (it gets the URL as its "
                                     "argument); otherwise the URL is printed for you to open.",
                                     "program");
    const QCommandLineOption timeout(
        "timeout", "Seconds to wait for the redirect; then the run ends as timed out.", "seconds",
        "300");
    const QCommandLineOption rar = rarOption(QStringLiteral("on the authorization request"));
    const QCommandLineOption responseMode(
        "response-mode",
        QStringLiteral("How the response comes back: %1. The .jwt modes (JARM) ask for a signed "
                       "JWT, checked before the code is used.")
            .arg(ClientConfig::responseModes().join(QStringLiteral(", "))),
        "mode");
    const QCommandLineOption requestObject(
        "request-object", "Send the request's parameters as a signed request object (RFC 9101), "
                          "signed with --private-key, or the secret for client_secret_jwt.");
    const QCommandLineOption requestEncryptionAlg(
        "request-object-encryption-alg",
        QStringLiteral("Encrypt the request object to the server (implies --request-object): %1. "
                       "RSA-OAEP* and ECDH-ES* use the server's key from --jwks-uri; dir and "
                       "A*KW a key derived from the client secret.")
            .arg(Jwe::keyManagementAlgorithms().join(QStringLiteral(", "))),
        "alg");
    const QCommandLineOption requestEncryptionEnc(
        "request-object-encryption-enc",
        QStringLiteral("The request object's content encryption: %1 (default A128CBC-HS256).")
            .arg(Jwe::contentEncryptionAlgorithms().join(QStringLiteral(", "))),
        "enc");
    const ProfileOptions profiles;
    parser.addOptions(client.all());
    parser.addOptions(profiles.all());
    parser.addOptions({authEndpoint, issuer, jwksUri, scope, redirect, noPkce, plainPkce, param,
                       browser, timeout, rar, responseMode, requestObject, requestEncryptionAlg,
                       requestEncryptionEnc});
    if (const auto exit = parseArguments(parser, arguments, QStringLiteral("authorize")))
        return *exit;

    ClientConfig config;
    config.grant = GrantType::AuthorizationCode;
    config.scope = QStringLiteral("openid");
    if (parser.isSet(profiles.profile)) {
        if (QString problem; !loadProfile(parser.value(profiles.profile), &config, &problem))
            return usageError(problem);
        if (!usesBrowser(config.grant))
            config.grant = GrantType::AuthorizationCode;
    }
    if (parser.isSet(authEndpoint))
        config.authorizationEndpoint = QUrl(parser.value(authEndpoint));
    if (QString problem; !client.apply(parser, &config, &problem))
        return usageError(problem);
    if (parser.isSet(issuer))
        config.issuer = QUrl(parser.value(issuer));
    if (parser.isSet(jwksUri))
        config.jwksUri = QUrl(parser.value(jwksUri));
    if (parser.isSet(scope))
        config.scope = parser.value(scope);
    if (parser.isSet(redirect))
        config.redirectUri = QUrl(parser.value(redirect));
    if (QString problem; !authorizationDetailsFrom(parser, rar, &config, &problem))
        return usageError(problem);
    if (parser.isSet(responseMode)) {
        config.responseMode = parser.value(responseMode);
        if (!ClientConfig::responseModes().contains(config.responseMode))
            return usageError(QStringLiteral("--response-mode \"%1\" is none of %2")
                                  .arg(config.responseMode,
                                       ClientConfig::responseModes().join(QStringLiteral(", "))));
    }
    if (parser.isSet(requestObject) || parser.isSet(requestEncryptionAlg))
        config.useRequestObject = true;
    if (parser.isSet(requestEncryptionAlg))
        config.requestObjectEncryptionAlg = parser.value(requestEncryptionAlg);
    if (parser.isSet(requestEncryptionEnc))
        config.requestObjectEncryptionEnc = parser.value(requestEncryptionEnc);
    if (parser.isSet(noPkce))
        config.usePkce = false;
    if (parser.isSet(plainPkce))
        config.pkceMethod = Pkce::Method::Plain;
    QStringList problems;
    if (parser.isSet(param))
        config.extraAuthorizationParameters =
            parseParameterLines(parser.values(param).join(QLatin1Char('\n')), &problems);
    problems << config.validate();
    if (!problems.isEmpty())
        return usageError(problems.join(QStringLiteral("\n  ")));

    if (parser.isSet(timeout) || !parser.isSet(profiles.profile)) {
        QString problem;
        if (!redirectWaitFrom(parser, timeout, &config, &problem))
            return usageError(problem);
    }

    RunOptions run = profiles.runOptions(parser, client.json);
    run.browserCommand = parser.value(browser);
    return runToEnd(config, run);
}

QJsonArray exchangesToJson(const QList<HttpExchange> &exchanges)
{
    QJsonArray recorded;
    for (const HttpExchange &exchange : exchanges)
        recorded.append(exchangeToJson(exchange));
    return recorded;
}

void printDiscovered(const ProviderMetadata &metadata, const QStringList &warnings,
                     const QList<HttpExchange> &exchanges, bool asJson)
{
    if (asJson) {
        out() << QJsonDocument(QJsonObject{{"outcome", "discovered"},
                                           {"metadata", metadata.document},
                                           {"warnings", QJsonArray::fromStringList(warnings)},
                                           {"exchanges", exchangesToJson(exchanges)}})
                     .toJson(QJsonDocument::Indented);
        out().flush();
        return;
    }
    out() << "\nOK: discovered " << metadata.issuer << "\n";
    for (const auto &[name, url] : metadata.endpoints())
        out() << "  " << name << ": " << url.toString() << "\n";
    const std::pair<const char *, QStringList> lists[] = {
        {"grant_types_supported", metadata.grantTypesSupported},
        {"token_endpoint_auth_methods_supported", metadata.tokenEndpointAuthMethodsSupported},
        {"code_challenge_methods_supported", metadata.codeChallengeMethodsSupported},
        {"scopes_supported", metadata.scopesSupported}};
    for (const auto &[name, values] : lists) {
        if (!values.isEmpty())
            out() << "  " << name << ": " << values.join(QStringLiteral(", ")) << "\n";
    }
    for (const QString &warning : warnings)
        out() << "warning: " << warning << "\n";
    out().flush();
}

void printDiscoveryFailed(const QString &summary, const QStringList &details,
                          const QList<HttpExchange> &exchanges, bool asJson)
{
    if (asJson) {
        out() << QJsonDocument(QJsonObject{{"outcome", "failed"},
                                           {"summary", summary},
                                           {"details", QJsonArray::fromStringList(details)},
                                           {"exchanges", exchangesToJson(exchanges)}})
                     .toJson(QJsonDocument::Indented);
    } else {
        out() << "\nFAILED: " << summary << "\n";
        for (const QString &detail : details)
            out() << "  " << detail << "\n";
    }
    out().flush();
}

int discover(const QStringList &arguments)
{
    const QString command = QStringLiteral("discover");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fetches an issuer's metadata (OpenID Connect Discovery, then RFC 8414) and prints its "
        "endpoints and what it supports, with warnings about the document."));
    parser.addHelpOption();
    parser.addPositionalArgument("discover", "The command.");
    parser.addPositionalArgument("issuer", "The issuer URL (or the metadata document's URL).");
    const QCommandLineOption json("json", "Print the result as one JSON document.");
    const QCommandLineOption timeout("timeout", "Seconds to wait for each answer.", "seconds",
                                     "30");
    parser.addOptions({json, timeout});
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;
    if (parser.positionalArguments().size() != 2)
        return usageError(QStringLiteral("name one issuer URL"), command);
    const QUrl issuer(parser.positionalArguments().at(1));
    if (!issuer.isValid() || !issuer.scheme().startsWith(QLatin1String("http")))
        return usageError(QStringLiteral("the issuer must be an http(s) URL"), command);
    ClientConfig connection;
    bool timeoutOk = false;
    connection.timeoutSeconds = parser.value(timeout).toInt(&timeoutOk);
    if (!timeoutOk || connection.timeoutSeconds < 1 ||
        connection.timeoutSeconds > ClientConfig::kMaxTimeoutSeconds)
        return usageError(QStringLiteral("--timeout must be 1 to %1 seconds")
                              .arg(ClientConfig::kMaxTimeoutSeconds),
                          command);

    const bool asJson = parser.isSet(json);
    RunSession session;
    QList<HttpExchange> exchanges;
    int exitCode = 1;
    QObject::connect(&session, &RunSession::exchangeRecorded, [&](const HttpExchange &exchange) {
        exchanges << exchange;
        if (!asJson)
            printExchange(exchange);
    });
    QObject::connect(&session, &RunSession::discovered,
                     [&](const ProviderMetadata &metadata, const QStringList &warnings) {
                         exitCode = 0;
                         printDiscovered(metadata, warnings, exchanges, asJson);
                         QCoreApplication::exit(exitCode);
                     });
    QObject::connect(&session, &RunSession::discoveryFailed,
                     [&](const QString &summary, const QStringList &details) {
                         printDiscoveryFailed(summary, details, exchanges, asJson);
                         QCoreApplication::exit(1);
                     });
    QString problem;
    if (!session.discover(issuer, connection, &problem)) {
        err() << "error: " << problem << "\n";
        return 1;
    }
    return QCoreApplication::exec();
}

int sandbox(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs the built-in sandbox OpenID provider on 127.0.0.1 until interrupted, "
                       "for other tools to use; prints its issuer and clients."));
    parser.addHelpOption();
    parser.addPositionalArgument("sandbox", "The command.");
    const QCommandLineOption triggers("triggers",
                                      "Print the error triggers as a Markdown table and exit.");
    parser.addOption(triggers);
    if (const auto exit = parseArguments(parser, arguments, QStringLiteral("sandbox")))
        return *exit;
    if (parser.isSet(triggers)) {
        out() << SandboxTriggers::markdownTable();
        out().flush();
        return 0;
    }
    SandboxProvider provider;
    if (!provider.start()) {
        err() << "error: the sandbox could not start: " << provider.errorString() << "\n";
        return 1;
    }
    out() << "issuer: " << provider.issuer() << "\n"
          << "discovery: " << provider.issuer() << "/.well-known/openid-configuration\n"
          << "public client: " << SandboxProvider::kPublicClientId << " (PKCE)\n"
          << "confidential client: " << SandboxProvider::kConfidentialClientId << " / secret "
          << SandboxProvider::kConfidentialSecret << "\n";
    out().flush();
    return QCoreApplication::exec();
}
} // namespace

QString versionText()
{
    return QStringLiteral("oauth-workbench %1").arg(QStringLiteral(WORKBENCH_VERSION));
}

bool handles(const QStringList &arguments)
{
    return arguments.size() > 1 &&
           (kCommands.contains(arguments.at(1)) || ActionCommand::handles(arguments.at(1)) ||
            arguments.at(1) == QLatin1String("--version") ||
            arguments.at(1) == QLatin1String("-v"));
}

// The client's public keys as a JWK Set, to register with a server (its jwks) or serve at a
// jwks_uri: the signing key's public half (use "sig") and the decryption key's (use "enc").
int jwks(const QStringList &arguments)
{
    const QString command = QStringLiteral("jwks");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Prints the client's public keys as a JWK Set (RFC 7517) for its registration: the "
        "signing key (--private-key) with use \"sig\", the decryption key (--decryption-key) "
        "with use \"enc\". Private parts are never printed."));
    parser.addHelpOption();
    parser.addPositionalArgument("jwks", "The command.");
    const ClientOptions options;
    parser.addOptions({options.privateKey, options.passphraseEnv, options.signingAlg, options.keyId,
                       options.decryptionKey, options.decryptionKid});
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;
    if (!parser.isSet(options.privateKey) && !parser.isSet(options.decryptionKey))
        return usageError(QStringLiteral("give --private-key, --decryption-key or both"), command);
    ClientConfig config;
    QString problem;
    if (!options.applyKeys(parser, &config, &problem))
        return usageError(problem, command);
    if (parser.isSet(options.privateKey)) {
        config.authMethod = ClientAuthMethod::PrivateKeyJwt;
        QString why;
        if (!SigningKey::fromPem(config.privateKeyPem.toUtf8(),
                                 config.privateKeyPassphrase.toUtf8(), config.signingAlgorithm,
                                 config.keyId, &why)
                 .isValid())
            return usageError(QStringLiteral("--private-key: %1").arg(why), command);
    }
    out() << QJsonDocument(config.publicJwks()).toJson(QJsonDocument::Indented);
    out().flush();
    return 0;
}

int run(const QStringList &arguments)
{
    if (arguments.size() < 2 || arguments.at(1) == QLatin1String("--help") ||
        arguments.at(1) == QLatin1String("-h")) {
        out() << versionText() << "\n\nUsage: oauth-workbench-cli <command> [options]\n\n"
              << "Commands:\n  authorize   run the authorization code flow (see authorize "
                 "--help)\n  token       run a grant without a browser: client credentials, "
                 "refresh,\n              password, token exchange, JWT bearer (see token --help)"
                 "\n  device      run the device authorization grant (see device --help)"
                 "\n  ciba        run CIBA in poll mode: approve on a phone (see ciba --help)"
                 "\n  discover    fetch and show an issuer's metadata (see discover --help)"
                 "\n  refresh, userinfo, introspect, revoke\n              act on the tokens of a "
                 "profile or a saved run (see refresh --help)"
                 "\n  call        call an API with the access token, Bearer or DPoP (see call "
                 "--help)"
                 "\n  logout      sign out at the provider (RP-initiated logout, see logout "
                 "--help)"
                 "\n  history     list the saved runs and their ids"
                 "\n  compare     compare two saved runs, the likeliest reason first (see "
                 "compare --help)"
                 "\n  probe       probe the authorization server with negative tests (see "
                 "probe --help)"
                 "\n  register    register a client at the server and manage it (see "
                 "register --help)"
                 "\n  jwks        print the client's public keys as a JWK Set (see jwks --help)"
                 "\n  explain     explain an error response or redirect (see explain "
                 "--help)\n  sandbox     run the built-in sandbox provider (see sandbox --help)\n"
                 "  --version   print the version\n";
        out().flush();
        return arguments.size() < 2 ? 2 : 0;
    }
    if (arguments.at(1) == QLatin1String("--version") || arguments.at(1) == QLatin1String("-v")) {
        out() << versionText() << "\n";
        out().flush();
        return 0;
    }
    if (arguments.at(1) == QLatin1String("authorize"))
        return authorize(arguments);
    if (arguments.at(1) == QLatin1String("token"))
        return GrantCommand::run(arguments);
    if (arguments.at(1) == QLatin1String("device"))
        return GrantCommand::device(arguments);
    if (arguments.at(1) == QLatin1String("ciba"))
        return GrantCommand::ciba(arguments);
    if (arguments.at(1) == QLatin1String("discover"))
        return discover(arguments);
    if (arguments.at(1) == QLatin1String("history"))
        return HistoryCommand::run(arguments);
    if (arguments.at(1) == QLatin1String("compare"))
        return HistoryCommand::compare(arguments);
    if (arguments.at(1) == QLatin1String("probe"))
        return ProbeCommand::run(arguments);
    if (arguments.at(1) == QLatin1String("register"))
        return RegisterCommand::run(arguments);
    if (arguments.at(1) == QLatin1String("jwks"))
        return jwks(arguments);
    if (ActionCommand::handles(arguments.at(1)))
        return ActionCommand::run(arguments);
    if (arguments.at(1) == QLatin1String("explain"))
        return explain(arguments);
    if (arguments.at(1) == QLatin1String("sandbox"))
        return sandbox(arguments);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(arguments.at(1)));
}

} // namespace workbench::CommandLine
