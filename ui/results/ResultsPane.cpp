#include "ui/results/ResultsPane.h"

#include "core/export/ExchangeExport.h"
#include "core/export/Redaction.h"
#include "core/jose/Jwt.h"
#include "core/listener/CapturedRedirect.h"
#include "core/util/BackgroundWork.h"
#include "core/util/Clock.h"
#include "ui/results/DiagnosisHtml.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/JsonTreeModel.h"
#include "ui/results/StepTexts.h"
#include "ui/results/TextFeeder.h"
#include "ui/results/TokenView.h"
#include "ui_ResultsPane.h"

#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHash>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>

namespace workbench {

ResultsPane::ResultsPane(QWidget *parent)
    : QWidget(parent), m_ui(new Ui::ResultsPane), m_model(new ExchangeListModel(this)),
      m_claims(new JsonTreeModel(this)), m_countdown(new QTimer(this))
{
    m_ui->setupUi(this);
    m_ui->claimsTree->setModel(m_claims);
    m_ui->tokensSplitter->setStretchFactor(0, 3);
    m_countdown->setInterval(1000);
    connect(m_countdown, &QTimer::timeout, this, &ResultsPane::updateSessionBar);
    connect(m_ui->refreshButton, &QPushButton::clicked, this,
            [this] { runAction(TokenActions::Action::Refresh); });
    connect(m_ui->userInfoButton, &QPushButton::clicked, this,
            [this] { runAction(TokenActions::Action::UserInfo); });
    connect(m_ui->introspectButton, &QPushButton::clicked, this,
            [this] { runAction(TokenActions::Action::Introspect); });
    connect(m_ui->revokeButton, &QPushButton::clicked, this,
            [this] { runAction(TokenActions::Action::Revoke); });
    connect(m_ui->targetCombo, &QComboBox::currentIndexChanged, this,
            &ResultsPane::updateSessionBar);
    connect(m_ui->apiCallButton, &QPushButton::clicked, this, &ResultsPane::apiConsoleRequested);
    connect(m_ui->signOutButton, &QPushButton::clicked, this, &ResultsPane::signOutRequested);
    connect(m_ui->keepRefreshButton, &QPushButton::clicked, this, [this] {
        if (m_actions && !m_actions->tokens().refreshToken.isEmpty())
            emit keepRefreshTokenRequested(m_actions->tokens().refreshToken);
    });
    m_revealButton = new QToolButton(m_ui->detailTabs);
    m_revealButton->setObjectName(QStringLiteral("revealSecretsButton"));
    m_revealButton->setCheckable(true);
    m_revealButton->setAutoRaise(true);
    m_revealButton->setText(tr("Reveal secrets"));
    m_revealButton->setToolTip(tr("Secrets, tokens and codes are masked (MASKED: and a short "
                                  "hash; the same value has the same hash). Copy always copies "
                                  "the real text."));
    m_ui->detailTabs->setCornerWidget(m_revealButton, Qt::TopRightCorner);
    connect(m_revealButton, &QToolButton::toggled, this, &ResultsPane::setSecretsRevealed);
    updateSessionBar();
    m_ui->stepsView->setModel(m_model);
    m_requestFeed = new TextFeeder(m_ui->requestText);
    m_responseFeed = new TextFeeder(m_ui->responseText);
    m_formattedFeed = new TextFeeder(m_ui->formattedText);
    connect(m_ui->stepsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { showStep(current.row()); });
    // Copy the exact text: the editors may show long lines broken, a big body still loading, or
    // secrets masked.
    auto copy = [this](int which) {
        return [this, which] { QGuiApplication::clipboard()->setText(exactText(which)); };
    };
    connect(m_ui->copyRequestButton, &QPushButton::clicked, this, copy(0));
    connect(m_ui->copyResponseButton, &QPushButton::clicked, this, copy(1));
    connect(m_ui->copyFormattedButton, &QPushButton::clicked, this, copy(2));
    for (TextFeeder *feeder : {m_requestFeed, m_responseFeed, m_formattedFeed})
        connect(feeder, &TextFeeder::finished, this, &ResultsPane::reportShownWhenDone);
    // A tab shown for the first time fills its editor now: report the step when that is done.
    connect(m_ui->detailTabs, &QTabWidget::currentChanged, this, [this] {
        if (m_shownPending < 0 && !m_preparing && m_ui->stepsView->currentIndex().isValid())
            m_shownPending = m_ui->stepsView->currentIndex().row();
        reportShownWhenDone();
    });
    connect(m_model, &ExchangeListModel::diagnosisReady, this, [this](int row) {
        if (m_ui->stepsView->currentIndex().row() == row)
            showDiagnosis(row);
        if (m_followPending == row)
            followStep(row);
    });
    connect(m_ui->copyCurlButton, &QToolButton::clicked, this, [this] { copyAsCurl(false); });
    auto *curlMenu = new QMenu(this);
    curlMenu->addAction(tr("Copy as curl with secrets…"), this, [this] {
        if (QMessageBox::warning(this, tr("Copy with secrets"),
                                 tr("The command will hold the client secret, codes and tokens "
                                    "in the clear. Copy it anyway?"),
                                 QMessageBox::Yes | QMessageBox::Cancel) == QMessageBox::Yes)
            copyAsCurl(true);
    });
    m_ui->copyCurlButton->setMenu(curlMenu);
    m_ui->splitter->setStretchFactor(1, 3);
    m_ui->splitter->installEventFilter(this);
    m_ui->tokensSplitter->installEventFilter(this);
    m_ui->claimsTree->installEventFilter(this);
}

bool ResultsPane::eventFilter(QObject *watched, QEvent *event)
{
    // The steps are a short list; the details are what a person reads. When the splitter first
    // gets its height, the list takes a quarter of it (the person may drag it from there).
    if (watched == m_ui->splitter && event->type() == QEvent::Resize && !m_splitSized &&
        m_ui->splitter->height() > 0) {
        m_splitSized = true;
        const int height = m_ui->splitter->height();
        m_ui->splitter->setSizes({height / 4, height - height / 4});
    }
    // The same for the decoded tokens above the claims tree, once both are on the screen.
    QSplitter *tokens = m_ui->tokensSplitter;
    if ((watched == tokens || watched == m_ui->claimsTree) && !m_tokensSplitSized &&
        (event->type() == QEvent::Resize || event->type() == QEvent::Show) &&
        tokens->height() > 0 && m_ui->claimsTree->isVisible()) {
        m_tokensSplitSized = true;
        const int height = tokens->height();
        tokens->setSizes({height - height / 4, height / 4});
    }
    return QWidget::eventFilter(watched, event);
}

ResultsPane::~ResultsPane()
{
    delete m_ui;
}

void ResultsPane::clear()
{
    m_model->clear();
    m_warnings.clear();
    m_header.clear();
    m_idTokenChecks.clear();
    ++m_stepGeneration; // a step still being prepared is not shown any more
    m_followPending = -1;
    m_preparing = false;
    m_shownPending = -1;
    for (TextFeeder *feeder : {m_requestFeed, m_responseFeed, m_formattedFeed})
        feeder->setText(QString());
    m_ui->diagnosisText->clear();
    m_ui->tokensText->clear();
    m_claims->clear();
    renderHeader();
}

void ResultsPane::addExchange(const HttpExchange &exchange)
{
    m_model->append(exchange);
    // Follow the flow: the newest step is the one the person wants to see, and when it shows a
    // problem, what it means comes first.
    const int row = m_model->rowCount() - 1;
    selectStep(row);
    followStep(row);
}

void ResultsPane::addSavedExchange(const HttpExchange &exchange,
                                   const std::optional<Diagnosis> &diagnosis)
{
    m_model->appendDiagnosed(exchange, diagnosis);
    const int row = m_model->rowCount() - 1;
    selectStep(row);
    followStep(row);
}

void ResultsPane::followStep(int row)
{
    // A large step is still being read on a worker thread: choose once it is known.
    if (m_preparing || m_model->isDiagnosing(row)) {
        m_followPending = row;
        return;
    }
    m_followPending = -1;
    m_ui->detailTabs->setCurrentWidget(m_model->diagnosisAt(row)      ? m_ui->diagnosisTab
                                       : m_ui->tokensTab->isEnabled() ? m_ui->tokensTab
                                                                      : m_ui->formattedTab);
}

void ResultsPane::addRejection(const RejectedRequest &rejected)
{
    HttpExchange record;
    record.kind = HttpExchange::Kind::LoopbackCallback;
    record.label = tr("Refused on the listener (%1)").arg(rejected.reason);
    record.wireRequest =
        rejected.received.isEmpty() ? QByteArray("(nothing received)") : rejected.received;
    record.status = rejected.status;
    m_model->append(record);
}

void ResultsPane::addWarning(const QString &warning)
{
    m_warnings << warning;
    renderHeader();
}

void ResultsPane::showWaiting(const QUrl &redirectUri, int elapsedSeconds, int limitSeconds)
{
    m_header = tr("<b>Waiting for the browser</b> to come back to <code>%1</code> … %2 s of %3 s"
                  "<br>Log in and consent in the browser window; the app captures the redirect. "
                  "If the browser stays on a page of the provider, use <i>Paste what the browser "
                  "shows</i>.")
                   .arg(redirectUri.toString().toHtmlEscaped())
                   .arg(elapsedSeconds)
                   .arg(limitSeconds);
    renderHeader();
}

namespace {
// The DPoP binding checks, a line each under the result.
// One line per check, under a name saying what was checked.
QStringList checkLines(const QString &what, const QList<TokenCheck> &checks)
{
    QStringList lines;
    for (const TokenCheck &check : checks)
        lines << ResultsPane::tr("%1 %2: %3 — %4")
                     .arg(what, check.name, TokenCheck::statusName(check.status), check.detail);
    return lines;
}
} // namespace

void ResultsPane::showOutcome(const FlowOutcome &outcome)
{
    // A rejected JWT response lists its failures in the details already; one that passed gets
    // one line (each check is on the callback step's Tokens tab).
    QStringList responseLines;
    if (outcome.result != FlowOutcome::Result::AuthorizationResponseRejected &&
        !outcome.responseChecks.isEmpty()) {
        QStringList names;
        for (const TokenCheck &check : outcome.responseChecks)
            names << check.name;
        responseLines << (IdTokenValidator::accepted(outcome.responseChecks)
                              ? tr("The signed authorization response (JARM) passed its checks "
                                   "(%1) before its code was used.")
                                    .arg(names.join(QStringLiteral(", ")))
                              : IdTokenValidator::firstFailure(outcome.responseChecks));
    }
    showResult(outcome.succeeded(), outcome.summary,
               outcome.details + responseLines + checkLines(tr("DPoP"), outcome.bindingChecks));
    if (!outcome.responseChecks.isEmpty()) {
        // The checks belong to the newest callback that carried a JWT response.
        for (int row = m_model->rowCount() - 1; row >= 0; --row) {
            const HttpExchange &step = m_model->at(row);
            if (step.kind != HttpExchange::Kind::LoopbackCallback)
                continue;
            if (const auto jarm =
                    CapturedRedirect::jwtResponse(CapturedRedirect::wireParametersOf(step))) {
                addIdTokenChecks(QString::fromLatin1(jarm->jwt), outcome.responseChecks);
                if (!outcome.succeeded() && outcome.idTokenChecks.isEmpty()) {
                    selectStep(row);
                    m_ui->detailTabs->setCurrentWidget(m_ui->tokensTab);
                }
                break;
            }
        }
    }
    if (outcome.idTokenChecks.isEmpty())
        return;
    const QString idToken = outcome.tokenResponse.value(QLatin1String("id_token")).toString();
    addIdTokenChecks(idToken, outcome.idTokenChecks);
    // Show the token step with its checks: that is where the answer is.
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        if (m_model->at(row).responseBody.contains(idToken.toUtf8())) {
            selectStep(row);
            m_ui->detailTabs->setCurrentWidget(m_ui->tokensTab);
            break;
        }
    }
}

