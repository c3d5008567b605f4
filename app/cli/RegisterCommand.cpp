#include "cli/RegisterCommand.h"

#include "cli/CliOutput.h"
#include "cli/RunCommand.h"
#include "core/session/RunSession.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace workbench::RegisterCommand {

using namespace CommandLine;

namespace {
const QString kCommand = QStringLiteral("register");

// Writes and removes a profile's secrets in the keychain, waiting for each answer; the
// problems, empty when all went through.
QStringList changeSecrets(const Profile &profile, const QStringList &write,
                          const ClientConfig &values, const QStringList &remove)
{
    SecretStore secrets;
    QEventLoop loop;
    QStringList problems;
    qsizetype answered = 0;
    const qsizetype expected = write.size() + remove.size();
    const auto answer = [&](const SecretStore::Result &result, bool removing) {
        if (!result.ok() && !(removing && result.status == SecretStore::Status::NotFound))
            problems << result.error;
        if (++answered == expected)
            loop.quit();
    };
    QObject::connect(&secrets, &SecretStore::secretWritten, &loop,
                     [&](const SecretStore::Result &result) { answer(result, false); });
    QObject::connect(&secrets, &SecretStore::secretRemoved, &loop,
                     [&](const SecretStore::Result &result) { answer(result, true); });
    QTimer::singleShot(30000, &loop, [&] {
        problems << QStringLiteral("the keychain did not answer within 30 s");
        loop.quit();
    });
    for (const QString &field : write)
        secrets.write(profile.secretKey(field), values.secretField(field));
    for (const QString &field : remove)
        secrets.remove(profile.secretKey(field));
    if (answered < expected)
        loop.exec();
    problems.removeDuplicates();
    return problems;
}

// The secrets of a registered client its profile keeps.
QStringList registrationSecrets(const ClientConfig &config)
{
    QStringList fields;
    for (const QString &field :
         {QStringLiteral("client_secret"), QStringLiteral("registration_access_token"),
          QStringLiteral("private_key")}) {
        if (!config.secretField(field).isEmpty())
            fields << field;
    }
    return fields;
}

// Saves `config` as profile `name` (replacing the settings of `existing` when given); the
// problem, empty when the profile and its secrets were kept.
QString keepProfile(const QString &name, const ClientConfig &config, const Profile *existing,
                    QStringList removedSecrets = {})
{
    ProfileStore store;
    if (QString problem; !store.load(&problem))
        return QStringLiteral("the profiles cannot be read: %1").arg(problem);
    Profile profile = existing ? *existing : Profile::create(name, config.withoutSecrets());
    profile.config = config.withoutSecrets();
    const QStringList secrets = registrationSecrets(config);
    for (const QString &field : secrets) {
        if (!profile.remembers(field))
            profile.rememberedSecrets << field;
    }
    for (const QString &field : removedSecrets)
        profile.rememberedSecrets.removeAll(field);
    if (existing) {
        store.update(profile);
    } else {
        for (const Profile &other : store.profiles()) {
            if (other.name == name)
                return QStringLiteral("a profile \"%1\" exists already; choose another "
                                      "--save-profile name")
                    .arg(name);
        }
        store.add(profile);
    }
    // The secrets first: a profile that names secrets the keychain lacks would not run.
    if (const QStringList problems = changeSecrets(profile, secrets, config, removedSecrets);
        !problems.isEmpty())
        return QStringLiteral("the keychain could not keep the client's secrets (%1); the "
                              "profile was not saved. Run again with --json to receive them "
                              "for your own store")
            .arg(problems.join(QStringLiteral("; ")));
    if (QString problem; !store.save(&problem))
        return QStringLiteral("the profile could not be saved: %1").arg(problem);
    return {};
}

std::optional<QJsonObject> readMetadataFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.read(1024 * 1024), &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object of client metadata%2")
                     .arg(path, parseError.error == QJsonParseError::NoError
                                    ? QString()
                                    : QStringLiteral(" (%1)").arg(parseError.errorString()));
        return std::nullopt;
    }
    return document.object();
}

