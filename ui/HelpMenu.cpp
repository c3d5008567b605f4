#include "ui/HelpMenu.h"

#include "core/http/TlsLibrary.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QShortcut>
#include <QStatusBar>

namespace workbench::HelpMenu {

QString shortcutsText(const QMainWindow *window)
{
    QStringList lines;
    for (const QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcut().isEmpty())
            continue;
        lines << QStringLiteral("%1: %2").arg(
            action->shortcut().toString(QKeySequence::NativeText),
            action->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")));
    }
    for (const QShortcut *shortcut : window->findChildren<QShortcut *>()) {
        if (!shortcut->whatsThis().isEmpty())
            lines << QStringLiteral("%1: %2").arg(
                shortcut->key().toString(QKeySequence::NativeText), shortcut->whatsThis());
    }
    lines.sort(Qt::CaseInsensitive);
    lines << QObject::tr("Alt + underlined letter: the button or menu it marks");
    lines << QObject::tr("Tab / Shift+Tab: the form's fields, then the run's buttons, then the "
                         "results");
    return lines.join(QLatin1Char('\n'));
}

QString documentPath(const QString &name)
{
    for (const QString &folder :
         {QStringLiteral(WORKBENCH_INSTALLED_DOCS), QStringLiteral(WORKBENCH_SOURCE_DOCS)}) {
        const QFileInfo file(folder + QLatin1Char('/') + name);
        if (file.isFile())
            return file.absoluteFilePath();
    }
    return {};
}

QString aboutText()
{
    return QObject::tr("<h3>OAuth Workbench %1</h3>"
                       "<p>Test and debug OAuth 2.0 and OpenID Connect flows: every byte on the "
                       "wire, tokens checked, and each error explained with its likely causes "
                       "and fixes.</p>"
                       "<p>Runs on Qt %2, QtKeychain (secrets in the system keychain) and %3.</p>")
        .arg(QStringLiteral(WORKBENCH_VERSION), QString::fromLatin1(qVersion()),
             tlsLibraryVersion().toHtmlEscaped());
}

QMenu *install(QMainWindow *window, const std::function<bool(const QUrl &)> &openUrl)
{
    QMenu *menu = window->menuBar()->addMenu(QObject::tr("&Help"));
    menu->setObjectName(QStringLiteral("helpMenu"));
    QAction *shortcuts = menu->addAction(QObject::tr("&Keyboard shortcuts"));
    shortcuts->setObjectName(QStringLiteral("actionShortcuts"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    QObject::connect(shortcuts, &QAction::triggered, window, [window] {
        QMessageBox box(QMessageBox::Information, QObject::tr("Keyboard shortcuts"),
                        shortcutsText(window), QMessageBox::Close, window);
        box.exec();
    });
    menu->addSeparator();
    const auto document = [&](const QString &text, const QString &name, const char *objectName) {
        QAction *action = menu->addAction(text);
        action->setObjectName(QString::fromLatin1(objectName));
        const QString path = documentPath(name);
        action->setEnabled(!path.isEmpty());
        action->setStatusTip(path.isEmpty() ? QObject::tr("%1 is not installed.").arg(name) : path);
        QObject::connect(action, &QAction::triggered, window, [window, openUrl, path] {
            if (!openUrl(QUrl::fromLocalFile(path)))
                window->statusBar()->showMessage(
                    QObject::tr("No program opens %1 here; it is a Markdown file.").arg(path),
                    8000);
        });
    };
    document(QObject::tr("&User guide"), QStringLiteral("user-guide.md"), "actionUserGuide");
    document(QObject::tr("&Command line"), QStringLiteral("cli.md"), "actionCliGuide");
    menu->addSeparator();
    QAction *about = menu->addAction(QObject::tr("&About OAuth Workbench"));
    about->setObjectName(QStringLiteral("actionAbout"));
    QObject::connect(about, &QAction::triggered, window,
                     [window] { QMessageBox::about(window, QObject::tr("About"), aboutText()); });
    menu->addAction(QObject::tr("About &Qt"), qApp, &QApplication::aboutQt);
    return menu;
}

void addShortcut(QMainWindow *window, const QKeySequence &keys, const QString &what,
                 const std::function<void()> &run)
{
    auto *shortcut = new QShortcut(keys, window);
    shortcut->setWhatsThis(what);
    QObject::connect(shortcut, &QShortcut::activated, window, run);
}

} // namespace workbench::HelpMenu
