// What the Tokens view says about the scopes of a step, from the run around it: the scope asked
// for may have been sent on an earlier request than the one the tokens answered.
#include "core/jose/Jwe.h"
#include "ui/results/StepTexts.h"
#include "ui/results/TokenView.h"

#include "TestJose.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace workbench;

namespace {
HttpExchange post(const QByteArray &path, const QByteArray &form, int status,
                  const QByteArray &answer)
{
    HttpExchange exchange;
    exchange.request.method = "POST";
    exchange.request.url = QUrl("https://as.example" + QString::fromLatin1(path));
    exchange.request.setHeader("Content-Type", "application/x-www-form-urlencoded");
    exchange.request.body = form;
    exchange.status = status;
    exchange.responseHeaders = {{"Content-Type", "application/json"}};
    exchange.responseBody = answer;
    return exchange;
}

// The browser sent to the authorization endpoint with `request` (a request object).
HttpExchange navigationWith(const QByteArray &request)
{
    HttpExchange navigation;
    navigation.kind = HttpExchange::Kind::BrowserNavigation;
    navigation.request.url =
        QUrl("https://as.example/authorize?client_id=c&request=" + QString::fromLatin1(request));
    return navigation;
}

QString tokensText(const QList<HttpExchange> &run)
{
    return StepTexts::prepare(run, int(run.size()) - 1, {}).tokensHtml;
}
} // namespace

class TestStepTexts : public QObject
{
    Q_OBJECT
private slots:
    // The device flow sends its scope on the device authorization request, not the token one.
    void deviceFlowScopeComesFromTheDeviceRequest()
    {
        const QList<HttpExchange> run{
            post("/device", "client_id=tv&scope=openid%20email", 200,
                 "{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://"
                 "as.example/d\",\"expires_in\":600}"),
            post("/token",
                 "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=d"
                 "&client_id=tv",
                 400, "{\"error\":\"authorization_pending\"}"),
            post("/token",
                 "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=d"
                 "&client_id=tv",
                 200,
                 "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"scope\":\"openid email\"}")};
        const QString text = tokensText(run);
        QVERIFY2(text.contains("Scopes: granted as requested (<code>openid email</code>)"),
                 qPrintable(text));
        QVERIFY(!text.contains("Added by the server"));
    }

