// End to end: what the real provider encrypts to the client (oidc-provider with encryption and
// jwtUserinfo on, provider.mjs). Two clients registered with an "enc" key each, Chromium signing
// in: ID tokens (RSA-OAEP-256 + A256GCM; ECDH-ES+A128KW + A128GCM), JARM responses (RSA-OAEP-256
// + A256CBC-HS512; ECDH-ES + A256GCM) and UserInfo (RSA-OAEP + A128CBC-HS256, signed inside) are
// opened with the client's key, and what is inside checked as when it comes signed only. A
// token encrypted to another key fails its decryption check first. The command line's
// --decryption-key.
#include "core/diagnosis/Diagnoser.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/session/RunSession.h"

#include "E2eSignIn.h"
#include "SandboxBrowser.h"
#include "TokenActionsTest.h"
#include "TokenCheckTest.h"

#include <QJsonArray>
#include <QJsonDocument>
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

    ClientConfig requestObjectConfig(const QString &client, const QString &alg,
                                     const QString &enc) const
    {
        ClientConfig config = m_env.clientConfig(client, GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid email");
        config.jwksUri = QUrl(m_env.discovery().value("jwks_uri").toString());
        const QJsonObject registered = m_env.client(client);
        config.privateKeyPem = registered.value("private_key_pem").toString();
        config.keyId = registered.value("kid").toString();
        config.signingAlgorithm =
            registered.value("token_endpoint_auth_signing_alg").toString("RS256");
        config.useRequestObject = true;
        config.requestObjectEncryptionAlg = alg;
        config.requestObjectEncryptionEnc = enc;
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

    // An error the provider sends inside an encrypted JARM response (prompt=none without a
    // session at the provider: login_required) ends the run as the server's error, and the
    // diagnosis reads it from inside with the run's key.
    void anErrorInsideAnEncryptedResponseIsDiagnosed()
    {
        ClientConfig config = encryptedConfig(QStringLiteral("encryptedRsa"), "query.jwt");
        config.prompt = QStringLiteral("none");
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QCOMPARE(outcome.result, FlowOutcome::Result::AuthorizationError);
        QVERIFY2(outcome.details.join('\n').contains("login_required"),
                 qPrintable(outcome.details.join('\n')));
        const auto diagnosis = Diagnoser().lastProblem(session.record().exchanges, session.hints());
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("login_required"));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("login_required"));
        // Its wire form alone (a JWE) says nothing.
        const auto blind = Diagnoser().lastProblem(session.record().exchanges, {});
        QVERIFY(!blind || blind->code != QLatin1String("login_required"));
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

    // Request objects encrypted to the provider (RFC 9101 §4): to its RSA or EC "enc" key from
    // its JWKS, or with a key derived from the client secret (OIDC Core §10.2). The provider
    // opens each, checks the signature inside and answers with a code; the ID token's nonce,
    // sent only inside the request object, proves it read it.
    void requestObjectsEncryptedToTheProvider_data()
    {
        QTest::addColumn<QString>("client");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::addColumn<QString>("kid");
        QTest::newRow("RSA-OAEP-256 to its RSA key") << "privateKeyJwtRsa"
                                                     << "RSA-OAEP-256"
                                                     << "A256GCM"
                                                     << "rsa-enc-e2e";
        QTest::newRow("ECDH-ES+A128KW to its EC key") << "privateKeyJwtEc"
                                                      << "ECDH-ES+A128KW"
                                                      << "A128CBC-HS256"
                                                      << "ec-enc-e2e";
        QTest::newRow("A256KW with the client secret") << "secretJwt"
                                                       << "A256KW"
                                                       << "A256CBC-HS512" << QString();
        QTest::newRow("dir with the client secret") << "secretJwt"
                                                    << "dir"
                                                    << "A128GCM" << QString();
    }
    void requestObjectsEncryptedToTheProvider()
    {
        QFETCH(QString, client);
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        QFETCH(QString, kid);
        const ClientConfig config = requestObjectConfig(client, alg, enc);
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QCOMPARE(findCheck(outcome.idTokenChecks, "nonce")->status, TokenCheck::Status::Passed);

        const QList<HttpExchange> &run = session.record().exchanges;
        const auto navigation =
            std::find_if(run.cbegin(), run.cend(), [](const HttpExchange &exchange) {
                return exchange.kind == HttpExchange::Kind::BrowserNavigation;
            });
        QVERIFY(navigation != run.cend());
        QVERIFY2(navigation->label.contains("request object encrypted " + alg + " + " + enc),
                 qPrintable(navigation->label));
        const FormFields query =
            FormEncoding::decode(navigation->request.url.query(QUrl::FullyEncoded).toLatin1());
        QVERIFY(!FormEncoding::contains(query, "nonce")); // only inside
        const QJsonObject header = Jwe::header(FormEncoding::value(query, "request").toLatin1());
        QCOMPARE(header.value("alg").toString(), alg);
        QCOMPARE(header.value("enc").toString(), enc);
        QCOMPARE(header.value("cty").toString(), QStringLiteral("JWT"));
        QCOMPARE(header.value("kid").toString(), kid);
        // The provider's keys were fetched before the browser opened, when they were needed.
        const bool fetched = std::any_of(run.cbegin(), navigation, [](const HttpExchange &step) {
            return step.label == QLatin1String("JWKS (server's encryption keys)");
        });
        QCOMPARE(fetched, !kid.isEmpty());
    }

    // Encrypted with a secret the provider does not hold: it cannot open the request object,
    // so it cannot read the redirect URI or state inside either, and sends the error to the
    // client's one registered redirect URI, not the listener's port. The address the browser
    // is left at, pasted into the run, is diagnosed as the encryption's fault first.
    void aRequestObjectTheProviderCannotOpenIsDiagnosed()
    {
        ClientConfig config = requestObjectConfig("secretJwt", "A256KW", "A128CBC-HS256");
        config.clientSecret = QStringLiteral("not-the-secret-the-provider-holds-for-this-client");
        config.redirectWaitSeconds = 30;
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QVERIFY(flow.start(config));
        QNetworkAccessManager network;
        const sandboxbrowser::Page answer = sandboxbrowser::fetch(network, flow.authorizationUrl());
        QCOMPARE(answer.status, 303);
        const QUrl landed(QString::fromUtf8(answer.location));
        QVERIFY2(landed.query().contains("could+not+decrypt+request+object"),
                 answer.location.constData());
        QString error;
        QVERIFY2(flow.submitBrowserPage(landed.toString(), &error), qPrintable(error));
        const auto diagnosis = Diagnoser().diagnose(flow.exchanges(), flow.exchanges().size() - 1);
        flow.cancel();
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_request_object"));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("request_object_undecryptable"));
        QCOMPARE(diagnosis->causes.first().status, Diagnosis::Cause::Status::Confirmed);
    }

    // The command line encrypts the request object as the window does.
    void commandLineEncryptsTheRequestObject()
    {
        const ClientConfig config = requestObjectConfig("privateKeyJwtRsa", "ECDH-ES", "A256GCM");
        QTemporaryFile key;
        QVERIFY(key.open());
        key.write(config.privateKeyPem.toUtf8());
        key.flush();
        const e2e::CliResult result =
            e2e::runCli({"authorize",
                         "--json",
                         "--authorization-endpoint",
                         config.authorizationEndpoint.toString(),
                         "--token-endpoint",
                         config.tokenEndpoint.toString(),
                         "--client-id",
                         config.clientId,
                         "--auth-method",
                         "private_key_jwt",
                         "--private-key",
                         key.fileName(),
                         "--key-id",
                         config.keyId,
                         "--issuer",
                         m_env.issuer(),
                         "--jwks-uri",
                         config.jwksUri.toString(),
                         "--scope",
                         "openid email",
                         "--request-object-encryption-alg",
                         "ECDH-ES",
                         "--request-object-encryption-enc",
                         "A256GCM",
                         "--browser-command",
                         qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh"},
                        {});
        QVERIFY2(result.exit == 0, result.errors.constData());
        QCOMPARE(result.json.value("outcome").toString(), QStringLiteral("succeeded"));
        const QJsonArray steps = result.json.value("exchanges").toArray();
        QVERIFY(steps.size() >= 2);
        QCOMPARE(steps.at(0).toObject().value("label").toString(),
                 QStringLiteral("JWKS (server's encryption keys)"));
        const QString opened = steps.at(1).toObject().value("label").toString();
        QVERIFY2(opened.contains("request object encrypted ECDH-ES + A256GCM to the server's key "
                                 "EC P-256 (kid \"ec-enc-e2e\")"),
                 qPrintable(opened));
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