void ResultsPane::addIdTokenChecks(const QString &idToken, const QList<TokenCheck> &checks)
{
    m_idTokenChecks.insert(idToken, checks);
    const QModelIndex current = m_ui->stepsView->currentIndex();
    if (current.isValid())
        showStep(current.row());
}

void ResultsPane::setTokenActions(TokenActions *actions)
{
    m_actions = actions; // its exchanges come with the run's (MainWindow)
    connect(actions, &TokenActions::tokensChanged, this, &ResultsPane::updateSessionBar);
    connect(actions, &TokenActions::finished, this, [this](const TokenActions::Outcome &outcome) {
        m_warnings.clear();
        if (!outcome.idTokenChecks.isEmpty())
            addIdTokenChecks(outcome.body.value(QLatin1String("id_token")).toString(),
                             outcome.idTokenChecks);
        showResult(outcome.succeeded, outcome.summary,
                   outcome.details + checkLines(tr("DPoP"), outcome.bindingChecks));
        updateSessionBar();
    });
    updateSessionBar();
}

void ResultsPane::setApiCaller(ApiCaller *caller)
{
    connect(caller, &ApiCaller::finished, this, [this](const ApiCaller::Outcome &outcome) {
        m_warnings.clear();
        showResult(outcome.succeeded, outcome.summary, outcome.details);
        updateSessionBar();
    });
}

