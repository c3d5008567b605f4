#pragma once

#include <QString>
#include <QUrl>
#include <functional>

class QKeySequence;
class QMainWindow;
class QMenu;

namespace workbench::HelpMenu {

// Adds Help to the window's menu bar: the keyboard shortcuts (F1), the user guide and the
// command-line reference (opened with `openUrl`, the desktop's viewer), About and About Qt.
QMenu *install(QMainWindow *window, const std::function<bool(const QUrl &)> &openUrl);
// The window's shortcuts, one "keys: what" line each: its actions' and its QShortcuts' (their
// whatsThis says what they do).
QString shortcutsText(const QMainWindow *window);
// A window-wide shortcut for `run`; `what` is what the shortcuts list says it does.
void addShortcut(QMainWindow *window, const QKeySequence &keys, const QString &what,
                 const std::function<void()> &run);
// Where a document (e.g. "user-guide.md") is: installed with the package, else beside the
// sources of this build; empty when neither is there.
QString documentPath(const QString &name);
// What About says: the version and the libraries the app runs on, with their versions.
QString aboutText();

} // namespace workbench::HelpMenu
