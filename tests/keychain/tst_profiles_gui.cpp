// Profiles in the real window with a real keychain: a profile saved with "Remember" keeps its
// secret in the Secret Service (no file holds it), and comes back with it after a restart.
// Without any keychain the window says so, keeps the secret for the session and offers a retry.
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"
#include "core/tokens/TokenActions.h"
#include "ui/MainWindow.h"
#include "ui/forms/ClientForm.h"
#include "ui/profiles/ProfileBar.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"

#include "WidgetTest.h"

#include "FileScan.h"
#include "SandboxBrowser.h"
#include <QCheckBox>
#include <QComboBox>

#include <QDirIterator>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <optional>
#include <qt6keychain/keychain.h>

using namespace workbench;
using widgettest::child;
using widgettest::typeInto;

class TestProfilesGui : public QObject
{
    Q_OBJECT

    bool m_noKeychain = qEnvironmentVariableIsSet("WORKBENCH_EXPECT_NO_KEYCHAIN");
    const QString m_secret =
        QStringLiteral("gui-secret-%1").arg(QCoreApplication::applicationPid());

    // What the keychain itself holds for this key, read with QtKeychain directly (not through
    // the app): the secret, or nothing when the entry does not exist.
    static std::optional<QString> keychainEntry(const QString &key)
    {
        QKeychain::ReadPasswordJob job(QStringLiteral("OAuth Workbench"));
        job.setAutoDelete(false);
        job.setKey(key);
        QSignalSpy done(&job, &QKeychain::Job::finished);
        job.start();
        if (!done.wait(5000))
            return QStringLiteral("(the keychain did not answer)");
        if (job.error() == QKeychain::EntryNotFound)
            return std::nullopt;
        return job.error() == QKeychain::NoError ? job.textData()
                                                 : QStringLiteral("(error %1)").arg(job.error());
    }

    void fillForm(MainWindow &window)
    {
        typeInto(&window, "authorizationEndpointEdit", "https://id.example.com/authorize");
        typeInto(&window, "tokenEndpointEdit", "https://id.example.com/token");
        typeInto(&window, "clientIdEdit", "work-client");
        child<QComboBox>(&window, "authMethodCombo")->setCurrentText("client_secret_basic");
        typeInto(&window, "clientSecretEdit", m_secret);
        child<QCheckBox>(&window, "rememberSecretCheck")->setChecked(true);
    }

private slots:
    void initTestCase()
    {
        // Scratch HOME from the wrapper script when a keychain runs; Qt's test location otherwise.
        if (m_noKeychain)
            QStandardPaths::setTestModeEnabled(true);
        QFile::remove(ProfileStore().filePath());
    }

    void savedProfileComesBackWithItsSecret()
    {
        if (m_noKeychain)
            QSKIP("no keychain in this run");
        {
            MainWindow window;
            window.show();
            fillForm(window);
            const QString id = window.profileBar()->saveAsNew("Work");
            QVERIFY(!id.isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(
                window.statusBar()->currentMessage().contains("secret is in the keychain"), 5000);
            QCOMPARE(window.profileBar()->currentId(), id);
        }
        // No file anywhere in the scratch home holds the secret.
        QCOMPARE(filescan::filesContaining(qEnvironmentVariable("HOME"), m_secret.toUtf8()),
                 QStringList());

        // "Restart": a new window restores the last profile, and the secret from the keychain.
        MainWindow window;
        window.show();
        QVERIFY(window.restoreLastProfile());
        QCOMPARE(child<QComboBox>(&window, "profileCombo")->currentText(), QStringLiteral("Work"));
        QCOMPARE(child<QLineEdit>(&window, "clientIdEdit")->text(), QStringLiteral("work-client"));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(&window, "clientSecretEdit")->text(), m_secret,
                                  5000);
        QVERIFY(child<QCheckBox>(&window, "rememberSecretCheck")->isChecked());
        // The secret field stays masked.
        QCOMPARE(child<QLineEdit>(&window, "clientSecretEdit")->echoMode(), QLineEdit::Password);

        // The keychain itself holds the secret under the profile's key...
        const QString key = window.profileStore()
                                ->find(window.profileBar()->currentId())
                                ->secretKey("client_secret");
        QCOMPARE(keychainEntry(key), std::optional<QString>(m_secret));
        // ...and unticking Remember and saving takes it out of the keychain.
        QSignalSpy removed(window.secretStore(), &SecretStore::secretRemoved);
        child<QCheckBox>(&window, "rememberSecretCheck")->setChecked(false);
        QVERIFY(window.profileBar()->save());
        QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 5000);
        QCOMPARE(keychainEntry(key), std::optional<QString>());
        MainWindow again;
        QVERIFY(again.restoreLastProfile());
        QVERIFY(child<QLineEdit>(&again, "clientSecretEdit")->text().isEmpty());
        QVERIFY(!child<QCheckBox>(&again, "rememberSecretCheck")->isChecked());

