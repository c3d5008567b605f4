#pragma once

// Checks, in a real X server, that a window and each control a person can see lie on the screen
// and are not cut off by the widgets around them (what offscreen rendering never shows).

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScreen>
#include <QScrollBar>
#include <QTabBar>
#include <QWidget>

namespace screenfit {

inline QString describe(const QWidget *widget)
{
    QString name = widget->objectName();
    if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
        name += " \"" + button->text().remove('&') + '"';
    else if (const auto *label = qobject_cast<const QLabel *>(widget))
        name += " \"" + label->text().left(40) + '"';
    return QString::fromLatin1(widget->metaObject()->className()) + ' ' + name.trimmed();
}

inline QString rectText(const QRect &rect)
{
    return QStringLiteral("%1x%2+%3+%4")
        .arg(rect.width())
        .arg(rect.height())
        .arg(rect.x())
        .arg(rect.y());
}

// A control a person reads or uses: buttons, fields, lists, tabs, labels with text.
inline bool isControl(const QWidget *widget)
{
    if (qobject_cast<const QScrollBar *>(widget))
        return false;
    if (const auto *label = qobject_cast<const QLabel *>(widget))
        return !label->text().isEmpty() || !label->pixmap().isNull();
    return qobject_cast<const QAbstractButton *>(widget) ||
           qobject_cast<const QLineEdit *>(widget) || qobject_cast<const QComboBox *>(widget) ||
           qobject_cast<const QAbstractSpinBox *>(widget) ||
           qobject_cast<const QTabBar *>(widget) ||
           qobject_cast<const QAbstractScrollArea *>(widget);
}

// Inside an editable or internal part of a compound widget (a combo's line edit, an item view's
// editor, a tab bar's scroll buttons): its owner is checked instead.
inline bool isInternal(const QWidget *widget)
{
    for (const QWidget *parent = widget->parentWidget(); parent; parent = parent->parentWidget()) {
        if (qobject_cast<const QComboBox *>(parent) ||
            qobject_cast<const QAbstractSpinBox *>(parent) ||
            qobject_cast<const QTabBar *>(parent) ||
            qobject_cast<const QAbstractItemView *>(parent))
            return true;
        if (const auto *area = qobject_cast<const QAbstractScrollArea *>(parent)) {
            // The scroll area's own children (scroll bars, corner) are its parts; what sits in
            // its viewport is content, checked on its own.
            if (widget->parentWidget() == area)
                return true;
        }
    }
    return false;
}

// True when `ancestor` scrolls its content along this axis (so content beyond it is reachable).
inline bool scrolls(const QWidget *viewport, Qt::Orientation axis)
{
    const auto *area = qobject_cast<const QAbstractScrollArea *>(viewport->parentWidget());
    if (!area || area->viewport() != viewport)
        return false;
    const Qt::ScrollBarPolicy policy = axis == Qt::Horizontal ? area->horizontalScrollBarPolicy()
                                                              : area->verticalScrollBarPolicy();
    return policy != Qt::ScrollBarAlwaysOff;
}

// Every problem found: the window outside the screen's available area, a visible control
// outside the screen, or cut off by a widget around it that does not scroll that way.
inline QStringList problems(const QWidget *window)
{
    QStringList found;
    const QScreen *screen = window->screen();
    const QRect available = screen->availableGeometry();
    if (!available.contains(window->frameGeometry()))
        found << "window " + rectText(window->frameGeometry()) + " outside the screen " +
                     rectText(available) + " (minimum " +
                     rectText(QRect({}, window->minimumSizeHint())) + ')';
    const QList<QWidget *> widgets = window->findChildren<QWidget *>();
    for (const QWidget *widget : widgets) {
        if (!widget->isVisible() || widget->window() != window || !isControl(widget) ||
            isInternal(widget))
            continue;
        const QRect global(widget->mapToGlobal(QPoint(0, 0)), widget->size());
        if (widget->width() < 4 || widget->height() < 4) {
            found << describe(widget) + " is squeezed to " + rectText(global);
            continue;
        }
        // Cut off by a widget around it: fine where that widget scrolls that way (the control
        // is reached by scrolling, and the scrolling area is checked itself), a defect where not.
        bool scrolledAway = false;
        QString cutBy;
        for (const QWidget *parent = widget->parentWidget(); parent && parent != window;
             parent = parent->parentWidget()) {
            const QRect inParent(widget->mapTo(parent, QPoint(0, 0)), widget->size());
            const QRect area = parent->rect();
            const bool cutSideways =
                inParent.left() < area.left() || inParent.right() > area.right();
            const bool cutDownwards =
                inParent.top() < area.top() || inParent.bottom() > area.bottom();
            if ((cutSideways && !scrolls(parent, Qt::Horizontal)) ||
                (cutDownwards && !scrolls(parent, Qt::Vertical))) {
                cutBy = describe(parent);
                break;
            }
            if (cutSideways || cutDownwards) {
                scrolledAway = true;
                break;
            }
        }
        // A wrapped label given less height than its text needs at its width shows the rest of
        // its lines cut off (a layout that does not honour height-for-width).
        const auto *label = qobject_cast<const QLabel *>(widget);
        if (label && label->wordWrap() && label->heightForWidth(label->width()) > label->height())
            found << describe(widget) +
                         QStringLiteral(" needs %1 px of height at its width, has %2")
                             .arg(label->heightForWidth(label->width()))
                             .arg(label->height());
        if (!cutBy.isEmpty())
            found << describe(widget) + " is cut off by " + cutBy;
        else if (!scrolledAway && !screen->geometry().contains(global))
            found << describe(widget) + " at " + rectText(global) + " is off the screen";
    }
    return found;
}

} // namespace screenfit
