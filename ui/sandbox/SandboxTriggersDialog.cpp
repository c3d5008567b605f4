#include "ui/sandbox/SandboxTriggersDialog.h"

#include "ui/sandbox/SandboxTriggersModel.h"
#include "ui_SandboxTriggersDialog.h"

#include <QPushButton>
#include <QSortFilterProxyModel>

namespace workbench {

SandboxTriggersDialog::SandboxTriggersDialog(QWidget *parent)
    : QDialog(parent), m_ui(new Ui::SandboxTriggersDialog), m_model(new SandboxTriggersModel(this)),
      m_filter(new QSortFilterProxyModel(this))
{
    m_ui->setupUi(this);
    // Typing narrows the table to the triggers whose any column holds the text.
    m_filter->setSourceModel(m_model);
    m_filter->setFilterKeyColumn(-1);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_ui->filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setFilterFixedString(text);
        if (m_filter->rowCount() > 0)
            m_ui->triggersView->selectRow(0);
    });
    m_ui->triggersView->setModel(m_filter);
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
    m_ui->triggersView->selectRow(m_filter->mapFromSource(m_model->index(row, 0)).row());
}

void SandboxTriggersDialog::setFilter(const QString &text)
{
    m_ui->filterEdit->setText(text);
}

int SandboxTriggersDialog::shownCount() const
{
    return m_filter->rowCount();
}

void SandboxTriggersDialog::chooseCurrent()
{
    const QModelIndex current = m_filter->mapToSource(m_ui->triggersView->currentIndex());
    const QString name = current.isValid() ? m_model->nameAt(current.row()) : QString();
    if (name.isEmpty())
        return;
    emit triggerChosen(name);
    accept();
}

} // namespace workbench
