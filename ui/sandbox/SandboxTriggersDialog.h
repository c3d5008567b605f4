#pragma once

#include <QDialog>

class QSortFilterProxyModel;

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
    // `row` of model() (the whole table), whatever the filter shows.
    void selectRow(int row);
    // Types `text` into the filter; shownCount() is how many triggers it leaves.
    void setFilter(const QString &text);
    int shownCount() const;

signals:
    void triggerChosen(const QString &name);

private:
    void chooseCurrent();

    Ui::SandboxTriggersDialog *m_ui;
    SandboxTriggersModel *m_model;
    QSortFilterProxyModel *m_filter;
};

} // namespace workbench
