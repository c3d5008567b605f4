#include "ui/probe/ProbeDialog.h"

#include "core/session/RunSession.h"
#include "ui_ProbeDialog.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMessageBox>

namespace workbench {

namespace {
constexpr int kIdRole = Qt::UserRole;
enum Column { Title, Needs, Result, Summary };

QString needsOf(const ProbeDefinition &probe)
{
    const QString requests = probe.maxRequests == 1
                                 ? ProbeDialog::tr("1 request")
                                 : ProbeDialog::tr("%1 requests").arg(probe.maxRequests);
    if (probe.signIns == 0)
        return requests;
    return probe.maxRequests == 0 ? ProbeDialog::tr("a sign-in")
                                  : ProbeDialog::tr("a sign-in, %1").arg(requests);
}
} // namespace

ProbeDialog::ProbeDialog(RunSession *session, UrlOpener openUrl, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ProbeDialog>()), m_session(session),
      m_openUrl(std::move(openUrl))
{
    m_ui->setupUi(this);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    ServerProbe *probe = m_session->prober();
    connect(probe, &ServerProbe::probeStarted, this, [this](const QString &id) {
        if (QTreeWidgetItem *item = itemOf(id)) {
            item->setText(Result, tr("running…"));
            m_ui->probeList->setCurrentItem(item);
        }
    });
    connect(probe, &ServerProbe::signInNeeded, this, [this](const QString &id, const QUrl &url) {
        const ProbeDefinition *definition = ProbeCatalog::find(id);
        m_ui->statusLabel->setText(
            tr("Sign in in the browser for “%1”; the probe waits for the redirect. If the "
               "server shows an error instead, press “The server refused”.")
                .arg(definition ? definition->title : id));
        m_ui->refusedButton->setEnabled(true);
        if (!m_openUrl(url))
            m_ui->statusLabel->setText(
                tr("The browser could not be opened. Open this URL yourself: %1")
                    .arg(url.toString(QUrl::FullyEncoded)));
    });
    connect(probe, &ServerProbe::waitProgressed, this,
            [this](const QString &id, int elapsed, int limit) {
                if (id == QLatin1String("code_expired") && !m_ui->refusedButton->isEnabled())
                    m_ui->statusLabel->setText(
                        tr("Keeping the code unused: %1 of %2 s").arg(elapsed).arg(limit));
            });
    connect(probe, &ServerProbe::probeFinished, this, [this](const ProbeResult &result) {
        m_ui->refusedButton->setEnabled(false);
        if (QTreeWidgetItem *item = itemOf(result.id)) {
            item->setText(Result, ProbeResult::verdictName(result.verdict));
            item->setText(Summary, report().masked(result.summary));
            item->setToolTip(Summary, item->text(Summary));
            const QColor colour = result.verdict == ProbeVerdict::Failed   ? QColor(Qt::darkRed)
                                  : result.verdict == ProbeVerdict::Passed ? QColor(Qt::darkGreen)
                                                                           : QColor(Qt::darkGray);
            item->setForeground(Result, colour);
        }
        showDetail();
    });
    connect(probe, &ServerProbe::finished, this, [this](const ProbeReport &report) {
        setRunning(false);
        m_ui->statusLabel->setText(tr("Done: %1.").arg(report.summary()));
        m_ui->copyButton->setEnabled(true);
        showDetail();
    });
    connect(m_ui->probeList, &QTreeWidget::currentItemChanged, this, &ProbeDialog::showDetail);
    connect(m_ui->probeList, &QTreeWidget::itemChanged, this, &ProbeDialog::updatePlan);
    connect(m_ui->codeWaitSpin, qOverload<int>(&QSpinBox::valueChanged), this,
            &ProbeDialog::updatePlan);
    connect(m_ui->runButton, &QPushButton::clicked, this, [this] { runProbes(false); });
    connect(m_ui->refusedButton, &QPushButton::clicked, probe, &ServerProbe::noRedirectCame);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, [this] {
        if (isRunning())
            m_session->prober()->cancel();
    });
    connect(m_ui->copyButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(report().toText(true));
        m_ui->statusLabel->setText(tr("The report is on the clipboard (secrets masked)."));
    });
    connect(m_ui->closeButton, &QPushButton::clicked, this, [this] {
        if (isRunning())
            m_session->prober()->cancel();
        close();
    });
    m_ui->copyButton->setEnabled(false);
    setRunning(false);
}

ProbeDialog::~ProbeDialog() = default;