void ResultsPane::runAction(TokenActions::Action action)
{
    if (!m_actions)
        return;
    if (m_actions->run(action, targetFor(action))) {
        m_header = tr("<b>%1</b> request sent…").arg(TokenActions::actionName(action));
        renderHeader();
    }
    updateSessionBar();
}

void ResultsPane::updateSessionBar()
{
    const TokenSet tokens = m_actions ? m_actions->tokens() : TokenSet();
    m_ui->sessionBar->setVisible(m_actions && !tokens.isEmpty());
    if (!m_actions || tokens.isEmpty()) {
        m_countdown->stop();
        m_ui->countdownLabel->setText(tr("No tokens yet."));
        return;
    }
    const bool counting = !tokens.accessTokenRevoked && tokens.accessTokenExpiresAt.isValid();
    if (!counting)
        m_countdown->stop();
    else if (!m_countdown->isActive())
        m_countdown->start();
    const QString text = TokenView::sessionText(tokens, Clock::utcNow());
    m_ui->countdownLabel->setText(text);

    const std::pair<QPushButton *, TokenActions::Action> buttons[] = {
        {m_ui->refreshButton, TokenActions::Action::Refresh},
        {m_ui->userInfoButton, TokenActions::Action::UserInfo},
        {m_ui->introspectButton, TokenActions::Action::Introspect},
        {m_ui->revokeButton, TokenActions::Action::Revoke}};
    for (const auto &[button, action] : buttons) {
        const QString why = m_actions->unavailableReason(action, targetFor(action));
        button->setEnabled(why.isEmpty());
        button->setToolTip(why.isEmpty() ? button->accessibleDescription() : why);
    }
    m_ui->apiCallButton->setToolTip(m_ui->apiCallButton->accessibleDescription());
    m_ui->signOutButton->setToolTip(
        tokens.idToken.isEmpty()
            ? tr("No ID token: the request names the client by client_id only, and the provider "
                 "may not send the browser back.")
            : m_ui->signOutButton->accessibleDescription());
    m_ui->keepRefreshButton->setEnabled(!tokens.refreshToken.isEmpty());
    m_ui->keepRefreshButton->setToolTip(tokens.refreshToken.isEmpty()
                                            ? tr("The server returned no refresh token.")
                                            : m_ui->keepRefreshButton->accessibleDescription());
}

