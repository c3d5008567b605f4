#include "ui/history/CompareDialog.h"

#include "ui_CompareDialog.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLocale>

namespace workbench {

namespace {
QString runLine(const QString &name, const RunRecord &run)
{
    return QObject::tr("<b>%1</b> %2 · %3 · %4 · <b>%5</b>: %6")
        .arg(name, QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat),
             run.profile.toHtmlEscaped(), run.grant, run.result, run.summary.toHtmlEscaped());
}

QString shown(const QString &value)
{
    return value.isEmpty() ? QObject::tr("(not there)") : value;
}
} // namespace

CompareDialog::CompareDialog(RunComparison comparison, QWidget *parent)
    : QDialog(parent), m_ui(new Ui::CompareDialog), m_comparison(std::move(comparison))
{
    m_ui->setupUi(this);
    m_ui->runsLabel->setText(runLine(tr("Run A"), m_comparison.left) + QStringLiteral("<br>") +
                             runLine(tr("Run B"), m_comparison.right));
    QString failure;
    switch (m_comparison.failing) {
    case RunComparison::Failing::Neither:
        failure = tr("Neither run failed: the differences in the order they most often matter.");
        break;
    case RunComparison::Failing::Both:
    case RunComparison::Failing::Left:
    case RunComparison::Failing::Right:
        failure = tr("%1 failed at the %2%3. The differences come ranked by how likely each "
                     "explains it, using that run's diagnosis.")
                      .arg(m_comparison.failing == RunComparison::Failing::Both
                               ? tr("Both runs failed; run A")
                           : m_comparison.failing == RunComparison::Failing::Left ? tr("Run A")
                                                                                  : tr("Run B"),
                           m_comparison.failedStep,
                           m_comparison.failureCode.isEmpty()
                               ? QString()
                               : QStringLiteral(" (%1: %2)")
                                     .arg(m_comparison.failureCode, m_comparison.failureTitle));
        break;
    }
    if (m_comparison.differences.isEmpty())
        failure += QLatin1Char(' ') + tr("The two runs sent and received the same things.");
    m_ui->failureLabel->setText(failure);

    int rank = 0;
    for (const RunDifference &difference : std::as_const(m_comparison.differences)) {
        auto *item = new QTreeWidgetItem(
            m_ui->differencesView, {QString::number(++rank), difference.step, difference.aspect,
                                    shown(difference.left), shown(difference.right)});
        for (int column = 3; column <= 4; ++column)
            item->setToolTip(column, item->text(column));
        item->setToolTip(2, difference.why);
    }
    QHeaderView *header = m_ui->differencesView->header();
    header->setStretchLastSection(true);
    for (int column = 0; column < 3; ++column)
        m_ui->differencesView->resizeColumnToContents(column);
    header->resizeSection(3, qMax(160, (width() - header->sectionPosition(3)) / 2 - 24));
    connect(m_ui->differencesView, &QTreeWidget::currentItemChanged, this, &CompareDialog::showWhy);
    if (rank > 0)
        m_ui->differencesView->setCurrentItem(m_ui->differencesView->topLevelItem(0));
    m_ui->splitter->setSizes({380, 120});

    const auto status = [](const RunRecord &run, qsizetype index) {
        if (index < 0)
            return tr("not made");
        const HttpExchange &exchange = run.exchanges.at(index);
        if (!exchange.networkError.isEmpty())
            return exchange.networkError;
        return exchange.status ? QStringLiteral("HTTP %1").arg(exchange.status) : tr("sent");
    };
    for (const RunComparison::Step &step : std::as_const(m_comparison.steps))
        new QTreeWidgetItem(m_ui->stepsView, {step.name, status(m_comparison.left, step.left),
                                              status(m_comparison.right, step.right)});
    m_ui->stepsView->resizeColumnToContents(0);

    connect(m_ui->copyButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_comparison.toText()); });
    connect(m_ui->closeButton, &QPushButton::clicked, this, &QDialog::accept);
}

CompareDialog::~CompareDialog()
{
    delete m_ui;
}

QString CompareDialog::differenceText(int row, int column) const
{
    const QTreeWidgetItem *item = m_ui->differencesView->topLevelItem(row);
    return item ? item->text(column) : QString();
}

int CompareDialog::differenceCount() const
{
    return m_ui->differencesView->topLevelItemCount();
}

void CompareDialog::showWhy()
{
    const int row =
        m_ui->differencesView->indexOfTopLevelItem(m_ui->differencesView->currentItem());
    if (row < 0 || row >= m_comparison.differences.size()) {
        m_ui->whyView->clear();
        return;
    }
    const RunDifference &difference = m_comparison.differences.at(row);
    QString html = QStringLiteral("<p><b>%1 · %2</b></p><p>%3</p>")
                       .arg(difference.step.toHtmlEscaped(), difference.aspect.toHtmlEscaped(),
                            difference.why.toHtmlEscaped());
    if (!difference.explains.isEmpty())
        html += tr("<p>It bears on the failing run's diagnosed cause <code>%1</code>.</p>")
                    .arg(difference.explains);
    html +=
        QStringLiteral("<p>A: <code>%1</code><br>B: <code>%2</code></p>")
            .arg(shown(difference.left).toHtmlEscaped(), shown(difference.right).toHtmlEscaped());
    m_ui->whyView->setHtml(html);
}

} // namespace workbench