void ProbeDialog::setConfig(const ClientConfig &config)
{
    m_config = config;
    rebuild();
}

void ProbeDialog::rebuild()
{
    const QSignalBlocker blocker(m_ui->probeList);
    m_ui->probeList->clear();
    for (const ProbeDefinition &probe : ProbeCatalog::all()) {
        auto *item = new QTreeWidgetItem(m_ui->probeList, {probe.title, needsOf(probe)});
        item->setData(Title, kIdRole, probe.id);
        item->setToolTip(Title, probe.sends);
        const QString why = ProbeCatalog::notApplicable(probe, m_config);
        if (why.isEmpty()) {
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(Title, Qt::Checked);
        } else {
            item->setFlags(item->flags() & ~Qt::ItemIsUserCheckable);
            item->setText(Result, tr("not applicable"));
            item->setText(Summary, why);
            item->setForeground(Title, QColor(Qt::darkGray));
        }
    }
    for (int column = 0; column < Summary; ++column)
        m_ui->probeList->resizeColumnToContents(column);
    // Wide enough for every verdict, before any is shown.
    m_ui->probeList->setColumnWidth(
        Result, m_ui->probeList->fontMetrics().horizontalAdvance(tr("not applicable")) + 16);
    const QStringList missing = ProbeCatalog::missingSettings(m_config);
    m_ui->introLabel->setText(
        missing.isEmpty()
            ? tr("Negative tests against <b>%1</b> with client <b>%2</b>: what the OAuth RFCs "
                 "say a server must refuse. Nothing is sent until you confirm; probes that need "
                 "a code ask you to sign in, one after another. Probe only servers you are "
                 "allowed to test.")
                  .arg(m_config.authorizationEndpoint.toString(QUrl::RemoveQuery).toHtmlEscaped(),
                       m_config.clientId.toHtmlEscaped())
            : tr("The probes need %1 in the form.").arg(missing.join(QStringLiteral(", "))));
    m_ui->probeList->setCurrentItem(m_ui->probeList->topLevelItem(0));
    m_ui->statusLabel->clear();
    updatePlan();
    showDetail();
}

QTreeWidgetItem *ProbeDialog::itemOf(const QString &id) const
{
    for (int i = 0; i < m_ui->probeList->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_ui->probeList->topLevelItem(i);
        if (item->data(Title, kIdRole).toString() == id)
            return item;
    }
    return nullptr;
}

QStringList ProbeDialog::checkedIds() const
{
    QStringList ids;
    for (int i = 0; i < m_ui->probeList->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_ui->probeList->topLevelItem(i);
        if ((item->flags() & Qt::ItemIsUserCheckable) && item->checkState(Title) == Qt::Checked)
            ids << item->data(Title, kIdRole).toString();
    }
    return ids;
}

void ProbeDialog::setChecked(const QStringList &ids)
{
    for (int i = 0; i < m_ui->probeList->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_ui->probeList->topLevelItem(i);
        if (item->flags() & Qt::ItemIsUserCheckable)
            item->setCheckState(Title, ids.contains(item->data(Title, kIdRole).toString())
                                           ? Qt::Checked
                                           : Qt::Unchecked);
    }
}

ProbePlan ProbeDialog::currentPlan() const
{
    const QStringList ids = checkedIds();
    if (ids.isEmpty())
        return {};
    return ProbePlan::make(ids, m_config, m_ui->codeWaitSpin->value());
}

void ProbeDialog::updatePlan()
{
    const ProbePlan plan = currentPlan();
    m_ui->planLabel->setText(plan.probes.isEmpty()
                                 ? tr("No probe checked.")
                                 : tr("%1 probes: at most %2 requests and %3 browser sign-ins.")
                                       .arg(plan.probes.size())
                                       .arg(plan.maxRequests())
                                       .arg(plan.maxSignIns()));
    m_ui->runButton->setEnabled(!isRunning() && !plan.probes.isEmpty() &&
                                ProbeCatalog::missingSettings(m_config).isEmpty());
}