void ResultsPane::setSecretsRevealed(bool revealed)
{
    if (m_revealed == revealed)
        return;
    m_revealed = revealed;
    m_revealButton->setChecked(revealed);
    m_revealButton->setText(revealed ? tr("Mask secrets") : tr("Reveal secrets"));
    m_model->setMasked(!revealed);
    if (m_ui->stepsView->currentIndex().isValid())
        showStep(m_ui->stepsView->currentIndex().row());
}

QString ResultsPane::exactText(int which) const
{
    const int row = m_ui->stepsView->currentIndex().row();
    if (row < 0 || row >= m_model->rowCount())
        return {};
    if (m_revealed) {
        const TextFeeder *feeders[] = {m_requestFeed, m_responseFeed, m_formattedFeed};
        return feeders[qBound(0, which, 2)]->text();
    }
    // Only the text asked for, from the step as it is: no tokens view, no masking.
    return StepTexts::text(m_model->at(row), which);
}

TokenActions::Target ResultsPane::targetFor(TokenActions::Action action) const
{
    // Introspection and revocation work on the token chosen beside them; the others on the
    // access token (Refresh names the refresh token itself).
    const bool chosen =
        action == TokenActions::Action::Introspect || action == TokenActions::Action::Revoke;
    return chosen && m_ui->targetCombo->currentIndex() == 1 ? TokenActions::Target::RefreshToken
                                                            : TokenActions::Target::AccessToken;
}

