#pragma once

#include <QList>

class QWidget;

namespace workbench::FocusOrder {

// The widgets below `root` that Tab stops at, in the order Qt's focus chain has them.
[[nodiscard]] QList<QWidget *> tabStops(QWidget *root);

// Chains `order` so that Tab goes from each to the next.
void chain(const QList<QWidget *> &order);

} // namespace workbench::FocusOrder