bool ProbeDialog::runProbes(bool confirmed)
{
    const ProbePlan plan = currentPlan();
    if (plan.probes.isEmpty() || isRunning())
        return false;
    if (!confirmed) {
        QMessageBox ask(QMessageBox::Question, windowTitle(),
                        tr("Send %1 probes to %2?")
                            .arg(plan.probes.size())
                            .arg(m_config.authorizationEndpoint.host()),
                        QMessageBox::Yes | QMessageBox::No, this);
        QString bounds = tr("At most %1 requests and %2 browser sign-ins, one after another.")
                             .arg(plan.maxRequests())
                             .arg(plan.maxSignIns());
        if (plan.waitsForCodeExpiry())
            bounds += QLatin1Char(' ') +
                      tr("The expired-code probe keeps its code %1 s.").arg(plan.codeWaitSeconds);
        ask.setInformativeText(bounds + QLatin1Char(' ') +
                               tr("Each probe is listed under Show Details."));
        ask.setDetailedText(plan.toText(m_config));
        ask.setDefaultButton(QMessageBox::No);
        if (ask.exec() != QMessageBox::Yes)
            return false;
    }
    for (int i = 0; i < m_ui->probeList->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_ui->probeList->topLevelItem(i);
        if (item->flags() & Qt::ItemIsUserCheckable) {
            item->setText(Result, {});
            item->setText(Summary, {});
        }
    }
    ServerProbe::Options options;
    options.codeWaitSeconds = plan.codeWaitSeconds;
    options.signInWaitSeconds = m_config.redirectWaitSeconds;
    QString error;
    if (!m_session->probe(m_config, plan, options, &error)) {
        m_ui->statusLabel->setText(tr("The probes did not start: %1").arg(error));
        return false;
    }
    m_ran = true;
    setRunning(true);
    m_ui->statusLabel->setText(tr("Probing…"));
    return true;
}

void ProbeDialog::setRunning(bool running)
{
    m_ui->cancelButton->setEnabled(running);
    m_ui->refusedButton->setEnabled(false);
    m_ui->probeList->setEnabled(true);
    m_ui->codeWaitSpin->setEnabled(!running);
    updatePlan();
}

bool ProbeDialog::isRunning() const
{
    return m_session->prober()->isRunning();
}

const ProbeReport &ProbeDialog::report() const
{
    return m_session->prober()->report();
}

void ProbeDialog::selectProbe(const QString &id)
{
    if (QTreeWidgetItem *item = itemOf(id))
        m_ui->probeList->setCurrentItem(item);
}

QString ProbeDialog::resultText(const QString &id) const
{
    const QTreeWidgetItem *item = itemOf(id);
    return item ? item->text(Result) : QString();
}

QString ProbeDialog::detailText() const
{
    return m_ui->detailView->toPlainText();
}

void ProbeDialog::showDetail()
{
    const QTreeWidgetItem *item = m_ui->probeList->currentItem();
    const ProbeDefinition *probe =
        item ? ProbeCatalog::find(item->data(Title, kIdRole).toString()) : nullptr;
    if (!probe) {
        m_ui->detailView->clear();
        return;
    }
    QString html = QStringLiteral("<h3>%1</h3>").arg(probe->title.toHtmlEscaped());
    const ProbeResult *result = report().result(probe->id);
    if (result && m_ran) {
        html += QStringLiteral("<p><b>%1</b>: %2</p>")
                    .arg(ProbeResult::verdictName(result->verdict).toUpper(),
                         report().masked(result->summary).toHtmlEscaped());
        if (!result->notes.isEmpty()) {
            html += QStringLiteral("<ul>");
            for (const QString &note : result->notes)
                html += QStringLiteral("<li>%1</li>").arg(report().masked(note).toHtmlEscaped());
            html += QStringLiteral("</ul>");
        }
        html += tr("<p><b>Evidence</b> (secrets masked):</p>") +
                QStringLiteral("<pre style=\"white-space: pre-wrap\">");
        for (const HttpExchange &exchange : report().redactedEvidence(*result))
            html +=
                QStringLiteral("%1 %2 → %3\n")
                    .arg(QString::fromLatin1(exchange.request.method),
                         exchange.request.url.toString().toHtmlEscaped(),
                         exchange.status ? QString::number(exchange.status) : tr("(the browser)"));
        html += QStringLiteral("</pre>");
    }
    html += tr("<p><b>Sends:</b> %1</p><p><b>A server must:</b> %2</p><p><b>Reference:</b> "
               "%3</p>")
                .arg(probe->sends.toHtmlEscaped(), probe->mustDo.toHtmlEscaped(),
                     probe->reference.toHtmlEscaped());
    if (const QString why = ProbeCatalog::notApplicable(*probe, m_config); !why.isEmpty())
        html += tr("<p><b>Not applicable:</b> %1</p>").arg(why.toHtmlEscaped());
    m_ui->detailView->setHtml(html);
}

} // namespace workbench
