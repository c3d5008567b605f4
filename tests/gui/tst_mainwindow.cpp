// Drives the real main window offscreen: types into the form, presses the buttons and keys a
// person would, and checks what the results pane shows. The browser is played by a raw socket
// and the token endpoint by a canned local server (the e2e test covers the real provider).
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/listener/LoopbackListener.h"
#include "core/sandbox/SandboxAddress.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/storage/ProfileStore.h"
#include "core/tokens/TokenActions.h"
#include "ui/AppIcon.h"
#include "ui/ExportPaths.h"
#include "ui/HelpMenu.h"
#include "ui/MainWindow.h"
#include "ui/forms/ClientForm.h"
#include "ui/history/HistoryDialog.h"
#include "ui/profiles/ProfileBar.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"
#include "ui/sandbox/SandboxTriggersDialog.h"
#include "ui/sandbox/SandboxTriggersModel.h"

#include "FileScan.h"
#include "FullConfig.h"
#include "TestHttp.h"
#include "WidgetTest.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <functional>

using namespace workbench;
using testhttp::CannedServer;
using testhttp::jsonResponse;
using testhttp::roundTrip;
using widgettest::child;
using widgettest::typeInto;

class TestMainWindow : public QObject
{
    Q_OBJECT

    // The window on the sandbox's confidential client, client credentials chosen; `before`
    // changes the form, then Request token is pressed and the run awaited.
    void requestTokenFromTheSandbox(MainWindow &window,
                                    const std::function<void()> &before = nullptr)
    {
        QVERIFY(window.useSandbox(true));
        window.show();
        auto *combo = child<QComboBox>(&window, "grantCombo");
        combo->setCurrentIndex(combo->findData("client_credentials"));
        if (before)
            before();
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 10000);
    }

    void fillForm(MainWindow &window, const CannedServer &server)
    {
        typeInto(&window, "authorizationEndpointEdit", "https://as.example/authorize");
        typeInto(&window, "tokenEndpointEdit", server.url("/token").toString());
        typeInto(&window, "clientIdEdit", "gui-client");
        auto *method = child<QComboBox>(&window, "authMethodCombo");
        method->setCurrentText("client_secret_basic");
        typeInto(&window, "clientSecretEdit", "gui:secret");
        typeInto(&window, "scopeEdit", "openid email");
        QTest::keyClicks(child<QPlainTextEdit>(&window, "extraParametersEdit"), "prompt=consent");
    }

    // Instead of a browser: remember each URL the window asks to open.
    static void recordOpenedUrls(MainWindow &window, QList<QUrl> *opened)
    {
        window.setUrlOpener([opened](const QUrl &url) {
            opened->append(url);
            return true;
        });
    }

    // Plays the browser coming back: the redirect URI with a code and the request's state.
    static QByteArray returnToApp(const QUrl &authorizationUrl, const QByteArray &code)
    {
        const FormFields query =
            FormEncoding::decode(authorizationUrl.query(QUrl::FullyEncoded).toLatin1());
        const QUrl redirect(FormEncoding::value(query, "redirect_uri"));
        return roundTrip(quint16(redirect.port()),
                         "GET /callback?code=" + code + "&state=" +
                             FormEncoding::value(query, "state").toLatin1() + " HTTP/1.1\r\n\r\n");
    }

