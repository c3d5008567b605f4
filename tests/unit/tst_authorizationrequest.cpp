#include "core/flows/AuthorizationRequest.h"

#include <QTest>
#include <QUrlQuery>

using namespace workbench;

class TestAuthorizationRequest : public QObject
{
    Q_OBJECT

    static ClientConfig config()
    {
        ClientConfig c;
        c.authorizationEndpoint = QUrl("https://as.example/authorize");
        c.tokenEndpoint = QUrl("https://as.example/token");
        c.clientId = "client id";
        c.clientSecret = "x";
        c.scope = "openid  profile email";
        return c;
    }
    static FormFields queryOf(const QUrl &url)
    {
        return FormEncoding::decode(url.query(QUrl::FullyEncoded).toLatin1());
    }

private slots:
    void buildsTheStandardParameters()
    {
        const Pkce pkce = Pkce::generate();
        const auto request = AuthorizationRequest::forClient(
            config(), QUrl("http://127.0.0.1:49152/callback"), "st", "nn", &pkce);
        const QUrl url = request.toUrl();
        QCOMPARE(url.host(), QStringLiteral("as.example"));
        QCOMPARE(url.path(), QStringLiteral("/authorize"));
        const FormFields q = queryOf(url);
        QCOMPARE(FormEncoding::value(q, "response_type"), QStringLiteral("code"));
        QCOMPARE(FormEncoding::value(q, "client_id"), QStringLiteral("client id"));
        QCOMPARE(FormEncoding::value(q, "redirect_uri"),
                 QStringLiteral("http://127.0.0.1:49152/callback"));
        QCOMPARE(FormEncoding::value(q, "scope"), QStringLiteral("openid profile email"));
        QCOMPARE(FormEncoding::value(q, "state"), QStringLiteral("st"));
        QCOMPARE(FormEncoding::value(q, "nonce"), QStringLiteral("nn"));
        QCOMPARE(FormEncoding::value(q, "code_challenge"), QString::fromLatin1(pkce.challenge));
        QCOMPARE(FormEncoding::value(q, "code_challenge_method"), QStringLiteral("S256"));
        // Spaces travel as %20 in the URL, which every server decodes.
        QVERIFY(url.toString(QUrl::FullyEncoded).contains("scope=openid%20profile%20email"));
        QVERIFY(url.toString(QUrl::FullyEncoded).contains("client_id=client%20id"));
        // The verifier itself never appears in the front channel.
        QVERIFY(!url.toString(QUrl::FullyEncoded).contains(QString::fromLatin1(pkce.verifier)));
    }

    void nonceOnlyForOpenId()
    {
        ClientConfig c = config();
        c.scope = "read write";
        const auto request =
            AuthorizationRequest::forClient(c, QUrl("http://127.0.0.1/cb"), "s", "n", nullptr);
        const FormFields q = queryOf(request.toUrl());
        QVERIFY(!FormEncoding::contains(q, "nonce"));
        QVERIFY(!FormEncoding::contains(q, "code_challenge"));
        QVERIFY(!FormEncoding::contains(q, "code_challenge_method"));
    }

    void keepsTheEndpointsOwnQuery()
    {
        ClientConfig c = config();
        c.authorizationEndpoint = QUrl("https://as.example/authorize?p=B2C_1_signin&x=a%2Bb");
        const QUrl url =
            AuthorizationRequest::forClient(c, QUrl("http://127.0.0.1/cb"), "s", "n", nullptr)
                .toUrl();
        const FormFields q = queryOf(url);
        QCOMPARE(FormEncoding::value(q, "p"), QStringLiteral("B2C_1_signin"));
        QCOMPARE(FormEncoding::value(q, "x"), QStringLiteral("a+b"));
        QCOMPARE(FormEncoding::value(q, "response_type"), QStringLiteral("code"));
    }

    void extraParameters_data()
    {
        QTest::addColumn<FormFields>("extra");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("occurrences");
        QTest::newRow("added") << FormFields{{"prompt", "consent"}} << "prompt"
                               << "consent" << 1;
        QTest::newRow("overrides built-in")
            << FormFields{{"response_type", "token"}} << "response_type"
            << "token" << 1;
        QTest::newRow("reserved characters")
            << FormFields{{"claims", "{\"a\":\"b&c\"}"}} << "claims"
            << "{\"a\":\"b&c\"}" << 1;
    }
    void extraParameters()
    {
        QFETCH(FormFields, extra);
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QFETCH(int, occurrences);
        ClientConfig c = config();
        c.extraAuthorizationParameters = extra;
        const FormFields q = queryOf(
            AuthorizationRequest::forClient(c, QUrl("http://127.0.0.1/cb"), "s", "n", nullptr)
                .toUrl());
        QCOMPARE(FormEncoding::value(q, name), expected);
        int seen = 0;
        for (const auto &field : q)
            seen += field.first == name ? 1 : 0;
        QCOMPARE(seen, occurrences);
    }

