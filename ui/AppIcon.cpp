#include "ui/AppIcon.h"

#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPixmap>

namespace workbench {

namespace {
// The icon's PNG sizes, each read when first drawn. (QIcon::addFile would open every file at
// once to ask QImageReader for its format.)
class PngSizesIconEngine : public QIconEngine
{
public:
    PngSizesIconEngine() = default;
    QIconEngine *clone() const override { return new PngSizesIconEngine(*this); }
    QList<QSize> availableSizes(QIcon::Mode = QIcon::Normal, QIcon::State = QIcon::Off) override
    {
        QList<QSize> sizes;
        for (const int size : kSizes)
            sizes << QSize(size, size);
        return sizes;
    }
    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int side = sideFor(size);
        return QSize(side, side).scaled(size, Qt::KeepAspectRatio);
    }
    // A window icon has no disabled or selected look: every mode and state is the same picture.
    QPixmap pixmap(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        const int side = sideFor(size);
        QPixmap &pixmap = m_loaded[side];
        if (pixmap.isNull()) // "PNG" named: the reader needs no format plugin to find out
            pixmap = QPixmap::fromImage(QImage(pathFor(side), "PNG"));
        return pixmap.size() == size
                   ? pixmap
                   : pixmap.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        painter->drawPixmap(rect, pixmap(rect.size(), mode, state));
    }

private:
    static constexpr int kSizes[] = {16, 24, 32, 48, 64, 128, 256};
    // The smallest size at least as big as asked for, or the biggest.
    static int sideFor(const QSize &size)
    {
        const int wanted = qMax(size.width(), size.height());
        for (const int side : kSizes) {
            if (side >= wanted)
                return side;
        }
        return kSizes[std::size(kSizes) - 1];
    }
    static QString pathFor(int side)
    {
        return QStringLiteral(":/icons/%1x%1/apps/oauth-workbench.png").arg(side);
    }
    QHash<int, QPixmap> m_loaded;
};
} // namespace

QIcon applicationIcon()
{
    return QIcon(new PngSizesIconEngine);
}

} // namespace workbench
