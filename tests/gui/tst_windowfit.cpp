// The window in a person's hands, in a real X server (Xvfb, started by ctest at 1280x720,
// 1366x768, 1920x1080, and 2560x1440 at scale factor 2): after the sandbox code flow, a refresh
// and a device flow every control lies on the screen and nothing is cut off; every folding
// section of the form opens and shows its fields; the code flow runs from the keyboard alone.
// Offscreen rendering hides all of this, so the test refuses to run anywhere but on X.
#include "core/jose/Jwe.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/tokens/TokenActions.h"
#include "ui/MainWindow.h"
#include "ui/WindowPlacement.h"
#include "ui/console/ApiConsole.h"
#include "ui/flows/DeviceCodePanel.h"
#include "ui/forms/ClientForm.h"
#include "ui/history/CompareDialog.h"
#include "ui/history/HistoryDialog.h"
#include "ui/probe/ProbeDialog.h"
#include "ui/registration/RegistrationDialog.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"

#include "SandboxBrowser.h"
#include "ScreenFit.h"
#include "TestHttp.h"
#include "WidgetTest.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace workbench;
using widgettest::child;

// The history is written by a worker thread; under the sanitizers, with the other screen sizes
// running beside, a save has taken more than five seconds.
constexpr int kHistoryWriterWait = 30000;

class TestWindowFit : public QObject
{
    Q_OBJECT

    // The browser, played by the sandbox browser once the window asks to open the URL.
    static void signInWhenOpened(MainWindow &window)
    {
        window.setUrlOpener([](const QUrl &url) {
            QTimer::singleShot(0, [url] { sandboxbrowser::signIn(url); });
            return true;
        });
    }

    static void saveShot(QWidget &window, const QString &name)
    {
        const QString shots = qEnvironmentVariable("WORKBENCH_SCREENSHOT_DIR");
        if (shots.isEmpty())
            return;
        QDir().mkpath(shots);
        const QSize screen = window.screen()->size();
        window.grab().save(QStringLiteral("%1/%2-%3x%4.png")
                               .arg(shots, name)
                               .arg(screen.width())
                               .arg(screen.height()));
    }

    // Shown as the application shows it, on the sandbox's public client.
    static void open(MainWindow &window)
    {
        QVERIFY(window.useSandbox(false));
        showOnScreen(&window);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
    }

    // The sandbox's code flow, through the window, to its tokens.
    static void runCodeFlow(MainWindow &window)
    {
        signInWhenOpened(window);
        open(window);
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.tokenActions()->tokens().accessToken.size() > 0, 15000);
        QTRY_VERIFY(start->isEnabled());
    }

