#include "cli/CliOutput.h"

#include "core/client/AuthorizationDetails.h"

#include "core/util/Failure.h"

#include "core/diagnosis/Diagnoser.h"
#include "core/export/Redaction.h"
#include "core/http/BodyFormatter.h"
#include "core/jose/JwsSigner.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace workbench::CommandLine {

std::optional<Diagnosis> lastProblem(const QList<HttpExchange> &exchanges,
                                     const DiagnosisHints &hints)
{
    return Diagnoser().lastProblem(exchanges, hints);
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}
QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int usageError(const QString &message, const QString &command)
{
    err() << "oauth-workbench: " << message << "\n"
          << "Run 'oauth-workbench-cli " << command << " --help' for the options.\n";
    err().flush();
    return 2;
}

QJsonObject exchangeToJson(const HttpExchange &exchange)
{
    QJsonObject object{{"label", exchange.label},
                       {"request", QString::fromUtf8(exchange.rawRequest())},
                       {"status", exchange.status},
                       {"elapsed_ms", double(exchange.elapsedMs)}};
    if (exchange.hasResponse())
        object.insert("response", QString::fromUtf8(exchange.rawResponse()));
    if (!exchange.networkError.isEmpty())
        object.insert("network_error", exchange.networkError);
    return object;
}

namespace {
struct Masking
{
    bool reveal = false;
    QSet<QByteArray> secrets; // of every exchange printed so far
    QList<QByteArray> ordered;
};
Masking &masking()
{
    static Masking state;
    return state;
}
} // namespace

void revealSecrets(bool reveal)
{
    masking().reveal = reveal;
}

QString shown(const QString &text)
{
    if (masking().reveal)
        return text;
    return Redaction::redactText(text, masking().ordered, Redaction::Style::Masked);
}

void printExchange(const HttpExchange &recorded)
{
    HttpExchange exchange = recorded;
    if (!masking().reveal) {
        // A code seen on the callback is masked in the token request too, with the same marker.
        const qsizetype known = masking().secrets.size();
        masking().secrets.unite(Redaction::secretsIn({recorded}));
        if (masking().secrets.size() != known)
            masking().ordered = Redaction::inReplacementOrder(masking().secrets);
        exchange = Redaction::redactWith(recorded, masking().ordered, Redaction::Style::Masked);
    }
    out() << "\n=== " << exchange.label << " ===\n" << QString::fromUtf8(exchange.rawRequest());
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation) {
        out() << "\n";
        out().flush();
        return;
    }
    out() << "\n--- response";
    if (exchange.elapsedMs >= 0)
        out() << " (" << exchange.elapsedMs << " ms)";
    out() << " ---\n";
    if (!exchange.hasResponse()) {
        out() << "(no HTTP response: " << exchange.networkError << ")\n";
    } else {
        out() << QString::fromUtf8(exchange.rawResponse()) << "\n";
        const auto formatted =
            BodyFormatter::format(exchange.responseBody, exchange.responseHeader("Content-Type"));
        if (formatted.kind == BodyFormatter::Kind::Json)
            out() << "--- body (formatted JSON) ---\n" << formatted.text << "\n";
    }
    out().flush();
}

std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments,
                                  const QString &command)
{
    if (!parser.parse(arguments))
        return usageError(parser.errorText(), command);
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        out().flush();
        return 0;
    }
    return std::nullopt;
}

bool secretFromEnvironment(const QString &variable, QString *value, QString *error)
{
    if (!qEnvironmentVariableIsSet(qPrintable(variable)))
        return Failure::report(error,
                               QStringLiteral("environment variable %1 is not set").arg(variable));
    *value = qEnvironmentVariable(qPrintable(variable));
    return true;
}

