#pragma once

#include "core/client/ClientConfig.h"
#include "core/probe/ProbeCatalog.h"
#include "core/probe/ProbeReport.h"

#include <QDialog>
#include <functional>
#include <memory>

class QTreeWidgetItem;

namespace Ui {
class ProbeDialog;
}

namespace workbench {

class RunSession;

// File → Probe the authorization server: the probes for the form's client, each with what it
// sends, what a server must do and what it may cost; the person checks the ones to run and
// confirms the plan before anything is sent. While they run, each sign-in opens in the browser,
// and the person can say the server refused; each result shows its verdict, what the server did
// and the exchanges (masked) as evidence.
class ProbeDialog : public QDialog
{
    Q_OBJECT
public:
    using UrlOpener = std::function<bool(const QUrl &)>;

    ProbeDialog(RunSession *session, UrlOpener openUrl, QWidget *parent = nullptr);
    ~ProbeDialog() override;

    // The client and server to probe; the list is rebuilt (results cleared).
    void setConfig(const ClientConfig &config);
    // Runs the checked probes: asks first, unless `confirmed`. False when nothing started.
    bool runProbes(bool confirmed = false);
    QStringList checkedIds() const;
    void setChecked(const QStringList &ids);
    void selectProbe(const QString &id);
    QString resultText(const QString &id) const;
    QString detailText() const;
    const ProbeReport &report() const;
    bool isRunning() const;

private:
    void rebuild();
    void updatePlan();
    void showDetail();
    void setRunning(bool running);
    QTreeWidgetItem *itemOf(const QString &id) const;
    ProbePlan currentPlan() const;

    std::unique_ptr<Ui::ProbeDialog> m_ui;
    RunSession *m_session;
    UrlOpener m_openUrl;
    ClientConfig m_config;
    bool m_ran = false; // the report shown is this dialog's
};

} // namespace workbench
