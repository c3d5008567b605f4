// The start-up baseline: a bare QMainWindow program, built like the app, that quits once its
// window has been painted the first time, with the class the app's --exit-on-first-paint uses.
#include "FirstPaintExit.h"

#include <QApplication>
#include <QMainWindow>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1200, 760); // the size MainWindow.ui gives the app
    FirstPaintExit firstPaint;
    window.installEventFilter(&firstPaint);
    window.show();
    return QApplication::exec();
}
