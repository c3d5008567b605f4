#include "core/client/TokenRequest.h"

#include <QTest>

using namespace workbench;

class TestTokenRequest : public QObject
{
    Q_OBJECT

    static ClientConfig client(ClientAuthMethod method, const QString &secret = "s3cret")
    {
        ClientConfig config;
        config.tokenEndpoint = QUrl("https://as.example/token");
        config.clientId = "my-client";
        config.clientSecret = secret;
        config.authMethod = method;
        return config;
    }

private slots:
    void basicHeaderEncodesBeforeBase64_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QByteArray>("beforeBase64");
        QTest::newRow("plain") << "client"
                               << "secret" << QByteArray("client:secret");
        QTest::newRow("colon in secret") << "client"
                                         << "a:b" << QByteArray("client:a%3Ab");
        QTest::newRow("colon in id") << "my:client"
                                     << "x" << QByteArray("my%3Aclient:x");
        QTest::newRow("plus") << "client"
                              << "a+b" << QByteArray("client:a%2Bb");
        QTest::newRow("percent") << "client"
                                 << "100%" << QByteArray("client:100%25");
        QTest::newRow("space") << "client"
                               << "a b" << QByteArray("client:a+b");
        QTest::newRow("all of them")
            << "id with space"
            << "se:cr+et %value" << QByteArray("id+with+space:se%3Acr%2Bet+%25value");
        QTest::newRow("unicode") << "client" << QString::fromUtf8("pässwörd")
                                 << QByteArray("client:p%C3%A4ssw%C3%B6rd");
    }
    void basicHeaderEncodesBeforeBase64()
    {
        QFETCH(QString, clientId);
        QFETCH(QString, secret);
        QFETCH(QByteArray, beforeBase64);
        const QByteArray header = TokenRequest::basicAuthorizationValue(clientId, secret);
        QVERIFY(header.startsWith("Basic "));
        QCOMPARE(QByteArray::fromBase64(header.mid(6)), beforeBase64);
        // And back: the halves as sent, which decode to what went in.
        const auto parsed = TokenRequest::parseBasicAuthorization(header);
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->id + ':' + parsed->secret, beforeBase64);
        QCOMPARE(FormEncoding::decodeComponent(parsed->id), clientId);
        QCOMPARE(FormEncoding::decodeComponent(parsed->secret), secret);
    }

    void malformedBasicHeaders_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("bearer") << QByteArray("Bearer abc");
        QTest::newRow("no colon") << "Basic " + QByteArray("nocolon").toBase64();
        QTest::newRow("not base64") << QByteArray("Basic ***");
        QTest::newRow("empty") << QByteArray("Basic ");
    }
    void malformedBasicHeaders()
    {
        QFETCH(QByteArray, header);
        QVERIFY(!TokenRequest::parseBasicAuthorization(header).has_value());
    }

    void clientSecretBasic()
    {
        const auto request = TokenRequest::authorizationCode(
            client(ClientAuthMethod::ClientSecretBasic, "a:b"), "the code",
            QUrl("http://127.0.0.1:5000/callback"), "verifier");
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.url, QUrl("https://as.example/token"));
        QCOMPARE(request.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(request.header("Accept"), QByteArray("application/json"));
        QCOMPARE(request.header("Authorization"),
                 TokenRequest::basicAuthorizationValue("my-client", "a:b"));
        const FormFields form = FormEncoding::decode(request.body);
        QCOMPARE(FormEncoding::value(form, "grant_type"), QStringLiteral("authorization_code"));
        QCOMPARE(FormEncoding::value(form, "code"), QStringLiteral("the code"));
        QCOMPARE(FormEncoding::value(form, "redirect_uri"),
                 QStringLiteral("http://127.0.0.1:5000/callback"));
        QCOMPARE(FormEncoding::value(form, "code_verifier"), QStringLiteral("verifier"));
        QVERIFY(!FormEncoding::contains(form, "client_secret"));
        QVERIFY(!FormEncoding::contains(form, "client_id"));
        QVERIFY(request.body.contains("code=the+code"));
    }

    void clientSecretPost()
    {
        const auto request = TokenRequest::authorizationCode(
            client(ClientAuthMethod::ClientSecretPost, "se:cr+et %value"), "c",
            QUrl("http://127.0.0.1/cb"), {});
        QVERIFY(request.header("Authorization").isEmpty());
        const FormFields form = FormEncoding::decode(request.body);
        QCOMPARE(FormEncoding::value(form, "client_id"), QStringLiteral("my-client"));
        QCOMPARE(FormEncoding::value(form, "client_secret"), QStringLiteral("se:cr+et %value"));
        QVERIFY(request.body.contains("client_secret=se%3Acr%2Bet+%25value"));
        QVERIFY(!FormEncoding::contains(form, "code_verifier"));
    }

    void publicClientSendsOnlyItsId()
    {
        const auto request = TokenRequest::authorizationCode(
            client(ClientAuthMethod::None, "ignored"), "c", QUrl("http://127.0.0.1/cb"), "v");
        QVERIFY(request.header("Authorization").isEmpty());
        const FormFields form = FormEncoding::decode(request.body);
        QCOMPARE(FormEncoding::value(form, "client_id"), QStringLiteral("my-client"));
        QVERIFY(!FormEncoding::contains(form, "client_secret"));
        QVERIFY(!request.body.contains("ignored"));
    }

    void extraTokenParametersAreAppended()
    {
        ClientConfig config = client(ClientAuthMethod::None);
        config.extraTokenParameters = {{"resource", "https://api.example/"}};
        const auto request =
            TokenRequest::authorizationCode(config, "c", QUrl("http://127.0.0.1/cb"), {});
        QCOMPARE(FormEncoding::value(FormEncoding::decode(request.body), "resource"),
                 QStringLiteral("https://api.example/"));
    }

    void clientCredentialsCarriesScopeAndAuthentication()
    {
        ClientConfig config = client(ClientAuthMethod::ClientSecretBasic);
        config.scope = QStringLiteral("  api:read api:write ");
        const auto request = TokenRequest::clientCredentials(config);
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.url, config.tokenEndpoint);
        QCOMPARE(request.body,
                 QByteArray("grant_type=client_credentials&scope=api%3Aread+api%3Awrite"));
        QCOMPARE(request.header("Authorization"),
                 TokenRequest::basicAuthorizationValue("my-client", "s3cret"));

        config.scope.clear();
        config.authMethod = ClientAuthMethod::ClientSecretPost;
        const auto post = TokenRequest::clientCredentials(config);
        QCOMPARE(post.body, QByteArray("grant_type=client_credentials&client_id=my-client&"
                                       "client_secret=s3cret"));
        QVERIFY(post.header("Authorization").isEmpty());
    }

    void passwordGrant()
    {
        ClientConfig config = client(ClientAuthMethod::ClientSecretPost);
        config.grant = GrantType::Password;
        config.username = "alice@example.test";
        config.password = "p&ss word=1";
        config.scope = " openid  profile ";
        const HttpRequestSpec request = *TokenRequest::forGrant(config);
        const FormFields form = FormEncoding::decode(request.body);
        QCOMPARE(FormEncoding::value(form, "grant_type"), QStringLiteral("password"));
        QCOMPARE(FormEncoding::value(form, "username"), config.username);
        QCOMPARE(FormEncoding::value(form, "password"), config.password);
        QCOMPARE(FormEncoding::value(form, "scope"), QStringLiteral("openid profile"));
        QCOMPARE(FormEncoding::value(form, "client_secret"), config.clientSecret);
        QVERIFY(config.warnings().join(' ').contains("legacy"));
        config.username.clear();
        QVERIFY(config.validate().join(' ').contains("username"));
    }

    void tokenExchangeGrant()
    {
        ClientConfig config = client(ClientAuthMethod::ClientSecretBasic);
        config.grant = GrantType::TokenExchange;
        config.subjectToken = "subject-at";
        config.actorToken = "actor-at";
        config.actorTokenType = "urn:ietf:params:oauth:token-type:access_token";
        config.requestedTokenType = "urn:ietf:params:oauth:token-type:jwt";
        config.audience = "https://api.example";
        config.resources = {"https://api.example/orders", "https://api.example/users"};
        QVERIFY(config.validate().isEmpty());
        const FormFields form = FormEncoding::decode(TokenRequest::forGrant(config)->body);
        QCOMPARE(FormEncoding::value(form, "grant_type"),
                 QStringLiteral("urn:ietf:params:oauth:grant-type:token-exchange"));
        QCOMPARE(FormEncoding::value(form, "subject_token"), QStringLiteral("subject-at"));
        QCOMPARE(FormEncoding::value(form, "subject_token_type"),
                 QStringLiteral("urn:ietf:params:oauth:token-type:access_token"));
        QCOMPARE(FormEncoding::value(form, "actor_token"), QStringLiteral("actor-at"));
        QCOMPARE(FormEncoding::value(form, "requested_token_type"), config.requestedTokenType);
        QCOMPARE(FormEncoding::value(form, "audience"), config.audience);
        int resources = 0;
        for (const auto &field : form)
            resources += field.first == "resource";
        QCOMPARE(resources, 2); // RFC 8707: one parameter per resource
        config.actorTokenType.clear();
        QVERIFY(config.validate().join(' ').contains("actor_token_type"));
        config.subjectToken.clear();
        QVERIFY(config.validate().join(' ').contains("subject token"));
    }

    void refreshGrantWithAPastedToken()
    {
        ClientConfig config = client(ClientAuthMethod::None);
        config.grant = GrantType::RefreshToken;
        QVERIFY(config.validate().join(' ').contains("refresh token"));
        config.refreshToken = "  rt-1 \n";
        config.scope = "read";
        const FormFields form = FormEncoding::decode(TokenRequest::forGrant(config)->body);
        QCOMPARE(FormEncoding::value(form, "refresh_token"), QStringLiteral("rt-1"));
        QCOMPARE(FormEncoding::value(form, "scope"), QStringLiteral("read"));
        QCOMPARE(FormEncoding::value(form, "client_id"), QStringLiteral("my-client"));
    }

    void browserGrantsAreNotOneRequest()
    {
        ClientConfig config = client(ClientAuthMethod::None);
        for (const GrantType grant : {GrantType::AuthorizationCode, GrantType::DeviceCode,
                                      GrantType::Implicit, GrantType::Hybrid}) {
            config.grant = grant;
            QVERIFY(!TokenRequest::forGrant(config).has_value());
        }
    }

    void pushedRequestAuthenticatesWithoutRepeatingClientId()
    {
        ClientConfig config = client(ClientAuthMethod::ClientSecretPost);
        config.pushedAuthorizationRequestEndpoint = QUrl("https://as.example/par");
        const HttpRequestSpec request = TokenRequest::pushedAuthorization(
            config, {{"response_type", "code"}, {"client_id", "my-client"}, {"state", "s"}});
        QCOMPARE(request.url, config.pushedAuthorizationRequestEndpoint);
        const FormFields form = FormEncoding::decode(request.body);
        int ids = 0;
        for (const auto &field : form)
            ids += field.first == "client_id";
        QCOMPARE(ids, 1);
        QCOMPARE(FormEncoding::value(form, "client_secret"), config.clientSecret);
        QCOMPARE(FormEncoding::value(form, "state"), QStringLiteral("s"));
    }

    void grantNames()
    {
        for (const GrantType grant : allGrantTypes()) {
            GrantType parsed{};
            QVERIFY(grantTypeFromName(grantTypeName(grant), &parsed));
            QCOMPARE(parsed, grant);
        }
        GrantType parsed{};
        QVERIFY(!grantTypeFromName("urn:ietf:params:oauth:grant-type:saml2-bearer", &parsed));
    }

    void authMethodNames()
    {
        for (const auto method : allClientAuthMethods()) {
            ClientAuthMethod parsed{};
            QVERIFY(clientAuthMethodFromName(clientAuthMethodName(method), &parsed));
            QCOMPARE(parsed, method);
        }
        ClientAuthMethod parsed{};
        QVERIFY(!clientAuthMethodFromName("client_secret_jwtt", &parsed));
        QVERIFY(!clientAuthMethodFromName("self_signed_tls_client_auth", &parsed));
    }
};

QTEST_GUILESS_MAIN(TestTokenRequest)
#include "tst_tokenrequest.moc"
