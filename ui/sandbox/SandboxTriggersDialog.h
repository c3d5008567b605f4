#pragma once

#include <QDialog>

namespace Ui {
class SandboxTriggersDialog;
}

namespace workbench {

class SandboxTriggersModel;

// Lists the sandbox's error triggers; choosing one hands it (by name) to the client form.
class SandboxTriggersDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SandboxTriggersDialog(QWidget *parent = nullptr);
    ~SandboxTriggersDialog() override;

    SandboxTriggersModel *model() const { return m_model; }
    void selectRow(int row);

signals:
    void triggerChosen(const QString &name);

private:
    void chooseCurrent();

    Ui::SandboxTriggersDialog *m_ui;
    SandboxTriggersModel *m_model;
};

} // namespace workbench
