#pragma once

#include <QDialog>

namespace Ui {
class HistoryDialog;
}

namespace workbench {

class CompareDialog;
class ResultsPane;
class RunHistory;
struct RunRecord;

// Lists the saved runs (newest first); a run can be opened in the results pane, exported as HAR
// (it is redacted already), deleted, or the whole history cleared.
class HistoryDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HistoryDialog(RunHistory *history, QWidget *parent = nullptr);
    ~HistoryDialog() override;

    void reload();
    int runCount() const;
    void selectRow(int row);
    QString currentId() const;
    // What the buttons do after asking (tests call these directly); false, with why not.
    [[nodiscard]] bool exportCurrent(const QString &path, QString *error = nullptr);
    void deleteCurrent();
    // The runs selected (ids, in the list's order: newest first).
    QStringList selectedIds() const;
    void selectRows(const QList<int> &rows);
    // Compares the two selected runs, the older as A; the dialog it opened, or nullptr (and
    // `error`) when two readable runs are not selected.
    CompareDialog *compareSelected(QString *error = nullptr);
    // Shows a saved run in the results pane as it was saved: each step with the diagnosis it
    // had live (recomputing it on redacted values would give another answer), then where the
    // run came from.
    static void showRunIn(ResultsPane *pane, const RunRecord &run);

signals:
    void runChosen(const QString &id);

private:
    void openCurrent();
    void updateButtons();

    Ui::HistoryDialog *m_ui;
    RunHistory *m_history;
};

} // namespace workbench
