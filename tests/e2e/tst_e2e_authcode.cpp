// End to end: the app's core against a real, certified OpenID provider (oidc-provider, started
// here on loopback) and a real headless Chromium that logs in through the provider's pages.
#include "core/client/TokenRequest.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/discovery/ProviderDiscovery.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/listener/LoopbackListener.h"
#include "core/tokens/IdTokenVerifier.h"
#include "core/tokens/TokenActions.h"

#include "E2eEnvironment.h"
#include "TestHttp.h"
#include "TokenActionsTest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace workbench;

Q_DECLARE_METATYPE(workbench::FlowOutcome)
Q_DECLARE_METATYPE(workbench::CapturedRedirect)
Q_DECLARE_METATYPE(workbench::ProviderMetadata)

namespace {
QJsonObject jwtPayload(const QString &jwt)
{
    const QStringList parts = jwt.split(QLatin1Char('.'));
    if (parts.size() != 3)
        return {};
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding))
        .object();
}
} // namespace

class TestE2eAuthorizationCode : public QObject
{
    Q_OBJECT

    struct Run
    {
        FlowOutcome outcome;
        QList<HttpExchange> exchanges;
        QList<CapturedRedirect> redirects;
        QJsonObject browser;
        QByteArray state;
        QByteArray nonce;
        QUrl redirectUri;
        std::optional<Pkce> pkce;
    };

    e2e::Environment m_env;

    QJsonObject client(const QString &key) const { return m_env.client(key); }
    QJsonObject discovery() const { return m_env.discovery(); }

    ClientConfig configFor(const QString &key, ClientAuthMethod method, bool pkce) const
    {
        ClientConfig config;
        config.authorizationEndpoint = QUrl(discovery().value("authorization_endpoint").toString());
        config.tokenEndpoint = QUrl(discovery().value("token_endpoint").toString());
        config.clientId = client(key).value("client_id").toString();
        config.clientSecret = client(key).value("client_secret").toString();
        config.authMethod = method;
        config.scope = "openid email";
        config.redirectUri = QUrl("http://127.0.0.1/callback"); // port chosen at start
        config.usePkce = pkce;
        config.privateKeyPem = client(key).value("private_key_pem").toString();
        config.keyId = client(key).value("kid").toString();
        config.signingAlgorithm =
            client(key).value("token_endpoint_auth_signing_alg").toString("RS256");
        return config;
    }

    // The same, with everything discovery gives: issuer, JWKS and the other endpoints.
    ClientConfig discoveredConfigFor(const QString &key, ClientAuthMethod method) const
    {
        ClientConfig config = configFor(key, method, true);
        config.issuer = QUrl(m_env.issuer());
        config.jwksUri = QUrl(discovery().value("jwks_uri").toString());
        config.userinfoEndpoint = QUrl(discovery().value("userinfo_endpoint").toString());
        config.introspectionEndpoint = QUrl(discovery().value("introspection_endpoint").toString());
        config.revocationEndpoint = QUrl(discovery().value("revocation_endpoint").toString());
        for (const QJsonValue &alg :
             discovery().value("id_token_signing_alg_values_supported").toArray())
            config.idTokenSigningAlgorithms << alg.toString();
        return config;
    }

    // `beforeBrowser`, when given, runs with the redirect URI once the flow listens, before the
    // browser opens the authorization URL.
    Run runFlow(const ClientConfig &config,
                const std::function<void(const QUrl &)> &beforeBrowser = {})
    {
        Run run;
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QProcess browser;
        connect(&flow, &AuthorizationCodeFlow::authorizationUrlReady, this, [&](const QUrl &url) {
            if (beforeBrowser)
                beforeBrowser(flow.redirectUri());
            m_env.openInBrowser(browser, url);
        });
        connect(&flow, &AuthorizationCodeFlow::redirectCaptured, this,
                [&](const CapturedRedirect &redirect) { run.redirects << redirect; });
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        flow.start(config);
        if (finished.isEmpty() && !finished.wait(60000)) {
            flow.cancel();
            run.outcome = {FlowOutcome::Result::Cancelled, "no outcome within 60 s", {}, {}};
        } else {
            run.outcome = finished.first().first().value<FlowOutcome>();
        }
        // Keep the event loop running: the listener still has to write its page to the browser.
        run.browser = e2e::Environment::browserResult(browser);
        run.exchanges = flow.exchanges();
        run.state = flow.state();
        run.nonce = flow.nonce();
        run.redirectUri = flow.redirectUri();
        run.pkce = flow.pkce();
        return run;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<CapturedRedirect>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(m_env.issuer().startsWith("http://127.0.0.1:"));
    }

    void cleanupTestCase() { m_env.stop(); }

    // The functions run as two ctest entries (so each stays well inside its time limit under
    // the sanitizers); none may fall out of both.
    void everyTestRunsInAPart()
    {
        QCOMPARE(e2e::testFunctions(metaObject(), "everyTestRunsInAPart"),
                 e2e::listedTestFunctions("WORKBENCH_AUTHCODE_TESTS"));
    }

