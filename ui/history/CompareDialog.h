#pragma once

#include "core/compare/RunComparison.h"

#include <QDialog>

namespace Ui {
class CompareDialog;
}

namespace workbench {

// Two runs side by side (History → Compare): what differs at each matching step, the
// likeliest explanation of the failure first, with why each difference can matter; and the steps
// of both runs. Secrets show only as the fingerprints the history keeps.
class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CompareDialog(RunComparison comparison, QWidget *parent = nullptr);
    ~CompareDialog() override;

    const RunComparison &comparison() const { return m_comparison; }
    // The text of row `row` in column `column` of the differences (tests read what is shown).
    QString differenceText(int row, int column) const;
    int differenceCount() const;

private:
    void showWhy();

    Ui::CompareDialog *m_ui;
    RunComparison m_comparison;
};

} // namespace workbench
