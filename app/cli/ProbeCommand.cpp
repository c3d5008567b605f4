#include "cli/ProbeCommand.h"

#include "cli/CliOutput.h"
#include "cli/RunCommand.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/session/RunSession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QProcess>
#include <QSocketNotifier>
#include <cstdio>
#include <memory>
#include <unistd.h>
#include <vector>

namespace workbench::ProbeCommand {

using namespace CommandLine;

namespace {
// Reads one line from standard input (the confirmation), a byte at a time so that nothing after
// it is taken from what the probe run reads later; empty at the end of the input.
QString readLine()
{
    QByteArray line;
    char c = 0;
    while (line.size() < 1024 && ::read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
        line.append(c);
    return QString::fromUtf8(line).trimmed();
}

QStringList idsOf(const QString &list)
{
    QStringList ids;
    for (const QString &id : list.split(QLatin1Char(','), Qt::SkipEmptyParts))
        ids << id.trimmed();
    return ids;
}
} // namespace

int run(const QStringList &arguments)
{
    const QString command = QStringLiteral("probe");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Probes the authorization server with your client: a bounded list of negative tests "
        "(a code redeemed twice, another redirect_uri at the token endpoint, PKCE left out or "
        "wrong, redirect URI variants, an open redirect, iss on the redirect, unsigned request "
        "objects, a rotated refresh token used again, an expired code), each passed, failed, not "
        "applicable or inconclusive, with the exchanges as evidence. The plan is shown first and "
        "nothing is sent before you confirm. Probes that need a code ask for a browser sign-in, "
        "one after another."));
    parser.addHelpOption();
    parser.addPositionalArgument("probe", "The command.");
    const QCommandLineOption authEndpoint("authorization-endpoint", "Authorization endpoint URL.",
                                          "url");
    const QCommandLineOption issuer("issuer", "The issuer identifier iss must equal.", "url");
    const QCommandLineOption scope("scope",
                                   "Space-separated scopes (offline_access lets the "
                                   "refresh probe run).",
                                   "scopes");
    const QCommandLineOption redirect("redirect-uri", "The registered loopback redirect URI.",
                                      "uri");
    const QCommandLineOption introspection(
        "introspection-endpoint", "Where to ask whether replayed tokens were revoked.", "url");
    const QCommandLineOption userinfo("userinfo-endpoint", "The UserInfo endpoint.", "url");
    const QCommandLineOption browser("browser-command",
                                     "Program to open each sign-in URL with; otherwise the URL is "
                                     "printed for you to open.",
                                     "program");
    const QCommandLineOption timeout("timeout", "Seconds to wait for each sign-in's redirect.",
                                     "seconds", "300");
    const QCommandLineOption only("only", "Run only these probes (comma-separated ids).", "ids");
    const QCommandLineOption list("list", "Show the plan and exit; nothing is sent.");
    const QCommandLineOption yes("yes", "Run without asking (the plan is still printed).");
    const QCommandLineOption codeWait(
        "code-wait",
        "Seconds the expired-code probe keeps its code (default 600: codes should live at most "
        "10 minutes; a shorter wait can only show a refusal).",
        "seconds", QString::number(ProbeCatalog::kCodeLifetimeLimitSeconds));
    const QCommandLineOption sandbox("sandbox", "Probe the built-in sandbox (its public client).");
    const QCommandLineOption sandboxWeak(
        "sandbox-weak", "Probe the built-in sandbox made weak on purpose: it accepts what each "
                        "probe sends.");
    const ClientOptions client;
    const ProfileOptions profiles;
    parser.addOptions(client.all());
    parser.addOption(profiles.profile);
    parser.addOptions({authEndpoint, issuer, scope, redirect, introspection, userinfo, browser,
                       timeout, only, list, yes, codeWait, sandbox, sandboxWeak});
    if (const auto exit = parseArguments(parser, arguments, command))
        return *exit;

