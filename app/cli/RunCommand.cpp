#include "cli/RunCommand.h"

#include "core/util/Failure.h"

#include "cli/CliOutput.h"
#include "cli/StdinPaste.h"
#include "core/session/RunSession.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"
#include "core/util/QrMatrix.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>
#include <functional>

namespace workbench::CommandLine {

namespace {
// The device grant: the code, where to enter it, and the link as a QR code for a phone.
void printUserCode(const DeviceAuthorization &authorization)
{
    const bool complete = authorization.verificationUriComplete.isValid() &&
                          !authorization.verificationUriComplete.isEmpty();
    const QUrl link =
        complete ? authorization.verificationUriComplete : authorization.verificationUri;
    err() << "To sign in, open " << authorization.verificationUri.toString()
          << " and enter the code\n\n    " << authorization.userCode << "\n\n";
    if (complete)
        err() << "or open " << link.toString(QUrl::FullyEncoded) << "\n";
    QString problem;
    if (const auto qr = QrMatrix::encode(link.toString(QUrl::FullyEncoded).toUtf8(), &problem))
        err() << "or scan this with a phone:\n\n" << qr->terminalText() << "\n";
    else
        err() << "(no QR code: " << problem << ")\n";
    err() << "Polling the token endpoint every " << authorization.intervalSeconds
          << " s; the code expires in " << authorization.expiresInSeconds << " s.\n";
    err().flush();
}

// CIBA: whom the server is asking, and the binding message they should see on their device.
void printBackchannel(const BackchannelAuthorization &authorization)
{
    err() << "The server is asking " << authorization.loginHint << " on their device";
    if (!authorization.bindingMessage.isEmpty())
        err() << "; it should show: " << authorization.bindingMessage;
    err() << "\nPolling the token endpoint every " << authorization.intervalSeconds
          << " s; the request expires in " << authorization.expiresInSeconds << " s.\n";
    err().flush();
}

// The browser grants: the URL, opened by the program given or by the person, who may paste
// what the browser shows when the provider does not redirect back.
void openAuthorizationUrl(const QUrl &url, RunSession &session, const RunOptions &options,
                          int waitSeconds, QProcess &browserProcess, StdinPaste &paste,
                          const std::function<void(int)> &end)
{
    const QString link = url.toString(QUrl::FullyEncoded);
    err() << "Listening on " << session.codeFlow()->redirectUri().toString() << " for "
          << waitSeconds << " s\n";
    if (!options.browserCommand.isEmpty()) {
        // A browser that cannot start is said at once, with the URL to open by hand.
        // `end` is copied: the function object passed in lives only for this call.
        QObject::connect(
            &browserProcess, &QProcess::errorOccurred,
            [&session, &options, &browserProcess, link, end](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return;
                err() << "error: the browser command \"" << options.browserCommand
                      << "\" could not start (" << browserProcess.errorString()
                      << "). Open this URL yourself and run again without "
                         "--browser-command:\n\n"
                      << link << "\n";
                err().flush();
                session.cancel();
                end(1);
            });
        browserProcess.start(options.browserCommand, {link});
    } else {
        err() << "Open this URL in a browser:\n\n" << link << "\n\n";
    }
    err() << "If the browser stays on a page of the provider, paste that page's URL or "
             "text here, then an empty line, to have it diagnosed.\n";
    err().flush();
    paste.start([&session](const QString &pasted) {
        QString error;
        if (!session.submitBrowserPage(pasted, &error))
            err() << "error: " << error << "\n";
        err().flush();
    });
}
} // namespace

int runToEnd(const ClientConfig &config, const RunOptions &options)
{
    RunSession session;
    if (options.save)
        session.setHistory(std::make_unique<RunHistory>());
    QProcess browserProcess;
    StdinPaste paste;
    int exitCode = 1;
    bool over = false;
    const auto end = [&](int code) {
        exitCode = code;
        over = true;
        QCoreApplication::exit(code);
    };

    QObject::connect(&session, &RunSession::warningRaised, [](const QString &warning) {
        err() << "warning: " << warning << "\n";
        err().flush();
    });
    if (!options.asJson)
        QObject::connect(&session, &RunSession::exchangeRecorded, &printExchange);

    QObject::connect(&session, &RunSession::authorizationUrlReady, [&](const QUrl &url) {
        openAuthorizationUrl(url, session, options, config.redirectWaitSeconds, browserProcess,
                             paste, end);
    });
    QObject::connect(&session, &RunSession::waitProgressed, [](int elapsed, int limit) {
        if (elapsed > 0 && elapsed % 30 == 0) {
            err() << "still waiting for the redirect: " << elapsed << " s of " << limit << " s\n";
            err().flush();
        }
    });

    QObject::connect(&session, &RunSession::userCodeReady, &printUserCode);
    QObject::connect(&session, &RunSession::backchannelAccepted, &printBackchannel);
    QObject::connect(&session, &RunSession::pollAnswered, [](const QString &error, int next) {
        err() << "poll: " << error << "; next in " << next << " s\n";
        err().flush();
    });

    QObject::connect(&session, &RunSession::finished, [&](const FlowOutcome &outcome) {
        printOutcome(outcome, session.record().exchanges, options.asJson, session.hints());
        end(outcome.succeeded() ? 0 : 1);
    });
    // A profile saved on the app's sandbox names it by a placeholder: the sandbox runs here.
    QString sandboxProblem;
    const ClientConfig runConfig = session.resolved(config, &sandboxProblem);
    if (!sandboxProblem.isEmpty()) {
        err() << "error: the built-in sandbox could not start: " << sandboxProblem << "\n";
        return 1;
    }
    if (session.start(runConfig, options.profile) && !over)
        QCoreApplication::exec();
    session.waitForSaved();
    return exitCode;
}

bool loadProfile(const QString &name, ClientConfig *config, QString *error, Profile *loaded)
{
    ProfileStore store;
    if (QString problem; !store.load(&problem))
        return Failure::report(error,
                               QStringLiteral("the profiles cannot be read: %1").arg(problem));
    const Profile *profile = nullptr;
    QStringList names;
    for (const Profile &candidate : store.profiles()) {
        names << candidate.name;
        if (candidate.name == name)
            profile = &candidate;
    }
    if (!profile)
        return Failure::report(
            error, names.isEmpty()
                       ? QStringLiteral("no profile \"%1\": the app has no saved profiles (%2)")
                             .arg(name, store.filePath())
                       : QStringLiteral("no profile \"%1\"; the saved ones are: %2")
                             .arg(name, names.join(QStringLiteral(", "))));
    *config = profile->config;
    if (loaded)
        *loaded = *profile;
    if (profile->rememberedSecrets.isEmpty())
        return true;

    // Each kept secret from the keychain; the run needs all of them.
    SecretStore secrets;
    QEventLoop loop;
    QStringList problems;
    qsizetype answered = 0;
    QObject::connect(&secrets, &SecretStore::secretRead, &loop,
                     [&](const SecretStore::Result &result) {
                         for (const QString &field : profile->rememberedSecrets) {
                             if (profile->secretKey(field) != result.key)
                                 continue;
                             if (result.ok())
                                 config->setSecretField(field, result.secret);
                             else if (result.status == SecretStore::Status::NotFound)
                                 problems << QStringLiteral("the keychain has no %1 for profile "
                                                            "\"%2\" any more; save it again in "
                                                            "the app")
                                                 .arg(field, name);
                             else
                                 problems << QStringLiteral("the %1 of profile \"%2\" cannot be "
                                                            "read from the keychain: %3")
                                                 .arg(field, name, result.error);
                         }
                         if (++answered == profile->rememberedSecrets.size())
                             loop.quit();
                     });
    QTimer::singleShot(30000, &loop, [&] {
        problems << QStringLiteral("the keychain did not answer within 30 s");
        loop.quit();
    });
    for (const QString &field : profile->rememberedSecrets)
        secrets.read(profile->secretKey(field));
    if (answered < profile->rememberedSecrets.size()) // an answer may come at once
        loop.exec();
    if (problems.isEmpty())
        return true;
    return Failure::report(error, problems.join(QStringLiteral("; ")));
}

} // namespace workbench::CommandLine
