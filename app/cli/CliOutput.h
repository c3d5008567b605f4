#pragma once

#include "core/client/ClientConfig.h"
#include "core/diagnosis/Diagnosis.h"
#include "core/diagnosis/DiagnosisContext.h"
#include "core/flows/FlowOutcome.h"
#include "core/http/HttpExchange.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

#include <optional>

namespace workbench::CommandLine {

// Standard output and error as Qt text streams.
QTextStream &out();
QTextStream &err();
// Prints a usage error that names the command's --help; returns the exit code 2.
int usageError(const QString &message, const QString &command = QStringLiteral("authorize"));
// Parses a command's arguments. An exit code when the command stops here: 0 after printing
// --help, 2 after a usage error; nothing when it goes on.
std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments,
                                  const QString &command);
// Whether the readable output shows secrets (codes, tokens, credentials, cookies) in clear; by
// default they are masked with a short hash ("MASKED:1a2b3c4d"), so equal values still match.
void revealSecrets(bool reveal);
// `text` with every secret seen in the exchanges printed so far masked (unless revealed).
QString shown(const QString &text);
// One exchange, raw request and response (with the JSON body formatted), as it happens, its
// secrets and those of the exchanges before it masked (unless revealed).
void printExchange(const HttpExchange &exchange);
QJsonObject exchangeToJson(const HttpExchange &exchange);
// The last step with a problem, diagnosed with the steps before it as context.
std::optional<Diagnosis> lastProblem(const QList<HttpExchange> &exchanges,
                                     const DiagnosisHints &hints);
// The readable end of a run or an action: OK/FAILED with the summary and its details; then,
// apart, the diagnosis when there is one. Secrets masked unless revealed.
void printResultText(bool succeeded, const QString &summary, const QStringList &details);
void printDiagnosisText(const std::optional<Diagnosis> &diagnosis);
// Token checks (ID token, DPoP binding) under a title, one line each; nothing when empty.
void printChecksText(const QString &title, const QList<TokenCheck> &checks);
QJsonArray checksToJson(const QList<TokenCheck> &checks);
// A flow's end: the outcome, the ID token checks and, when a step failed, its diagnosis (what
// the error means, likely causes, fixes); as text, or as one JSON document with the exchanges.
// `config` names the issuer and the provider the diagnosis may use.
void printOutcome(const FlowOutcome &outcome, const QList<HttpExchange> &exchanges, bool asJson,
                  const ClientConfig &config = {});
// The same with all the run knew for the diagnosis (RunSession::hints()).
void printOutcome(const FlowOutcome &outcome, const QList<HttpExchange> &exchanges, bool asJson,
                  const DiagnosisHints &hints);

// The options every command that talks to a token endpoint takes: the endpoint, the client,
// its secret (from an environment variable only), its authentication method, and --json.
struct ClientOptions
{
    QCommandLineOption tokenEndpoint{"token-endpoint", "Token endpoint URL.", "url"};
    QCommandLineOption clientId{"client-id", "Client identifier.", "id"};
    QCommandLineOption secretEnv{"client-secret-env",
                                 "Read the client secret from this environment variable (never "
                                 "pass secrets as arguments: others can see them).",
                                 "name"};
    QCommandLineOption authMethod{"auth-method",
                                  "client_secret_basic (default), client_secret_post, "
                                  "client_secret_jwt, private_key_jwt or none.",
                                  "method", "client_secret_basic"};
    QCommandLineOption privateKey{"private-key",
                                  "PEM private key file for private_key_jwt (and the assertions "
                                  "and request objects the app signs).",
                                  "file"};
    QCommandLineOption passphraseEnv{
        "key-passphrase-env", "Read the private key's passphrase from this variable.", "name"};
    QCommandLineOption signingAlg{"signing-alg", "RS256 (default), PS256, ES256 or HS256.", "alg",
                                  "RS256"};
    QCommandLineOption keyId{"key-id", "kid to put in the headers of the JWTs the app signs.",
                             "kid"};
    QCommandLineOption provider{"provider",
                                "The provider whose knowledge explains its errors (a pack id: "
                                "explain --provider list); otherwise identified from its answers.",
                                "id"};
    QCommandLineOption dpop{"dpop",
                            "Bind the tokens to a key with DPoP (RFC 9449): a proof on every "
                            "token and resource request. The key is the profile's, or a new one "
                            "for this run."};
    QCommandLineOption dpopKey{"dpop-key",
                               "PEM private key file for DPoP (implies --dpop); tokens bound to it "
                               "can be used by later commands given the same file.",
                               "file"};
    QCommandLineOption dpopAlg{"dpop-alg",
                               "The DPoP key's algorithm: ES256 (default), RS256, "
                               "PS256 or EdDSA.",
                               "alg"};
    QCommandLineOption decryptionKey{"decryption-key",
                                     "PEM private key file (RSA or EC) that opens what the "
                                     "server encrypts to the client (JWE): ID tokens, UserInfo, "
                                     "JARM responses.",
                                     "file"};
    QCommandLineOption decryptionKid{"decryption-kid",
                                     "The kid the decryption key's public half is registered "
                                     "under.",
                                     "kid"};
    QCommandLineOption json{"json", "Print the result as one JSON document."};
    QCommandLineOption reveal{"reveal-secrets",
                              "Print codes, tokens and secrets in clear in the readable output "
                              "(masked otherwise, as the window masks them; --json always has "
                              "them, for scripts)."};

    QList<QCommandLineOption> all() const
    {
        return {tokenEndpoint, clientId,      secretEnv,     authMethod, privateKey, passphraseEnv,
                signingAlg,    keyId,         provider,      dpop,       dpopKey,    dpopAlg,
                json,          decryptionKey, decryptionKid, reveal};
    }
    // Puts them in `config`; false, with a message for the person, when one cannot be used.
    [[nodiscard]] bool apply(const QCommandLineParser &parser, ClientConfig *config,
                             QString *error) const;
    // Only the key options: the signing key, its passphrase, algorithm and kid, and the
    // decryption key and its kid (apply() includes these).
    [[nodiscard]] bool applyKeys(const QCommandLineParser &parser, ClientConfig *config,
                                 QString *error) const;
};
// --rar FILE: the authorization_details (RFC 9396) in the JSON file named by `option`, checked
// and put in config->authorizationDetails; false, with a message, when it cannot be used.
QCommandLineOption rarOption(const QString &where);
[[nodiscard]] bool authorizationDetailsFrom(const QCommandLineParser &parser,
                                            const QCommandLineOption &option, ClientConfig *config,
                                            QString *error);
// The seconds to wait for the browser to come back from `option` into
// config->redirectWaitSeconds; false, with a message, when it is not 1 to the maximum.
[[nodiscard]] bool redirectWaitFrom(const QCommandLineParser &parser,
                                    const QCommandLineOption &option, ClientConfig *config,
                                    QString *error);
// A secret from the environment variable named; false, with a message, when it is not set.
[[nodiscard]] bool secretFromEnvironment(const QString &variable, QString *value, QString *error);

} // namespace workbench::CommandLine