private slots:
    // Save dialogs for exports open in Documents (or home), never the process's working
    // directory, with a name saying what the file holds; then where the person last saved.
    void exportsSuggestANamedFileInAKnownFolder()
    {
        const QDateTime at(QDate(2026, 11, 30), QTime(10, 15));
        const QString path = ExportPaths::suggest(QStringLiteral("Staging: login/EU"), at, "har");
        const QFileInfo file(path);
        QVERIFY(file.isAbsolute());
        QCOMPARE(file.fileName(), QStringLiteral("Staging- login-EU 2026-11-30 1015.har"));
        const QString documents =
            QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        QVERIFY2(file.absolutePath() == documents || file.absolutePath() == QDir::homePath(),
                 qPrintable(file.absolutePath()));
        QVERIFY(QFileInfo(ExportPaths::suggest({}, {}, "json")).fileName() == "run.json");

        QTemporaryDir chosen;
        ExportPaths::remember(chosen.filePath("first.har"));
        QCOMPARE(QFileInfo(ExportPaths::suggest("x", {}, "har")).absolutePath(),
                 QFileInfo(chosen.path()).absoluteFilePath());
    }

    // Profiles go to Qt's test location, never the person's own config.
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void applicationIconHasEveryHicolorSize()
    {
        // PNGs rendered from the SVG at build time, so no SVG engine is needed to show it.
        const QIcon icon = applicationIcon();
        QCOMPARE(icon.availableSizes().size(), 7);
        for (const int size : {16, 24, 32, 48, 64, 128, 256}) {
            const QImage image = icon.pixmap(size, size).toImage();
            QCOMPARE(image.size(), QSize(size, size));
            // Drawn, not blank: the middle of the icon is opaque.
            QVERIFY2(qAlpha(image.pixel(size / 2, size / 2)) > 0,
                     qPrintable(QString::number(size)));
        }
    }

    void fillsTheFormAndRunsTheFlow()
    {
        CannedServer server(jsonResponse(
            200, "{\"access_token\":\"at-123\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        MainWindow window;
        QList<QUrl> opened;
        recordOpenedUrls(window, &opened);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        fillForm(window, server);

        auto *authorize = child<QPushButton>(&window, "authorizeButton");
        auto *cancel = child<QPushButton>(&window, "cancelButton");
        QVERIFY(authorize->isEnabled());
        QVERIFY(!cancel->isEnabled());
        QTest::mouseClick(authorize, Qt::LeftButton);

        // The browser was sent to the authorization URL built from the form.
        QCOMPARE(opened.size(), 1);
        const FormFields query =
            FormEncoding::decode(opened.first().query(QUrl::FullyEncoded).toLatin1());
        QCOMPARE(FormEncoding::value(query, "client_id"), QStringLiteral("gui-client"));
        QCOMPARE(FormEncoding::value(query, "scope"), QStringLiteral("openid email"));
        QCOMPARE(FormEncoding::value(query, "prompt"), QStringLiteral("consent"));
        QCOMPARE(FormEncoding::value(query, "code_challenge_method"), QStringLiteral("S256"));

        // Waiting state: the form is locked, Cancel is offered, the listener is up.
        QVERIFY(!authorize->isEnabled());
        QVERIFY(cancel->isEnabled());
        QVERIFY(!window.clientForm()->isEnabled());
        QVERIFY(window.resultsPane()->outcomeText().contains("Waiting for the browser"));
        const QUrl redirect(FormEncoding::value(query, "redirect_uri"));
        QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(window.flow()->listener()->isListening());

        // The browser comes back with a code.
        const QByteArray page = returnToApp(opened.first(), "c0de");
        QVERIFY(page.contains("return to OAuth Workbench"));
        QTRY_VERIFY_WITH_TIMEOUT(authorize->isEnabled(), 10000);
        QVERIFY(!cancel->isEnabled());

        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("exchanged for tokens"),
                 qPrintable(results->outcomeText()));
        QCOMPARE(results->model()->rowCount(), 3);
        // Secrets are masked at first: the code, the client's credentials, the tokens; the
        // same value has the same marker, and Copy still copies the real request.
        QVERIFY(!results->secretsRevealed());
        const QString masked = results->requestText();
        QVERIFY2(masked.contains("code=MASKED:"), qPrintable(masked));
        QVERIFY(masked.contains("Authorization: Basic MASKED:"));
        QVERIFY(!masked.contains("c0de"));
        QVERIFY(results->formattedText().contains("\"access_token\": \"MASKED:"));
        QVERIFY(!results->formattedText().contains("at-123"));
        QVERIFY(!results->responseText().contains("at-123"));
        const QString callbackTip =
            results->model()->data(results->model()->index(1), Qt::ToolTipRole).toString();
        QVERIFY2(callbackTip.contains("code=MASKED:"), qPrintable(callbackTip));
        QTest::mouseClick(child<QPushButton>(&window, "copyRequestButton"), Qt::LeftButton);
        QVERIFY(QGuiApplication::clipboard()->text().contains("code=c0de"));
        QTest::mouseClick(child<QToolButton>(&window, "revealSecretsButton"), Qt::LeftButton);
        QVERIFY(results->secretsRevealed());
        // The newest step is shown: the token exchange, raw and formatted.
        QVERIFY(results->requestText().startsWith("POST /token HTTP/1.1"));
        QVERIFY(results->requestText().contains("Authorization: Basic "));
        QVERIFY(results->requestText().contains("code=c0de"));
        QVERIFY(results->responseText().startsWith("HTTP/1.1 200"));
        QVERIFY(results->formattedText().contains("\"access_token\": \"at-123\""));

        // On the token step the Tokens tab has something; on the callback step it has nothing
        // and the pane does not stay on it.
        auto *tabs = child<QTabWidget>(&window, "detailTabs");
        tabs->setCurrentWidget(child<QWidget>(&window, "tokensTab"));
        QVERIFY(child<QWidget>(&window, "tokensTab")->isEnabled());

        // Selecting the callback step shows what the browser brought back.
        results->selectStep(1);
        QTRY_COMPARE(tabs->currentWidget(), child<QWidget>(&window, "formattedTab"));
        QVERIFY(!tabs->isTabEnabled(tabs->indexOf(child<QWidget>(&window, "tokensTab"))));
        QVERIFY(results->requestText().startsWith("GET /callback?code=c0de"));
        QVERIFY(results->formattedText().contains("code = c0de"));

        // The copy button puts the raw request on the clipboard.
        QTest::mouseClick(child<QPushButton>(&window, "copyRequestButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), results->requestText());
    }

    void tokenErrorIsDiagnosedBesideTheRawResponse()
    {
        CannedServer server(jsonResponse(400,
                                         "{\"error\":\"invalid_grant\",\"error_description\":\"The "
                                         "authorization code was already redeemed\"}"));
        MainWindow window;
        QList<QUrl> opened;
        recordOpenedUrls(window, &opened);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        fillForm(window, server);
        QTest::mouseClick(child<QPushButton>(&window, "authorizeButton"), Qt::LeftButton);
        QCOMPARE(opened.size(), 1);
        returnToApp(opened.first(), "c0de");
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(&window, "authorizeButton")->isEnabled(),
                                 10000);

        ResultsPane *results = window.resultsPane();
        // The header names the problem and its likeliest cause: the one the server's words say.
        QVERIFY2(results->outcomeText().contains("Likely cause:"),
                 qPrintable(results->outcomeText()));
        QVERIFY(results->outcomeText().contains("already redeemed"));
        // The failing step is selected, its diagnosis shown first, the raw response beside it.
        QCOMPARE(results->currentTab(), 0);
        const QString diagnosis = results->diagnosisText();
        QVERIFY(diagnosis.contains("Likely causes, likeliest first"));
        // Each cause says how it stands and by what evidence.
        QVERIFY2(diagnosis.contains("[confirmed] The code was already redeemed"),
                 qPrintable(diagnosis));
        QVERIFY(diagnosis.contains("the server's words: The server said"));
        // The run sent the same redirect_uri twice: that cause is ruled out, saying so.
        QVERIFY(diagnosis.contains("[ruled out] The redirect_uri in the token request"));
        QVERIFY(diagnosis.contains("this run: Both requests sent"));
        // A server on 127.0.0.1 is nobody's provider: the generic knowledge only.
        QVERIFY(diagnosis.contains("Provider: unknown provider"));
        QVERIFY(diagnosis.contains("How to fix it"));
        QVERIFY(diagnosis.contains("RFC 6749"));
        QVERIFY(results->responseText().startsWith("HTTP/1.1 400"));
        QVERIFY(results->model()
                    ->data(results->model()->index(2), Qt::DisplayRole)
                    .toString()
                    .startsWith(QStringLiteral("⚠")));
    }

    // The device flow's authorization_pending is the expected answer while the person signs in:
    // not a red problem row; a refusal still is.
    void expectedAnswersAreNotProblemRows()
    {
        const auto poll = [](const QByteArray &error) {
            HttpExchange exchange;
            exchange.kind = HttpExchange::Kind::BackChannel;
            exchange.label = QStringLiteral("Token request (device_code)");
            exchange.request.method = "POST";
            exchange.request.url = QUrl("https://as.example/token");
            exchange.request.body =
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=d";
            exchange.status = 400;
            exchange.responseHeaders = {{"Content-Type", "application/json"}};
            exchange.responseBody = "{\"error\":\"" + error + "\"}";
            return exchange;
        };
        ExchangeListModel model;
        model.append(poll("authorization_pending"));
        model.append(poll("expired_token"));
        const QString pending = model.data(model.index(0), Qt::DisplayRole).toString();
        QVERIFY2(pending.startsWith(QStringLiteral("…")), qPrintable(pending));
        QVERIFY(!model.data(model.index(0), Qt::ForegroundRole).isValid());
        QVERIFY(
            model.data(model.index(1), Qt::DisplayRole).toString().startsWith(QStringLiteral("⚠")));
        QCOMPARE(model.data(model.index(1), Qt::ForegroundRole).value<QBrush>().color(),
                 QColor(0xb4, 0x23, 0x18));
    }

    // Help lists the shortcuts and opens the documents; the window opens on the start button,
    // Tab goes from the form's last field to it, and on to the results.
    void helpAndKeyboardOrder()
    {
        MainWindow window;
        QList<QUrl> opened;
        window.setUrlOpener([&opened](const QUrl &url) {
            opened << url;
            return true;
        });
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *authorize = child<QPushButton>(&window, "authorizeButton");
        QCOMPARE(QApplication::focusWidget(), authorize);

        auto *help = window.findChild<QMenu *>("helpMenu");
        QVERIFY(help);
        const QString shortcuts = HelpMenu::shortcutsText(&window);
        for (const char *line : {"Ctrl+Return: Start the run", "Esc: Cancel the run",
                                 "Ctrl+H: Run history", "F1: Keyboard shortcuts"})
            QVERIFY2(shortcuts.contains(QLatin1String(line)), qPrintable(shortcuts));
        auto *guide = window.findChild<QAction *>("actionUserGuide");
        QVERIFY(guide && guide->isEnabled());
        guide->trigger();
        QCOMPARE(opened.size(), 1);
        QVERIFY(opened.first().isLocalFile());
        QVERIFY(opened.first().toLocalFile().endsWith("user-guide.md"));
        QVERIFY(QFile::exists(opened.first().toLocalFile()));
        QVERIFY(HelpMenu::aboutText().contains(QString::fromLatin1(qVersion())));

        // The form's last field a person can reach, then Tab: the start button.
        QWidget *last = authorize->previousInFocusChain();
        while (!(last->isVisible() && last->isEnabled() && (last->focusPolicy() & Qt::TabFocus)))
            last = last->previousInFocusChain();
        QVERIFY(child<QWidget>(&window, "clientGroup")->isAncestorOf(last));
        last->setFocus();
        QTest::keyClick(last, Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), authorize);
        // The other run buttons are off before a run: Tab goes on to the results.
        QTest::keyClick(authorize, Qt::Key_Tab);
        QVERIFY2(child<QWidget>(&window, "resultsGroup")->isAncestorOf(QApplication::focusWidget()),
                 QApplication::focusWidget()->metaObject()->className());
        // And the keyboard alone starts a run from there.
        QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(window.flow()->isRunning() || !window.resultsPane()->outcomeText().isEmpty());
        window.cancel();
    }

    void invalidFormStartsNothing()
    {
        MainWindow window;
        QList<QUrl> opened;
        recordOpenedUrls(window, &opened);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        typeInto(&window, "redirectUriEdit", "https://app.example/callback");
        QTest::mouseClick(child<QPushButton>(&window, "authorizeButton"), Qt::LeftButton);
        QVERIFY(opened.isEmpty());
        const QString outcome = window.resultsPane()->outcomeText();
        QVERIFY(outcome.contains("cannot start a flow"));
        QVERIFY(outcome.contains("authorization endpoint"));
        QVERIFY(outcome.contains("not a loopback address") || outcome.contains("loopback"));
        QVERIFY(!window.flow()->listener());
    }

    void keyboardStartsAndCancels()
    {
        CannedServer server(jsonResponse(200, "{}"));
        MainWindow window;
        QList<QUrl> opened;
        recordOpenedUrls(window, &opened);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        fillForm(window, server);
        QApplication::setActiveWindow(&window);
        QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(opened.size(), 1);
        QVERIFY(window.flow()->listener()->isListening());
        QTest::keyClick(&window, Qt::Key_Escape);
        QCOMPARE(window.flow()->stage(), AuthorizationCodeFlow::Stage::Finished);
        QVERIFY(!window.flow()->listener()->isListening());
        QVERIFY(window.resultsPane()->outcomeText().contains("cancelled"));
        QVERIFY(child<QPushButton>(&window, "authorizeButton")->isEnabled());
    }

    // The session bar: hidden without tokens; with tokens, a live countdown and buttons that
    // say why they are off.
    void sessionBarShowsTokensAndWhyActionsAreOff()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *bar = child<QWidget>(&window, "sessionBar");
        QVERIFY(!bar->isVisible());

        TokenSet tokens;
        tokens.accessToken = "at";
        tokens.accessTokenExpiresAt = QDateTime::currentDateTimeUtc().addSecs(125);
        ClientConfig config;
        config.revocationEndpoint = QUrl("http://127.0.0.1:9/revoke");
        window.tokenActions()->setSession(config, tokens);
        QVERIFY(bar->isVisible());
        const QString first = window.resultsPane()->countdownText();
        QVERIFY2(first.contains("Access token expires in <b>2:0"), qPrintable(first));
        QVERIFY(first.contains("no refresh token"));
        // It counts down while the window is open.
        QTRY_VERIFY_WITH_TIMEOUT(window.resultsPane()->countdownText() != first, 3000);

        auto *refresh = child<QPushButton>(&window, "refreshButton");
        QVERIFY(!refresh->isEnabled());
        QVERIFY(refresh->toolTip().contains("No token endpoint"));
        QVERIFY(!child<QPushButton>(&window, "userInfoButton")->isEnabled());
        QVERIFY(child<QPushButton>(&window, "revokeButton")->isEnabled());
        QVERIFY(child<QPushButton>(&window, "revokeButton")->toolTip().contains("RFC 7009"));
        child<QComboBox>(&window, "targetCombo")->setCurrentIndex(1); // refresh token: none held
        QVERIFY(!child<QPushButton>(&window, "revokeButton")->isEnabled());
        QVERIFY(
            child<QPushButton>(&window, "revokeButton")->toolTip().contains("No refresh token"));

        tokens.accessTokenExpiresAt = QDateTime::currentDateTimeUtc().addSecs(-61);
        window.tokenActions()->setSession(config, tokens);
        QVERIFY(window.resultsPane()->countdownText().contains("expired 1:0"));

        // A revoked access token is not counted down as if it still worked.
        tokens.accessTokenExpiresAt = QDateTime::currentDateTimeUtc().addSecs(300);
        tokens.accessTokenRevoked = true;
        window.tokenActions()->setSession(config, tokens);
        const QString revoked = window.resultsPane()->countdownText();
        QVERIFY2(revoked.contains("Access token <b>revoked</b>"), qPrintable(revoked));
        QVERIFY(!revoked.contains("expires in"));

        // A new run starts with no tokens.
        window.tokenActions()->clear();
        QVERIFY(!bar->isVisible());
    }

    void sandboxFillsTheFormAndTriggersAddScopes()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.useSandbox(true));
        const QString issuer = window.sandbox()->issuer();
        QCOMPARE(child<QLineEdit>(&window, "issuerEdit")->text(), issuer);
        QCOMPARE(child<QLineEdit>(&window, "tokenEndpointEdit")->text(), issuer + "/token");
        QCOMPARE(child<QLineEdit>(&window, "jwksUriEdit")->text(), issuer + "/jwks");
        QCOMPARE(child<QLineEdit>(&window, "clientIdEdit")->text(),
                 QStringLiteral("sandbox-confidential"));
        QCOMPARE(child<QComboBox>(&window, "authMethodCombo")->currentText(),
                 QStringLiteral("client_secret_basic"));
        QVERIFY(window.clientForm()->problems().isEmpty());
        auto *note = child<QLabel>(&window, "sandboxNote");
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(issuer));
        QVERIFY(note->text().contains("press <b>Authorize</b> and sign in"));
        QVERIFY(window.resultsPane()->outcomeText().contains("press <b>Authorize</b>"));
        // The hints name the button the grant has, and no sign-in where no browser is used.
        ClientConfig service = window.clientForm()->config();
        service.grant = GrantType::ClientCredentials;
        window.clientForm()->setConfig(service);
        QVERIFY2(note->text().contains("press <b>Request token</b>."), qPrintable(note->text()));
        QVERIFY(!note->text().contains("sign in"));
        QVERIFY(window.resultsPane()->outcomeText().contains("press <b>Request token</b>"));
        service.grant = GrantType::AuthorizationCode;
        window.clientForm()->setConfig(service);

        // Two triggers chosen one after the other: the second replaces the first.
        for (const QString trigger : {"sandbox:invalid_client", "sandbox:rate_limited"}) {
            window.showSandboxTriggers();
            auto *dialog = window.findChild<SandboxTriggersDialog *>();
            QVERIFY(dialog);
            QCOMPARE(dialog->model()->rowCount(), int(SandboxTriggers::all().size()));
            for (int row = 0; row < dialog->model()->rowCount(); ++row) {
                if (dialog->model()->scopeAt(row) == trigger)
                    dialog->selectRow(row);
            }
            QTest::mouseClick(dialog->findChild<QPushButton *>("useTriggerButton"), Qt::LeftButton);
            QTRY_VERIFY(!window.findChild<SandboxTriggersDialog *>());
        }
        QCOMPARE(child<QLineEdit>(&window, "scopeEdit")->text(),
                 QStringLiteral("openid profile email offline_access sandbox:rate_limited"));
        // Choosing one says what changed.
        QVERIFY2(window.statusBar()->currentMessage().contains("rate_limited"),
                 qPrintable(window.statusBar()->currentMessage()));

        // The filter narrows the table; the trigger chosen is the one shown, not a hidden row.
        window.showSandboxTriggers();
        auto *dialog = window.findChild<SandboxTriggersDialog *>();
        QVERIFY(dialog);
        dialog->setFilter("PKCE");
        QVERIFY(dialog->shownCount() >= 1);
        QVERIFY(dialog->shownCount() < dialog->model()->rowCount());
        QTest::mouseClick(dialog->findChild<QPushButton *>("useTriggerButton"), Qt::LeftButton);
        QTRY_VERIFY(!window.findChild<SandboxTriggersDialog *>());
        QVERIFY2(child<QLineEdit>(&window, "scopeEdit")->text().contains("pkce"),
                 qPrintable(child<QLineEdit>(&window, "scopeEdit")->text()));
        window.useSandboxTrigger("rate_limited");

        // A trigger before any answer is a token endpoint to type: the scope trigger goes, and
        // choosing a scope trigger again puts the sandbox's token endpoint back.
        auto *tokenEndpoint = child<QLineEdit>(&window, "tokenEndpointEdit");
        window.useSandboxTrigger("tls_to_plain_http");
        QCOMPARE(tokenEndpoint->text(), "https://" + QUrl(issuer).authority() + "/token");
        QCOMPARE(child<QLineEdit>(&window, "scopeEdit")->text(),
                 QStringLiteral("openid profile email offline_access"));
        window.useSandboxTrigger("host_not_found");
        QCOMPARE(tokenEndpoint->text(), QStringLiteral("http://sandbox.invalid/token"));
        window.useSandboxTrigger("invalid_client");
        QCOMPARE(tokenEndpoint->text(), issuer + "/token");
        // A token endpoint the person typed is theirs: a scope trigger leaves it alone.
        typeInto(&window, "tokenEndpointEdit", "http://127.0.0.1:9/own");
        window.useSandboxTrigger("rate_limited");
        QCOMPARE(tokenEndpoint->text(), QStringLiteral("http://127.0.0.1:9/own"));

        // Pointing the form at another server hides the note.
        typeInto(&window, "authorizationEndpointEdit", "https://id.example.com/authorize");
        QVERIFY(!note->isVisible());
    }

    // Everything the form can hold comes back out of it unchanged, secrets included.
    void formRoundTripsEveryField()
    {
        ClientForm form;
        const ClientConfig full = fullconfig::make();
        form.setConfig(full);
        const ClientConfig back = form.config();
        QCOMPARE(fullconfig::publicFields(back), fullconfig::publicFields(full));
        for (const QString &field : ClientConfig::secretFieldNames())
            QCOMPARE(back.secretField(field), full.secretField(field));
    }

    // A whole config set at once (a profile chosen, the sandbox, discovery) works the form's
    // state out once, for the values it ends with, not once per field.
    void fillingTheFormUpdatesItOnce()
    {
        ClientForm form;
        form.show();
        QSignalSpy edited(&form, &ClientForm::edited);
        ClientConfig config = fullconfig::make(); // token exchange, private_key_jwt
        form.setConfig(config);
        QCOMPARE(edited.count(), 1);
        QVERIFY(child<QWidget>(&form, "subjectTokenEdit")->isVisibleTo(&form));
        QVERIFY(child<QWidget>(&form, "loadKeyButton")->isVisibleTo(&form));
        QVERIFY(!child<QWidget>(&form, "redirectUriEdit")->isVisibleTo(&form));
        QVERIFY(child<QPushButton>(&form, "discoverButton")->isEnabled());

        config.grant = GrantType::AuthorizationCode;
        config.issuer = QUrl();
        form.setConfig(config);
        QCOMPARE(edited.count(), 2);
        QVERIFY(!child<QWidget>(&form, "subjectTokenEdit")->isVisibleTo(&form));
        QVERIFY(child<QWidget>(&form, "redirectUriEdit")->isVisibleTo(&form));
        QVERIFY(!child<QPushButton>(&form, "discoverButton")->isEnabled());

        ProviderMetadata metadata;
        metadata.issuer = QStringLiteral("https://id.example.test");
        metadata.tokenEndpoint = QUrl(QStringLiteral("https://id.example.test/token2"));
        metadata.authorizationSigningAlgValuesSupported = {"PS256"};
        metadata.requestObjectEncryptionAlgValuesSupported = {"RSA-OAEP-256"};
        metadata.requestObjectEncryptionEncValuesSupported = {"A256GCM"};
        form.applyMetadata(metadata);
        QCOMPARE(edited.count(), 3);
        QCOMPARE(form.config().tokenEndpoint, metadata.tokenEndpoint);
        // The algorithm lists reach the config the run gets (the JARM alg check, the warning
        // on an encryption the server does not list).
        QCOMPARE(form.config().authorizationSigningAlgorithms, QStringList{"PS256"});
        QCOMPARE(form.config().requestObjectEncryptionAlgorithms, QStringList{"RSA-OAEP-256"});
        QCOMPARE(form.config().requestObjectEncryptionEncodings, QStringList{"A256GCM"});
        QVERIFY(child<QPushButton>(&form, "discoverButton")->isEnabled());

        // A key typed is still one update.
        QTest::keyClicks(child<QLineEdit>(&form, "scopeEdit"), QStringLiteral("x"));
        QCOMPARE(edited.count(), 4);
    }

    // Only the fields a grant needs are shown; the start button says what it will do.
    void grantChoiceShapesTheForm_data()
    {
        QTest::addColumn<QString>("grant");
        QTest::addColumn<QStringList>("shown");
        QTest::addColumn<QStringList>("hidden");
        QTest::addColumn<QString>("button");
        QTest::newRow("code") << "authorization_code"
                              << QStringList{"redirectUriEdit", "authorizationEndpointEdit",
                                             "pkceCheck"}
                              << QStringList{"usernameEdit", "refreshTokenEdit"} << "Authorize";
        QTest::newRow("client credentials")
            << "client_credentials" << QStringList{"tokenEndpointEdit", "scopeEdit"}
            << QStringList{"redirectUriEdit", "authorizationEndpointEdit", "pkceCheck",
                           "usernameEdit"}
            << "Request token";
        QTest::newRow("password") << "password" << QStringList{"usernameEdit", "passwordEdit"}
                                  << QStringList{"redirectUriEdit"} << "Request token";
        QTest::newRow("refresh") << "refresh_token" << QStringList{"refreshTokenEdit"}
                                 << QStringList{"redirectUriEdit", "usernameEdit"}
                                 << "Request token";
        QTest::newRow("token exchange")
            << "urn:ietf:params:oauth:grant-type:token-exchange"
            << QStringList{"subjectTokenEdit", "subjectTokenTypeCombo", "actorTokenEdit"}
            << QStringList{"redirectUriEdit"} << "Request token";
        QTest::newRow("jwt bearer") << "urn:ietf:params:oauth:grant-type:jwt-bearer"
                                    << QStringList{"assertionEdit", "loadKeyButton"}
                                    << QStringList{"redirectUriEdit"} << "Request token";
        QTest::newRow("device") << "urn:ietf:params:oauth:grant-type:device_code"
                                << QStringList{"scopeEdit"}
                                << QStringList{"redirectUriEdit", "authorizationEndpointEdit"}
                                << "Start device flow";
        QTest::newRow("implicit") << "implicit" << QStringList{"redirectUriEdit"}
                                  << QStringList{"pkceCheck", "tokenEndpointEdit"} << "Authorize";
    }
    void grantChoiceShapesTheForm()
    {
        QFETCH(QString, grant);
        QFETCH(QStringList, shown);
        QFETCH(QStringList, hidden);
        QFETCH(QString, button);
        MainWindow window;
        window.show();
        auto *combo = child<QComboBox>(&window, "grantCombo");
        combo->setCurrentIndex(combo->findData(grant));
        QCOMPARE(window.clientForm()->config().grant, [&] {
            GrantType parsed{};
            grantTypeFromName(grant, &parsed);
            return parsed;
        }());
        for (const QString &name : shown)
            QVERIFY2(child<QWidget>(&window, qPrintable(name))->isVisibleTo(&window),
                     qPrintable(name));
        for (const QString &name : hidden)
            QVERIFY2(!child<QWidget>(&window, qPrintable(name))->isVisibleTo(&window),
                     qPrintable(name));
        QCOMPARE(child<QPushButton>(&window, "authorizeButton")->text().remove('&'), button);
        const bool legacy = grant == "password" || grant == "implicit";
        QCOMPARE(child<QLabel>(&window, "grantNote")->text().contains("Legacy"), legacy);
    }

    // Client credentials through the window against the built-in sandbox: one request, tokens.
    void clientCredentialsAgainstTheSandbox()
    {
        MainWindow window;
        requestTokenFromTheSandbox(window);
        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("client_credentials"),
                 qPrintable(results->outcomeText()));
        QCOMPARE(results->model()->rowCount(), 1);
        const HttpExchange exchange = results->model()->exchanges().first();
        QCOMPARE(exchange.status, 200);
        QVERIFY(exchange.request.body.contains("grant_type=client_credentials"));
        QVERIFY(!window.tokenActions()->tokens().accessToken.isEmpty());
    }

    // A profile saved on the sandbox keeps "the sandbox", not the port of that start: after a
    // restart (a new sandbox on a new port) it is resolved to the running sandbox and works.
    void sandboxProfileWorksAfterARestart()
    {
        QString firstIssuer;
        QString file;
        {
            MainWindow window;
            QVERIFY(window.useSandbox(true));
            firstIssuer = window.sandbox()->issuer();
            window.profileBar()->saveAsNew("Sandbox copy");
            const Profile *saved = window.profileStore()->find(window.profileBar()->currentId());
            QVERIFY(saved);
            QCOMPARE(saved->config.tokenEndpoint.toString(),
                     SandboxAddress::kPlaceholderOrigin + "/token");
            QCOMPARE(saved->config.issuer.toString(), SandboxAddress::kPlaceholderOrigin);
            QCOMPARE(saved->config.redirectUri, window.clientForm()->config().redirectUri);
            file = window.profileStore()->filePath();
        }
        QFile profiles(file);
        QVERIFY(profiles.open(QIODevice::ReadOnly));
        QVERIFY(!profiles.readAll().contains(firstIssuer.toUtf8()));

        MainWindow window;
        QVERIFY(!window.sandbox()); // nothing started it yet
        QVERIFY(window.restoreLastProfile());
        QVERIFY(window.sandbox() && window.sandbox()->isRunning());
        const QString issuer = window.sandbox()->issuer();
        QCOMPARE(window.clientForm()->config().tokenEndpoint.toString(), issuer + "/token");
        QCOMPARE(window.clientForm()->config().jwksUri.toString(), issuer + "/jwks");
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        typeInto(&window, "clientSecretEdit", SandboxProvider::kConfidentialSecret);
        auto *combo = child<QComboBox>(&window, "grantCombo");
        combo->setCurrentIndex(combo->findData("client_credentials"));
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 10000);
        QVERIFY2(window.tokenActions()->tokens().accessToken.size() > 0,
                 qPrintable(window.resultsPane()->outcomeText()));
        QVERIFY(window.profileBar()->removeCurrent());
    }

    // A failure before any answer, through the window: https:// to the plain-HTTP sandbox fails
    // the TLS handshake, and the pane leads with the TLS entry. The request timeout setting
    // bounds a server that never answers.
    void connectionTriggersAreDiagnosedInTheWindow_data()
    {
        QTest::addColumn<QString>("trigger");
        QTest::addColumn<QString>("entry");
        QTest::newRow("tls") << "tls_to_plain_http"
                             << "transport.tls";
        QTest::newRow("hang up") << "hang_up"
                                 << "transport.other";
        QTest::newRow("no answer") << "no_answer"
                                   << "transport.timeout";
    }
    void connectionTriggersAreDiagnosedInTheWindow()
    {
        QFETCH(QString, trigger);
        QFETCH(QString, entry);
        MainWindow window;
        QElapsedTimer clock;
        requestTokenFromTheSandbox(window, [&] {
            child<QSpinBox>(&window, "timeoutSpin")->setValue(2);
            window.useSandboxTrigger(trigger);
            clock.start();
        });
        if (entry == "transport.timeout")
            QVERIFY(clock.elapsed() >= 1800); // the 2 s setting, not the 30 s default
        ResultsPane *results = window.resultsPane();
        QCOMPARE(results->model()->rowCount(), 1);
        QCOMPARE(results->model()->exchanges().first().status, 0);
        QVERIFY2(results->diagnosisText().contains(entry), qPrintable(results->diagnosisText()));
    }

    // Each run is saved, redacted, and can be opened again after a restart; its HAR export is
    // redacted; no token or secret of it is in any file the app wrote.
    void runsAreKeptInTheHistoryAcrossRestarts()
    {
        QString accessToken;
        QString runId;
        {
            MainWindow window;
            window.history()->clear();
            requestTokenFromTheSandbox(window);
            accessToken = window.tokenActions()->tokens().accessToken;
            QVERIFY(!accessToken.isEmpty());
            QTRY_COMPARE_WITH_TIMEOUT(window.history()->list().size(), 1, 30000); // by a worker
            const QList<RunRecord> runs = window.history()->list();
            runId = runs.first().id;
            QCOMPARE(runs.first().profile, QStringLiteral("Sandbox"));
            QCOMPARE(runs.first().grant, QStringLiteral("client_credentials"));
            QCOMPARE(runs.first().result, QStringLiteral("succeeded"));
            // Introspection follows the run: the saved run grows by that step.
            QTest::mouseClick(child<QPushButton>(&window, "introspectButton"), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(window.history()->load(runId)->exchanges.size(), 2, 10000);
        }

        MainWindow restarted;
        restarted.show();
        restarted.showHistory();
        auto *dialog = restarted.findChild<HistoryDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->runCount(), 1);
        QCOMPARE(dialog->currentId(), runId);
        QTemporaryDir exportDir;
        QVERIFY(dialog->exportCurrent(exportDir.filePath("run.har")));
        QFile har(exportDir.filePath("run.har"));
        QVERIFY(har.open(QIODevice::ReadOnly));
        const QByteArray harText = har.readAll();
        QVERIFY(harText.contains("REDACTED:"));
        QVERIFY(!harText.contains(accessToken.toLatin1()));
        QTest::mouseClick(child<QPushButton>(dialog, "openButton"), Qt::LeftButton);
        QTRY_VERIFY(!restarted.findChild<HistoryDialog *>());
        ResultsPane *results = restarted.resultsPane();
        QCOMPARE(results->model()->rowCount(), 2);
        QVERIFY2(results->outcomeText().contains("From the history"),
                 qPrintable(results->outcomeText()));
        const HttpExchange token = results->model()->exchanges().first();
        QCOMPARE(token.status, 200);
        QVERIFY(token.responseBody.contains("\"access_token\":\"REDACTED:"));
        QVERIFY(token.request.header("Authorization").startsWith("Basic REDACTED:"));

        const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QVERIFY(!filescan::filesContaining(data, "REDACTED:").isEmpty());
        QVERIFY(filescan::filesContaining(data, accessToken.toLatin1()).isEmpty());
        QVERIFY(filescan::filesContaining(data, SandboxProvider::kConfidentialSecret).isEmpty());

        // A damaged run file is reported, not fatal.
        QFile damaged(restarted.history()->directory() + "/" + runId + ".jsonl");
        QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("{\"id\":\"" + runId.toLatin1() +
                      "\",\"started_at\":\"2026-01-01T00:00:00Z\"}\nnot json");
        damaged.close();
        QVERIFY(!restarted.showHistoryRun(runId));
        QVERIFY(results->outcomeText().contains("damaged"));
        restarted.history()->clear();
    }

    void secretIsMaskedUntilRevealed()
    {
        MainWindow window;
        window.show();
        auto *method = child<QComboBox>(&window, "authMethodCombo");
        method->setCurrentText("client_secret_post");
        auto *secret = child<QLineEdit>(&window, "clientSecretEdit");
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        QTest::mouseClick(child<QWidget>(&window, "revealSecretButton"), Qt::LeftButton);
        QCOMPARE(secret->echoMode(), QLineEdit::Normal);
        // A public client has no secret: the field is not offered at all.
        method->setCurrentText("none");
        QVERIFY(!secret->isVisibleTo(&window));
        method->setCurrentText("client_secret_jwt");
        QVERIFY(secret->isVisibleTo(&window));

        // Every other masked field (password, tokens, assertion, key passphrase) can be shown
        // and copied from the field itself.
        QStringList masked;
        for (QLineEdit *edit : window.clientForm()->findChildren<QLineEdit *>()) {
            if (edit->echoMode() != QLineEdit::Password)
                continue;
            masked << edit->objectName();
            auto *copy = edit->findChild<QAction *>("copyAction");
            QVERIFY2(copy, qPrintable(edit->objectName()));
            edit->setText("value-of-" + edit->objectName());
            copy->trigger();
            QCOMPARE(QGuiApplication::clipboard()->text(), "value-of-" + edit->objectName());
            if (edit == secret)
                continue; // it has its Show button
            auto *reveal = edit->findChild<QAction *>("revealAction");
            QVERIFY2(reveal, qPrintable(edit->objectName()));
            reveal->trigger();
            QCOMPARE(edit->echoMode(), QLineEdit::Normal);
            reveal->trigger();
            QCOMPARE(edit->echoMode(), QLineEdit::Password);
        }
        for (const char *name : {"passwordEdit", "refreshTokenEdit", "subjectTokenEdit",
                                 "actorTokenEdit", "assertionEdit", "keyPassphraseEdit"})
            QVERIFY2(masked.contains(name), name);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
