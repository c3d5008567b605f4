// End to end through the real main window: a person's path. The form is typed into, Authorize is
// clicked, headless Chromium logs in at the real oidc-provider, the app captures the redirect,
// redeems the code and shows the exchange. With WORKBENCH_SCREENSHOT_DIR set it also saves the
// window as the README's screenshot.
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/storage/ProfileStore.h"
#include "core/tokens/TokenActions.h"
#include "ui/MainWindow.h"
#include "ui/WindowPlacement.h"
#include "ui/console/ApiConsole.h"
#include "ui/flows/DeviceCodePanel.h"
#include "ui/forms/ClientForm.h"
#include "ui/history/HistoryDialog.h"
#include "ui/probe/ProbeDialog.h"
#include "ui/profiles/ProfileBar.h"
#include "ui/registration/RegistrationDialog.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/JsonTreeModel.h"
#include "ui/results/ResultsPane.h"
#include "ui/sandbox/SandboxTriggersDialog.h"
#include "ui/sandbox/SandboxTriggersModel.h"

#include "E2eEnvironment.h"
#include "WidgetTest.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <memory>
#include <vector>

using namespace workbench;
using widgettest::child;
using widgettest::typeInto;

class TestE2eGui : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    // Shows the window; the URLs it opens go to headless Chromium in `browser`.
    void showWithBrowser(MainWindow &window, QProcess &browser)
    {
        window.setUrlOpener([this, &browser](const QUrl &url) {
            m_env.openInBrowser(browser, url);
            return true;
        });
        showOnScreen(&window); // as the application shows it
    }

    // Shows the window, fills the client form for one of the provider's clients as a person
    // would, presses Authorize and waits until the flow is over. The browser is headless Chromium.
    void runFlowInWindow(MainWindow &window, QProcess &browser, const QString &clientKey,
                         const QString &authMethod, const QString &secret, bool discover = false,
                         const std::function<void()> &beforeAuthorize = {})
    {
        showWithBrowser(window, browser);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        if (discover) {
            // The person types only the issuer and lets discovery fill in the endpoints.
            typeInto(&window, "issuerEdit", m_env.issuer());
            QVERIFY(child<QPushButton>(&window, "discoverButton")->isEnabled());
            QTest::mouseClick(child<QPushButton>(&window, "discoverButton"), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(&window, "tokenEndpointEdit")->text(),
                                      m_env.discovery().value("token_endpoint").toString(), 10000);
            QCOMPARE(child<QLineEdit>(&window, "authorizationEndpointEdit")->text(),
                     m_env.discovery().value("authorization_endpoint").toString());
            QVERIFY(window.resultsPane()->outcomeText().contains("Discovered"));
        } else {
            typeInto(&window, "authorizationEndpointEdit",
                     m_env.discovery().value("authorization_endpoint").toString());
            typeInto(&window, "tokenEndpointEdit",
                     m_env.discovery().value("token_endpoint").toString());
        }
        typeInto(&window, "clientIdEdit", m_env.client(clientKey).value("client_id").toString());
        child<QComboBox>(&window, "authMethodCombo")->setCurrentText(authMethod);
        if (authMethod != "none")
            typeInto(&window, "clientSecretEdit", secret);
        typeInto(&window, "scopeEdit", "openid email");
        if (beforeAuthorize)
            beforeAuthorize();
        auto *authorize = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(authorize, Qt::LeftButton);
        QVERIFY(!authorize->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(authorize->isEnabled(), 60000);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    void cleanupTestCase() { m_env.stop(); }

    // The provider refuses an unregistered redirect URI with a page of its own and never
    // redirects: the window counts the wait, ends it as timed out (not cancelled) with the
    // redirect-URI guidance, and takes the page's text pasted by the person into the run.
    void unregisteredRedirectTimesOutWithItsGuidance()
    {
        MainWindow window;
        QProcess browser;
        showWithBrowser(window, browser);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        typeInto(&window, "authorizationEndpointEdit",
                 m_env.discovery().value("authorization_endpoint").toString());
        typeInto(&window, "tokenEndpointEdit",
                 m_env.discovery().value("token_endpoint").toString());
        typeInto(&window, "clientIdEdit", m_env.client("public").value("client_id").toString());
        child<QComboBox>(&window, "authMethodCombo")->setCurrentText("none");
        typeInto(&window, "redirectUriEdit", "http://127.0.0.1/not-registered");
        child<QSpinBox>(&window, "redirectWaitSpin")->setValue(8);
        auto *authorize = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(authorize, Qt::LeftButton);
        ResultsPane *results = window.resultsPane();
        QTRY_VERIFY_WITH_TIMEOUT(results->outcomeText().contains(" s of 8 s"), 5000);
        const QJsonObject page = e2e::Environment::browserResult(browser);
        QVERIFY2(page.value("text").toString().contains("redirect_uri"),
                 qPrintable(QJsonDocument(page).toJson()));
        QTRY_VERIFY_WITH_TIMEOUT(authorize->isEnabled(), 20000);
        QVERIFY2(results->outcomeText().contains("Timed out after 8 s"),
                 qPrintable(results->outcomeText()));
        QVERIFY(!results->outcomeText().contains("cancelled"));
        const QString diagnosis = results->diagnosisText();
        QVERIFY2(diagnosis.contains("No redirect came back"), qPrintable(diagnosis));
        QVERIFY(diagnosis.contains("not registered for the client exactly as sent"));
        QVERIFY(diagnosis.contains("/not-registered"));

        // The person pastes what the browser shows; it is diagnosed in the same run.
        auto *paste = child<QPushButton>(&window, "pasteBrowserButton");
        QVERIFY(paste->isEnabled());
        const int steps = results->model()->rowCount();
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->setTextValue(page.value("text").toString());
            dialog->accept();
        });
        QTest::mouseClick(paste, Qt::LeftButton);
        QTRY_COMPARE(results->model()->rowCount(), steps + 1);
        const auto pasted = results->model()->diagnosisAt(steps);
        QVERIFY(pasted.has_value());
        QCOMPARE(pasted->causes.first().id, QStringLiteral("redirect_unregistered"));
        QCOMPARE(pasted->causes.first().status, Diagnosis::Cause::Status::Confirmed);
    }

    // A browser that cannot be opened is said at once, not at the end of the wait.
    void noBrowserIsSaidAtOnce()
    {
        MainWindow window;
        window.setUrlOpener([](const QUrl &) { return false; });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        typeInto(&window, "authorizationEndpointEdit",
                 m_env.discovery().value("authorization_endpoint").toString());
        typeInto(&window, "tokenEndpointEdit",
                 m_env.discovery().value("token_endpoint").toString());
        typeInto(&window, "clientIdEdit", m_env.client("public").value("client_id").toString());
        child<QComboBox>(&window, "authMethodCombo")->setCurrentText("none");
        QTest::mouseClick(child<QPushButton>(&window, "authorizeButton"), Qt::LeftButton);
        QVERIFY2(window.resultsPane()->outcomeText().contains("No browser could be opened"),
                 qPrintable(window.resultsPane()->outcomeText()));
        QVERIFY(child<QPushButton>(&window, "copyUrlButton")->isEnabled());
        QTest::mouseClick(child<QPushButton>(&window, "cancelButton"), Qt::LeftButton);
    }

    void wrongSecretIsExplained()
    {
        MainWindow window;
        QProcess browser;
        runFlowInWindow(window, browser, "confidentialBasic", "client_secret_basic",
                        "not:the secret");
        if (QTest::currentTestFailed())
            return;
        e2e::Environment::browserResult(browser);

        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("Likely cause:"),
                 qPrintable(results->outcomeText()));
        QCOMPARE(results->currentTab(), 0); // the Diagnosis tab
        const QString diagnosis = results->diagnosisText();
        QVERIFY(diagnosis.contains("The server did not accept the client's credentials"));
        QVERIFY(diagnosis.contains("workbench-confidential-basic"));
        QVERIFY(diagnosis.contains("How to fix it"));
        QVERIFY(results->responseText().startsWith("HTTP/1.1 401"));

        const QString shots = qEnvironmentVariable("WORKBENCH_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QDir().mkpath(shots);
            QVERIFY(window.grab().save(shots + "/diagnosis.png"));
        }
    }

    void personRunsTheCodeFlow_data()
    {
        QTest::addColumn<QString>("clientKey");
        QTest::addColumn<QString>("authMethod");
        QTest::addColumn<bool>("discover");
        QTest::newRow("public client with PKCE, endpoints discovered") << "public"
                                                                       << "none" << true;
        QTest::newRow("confidential client, client_secret_basic") << "confidentialBasic"
                                                                  << "client_secret_basic" << false;
    }
    void personRunsTheCodeFlow()
    {
        QFETCH(QString, clientKey);
        QFETCH(QString, authMethod);
        QFETCH(bool, discover);
        MainWindow window;
        QProcess browser;
        runFlowInWindow(window, browser, clientKey, authMethod,
                        m_env.client(clientKey).value("client_secret").toString(), discover);
        if (QTest::currentTestFailed())
            return;

        const QJsonObject seen = e2e::Environment::browserResult(browser);
        QCOMPARE(seen.value("outcome").toString(), QStringLiteral("ok"));

        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("exchanged for tokens"),
                 qPrintable(results->outcomeText()));
        // Discovery gave the JWKS URI, so the ID token was validated and the keys fetched.
        QCOMPARE(results->model()->rowCount(), discover ? 4 : 3);
        QVERIFY(results->requestText().startsWith("POST /token HTTP/1.1"));
        QVERIFY(results->responseText().startsWith("HTTP/1.1 200"));
        QVERIFY(results->formattedText().contains("\"id_token\""));
        QVERIFY(results->formattedText().contains("\"token_type\": \"Bearer\""));
        // The Tokens tab opens first: the ID token decoded and explained, the access token (opaque
        // at this provider) said to be opaque.
        QCOMPARE(results->currentTab(), 1);
        const QString tokens = results->tokensText();
        QVERIFY(tokens.contains("id_token"));
        QVERIFY(tokens.contains("Issuer: who made the token"));
        QVERIFY(tokens.contains(m_env.issuer()));
        QVERIFY(tokens.contains("Echo of the nonce"));
        QVERIFY(tokens.contains("The access token expires at"));
        QVERIFY(tokens.contains("Opaque token"));
        QVERIFY(tokens.contains("Scopes: granted as requested"));
        if (discover) {
            QVERIFY2(tokens.contains("ID token valid"), qPrintable(tokens));
            QVERIFY(tokens.contains("✓ passed"));
            QVERIFY(!tokens.contains("✗ failed"));
        } else {
            // No JWKS URI: the signature is not verified, and the tab says so.
            QVERIFY(tokens.contains("not verified: no JWKS URI"));
        }
        // Header and claims of the ID token also appear as a tree.
        QStringList roots;
        for (int row = 0; row < results->claimsModel()->rowCount(); ++row)
            roots << results->claimsModel()->index(row, 0).data().toString();
        QVERIFY2(roots.contains("id_token header") && roots.contains("id_token claims"),
                 qPrintable(roots.join(", ")));
        // The session bar counts down the access token's life.
        QVERIFY2(results->countdownText().contains("Access token expires in"),
                 qPrintable(results->countdownText()));
        QVERIFY(child<QWidget>(&window, "sessionBar")->isVisible());

        const QString shots = qEnvironmentVariable("WORKBENCH_SCREENSHOT_DIR");
        if (!shots.isEmpty() && authMethod == "none") {
            QDir().mkpath(shots);
            child<QTabWidget>(&window, "detailTabs")->setCurrentIndex(1);
            QTest::qWait(100);
            QVERIFY(window.grab().save(shots + "/code-flow-result.png"));
        }
    }

    // After the flow, the person uses the session bar: UserInfo, Refresh (rotation shown),
    // Introspect and Revoke, each appearing as a step with its result in the header.
    void personUsesTheTokens()
    {
        MainWindow window;
        QProcess browser;
        runFlowInWindow(window, browser, "confidentialBasic", "client_secret_basic",
                        m_env.client("confidentialBasic").value("client_secret").toString(), true);
        if (QTest::currentTestFailed())
            return;
        e2e::Environment::browserResult(browser);
        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("exchanged for tokens"),
                 qPrintable(results->outcomeText()));
        const int stepsAfterFlow = results->model()->rowCount();

        const auto click = [&](const char *button, const QString &expected) {
            auto *widget = child<QPushButton>(&window, button);
            QVERIFY2(widget->isEnabled(), qPrintable(widget->toolTip()));
            QTest::mouseClick(widget, Qt::LeftButton);
            QTRY_VERIFY2_WITH_TIMEOUT(results->outcomeText().contains(expected),
                                      qPrintable(results->outcomeText()), 20000);
        };
        click("userInfoButton", "UserInfo returned");
        QVERIFY(results->outcomeText().contains("alice@example.test"));
        QVERIFY(results->requestText().startsWith("GET /me HTTP/1.1"));
        QVERIFY(results->requestText().contains("Authorization: Bearer "));

        click("refreshButton", "Refresh token rotated");
        // The refresh response's tokens are on the Tokens tab, with the new ID token validated.
        QTRY_VERIFY(results->tokensText().contains("ID token valid"));

        child<QComboBox>(&window, "targetCombo")->setCurrentIndex(1); // refresh token
        click("introspectButton", "refresh_token is active");
        child<QComboBox>(&window, "targetCombo")->setCurrentIndex(0);
        click("revokeButton", "accepted the revocation");
        click("introspectButton", "access_token is not active");

        // UserInfo, refresh (+ its JWKS lookup, cached), two introspections and a revocation.
        QVERIFY(results->model()->rowCount() >= stepsAfterFlow + 5);
    }

    // Signing out through the window: discovery filled in the end-session endpoint; Sign out
    // sends Chromium to the provider and back to the app's listener with the state, and the
    // result says so, the two steps joining the run.
    void personSignsOutAtTheProvider()
    {
        MainWindow window;
        QProcess browser;
        runFlowInWindow(window, browser, "public", "none", QString(), true);
        if (QTest::currentTestFailed())
            return;
        e2e::Environment::browserResult(browser);
        QCOMPARE(child<QLineEdit>(&window, "endSessionEndpointEdit")->text(),
                 m_env.discovery().value("end_session_endpoint").toString());
        ResultsPane *results = window.resultsPane();
        const int stepsAfterFlow = results->model()->rowCount();
        QProcess signOutBrowser;
        window.setUrlOpener([this, &signOutBrowser](const QUrl &url) {
            m_env.openInBrowser(signOutBrowser, url);
            return true;
        });
        auto *signOut = child<QPushButton>(&window, "signOutButton");
        QVERIFY2(signOut->isEnabled(), qPrintable(signOut->toolTip()));
        QTest::mouseClick(signOut, Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(results->outcomeText().contains("Signed out"),
                                  qPrintable(results->outcomeText()), 60000);
        const QJsonObject seen = e2e::Environment::browserResult(signOutBrowser);
        QCOMPARE(seen.value("outcome").toString(), QStringLiteral("ok"));
        QCOMPARE(results->model()->rowCount(), stepsAfterFlow + 2);
        QCOMPARE(results->model()->at(stepsAfterFlow).label,
                 QStringLiteral("End-session request (opened in the browser)"));
    }

    // DPoP through the window: the person turns it on, signs in; the tokens are bound to the
    // key the run made (kept in the form for the profile), the Request tab decodes the proof,
    // and the API console calls a resource that wants DPoP-bound tokens and its own nonce.
    void personUsesDpopAndTheApiConsole()
    {
        MainWindow window;
        QProcess browser;
        runFlowInWindow(window, browser, "public", "none", {}, true, [&] {
            QTest::mouseClick(child<QToolButton>(&window, "tlsButton"), Qt::LeftButton);
            auto *dpop = child<QCheckBox>(&window, "dpopCheck");
            QTRY_VERIFY(dpop->isVisible());
            QTest::mouseClick(dpop, Qt::LeftButton);
            QVERIFY(dpop->isChecked());
        });
        if (QTest::currentTestFailed())
            return;
        e2e::Environment::browserResult(browser);
        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("DPoP token_type: passed"),
                 qPrintable(results->outcomeText()));
        auto *form = window.findChild<ClientForm *>();
        QVERIFY(form->config().dpopKeyPem.startsWith("-----BEGIN PRIVATE KEY-----"));

        // The token request that carried the nonce, its proof decoded under the raw request.
        int tokenRow = -1;
        for (int row = 0; row < results->model()->rowCount(); ++row) {
            if (results->model()->at(row).label.startsWith("Token request") &&
                results->model()->at(row).status == 200)
                tokenRow = row;
        }
        QVERIFY(tokenRow > 0);
        results->selectStep(tokenRow);
        child<QTabWidget>(&window, "detailTabs")->setCurrentIndex(2); // Request
        QTRY_VERIFY(results->requestText().contains("DPoP proof, decoded"));
        QVERIFY(results->requestText().contains("\"typ\": \"dpop+jwt\""));
        QVERIFY(results->requestText().contains("\"nonce\""));
        const QString shots = qEnvironmentVariable("WORKBENCH_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QDir().mkpath(shots);
            QVERIFY(window.grab().save(shots + "/dpop-request.png"));
        }

        QTest::mouseClick(child<QPushButton>(&window, "apiCallButton"), Qt::LeftButton);
        ApiConsole *console = window.apiConsole();
        QTRY_VERIFY(console && console->isVisible());
        typeInto(console, "urlEdit", m_env.dpopResource().toString());
        const int before = results->model()->rowCount();
        QTest::mouseClick(child<QPushButton>(console, "sendButton"), Qt::LeftButton);
        auto *status = child<QLabel>(console, "statusLabel");
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().startsWith("OK"), qPrintable(status->text()),
                                  20000);
        // The resource's nonce: refused once, then answered; both are steps.
        QCOMPARE(results->model()->rowCount(), before + 2);
        QCOMPARE(results->model()->at(before).status, 401);
        QVERIFY(results->outcomeText().contains("HTTP 200"));
        if (!shots.isEmpty())
            QVERIFY(console->grab().save(shots + "/api-console.png"));
    }

    // The device flow through the window: the person picks the grant, discovers the issuer,
    // presses Start; the panel shows the code, link and QR code; Chromium opens the link (as the
    // "Open in browser" button would) and approves while the app polls.
    void personRunsTheDeviceFlow()
    {
        MainWindow window;
        QProcess browser;
        showWithBrowser(window, browser);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *grant = child<QComboBox>(&window, "grantCombo");
        grant->setCurrentIndex(grant->findData("urn:ietf:params:oauth:grant-type:device_code"));
        // Only what the grant needs is on offer.
        QVERIFY(!child<QLineEdit>(&window, "redirectUriEdit")->isVisibleTo(&window));
        QVERIFY(!child<QLineEdit>(&window, "authorizationEndpointEdit")->isVisibleTo(&window));
        typeInto(&window, "issuerEdit", m_env.issuer());
        QTest::mouseClick(child<QPushButton>(&window, "discoverButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            child<QLineEdit>(&window, "deviceEndpointEdit")->text(),
            m_env.discovery().value("device_authorization_endpoint").toString(), 10000);
        typeInto(&window, "clientIdEdit", m_env.client("device").value("client_id").toString());
        child<QComboBox>(&window, "authMethodCombo")->setCurrentText("none");
        typeInto(&window, "scopeEdit", "openid email");
        auto *start = child<QPushButton>(&window, "authorizeButton");
        QCOMPARE(start->text().remove('&'), QStringLiteral("Start device flow"));
        QTest::mouseClick(start, Qt::LeftButton);

        DeviceCodePanel *panel = window.devicePanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible() && !panel->userCode().isEmpty(), 10000);
        QVERIFY(panel->verificationLink().toString().startsWith(m_env.issuer()));
        QVERIFY(!panel->qrImage().isNull());
        // The person waits a moment, so the app polls and hears authorization_pending first.
        QTRY_VERIFY_WITH_TIMEOUT(panel->status().contains("authorization_pending"), 15000);
        const QString shots = qEnvironmentVariable("WORKBENCH_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QDir().mkpath(shots);
            QVERIFY(window.grab().save(shots + "/device-flow.png"));
        }
        QTest::mouseClick(child<QPushButton>(panel, "openButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 60000);
        const QJsonObject seen = e2e::Environment::browserResult(browser);
        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("approved"),
                 qPrintable(results->outcomeText() + QJsonDocument(seen).toJson()));
        QVERIFY(window.tokenActions()->tokens().accessToken.size() > 0);
        // Device request, the pending poll(s), the successful one.
        QVERIFY(results->model()->rowCount() >= 3);
    }

    // private_key_jwt from the form: the key loaded from a PEM file, the code flow through
    // Chromium, the provider checking the assertion.
    void personUsesPrivateKeyJwt()
    {
        MainWindow window;
        QProcess browser;
        showWithBrowser(window, browser);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        typeInto(&window, "authorizationEndpointEdit",
                 m_env.discovery().value("authorization_endpoint").toString());
        typeInto(&window, "tokenEndpointEdit",
                 m_env.discovery().value("token_endpoint").toString());
        const QJsonObject client = m_env.client("privateKeyJwtEc");
        typeInto(&window, "clientIdEdit", client.value("client_id").toString());
        child<QComboBox>(&window, "authMethodCombo")->setCurrentText("private_key_jwt");
        QVERIFY(!child<QLineEdit>(&window, "clientSecretEdit")->isVisibleTo(&window));
        QTemporaryDir dir;
        QFile pem(dir.filePath("client.pem"));
        QVERIFY(pem.open(QIODevice::WriteOnly));
        pem.write(client.value("private_key_pem").toString().toUtf8());
        pem.close();
        QVERIFY(window.clientForm()->loadPrivateKey(pem.fileName()));
        // An RSA algorithm does not fit this EC key, and the form says so.
        child<QComboBox>(&window, "signingAlgorithmCombo")->setCurrentText("RS256");
        QVERIFY(child<QLabel>(&window, "keyStatusLabel")->text().contains("RSA"));
        child<QComboBox>(&window, "signingAlgorithmCombo")->setCurrentText("ES256");
        QVERIFY(child<QLabel>(&window, "keyStatusLabel")->text().contains("ES256"));
        typeInto(&window, "keyIdEdit", client.value("kid").toString());
        typeInto(&window, "scopeEdit", "openid");
        auto *authorize = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(authorize, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(authorize->isEnabled(), 60000);
        e2e::Environment::browserResult(browser);
        QVERIFY2(window.resultsPane()->outcomeText().contains("exchanged for tokens"),
                 qPrintable(window.resultsPane()->outcomeText()));
    }

    // The app's default: the built-in sandbox. The person only presses Authorize and signs in
    // in a real Chromium; then adds an error trigger from the dialog and sees its diagnosis.
    void sandboxWorksOutOfTheBox()
    {
        MainWindow window;
        window.history()->clear();
        QVERIFY(window.useSandbox());
        QProcess browser;
        showWithBrowser(window, browser);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(child<QLabel>(&window, "sandboxNote")->isVisible());
        auto *authorize = child<QPushButton>(&window, "authorizeButton");
        QTest::mouseClick(authorize, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(authorize->isEnabled(), 60000);
        const QJsonObject seen = e2e::Environment::browserResult(browser);
        QCOMPARE(seen.value("outcome").toString(), QStringLiteral("ok"));
        ResultsPane *results = window.resultsPane();
        QVERIFY2(results->outcomeText().contains("exchanged for tokens"),
                 qPrintable(results->outcomeText()));
        QVERIFY(results->tokensText().contains("ID token valid"));
        QVERIFY(results->countdownText().contains("refresh token held"));

        // The run exported as HAR, and the token request copied as curl: redacted by default.
        const QByteArray accessToken = window.tokenActions()->tokens().accessToken;
        QVERIFY(!accessToken.isEmpty());
        QTemporaryDir exportDir;
        const QString harPath = exportDir.filePath("run.har");
        QVERIFY(window.exportHar(harPath));
        QFile har(harPath);
        QVERIFY(har.open(QIODevice::ReadOnly));
        const QByteArray harText = har.readAll();
        QVERIFY(harText.contains("\"version\": \"1.2\""));
        QVERIFY(harText.contains("REDACTED:"));
        QVERIFY(!harText.contains(accessToken));
        QVERIFY(window.exportHar(exportDir.filePath("full.har"), true));
        QFile full(exportDir.filePath("full.har"));
        QVERIFY(full.open(QIODevice::ReadOnly) && full.readAll().contains(accessToken));
        results->selectStep(2);
        const QString curl = results->copyAsCurl();
        QVERIFY2(curl.contains("code=REDACTED:"), qPrintable(curl));
        QCOMPARE(QGuiApplication::clipboard()->text(), curl);

        // An error on demand: the trigger is chosen in the dialog, the flow runs again.
        window.showSandboxTriggers();
        auto *dialog = window.findChild<SandboxTriggersDialog *>();
        QVERIFY(dialog);
        int row = -1;
        for (int i = 0; i < dialog->model()->rowCount(); ++i) {
            if (dialog->model()->scopeAt(i) == "sandbox:invalid_grant")
                row = i;
        }
        QVERIFY(row >= 0);
        dialog->selectRow(row);
        QTest::mouseClick(dialog->findChild<QPushButton *>("useTriggerButton"), Qt::LeftButton);
        QVERIFY(child<QLineEdit>(&window, "scopeEdit")->text().endsWith(" sandbox:invalid_grant"));
        QProcess secondBrowser;
        showWithBrowser(window, secondBrowser);
        QTest::mouseClick(authorize, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(authorize->isEnabled(), 60000);
        e2e::Environment::browserResult(secondBrowser);
        QVERIFY2(results->outcomeText().contains("Likely cause:"),
                 qPrintable(results->outcomeText()));
        QCOMPARE(results->currentTab(), 0);
        // The trigger imitates the marketplace's answer, and says so: that pack's entry leads.
        const auto diagnosis = results->model()->diagnosisAt(results->model()->rowCount() - 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->entryId, QStringLiteral("marketplace.code_invalid"));
        QCOMPARE(diagnosis->provider.id, QStringLiteral("marketplace"));
        QVERIFY(results->diagnosisText().contains("10 minutes"));

        const QString shots = qEnvironmentVariable("WORKBENCH_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QDir().mkpath(shots);
            QVERIFY(window.grab().save(shots + "/sandbox-trigger.png"));
        }

        // Both runs are in the history, newest first, the refused one with its outcome.
        QTRY_COMPARE_WITH_TIMEOUT(window.history()->list().size(), 2, 30000); // by a worker
        window.showHistory();
        auto *history = window.findChild<HistoryDialog *>();
        QVERIFY(history);
        QCOMPARE(history->runCount(), 2);
        QCOMPARE(history->currentId(), window.history()->list().first().id);
        QVERIFY(window.history()->list().first().result != "succeeded");
        if (!shots.isEmpty()) {
            history->resize(900, 360);
            QTest::qWait(100);
            QVERIFY(history->grab().save(shots + "/history.png"));
        }
        history->close();
    }

    // A capture Chromium recorded of the demo app's login that sends another attempt's
    // verifier, diagnosed in the window: the OAuth steps among the visit's requests, the PKCE
    // mismatch as the outcome and as the refused token request's first cause.
    void personDiagnosesABrowserCapture()
    {
        QTemporaryDir dir;
        const QString har = dir.filePath("login.har");
        QProcess browser;
        QUrl spa(m_env.spa());
        spa.setQuery("break=verifier");
        m_env.openRecording(browser, spa, har);
        const QJsonObject recorded = e2e::Environment::browserResult(browser, 60000);
        QVERIFY2(!recorded.contains("error"), qPrintable(recorded.value("error").toString()));

        MainWindow window;
        showOnScreen(&window);
        QString problem;
        QVERIFY2(window.importCapture(har, &problem), qPrintable(problem));
        ResultsPane *results = window.resultsPane();
        QCOMPARE(results->model()->rowCount(), 3); // authorization request, callback, token
        QVERIFY2(results->outcomeText().contains("The code_verifier does not match the "
                                                 "code_challenge"),
                 qPrintable(results->outcomeText()));
        const auto &diagnosis = results->model()->diagnosisAt(2);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_grant"));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("pkce_mismatch"));
        // The code on the callback is masked on screen, as in any run.
        results->selectStep(1);
        QTRY_VERIFY(results->requestText().contains("code=MASKED:"));
    }

    // File → Probe the authorization server with the provider's public client in the form: the
    // plan confirmed, Chromium signs in for each probe that needs a code (one after another), and
    // the provider refuses what each probe sends; the evidence on screen is masked.
    void personProbesTheProvider()
    {
        MainWindow window;
        std::vector<std::unique_ptr<QProcess>> browsers; // one per sign-in
        window.setUrlOpener([this, &browsers](const QUrl &url) {
            browsers.push_back(std::make_unique<QProcess>());
            m_env.openInBrowser(*browsers.back(), url);
            return true;
        });
        showOnScreen(&window);
        ClientConfig config = m_env.clientConfig("public", GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid");
        window.setConfig(config);
        ProbeDialog *probe = window.showProbe();
        QVERIFY(QTest::qWaitForWindowExposed(probe));
        const QStringList ids{"code_reuse",         "iss_parameter", "verifier_wrong",
                              "redirect_localhost", "open_redirect", "refresh_reuse"};
        probe->setChecked(ids);
        QCOMPARE(probe->checkedIds(), ids);
        QVERIFY(probe->runProbes(true));
        QTRY_VERIFY_WITH_TIMEOUT(!probe->isRunning(), 150000);
        for (const auto &browser : browsers)
            browser->waitForFinished(10000);
        QCOMPARE(int(browsers.size()), 3); // code_reuse, verifier_wrong, refresh_reuse
        for (const QString &id : ids)
            QVERIFY2(probe->resultText(id) == QLatin1String("passed"),
                     qPrintable(id + ": " + probe->report().toText()));
        QCOMPARE(probe->resultText("pkce_plain"), QString()); // not checked: not run
        probe->selectProbe("verifier_wrong");
        QVERIFY(probe->detailText().contains("invalid_grant"));
        QVERIFY(probe->detailText().contains("code=REDACTED:"));
    }

    // Client → Register: discovery names the registration endpoint; without the provider's
    // initial access token the refusal is diagnosed; with it the new client becomes a profile
    // that signs in through Chromium; an update takes the rotated registration access token into
    // the profile, and a delete ends the registration.
    void personRegistersAClientAndSignsInWithIt()
    {
        MainWindow window;
        QProcess browser;
        showWithBrowser(window, browser);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        typeInto(&window, "issuerEdit", m_env.issuer());
        QTest::mouseClick(child<QPushButton>(&window, "discoverButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(&window, "tokenEndpointEdit")->text(),
                                  m_env.discovery().value("token_endpoint").toString(), 10000);
        typeInto(&window, "scopeEdit", "openid email");

        RegistrationDialog *dialog = window.showRegistration();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(child<QLineEdit>(dialog, "endpointEdit")->text(),
                 m_env.discovery().value("registration_endpoint").toString());
        QVERIFY(!child<QPushButton>(dialog, "readButton")->isEnabled());
        QVERIFY(child<QPlainTextEdit>(dialog, "metadataEdit")
                    ->toPlainText()
                    .contains("\"application_type\": \"native\""));

        // No initial access token: refused, and the diagnosis says so first.
        QVERIFY(dialog->registerClient());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 20000);
        QVERIFY2(dialog->resultText().contains("refused: invalid_token"),
                 qPrintable(dialog->resultText()));
        QVERIFY2(dialog->resultText().contains("initial access token"),
                 qPrintable(dialog->resultText()));

        typeInto(dialog, "initialTokenEdit", m_env.initialAccessToken());
        child<QLineEdit>(dialog, "profileNameEdit")->setText("E2E registered");
        QVERIFY(dialog->registerClient());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 20000);
        QVERIFY2(dialog->resultText().contains("The server registered client"),
                 qPrintable(dialog->resultText()));
        const ClientConfig registered = window.clientForm()->config();
        QVERIFY(!registered.clientId.isEmpty());
        QVERIFY(!registered.clientSecret.isEmpty());
        QVERIFY(!registered.registrationClientUri.isEmpty());
        QVERIFY(!registered.registrationAccessToken.isEmpty());
        const Profile *profile = window.profileStore()->find(window.profileBar()->currentId());
        QVERIFY(profile);
        // (Named "E2E registered (2)" and so on when an earlier run left one of that name.)
        QVERIFY2(profile->name.startsWith("E2E registered"), qPrintable(profile->name));
        QCOMPARE(profile->config.clientId, registered.clientId);
        QVERIFY(profile->remembers("client_secret"));
        QVERIFY(profile->remembers("registration_access_token"));
        // The registration exchanges are in the results pane, the refused one diagnosed.
        QVERIFY(window.resultsPane()->model()->rowCount() >= 1);

        // The new client signs in.
        window.clientForm()->setFocus();
        QTest::mouseClick(child<QPushButton>(&window, "authorizeButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(&window, "authorizeButton")->isEnabled(),
                                 60000);
        QVERIFY2(window.resultsPane()->outcomeText().contains("exchanged for tokens"),
                 qPrintable(window.resultsPane()->outcomeText()));
        browser.waitForFinished(10000);

        // Update: the provider rotates the registration access token; the profile keeps the new.
        dialog = window.showRegistration();
        QVERIFY(child<QPushButton>(dialog, "updateButton")->isEnabled());
        QVERIFY(dialog->updateRegistration());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 20000);
        QVERIFY2(dialog->resultText().contains("The server updated client"),
                 qPrintable(dialog->resultText()));
        const QString rotated = window.clientForm()->config().registrationAccessToken;
        QVERIFY(!rotated.isEmpty());
        QVERIFY(rotated != registered.registrationAccessToken);
        QVERIFY(dialog->readRegistration());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 20000);
        QVERIFY2(dialog->resultText().contains("registration of client"),
                 qPrintable(dialog->resultText()));

        QVERIFY(dialog->deleteRegistration(true));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 20000);
        QVERIFY2(dialog->resultText().contains("deleted"), qPrintable(dialog->resultText()));
        QVERIFY(window.clientForm()->config().registrationClientUri.isEmpty());
        QVERIFY(!child<QPushButton>(dialog, "readButton")->isEnabled());
        profile = window.profileStore()->find(window.profileBar()->currentId());
        QVERIFY(profile);
        QVERIFY(!profile->remembers("registration_access_token"));
        QVERIFY(profile->config.registrationClientUri.isEmpty());
        dialog->close();
    }
};

QTEST_MAIN(TestE2eGui)
#include "tst_e2e_gui.moc"