    void codeFlowSucceeds_data()
    {
        QTest::addColumn<QString>("clientKey");
        QTest::addColumn<QString>("authMethod");
        QTest::addColumn<bool>("pkce");
        QTest::newRow("confidential, client_secret_basic") << "confidentialBasic"
                                                           << "client_secret_basic" << false;
        QTest::newRow("confidential, client_secret_basic, PKCE") << "confidentialBasic"
                                                                 << "client_secret_basic" << true;
        QTest::newRow("confidential, client_secret_post, PKCE") << "confidentialPost"
                                                                << "client_secret_post" << true;
        QTest::newRow("public, PKCE S256") << "public"
                                           << "none" << true;
        QTest::newRow("client_secret_jwt (HS256 assertion), PKCE") << "secretJwt"
                                                                   << "client_secret_jwt" << true;
        QTest::newRow("private_key_jwt, RS256 PEM key, PKCE") << "privateKeyJwtRsa"
                                                              << "private_key_jwt" << true;
        QTest::newRow("private_key_jwt, ES256 PEM key, PKCE") << "privateKeyJwtEc"
                                                              << "private_key_jwt" << true;
    }
    void codeFlowSucceeds()
    {
        QFETCH(QString, clientKey);
        QFETCH(QString, authMethod);
        QFETCH(bool, pkce);
        ClientAuthMethod method{};
        QVERIFY(clientAuthMethodFromName(authMethod, &method));
        const ClientConfig config = configFor(clientKey, method, pkce);
        const Run run = runFlow(config);

        QVERIFY2(run.outcome.succeeded(),
                 qPrintable(run.outcome.summary + "\n" + run.outcome.details.join("\n") + "\n" +
                            QJsonDocument(run.browser).toJson()));

        // A successful flow has nothing to diagnose.
        for (qsizetype i = 0; i < run.exchanges.size(); ++i)
            QVERIFY(!Diagnoser().diagnose(run.exchanges, i).has_value());

        // The browser saw the app's page telling the person to go back.
        QCOMPARE(run.browser.value("outcome").toString(), QStringLiteral("ok"));
        QVERIFY(run.browser.value("text").toString().contains("return to OAuth Workbench"));
        QVERIFY(run.browser.value("finalUrl").toString().startsWith(run.redirectUri.toString()));

        // The redirect: code, our state, and the issuer (RFC 9207).
        QCOMPARE(run.redirects.size(), 1);
        const CapturedRedirect &redirect = run.redirects.first();
        QCOMPARE(redirect.stateCheck, CapturedRedirect::StateCheck::Matched);
        QCOMPARE(redirect.value("state"), QString::fromLatin1(run.state));
        QCOMPARE(redirect.value("iss"), m_env.issuer());
        QVERIFY(!redirect.value("code").isEmpty());

        // Three recorded steps: the browser's request, the callback, the token exchange.
        QCOMPARE(run.exchanges.size(), 3);
        QCOMPARE(run.exchanges.at(0).kind, HttpExchange::Kind::BrowserNavigation);
        QCOMPARE(run.exchanges.at(1).kind, HttpExchange::Kind::LoopbackCallback);
        QVERIFY(run.exchanges.at(1).rawRequest().startsWith("GET /callback?"));
        const HttpExchange &token = run.exchanges.at(2);
        QCOMPARE(token.kind, HttpExchange::Kind::BackChannel);
        QCOMPARE(token.request.method, QByteArray("POST"));
        QCOMPARE(token.request.url, config.tokenEndpoint);
        QCOMPARE(token.status, 200);
        QVERIFY(token.responseHeader("Content-Type").startsWith("application/json"));
        QVERIFY(token.networkError.isEmpty());
        QVERIFY(token.elapsedMs >= 0);

        const FormFields sent = FormEncoding::decode(token.request.body);
        QCOMPARE(FormEncoding::value(sent, "grant_type"), QStringLiteral("authorization_code"));
        QCOMPARE(FormEncoding::value(sent, "code"), redirect.value("code"));
        QCOMPARE(FormEncoding::value(sent, "redirect_uri"), run.redirectUri.toString());
        QCOMPARE(FormEncoding::contains(sent, "code_verifier"), pkce);
        if (pkce)
            QCOMPARE(FormEncoding::value(sent, "code_verifier"),
                     QString::fromLatin1(run.pkce->verifier));
        switch (method) {
        case ClientAuthMethod::ClientSecretBasic: {
            // The secret has ':', '+', '%' and spaces: the provider only accepted it because they
            // were form-encoded before base64.
            const QByteArray header = token.request.header("Authorization");
            QCOMPARE(header,
                     TokenRequest::basicAuthorizationValue(config.clientId, config.clientSecret));
            const QByteArray decoded = QByteArray::fromBase64(header.mid(6));
            QVERIFY(decoded.contains("%3A") && decoded.contains("%2B") && decoded.contains("%25") &&
                    decoded.contains('+'));
            QVERIFY(!FormEncoding::contains(sent, "client_secret"));
            break;
        }
        case ClientAuthMethod::ClientSecretPost:
            QCOMPARE(FormEncoding::value(sent, "client_secret"), config.clientSecret);
            QVERIFY(token.request.header("Authorization").isEmpty());
            break;
        case ClientAuthMethod::TlsClientAuth:
        case ClientAuthMethod::None:
            QCOMPARE(FormEncoding::value(sent, "client_id"), config.clientId);
            QVERIFY(!FormEncoding::contains(sent, "client_secret"));
            QVERIFY(token.request.header("Authorization").isEmpty());
            break;
        case ClientAuthMethod::ClientSecretJwt:
        case ClientAuthMethod::PrivateKeyJwt: {
            // RFC 7523 §2.2 and §3: the provider verified the signature, iss, sub, aud, exp and
            // jti.
            QCOMPARE(FormEncoding::value(sent, "client_assertion_type"),
                     QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            const QString assertion = FormEncoding::value(sent, "client_assertion");
            const QJsonObject header =
                QJsonDocument::fromJson(
                    QByteArray::fromBase64(assertion.section('.', 0, 0).toLatin1(),
                                           QByteArray::Base64UrlEncoding))
                    .object();
            QCOMPARE(header.value("alg").toString(), method == ClientAuthMethod::ClientSecretJwt
                                                         ? QStringLiteral("HS256")
                                                         : config.signingAlgorithm);
            const QJsonObject claims = jwtPayload(assertion);
            QCOMPARE(claims.value("iss").toString(), config.clientId);
            QCOMPARE(claims.value("sub").toString(), config.clientId);
            QCOMPARE(claims.value("aud").toString(), config.tokenEndpoint.toString());
            QVERIFY(claims.value("exp").toInteger() > claims.value("iat").toInteger());
            QVERIFY(!claims.value("jti").toString().isEmpty());
            QVERIFY(!FormEncoding::contains(sent, "client_secret"));
            QVERIFY(token.request.header("Authorization").isEmpty());
            break;
        }
        }

        // The token response, and the ID token issued for this very request.
        const QJsonObject tokens = run.outcome.tokenResponse;
        QVERIFY(!tokens.value("access_token").toString().isEmpty());
        QCOMPARE(tokens.value("token_type").toString(), QStringLiteral("Bearer"));
        QVERIFY(tokens.value("expires_in").toInt() > 0);
        QVERIFY(tokens.value("scope").toString().split(' ').contains("openid"));
        const QJsonObject idToken = jwtPayload(tokens.value("id_token").toString());
        QCOMPARE(idToken.value("iss").toString(), m_env.issuer());
        QCOMPARE(idToken.value("aud").toString(), config.clientId);
        QCOMPARE(idToken.value("nonce").toString(), QString::fromLatin1(run.nonce));
        QCOMPARE(idToken.value("sub").toString(), QStringLiteral("alice"));
    }

    // The ID token of each signing algorithm the provider offers is validated against the JWKS
    // it publishes (or, for HS256, the client secret): every check of OIDC Core 3.1.3.7 passes.
    void idTokenIsValidatedAgainstTheProvidersKeys_data()
    {
        QTest::addColumn<QString>("clientKey");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("keyId");
        QTest::newRow("RS256") << "public"
                               << "RS256"
                               << "rsa-e2e";
        QTest::newRow("PS256") << "publicPs256"
                               << "PS256"
                               << "rsa-e2e";
        QTest::newRow("ES256") << "publicEs256"
                               << "ES256"
                               << "ec-e2e";
        QTest::newRow("EdDSA") << "publicEdDsa"
                               << "EdDSA"
                               << "ed-e2e";
        QTest::newRow("HS256 with the client secret") << "confidentialHs256"
                                                      << "HS256"
                                                      << "";
    }
    void idTokenIsValidatedAgainstTheProvidersKeys()
    {
        QFETCH(QString, clientKey);
        QFETCH(QString, alg);
        QFETCH(QString, keyId);
        const bool symmetric = alg.startsWith("HS");
        const ClientConfig config = discoveredConfigFor(
            clientKey, symmetric ? ClientAuthMethod::ClientSecretBasic : ClientAuthMethod::None);
        const Run run = runFlow(config);
        QVERIFY2(run.outcome.succeeded(),
                 qPrintable(run.outcome.summary + "\n" + run.outcome.details.join("\n")));
        const QList<TokenCheck> &checks = run.outcome.idTokenChecks;
        QCOMPARE(checks.size(), 12);
        QCOMPARE(testactions::checkNamed(checks, "alg").detail, alg);
        const TokenCheck signature = testactions::checkNamed(checks, "signature");
        QCOMPARE(signature.status, TokenCheck::Status::Passed);
        if (symmetric)
            QVERIFY(signature.detail.contains("client secret"));
        else
            QVERIFY2(signature.detail.contains("key " + keyId), qPrintable(signature.detail));
        for (const char *name : {"iss", "sub", "aud", "exp", "iat", "nonce"})
            QVERIFY2(
                testactions::checkNamed(checks, name).status == TokenCheck::Status::Passed,
                qPrintable(QString(name) + ": " + testactions::checkNamed(checks, name).detail));
        // This provider puts at_hash only in front-channel ID tokens; absent, it is skipped.
        QCOMPARE(testactions::checkNamed(checks, "at_hash").status, TokenCheck::Status::Skipped);
        // The JWKS was fetched (and recorded) only when a key was needed.
        QCOMPARE(run.exchanges.size(), symmetric ? 3 : 4);
        if (!symmetric)
            QCOMPARE(run.exchanges.last().request.url, config.jwksUri);
    }

    // The request variants: pushed (RFC 9126), signed request objects (RFC 9101), form_post, and
    // the OIDC request options, each against the provider, each recorded as it went.
    void requestVariantsSucceed_data()
    {
        QTest::addColumn<QString>("clientKey");
        QTest::addColumn<bool>("par");
        QTest::addColumn<bool>("requestObject");
        QTest::addColumn<QString>("responseMode");
        QTest::newRow("PAR, public client") << "public" << true << false << "";
        QTest::newRow("PAR, private_key_jwt") << "privateKeyJwtRsa" << true << false << "";
        QTest::newRow("request object (RS256), no PAR")
            << "privateKeyJwtRsa" << false << true << "";
        QTest::newRow("request object (ES256) pushed") << "privateKeyJwtEc" << true << true << "";
        QTest::newRow("response_mode=form_post") << "public" << false << false << "form_post";
        QTest::newRow("response_mode=fragment (relay page)")
            << "public" << false << false << "fragment";
    }
    void requestVariantsSucceed()
    {
        QFETCH(QString, clientKey);
        QFETCH(bool, par);
        QFETCH(bool, requestObject);
        QFETCH(QString, responseMode);
        ClientAuthMethod method{};
        QVERIFY(clientAuthMethodFromName(
            client(clientKey).value("token_endpoint_auth_method").toString(), &method));
        ClientConfig config = discoveredConfigFor(clientKey, method);
        config.privateKeyPem = client(clientKey).value("private_key_pem").toString();
        config.keyId = client(clientKey).value("kid").toString();
        config.signingAlgorithm =
            client(clientKey).value("token_endpoint_auth_signing_alg").toString("RS256");
        config.pushedAuthorizationRequestEndpoint =
            QUrl(discovery().value("pushed_authorization_request_endpoint").toString());
        config.issuerInAuthorizationResponse = true;
        config.usePar = par;
        config.useRequestObject = requestObject;
        config.responseMode = responseMode;
        config.loginHint = "alice";
        config.maxAge = "3600";
        config.claims = R"({"id_token":{"email":{"essential":true}}})";
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join("\n")));

