#include "cli/CommandLine.h"
#include "core/storage/LegacyLocations.h"
#include "core/util/AppIdentity.h"
#include "gui/FirstPaintExit.h"
#include "ui/AppIcon.h"
#include "ui/MainWindow.h"
#include "ui/WindowPlacement.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

namespace {
// What the app opens on when nothing else is configured.
workbench::ClientConfig starterConfig()
{
    workbench::ClientConfig config;
    config.scope = QStringLiteral("openid profile email");
    config.redirectUri = QUrl(QStringLiteral("http://127.0.0.1/callback"));
    config.authMethod = workbench::ClientAuthMethod::None;
    return config;
}
} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // Command-line actions (and --version) run without a display.
    if (workbench::CommandLine::handles(arguments)) {
        QCoreApplication app(argc, argv);
        workbench::setApplicationIdentity();
        workbench::LegacyLocations::moveToCurrent();
        return workbench::CommandLine::run(QCoreApplication::arguments());
    }

    QApplication app(argc, argv);
    workbench::setApplicationIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("OAuth Workbench"));
    for (const QString &line : workbench::LegacyLocations::moveToCurrent())
        qInfo("%s", qPrintable(line));
    QApplication::setDesktopFileName(QStringLiteral("oauth-workbench"));
    QApplication::setWindowIcon(workbench::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Test and debug OAuth 2.0 and OpenID Connect "
                                                    "flows."));
    parser.addHelpOption();
    const QCommandLineOption screenshot(
        "screenshot", "Save a picture of the main window to FILE once it is shown, then quit.",
        "file");
    const QCommandLineOption quitAfter("quit-after", "Quit after this many milliseconds.", "ms");
    const QCommandLineOption noSandbox("no-sandbox",
                                       "Open on an empty form instead of the built-in sandbox.");
    const QCommandLineOption exitOnFirstPaint(
        "exit-on-first-paint", "Quit as soon as the window has been painted (for benchmarks).");
    parser.addOptions({screenshot, quitAfter, noSandbox, exitOnFirstPaint});
    parser.process(app);

    workbench::MainWindow window;
    // The default profile is the built-in sandbox: a flow works with no account anywhere.
    // The profile used last time comes back; otherwise the built-in sandbox.
    if (!window.restoreLastProfile() && (parser.isSet(noSandbox) || !window.useSandbox()))
        window.setConfig(starterConfig());
    FirstPaintExit firstPaint;
    if (parser.isSet(exitOnFirstPaint))
        window.installEventFilter(&firstPaint);
    workbench::showOnScreen(&window);

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(800, &window, [&window, file] {
            const bool saved = window.grab().save(file);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    if (parser.isSet(quitAfter))
        QTimer::singleShot(parser.value(quitAfter).toInt(), &app, &QApplication::quit);
    return QApplication::exec();
}
