// TokenActions against a canned server: what each follow-up request sends and how its answer is
// read. tests/e2e checks the same actions against oidc-provider.
#include "core/client/TokenRequest.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/jose/JwsSigner.h"
#include "core/tokens/IdTokenVerifier.h"
#include "core/tokens/TokenActions.h"

#include "TestHttp.h"
#include "TestJose.h"
#include "TokenActionsTest.h"

#include <QSignalSpy>
#include <QTest>

using namespace workbench;
using testhttp::CannedServer;
using testhttp::jsonResponse;
using Action = TokenActions::Action;
using Target = TokenActions::Target;

class TestTokenActions : public QObject
{
    Q_OBJECT

    static ClientConfig configFor(const CannedServer &server)
    {
        ClientConfig config;
        config.tokenEndpoint = server.url("/token");
        config.userinfoEndpoint = server.url("/me");
        config.introspectionEndpoint = server.url("/introspect");
        config.revocationEndpoint = server.url("/revoke");
        config.jwksUri = server.url("/jwks");
        config.issuer = QUrl("https://issuer.test");
        config.clientId = "cid";
        config.clientSecret = "sec ret";
        config.authMethod = ClientAuthMethod::ClientSecretBasic;
        return config;
    }
    static TokenSet tokens()
    {
        TokenSet set;
        set.accessToken = "old-access";
        set.refreshToken = "old-refresh";
        set.tokenType = "Bearer";
        set.subject = "alice";
        return set;
    }

private slots:
    void initTestCase() { qRegisterMetaType<TokenActions::Outcome>(); }

