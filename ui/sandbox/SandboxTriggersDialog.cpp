#include "ui/sandbox/SandboxTriggersDialog.h"

#include "ui/sandbox/SandboxTriggersModel.h"
#include "ui_SandboxTriggersDialog.h"

#include <QPushButton>

namespace workbench {

SandboxTriggersDialog::SandboxTriggersDialog(QWidget *parent)
    : QDialog(parent), m_ui(new Ui::SandboxTriggersDialog), m_model(new SandboxTriggersModel(this))
{
    m_ui->setupUi(this);
    m_ui->triggersView->setModel(m_model);
    m_ui->triggersView->resizeColumnsToContents();
    m_ui->triggersView->horizontalHeader()->setStretchLastSection(true);
    auto *add = m_ui->buttons->addButton(tr("Use this trigger"), QDialogButtonBox::AcceptRole);
    add->setObjectName(QStringLiteral("useTriggerButton"));
    connect(add, &QPushButton::clicked, this, &SandboxTriggersDialog::chooseCurrent);
    connect(m_ui->triggersView, &QTableView::doubleClicked, this,
            &SandboxTriggersDialog::chooseCurrent);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

SandboxTriggersDialog::~SandboxTriggersDialog()
{
    delete m_ui;
}

void SandboxTriggersDialog::selectRow(int row)
{
    m_ui->triggersView->selectRow(row);
}

void SandboxTriggersDialog::chooseCurrent()
{
    const QString name = m_model->nameAt(m_ui->triggersView->currentIndex().row());
    if (name.isEmpty())
        return;
    emit triggerChosen(name);
    accept();
}

} // namespace workbench
