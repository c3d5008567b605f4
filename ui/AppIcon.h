#pragma once

#include <QIcon>

namespace workbench {

// The app's icon in the hicolor sizes, PNGs rendered from the SVG at build time: nothing is
// rendered from SVG at start, and each size is read only when drawn.
QIcon applicationIcon();

} // namespace workbench