    void refreshShowsRotation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("rotation");
        QTest::addColumn<QByteArray>("refreshAfter");
        QTest::newRow("rotated") << QByteArray("{\"access_token\":\"new-access\",\"refresh_token\":"
                                               "\"new-refresh\",\"expires_in\":60}")
                                 << "Refresh token rotated: old #" << QByteArray("new-refresh");
        QTest::newRow("same one back")
            << QByteArray("{\"access_token\":\"new-access\",\"refresh_token\":\"old-refresh\"}")
            << "the same one" << QByteArray("old-refresh");
        QTest::newRow("none returned") << QByteArray("{\"access_token\":\"new-access\"}")
                                       << "no refresh_token" << QByteArray("old-refresh");
    }
    void refreshShowsRotation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, rotation);
        QFETCH(QByteArray, refreshAfter);
        CannedServer server(jsonResponse(200, body));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        actions.setSession(configFor(server), tokens());
        QSignalSpy recorded(&actions, &TokenActions::exchangeRecorded);
        QSignalSpy changed(&actions, &TokenActions::tokensChanged);

        const auto outcome = testactions::run(actions, Action::Refresh);
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        QVERIFY2(outcome.details.join('\n').contains(rotation),
                 qPrintable(outcome.details.join('\n')));
        QVERIFY(!outcome.details.join('\n').contains("old-refresh")); // fingerprints, not tokens
        QCOMPARE(actions.tokens().accessToken, QByteArray("new-access"));
        QCOMPARE(actions.tokens().refreshToken, refreshAfter);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(recorded.size(), 1);

        const QByteArray request = server.requests.first();
        QVERIFY(request.startsWith("POST /token HTTP/1.1"));
        QVERIFY(request.contains("Authorization: " +
                                 TokenRequest::basicAuthorizationValue("cid", "sec ret")));
        QVERIFY(request.endsWith("grant_type=refresh_token&refresh_token=old-refresh"));
    }

    void refreshedIdTokenIsValidated()
    {
        const testjose::TestKey key = testjose::makeKey("ES256", "k");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QJsonObject claims{{"iss", "https://issuer.test"},
                           {"sub", "mallory"},
                           {"aud", "cid"},
                           {"exp", double(now + 60)},
                           {"iat", double(now)}};
        CannedServer server(jsonResponse(200, "{\"access_token\":\"new\",\"id_token\":\"" +
                                                  testjose::sign(key, claims) + "\"}"));
        server.route("/jwks", jsonResponse(200, testjose::jwks({key})));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        actions.setSession(configFor(server), tokens());
        QSignalSpy recorded(&actions, &TokenActions::exchangeRecorded);
        const auto outcome = testactions::run(actions, Action::Refresh);
        // The signature holds, but the refreshed ID token is about another user.
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("failed validation"));
        QVERIFY2(outcome.details.first().startsWith("sub: "), qPrintable(outcome.details.first()));
        QCOMPARE(outcome.idTokenChecks.size(), 12);
        QCOMPARE(recorded.size(), 2); // the token request and the JWKS fetch
    }

    void userInfoSendsTheBearerToken()
    {
        CannedServer server(jsonResponse(
            200, "{\"sub\":\"alice\",\"email\":\"a@example.test\",\"email_verified\":true,"
                 "\"updated_at\":1764400000,\"groups\":[\"a\",\"b\"],\"locale\":null}"));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        actions.setSession(configFor(server), tokens());
        const auto outcome = testactions::run(actions, Action::UserInfo);
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
        QVERIFY(outcome.details.join('\n').contains("sub matches"));
        QVERIFY(outcome.details.join('\n').contains("email: a@example.test"));
        // Every JSON type shown as its value, not left empty.
        QVERIFY(outcome.details.contains("email_verified: true"));
        QVERIFY(outcome.details.contains("updated_at: 1764400000"));
        QVERIFY(outcome.details.contains("groups: [\"a\",\"b\"]"));
        QVERIFY(outcome.details.contains("locale: null"));
        QVERIFY(server.requests.first().startsWith("GET /me HTTP/1.1"));
        QVERIFY(server.requests.first().contains("Authorization: Bearer old-access\r\n"));
    }

    void userInfoAboutAnotherUserIsRejected()
    {
        CannedServer server(jsonResponse(200, "{\"sub\":\"bob\"}"));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        actions.setSession(configFor(server), tokens());
        const auto outcome = testactions::run(actions, Action::UserInfo);
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("another user"));
    }

    // OIDC Core §5.3.2: UserInfo as a JWT, here signed then encrypted to the client's key.
    void encryptedUserInfoIsOpenedWithTheClientsKey()
    {
        const DecryptionKey ours = DecryptionKey::generate("RSA", "client-enc");
        const SigningKey issuer = SigningKey::generate("RS256", "as");
        QString error;
        const auto answerWith = [](const QByteArray &jwt) {
            return "HTTP/1.1 200 OK\r\nContent-Type: application/jwt\r\nContent-Length: " +
                   QByteArray::number(jwt.size()) + "\r\nConnection: close\r\n\r\n" + jwt;
        };
        const QByteArray signedClaims =
            issuer.sign({{"sub", "alice"}, {"email", "a@example.test"}});
        const QByteArray toUs = Jwe::encrypt(signedClaims, Jwk{ours.publicJwk()}, "RSA-OAEP-256",
                                             "A128GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!toUs.isEmpty(), qPrintable(error));
        {
            CannedServer server(answerWith(toUs));
            ExchangeClient client;
            IdTokenVerifier verifier(&client);
            TokenActions actions(&client, &verifier);
            ClientConfig config = configFor(server);
            config.decryptionKeyPem = QString::fromLatin1(ours.privatePem());
            actions.setSession(config, tokens());
            const auto outcome = testactions::run(actions, Action::UserInfo);
            QVERIFY2(outcome.succeeded, qPrintable(outcome.summary));
            const QString details = outcome.details.join('\n');
            QVERIFY2(details.contains("Decrypted with the client's key (RSA 2048): alg "
                                      "RSA-OAEP-256, enc A128GCM"),
                     qPrintable(details));
            QVERIFY(details.contains("sub matches"));
            QVERIFY(details.contains("email: a@example.test"));
        }
        {
            // Without the key the answer cannot be read, and the outcome says why.
            CannedServer server(answerWith(toUs));
            ExchangeClient client;
            IdTokenVerifier verifier(&client);
            TokenActions actions(&client, &verifier);
            actions.setSession(configFor(server), tokens());
            const auto outcome = testactions::run(actions, Action::UserInfo);
            QVERIFY(!outcome.succeeded);
            QVERIFY2(outcome.summary.contains("encrypted"), qPrintable(outcome.summary));
            QVERIFY(outcome.details.join('\n').contains("no decryption key is set"));
        }
    }

    void userInfoRefusal()
    {
        CannedServer server(
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n");
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        actions.setSession(configFor(server), tokens());
        const auto outcome = testactions::run(actions, Action::UserInfo);
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("HTTP 401"));
        QVERIFY(outcome.details.join('\n').contains(
            "WWW-Authenticate: Bearer error=\"invalid_token\""));
    }

    void introspection_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("succeeded");
        QTest::addColumn<QString>("summary");
        QTest::newRow("active") << QByteArray(
                                       "{\"active\":true,\"scope\":\"openid\",\"exp\":4102444800}")
                                << true << "is active";
        QTest::newRow("inactive") << QByteArray("{\"active\":false}") << true << "not active";
        QTest::newRow("no active member")
            << QByteArray("{\"scope\":\"openid\"}") << false << "no boolean";
        QTest::newRow("html") << QByteArray("<html>login</html>") << false << "no boolean";
    }
    void introspection()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, succeeded);
        QFETCH(QString, summary);
        CannedServer server(jsonResponse(200, body));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        actions.setSession(configFor(server), tokens());
        const auto outcome = testactions::run(actions, Action::Introspect, Target::RefreshToken);
        QCOMPARE(outcome.succeeded, succeeded);
        QVERIFY2(outcome.summary.contains(summary), qPrintable(outcome.summary));
        const QByteArray request = server.requests.first();
        QVERIFY(request.startsWith("POST /introspect HTTP/1.1"));
        QVERIFY(request.endsWith("token=old-refresh&token_type_hint=refresh_token"));
        QVERIFY(request.contains("Authorization: Basic "));
        if (body.contains("4102444800"))
            QVERIFY(outcome.details.join('\n').contains("exp: 2100-01-01T00:00:00Z"));
    }

    void revocation()
    {
        CannedServer server(jsonResponse(200, ""));
        server.route("/revoke-unsupported",
                     jsonResponse(400, "{\"error\":\"unsupported_token_type\"}"));
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        ClientConfig config = configFor(server);
        config.authMethod = ClientAuthMethod::None;
        actions.setSession(config, tokens());
        auto outcome = testactions::run(actions, Action::Revoke);
        QVERIFY(outcome.succeeded);
        QVERIFY(outcome.details.join('\n').contains("Introspect"));
        QVERIFY(server.requests.first().endsWith(
            "token=old-access&token_type_hint=access_token&client_id=cid"));
        // The revoked token is not offered for use any more; introspecting it still is.
        QVERIFY(actions.tokens().accessTokenRevoked);
        QVERIFY(!actions.tokens().refreshTokenRevoked);
        QCOMPARE(actions.unavailableReason(Action::UserInfo),
                 QStringLiteral("The access token was revoked."));
        QVERIFY(actions.unavailableReason(Action::Introspect).isEmpty());
        QVERIFY(actions.unavailableReason(Action::Refresh).isEmpty());
        // A new access token (a refresh) is not revoked.
        const TokenSet renewed =
            TokenSet::fromResponse(QJsonObject{{"access_token", "new-access"}},
                                   QDateTime::currentDateTimeUtc(), actions.tokens());
        QVERIFY(!renewed.accessTokenRevoked);
        outcome = testactions::run(actions, Action::Revoke, Target::RefreshToken);
        QVERIFY(outcome.succeeded);
        QVERIFY(actions.tokens().refreshTokenRevoked);
        QCOMPARE(actions.unavailableReason(Action::Refresh),
                 QStringLiteral("The refresh token was revoked."));

        config.revocationEndpoint = server.url("/revoke-unsupported");
        actions.setSession(config, tokens());
        QSignalSpy recorded(&actions, &TokenActions::exchangeRecorded);
        outcome = testactions::run(actions, Action::Revoke);
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("unsupported_token_type"));
        // The refusal is diagnosed like any other step.
        const auto diagnosis =
            Diagnoser().diagnose({recorded.first().first().value<HttpExchange>()}, 0);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->entryId, QStringLiteral("oauth.unsupported_token_type"));
        QVERIFY(diagnosis->toText().contains("Revoke the refresh token instead"));
    }

    void unavailableActionsSayWhy()
    {
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        QSignalSpy finished(&actions, &TokenActions::finished);
        TokenSet onlyAccess;
        onlyAccess.accessToken = "a";
        actions.setSession(ClientConfig{}, onlyAccess);
        QVERIFY(actions.unavailableReason(Action::Refresh).contains("token endpoint"));
        QVERIFY(actions.unavailableReason(Action::UserInfo).contains("UserInfo endpoint"));
        QVERIFY(actions.unavailableReason(Action::Introspect).contains("introspection endpoint"));
        QVERIFY(actions.unavailableReason(Action::Revoke).contains("revocation endpoint"));
        ClientConfig config;
        config.tokenEndpoint = QUrl("http://127.0.0.1:1/token");
        config.revocationEndpoint = QUrl("http://127.0.0.1:1/revoke");
        actions.setSession(config, onlyAccess);
        QVERIFY(actions.unavailableReason(Action::Refresh).contains("No refresh token"));
        QVERIFY(actions.unavailableReason(Action::Revoke, Target::RefreshToken)
                    .contains("No refresh token"));
        QVERIFY(actions.unavailableReason(Action::Revoke).isEmpty());
        // A client credentials token has no person behind it for UserInfo.
        config.userinfoEndpoint = QUrl("http://127.0.0.1:1/me");
        config.grant = GrantType::ClientCredentials;
        actions.setSession(config, onlyAccess);
        QVERIFY(actions.unavailableReason(Action::UserInfo).contains("client credentials"));
        config.grant = GrantType::AuthorizationCode;
        actions.setSession(config, onlyAccess);
        QVERIFY(actions.unavailableReason(Action::UserInfo).isEmpty());
        QVERIFY(!actions.run(Action::Refresh));
        QVERIFY(finished.isEmpty());
    }

    void noResponse()
    {
        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        ClientConfig config;
        config.revocationEndpoint = QUrl("http://127.0.0.1:1/revoke");
        actions.setSession(config, tokens());
        const auto outcome = testactions::run(actions, Action::Revoke);
        QVERIFY(!outcome.succeeded);
        QVERIFY(outcome.summary.contains("no HTTP response"));
    }

    void tokenSetFromResponse()
    {
        const QDateTime received = QDateTime::fromSecsSinceEpoch(1'000'000, Qt::UTC);
        const TokenSet first = TokenSet::fromResponse({{"access_token", "a1"},
                                                       {"refresh_token", "r1"},
                                                       {"expires_in", "3600"},
                                                       {"token_type", "Bearer"}},
                                                      received);
        QCOMPARE(first.accessTokenExpiresAt, received.addSecs(3600));
        const TokenSet second = TokenSet::fromResponse({{"access_token", "a2"}}, received, first);
        QCOMPARE(second.accessToken, QByteArray("a2"));
        QCOMPARE(second.refreshToken, QByteArray("r1"));
        QVERIFY(!second.accessTokenExpiresAt.isValid());
    }
};

QTEST_GUILESS_MAIN(TestTokenActions)
#include "tst_tokenactions.moc"