        const Run run = runFlow(config);
        QVERIFY2(run.outcome.succeeded(),
                 qPrintable(run.outcome.summary + "\n" + run.outcome.details.join("\n") + "\n" +
                            QJsonDocument(run.browser).toJson()));
        QVERIFY(IdTokenValidator::accepted(run.outcome.idTokenChecks));
        // The claims parameter asked for email in the ID token.
        QCOMPARE(jwtPayload(run.outcome.tokenResponse.value("id_token").toString())
                     .value("email")
                     .toString(),
                 QStringLiteral("alice@example.test"));

        qsizetype step = 0;
        if (par) {
            const HttpExchange &pushed = run.exchanges.at(step++);
            QCOMPARE(pushed.request.url, config.pushedAuthorizationRequestEndpoint);
            QCOMPARE(pushed.status, 201);
            const FormFields pushedForm = FormEncoding::decode(pushed.request.body);
            QCOMPARE(FormEncoding::contains(pushedForm, "request"), requestObject);
            QCOMPARE(FormEncoding::contains(pushedForm, "code_challenge"), !requestObject);
            if (method == ClientAuthMethod::PrivateKeyJwt)
                QVERIFY(FormEncoding::contains(pushedForm, "client_assertion"));
        }
        const HttpExchange &navigation = run.exchanges.at(step++);
        QCOMPARE(navigation.kind, HttpExchange::Kind::BrowserNavigation);
        const QUrlQuery query(navigation.request.url);
        QCOMPARE(query.hasQueryItem("request_uri"), par);
        QCOMPARE(query.hasQueryItem("request"), requestObject && !par);
        QCOMPARE(query.hasQueryItem("code_challenge"), !par && !requestObject);
        if (requestObject && !par) {
            const QJsonObject claims = jwtPayload(query.queryItemValue("request"));
            QCOMPARE(claims.value("iss").toString(), config.clientId);
            QCOMPARE(claims.value("aud").toString(), m_env.issuer());
            QCOMPARE(claims.value("max_age").toInt(), 3600);
            QVERIFY(claims.value("claims").isObject());
            QCOMPARE(claims.value("state").toString(), QString::fromLatin1(run.state));
        }
        const HttpExchange &callback = run.exchanges.at(step++);
        QCOMPARE(callback.kind, HttpExchange::Kind::LoopbackCallback);
        // form_post arrives as a POST; a fragment is posted back by the app's relay page.
        QCOMPARE(callback.request.method,
                 responseMode.isEmpty() ? QByteArray("GET") : QByteArray("POST"));
        QCOMPARE(run.redirects.first().mode,
                 responseMode == "form_post"  ? CapturedRedirect::ResponseMode::FormPost
                 : responseMode == "fragment" ? CapturedRedirect::ResponseMode::Fragment
                                              : CapturedRedirect::ResponseMode::Query);
        QCOMPARE(run.redirects.first().value("iss"), m_env.issuer());
    }

    // RFC 9207: a redirect whose iss is not the issuer the flow started with is not redeemed.
    // A forged request reaches the callback before the browser (any local process, or a page
    // that finds the port, can send one): it is refused with a page and recorded, and the real
    // redirect from the provider then completes the flow.
    void forgedCallbackDoesNotEndTheFlow()
    {
        const ClientConfig config =
            configFor("confidentialBasic", ClientAuthMethod::ClientSecretBasic, true);
        QByteArray refusedPage;
        const Run run = runFlow(config, [&](const QUrl &redirectUri) {
            refusedPage = testhttp::roundTrip(quint16(redirectUri.port()),
                                              "GET " + redirectUri.path().toLatin1() +
                                                  "?code=forged&state=forged HTTP/1.1\r\n"
                                                  "Host: 127.0.0.1\r\n\r\n");
        });
        QVERIFY2(refusedPage.startsWith("HTTP/1.1 400"), refusedPage.constData());
        QVERIFY(refusedPage.contains("Request refused"));
        QVERIFY2(run.outcome.succeeded(),
                 qPrintable(run.outcome.summary + "\n" + run.outcome.details.join("\n")));
        QCOMPARE(run.browser.value("outcome").toString(), QStringLiteral("ok"));

        // The navigation, the refused request, the real callback, the token request.
        QCOMPARE(run.exchanges.size(), 4);
        QVERIFY2(run.exchanges.at(1).label.startsWith("Refused on the callback"),
                 qPrintable(run.exchanges.at(1).label));
        QVERIFY(run.exchanges.at(1).rawRequest().contains("state=forged"));
        QCOMPARE(run.exchanges.at(1).status, 400);
        QCOMPARE(run.redirects.size(), 2);
        QCOMPARE(run.redirects.last().stateCheck, CapturedRedirect::StateCheck::Matched);
        const FormFields sent = FormEncoding::decode(run.exchanges.at(3).request.body);
        const QString code = FormEncoding::value(sent, "code");
        QVERIFY(!code.isEmpty() && code != QLatin1String("forged"));
    }

    void issuerMismatchIsCaughtAsMixUp()
    {
        ClientConfig config = discoveredConfigFor("public", ClientAuthMethod::None);
        config.issuer = QUrl(m_env.issuer() + "/another-tenant");
        const Run run = runFlow(config);
        QCOMPARE(run.outcome.result, FlowOutcome::Result::MixUpSuspected);
        QVERIFY(run.outcome.details.join("\n").contains(m_env.issuer()));
        // Nothing went to the token endpoint: browser request and callback only.
        QCOMPARE(run.exchanges.size(), 2);
        QCOMPARE(run.exchanges.last().kind, HttpExchange::Kind::LoopbackCallback);
    }

    // Legacy browser grants: implicit (tokens in the fragment, through the relay page) and hybrid
    // (code and ID token from the redirect, then the code redeemed).
    void implicitAndHybridGrants_data()
    {
        QTest::addColumn<QString>("clientKey");
        QTest::addColumn<QString>("grant");
        QTest::addColumn<int>("steps");
        // Browser request, callback, [token request,] the JWKS fetched to check the ID token.
        QTest::newRow("implicit, id_token token") << "implicit"
                                                  << "implicit" << 3;
        QTest::newRow("hybrid, code id_token") << "hybrid"
                                               << "hybrid" << 4;
    }
    void implicitAndHybridGrants()
    {
        QFETCH(QString, clientKey);
        QFETCH(QString, grant);
        QFETCH(int, steps);
        ClientAuthMethod method{};
        QVERIFY(clientAuthMethodFromName(
            client(clientKey).value("token_endpoint_auth_method").toString(), &method));
        ClientConfig config = discoveredConfigFor(clientKey, method);
        QVERIFY(grantTypeFromName(grant, &config.grant));
        QVERIFY(config.warnings().join(' ').contains("legacy") == (grant == "implicit"));
        const Run run = runFlow(config);
        QVERIFY2(run.outcome.succeeded(),
                 qPrintable(run.outcome.summary + "\n" + run.outcome.details.join("\n") + "\n" +
                            QJsonDocument(run.browser).toJson()));
        QCOMPARE(run.exchanges.size(), steps);
        // Both answer in the fragment by default, relayed by the listener's page.
        QCOMPARE(run.redirects.first().mode, CapturedRedirect::ResponseMode::Fragment);
        QCOMPARE(run.exchanges.last().request.url, config.jwksUri);
        const QUrlQuery query(run.exchanges.first().request.url);
        QCOMPARE(query.queryItemValue("response_type"), grant == "implicit"
                                                            ? QStringLiteral("id_token token")
                                                            : QStringLiteral("code id_token"));
        QCOMPARE(query.queryItemValue("nonce"), QString::fromLatin1(run.nonce));
        QVERIFY(!run.outcome.tokenResponse.value("access_token").toString().isEmpty());
        // The ID token was checked, nonce and at_hash included.
        QVERIFY(IdTokenValidator::accepted(run.outcome.idTokenChecks));
        QCOMPARE(testactions::checkNamed(run.outcome.idTokenChecks, "nonce").status,
                 TokenCheck::Status::Passed);
        if (grant == "implicit") {
            QVERIFY(run.outcome.tokenResponse.value("expires_in").isDouble());
            QVERIFY(run.redirects.first().has("access_token"));
        }
    }

    // Refresh with rotation, UserInfo, introspection and revocation against the provider, each
    // recorded; then the rotated-away refresh token is refused and diagnosed.
    void followUpActionsOnTheTokens()
    {
        qRegisterMetaType<TokenActions::Outcome>();
        const ClientConfig config =
            discoveredConfigFor("confidentialBasic", ClientAuthMethod::ClientSecretBasic);
        const Run run = runFlow(config);
        QVERIFY2(run.outcome.succeeded(), qPrintable(run.outcome.summary));
        const TokenSet first =
            TokenSet::fromResponse(run.outcome.tokenResponse, run.outcome.tokensReceivedAt);
        QVERIFY(!first.refreshToken.isEmpty());
        QCOMPARE(first.subject, QStringLiteral("alice"));
        QVERIFY(first.accessTokenExpiresAt > QDateTime::currentDateTimeUtc());

        ExchangeClient client;
        IdTokenVerifier verifier(&client);
        TokenActions actions(&client, &verifier);
        QList<HttpExchange> recorded;
        connect(&actions, &TokenActions::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { recorded << exchange; });
        actions.setSession(config, first);

        // Refresh: new tokens, the refresh token rotated, the new ID token validated.
        auto outcome = testactions::run(actions, TokenActions::Action::Refresh);
        QVERIFY2(outcome.succeeded,
                 qPrintable(outcome.summary + "\n" + outcome.details.join("\n")));
        QVERIFY(outcome.details.join("\n").contains("Refresh token rotated"));
        QVERIFY(actions.tokens().refreshToken != first.refreshToken);
        QVERIFY(actions.tokens().accessToken != first.accessToken);
        QCOMPARE(outcome.idTokenChecks.size(), 12);
        QVERIFY(IdTokenValidator::accepted(outcome.idTokenChecks));
        // The provider repeats the original nonce, which a refreshed ID token may do.
        QCOMPARE(testactions::checkNamed(outcome.idTokenChecks, "nonce").status,
                 TokenCheck::Status::Passed);
        QCOMPARE(recorded.first().status, 200);
        QCOMPARE(
            FormEncoding::value(FormEncoding::decode(recorded.first().request.body), "grant_type"),
            QStringLiteral("refresh_token"));

        // UserInfo with the new access token.
        outcome = testactions::run(actions, TokenActions::Action::UserInfo);
        QVERIFY2(outcome.succeeded,
                 qPrintable(outcome.summary + "\n" + outcome.details.join("\n")));
        QVERIFY(outcome.details.join("\n").contains("sub matches"));
        QVERIFY(outcome.details.join("\n").contains("email: alice@example.test"));
        QVERIFY(recorded.last().request.header("Authorization") ==
                "Bearer " + actions.tokens().accessToken);

        // Introspection of both tokens, authenticated as the client.
        outcome = testactions::run(actions, TokenActions::Action::Introspect);
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary + outcome.details.join("\n")));
        QVERIFY(outcome.summary.contains("access_token is active"));
        QVERIFY(outcome.details.contains("client_id: workbench-confidential-basic"));
        QVERIFY(recorded.last().request.header("Authorization").startsWith("Basic "));
        outcome = testactions::run(actions, TokenActions::Action::Introspect,
                                   TokenActions::Target::RefreshToken);
        QVERIFY(outcome.summary.contains("refresh_token is active"));

        // Revocation, then introspection shows the token is gone.
        outcome = testactions::run(actions, TokenActions::Action::Revoke);
        QVERIFY2(outcome.succeeded, qPrintable(outcome.summary + outcome.details.join("\n")));
        QCOMPARE(recorded.last().status, 200);
        outcome = testactions::run(actions, TokenActions::Action::Introspect);
        QVERIFY2(outcome.summary.contains("access_token is not active"),
                 qPrintable(outcome.summary));

        // The refresh token the rotation replaced no longer works, and the diagnosis says why.
        TokenSet stale = actions.tokens();
        stale.refreshToken = first.refreshToken;
        actions.setSession(config, stale);
        outcome = testactions::run(actions, TokenActions::Action::Refresh);
        QVERIFY(!outcome.succeeded);
        QVERIFY2(outcome.summary.contains("invalid_grant"), qPrintable(outcome.summary));
        const auto diagnosis = Diagnoser().diagnose(recorded, recorded.size() - 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_grant"));
        QVERIFY2(diagnosis->entryId.startsWith("oauth.invalid_grant"),
                 qPrintable(diagnosis->entryId));
        QVERIFY(diagnosis->toText().toLower().contains("refresh"));
    }

    void discoveryReadsTheProvidersMetadata()
    {
        qRegisterMetaType<ProviderMetadata>();
        ExchangeClient client;
        ProviderDiscovery discoverer(&client);
        QSignalSpy discovered(&discoverer, &ProviderDiscovery::discovered);
        discoverer.discover(QUrl(m_env.issuer()));
        QVERIFY(discovered.wait(10000));
        const auto metadata = discovered.first().at(0).value<ProviderMetadata>();
        QCOMPARE(metadata.issuer, m_env.issuer());
        QCOMPARE(metadata.authorizationEndpoint,
                 QUrl(discovery().value("authorization_endpoint").toString()));
        QCOMPARE(metadata.tokenEndpoint, QUrl(discovery().value("token_endpoint").toString()));
        QCOMPARE(metadata.jwksUri, QUrl(discovery().value("jwks_uri").toString()));
        QVERIFY(metadata.codeChallengeMethodsSupported.contains("S256"));
        QVERIFY(metadata.issParameterSupported);
        QVERIFY2(discovered.first().at(1).toStringList().isEmpty(),
                 qPrintable(discovered.first().at(1).toStringList().join('\n')));

        // A trailing slash is a different issuer: the warning says so.
        discovered.clear();
        discoverer.discover(QUrl(m_env.issuer() + "/"));
        QVERIFY(discovered.wait(10000));
        QVERIFY(discovered.first().at(1).toStringList().join(' ').contains("trailing slash"));
    }

    void commandLineRunsTheSameFlow()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QVERIFY2(QFile::exists(cli), "WORKBENCH_CLI must name oauth-workbench-cli");
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QString secret = client("confidentialBasic").value("client_secret").toString();
        environment.insert("E2E_CLIENT_SECRET", secret);
        process.setProcessEnvironment(environment);
        process.start(cli,
                      {"authorize", "--json", "--authorization-endpoint",
                       discovery().value("authorization_endpoint").toString(), "--token-endpoint",
                       discovery().value("token_endpoint").toString(), "--client-id",
                       client("confidentialBasic").value("client_id").toString(), "--issuer",
                       m_env.issuer(), "--jwks-uri", discovery().value("jwks_uri").toString(),
                       "--client-secret-env", "E2E_CLIENT_SECRET", "--scope", "openid email",
                       "--browser-command",
                       qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh"});
        QVERIFY(process.waitForFinished(90000));
        const QByteArray output = process.readAllStandardOutput();
        QCOMPARE(process.exitCode(), 0);
        const QJsonObject result = QJsonDocument::fromJson(output).object();
        QCOMPARE(result.value("outcome").toString(), QStringLiteral("succeeded"));
        QVERIFY(
            !result.value("token_response").toObject().value("access_token").toString().isEmpty());
        const QJsonArray exchanges = result.value("exchanges").toArray();
        QCOMPARE(exchanges.size(), 4); // browser, callback, token request, JWKS
        QVERIFY(exchanges.at(2).toObject().value("request").toString().startsWith("POST /token"));
        QVERIFY(exchanges.at(3).toObject().value("request").toString().startsWith("GET /jwks"));
        const QJsonArray checks = result.value("id_token_checks").toArray();
        QCOMPARE(checks.size(), 12);
        for (const QJsonValue &check : checks) {
            const QString name = check.toObject().value("name").toString();
            const QString status = check.toObject().value("status").toString();
            QVERIFY2(status == (name == "azp" || name.endsWith("_hash") ? "skipped" : "passed"),
                     qPrintable(name + " " + status));
        }
        QCOMPARE(exchanges.at(2).toObject().value("status").toInt(), 200);
        // The secret was given through the environment, never on the command line.
        QVERIFY(!process.arguments().join(' ').contains(secret));
    }

    // Two runs kept in the history, one refused because the client sent an old secret:
    // `compare` puts the client's credentials first (their fingerprints differ), with the
    // failing run's diagnosis, and never prints either secret.
    void commandLineComparesAFailingRunWithAWorkingOne()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QTemporaryDir data;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QString secret = client("confidentialBasic").value("client_secret").toString();
        environment.insert("E2E_CLIENT_SECRET", secret);
        environment.insert("E2E_OLD_SECRET", "an-old-secret-rotated-away");
        environment.insert("XDG_DATA_HOME", data.path());
        const auto runCli = [&](const QStringList &arguments, int expectedExit) {
            QProcess process;
            process.setProcessEnvironment(environment);
            process.start(cli, arguments);
            // A sign-in in Chromium takes seconds alone, far longer beside the other e2e tests.
            if (!process.waitForFinished(150000))
                return QByteArray("did not finish");
            const QByteArray output = process.readAllStandardOutput();
            if (process.exitCode() != expectedExit)
                return QByteArray("exit ") + QByteArray::number(process.exitCode()) + ": " +
                       output + process.readAllStandardError();
            return output;
        };
        const QStringList flow{"authorize",
                               "--json",
                               "--save",
                               "--authorization-endpoint",
                               discovery().value("authorization_endpoint").toString(),
                               "--token-endpoint",
                               discovery().value("token_endpoint").toString(),
                               "--client-id",
                               client("confidentialBasic").value("client_id").toString(),
                               "--client-secret-env",
                               "E2E_CLIENT_SECRET",
                               "--scope",
                               "openid email",
                               "--browser-command",
                               qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh"};
        QCOMPARE(QJsonDocument::fromJson(runCli(flow, 0)).object().value("outcome").toString(),
                 QStringLiteral("succeeded"));
        QStringList withOldSecret = flow;
        withOldSecret.replace(withOldSecret.indexOf("E2E_CLIENT_SECRET"), "E2E_OLD_SECRET");
        const QByteArray refused = runCli(withOldSecret, 1);
        QVERIFY2(QJsonDocument::fromJson(refused).object().value("outcome").toString() ==
                     QStringLiteral("token_error_response"),
                 refused.constData());

        const QByteArray output = runCli({"compare", "last~1", "last", "--json"}, 0);
        const QJsonObject comparison = QJsonDocument::fromJson(output).object();
        QVERIFY2(!comparison.isEmpty(), output.constData());
        QCOMPARE(comparison.value("failing").toString(), QStringLiteral("B"));
        const QJsonObject failure = comparison.value("failure").toObject();
        QCOMPARE(failure.value("step").toString(), QStringLiteral("token request"));
        QCOMPARE(failure.value("code").toString(), QStringLiteral("invalid_client"));
        const QJsonObject first = comparison.value("differences").toArray().first().toObject();
        QCOMPARE(first.value("aspect").toString(),
                 QStringLiteral("client credentials (Basic header)"));
        QVERIFY(first.value("a").toString().startsWith("REDACTED:"));
        QVERIFY(first.value("b").toString().startsWith("REDACTED:"));
        QVERIFY(first.value("a") != first.value("b"));
        QVERIFY(!first.value("explains").toString().isEmpty());
        const QByteArray text = runCli({"compare", "last~1", "last"}, 0);
        QVERIFY2(text.contains("Run B failed at the token request (invalid_client"),
                 text.constData());
        for (const QByteArray &shown : {output, text}) {
            QVERIFY(!shown.contains(secret.toUtf8()));
            QVERIFY(!shown.contains("an-old-secret-rotated-away"));
            QVERIFY(!shown.contains(
                QByteArray(client("confidentialBasic").value("client_id").toString().toUtf8() +
                           ':' + secret.toUtf8())
                    .toBase64()));
        }
        QCOMPARE(runCli({"compare", "last", "no-such-run"}, 2).isEmpty(), true);
    }

    void wrongClientSecretIsRecordedAsInvalidClient()
    {
        ClientConfig config =
            configFor("confidentialBasic", ClientAuthMethod::ClientSecretBasic, true);
        config.clientSecret = "not the secret";
        const Run run = runFlow(config);
        QCOMPARE(run.outcome.result, FlowOutcome::Result::TokenErrorResponse);
        QCOMPARE(run.exchanges.size(), 3);
        const HttpExchange &token = run.exchanges.at(2);
        QCOMPARE(token.status, 401);
        QCOMPARE(run.outcome.tokenResponse.value("error").toString(),
                 QStringLiteral("invalid_client"));
        QVERIFY(run.outcome.details.join('\n').contains("invalid_client"));
        // The real provider's answer is diagnosed, with the Basic header it got decoded.
        const auto diagnosis = Diagnoser().diagnose(run.exchanges, 2);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_client"));
        QCOMPARE(diagnosis->entryId, QStringLiteral("oauth.invalid_client"));
        QVERIFY(diagnosis->toText().contains("workbench-confidential-basic"));
        QVERIFY(!Diagnoser().diagnose(run.exchanges, 1).has_value()); // the redirect was fine
    }

    // The real provider answers an unregistered redirect URI with its own page and never
    // redirects: the command line waits out a short --timeout, ends as timed out, and names the
    // redirect URI among the likely reasons; its output holds the URI it waited on.
    void commandLineTimesOutOnAnUnregisteredRedirect()
    {
        const QString cli = qEnvironmentVariable("WORKBENCH_CLI");
        QProcess process;
        process.start(cli,
                      {"authorize", "--json", "--authorization-endpoint",
                       discovery().value("authorization_endpoint").toString(), "--token-endpoint",
                       discovery().value("token_endpoint").toString(), "--client-id",
                       client("public").value("client_id").toString(), "--auth-method", "none",
                       "--redirect-uri", "http://127.0.0.1/not-registered", "--timeout", "8",
                       "--browser-command",
                       qEnvironmentVariable("WORKBENCH_E2E_DIR") + "/open-in-chromium.sh"});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 1);
        const QJsonObject result =
            QJsonDocument::fromJson(process.readAllStandardOutput()).object();
        QCOMPARE(result.value("outcome").toString(), QStringLiteral("timed_out"));
        QVERIFY(result.value("summary").toString().startsWith("Timed out after 8 s"));
        const QJsonObject diagnosis = result.value("diagnosis").toObject();
        QCOMPARE(diagnosis.value("entry").toString(), QStringLiteral("flow.no_redirect"));
        const QJsonObject first = diagnosis.value("causes").toArray().first().toObject();
        QCOMPARE(first.value("id").toString(), QStringLiteral("redirect_unregistered"));
        QVERIFY(QJsonDocument(first).toJson().contains("/not-registered"));
    }

    // The page the browser shows, pasted into the waiting flow, is the provider's own words.
    void pastedProviderPageIsDiagnosed()
    {
        ClientConfig config = configFor("public", ClientAuthMethod::None, true);
        config.redirectUri = QUrl("http://127.0.0.1/not-registered");
        config.redirectWaitSeconds = 30;
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QVERIFY(flow.start(config));
        QProcess browser;
        m_env.openInBrowser(browser, flow.authorizationUrl());
        const QJsonObject page = e2e::Environment::browserResult(browser);
        const QString text = page.value("text").toString();
        QVERIFY2(text.contains("redirect_uri"), qPrintable(QJsonDocument(page).toJson()));
        QString error;
        QVERIFY2(flow.submitBrowserPage(text, &error), qPrintable(error));
        flow.cancel();
        const auto diagnosis = Diagnoser().diagnose(flow.exchanges(), flow.exchanges().size() - 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("redirect_unregistered"));
        QCOMPARE(diagnosis->causes.first().status, Diagnosis::Cause::Status::Confirmed);
        QVERIFY(diagnosis->notes.join('\n').contains("redirect_uri"));
    }

    void publicClientWithoutPkceIsRefusedOnTheRedirect()
    {
        const Run run = runFlow(configFor("public", ClientAuthMethod::None, false));
        QCOMPARE(run.outcome.result, FlowOutcome::Result::AuthorizationError);
        QCOMPARE(run.redirects.size(), 1);
        QCOMPARE(run.redirects.first().value("error"), QStringLiteral("invalid_request"));
        QVERIFY(run.redirects.first().value("error_description").contains("PKCE"));
        QCOMPARE(run.browser.value("outcome").toString(), QStringLiteral("error"));
        // Nothing was sent to the token endpoint.
        QCOMPARE(run.exchanges.size(), 2);
        const auto diagnosis = Diagnoser().diagnose(run.exchanges, 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_request"));
        QVERIFY(diagnosis->notes.join('\n').contains("PKCE"));
        QVERIFY(diagnosis->notes.join('\n').contains("front channel"));
    }
};

QTEST_GUILESS_MAIN(TestE2eAuthorizationCode)
#include "tst_e2e_authcode.moc"