void ResultsPane::showClaimsTree(const QJsonObject &body)
{
    const QList<QPair<QString, QJsonValue>> roots = TokenView::claimRoots(body);
    m_claims->setRoots(roots);
    m_ui->claimsTree->setVisible(!roots.isEmpty());
    m_ui->claimsTree->expandToDepth(0);
    m_ui->claimsTree->resizeColumnToContents(0);
}

QString ResultsPane::copyAsCurl(bool withSecrets)
{
    const int row = m_ui->stepsView->currentIndex().row();
    if (row < 0 || row >= m_model->rowCount())
        return {};
    const QString command = ExchangeExport::curl(m_model->at(row),
                                                 withSecrets ? ExchangeExport::Secrets::Included
                                                             : ExchangeExport::Secrets::Redacted,
                                                 m_model->exchanges());
    QGuiApplication::clipboard()->setText(command);
    return command;
}

QString ResultsPane::countdownText() const
{
    return m_ui->countdownLabel->text();
}

void ResultsPane::showResult(bool succeeded, const QString &summary, const QStringList &details)
{
    const QString colour = succeeded ? QStringLiteral("#1a7f37") : QStringLiteral("#b42318");
    QString html =
        QStringLiteral("<b style=\"color:%1\">%2</b>").arg(colour, summary.toHtmlEscaped());
    for (const QString &detail : details) {
        if (!detail.isEmpty())
            html += QStringLiteral("<br>") +
                    detail.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    }
    const int problem = m_model->lastProblemRow();
    if (!succeeded && problem >= 0) {
        const Diagnosis &diagnosis = *m_model->diagnosisAt(problem);
        html += QStringLiteral("<br><b>%1</b>").arg(diagnosis.title.toHtmlEscaped());
        if (!diagnosis.causes.isEmpty())
            html += QStringLiteral("<br>Likely cause: %1")
                        .arg(diagnosis.causes.first().text.toHtmlEscaped());
        html += QStringLiteral("<br><i>See the Diagnosis tab for causes and fixes.</i>");
        selectStep(problem);
        m_ui->detailTabs->setCurrentWidget(m_ui->diagnosisTab);
    }
    m_header = html;
    renderHeader();
}

void ResultsPane::setStartHint(const QString &buttonName)
{
    m_startButton = buttonName;
    renderHeader();
}

void ResultsPane::renderHeader()
{
    QString html = m_header;
    if (html.isEmpty() && m_warnings.isEmpty() && m_model->rowCount() == 0)
        html = tr("Fill in the client and press <b>%1</b>. Every request and response of the "
                  "run appears here.")
                   .arg(m_startButton.toHtmlEscaped());
    for (const QString &warning : std::as_const(m_warnings))
        html += QStringLiteral("<br><span style=\"color:#9a6700\">⚠ %1</span>")
                    .arg(warning.toHtmlEscaped());
    m_ui->outcomeLabel->setText(html);
}

QString ResultsPane::outcomeText() const
{
    return m_ui->outcomeLabel->text();
}
QString ResultsPane::requestText() const
{
    return m_requestFeed->text();
}
QString ResultsPane::responseText() const
{
    return m_responseFeed->text();
}
QString ResultsPane::formattedText() const
{
    return m_formattedFeed->text();
}
QString ResultsPane::tokensText() const
{
    return m_ui->tokensText->toPlainText();
}
QString ResultsPane::diagnosisText() const
{
    return m_ui->diagnosisText->toPlainText();
}
int ResultsPane::currentTab() const
{
    return m_ui->detailTabs->currentIndex();
}