    // The authorization details of a request object encrypted to the server cannot be read:
    // the grant is shown without a comparison, not as "none asked for".
    void detailsAskedInsideAnEncryptedRequestObjectAreNotCompared()
    {
        const DecryptionKey server = DecryptionKey::generate("EC", "server-enc");
        QString error;
        const QByteArray encrypted = Jwe::encrypt("a.b.c", Jwk{server.publicJwk()}, "ECDH-ES",
                                                  "A256GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!encrypted.isEmpty(), qPrintable(error));
        const QList<HttpExchange> run{
            navigationWith(encrypted),
            post("/token", "grant_type=authorization_code&code=x", 200,
                 R"({"access_token":"at","token_type":"Bearer",)"
                 R"("authorization_details":[{"type":"payment_initiation"}]})")};
        const QString text = tokensText(run);
        QVERIFY2(text.contains("what was asked is inside the encrypted request object"),
                 qPrintable(text));
        QVERIFY(!text.contains("none asked for"));
        QVERIFY(text.contains("payment_initiation"));
    }

    // The request object the run encrypted to the server is shown decoded under the raw
    // request (which carries only the JWE), and the grant is compared with what it asked.
    void sealedRequestObjectIsShownAndCompared()
    {
        const DecryptionKey server = DecryptionKey::generate("EC", "server-enc");
        const QByteArray signedObject =
            testjose::signingInput({{"alg", "none"}},
                                   {{"state", "st-123"},
                                    {"authorization_details",
                                     QJsonArray{QJsonObject{{"type", "payment_initiation"}}}}}) +
            '.';
        QString error;
        const QByteArray encrypted = Jwe::encrypt(signedObject, Jwk{server.publicJwk()}, "ECDH-ES",
                                                  "A256GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!encrypted.isEmpty(), qPrintable(error));
        HttpExchange navigation = navigationWith(encrypted);
        navigation.sealedRequestObject = signedObject;
        const QList<HttpExchange> run{
            navigation, post("/token", "grant_type=authorization_code&code=x", 200,
                             R"({"access_token":"at","token_type":"Bearer",)"
                             R"("authorization_details":[{"type":"payment_initiation"}]})")};
        const QList<QByteArray> masks{signedObject};
        const StepTexts step = StepTexts::prepare(run, 0, {}, &masks);
        QVERIFY2(step.request.contains("Request object inside the encryption"),
                 qPrintable(step.request));
        QVERIFY(step.request.contains("\"state\": \"st-123\""));
        QVERIFY(step.request.contains(QString::fromLatin1(encrypted.left(40))));
        QVERIFY(!step.request.contains(QString::fromLatin1(signedObject)));
        const QString text = tokensText(run);
        QVERIFY2(!text.contains("inside the encrypted request object"), qPrintable(text));
        QVERIFY(!text.contains("granted without being asked"));
        QVERIFY(text.contains("payment_initiation"));
    }

    // A refresh without scope asks for what was granted; one scope fewer is a real drop.
    void refreshWithoutScopeComparesWithTheFirstRequest()
    {
        QList<HttpExchange> run{
            post("/token", "grant_type=client_credentials&scope=read%20write", 200,
                 "{\"access_token\":\"a1\",\"token_type\":\"Bearer\",\"refresh_token\":\"r1\","
                 "\"scope\":\"read write\"}"),
            post("/token", "grant_type=refresh_token&refresh_token=r1", 200,
                 "{\"access_token\":\"a2\",\"token_type\":\"Bearer\",\"scope\":\"read\"}")};
        const QString text = tokensText(run);
        QVERIFY2(text.contains("Dropped by the server: <code>write</code>"), qPrintable(text));
        QVERIFY(!text.contains("Added by the server"));
    }

    // The ID token (and its validation) comes before the access token; each claim is explained
    // once in the table, not repeated as raw JSON (the claims tree and the Body tab have that).
    void idTokenFirstAndClaimsOnce()
    {
        const auto part = [](const QByteArray &json) {
            return json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        const QByteArray idToken = part("{\"alg\":\"RS256\",\"kid\":\"k1\"}") + '.' +
                                   part("{\"iss\":\"https://as.example\",\"sub\":\"alice\","
                                        "\"aud\":\"app\",\"exp\":4102444800,\"iat\":1700000000}") +
                                   ".c2ln";
        const QList<HttpExchange> run{
            post("/token", "grant_type=client_credentials&scope=openid", 200,
                 "{\"access_token\":\"opaque-at\",\"token_type\":\"Bearer\",\"id_token\":\"" +
                     idToken + "\"}")};
        const QString text = tokensText(run);
        const qsizetype id = text.indexOf("<h3>id_token</h3>");
        const qsizetype access = text.indexOf("<h3>access_token</h3>");
        QVERIFY2(id >= 0 && access > id, qPrintable(text));
        QCOMPARE(text.count("alice"), 1);
        QVERIFY(!text.contains("<pre>"));
    }

    // The session bar's line: time left as m:ss or h:mm:ss, expired, revoked, and the refresh
    // token's state.
    void sessionLineSaysWhatIsHeld()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        TokenSet tokens;
        tokens.accessToken = "a";
        tokens.accessTokenExpiresAt = now.addSecs(3599);
        QString text = TokenView::sessionText(tokens, now);
        QVERIFY2(text.contains("expires in <b>59:59</b>") && text.endsWith("no refresh token"),
                 qPrintable(text));
        tokens.accessTokenExpiresAt = now.addSecs(3 * 3600 + 5);
        tokens.refreshToken = "r";
        text = TokenView::sessionText(tokens, now);
        QVERIFY2(text.contains("<b>3:00:05</b>") && text.endsWith("refresh token held"),
                 qPrintable(text));
        tokens.accessTokenExpiresAt = now.addSecs(-65);
        text = TokenView::sessionText(tokens, now);
        QVERIFY2(text.contains("expired 1:05 ago"), qPrintable(text));
        tokens.accessTokenRevoked = true;
        tokens.refreshTokenRevoked = true;
        text = TokenView::sessionText(tokens, now);
        QVERIFY2(text.startsWith("Access token <b>revoked</b>") &&
                     text.endsWith("refresh token revoked"),
                 qPrintable(text));
    }

    // An encrypted ID token: its header's algorithms, and the checks that opened it; without
    // checks, that it was not opened here.
    void encryptedIdTokenShowsItsEncryptionAndChecks()
    {
        const DecryptionKey key = DecryptionKey::generate("EC", "client-enc");
        QString error;
        const QByteArray idToken =
            Jwe::encrypt("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", Jwk{key.publicJwk()}, "ECDH-ES+A128KW",
                         "A128GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!idToken.isEmpty(), qPrintable(error));
        const QJsonObject body{{"access_token", "at"},
                               {"token_type", "Bearer"},
                               {"id_token", QString::fromLatin1(idToken)}};
        const QList<TokenCheck> checks{
            {"decryption", TokenCheck::Status::Passed, "opened with the client's key", {}},
            {"signature", TokenCheck::Status::Passed, "RS256, key as", {}}};
        QString html =
            TokenView::html(body, QDateTime::currentDateTimeUtc(), "openid", true, checks);
        QVERIFY2(html.contains("Encrypted to the client (JWE) with <code>ECDH-ES+A128KW</code> "
                               "and <code>A128GCM</code>, to key <code>client-enc</code>"),
                 qPrintable(html));
        QVERIFY2(html.contains("opened with the client's key"), qPrintable(html));
        html = TokenView::html(body, QDateTime::currentDateTimeUtc(), "openid", true);
        QVERIFY(html.contains("Not opened in this step."));
    }

    // With the run's decryption key the Tokens tab shows what is inside an encrypted ID token:
    // the signed JWT's alg and claims, after the encryption it came in.
    void encryptedIdTokenIsShownOpenedWithTheRunsKey()
    {
        const DecryptionKey key = DecryptionKey::generate("RSA", "client-enc");
        QString error;
        // {"alg":"RS256","kid":"as-1"} . {"sub":"alice-0427","iss":"https:\/\/as.example"}
        const QByteArray inside =
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImFzLTEifQ."
            "eyJzdWIiOiJhbGljZS0wNDI3IiwiaXNzIjoiaHR0cHM6XC9cL2FzLmV4YW1wbGUifQ."
            "c2ln";
        const QByteArray idToken = Jwe::encrypt(inside, Jwk{key.publicJwk()}, "RSA-OAEP-256",
                                                "A256GCM", {{"cty", "JWT"}}, &error);
        QVERIFY2(!idToken.isEmpty(), qPrintable(error));
        const QList<HttpExchange> run{
            post("/token", "grant_type=authorization_code&code=x", 200,
                 QJsonDocument(QJsonObject{{"access_token", "at"},
                                           {"token_type", "Bearer"},
                                           {"id_token", QString::fromLatin1(idToken)}})
                     .toJson(QJsonDocument::Compact))};
        const QString opened = StepTexts::prepare(run, 0, {}, nullptr, key).tokensHtml;
        QVERIFY2(opened.contains("Opened with the client's key (RSA 2048); inside:"),
                 qPrintable(opened));
        QVERIFY2(opened.contains("JWT signed with <code>RS256</code>, key <code>as-1</code>"),
                 qPrintable(opened));
        QVERIFY2(opened.contains("alice-0427"), qPrintable(opened));
        // Another key opens nothing: the header only.
        const QString closed =
            StepTexts::prepare(run, 0, {}, nullptr, DecryptionKey::generate("RSA", {})).tokensHtml;
        QVERIFY(closed.contains("Not opened in this step."));
        QVERIFY(!closed.contains("alice-0427"));
    }
};

QTEST_MAIN(TestStepTexts)
#include "tst_steptexts.moc"