    RunSession session;
    ClientConfig config;
    config.scope = QStringLiteral("openid");
    if (parser.isSet(sandbox) || parser.isSet(sandboxWeak)) {
        QString problem;
        SandboxProvider *provider = session.startSandbox(&problem);
        if (!provider)
            return usageError(QStringLiteral("the sandbox could not start: ") + problem, command);
        if (parser.isSet(sandboxWeak))
            provider->setWeaknesses(SandboxWeaknesses::all());
        config = provider->clientConfig();
    } else if (parser.isSet(profiles.profile)) {
        if (QString problem; !loadProfile(parser.value(profiles.profile), &config, &problem))
            return usageError(problem, command);
        QString problem;
        config = session.resolved(config, &problem);
        if (!problem.isEmpty())
            return usageError(problem, command);
    }
    if (QString problem; !client.apply(parser, &config, &problem))
        return usageError(problem, command);
    const std::pair<const QCommandLineOption *, QUrl *> urls[] = {
        {&authEndpoint, &config.authorizationEndpoint},
        {&issuer, &config.issuer},
        {&introspection, &config.introspectionEndpoint},
        {&userinfo, &config.userinfoEndpoint},
        {&redirect, &config.redirectUri}};
    for (const auto &[option, url] : urls) {
        if (parser.isSet(*option))
            *url = QUrl(parser.value(*option));
    }
    if (parser.isSet(scope))
        config.scope = parser.value(scope);
    bool numbers = true;
    ServerProbe::Options options;
    options.codeWaitSeconds = parser.value(codeWait).toInt(&numbers);
    bool timeoutOk = false;
    options.signInWaitSeconds = parser.value(timeout).toInt(&timeoutOk);
    if (!numbers || !timeoutOk || options.codeWaitSeconds < 0 || options.signInWaitSeconds < 1)
        return usageError(QStringLiteral("--code-wait and --timeout take a number of seconds"),
                          command);
    if (const QStringList missing = ProbeCatalog::missingSettings(config); !missing.isEmpty())
        return usageError(QStringLiteral("the probes need %1 (give a --profile or the options)")
                              .arg(missing.join(QStringLiteral(", "))),
                          command);

    const ProbePlan plan =
        ProbePlan::make(idsOf(parser.value(only)), config, options.codeWaitSeconds);
    if (!plan.unknownIds.isEmpty()) {
        QStringList known;
        for (const ProbeDefinition &probe : ProbeCatalog::all())
            known << probe.id;
        return usageError(
            QStringLiteral("unknown probe %1; known: %2")
                .arg(plan.unknownIds.join(QStringLiteral(", ")), known.join(QStringLiteral(", "))),
            command);
    }
    const bool asJson = parser.isSet(client.json);
    if (parser.isSet(list)) {
        if (asJson)
            out() << QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented);
        else
            out() << plan.toText(config);
        out().flush();
        return 0;
    }
    err() << plan.toText(config) << "\n";
    if (plan.probes.isEmpty()) {
        err() << "No probe applies: nothing was sent.\n";
        err().flush();
        return 1;
    }
    if (!parser.isSet(yes)) {
        err() << "Run these probes against " << config.authorizationEndpoint.host()
              << "? Type yes to go on: ";
        err().flush();
        if (readLine() != QLatin1String("yes")) {
            err() << "Not confirmed: nothing was sent.\n";
            err().flush();
            return 1;
        }
    }
    err().flush();

    ServerProbe *probe = session.prober();
    std::vector<std::unique_ptr<QProcess>> browsers; // one per sign-in
    // "refused" on a line of its own: the browser was not sent back.
    QSocketNotifier answers(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray typed;
    QObject::connect(&answers, &QSocketNotifier::activated, [&] {
        char buffer[1024];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            answers.setEnabled(false);
            return;
        }
        typed.append(buffer, got);
        qsizetype end;
        while ((end = typed.indexOf('\n')) >= 0) {
            if (typed.left(end).trimmed() == "refused")
                probe->noRedirectCame();
            typed.remove(0, end + 1);
        }
        typed = typed.right(1024);
    });
    QObject::connect(probe, &ServerProbe::probeStarted, [](const QString &id, int i, int n) {
        err() << "[" << (i + 1) << "/" << n << "] " << id << "\n";
        err().flush();
    });
    QObject::connect(probe, &ServerProbe::signInNeeded, [&](const QString &id, const QUrl &url) {
        const QString link = url.toString(QUrl::FullyEncoded);
        if (parser.isSet(browser)) {
            browsers.push_back(std::make_unique<QProcess>());
            browsers.back()->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            browsers.back()->start(parser.value(browser), {link});
        } else {
            err() << "Sign in for " << id << ": open this URL in a browser:\n\n" << link << "\n\n";
        }
        err() << "If the server refuses and does not send the browser back, type refused and "
                 "Enter here.\n";
        err().flush();
    });
    QObject::connect(probe, &ServerProbe::probeFinished, [](const ProbeResult &result) {
        err() << "    " << ProbeResult::verdictName(result.verdict) << "\n";
        err().flush();
    });
    int exitCode = 1;
    QObject::connect(probe, &ServerProbe::finished, [&](const ProbeReport &report) {
        if (asJson)
            out() << QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
        else
            out() << report.toText(true);
        out().flush();
        // 0: every probe ran and none failed; 3: the server accepted something it must refuse.
        exitCode = report.cancelled() ? 1 : report.count(ProbeVerdict::Failed) > 0 ? 3 : 0;
        QCoreApplication::exit(exitCode);
    });
    QString problem;
    if (!session.probe(config, plan, options, &problem)) {
        err() << "error: " << problem << "\n";
        err().flush();
        return 1;
    }
    QCoreApplication::exec();
    for (const auto &process : browsers) {
        if (!process->waitForFinished(5000))
            process->kill();
        process->waitForFinished(2000);
    }
    return exitCode;
}

} // namespace workbench::ProbeCommand