// Once the layout has settled (it is redone in posted events), nothing is off the screen or cut.
#define VERIFY_FITS(window, step)                                                                  \
    do {                                                                                           \
        QStringList found;                                                                         \
        QTRY_VERIFY2_WITH_TIMEOUT((found = screenfit::problems(&(window))).isEmpty(),              \
                                  qPrintable(QStringLiteral(step ": ") + found.join("; ")), 2000); \
    } while (false)

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QGuiApplication::platformName() == QLatin1String("xcb"),
                 "run in a real X server (ctest starts Xvfb); offscreen rendering hides clipping");
    }

    void startWindowFitsTheScreen()
    {
        MainWindow window;
        open(window);
        VERIFY_FITS(window, "on start");
        // The window is not wider or taller than the screen lets it be, and not needlessly small.
        const QRect available = window.screen()->availableGeometry();
        QVERIFY(window.width() >= qMin(1000, available.width() - 64));
    }

    // Each folding section opens, shows each of its fields at a usable size, and Tab reaches
    // the button that opens it.
    void everySectionOpensAndShowsItsFields()
    {
        MainWindow window;
        open(window);
        auto *scroll = window.findChild<QScrollArea *>();
        QVERIFY(scroll);
        const std::pair<const char *, const char *> sections[] = {
            {"requestOptionsButton", "requestOptions"},
            {"moreEndpointsButton", "moreEndpoints"},
            {"tlsButton", "tlsOptions"}};
        for (const auto &[buttonName, name] : sections) {
            const QString section = QString::fromLatin1(name);
            auto *button = child<QToolButton>(&window, buttonName);
            auto *content = child<QWidget>(&window, name);
            QVERIFY(button->focusPolicy() & Qt::TabFocus);
            scroll->ensureWidgetVisible(button);
            QVERIFY(!content->isVisible());
            QTest::mouseClick(button, Qt::LeftButton);
            QTRY_VERIFY2(content->isVisible(), name);
            QApplication::processEvents();
            int fields = 0;
            for (QWidget *field : content->findChildren<QWidget *>()) {
                if (!field->isVisibleTo(content) || screenfit::isInternal(field) ||
                    !screenfit::isControl(field) || qobject_cast<QLabel *>(field))
                    continue;
                ++fields;
                // Scrolled so the whole field shows, as a person would with the scroll bar.
                const QPoint centre = field->mapTo(scroll->widget(), field->rect().center());
                scroll->ensureVisible(centre.x(), centre.y(), field->width() / 2 + 1,
                                      field->height() / 2 + 1);
                QApplication::processEvents();
                QVERIFY2(field->isVisible() && field->width() >= 40 && field->height() >= 16,
                         qPrintable(section + ": " + screenfit::describe(field) + " is " +
                                    screenfit::rectText(field->geometry())));
                const QRect inView(field->mapTo(scroll->viewport(), QPoint(0, 0)), field->size());
                QVERIFY2(scroll->viewport()->rect().contains(inView),
                         qPrintable(section + ": " + screenfit::describe(field) + " at " +
                                    screenfit::rectText(inView) + " cannot be scrolled into view " +
                                    screenfit::rectText(scroll->viewport()->rect())));
            }
            QVERIFY2(fields >= 3, qPrintable(section + " shows " + QString::number(fields)));
            // The providers are listed when the Connection section first opens (not at start).
            if (section == QLatin1String("tlsOptions"))
                QVERIFY(child<QComboBox>(&window, "providerCombo")->count() > 20);
            VERIFY_FITS(window, "with the sections open");
        }
        saveShot(window, "sections-open");
    }

    void codeFlowRefreshAndDeviceFlowStayOnTheScreen()
    {
        MainWindow window;
        runCodeFlow(window);
        if (QTest::currentTestFailed())
            return;
        auto *start = child<QPushButton>(&window, "authorizeButton");
        VERIFY_FITS(window, "after the code flow");
        saveShot(window, "code-flow");
        // The details (tokens, diagnosis) get at least twice the room of the list of steps.
        const int steps = child<QWidget>(&window, "stepsView")->height();
        const int details = child<QWidget>(&window, "detailTabs")->height();
        QVERIFY2(2 * steps <= details,
                 qPrintable(QStringLiteral("steps %1 px, details %2 px").arg(steps).arg(details)));

        auto *refresh = child<QPushButton>(&window, "refreshButton");
        QVERIFY(refresh->isVisible() && refresh->isEnabled());
        const QString before = window.tokenActions()->tokens().accessToken;
        QTest::mouseClick(refresh, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.tokenActions()->tokens().accessToken != before, 10000);
        VERIFY_FITS(window, "after a refresh");

        auto *grant = child<QComboBox>(&window, "grantCombo");
        grant->setCurrentIndex(grant->findData("urn:ietf:params:oauth:grant-type:device_code"));
        VERIFY_FITS(window, "device grant chosen");
        QTest::mouseClick(start, Qt::LeftButton);
        DeviceCodePanel *panel = window.devicePanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible() && !panel->userCode().isEmpty(), 10000);
        VERIFY_FITS(window, "device code shown");
        saveShot(window, "device-flow");
        QNetworkAccessManager network;
        const QUrl device = window.sandbox()->issuer() + QStringLiteral("/device");
        const sandboxbrowser::Page approved =
            sandboxbrowser::fetch(network, device,
                                  "user_code=" + panel->userCode().toLatin1() +
                                      "&login=demo&password=x&decision=approve");
        QCOMPARE(approved.status, 200);
        // The first poll comes after the sandbox's interval (5 s).
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 20000);
        QVERIFY2(window.resultsPane()->outcomeText().contains("approved"),
                 qPrintable(window.resultsPane()->outcomeText()));
        VERIFY_FITS(window, "after the device flow");
    }

    // CIBA on the sandbox's confidential client: the form's CIBA fields, the wait panel with
    // whom the server asks and the binding message, then approval on the sandbox's device page;
    // every control fits throughout.
    void cibaFlowOnTheSandbox()
    {
        MainWindow window;
        QVERIFY(window.useSandbox(true));
        showOnScreen(&window);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *grant = child<QComboBox>(&window, "grantCombo");
        grant->setCurrentIndex(grant->findData("urn:openid:params:grant-type:ciba"));
        auto *hint = child<QLineEdit>(&window, "cibaLoginHintEdit");
        QVERIFY(hint->isVisible());
        QVERIFY(!child<QLineEdit>(&window, "backchannelEndpointEdit")->text().isEmpty());
        QTest::keyClicks(hint, "alice");
        QTest::keyClicks(child<QLineEdit>(&window, "bindingMessageEdit"), "K7-PLUM");
        VERIFY_FITS(window, "CIBA chosen");
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QCOMPARE(start->text(), QStringLiteral("&Ask on the device"));
        QTest::mouseClick(start, Qt::LeftButton);
        DeviceCodePanel *panel = window.devicePanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible() && panel->userCode() == "K7-PLUM", 10000);
        QVERIFY2(panel->instruction().contains("<b>alice</b>"), qPrintable(panel->instruction()));
        QCOMPARE(panel->verificationLink(), window.sandbox()->endpoint("/ciba"));
        VERIFY_FITS(window, "waiting for the device");
        saveShot(window, "ciba-wait");
        // The person approves on the sandbox's authentication device page.
        QNetworkAccessManager network;
        const sandboxbrowser::Page device =
            sandboxbrowser::fetch(network, panel->verificationLink());
        const QRegularExpressionMatch request =
            QRegularExpression("name=\"request\" value=\"([^\"]+)\"")
                .match(QString::fromUtf8(device.body));
        QVERIFY(request.hasMatch());
        QCOMPARE(
            sandboxbrowser::fetch(network, panel->verificationLink(),
                                  "request=" + request.captured(1).toLatin1() + "&decision=approve")
                .status,
            200);
        // The first poll comes after the sandbox's interval (5 s).
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 20000);
        QVERIFY2(window.resultsPane()->outcomeText().contains("approved on their device"),
                 qPrintable(window.resultsPane()->outcomeText()));
        VERIFY_FITS(window, "after the CIBA flow");
        saveShot(window, "ciba");
    }

    // A rich authorization request on the sandbox: the template fills the editor, the code flow
    // carries the details, and the Tokens tab sets what was granted against what was asked.
    void richAuthorizationRequestOnTheSandbox()
    {
        MainWindow window;
        open(window);
        auto *editor = child<QPlainTextEdit>(&window, "authorizationDetailsEdit");
        QVERIFY(editor->isVisible());
        auto *templates = child<QToolButton>(&window, "rarTemplateButton");
        QVERIFY(templates->isVisible() && templates->menu());
        const QList<QAction *> examples = templates->menu()->actions();
        QCOMPARE(examples.size(), 3);
        QCOMPARE(examples.at(1)->text(), QStringLiteral("Account information"));
        examples.at(1)->trigger();
        QVERIFY(editor->toPlainText().contains("account_information"));
        VERIFY_FITS(window, "authorization details filled in");
        signInWhenOpened(window);
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.tokenActions()->tokens().accessToken.size() > 0, 15000);
        QTRY_VERIFY(start->isEnabled());
        child<QTabWidget>(&window, "detailTabs")
            ->setCurrentWidget(child<QWidget>(&window, "tokensTab"));
        QTRY_VERIFY2(
            window.resultsPane()->tokensText().contains("Authorization details: granted as asked."),
            qPrintable(window.resultsPane()->tokensText().left(300)));
        VERIFY_FITS(window, "after the flow with authorization details");
        saveShot(window, "rar");
    }

    // A JWT-secured response (JARM) from the sandbox: picked in the request options, checked
    // before the code is used; the callback step's Tokens tab shows the response decoded with
    // its checks, and the outcome lists them.
    void signedAuthorizationResponseOnTheSandbox()
    {
        MainWindow window;
        open(window);
        auto *options = child<QToolButton>(&window, "requestOptionsButton");
        if (!options->isChecked())
            QTest::mouseClick(options, Qt::LeftButton);
        auto *mode = child<QComboBox>(&window, "responseModeCombo");
        QTRY_VERIFY(mode->isVisible());
        const int jwt = mode->findText("jwt");
        QVERIFY(jwt > 0);
        mode->setCurrentIndex(jwt);
        VERIFY_FITS(window, "response mode jwt chosen");
        signInWhenOpened(window);
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.tokenActions()->tokens().accessToken.size() > 0, 15000);
        QTRY_VERIFY(start->isEnabled());
        QVERIFY2(window.resultsPane()->outcomeText().contains(
                     "signed authorization response (JARM) passed its checks"),
                 qPrintable(window.resultsPane()->outcomeText()));
        auto *model = window.resultsPane()->model();
        int callback = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->at(row).kind == HttpExchange::Kind::LoopbackCallback)
                callback = row;
        }
        QVERIFY(callback >= 0);
        window.resultsPane()->selectStep(callback);
        child<QTabWidget>(&window, "detailTabs")
            ->setCurrentWidget(child<QWidget>(&window, "tokensTab"));
        QTRY_VERIFY2(window.resultsPane()->tokensText().contains("Signed response valid"),
                     qPrintable(window.resultsPane()->tokensText().left(400)));
        VERIFY_FITS(window, "after the flow with a signed response");
        saveShot(window, "jarm");
    }

    // The client's decryption key (JWE) among the request options: loaded, described with the
    // algorithms it opens, its kid beside it; everything still fits.
    void decryptionKeyInTheRequestOptions()
    {
        MainWindow window;
        open(window);
        auto *options = child<QToolButton>(&window, "requestOptionsButton");
        if (!options->isChecked())
            QTest::mouseClick(options, Qt::LeftButton);
        auto *status = child<QLabel>(&window, "decryptionKeyStatusLabel");
        QTRY_VERIFY(status->isVisible());
        QCOMPARE(status->text(), QStringLiteral("none loaded"));
        VERIFY_FITS(window, "no decryption key");
        window.clientForm()->setDecryptionKeyPem(
            QString::fromLatin1(DecryptionKey::generate("RSA", {}).privatePem()));
        QTest::keyClicks(child<QLineEdit>(&window, "decryptionKeyIdEdit"), "client-enc-rsa");
        QCOMPARE(status->text(), QStringLiteral("✓ RSA 2048 key loaded"));
        QCOMPARE(status->toolTip(), QStringLiteral("Opens RSA-OAEP, RSA-OAEP-256."));
        QVERIFY(child<QToolButton>(&window, "clearDecryptionKeyButton")->isEnabled());
        QCOMPARE(window.clientForm()->config().decryptionKeyId, QStringLiteral("client-enc-rsa"));
        VERIFY_FITS(window, "decryption key loaded");
        window.findChild<QScrollArea *>()->ensureWidgetVisible(status, 50, 120);
        saveShot(window, "decryption-key");
    }

    // Encrypting the request object: its row shows only with the signed request object, enc
    // waits for an alg, and the choice reaches the configuration and comes back from it.
    void requestObjectEncryptionInTheRequestOptions()
    {
        MainWindow window;
        open(window);
        auto *options = child<QToolButton>(&window, "requestOptionsButton");
        if (!options->isChecked())
            QTest::mouseClick(options, Qt::LeftButton);
        auto *requestObject = child<QCheckBox>(&window, "requestObjectCheck");
        auto *alg = child<QComboBox>(&window, "requestEncryptionAlgCombo");
        auto *enc = child<QComboBox>(&window, "requestEncryptionEncCombo");
        QTRY_VERIFY(requestObject->isVisible());
        requestObject->setChecked(false);
        QVERIFY(!alg->isVisible());
        requestObject->setChecked(true);
        QTRY_VERIFY(alg->isVisible());
        QCOMPARE(alg->currentText(), QStringLiteral("(not encrypted)"));
        QVERIFY(!enc->isEnabled());
        alg->setCurrentIndex(alg->findText("RSA-OAEP-256"));
        QVERIFY(enc->isEnabled());
        enc->setCurrentIndex(enc->findText("A256GCM"));
        const ClientConfig chosen = window.clientForm()->config();
        QCOMPARE(chosen.requestObjectEncryptionAlg, QStringLiteral("RSA-OAEP-256"));
        QCOMPARE(chosen.requestObjectEncryptionEnc, QStringLiteral("A256GCM"));
        QVERIFY(chosen.encryptsRequestObject());
        QTest::qWait(50); // the row's new height reaches the scroll area
        window.findChild<QScrollArea *>()->ensureWidgetVisible(alg, 50, 120);
        VERIFY_FITS(window, "request object encrypted");
        saveShot(window, "request-object-encryption");

        ClientConfig none = chosen;
        none.requestObjectEncryptionAlg.clear();
        window.clientForm()->setConfig(none);
        QCOMPARE(alg->currentText(), QStringLiteral("(not encrypted)"));
        window.clientForm()->setConfig(chosen);
        QCOMPARE(alg->currentText(), QStringLiteral("RSA-OAEP-256"));
        QCOMPARE(enc->currentText(), QStringLiteral("A256GCM"));
    }

    // Signing out at the provider after a code flow (RP-initiated logout): the browser, played
    // by the sandbox browser, goes to the sandbox's end-session endpoint and back to the app's
    // listener; the result says so and every control still fits.
    void signingOutAtTheProvider()
    {
        MainWindow window;
        runCodeFlow(window);
        if (QTest::currentTestFailed())
            return;
        window.setUrlOpener([](const QUrl &url) {
            QTimer::singleShot(0, [url] {
                QNetworkAccessManager network;
                const sandboxbrowser::Page provider = sandboxbrowser::fetch(network, url);
                if (provider.status == 302)
                    sandboxbrowser::fetch(network, QUrl(QString::fromUtf8(provider.location)));
            });
            return true;
        });
        auto *signOut = child<QPushButton>(&window, "signOutButton");
        QVERIFY(signOut->isVisible() && signOut->isEnabled());
        VERIFY_FITS(window, "sign-out offered");
        QTest::mouseClick(signOut, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.resultsPane()->outcomeText().contains("Signed out"), 10000);
        QVERIFY2(window.resultsPane()
                         ->model()
                         ->at(window.resultsPane()->model()->rowCount() - 1)
                         .label == QStringLiteral("Return after sign-out"),
                 "the return is the newest step");
        VERIFY_FITS(window, "after the sign-out");
        saveShot(window, "sign-out");
    }

    // The API console after a code flow: it fits the screen, a call with the token is recorded
    // as a step, and a token that has expired is refreshed before the call.
    void apiConsoleCallsWithTheTokenAndRefreshes()
    {
        MainWindow window;
        runCodeFlow(window);
        if (QTest::currentTestFailed())
            return;
        auto *callButton = child<QPushButton>(&window, "apiCallButton");
        QVERIFY(callButton->isVisible() && callButton->isEnabled());
        VERIFY_FITS(window, "the session bar with the API call button");
        QTest::mouseClick(callButton, Qt::LeftButton);
        ApiConsole *console = window.apiConsole();
        QVERIFY(console);
        QTRY_VERIFY(console->isVisible());
        VERIFY_FITS(*console, "the API console");

        const QUrl userinfo = window.sandbox()->issuer() + QStringLiteral("/userinfo");
        auto *url = child<QLineEdit>(console, "urlEdit");
        url->setText(userinfo.toString());
        child<QPlainTextEdit>(console, "headersEdit")->setPlainText("Accept: application/json");
        auto *status = child<QLabel>(console, "statusLabel");
        const int before = window.resultsPane()->model()->rowCount();
        QTest::mouseClick(child<QPushButton>(console, "sendButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith("OK"), 10000);
        QVERIFY2(status->text().contains("HTTP 200"), qPrintable(status->text()));
        QTRY_COMPARE(window.resultsPane()->model()->rowCount(), before + 1);
        saveShot(*console, "api-console");

        // The token has expired (as far as the app knows): refreshed first, then called.
        TokenSet expired = window.tokenActions()->tokens();
        expired.accessTokenExpiresAt = QDateTime::currentDateTimeUtc().addSecs(-30);
        window.tokenActions()->setSession(window.tokenActions()->config(), expired);
        QTest::mouseClick(child<QPushButton>(console, "sendButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith("OK"), 10000);
        QVERIFY2(status->text().contains("expired") && status->text().contains("refreshed"),
                 qPrintable(status->text()));
        QTRY_COMPARE(window.resultsPane()->model()->rowCount(), before + 3);
        QVERIFY(window.tokenActions()->tokens().accessToken != expired.accessToken);
        VERIFY_FITS(window, "after the console's calls");
        saveShot(window, "api-console-steps");
    }

    // File → Compare runs after a working code flow and one the sandbox refuses: the history
    // opens with both selected, Compare shows what differs (the scope that made the sandbox
    // refuse comes first), and the dialog fits the screen.
    void comparingAFailingRunWithAWorkingOne()
    {
        MainWindow window;
        runCodeFlow(window);
        if (QTest::currentTestFailed())
            return;
        const QString workedId = window.session()->record().id;
        auto *scope = child<QLineEdit>(&window, "scopeEdit");
        scope->setText(scope->text() + QStringLiteral(" sandbox:invalid_client"));
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.resultsPane()->outcomeText().contains("invalid_client"),
                                 15000);
        QTRY_VERIFY(start->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!window.history()->list().isEmpty() &&
                                     window.history()->list().first().result != "succeeded",
                                 kHistoryWriterWait);

        auto *compareAction = window.findChild<QAction *>("actionCompareRuns");
        QVERIFY(compareAction);
        compareAction->trigger();
        HistoryDialog *history = nullptr;
        QTRY_VERIFY((history = window.findChild<HistoryDialog *>()) && history->isVisible());
        QCOMPARE(history->selectedIds().size(), 2);
        // The other screen sizes run beside this one and share the test history: pick this
        // test's two runs by their ids.
        const QString failedId = window.session()->record().id;
        QList<int> rows;
        for (int row = 0; row < history->runCount(); ++row) {
            history->selectRow(row);
            if (history->currentId() == workedId || history->currentId() == failedId)
                rows << row;
        }
        QCOMPARE(rows.size(), 2);
        history->selectRows(rows);
        auto *compareButton = child<QPushButton>(history, "compareButton");
        QVERIFY(compareButton->isEnabled());
        QTest::mouseClick(compareButton, Qt::LeftButton);
        CompareDialog *compare = nullptr;
        QTRY_VERIFY((compare = history->findChild<CompareDialog *>()) && compare->isVisible());
        QVERIFY(QTest::qWaitForWindowExposed(compare));
        QCOMPARE(compare->comparison().failing, RunComparison::Failing::Right);
        QVERIFY(compare->differenceCount() > 0);
        QCOMPARE(compare->differenceText(0, 1), QStringLiteral("authorization request"));
        QCOMPARE(compare->differenceText(0, 2), QStringLiteral("scope"));
        QVERIFY2(compare->differenceText(0, 4).endsWith("sandbox:invalid_client"),
                 qPrintable(compare->differenceText(0, 4)));
        VERIFY_FITS(*compare, "the comparison");
        saveShot(*compare, "compare-runs");
        compare->close();
        history->close();
    }

    // File → Probe the authorization server, on the sandbox made weak on purpose: the plan is
    // confirmed first (No sends nothing); then every probe runs, the sandbox browser signing in
    // where one needs a code, each ends failed (the expired-code probe, given a short wait,
    // inconclusive) with its evidence masked, and the dialog fits the screen.
    // Client → Register: the metadata, the refusal with its diagnosis (a server that refuses a
    // redirect URI with a fragment, as oidc-provider words it), then the registered client's
    // answer; each fits the screen.
    void registeringAClient()
    {
        testhttp::CannedServer server(testhttp::jsonResponse(
            400, R"({"error":"invalid_redirect_uri","error_description":"redirect_uris must )"
                 R"(not contain fragments"})"));
        server.route("/reg",
                     testhttp::jsonResponse(
                         201, R"({"client_id":"wb-7f3a","client_secret":"s-1",)"
                              R"("client_secret_expires_at":0,)"
                              R"("registration_access_token":"rat-1",)"
                              "\"registration_client_uri\":\"http://127.0.0.1/reg/wb-7f3a\","
                              R"("token_endpoint_auth_method":"client_secret_basic",)"
                              "\"redirect_uris\":[\"http://127.0.0.1/callback\"],"
                              R"("grant_types":["authorization_code","refresh_token"]})"));
        MainWindow window;
        open(window);
        window.findChild<QAction *>("actionRegisterClient")->trigger();
        RegistrationDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<RegistrationDialog *>()) && dialog->isVisible());
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        VERIFY_FITS(*dialog, "the registration form");
        auto *endpoint = child<QLineEdit>(dialog, "endpointEdit");
        auto *metadata = child<QPlainTextEdit>(dialog, "metadataEdit");
        metadata->setPlainText(metadata->toPlainText().replace("/callback\"", "/callback#app\""));
        endpoint->setText(server.url("/register").toString());
        QVERIFY(dialog->registerClient());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 10000);
        QVERIFY2(dialog->resultText().contains("refused: invalid_redirect_uri"),
                 qPrintable(dialog->resultText()));
        QVERIFY2(dialog->resultText().contains("fragment"), qPrintable(dialog->resultText()));
        VERIFY_FITS(*dialog, "a refused registration with its diagnosis");
        saveShot(*dialog, "register-client");

        endpoint->setText(server.url("/reg").toString());
        QVERIFY(dialog->registerClient());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 10000);
        QVERIFY2(dialog->resultText().contains("The server registered client wb-7f3a"),
                 qPrintable(dialog->resultText()));
        QVERIFY(!dialog->resultText().contains("rat-1")); // secrets only as fingerprints
        QVERIFY(!dialog->resultText().contains("s-1 "));
        QCOMPARE(window.clientForm()->config().clientId, QStringLiteral("wb-7f3a"));
        QVERIFY(child<QPushButton>(dialog, "deleteButton")->isEnabled());
        VERIFY_FITS(*dialog, "the registered client");
        dialog->close();
    }

    void probingTheServer()
    {
        MainWindow window;
        signInWhenOpened(window);
        open(window);
        auto *weak = window.findChild<QAction *>("actionSandboxWeak");
        QVERIFY(weak);
        weak->trigger();
        QVERIFY(window.sandbox()->weaknesses().any());
        window.findChild<QAction *>("actionProbeServer")->trigger();
        ProbeDialog *probe = nullptr;
        QTRY_VERIFY((probe = window.findChild<ProbeDialog *>()) && probe->isVisible());
        QVERIFY(QTest::qWaitForWindowExposed(probe));
        QCOMPARE(probe->checkedIds().size(), ProbeCatalog::all().size());
        child<QSpinBox>(probe, "codeWaitSpin")->setValue(1);

        QString asked;
        QTimer::singleShot(300, probe, [&asked] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                asked = box->text() + QLatin1Char(' ') + box->informativeText();
                box->button(QMessageBox::No)->click();
            }
        });
        QTest::mouseClick(child<QPushButton>(probe, "runButton"), Qt::LeftButton);
        QVERIFY2(asked.contains("Send 14 probes to 127.0.0.1?") &&
                     asked.contains("at most", Qt::CaseInsensitive),
                 qPrintable(asked));
        QVERIFY(!probe->isRunning());
        QVERIFY(probe->resultText("code_reuse").isEmpty());

        QVERIFY(probe->runProbes(true));
        QTRY_VERIFY_WITH_TIMEOUT(!probe->isRunning(), 90000);
        for (const ProbeDefinition &definition : ProbeCatalog::all()) {
            const QString expected = definition.id == QLatin1String("code_expired")
                                         ? QStringLiteral("inconclusive")
                                         : QStringLiteral("failed");
            QVERIFY2(probe->resultText(definition.id) == expected,
                     qPrintable(definition.id + ": " + probe->resultText(definition.id)));
        }
        probe->selectProbe("code_reuse");
        QVERIFY(probe->detailText().contains("Issued tokens a second time for the same code"));
        QVERIFY(probe->detailText().contains("code=REDACTED:"));
        VERIFY_FITS(*probe, "the probe report");
        saveShot(*probe, "probe-server");
        probe->close();
    }

    // File → Diagnose a browser capture with Firefox's export of a failing login: each OAuth
    // exchange is a step, the flow's problems are the outcome, and it all fits; kept in the
    // history, the capture is a run like the others.
    void diagnosingABrowserCapture()
    {
        MainWindow window;
        open(window);
        const int before = int(window.history()->list().size());
        QString problem;
        QVERIFY(!window.importCapture(QStringLiteral("/nonexistent.har"), &problem));
        QVERIFY2(problem.contains("cannot be read"), qPrintable(problem));
        QVERIFY2(window.importCapture(QStringLiteral(WORKBENCH_TEST_DATA
                                                     "/capture/firefox-form-post-cookie-lost.har"),
                                      &problem),
                 qPrintable(problem));
        QCOMPARE(window.resultsPane()->model()->rowCount(), 4);
        const QString outcome = window.resultsPane()->outcomeText();
        QVERIFY2(outcome.contains("The capture shows: The callback came without the client's "
                                  "cookie"),
                 qPrintable(outcome));
        QVERIFY2(!outcome.contains("A1b2C3d4E5-code"), qPrintable(outcome));
        // The outcome's lines laid out (posted layout requests), then checked and shown.
        auto *outcomeLabel = child<QLabel>(&window, "outcomeLabel");
        QTRY_VERIFY(outcomeLabel->height() >= outcomeLabel->heightForWidth(outcomeLabel->width()));
        VERIFY_FITS(window, "a browser capture diagnosed");
        // The callback, where the cookie went missing, shows that as its diagnosis.
        QCOMPARE(window.resultsPane()->model()->diagnosisAt(2)->entryId,
                 QStringLiteral("capture.cookie_dropped"));
        window.resultsPane()->selectStep(2);
        QTRY_VERIFY(window.resultsPane()->diagnosisText().contains("SameSite=Lax"));
        saveShot(window, "capture-diagnosis");
        QVERIFY(window.keepCapture(&problem));
        QTRY_VERIFY_WITH_TIMEOUT(!window.history()->list().isEmpty() &&
                                     window.history()->list().first().grant ==
                                         QStringLiteral("capture"),
                                 kHistoryWriterWait);
        QVERIFY(window.history()->list().size() >= qMin(before + 1, RunHistory::kKeptRuns));
        QCOMPARE(window.history()->list().first().profile,
                 QStringLiteral("Capture of 2026-11-30T10:00:01Z"));
        QVERIFY(!window.keepCapture(&problem)); // kept once
    }

    // Tab from where the window starts reaches Authorize; Space presses it; the browser comes
    // back and the run ends with tokens, no mouse used.
    void keyboardAloneRunsTheCodeFlow()
    {
        MainWindow window;
        signInWhenOpened(window);
        open(window);
        window.activateWindow();
        QTRY_VERIFY(QApplication::focusWidget());
        auto *start = child<QPushButton>(&window, "authorizeButton");
        for (int presses = 0; presses < 80 && QApplication::focusWidget() != start; ++presses)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), start);
        QTest::keyClick(start, Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(window.tokenActions()->tokens().accessToken.size() > 0, 15000);
        QVERIFY2(window.resultsPane()->outcomeText().contains("exchanged"),
                 qPrintable(window.resultsPane()->outcomeText()));
        // The shortcut starts the next run.
        QTRY_VERIFY(start->isEnabled());
        const QString first = window.tokenActions()->tokens().accessToken;
        QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(window.tokenActions()->tokens().accessToken != first, 15000);
    }
};

QTEST_MAIN(TestWindowFit)
#include "tst_windowfit.moc"
