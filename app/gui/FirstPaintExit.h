#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QTimer>

// Installed on a window, quits the application once that window has been painted the first
// time: how the start-up benchmark sees the app on screen (--exit-on-first-paint). The bare
// baseline program (bench/bare_window.cpp) uses this same class, so both stop at the same event.
class FirstPaintExit : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, qApp, &QCoreApplication::quit); // after this paint completes
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};
