#include "ui/history/HistoryDialog.h"

#include "core/compare/RunComparison.h"
#include "core/storage/RunHistory.h"
#include "ui/ExportPaths.h"
#include "ui/RunExport.h"
#include "ui/history/CompareDialog.h"
#include "ui/results/ResultsPane.h"
#include "ui_HistoryDialog.h"

#include <QFileDialog>
#include <QLocale>
#include <QMessageBox>

namespace workbench {

HistoryDialog::HistoryDialog(RunHistory *history, QWidget *parent)
    : QDialog(parent), m_ui(new Ui::HistoryDialog), m_history(history)
{
    m_ui->setupUi(this);
    connect(m_ui->openButton, &QPushButton::clicked, this, &HistoryDialog::openCurrent);
    connect(m_ui->runsView, &QTreeWidget::itemActivated, this, &HistoryDialog::openCurrent);
    connect(m_ui->runsView, &QTreeWidget::currentItemChanged, this, &HistoryDialog::updateButtons);
    connect(m_ui->deleteButton, &QPushButton::clicked, this, &HistoryDialog::deleteCurrent);
    connect(m_ui->runsView, &QTreeWidget::itemSelectionChanged, this,
            &HistoryDialog::updateButtons);
    connect(m_ui->compareButton, &QPushButton::clicked, this, [this] {
        if (QString problem; !compareSelected(&problem))
            QMessageBox::warning(this, tr("Compare"), problem);
    });
    connect(m_ui->exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export run as HAR"), ExportPaths::suggest(currentId(), {}, "har"),
            tr("HAR (*.har *.json)"));
        if (path.isEmpty())
            return;
        ExportPaths::remember(path);
        if (QString problem; !exportCurrent(path, &problem))
            QMessageBox::warning(this, tr("Export"), tr("Could not save: %1").arg(problem));
    });
    connect(m_ui->clearButton, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Clear the history"),
                                  tr("Delete all %n saved run(s)?", nullptr, runCount())) !=
            QMessageBox::Yes)
            return;
        m_history->clear();
        reload();
    });
    connect(m_ui->closeButton, &QPushButton::clicked, this, &QDialog::reject);
    reload();
}

HistoryDialog::~HistoryDialog()
{
    delete m_ui;
}

void HistoryDialog::reload()
{
    m_ui->runsView->clear();
    QStringList unreadable;
    for (const RunRecord &run : m_history->list(&unreadable)) {
        auto *item = new QTreeWidgetItem(
            m_ui->runsView, {QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat),
                             run.profile, run.grant, run.result, run.summary});
        item->setData(0, Qt::UserRole, run.id);
        item->setToolTip(4, run.summary);
    }
    for (int column = 0; column < 4; ++column)
        m_ui->runsView->resizeColumnToContents(column);
    QString note = tr("Every run is kept here (the newest %1), redacted: secrets, tokens, codes "
                      "and verifiers were replaced by REDACTED: and a short hash when the run was "
                      "saved (the same value gives the same hash). Folder: %2")
                       .arg(RunHistory::kKeptRuns)
                       .arg(m_history->directory());
    if (!unreadable.isEmpty())
        note += tr("\n%n damaged file(s) skipped: %1", nullptr, int(unreadable.size()))
                    .arg(unreadable.join(QStringLiteral(", ")));
    m_ui->noteLabel->setText(note);
    if (runCount() > 0)
        selectRow(0);
    updateButtons();
}

int HistoryDialog::runCount() const
{
    return m_ui->runsView->topLevelItemCount();
}

void HistoryDialog::selectRow(int row)
{
    if (QTreeWidgetItem *item = m_ui->runsView->topLevelItem(row))
        m_ui->runsView->setCurrentItem(item);
}

QString HistoryDialog::currentId() const
{
    const QTreeWidgetItem *item = m_ui->runsView->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

bool HistoryDialog::exportCurrent(const QString &path, QString *error)
{
    const auto run = m_history->load(currentId(), error);
    return run && RunExport::writeHar(path, run->exchanges, false, error);
}

void HistoryDialog::deleteCurrent()
{
    const QString id = currentId();
    if (id.isEmpty())
        return;
    m_history->remove(id);
    reload();
}

QStringList HistoryDialog::selectedIds() const
{
    QStringList ids;
    for (int row = 0; row < runCount(); ++row) {
        const QTreeWidgetItem *item = m_ui->runsView->topLevelItem(row);
        if (item->isSelected())
            ids << item->data(0, Qt::UserRole).toString();
    }
    return ids;
}

void HistoryDialog::selectRows(const QList<int> &rows)
{
    m_ui->runsView->clearSelection();
    for (const int row : rows) {
        if (QTreeWidgetItem *item = m_ui->runsView->topLevelItem(row)) {
            item->setSelected(true);
            m_ui->runsView->setCurrentItem(item, 0, QItemSelectionModel::Select);
        }
    }
    updateButtons();
}

CompareDialog *HistoryDialog::compareSelected(QString *error)
{
    const QStringList ids = selectedIds();
    if (ids.size() != 2) {
        if (error)
            *error = tr("Select two runs to compare (Ctrl+click the second).");
        return nullptr;
    }
    // The list is newest first: the older run is A.
    const auto older = m_history->load(ids.at(1), error);
    const auto newer = older ? m_history->load(ids.at(0), error) : std::nullopt;
    if (!older || !newer)
        return nullptr;
    auto *dialog = new CompareDialog(RunComparison::of(*older, *newer), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void HistoryDialog::openCurrent()
{
    const QString id = currentId();
    if (id.isEmpty())
        return;
    emit runChosen(id);
    accept();
}

void HistoryDialog::updateButtons()
{
    const bool chosen = !currentId().isEmpty();
    m_ui->openButton->setEnabled(chosen);
    m_ui->exportButton->setEnabled(chosen);
    m_ui->deleteButton->setEnabled(chosen);
    m_ui->clearButton->setEnabled(runCount() > 0);
    m_ui->compareButton->setEnabled(selectedIds().size() == 2);
}

void HistoryDialog::showRunIn(ResultsPane *pane, const RunRecord &run)
{
    pane->clear();
    for (qsizetype i = 0; i < run.exchanges.size(); ++i) {
        if (run.diagnoses.isEmpty()) // saved before diagnoses were kept
            pane->addExchange(run.exchanges.at(i));
        else
            pane->addSavedExchange(run.exchanges.at(i), run.diagnoses.value(i));
    }
    pane->showResult(
        run.result == QLatin1String("succeeded"), tr("From the history: %1").arg(run.summary),
        {tr("run of %1, profile %2, grant %3")
             .arg(QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat),
                  run.profile, run.grant),
         tr("Secrets, tokens, codes and verifiers were replaced by REDACTED: markers when the "
            "run was saved.")});
}

} // namespace workbench
