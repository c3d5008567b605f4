#include "ui/forms/FormScrollArea.h"

#include <QEvent>
#include <QScrollBar>

namespace workbench {

namespace {
// Enough for a few rows of the form: below that, scrolling is no longer reading.
constexpr int minimumRowsHeight = 160;
} // namespace

FormScrollArea::FormScrollArea(QWidget *form, QWidget *parent) : QScrollArea(parent)
{
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::NoFocus); // Tab goes to the fields; they scroll into view
    setWidget(form);
    form->installEventFilter(this);
}

QSize FormScrollArea::minimumSizeHint() const
{
    const int form = widget() ? widget()->minimumSizeHint().width() : 0;
    return {form + verticalScrollBar()->sizeHint().width() + 2 * frameWidth(), minimumRowsHeight};
}

bool FormScrollArea::eventFilter(QObject *watched, QEvent *event)
{
    // The form's layout changed (a section opened, the grant's rows changed): the panel's
    // minimum width follows it.
    if (watched == widget() && event->type() == QEvent::LayoutRequest)
        updateGeometry();
    return QScrollArea::eventFilter(watched, event);
}

} // namespace workbench
