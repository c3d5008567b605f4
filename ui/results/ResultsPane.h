#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/HttpExchange.h"
#include "core/listener/CapturedRedirect.h"
#include "core/tokens/ApiCaller.h"
#include "core/tokens/TokenActions.h"

#include <QHash>

#include <QWidget>

class QTimer;
class QToolButton;

namespace Ui {
class ResultsPane;
}

namespace workbench {

class ExchangeListModel;
class JsonTreeModel;
struct StepTexts;
class TextFeeder;

// Shows a run: its outcome, the list of steps, and the selected step's raw request, raw
// response and formatted body.
class ResultsPane : public QWidget
{
    Q_OBJECT
public:
    explicit ResultsPane(QWidget *parent = nullptr);
    ~ResultsPane() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

    void clear();
    // What the empty pane tells the person to press: the start button's name for the grant.
    void setStartHint(const QString &buttonName);
    void addExchange(const HttpExchange &exchange);
    // A step of a saved run, shown with the diagnosis it had live.
    void addSavedExchange(const HttpExchange &exchange, const std::optional<Diagnosis> &diagnosis);
    void addRejection(const RejectedRequest &rejected);
    void addWarning(const QString &warning);
    void showWaiting(const QUrl &redirectUri, int elapsedSeconds, int limitSeconds);
    void showOutcome(const FlowOutcome &outcome);
    // A headline for anything that is not a flow (discovery, ...), with its details.
    void showResult(bool succeeded, const QString &summary, const QStringList &details);

    // The follow-up actions on the session's tokens: the pane's buttons run them, and their
    // exchanges and results appear here like the flow's.
    void setTokenActions(TokenActions *actions);
    // The API console's calls: each result shown like the actions' (the steps come with the
    // run's).
    void setApiCaller(ApiCaller *caller);
    // Validation results for an ID token; shown wherever that token appears.
    void addIdTokenChecks(const QString &idToken, const QList<TokenCheck> &checks);

    ExchangeListModel *model() const { return m_model; }
    JsonTreeModel *claimsModel() const { return m_claims; }
    QString countdownText() const;
    // The selected step as a curl command (redacted unless `withSecrets`), also put on the
    // clipboard.
    QString copyAsCurl(bool withSecrets = false);
    QString outcomeText() const;
    QString requestText() const;
    QString responseText() const;
    QString formattedText() const;
    QString diagnosisText() const;
    QString tokensText() const;
    int currentTab() const;
    void selectStep(int row);
    // Secrets and tokens are masked ("MASKED:" and a short hash) in the step texts and tooltips
    // until the person reveals them; Copy always copies the real text.
    void setSecretsRevealed(bool revealed);
    bool secretsRevealed() const { return m_revealed; }
    // What the Copy buttons put on the clipboard for the selected step (0 request, 1 response,
    // 2 formatted): the exact text, whether masked on screen or not.
    QString exactText(int which) const;

signals:
    // The person asked to keep the session's refresh token (in the keychain, with the profile).
    void keepRefreshTokenRequested(const QString &refreshToken);
    // The person wants to call an API with the session's tokens (the API console).
    void apiConsoleRequested();
    // The person wants to sign out at the provider with the session's ID token.
    void signOutRequested();
    // The step's texts are in place: all of them, or at least those on the visible tab.
    void stepShown(int row);

private:
    void showStep(int row);
    void showDiagnosis(int row);
    // Shows the tab that matters for the newest step: its problem, its tokens, or its body.
    void followStep(int row);
    void showTexts(int row, const StepTexts &texts);
    void reportShownWhenDone();
    void updateSessionBar();
    void showClaimsTree(const QJsonObject &body);
    void runAction(TokenActions::Action action);
    TokenActions::Target targetFor(TokenActions::Action action) const;
    void renderHeader();

    Ui::ResultsPane *m_ui;
    ExchangeListModel *m_model;
    JsonTreeModel *m_claims;
    QString m_header;
    QStringList m_warnings;
    QHash<QString, QList<TokenCheck>> m_idTokenChecks;
    TokenActions *m_actions = nullptr;
    QString m_startButton = tr("Authorize");
    QTimer *m_countdown;
    TextFeeder *m_requestFeed;
    TextFeeder *m_responseFeed;
    TextFeeder *m_formattedFeed;
    int m_stepGeneration = 0; // which showStep a worker's result belongs to
    int m_shownPending = -1;  // the row stepShown will report
    bool m_preparing = false; // a worker is preparing the selected step's texts
    int m_followPending = -1; // the new step whose tab is chosen once it has been read
    bool m_revealed = false;
    bool m_rawTextsMonospaced = false; // the fixed-width font is set with the first texts
    QToolButton *m_revealButton;
    bool m_splitSized = false;
    bool m_tokensSplitSized = false;
};

} // namespace workbench
