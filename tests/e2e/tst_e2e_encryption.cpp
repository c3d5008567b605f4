// End to end: what the real provider encrypts to the client (oidc-provider with encryption and
// jwtUserinfo on, provider.mjs). Two clients registered with an "enc" key each, Chromium signing
// in: ID tokens (RSA-OAEP-256 + A256GCM; ECDH-ES+A128KW + A128GCM), JARM responses (RSA-OAEP-256
// + A256CBC-HS512; ECDH-ES + A256GCM) and UserInfo (RSA-OAEP + A128CBC-HS256, signed inside) are
// opened with the client's key, and what is inside checked as when it comes signed only. A
// token encrypted to another key fails its decryption check first. The command line's
// --decryption-key.
#include "core/jose/Jwe.h"
#include "core/session/RunSession.h"

#include "E2eSignIn.h"
#include "TokenActionsTest.h"
#include "TokenCheckTest.h"

#include <QJsonArray>
#include <QTemporaryFile>

using namespace workbench;
using namespace workbench::test;

class TestE2eEncryption : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    ClientConfig encryptedConfig(const QString &client, const QString &mode) const
    {
        ClientConfig config = m_env.clientConfig(client, GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid email");
        config.jwksUri = QUrl(m_env.discovery().value("jwks_uri").toString());
        config.responseMode = mode;
        const QJsonObject registered = m_env.client(client);
        config.decryptionKeyPem = registered.value("decryption_key_pem").toString();
        config.decryptionKeyId = registered.value("decryption_kid").toString();
        return config;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<TokenActions::Outcome>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QJsonArray algs =
            m_env.discovery().value("id_token_encryption_alg_values_supported").toArray();
        QVERIFY2(algs.contains(QStringLiteral("ECDH-ES+A128KW")), "encryption is not on");
    }

    void cleanupTestCase() { m_env.stop(); }

    void encryptedAnswersAreOpenedAndChecked_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("idTokenAlgs");
        QTest::addColumn<QString>("responseAlgs");
        QTest::newRow("RSA, query.jwt") << "encryptedRsa"
                                        << "query.jwt"
                                        << "alg RSA-OAEP-256, enc A256GCM"
                                        << "alg RSA-OAEP-256, enc A256CBC-HS512";
        QTest::newRow("EC, form_post.jwt") << "encryptedEc"
                                           << "form_post.jwt"
                                           << "alg ECDH-ES+A128KW, enc A128GCM"
                                           << "alg ECDH-ES, enc A256GCM";
    }
    void encryptedAnswersAreOpenedAndChecked()
    {
        QFETCH(QString, client);
        QFETCH(QString, mode);
        QFETCH(QString, idTokenAlgs);
        QFETCH(QString, responseAlgs);
        const ClientConfig config = encryptedConfig(client, mode);
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));

        // The JARM response: opened, then its signature and claims checked.
        QVERIFY(!outcome.responseChecks.isEmpty());
        const TokenCheck &opened = outcome.responseChecks.first();
        QCOMPARE(opened.name, QStringLiteral("decryption"));
        QCOMPARE(opened.status, TokenCheck::Status::Passed);
        QVERIFY2(opened.detail.contains(responseAlgs), qPrintable(opened.detail));
        QVERIFY2(opened.detail.contains(config.decryptionKeyId), qPrintable(opened.detail));
        QCOMPARE(findCheck(outcome.responseChecks, "signature")->status,
                 TokenCheck::Status::Passed);

        // The ID token the same way, with the provider's encryption of it.
        QVERIFY(
            !Jwe::header(outcome.tokenResponse.value("id_token").toString().toLatin1()).isEmpty());
        const TokenCheck &idToken = outcome.idTokenChecks.first();
        QCOMPARE(idToken.name, QStringLiteral("decryption"));
        QCOMPARE(idToken.status, TokenCheck::Status::Passed);
        QVERIFY2(idToken.detail.contains(idTokenAlgs), qPrintable(idToken.detail));
        QVERIFY2(IdTokenValidator::accepted(outcome.idTokenChecks),
                 qPrintable(IdTokenValidator::firstFailure(outcome.idTokenChecks)));
        QCOMPARE(findCheck(outcome.idTokenChecks, "signature")->status, TokenCheck::Status::Passed);
        QCOMPARE(findCheck(outcome.idTokenChecks, "nonce")->status, TokenCheck::Status::Passed);

        if (client != QLatin1String("encryptedRsa"))
            return;
        // UserInfo as a JWT, signed then encrypted to the client's key.
        const auto userInfo = testactions::run(*session.actions(), TokenActions::Action::UserInfo);
        QVERIFY2(userInfo.succeeded, qPrintable(userInfo.summary + userInfo.details.join('\n')));
        const QString details = userInfo.details.join('\n');
        QVERIFY2(details.contains("alg RSA-OAEP, enc A128CBC-HS256"), qPrintable(details));
        QVERIFY2(details.contains("Signed with RS256"), qPrintable(details));
        QVERIFY2(details.contains("sub matches"), qPrintable(details));
        QVERIFY2(details.contains("email: "), qPrintable(details));
    }

    // The provider encrypts to the key the client registered; this run holds another one.
    void aTokenEncryptedToAnotherKeyFailsItsDecryption()
    {
        ClientConfig config = encryptedConfig(QStringLiteral("encryptedRsa"), QString());
        config.decryptionKeyPem =
            QString::fromLatin1(DecryptionKey::generate("RSA", {}).privatePem());
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QCOMPARE(outcome.result, FlowOutcome::Result::IdTokenRejected);
        QCOMPARE(firstFailedName(outcome.idTokenChecks), QStringLiteral("decryption"));
        const TokenCheck &failed = outcome.idTokenChecks.first();
        QVERIFY2(failed.detail.contains("encrypted to another key"), qPrintable(failed.detail));
        QVERIFY2(failed.detail.contains("RSA 2048"), qPrintable(failed.detail)); // the key held
        QVERIFY(failed.fix.contains("jwks"));
    }

    void commandLineTakesTheDecryptionKey()
    {
        const ClientConfig config =
            encryptedConfig(QStringLiteral("encryptedEc"), QStringLiteral("query.jwt"));
        QTemporaryFile key;
        QVERIFY(key.open());
        key.write(config.decryptionKeyPem.toUtf8());
        key.flush();
        const e2e::CliResult result =
            e2e::runCli({"authorize",
                         "--json",
                         "--response-mode",
                         "query.jwt",
                         "--authorization-endpoint",
                         config.authorizationEndpoint.toString(),
                         "--token-endpoint",
                         config.tokenEndpoint.toString(),
                         "--client-id",
                         config.clientId,
                         "--auth-method",
                         "none",
                         "--issuer",
                         m_env.issuer(),
                         "--jwks-uri",
                         config.jwksUri.toString(),
                         "--scope",
                         "openid email",
                         "--decryption-key",
                         key.fileName(),
                         "--decryption-kid",
                         config.decryptionKeyId,
                         "--browser-command",
                         qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh"},
                        {});
        QVERIFY2(result.exit == 0, result.errors.constData());
        QCOMPARE(result.json.value("outcome").toString(), QStringLiteral("succeeded"));
        for (const char *list : {"response_checks", "id_token_checks"}) {
            const QJsonArray checks = result.json.value(QLatin1String(list)).toArray();
            QVERIFY2(!checks.isEmpty(), list);
            QCOMPARE(checks.first().toObject().value("name").toString(),
                     QStringLiteral("decryption"));
            for (const QJsonValue &check : checks)
                QVERIFY2(check.toObject().value("status").toString() != QLatin1String("failed"),
                         qPrintable(check.toObject().value("detail").toString()));
        }
    }
};

QTEST_MAIN(TestE2eEncryption)
#include "tst_e2e_encryption.moc"