namespace {
// A PEM key file's text (a key is far below 64 KiB); false, with a message, when unreadable.
bool readKeyFile(const QString &path, QString *pem, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Failure::report(error,
                               QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    *pem = QString::fromUtf8(file.read(64 * 1024));
    return true;
}
} // namespace

bool ClientOptions::apply(const QCommandLineParser &parser, ClientConfig *config,
                          QString *error) const
{
    revealSecrets(parser.isSet(reveal));
    // Only what is given: a profile's values stay where no option replaces them. (Without a
    // profile the defaults are the options' own.)
    if (parser.isSet(tokenEndpoint))
        config->tokenEndpoint = QUrl(parser.value(tokenEndpoint));
    if (parser.isSet(clientId))
        config->clientId = parser.value(clientId);
    if (parser.isSet(authMethod) &&
        !clientAuthMethodFromName(parser.value(authMethod), &config->authMethod))
        return Failure::report(
            error, QStringLiteral("unknown --auth-method \"%1\"").arg(parser.value(authMethod)));
    if (parser.isSet(provider))
        config->provider = parser.value(provider);
    if (!config->provider.isEmpty() && !KnowledgeBase::builtIn().provider(config->provider))
        return Failure::report(
            error, QStringLiteral("unknown --provider \"%1\" (explain --provider list names them)")
                       .arg(config->provider));
    if (parser.isSet(dpop) || parser.isSet(dpopAlg) || parser.isSet(dpopKey))
        config->useDpop = true;
    if (parser.isSet(dpopAlg)) {
        if (!SigningKey::privateKeyAlgorithms().contains(parser.value(dpopAlg)))
            return Failure::report(
                error,
                QStringLiteral("unknown --dpop-alg \"%1\" (use one of %2)")
                    .arg(parser.value(dpopAlg), SigningKey::privateKeyAlgorithms().join(", ")));
        if (config->dpopAlgorithm != parser.value(dpopAlg))
            config->dpopKeyPem.clear(); // the profile's key is for another algorithm
        config->dpopAlgorithm = parser.value(dpopAlg);
    }
    if (parser.isSet(dpopKey)) {
        if (!readKeyFile(parser.value(dpopKey), &config->dpopKeyPem, error))
            return false;
        QString why;
        if (!SigningKey::fromPem(config->dpopKeyPem.toUtf8(), {}, config->dpopAlgorithm, {}, &why)
                 .isValid())
            return Failure::report(error, QStringLiteral("--dpop-key %1: %2 (--dpop-alg names "
                                                         "the key's algorithm)")
                                              .arg(parser.value(dpopKey), why));
    }
    if (parser.isSet(secretEnv) &&
        !secretFromEnvironment(parser.value(secretEnv), &config->clientSecret, error))
        return false;
    return applyKeys(parser, config, error);
}

bool ClientOptions::applyKeys(const QCommandLineParser &parser, ClientConfig *config,
                              QString *error) const
{
    if (parser.isSet(keyId))
        config->keyId = parser.value(keyId);
    if (parser.isSet(signingAlg))
        config->signingAlgorithm = parser.value(signingAlg);
    if (parser.isSet(passphraseEnv) &&
        !secretFromEnvironment(parser.value(passphraseEnv), &config->privateKeyPassphrase, error))
        return false;
    if (parser.isSet(privateKey) &&
        !readKeyFile(parser.value(privateKey), &config->privateKeyPem, error))
        return false;
    if (parser.isSet(decryptionKid))
        config->decryptionKeyId = parser.value(decryptionKid);
    if (parser.isSet(decryptionKey)) {
        if (!readKeyFile(parser.value(decryptionKey), &config->decryptionKeyPem, error))
            return false;
        QString why;
        if (!DecryptionKey::fromPem(config->decryptionKeyPem.toUtf8(), {}, config->decryptionKeyId,
                                    &why)
                 .isValid())
            return Failure::report(
                error,
                QStringLiteral("--decryption-key %1: %2").arg(parser.value(decryptionKey), why));
    }
    return true;
}

QJsonArray checksToJson(const QList<TokenCheck> &checks)
{
    QJsonArray array;
    for (const TokenCheck &check : checks)
        array.append(QJsonObject{{"name", check.name},
                                 {"status", TokenCheck::statusName(check.status)},
                                 {"detail", check.detail},
                                 {"fix", check.fix}});
    return array;
}

void printChecksText(const QString &title, const QList<TokenCheck> &checks)
{
    if (!checks.isEmpty())
        out() << title << ":\n";
    for (const TokenCheck &check : checks)
        out() << QStringLiteral("  %1 %2: %3\n")
                     .arg(TokenCheck::statusName(check.status), -8)
                     .arg(check.name, shown(check.detail));
}

void printResultText(bool succeeded, const QString &summary, const QStringList &details)
{
    out() << "\n" << (succeeded ? "OK: " : "FAILED: ") << shown(summary) << "\n";
    for (const QString &detail : details)
        out() << "  " << shown(detail) << "\n";
}

void printDiagnosisText(const std::optional<Diagnosis> &diagnosis)
{
    if (diagnosis)
        out() << "\n=== Diagnosis ===\n" << shown(diagnosis->toText());
}

void printOutcome(const FlowOutcome &outcome, const QList<HttpExchange> &exchanges, bool asJson,
                  const ClientConfig &config)
{
    DiagnosisHints hints;
    hints.provider = config.provider;
    hints.issuer = config.issuer;
    hints.decryptionKey = config.decryptionKey();
    printOutcome(outcome, exchanges, asJson, hints);
}

void printOutcome(const FlowOutcome &outcome, const QList<HttpExchange> &exchanges, bool asJson,
                  const DiagnosisHints &hints)
{
    const std::optional<Diagnosis> diagnosis =
        outcome.succeeded() ? std::nullopt : lastProblem(exchanges, hints);
    // RFC 9396: what was granted against what was asked, when either names any.
    const QJsonArray asked = AuthorizationDetails::askedIn(exchanges, exchanges.size() - 1);
    const bool askedUnseen = AuthorizationDetails::askedOutOfSight(exchanges, exchanges.size() - 1);
    const QJsonValue grantedDetails =
        outcome.tokenResponse.value(QLatin1String("authorization_details"));
    std::optional<AuthorizationDetails::Comparison> granted;
    if (outcome.tokenResponse.contains(QLatin1String("access_token")) && !askedUnseen &&
        (!asked.isEmpty() || !grantedDetails.isUndefined()))
        granted = AuthorizationDetails::compare(asked, grantedDetails);
    const bool grantedUnchecked = askedUnseen && !grantedDetails.isUndefined();
    if (asJson) {
        QJsonArray recorded;
        for (const HttpExchange &exchange : exchanges)
            recorded.append(exchangeToJson(exchange));
        QJsonObject result{{"outcome", FlowOutcome::resultName(outcome.result)},
                           {"summary", outcome.summary},
                           {"details", QJsonArray::fromStringList(outcome.details)},
                           {"token_response", outcome.tokenResponse},
                           {"id_token_checks", checksToJson(outcome.idTokenChecks)},
                           {"exchanges", recorded}};
        if (!outcome.bindingChecks.isEmpty())
            result.insert("dpop_checks", checksToJson(outcome.bindingChecks));
        if (!outcome.responseChecks.isEmpty())
            result.insert("response_checks", checksToJson(outcome.responseChecks));
        if (granted)
            result.insert(
                "authorization_details",
                QJsonObject{{"asked", asked},
                            {"granted_as_asked", granted->grantedAsAsked},
                            {"differences", QJsonArray::fromStringList(granted->differences)}});
        if (grantedUnchecked)
            result.insert("authorization_details",
                          QJsonObject{{"asked_in_encrypted_request_object", true},
                                      {"granted", grantedDetails}});
        if (diagnosis)
            result.insert("diagnosis", diagnosis->toJson());
        out() << QJsonDocument(result).toJson(QJsonDocument::Indented);
    } else {
        printResultText(outcome.succeeded(), outcome.summary, outcome.details);
        printChecksText(QStringLiteral("Authorization response (JWT) checks"),
                        outcome.responseChecks);
        printChecksText(QStringLiteral("ID token checks"), outcome.idTokenChecks);
        printChecksText(QStringLiteral("DPoP binding checks"), outcome.bindingChecks);
        if (granted && granted->grantedAsAsked)
            out() << "\nAuthorization details: granted as asked.\n";
        else if (granted)
            out() << "\nAuthorization details differ from what was asked:\n  "
                  << granted->differences.join(QStringLiteral("\n  ")) << "\n";
        else if (grantedUnchecked)
            out() << "\nAuthorization details granted (what was asked is inside the encrypted "
                     "request object, so they are not compared).\n";
        printDiagnosisText(diagnosis);
    }
    out().flush();
}

bool redirectWaitFrom(const QCommandLineParser &parser, const QCommandLineOption &option,
                      ClientConfig *config, QString *error)
{
    bool ok = false;
    const int seconds = parser.value(option).toInt(&ok);
    if (!ok || seconds < 1 || seconds > ClientConfig::kMaxRedirectWaitSeconds) {
        *error = QStringLiteral("--timeout takes 1 to %1 seconds")
                     .arg(ClientConfig::kMaxRedirectWaitSeconds);
        return false;
    }
    config->redirectWaitSeconds = seconds;
    return true;
}

QCommandLineOption rarOption(const QString &where)
{
    return {QStringLiteral("rar"),
            QStringLiteral("Rich authorization request (RFC 9396): a JSON file holding the "
                           "authorization_details array, sent %1.")
                .arg(where),
            QStringLiteral("file")};
}

bool authorizationDetailsFrom(const QCommandLineParser &parser, const QCommandLineOption &option,
                              ClientConfig *config, QString *error)
{
    if (!parser.isSet(option))
        return true;
    constexpr qint64 kMaxBytes = 1 << 20;
    QFile file(parser.value(option));
    if (!file.open(QIODevice::ReadOnly)) {
        *error =
            QStringLiteral("--rar: cannot open %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    if (file.size() > kMaxBytes) {
        *error = QStringLiteral("--rar: %1 is larger than 1 MiB").arg(file.fileName());
        return false;
    }
    const QString json = QString::fromUtf8(file.readAll());
    if (const QStringList problems = AuthorizationDetails::problems(json); !problems.isEmpty()) {
        *error = QStringLiteral("--rar: %1").arg(problems.join(QStringLiteral(" ")));
        return false;
    }
    if (json.trimmed().isEmpty()) {
        *error = QStringLiteral("--rar: %1 is empty").arg(file.fileName());
        return false;
    }
    config->authorizationDetails = json.trimmed();
    return true;
}

} // namespace workbench::CommandLine
