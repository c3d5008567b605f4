#include "ResultsPane.h"

#include "ExchangeListModel.h"
#include "JsonTreeModel.h"
#include "TokenView.h"
#include "diagnosis/DiagnosisContext.h"
#include "export/ExchangeExport.h"
#include "http/BodyFormatter.h"
#include "jose/Jwt.h"
#include "ui_ResultsPane.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QJsonDocument>
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
    updateSessionBar();
    m_ui->stepsView->setModel(m_model);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *edit : {m_ui->requestText, m_ui->responseText, m_ui->formattedText})
        edit->setFont(mono);
    connect(m_ui->stepsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { showStep(current.row()); });
    auto copy = [](QPlainTextEdit *edit) {
        return [edit] { QGuiApplication::clipboard()->setText(edit->toPlainText()); };
    };
    connect(m_ui->copyRequestButton, &QPushButton::clicked, this, copy(m_ui->requestText));
    connect(m_ui->copyResponseButton, &QPushButton::clicked, this, copy(m_ui->responseText));
    connect(m_ui->copyFormattedButton, &QPushButton::clicked, this, copy(m_ui->formattedText));
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
    m_ui->requestText->clear();
    m_ui->responseText->clear();
    m_ui->formattedText->clear();
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

void ResultsPane::showWaiting(const QUrl &redirectUri)
{
    m_header = tr("<b>Waiting for the browser</b> to come back to <code>%1</code> …<br>"
                  "Log in and consent in the browser window; the app captures the redirect.")
                   .arg(redirectUri.toString().toHtmlEscaped());
    renderHeader();
}

void ResultsPane::showOutcome(const FlowOutcome &outcome)
{
    showResult(outcome.succeeded(), outcome.summary, outcome.details);
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
    m_actions = actions;
    connect(actions, &TokenActions::exchangeRecorded, this, &ResultsPane::addExchange);
    connect(actions, &TokenActions::tokensChanged, this, &ResultsPane::updateSessionBar);
    connect(actions, &TokenActions::finished, this, [this](const TokenActions::Outcome &outcome) {
        m_warnings.clear();
        if (!outcome.idTokenChecks.isEmpty())
            addIdTokenChecks(outcome.body.value(QLatin1String("id_token")).toString(),
                             outcome.idTokenChecks);
        showResult(outcome.succeeded, outcome.summary, outcome.details);
        updateSessionBar();
    });
    updateSessionBar();
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

namespace {
QString clock(qint64 seconds)
{
    seconds = qAbs(seconds);
    const QString minutesSeconds =
        QStringLiteral("%1:%2")
            .arg((seconds / 60) % 60, seconds >= 3600 ? 2 : 1, 10, QLatin1Char('0'))
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return seconds >= 3600 ? QStringLiteral("%1:%2").arg(seconds / 3600).arg(minutesSeconds)
                           : minutesSeconds;
}
} // namespace

void ResultsPane::updateSessionBar()
{
    const TokenSet tokens = m_actions ? m_actions->tokens() : TokenSet();
    m_ui->sessionBar->setVisible(m_actions && !tokens.isEmpty());
    if (!m_actions || tokens.isEmpty()) {
        m_countdown->stop();
        m_ui->countdownLabel->setText(tr("No tokens yet."));
        return;
    }
    QString text;
    if (tokens.accessTokenExpiresAt.isValid()) {
        const qint64 left = QDateTime::currentDateTimeUtc().secsTo(tokens.accessTokenExpiresAt);
        text = left > 0
                   ? tr("Access token expires in <b>%1</b> (at %2)")
                         .arg(clock(left), tokens.accessTokenExpiresAt.toLocalTime().toString(
                                               QStringLiteral("HH:mm:ss")))
                   : tr("<span style=\"color:#b42318\">Access token <b>expired %1 ago</b></span>")
                         .arg(clock(left));
        if (!m_countdown->isActive())
            m_countdown->start();
    } else if (!tokens.accessToken.isEmpty()) {
        text = tr("Access token held; the server did not say when it expires");
        m_countdown->stop();
    }
    text += tokens.refreshToken.isEmpty() ? tr(" · no refresh token") : tr(" · refresh token held");
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
    QList<QPair<QString, QJsonValue>> roots;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!it.value().isString())
            continue;
        QString error;
        const auto jwt = Jwt::decode(it.value().toString().toLatin1(), &error);
        if (!jwt)
            continue;
        roots.append({it.key() + tr(" header"), jwt->header});
        roots.append({it.key() + tr(" claims"), jwt->claims});
    }
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

