#include "ui/forms/SecretFieldActions.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHash>
#include <QIcon>
#include <QImage>
#include <QLineEdit>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace workbench::SecretFieldActions {

namespace {

// Small line icons drawn in the text colour, so they follow the style and need no files.
QImage draw(void (*paint)(QPainter &), const QColor &colour)
{
    QImage image(32, 32, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(colour, 2.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    paint(painter);
    return image;
}

void eye(QPainter &p)
{
    QPainterPath lid;
    lid.moveTo(3, 16);
    lid.quadTo(16, 3, 29, 16);
    lid.quadTo(16, 29, 3, 16);
    p.drawPath(lid);
    p.drawEllipse(QPointF(16, 16), 4.5, 4.5);
}

void eyeClosed(QPainter &p)
{
    eye(p);
    p.drawLine(5, 27, 27, 5);
}

void copy(QPainter &p)
{
    p.drawRoundedRect(QRectF(10, 10, 17, 18), 2, 2);
    p.drawPolyline(
        QPolygonF({QPointF(6, 22), QPointF(5, 22), QPointF(5, 4), QPointF(21, 4), QPointF(21, 6)}));
}

// Each icon is drawn once per colour: a form has a dozen such fields (drawing them all took
// about 2 % of the app's start). Kept as images, which outlive the application safely.
QIcon drawn(void (*paint)(QPainter &), const QColor &colour)
{
    static QHash<QPair<quintptr, QRgb>, QImage> images;
    const auto key = qMakePair(reinterpret_cast<quintptr>(paint), colour.rgba());
    auto it = images.find(key);
    if (it == images.end())
        it = images.insert(key, draw(paint, colour));
    return QIcon(QPixmap::fromImage(*it));
}

} // namespace

void decorate(QLineEdit *edit, bool withReveal)
{
    const QColor colour = edit->palette().color(QPalette::Text);
    if (withReveal) {
        auto *reveal = edit->addAction(drawn(eye, colour), QLineEdit::TrailingPosition);
        reveal->setObjectName(QStringLiteral("revealAction"));
        reveal->setCheckable(true);
        reveal->setToolTip(QObject::tr("Show"));
        const QIcon shown = drawn(eyeClosed, colour);
        const QIcon hidden = reveal->icon();
        QObject::connect(reveal, &QAction::toggled, edit, [edit, reveal, shown, hidden](bool on) {
            edit->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password);
            reveal->setIcon(on ? shown : hidden);
            reveal->setToolTip(on ? QObject::tr("Hide") : QObject::tr("Show"));
        });
    }
    auto *copyAction = edit->addAction(drawn(copy, colour), QLineEdit::TrailingPosition);
    copyAction->setObjectName(QStringLiteral("copyAction"));
    copyAction->setToolTip(QObject::tr("Copy the value"));
    QObject::connect(copyAction, &QAction::triggered, edit,
                     [edit] { QApplication::clipboard()->setText(edit->text()); });
}

} // namespace workbench::SecretFieldActions
