// The start-up baseline: a bare QMainWindow program, built like the app, that quits once its
// window has been painted the first time (the app's --exit-on-first-paint).
#include <QApplication>
#include <QEvent>
#include <QMainWindow>
#include <QTimer>

namespace {
class FirstPaintExit : public QObject
{
public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, qApp, &QApplication::quit);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};
} // namespace

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
