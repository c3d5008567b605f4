#pragma once

#include <QScrollArea>

namespace workbench {

// Holds the client form: it scrolls down when the grant's fields and the open sections are
// taller than the panel, and never sideways, so it is always as wide as the form needs, also
// after a section opens with wider fields.
class FormScrollArea : public QScrollArea
{
    Q_OBJECT
public:
    explicit FormScrollArea(QWidget *form, QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace workbench
