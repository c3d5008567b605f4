#pragma once

#include <QObject>
#include <QString>

class QAction;
class QLabel;
class QPushButton;
class QStatusBar;
class QWidget;

namespace workbench {

class ClientForm;
class ProfileBar;
class ResultsPane;
class RunSession;

// What the window does with the built-in sandbox: starts it and fills the form with one of its
// clients, keeps the hint under the form current, applies an error trigger (with the dialog
// that lists them), and lets a profile saved on the sandbox keep it as a placeholder.
class SandboxControls : public QObject
{
    Q_OBJECT
public:
    struct Parts
    {
        RunSession *session = nullptr;
        ClientForm *form = nullptr;
        ProfileBar *profileBar = nullptr;
        ResultsPane *results = nullptr;
        QLabel *note = nullptr;
        QPushButton *startButton = nullptr; // its text names the button in the hint
        QStatusBar *statusBar = nullptr;
        QWidget *window = nullptr; // parent of the triggers dialog
    };

    SandboxControls(const Parts &parts, QObject *parent);
    // The Sandbox menu: its public and confidential clients, and the error triggers.
    void connectMenu(QAction *publicClient, QAction *confidentialClient, QAction *triggers);

    // Starts the sandbox (if it is not running) and fills the form with its public or
    // confidential client. False, with the reason in the results pane, when it cannot start.
    bool use(bool confidential);
    // Applies one of the sandbox's error triggers (by name): its scope, or its token endpoint;
    // the trigger chosen before is taken away; the status bar says what changed.
    void useTrigger(const QString &name);
    void showTriggers();
    // What the hint says for the grant chosen; empty when the sandbox is not running.
    QString noteText() const;
    // Rewrites the hint (after the grant or the start button changed).
    void updateNote();

private:
    Parts m_parts;
};

} // namespace workbench
