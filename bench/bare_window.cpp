// The start-up baselines, built like the app, each quitting once its window has been painted the
// first time, with the class the app's --exit-on-first-paint uses:
//   bench_bare_window               a bare QMainWindow (the baseline of the target)
//   bench_bare_window --with-text   the same with a menu bar, one line of text and a status bar
//                                   message: what any window that shows text pays on top (fonts
//                                   found and loaded, glyphs drawn, the menu bar's style)
#include "gui/FirstPaintExit.h"

#include <QApplication>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1200, 760); // the size MainWindow.ui gives the app
    if (QCoreApplication::arguments().contains(QStringLiteral("--with-text"))) {
        window.menuBar()->addMenu(QStringLiteral("&File"))->addAction(QStringLiteral("&Quit"));
        window.setCentralWidget(new QLabel(QStringLiteral("One line of text")));
        window.statusBar()->showMessage(QStringLiteral("Ready"));
    }
    FirstPaintExit firstPaint;
    window.installEventFilter(&firstPaint);
    window.show();
    return QApplication::exec();
}
