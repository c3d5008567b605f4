#pragma once

class QWidget;

namespace workbench {

// Shows a top-level window at its designed size, made smaller where the screen is smaller (room
// kept for the window manager's frame), and centred on the screen's free area.
void showOnScreen(QWidget *window);

} // namespace workbench
