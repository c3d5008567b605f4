// Build-time tool: renders the app's SVG icon to the PNG sizes of the hicolor theme, through
// Qt's own SVG icon engine (libqt6svg6), so the package's icons always match the SVG.
//   render_icons SVG OUTDIR SIZE...  -> OUTDIR/SIZExSIZE/apps/oauth-workbench.png
#include <QDir>
#include <QGuiApplication>
#include <QIcon>
#include <QImage>

#include <cstdio>

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: render_icons SVG OUTDIR SIZE...\n");
        return 2;
    }
    const QIcon icon(QString::fromLocal8Bit(argv[1]));
    for (int i = 3; i < argc; ++i) {
        const int size = atoi(argv[i]);
        const QString dir =
            QStringLiteral("%1/%2x%2/apps").arg(QString::fromLocal8Bit(argv[2])).arg(size);
        QDir().mkpath(dir);
        const QImage image = icon.pixmap(size, size).toImage();
        if (image.width() != size || !image.save(dir + QStringLiteral("/oauth-workbench.png"))) {
            std::fprintf(stderr, "render_icons: could not render %d px (is libqt6svg6 there?)\n",
                         size);
            return 1;
        }
    }
    return 0;
}