QString ResultsPane::diagnosisHtml(const Diagnosis &d)
{
    auto esc = [](const QString &text) { return text.toHtmlEscaped(); };
    const QString colour = d.severity == QLatin1String("info")      ? QStringLiteral("#1f5fa8")
                           : d.severity == QLatin1String("warning") ? QStringLiteral("#9a6700")
                                                                    : QStringLiteral("#b42318");
    QString html =
        QStringLiteral("<h3 style=\"color:%1\">%2</h3><p><code>%3</code> · %4</p><p>%5</p>")
            .arg(colour, esc(d.title), esc(d.code), esc(d.category), esc(d.meaning));
    if (!d.notes.isEmpty()) {
        html += QStringLiteral("<p><b>What the server said</b></p><ul>");
        for (const QString &note : d.notes)
            html += QStringLiteral("<li><code>%1</code></li>").arg(esc(note));
        html += QStringLiteral("</ul>");
    }
    html += QStringLiteral("<p><b>Likely causes, likeliest first</b></p><ol>");
    for (const auto &cause : d.causes) {
        html +=
            QStringLiteral("<li>%1%2")
                .arg(cause.confirmed ? QStringLiteral("<b>[seen in this flow]</b> ") : QString(),
                     esc(cause.text));
        if (!cause.evidence.isEmpty())
            html += QStringLiteral("<br><i>%1</i>").arg(esc(cause.evidence));
        html += QStringLiteral("</li>");
    }
    html += QStringLiteral("</ol><p><b>How to fix it</b></p><ul>");
    for (const QString &fix : d.fixes)
        html += QStringLiteral("<li>%1</li>").arg(esc(fix));
    html += QStringLiteral("</ul><p><b>References</b></p><ul>");
    for (const auto &reference : d.references)
        html += QStringLiteral("<li><a href=\"%1\">%2</a></li>")
                    .arg(esc(reference.url), esc(reference.title));
    html += QStringLiteral("</ul>");
    if (!d.source.isEmpty())
        html += QStringLiteral("<p><small>Provider facts from %1.</small></p>").arg(esc(d.source));
    return html;
}

void ResultsPane::renderHeader()
{
    QString html = m_header;
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
    return m_ui->requestText->toPlainText();
}
QString ResultsPane::responseText() const
{
    return m_ui->responseText->toPlainText();
}
QString ResultsPane::formattedText() const
{
    return m_ui->formattedText->toPlainText();
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
    m_ui->stepsView->setCurrentIndex(m_model->index(row));
    showStep(row);
}

void ResultsPane::showStep(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const HttpExchange &exchange = m_model->at(row);
    const auto &diagnosis = m_model->diagnosisAt(row);
    m_ui->diagnosisText->setHtml(diagnosis ? diagnosisHtml(*diagnosis)
                                           : tr("<p>No problem found in this step.</p>"));
    QString tokens;
    QJsonObject body; // a successful back-channel answer's JSON, read once for both token views
    if (exchange.kind == HttpExchange::Kind::BackChannel && exchange.status >= 200 &&
        exchange.status < 300) {
        const DiagnosisContext context = DiagnosisContext::fromRun(m_model->exchanges(), row);
        QString requested = FormEncoding::value(context.sentParameters, QStringLiteral("scope"));
        if (requested.isEmpty())
            requested = FormEncoding::value(context.authorizationRequest, QStringLiteral("scope"));
        const bool publicClient =
            exchange.request.header("Authorization").isEmpty() &&
            !FormEncoding::contains(context.sentParameters, QStringLiteral("client_secret")) &&
            !FormEncoding::contains(context.sentParameters, QStringLiteral("client_assertion"));
        const QDateTime received =
            exchange.startedAt.isValid() ? exchange.receivedAt() : QDateTime::currentDateTimeUtc();
        body = QJsonDocument::fromJson(exchange.responseBody).object();
        tokens = TokenView::html(
            body, received, requested, publicClient,
            m_idTokenChecks.value(body.value(QLatin1String("id_token")).toString()));
    }
    m_ui->tokensText->setHtml(tokens.isEmpty() ? tr("<p>No tokens in this step.</p>") : tokens);
    showClaimsTree(tokens.isEmpty() ? QJsonObject() : body);
    m_ui->tokensTab->setEnabled(!tokens.isEmpty());
    m_ui->requestText->setPlainText(QString::fromUtf8(exchange.rawRequest()));

    QString response;
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation)
        response = tr("(The browser sent this request; its response went to the browser, not to "
                      "the app.)");
    else if (!exchange.hasResponse())
        response = tr("(No HTTP response: %1)").arg(exchange.networkError);
    else
        response = QString::fromUtf8(exchange.rawResponse());
    if (exchange.responseBodyTruncated)
        response += tr("\n\n[body cut off at %1 bytes]").arg(exchange.responseBody.size());
    for (const QString &tlsError : exchange.tlsErrors)
        response += tr("\n[TLS] %1").arg(tlsError);
    m_ui->responseText->setPlainText(response);

    QString formatted;
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation) {
        formatted = tr("Query parameters:\n");
        for (const auto &field :
             FormEncoding::decode(exchange.request.url.query(QUrl::FullyEncoded).toLatin1()))
            formatted += field.first + QStringLiteral(" = ") + field.second + QLatin1Char('\n');
    } else if (exchange.kind == HttpExchange::Kind::LoopbackCallback &&
               !exchange.request.url.isEmpty()) {
        formatted = tr("Parameters received:\n");
        for (const auto &field : CapturedRedirect::parametersOf(exchange))
            formatted += field.first + QStringLiteral(" = ") + field.second + QLatin1Char('\n');
    } else {
        const auto body =
            BodyFormatter::format(exchange.responseBody, exchange.responseHeader("Content-Type"));
        formatted = body.kind == BodyFormatter::Kind::Empty ? tr("(empty body)") : body.text;
        if (body.cut)
            formatted += tr("\n[only the beginning is shown]");
    }
    m_ui->formattedText->setPlainText(formatted);
}

} // namespace workbench
