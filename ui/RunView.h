#pragma once

#include <QObject>
#include <QUrl>
#include <functional>

class QPushButton;
class QStatusBar;
class QWidget;

namespace workbench {

class DeviceCodePanel;
class ResultsPane;
class RunSession;

// Shows a run as the RunSession reports it, and nothing else: each step and warning in the
// results pane, the wait for the redirect, the device code and each poll in the device panel,
// progress in the status bar, and the authorization URL handed to the browser. The window
// starts and ends runs; this only shows them.
class RunView : public QObject
{
    Q_OBJECT
public:
    using UrlOpener = std::function<bool(const QUrl &)>;

    struct Parts
    {
        RunSession *session = nullptr;
        ResultsPane *results = nullptr;
        DeviceCodePanel *devicePanel = nullptr;
        QStatusBar *statusBar = nullptr;
        QPushButton *copyUrlButton = nullptr;
        QPushButton *pasteBrowserButton = nullptr;
        // Opens a URL in the browser; read at each use, so the window may replace it later.
        const UrlOpener *openUrl = nullptr;
        QWidget *window = nullptr; // parent of the paste dialog
    };

    RunView(const Parts &parts, QObject *parent);

    // Asks for what the browser shows (its URL or the page's text) and hands it to the run, when
    // the browser did not come back to the app.
    void pasteBrowserPage();

private:
    void connectCodeFlow();
    void connectDeviceFlow();

    Parts m_parts;
};

} // namespace workbench
