#include "ui/WindowPlacement.h"

#include <QScreen>
#include <QWidget>

namespace workbench {

namespace {
// A title bar and borders: what a window manager usually adds around the window.
constexpr int frameAllowanceWidth = 16;
constexpr int frameAllowanceHeight = 40;
} // namespace

void showOnScreen(QWidget *window)
{
    const QRect available = window->screen()->availableGeometry();
    const QSize room(available.width() - frameAllowanceWidth,
                     available.height() - frameAllowanceHeight);
    const QSize size = window->size().boundedTo(room).expandedTo(window->minimumSizeHint());
    window->resize(size);
    window->move(available.x() + qMax(0, (available.width() - size.width()) / 2),
                 available.y() + qMax(0, (available.height() - size.height()) / 2));
    window->show();
}

} // namespace workbench