        // Duplicate, rename, move, delete through the bar.
        const QString copy = again.profileBar()->duplicateCurrent();
        QCOMPARE(child<QComboBox>(&again, "profileCombo")->currentText(),
                 QStringLiteral("Copy of Work"));
        QVERIFY(again.profileBar()->renameCurrent("Work staging"));
        QVERIFY(again.profileBar()->moveCurrent(-1));
        QCOMPARE(again.profileStore()->profiles().first().name, QStringLiteral("Work staging"));
        QCOMPARE(child<QComboBox>(&again, "profileCombo")->itemText(1),
                 QStringLiteral("Work staging"));
        QVERIFY(again.profileBar()->removeCurrent());
        QCOMPARE(again.profileStore()->profiles().size(), 1);
        QVERIFY(again.profileBar()->currentId().isEmpty()); // back on the sandbox
        Q_UNUSED(copy);
    }

    // A private_key_jwt profile: the PEM key and its passphrase go to the keychain with
    // "Remember", and come back after a restart; no file holds either, nor the client secret of
    // a password-grant profile saved beside it.
    void privateKeyAndPasswordAreKeptInTheKeychain()
    {
        if (m_noKeychain)
            QSKIP("no keychain in this run");
        const QString pem =
            QStringLiteral(
                "-----BEGIN PRIVATE KEY-----\nnot-a-real-key-%1\n-----END PRIVATE KEY-----\n")
                .arg(QCoreApplication::applicationPid());
        const QString passphrase =
            QStringLiteral("pass-%1").arg(QCoreApplication::applicationPid());
        const QString password = QStringLiteral("pw-%1").arg(QCoreApplication::applicationPid());
        {
            MainWindow window;
            window.show();
            typeInto(&window, "tokenEndpointEdit", "https://id.example.com/token");
            typeInto(&window, "clientIdEdit", "key-client");
            auto *grant = child<QComboBox>(&window, "grantCombo");
            grant->setCurrentIndex(grant->findData("password"));
            typeInto(&window, "usernameEdit", "alice");
            typeInto(&window, "passwordEdit", password);
            child<QCheckBox>(&window, "rememberPasswordCheck")->setChecked(true);
            child<QComboBox>(&window, "authMethodCombo")->setCurrentText("private_key_jwt");
            window.clientForm()->setPrivateKeyPem(pem);
            typeInto(&window, "keyPassphraseEdit", passphrase);
            child<QCheckBox>(&window, "rememberKeyCheck")->setChecked(true);
            QSignalSpy written(window.secretStore(), &SecretStore::secretWritten);
            QVERIFY(!window.profileBar()->saveAsNew("Keyed").isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(
                window.statusBar()->currentMessage().contains("is in the keychain"), 5000);
            QTRY_COMPARE_WITH_TIMEOUT(written.size(), 3, 5000); // key, passphrase, password
        }
        for (const QString &value : {pem, passphrase, password})
            QCOMPARE(filescan::filesContaining(qEnvironmentVariable("HOME"), value.toUtf8()),
                     QStringList());
        MainWindow window;
        QVERIFY(window.restoreLastProfile());
        QTRY_COMPARE_WITH_TIMEOUT(window.clientForm()->config().privateKeyPem, pem, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(window.clientForm()->config().privateKeyPassphrase, passphrase,
                                  5000);
        QTRY_COMPARE_WITH_TIMEOUT(window.clientForm()->config().password, password, 5000);
        QCOMPARE(window.clientForm()->config().grant, GrantType::Password);
        QVERIFY(child<QCheckBox>(&window, "rememberKeyCheck")->isChecked());
        QVERIFY(window.profileBar()->removeCurrent());
    }

    // A run with DPoP on makes the profile's key; the saved profile keeps it in the keychain
    // (no file holds it) and brings it back after a restart, so tokens bound to it stay usable.
    // The sandbox issues Bearer tokens: the binding check fails, as it must.
    void dpopKeyIsKeptWithTheProfile()
    {
        if (m_noKeychain)
            QSKIP("no keychain in this run");
        QString pem;
        {
            MainWindow window;
            QVERIFY(window.useSandbox(true));
            window.show();
            auto *grant = child<QComboBox>(&window, "grantCombo");
            grant->setCurrentIndex(grant->findData("client_credentials"));
            child<QCheckBox>(&window, "dpopCheck")->setChecked(true);
            QVERIFY(window.clientForm()->config().dpopKeyPem.isEmpty());
            auto *start = child<QPushButton>(&window, "authorizeButton");
            QTest::mouseClick(start, Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 10000);
            QVERIFY2(window.resultsPane()->outcomeText().contains("not bound to the DPoP key"),
                     qPrintable(window.resultsPane()->outcomeText()));
            pem = window.clientForm()->config().dpopKeyPem;
            QVERIFY(pem.startsWith("-----BEGIN PRIVATE KEY-----"));
            QVERIFY(window.clientForm()->remembers("dpop_key"));
            QSignalSpy written(window.secretStore(), &SecretStore::secretWritten);
            QVERIFY(!window.profileBar()->saveAsNew("Bound").isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(written.size() >= 1, 5000); // the DPoP key at least
        }
        QCOMPARE(filescan::filesContaining(qEnvironmentVariable("HOME"), pem.toUtf8()),
                 QStringList());
        MainWindow window;
        QVERIFY(window.restoreLastProfile());
        QTRY_COMPARE_WITH_TIMEOUT(window.clientForm()->config().dpopKeyPem, pem, 5000);
        QVERIFY(child<QCheckBox>(&window, "dpopCheck")->isChecked());
        QVERIFY(window.profileBar()->removeCurrent());
    }

    // A flow's refresh token lives in memory only, until the person presses "Keep refresh
    // token": then it is in the keychain with the profile (no file holds it), and after a
    // restart the refresh grant redeems it. Without a keychain, the bar says so.
    void refreshTokenIsKeptOnlyWhenAsked()
    {
        QString refreshToken;
        {
            MainWindow window;
            window.show();
            QVERIFY(window.useSandbox(false));
            QVERIFY(!window.profileBar()->saveAsNew("Sandbox, kept").isEmpty());
            window.setUrlOpener([](const QUrl &url) {
                QTimer::singleShot(0, [url] { sandboxbrowser::signIn(url); });
                return true;
            });
            auto *start = child<QPushButton>(&window, "authorizeButton");
            QTest::mouseClick(start, Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 15000);
            refreshToken = window.tokenActions()->tokens().refreshToken;
            QVERIFY2(!refreshToken.isEmpty(), qPrintable(window.resultsPane()->outcomeText()));
            // Not kept yet: the form's field is empty, no file or keychain holds it.
            QVERIFY(window.clientForm()->config().refreshToken.isEmpty());
            auto *keep = child<QPushButton>(&window, "keepRefreshButton");
            QVERIFY(keep->isEnabled());
            QTest::mouseClick(keep, Qt::LeftButton);
            if (m_noKeychain) {
                QTRY_VERIFY_WITH_TIMEOUT(
                    window.profileBar()->keychainNote().contains("No keychain"), 5000);
                // Kept for this session in the form, never in the profile file.
                QCOMPARE(window.clientForm()->config().refreshToken, refreshToken);
                QFile file(window.profileStore()->filePath());
                QVERIFY(file.open(QIODevice::ReadOnly));
                QVERIFY(!file.readAll().contains(refreshToken.toUtf8()));
                QVERIFY(window.profileBar()->removeCurrent());
                return;
            }
            QTRY_VERIFY_WITH_TIMEOUT(
                window.statusBar()->currentMessage().contains("refresh_token is in the keychain"),
                5000);
            // The kept token is the form's, for the refresh grant: redeemed, it rotates.
            QCOMPARE(window.clientForm()->config().refreshToken, refreshToken);
            auto *grant = child<QComboBox>(&window, "grantCombo");
            grant->setCurrentIndex(grant->findData("refresh_token"));
            QTest::mouseClick(start, Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 15000);
            const HttpExchange redeemed = window.resultsPane()->model()->exchanges().last();
            QCOMPARE(redeemed.status, 200);
            QVERIFY(redeemed.request.body.contains("grant_type=refresh_token"));
            QVERIFY(window.tokenActions()->tokens().refreshToken != refreshToken);
        }
        QCOMPARE(filescan::filesContaining(qEnvironmentVariable("HOME"), refreshToken.toUtf8()),
                 QStringList());
        MainWindow window;
        window.show();
        QVERIFY(window.restoreLastProfile());
        QTRY_COMPARE_WITH_TIMEOUT(window.clientForm()->config().refreshToken, refreshToken, 5000);
        QVERIFY(child<QCheckBox>(&window, "rememberRefreshTokenCheck")->isChecked());
        QVERIFY(window.profileBar()->removeCurrent());
    }

    // A Postman collection's OAuth settings become profiles; asked to, the keychain keeps the
    // collection's secrets (no file holds them) and the form gets them back.
    void postmanSecretsGoToTheKeychainWhenAsked()
    {
        QFile file(
            QStringLiteral(WORKBENCH_TEST_DATA "/postman/team-apis.postman_collection.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        MainWindow window;
        window.show();
        QSignalSpy written(window.secretStore(), &SecretStore::secretWritten);
        const QString message =
            window.profileBar()->importPostman(PostmanImport::fromJson(file.readAll()), true);
        QVERIFY2(message.contains("Imported 3 profile(s)"), qPrintable(message));
        QVERIFY(message.contains("3 secret(s) kept in the keychain"));
        QCOMPARE(child<QComboBox>(&window, "profileCombo")->currentText(),
                 QStringLiteral("Team APIs"));
        QCOMPARE(child<QLineEdit>(&window, "clientIdEdit")->text(), QStringLiteral("web-portal"));
        if (m_noKeychain) {
            QTRY_VERIFY_WITH_TIMEOUT(window.profileBar()->keychainNote().contains("No keychain"),
                                     5000);
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(&window, "clientSecretEdit")->text(),
                                      QStringLiteral("postman-secret-4f1d"), 5000);
            QVERIFY(child<QCheckBox>(&window, "rememberSecretCheck")->isChecked());
            QTRY_COMPARE_WITH_TIMEOUT(written.size(), 3, 5000); // each kept secret written
        }
        const QString home = m_noKeychain
                                 ? QFileInfo(window.profileStore()->filePath()).absolutePath()
                                 : qEnvironmentVariable("HOME");
        for (const QByteArray &secret :
             {QByteArray("postman-secret-4f1d"), QByteArray("backoffice-secret-77aa")})
            QCOMPARE(filescan::filesContaining(home, secret), QStringList());
        while (!window.profileStore()->profiles().isEmpty()) {
            QVERIFY(window.profileBar()->select(window.profileStore()->profiles().first().id));
            QVERIFY(window.profileBar()->removeCurrent());
        }
    }

    // Not asked to keep them: the profiles come without their secrets, and the person is told.
    void postmanSecretsAreLeftOutUnlessAsked()
    {
        QFile file(
            QStringLiteral(WORKBENCH_TEST_DATA "/postman/team-apis.postman_collection.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        MainWindow window;
        window.show();
        const QString message =
            window.profileBar()->importPostman(PostmanImport::fromJson(file.readAll()), false);
        QVERIFY2(message.contains("3 secret(s) left out"), qPrintable(message));
        QCOMPARE(window.profileStore()->profiles().size(), 3);
        QVERIFY(child<QLineEdit>(&window, "clientSecretEdit")->text().isEmpty());
        // Nothing was written to the keychain for them either.
        if (!m_noKeychain) {
            for (const Profile &profile : window.profileStore()->profiles())
                QCOMPARE(keychainEntry(profile.secretKey("client_secret")),
                         std::optional<QString>());
        }
        QVERIFY(!child<QCheckBox>(&window, "rememberSecretCheck")->isChecked());
        for (const Profile &profile : window.profileStore()->profiles())
            QVERIFY(profile.rememberedSecrets.isEmpty());
        // Bad input is said in one line, and adds nothing.
        QVERIFY(window.profileBar()
                    ->importPostman(PostmanImport::fromJson("<html>"), false)
                    .contains("not a Postman"));
        QCOMPARE(window.profileStore()->profiles().size(), 3);
        while (!window.profileStore()->profiles().isEmpty()) {
            QVERIFY(window.profileBar()->select(window.profileStore()->profiles().first().id));
            QVERIFY(window.profileBar()->removeCurrent());
        }
    }

    void noKeychainIsShownWithARetry()
    {
        if (!m_noKeychain)
            QSKIP("a keychain runs in this run");
        MainWindow window;
        window.show();
        fillForm(window);
        window.profileBar()->saveAsNew("Offline");
        QTRY_VERIFY_WITH_TIMEOUT(!window.profileBar()->keychainNote().isEmpty(), 5000);
        const QString note = window.profileBar()->keychainNote();
        QVERIFY2(note.contains("No keychain is reachable"), qPrintable(note));
        QVERIFY(note.contains("this session only"));
        QVERIFY(note.contains("Retry"));
        // The secret is still there for this session; the profile file does not hold it.
        QCOMPARE(child<QLineEdit>(&window, "clientSecretEdit")->text(), m_secret);
        QFile file(window.profileStore()->filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(m_secret.toUtf8()));
        // Retrying without a keychain says the same again, it does not hang.
        emit child<QLabel>(&window, "keychainNote")->linkActivated("#retry");
        QTRY_VERIFY_WITH_TIMEOUT(window.profileBar()->keychainNote().contains("No keychain"), 5000);
    }
};

QTEST_MAIN(TestProfilesGui)
#include "tst_profiles_gui.moc"
