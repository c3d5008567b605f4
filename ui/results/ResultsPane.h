#pragma once

#include "diagnosis/Diagnosis.h"
#include "flows/AuthorizationCodeFlow.h"
#include "http/HttpExchange.h"
#include "listener/CapturedRedirect.h"

#include <QWidget>

namespace Ui {
class ResultsPane;
}

namespace workbench {

class ExchangeListModel;

// Shows a run: its outcome, the list of steps, and the selected step's raw request, raw
// response and formatted body.
class ResultsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ResultsPane(QWidget *parent = nullptr);
    ~ResultsPane() override;

    void clear();
    void addExchange(const HttpExchange &exchange);
    void addRejection(const RejectedRequest &rejected);
    void addWarning(const QString &warning);
    void showWaiting(const QUrl &redirectUri);
    void showOutcome(const FlowOutcome &outcome);
    // A headline for anything that is not a flow (discovery, ...), with its details.
    void showResult(bool succeeded, const QString &summary, const QStringList &details);

    ExchangeListModel *model() const { return m_model; }
    QString outcomeText() const;
    QString requestText() const;
    QString responseText() const;
    QString formattedText() const;
    QString diagnosisText() const;
    QString tokensText() const;
    int currentTab() const;
    void selectStep(int row);

private:
    void showStep(int row);
    void renderHeader();
    static QString diagnosisHtml(const Diagnosis &diagnosis);

    Ui::ResultsPane *m_ui;
    ExchangeListModel *m_model;
    QString m_header;
    QStringList m_warnings;
};

} // namespace workbench
