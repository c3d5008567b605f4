#include "ui/FocusOrder.h"

#include <QWidget>

namespace workbench::FocusOrder {

QList<QWidget *> tabStops(QWidget *root)
{
    QList<QWidget *> widgets;
    for (QWidget *widget = root->nextInFocusChain(); widget != root;
         widget = widget->nextInFocusChain()) {
        if (root->isAncestorOf(widget) && (widget->focusPolicy() & Qt::TabFocus) &&
            !widget->focusProxy())
            widgets << widget;
    }
    return widgets;
}

void chain(const QList<QWidget *> &order)
{
    for (qsizetype i = 1; i < order.size(); ++i)
        QWidget::setTabOrder(order.at(i - 1), order.at(i));
}

} // namespace workbench::FocusOrder