    void configValidation_data()
    {
        QTest::addColumn<QString>("redirect");
        QTest::addColumn<QString>("authMethod");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<bool>("valid");
        QTest::newRow("loopback ip") << "http://127.0.0.1/callback"
                                     << "client_secret_basic"
                                     << "x" << true;
        QTest::newRow("loopback with port") << "http://127.0.0.1:8400/cb"
                                            << "none"
                                            << "" << true;
        QTest::newRow("localhost") << "http://localhost/cb"
                                   << "none"
                                   << "" << true;
        QTest::newRow("ipv6 loopback") << "http://[::1]/cb"
                                       << "none"
                                       << "" << true;
        QTest::newRow("not loopback") << "http://example.com/cb"
                                      << "none"
                                      << "" << false;
        QTest::newRow("https loopback") << "https://127.0.0.1/cb"
                                        << "none"
                                        << "" << false;
        QTest::newRow("custom scheme") << "com.example.app:/cb"
                                       << "none"
                                       << "" << false;
        QTest::newRow("secret missing") << "http://127.0.0.1/cb"
                                        << "client_secret_post"
                                        << "" << false;
    }
    void configValidation()
    {
        QFETCH(QString, redirect);
        QFETCH(QString, authMethod);
        QFETCH(QString, secret);
        QFETCH(bool, valid);
        ClientConfig c = config();
        c.redirectUri = QUrl(redirect);
        c.clientSecret = secret;
        QVERIFY(clientAuthMethodFromName(authMethod, &c.authMethod));
        QCOMPARE(c.validate().isEmpty(), valid);
    }

    void warnings()
    {
        ClientConfig c = config();
        QVERIFY(c.warnings().isEmpty());
        c.pkceMethod = Pkce::Method::Plain;
        QVERIFY(c.warnings().join(' ').contains("plain"));
        c = config();
        c.redirectUri = QUrl("http://localhost/cb");
        QVERIFY(c.warnings().join(' ').contains("127.0.0.1"));
        c = config();
        c.tokenEndpoint = QUrl("http://as.example/token");
        QVERIFY(c.warnings().join(' ').contains("unencrypted"));
    }

    void requestOptionsAreSent()
    {
        ClientConfig c = config();
        c.responseMode = "form_post";
        c.prompt = "login  consent";
        c.loginHint = "alice@example.test";
        c.maxAge = "0";
        c.acrValues = "urn:mace:incommon:iap:silver";
        c.claims = "{\"id_token\":{\"acr\":{\"essential\":true}}}";
        c.audience = "https://api.example";
        c.resources = {"https://api.example/a", "https://api.example/b"};
        QVERIFY(c.validate().isEmpty());
        const FormFields fields =
            AuthorizationRequest::forClient(c, c.redirectUri, "st", "nn", nullptr).parameters();
        QCOMPARE(FormEncoding::value(fields, "response_mode"), QStringLiteral("form_post"));
        QCOMPARE(FormEncoding::value(fields, "prompt"), QStringLiteral("login consent"));
        QCOMPARE(FormEncoding::value(fields, "login_hint"), c.loginHint);
        QCOMPARE(FormEncoding::value(fields, "max_age"), QStringLiteral("0"));
        QCOMPARE(FormEncoding::value(fields, "acr_values"), c.acrValues);
        QCOMPARE(FormEncoding::value(fields, "claims"), c.claims);
        QCOMPARE(FormEncoding::value(fields, "audience"), c.audience);
        int resources = 0;
        for (const auto &field : fields)
            resources += field.first == "resource";
        QCOMPARE(resources, 2);

        c.maxAge = "an hour";
        QVERIFY(c.validate().join(' ').contains("max_age"));
        c.maxAge.clear();
        c.claims = "[1,2]";
        QVERIFY(c.validate().join(' ').contains("claims"));
    }

    void legacyGrantsAskForTokensInTheRedirect_data()
    {
        QTest::addColumn<QString>("grant");
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("responseType");
        QTest::addColumn<bool>("nonce");
        QTest::newRow("implicit, OAuth") << "implicit"
                                         << "read"
                                         << "token" << false;
        QTest::newRow("implicit, OIDC") << "implicit"
                                        << "openid"
                                        << "id_token token" << true;
        QTest::newRow("hybrid") << "hybrid"
                                << "openid"
                                << "code id_token" << true;
        QTest::newRow("code, OAuth") << "authorization_code"
                                     << "read"
                                     << "code" << false;
    }
    void legacyGrantsAskForTokensInTheRedirect()
    {
        QFETCH(QString, grant);
        QFETCH(QString, scope);
        QFETCH(QString, responseType);
        QFETCH(bool, nonce);
        ClientConfig c = config();
        QVERIFY(grantTypeFromName(grant, &c.grant));
        c.scope = scope;
        const AuthorizationRequest request =
            AuthorizationRequest::forClient(c, c.redirectUri, "st", "nn", nullptr);
        QCOMPARE(request.responseType, responseType);
        QCOMPARE(FormEncoding::contains(request.parameters(), "nonce"), nonce);
        QCOMPARE(c.warnings().join(' ').contains("legacy"), grant == "implicit");
    }

    void tlsAndTransportWarnings()
    {
        ClientConfig c = config();
        c.tls.skipVerification = true;
        QVERIFY(c.warnings().join(' ').contains("verification is OFF"));
        c = config();
        c.authorizationEndpoint = QUrl("http://login.example.com/authorize");
        QVERIFY(c.warnings().join(' ').contains("plain http"));
        c = config();
        c.usePar = true;
        QVERIFY(c.validate().join(' ').contains("pushed_authorization_request_endpoint"));
        c.pushedAuthorizationRequestEndpoint = QUrl("https://as.example/par");
        QVERIFY(c.validate().isEmpty());
        c.useRequestObject = true;
        QVERIFY(c.validate().join(' ').contains("request object"));
    }

    void parameterLines()
    {
        QStringList errors;
        const FormFields fields =
            parseParameterLines("prompt=consent\n# comment\n\n max_age = 0 \nbroken\n", &errors);
        QCOMPARE(fields, (FormFields{{"prompt", "consent"}, {"max_age", "0"}}));
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.first().contains("Line 5"));
        QCOMPARE(formatParameterLines(fields), QStringLiteral("prompt=consent\nmax_age=0"));
    }
};

QTEST_GUILESS_MAIN(TestAuthorizationRequest)
#include "tst_authorizationrequest.moc"