// Fetches the issuer's metadata into `config`; false, with why not, when discovery failed.
bool discoverInto(RunSession &session, const QUrl &issuer, ClientConfig *config,
                  QUrl *registrationEndpoint, QString *error)
{
    QEventLoop loop;
    bool found = false;
    QObject::connect(&session, &RunSession::discovered, &loop,
                     [&](const ProviderMetadata &metadata, const QStringList &) {
                         metadata.applyTo(config);
                         *registrationEndpoint = metadata.registrationEndpoint;
                         found = true;
                         loop.quit();
                     });
    QObject::connect(&session, &RunSession::discoveryFailed, &loop,
                     [&](const QString &summary, const QStringList &details) {
                         *error = QStringLiteral("discovery failed: %1 %2")
                                      .arg(summary, details.join(QLatin1Char(' ')));
                         loop.quit();
                     });
    if (!session.discover(issuer, *config, error))
        return false;
    loop.exec();
    if (found && registrationEndpoint->isEmpty())
        *error = QStringLiteral("%1 names no registration_endpoint: it does not offer dynamic "
                                "registration (or not to everyone); give --registration-endpoint "
                                "if you know one")
                     .arg(issuer.toString());
    return found && !registrationEndpoint->isEmpty();
}
} // namespace

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Registers a client at the server (OpenID Connect Dynamic Client Registration, RFC 7591) "
        "from these options or a profile's settings, and keeps it as a new profile with "
        "--save-profile: its client secret and registration access token go to the keychain. "
        "With --profile of a registered client, --read, --update and --delete manage the "
        "registration (RFC 7592)."));
    parser.addHelpOption();
    parser.addPositionalArgument("register", "The command.");
    const QCommandLineOption endpoint("registration-endpoint",
                                      "The registration endpoint (otherwise discovered from "
                                      "--issuer).",
                                      "url");
    const QCommandLineOption issuer("issuer", "The issuer: discovery finds its endpoints.", "url");
    const QCommandLineOption initialToken(
        "initial-access-token-env",
        "Read an initial access token (RFC 7591 §3) from this environment variable.", "name");
    const QCommandLineOption clientName("client-name", "The client_name to register.", "name");
    const QCommandLineOption metadataFile(
        "metadata", "Send this JSON file's client metadata instead of what the options make.",
        "file");
    const QCommandLineOption redirect("redirect-uri", "The redirect URI to register.", "uri");
    const QCommandLineOption scope("scope", "The scope to register.", "scopes");
    const QCommandLineOption grant(
        "grant", "The grant the client runs (authorization_code by default).", "grant");
    const QCommandLineOption saveProfile(
        "save-profile", "Keep the registered client as a profile of this name.", "name");
    const QCommandLineOption read("read", "Read the --profile client's registration.");
    const QCommandLineOption update("update",
                                    "Send the --profile client's settings (or --metadata) as its "
                                    "registration.");
    const QCommandLineOption remove("delete", "Delete the --profile client's registration.");
    const ClientOptions client;
    const ProfileOptions profiles;
    parser.addOptions(client.all());
    parser.addOption(profiles.profile);
    parser.addOptions({endpoint, issuer, initialToken, clientName, metadataFile, redirect, scope,
                       grant, saveProfile, read, update, remove});
    if (const auto exit = parseArguments(parser, arguments, kCommand))
        return *exit;

    const int managing =
        int(parser.isSet(read)) + int(parser.isSet(update)) + int(parser.isSet(remove));
    if (managing > 1)
        return usageError(QStringLiteral("give one of --read, --update and --delete"), kCommand);
    if (managing == 1 && !parser.isSet(profiles.profile))
        return usageError(QStringLiteral("--read, --update and --delete act on a registered "
                                         "client's --profile"),
                          kCommand);

    ClientConfig config;
    config.scope = QStringLiteral("openid");
    Profile loaded;
    RunSession session;
    if (parser.isSet(profiles.profile)) {
        if (QString problem;
            !loadProfile(parser.value(profiles.profile), &config, &problem, &loaded))
            return usageError(problem, kCommand);
    }
    if (QString problem; !client.apply(parser, &config, &problem))
        return usageError(problem, kCommand);
    if (parser.isSet(redirect))
        config.redirectUri = QUrl(parser.value(redirect));
    if (parser.isSet(scope))
        config.scope = parser.value(scope);
    if (parser.isSet(grant) && !grantTypeFromName(parser.value(grant), &config.grant))
        return usageError(QStringLiteral("unknown --grant \"%1\"").arg(parser.value(grant)),
                          kCommand);
    QJsonObject metadata = ClientRegistration::metadataFor(config, parser.value(clientName));
    if (parser.isSet(metadataFile)) {
        QString problem;
        const std::optional<QJsonObject> fromFile =
            readMetadataFile(parser.value(metadataFile), &problem);
        if (!fromFile)
            return usageError(problem, kCommand);
        metadata = *fromFile;
    }
    QString initialAccessToken;
    if (parser.isSet(initialToken)) {
        if (QString problem;
            !secretFromEnvironment(parser.value(initialToken), &initialAccessToken, &problem))
            return usageError(problem, kCommand);
    }

    const bool asJson = parser.isSet(client.json);
    QList<HttpExchange> exchanges;
    QObject::connect(&session, &RunSession::exchangeRecorded, [&](const HttpExchange &exchange) {
        exchanges << exchange;
        if (!asJson)
            printExchange(exchange);
    });

    QUrl registrationEndpoint(parser.value(endpoint));
    if (managing == 0 && !parser.isSet(endpoint)) {
        if (parser.isSet(issuer))
            config.issuer = QUrl(parser.value(issuer));
        if (config.issuer.isEmpty())
            return usageError(QStringLiteral("give --registration-endpoint, or --issuer to "
                                             "discover it"),
                              kCommand);
        if (QString problem;
            !discoverInto(session, config.issuer, &config, &registrationEndpoint, &problem)) {
            err() << "error: " << problem << "\n";
            err().flush();
            return 1;
        }
    } else if (parser.isSet(issuer)) {
        config.issuer = QUrl(parser.value(issuer));
    }

    QString problem;
    ClientRegistration *registrar = session.registrar(config, &problem);
    bool sent = false;
    if (registrar) {
        if (parser.isSet(read))
            sent = registrar->read(config, &problem);
        else if (parser.isSet(update))
            sent = registrar->update(config, metadata, &problem);
        else if (parser.isSet(remove))
            sent = registrar->remove(config, &problem);
        else
            sent = registrar->registerClient(registrationEndpoint, metadata, initialAccessToken,
                                             &problem);
    }
    if (!sent)
        return usageError(problem, kCommand);

    int exitCode = 1;
    QObject::connect(
        registrar, &ClientRegistration::finished, [&](const ClientRegistration::Outcome &outcome) {
            QStringList details = outcome.details;
            QString keepProblem;
            ClientConfig registered = config;
            if (outcome.client)
                registered = outcome.client->applyTo(config);
            if (outcome.succeeded && parser.isSet(saveProfile) &&
                outcome.operation == ClientRegistration::Operation::Register) {
                keepProblem = keepProfile(parser.value(saveProfile), registered, nullptr);
                if (keepProblem.isEmpty())
                    details << QStringLiteral("Saved as profile \"%1\".")
                                   .arg(parser.value(saveProfile));
            } else if (outcome.succeeded &&
                       outcome.operation == ClientRegistration::Operation::Update) {
                // The server may have rotated the token or the secret.
                keepProblem = keepProfile(loaded.name, registered, &loaded);
            } else if (outcome.succeeded &&
                       outcome.operation == ClientRegistration::Operation::Delete) {
                registered.registrationClientUri.clear();
                registered.registrationAccessToken.clear();
                registered.clientSecret.clear();
                keepProblem = keepProfile(
                    loaded.name, registered, &loaded,
                    {QStringLiteral("client_secret"), QStringLiteral("registration_access_token")});
                if (keepProblem.isEmpty())
                    details << QStringLiteral("Profile \"%1\" no longer keeps the deleted "
                                              "client's secret and registration.")
                                   .arg(loaded.name);
            }
            if (!keepProblem.isEmpty())
                details.prepend(QStringLiteral("Not kept: %1.").arg(keepProblem));
            const bool succeeded = outcome.succeeded && keepProblem.isEmpty();
            DiagnosisHints hints;
            hints.issuer = config.issuer;
            hints.provider = config.provider;
            const std::optional<Diagnosis> diagnosis =
                outcome.succeeded ? std::nullopt : lastProblem(exchanges, hints);
            if (asJson) {
                QJsonArray recorded;
                for (const HttpExchange &exchange : exchanges)
                    recorded.append(exchangeToJson(exchange));
                QJsonObject result{
                    {"operation", ClientRegistration::operationName(outcome.operation)},
                    {"succeeded", succeeded},
                    {"summary", outcome.summary},
                    {"details", QJsonArray::fromStringList(details)},
                    {"exchanges", recorded}};
                if (outcome.client) {
                    QJsonObject answer = outcome.client->metadata;
                    answer.insert("client_secret", outcome.client->clientSecret);
                    answer.insert("registration_access_token",
                                  outcome.client->registrationAccessToken);
                    result.insert("client", answer);
                }
                if (diagnosis)
                    result.insert("diagnosis", diagnosis->toJson());
                out() << QJsonDocument(result).toJson(QJsonDocument::Indented);
            } else {
                printResultText(succeeded, outcome.summary, details);
                printDiagnosisText(diagnosis);
            }
            out().flush();
            exitCode = succeeded ? 0 : 1;
            QCoreApplication::exit(exitCode);
        });
    QCoreApplication::exec();
    return exitCode;
}

} // namespace workbench::RegisterCommand