void ResultsPane::selectStep(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_model->index(row);
    if (m_ui->stepsView->currentIndex() == index)
        showStep(row); // already the current one: show it again
    else
        m_ui->stepsView->setCurrentIndex(index); // currentChanged shows it
}

void ResultsPane::showStep(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    ++m_stepGeneration;
    m_shownPending = -1; // reported once the step's own texts are in
    showDiagnosis(row);
    const QList<HttpExchange> run = m_model->exchanges();
    if (!StepTexts::isLarge(run.at(row))) {
        showTexts(row, StepTexts::prepare(run, row, m_idTokenChecks,
                                          m_revealed ? nullptr : &m_model->secrets(),
                                          m_model->diagnosisHints().decryptionKey));
        return;
    }
    // A big body: parse and format it on a worker thread, and say so meanwhile.
    m_preparing = true;
    const QString preparing =
        tr("(Preparing %1 MB for display…)")
            .arg(double(run.at(row).responseBody.size()) / (1024 * 1024), 0, 'f', 1);
    for (TextFeeder *feeder : {m_requestFeed, m_responseFeed, m_formattedFeed})
        feeder->setText(preparing);
    BackgroundWork::run(
        this,
        [run, row, checks = m_idTokenChecks, revealed = m_revealed, known = m_model->secrets(),
         key = m_model->diagnosisHints().decryptionKey] {
            if (revealed)
                return StepTexts::prepare(run, row, checks, nullptr, key);
            // The model did not read this big body for secrets; the worker does.
            QSet<QByteArray> all(known.cbegin(), known.cend());
            all.unite(Redaction::secretsIn({run.at(row)}));
            const QList<QByteArray> secrets = Redaction::inReplacementOrder(all);
            return StepTexts::prepare(run, row, checks, &secrets, key);
        },
        [this, generation = m_stepGeneration, row](const StepTexts &texts) {
            if (m_stepGeneration == generation) // not replaced by another step meanwhile
                showTexts(row, texts);
        });
}

void ResultsPane::showDiagnosis(int row)
{
    const auto &diagnosis = m_model->diagnosisAt(row);
    m_ui->diagnosisText->setHtml(m_model->isDiagnosing(row)
                                     ? tr("<p>Looking for problems in this step…</p>")
                                 : diagnosis ? DiagnosisHtml::render(*diagnosis)
                                             : tr("<p>No problem found in this step.</p>"));
}

void ResultsPane::showTexts(int row, const StepTexts &texts)
{
    m_preparing = false;
    m_ui->tokensText->setHtml(texts.tokensHtml.isEmpty() ? tr("<p>No tokens in this step.</p>")
                                                         : texts.tokensHtml);
    showClaimsTree(texts.tokenBody);
    // A step without tokens does not keep the person on an empty Tokens tab: the tab is off and
    // the step's formatted body shows instead.
    const bool hasTokens = !texts.tokensHtml.isEmpty();
    const bool onTokens = m_ui->detailTabs->currentWidget() == m_ui->tokensTab;
    m_ui->tokensTab->setEnabled(hasTokens);
    m_ui->detailTabs->setTabEnabled(m_ui->detailTabs->indexOf(m_ui->tokensTab), hasTokens);
    if (onTokens && !hasTokens)
        m_ui->detailTabs->setCurrentWidget(m_ui->formattedTab);
    if (!m_rawTextsMonospaced) {
        // Set with the first texts, not at start: loading the fixed-width font is a cost the
        // first paint of an empty pane need not pay.
        m_rawTextsMonospaced = true;
        const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        for (QPlainTextEdit *edit : {m_ui->requestText, m_ui->responseText, m_ui->formattedText})
            edit->setFont(mono);
    }
    m_requestFeed->setText(texts.request);
    m_responseFeed->setText(texts.response);
    m_formattedFeed->setText(texts.formatted);
    m_shownPending = row;
    if (m_followPending == row)
        followStep(row);
    reportShownWhenDone();
}

void ResultsPane::reportShownWhenDone()
{
    if (m_shownPending < 0)
        return;
    for (TextFeeder *feeder : {m_requestFeed, m_responseFeed, m_formattedFeed}) {
        if (feeder->isFilling())
            return;
    }
    const int row = m_shownPending;
    m_shownPending = -1;
    emit stepShown(row);
}

} // namespace workbench
