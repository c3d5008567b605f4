#include "diagnosis/Diagnoser.h"
#include "diagnosis/RawInput.h"
#include "flows/TokenRequest.h"

#include <QTest>
#include <algorithm>

using namespace workbench;

namespace {
QByteArray json(int status, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n" +
           extraHeaders + "\r\n" + body;
}
QByteArray bare(int status, const QByteArray &headers = {}, const QByteArray &body = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\n" + headers + "\r\n" + body;
}
QByteArray redirect(const QByteArray &query)
{
    return "http://127.0.0.1:5000/callback?" + query;
}
} // namespace

class TestDiagnoser : public QObject
{
    Q_OBJECT

    static Diagnosis explain(const QByteArray &raw, DiagnosisContext::Endpoint endpoint,
                             const QString &grant)
    {
        QString error;
        const auto exchange = RawInput::parse(raw, &error);
        if (!exchange)
            qFatal("unparseable test input: %s", qPrintable(error));
        DiagnosisContext context = DiagnosisContext::fromExchange(*exchange);
        if (endpoint != DiagnosisContext::Endpoint::Unknown)
            context.endpoint = endpoint;
        if (!grant.isEmpty())
            context.sentParameters.append({"grant_type", grant});
        const auto diagnosis = Diagnoser().diagnose(*exchange, context);
        if (!diagnosis)
            qFatal("no diagnosis for: %s", raw.constData());
        return *diagnosis;
    }

    // A run as the flow records it: authorization request, callback, token request + response.
    static QList<HttpExchange> codeRun(const FormFields &authParams, const FormFields &tokenForm,
                                       const QByteArray &authorization, const QByteArray &response,
                                       qint64 codeAgeSeconds = 2)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        HttpExchange navigation;
        navigation.kind = HttpExchange::Kind::BrowserNavigation;
        navigation.request.url = QUrl("https://as.example/authorize");
        navigation.request.url.setQuery(
            QString::fromLatin1(FormEncoding::encode(authParams, FormEncoding::Space::Percent)),
            QUrl::StrictMode);
        HttpExchange callback;
        callback.kind = HttpExchange::Kind::LoopbackCallback;
        callback.request.url = QUrl("http://127.0.0.1:5000/callback?code=c&state=s");
        callback.startedAt = now.addSecs(-codeAgeSeconds);
        HttpExchange token = *RawInput::parse(response, nullptr);
        token.request = TokenRequest::formPost(QUrl("https://as.example/token"), tokenForm);
        if (!authorization.isEmpty())
            token.request.setHeader("Authorization", authorization);
        token.startedAt = now;
        return {navigation, callback, token};
    }

private slots:
    // Every error documented in ../shared/reference/seeds, as a raw response or redirect.
    void seedDocumentedErrors_data()
    {
        using E = DiagnosisContext::Endpoint;
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("endpoint");
        QTest::addColumn<QString>("grant");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("code");
        const int token = int(E::Token);
        const int resource = int(E::Resource);
        const int any = int(E::Unknown);

        // Seeds 000 and 001: HTTP status codes.
        QTest::newRow("000 400") << bare(400) << any << ""
                                 << "http.400"
                                 << "400";
        QTest::newRow("000 401") << bare(401) << any << ""
                                 << "http.401"
                                 << "401";
        QTest::newRow("000 403") << bare(403) << any << ""
                                 << "http.403"
                                 << "403";
        QTest::newRow("000 404") << bare(404) << any << ""
                                 << "http.404"
                                 << "404";
        QTest::newRow("000 405 GET on token endpoint") << bare(405) << token << ""
                                                       << "http.405"
                                                       << "405";
        QTest::newRow("000 500") << bare(500) << any << ""
                                 << "http.500"
                                 << "500";
        QTest::newRow("000 503") << bare(503) << any << ""
                                 << "http.503"
                                 << "503";
        // Seeds 000 and 001: OAuth 2.0 and OpenID Connect error codes.
        QTest::newRow("000 invalid_request")
            << json(400, "{\"error\":\"invalid_request\"}") << any << ""
            << "oauth.invalid_request"
            << "invalid_request";
        QTest::newRow("000 invalid_client")
            << json(401, "{\"error\":\"invalid_client\"}") << any << ""
            << "oauth.invalid_client"
            << "invalid_client";
        QTest::newRow("000 invalid_grant")
            << json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}") << any
            << ""
            << "oauth.invalid_grant"
            << "invalid_grant";
        QTest::newRow("000 unauthorized_client")
            << json(400, "{\"error\":\"unauthorized_client\"}") << any << ""
            << "oauth.unauthorized_client"
            << "unauthorized_client";
        QTest::newRow("000 unsupported_grant_type")
            << json(400, "{\"error\":\"unsupported_grant_type\"}") << any << ""
            << "oauth.unsupported_grant_type"
            << "unsupported_grant_type";
        QTest::newRow("000 invalid_scope") << redirect("error=invalid_scope&state=s") << any << ""
                                           << "oauth.invalid_scope"
                                           << "invalid_scope";
        QTest::newRow("000 access_denied")
            << redirect("error=access_denied&error_description=The+user+denied&state=s") << any
            << ""
            << "oauth.access_denied"
            << "access_denied";
        QTest::newRow("000 server_error") << redirect("error=server_error") << any << ""
                                          << "oauth.server_error"
                                          << "server_error";
        QTest::newRow("000 temporarily_unavailable")
            << redirect("error=temporarily_unavailable") << any << ""
            << "oauth.temporarily_unavailable"
            << "temporarily_unavailable";
        // Seeds 000 and 001: token errors.
        QTest::newRow("000 invalid_token")
            << bare(401, "WWW-Authenticate: Bearer error=\"invalid_token\", "
                         "error_description=\"The access token expired\"\r\n")
            << resource << ""
            << "oauth.invalid_token"
            << "invalid_token";
        QTest::newRow("000 insufficient_scope")
            << bare(403,
                    "WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"payments\"\r\n")
            << resource << ""
            << "oauth.insufficient_scope"
            << "insufficient_scope";
        // A code of the provider's own, in the challenge only: the challenge leads.
        QTest::newRow("challenge with an unknown code")
            << bare(401, "WWW-Authenticate: Bearer error=\"token_expired\"\r\n") << resource << ""
            << "shape.www_authenticate"
            << "token_expired";
        // The same code in a JSON body is simply unrecognized.
        QTest::newRow("unknown code in the body")
            << bare(401, "Content-Type: application/json\r\n", "{\"error\":\"token_expired\"}")
            << resource << ""
            << "unrecognized"
            << "token_expired";

        // Seed 002: a bank's API gateway.
        QTest::newRow("002 401 invalid client id or secret")
            << bare(401, "Content-Type: text/plain\r\n", "Invalid client id or secret") << any << ""
            << "provider.gateway.unsubscribed_client"
            << "401";
        QTest::newRow("002 redirect uri mismatch")
            << redirect("error=invalid_request&error_description=Redirect+URI+mismatch") << any
            << ""
            << "redirect.mismatch"
            << "invalid_request";
        QTest::newRow("002 invalid authorization code")
            << json(400, "{\"error\": \"invalid_grant\"}") << token << "authorization_code"
            << "provider.gateway.invalid_code"
            << "invalid_grant";
        QTest::newRow("002 invalid refresh token")
            << json(401, "{\"error\": \"invalid_grant\"}") << token << "refresh_token"
            << "provider.gateway.refresh_single_use"
            << "invalid_grant";
        QTest::newRow("002 invalid authorization header")
            << json(401, "{\"error\": \"invalid_client\"}") << token << "authorization_code"
            << "oauth.invalid_client"
            << "invalid_client";
        QTest::newRow("002 grant type mismatch")
            << json(400, "{\"error\": \"invalid_request\"}") << token << "authorization_code"
            << "oauth.invalid_request"
            << "invalid_request";
        QTest::newRow("002 unknown error")
            << json(400, "{\"error\":\"unknown \"}") << token << "authorization_code"
            << "provider.gateway.unknown_error"
            << "unknown";
        QTest::newRow("002 access token invalid")
            << json(401,
                    "{\"httpCode\": \"401\",\"httpMessage\": \"Unauthorized\",\"moreInformation\": "
                    "\"This server could not verify that you are authorized to access the URL\"}")
            << resource << ""
            << "provider.gateway.token_invalid"
            << "401";
        QTest::newRow("002 403 scope")
            << json(403, "{\"httpCode\": \"403\",\"httpMessage\": "
                         "\"Forbidden\",\"moreInformation\": \"Internal Server Error\"}")
            << resource << ""
            << "provider.gateway.scope_forbidden"
            << "403";
        QTest::newRow("002 429") << bare(429, "Retry-After: 30\r\n") << resource << ""
                                 << "provider.gateway.rate_limit"
                                 << "429";

        // Seed 003: a marketplace API.
        QTest::newRow("003 missing code")
            << json(400, "{\"error\": \"invalid_request\",\"error_description\": \"Missing "
                         "parameter: \\\"code\\\" is required\"}")
            << token << "authorization_code"
            << "provider.marketplace.missing_code"
            << "invalid_request";
        QTest::newRow("003 code invalid for client")
            << json(400, "{\"error\": \"invalid_grant\",\"error_description\": \"Authorization "
                         "code doesn't exist or is invalid for the client\"}")
            << token << "authorization_code"
            << "provider.marketplace.code_invalid"
            << "invalid_grant";
        QTest::newRow("003 grant type not specified")
            << json(400, "{\"error\": \"invalid_request\",\"error_description\": \"The grant type "
                         "was not specified in the request\"}")
            << token << ""
            << "provider.marketplace.grant_type_missing"
            << "invalid_request";
        QTest::newRow("003 scope invalid for client")
            << json(400, "{\"error\": \"invalid_scope\",\"error_description\": \"The scope "
                         "requested is invalid for this client\"}")
            << token << "authorization_code"
            << "provider.marketplace.scope_invalid_for_client"
            << "invalid_scope";
        QTest::newRow("003 client not active")
            << json(401, "{\"error\": \"invalid_client\",\"error_description\": \"Client is not "
                         "active\"}")
            << token << "authorization_code"
            << "provider.marketplace.client_not_active"
            << "invalid_client";
        QTest::newRow("003 client credentials invalid")
            << json(400, "{\"error\": \"invalid_client\",\"error_description\": \"The client "
                         "credentials are invalid\"}")
            << token << "client_credentials"
            << "provider.marketplace.client_credentials_invalid"
            << "invalid_client";
        QTest::newRow("003 access token invalid")
            << json(401, "{\"error\": \"invalid_token\",\"error_description\": \"The access token "
                         "provided is invalid\"}")
            << resource << ""
            << "provider.marketplace.access_token_invalid"
            << "invalid_token";
        QTest::newRow("003 insufficient scope")
            << json(401, "{\"error\": \"insufficient_scope\",\"error_description\": \"The request "
                         "requires higher privileges than provided by the access "
                         "token\",\"error_human_title\": \"Insufficient scope.\"}")
            << resource << ""
            << "provider.marketplace.insufficient_scope"
            << "insufficient_scope";
        QTest::newRow("003 invalid owner in token")
            << json(400, "{\"error\": {\"status\": 400,\"title\": \"Bad Request\",\"detail\": "
                         "\"Invalid owner in token\"}}")
            << resource << ""
            << "provider.marketplace.invalid_owner"
            << "400";
        QTest::newRow("003 grant unauthorized")
            << json(400, "{\"error\": \"unauthorized_client\",\"error_description\": \"The grant "
                         "type is unauthorized for this client_id\",\"error_human_title\": "
                         "\"Unauthorized client.\"}")
            << token << "client_credentials"
            << "provider.marketplace.grant_unauthorized"
            << "unauthorized_client";
        QTest::newRow("003 invalid refresh token")
            << json(400, "{\"error\": \"invalid_grant\",\"error_description\": \"Invalid refresh "
                         "token\",\"error_human_title\": \"Provided authorization credentials are "
                         "invalid or expired.\"}")
            << token << "refresh_token"
            << "provider.marketplace.refresh_invalid"
            << "invalid_grant";

        // Seed 004: a business-listing API (token endpoint).
        QTest::newRow("004 grant_type invalid")
            << json(400,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"grant_type is invalid. "
                    "Accepted values: refresh_token, client_credentials, authorization_code\"}")
            << token << "authorisation_code"
            << "provider.listing.grant_type_invalid"
            << "invalid_grant";
        QTest::newRow("004 invalid refresh_token 400")
            << json(400,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh_token\"}")
            << token << "refresh_token"
            << "provider.listing.refresh_invalid"
            << "invalid_grant";
        QTest::newRow("004 invalid refresh_token 401")
            << json(401,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh_token\"}")
            << token << "refresh_token"
            << "provider.listing.refresh_invalid"
            << "invalid_grant";
        QTest::newRow("004 invalid client_id")
            << json(400,
                    "{\"error\":\"invalid_request\",\"error_description\":\"Invalid client_id\"}")
            << token << "client_credentials"
            << "provider.listing.invalid_client_id"
            << "invalid_request";
        QTest::newRow("004 missing fields")
            << json(400, "{\"error\":\"invalid_request\",\"error_description\":\"Missing fields in "
                         "POST body client_id, client_secret, grant_type and scope required.\"}")
            << token << "client_credentials"
            << "provider.listing.missing_fields"
            << "invalid_request";
        QTest::newRow("004 parameter missing")
            << json(400, "{\"error\":\"invalid_request\",\"error_description\":\"OAuth 2.0 "
                         "Parameter: scope missing\"}")
            << token << "client_credentials"
            << "provider.listing.missing_fields"
            << "invalid_request";
        QTest::newRow("004 post body empty")
            << json(400,
                    "{\"error\":\"invalid_request\",\"error_description\":\"POST body is empty.\"}")
            << token << ""
            << "provider.listing.missing_fields"
            << "invalid_request";
        QTest::newRow("004 must be json")
            << json(400, "{\"error\":\"invalid_request\",\"error_description\":\"Unsupported Media "
                         "Type for POST body. Must be json.\"}")
            << token << "client_credentials"
            << "provider.listing.json_only"
            << "invalid_request";
        QTest::newRow("004 scope invalid")
            << json(400, "{\"error\":\"invalid_scope\",\"error_description\":\"scope is invalid. "
                         "Accepted values: business_connect\"}")
            << token << "client_credentials"
            << "provider.listing.scope_invalid"
            << "invalid_scope";
        QTest::newRow("004 invalid client_id or client_secret")
            << json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client_id "
                         "or client_secret\"}")
            << token << "client_credentials"
            << "provider.listing.client_invalid"
            << "invalid_client";
        QTest::newRow("004 404")
            << json(404, "{\"error\":\"404 Not Found\",\"error_description\":\"invalid_request\"}")
            << token << ""
            << "provider.listing.not_found"
            << "404 not found";
        QTest::newRow("004 500 unknown")
            << json(500, "{\"error\":\"internal_server_error\",\"error_description\":\"AN_UNKNOWN_"
                         "ERROR_OCCURRED\"}")
            << token << ""
            << "provider.listing.unknown_server_error"
            << "internal_server_error";
        QTest::newRow("004 500 server error")
            << json(500,
                    "{\"error\":\"internal_server_error\",\"error_description\":\"server error\"}")
            << token << ""
            << "provider.listing.unknown_server_error"
            << "internal_server_error";
        QTest::newRow("004 expired code")
            << json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Expired "
                         "authorization code passed in token request\"}")
            << token << "authorization_code"
            << "provider.listing.expired_code"
            << "invalid_grant";
        // Seed 004: errors delivered on the redirect URI, '+' for spaces.
        QTest::newRow("004 response_type must be code")
            << redirect("error=unsupported_response_type&error_description=response_type+must+be+"
                        "code&state=xyzABC123")
            << any << ""
            << "provider.listing.response_type_code_only"
            << "unsupported_response_type";
        QTest::newRow("004 S256 only") << redirect("error=invalid_request&error_description=code_"
                                                   "challenge_method+must+be+S256&state=s")
                                       << any << ""
                                       << "provider.listing.pkce_s256_only"
                                       << "invalid_request";
        QTest::newRow("004 client_id not registered")
            << redirect("error=invalid_request&error_description=client_id+does+not+match+a+"
                        "registered+OAuth+app")
            << any << ""
            << "provider.listing.invalid_client_id"
            << "invalid_request";
        QTest::newRow("004 bad request")
            << redirect("error=invalid_request&error_description=bad+request") << any << ""
            << "provider.listing.bad_request"
            << "invalid_request";
        QTest::newRow("004 redirect_uri empty")
            << redirect(
                   "error=invalid_request&error_description=redirect_uri+must+not+be+empty+string")
            << any << ""
            << "redirect.mismatch"
            << "invalid_request";
        QTest::newRow("004 redirect_uri not valid")
            << redirect("error=invalid_request&error_description=redirect_uri+is+not+valid") << any
            << ""
            << "redirect.mismatch"
            << "invalid_request";
        QTest::newRow("004 localhost refused")
            << redirect("error=invalid_request&error_description=localhost+is+not+allowed+for+"
                        "redirect_uri.+Use+the+IP+literal+(127.0.0.1)+instead")
            << any << ""
            << "provider.listing.localhost_refused"
            << "invalid_request";
        QTest::newRow("004 redirect_uri not registered")
            << redirect("error=invalid_request&error_description=redirect_uri+does+not+match+one+"
                        "of+the+registered+redirect_uri+on+OAuth+app")
            << any << ""
            << "redirect.mismatch"
            << "invalid_request";
        QTest::newRow("004 scope empty")
            << redirect("error=invalid_request&error_description=scope+must+not+be+empty+string")
            << any << ""
            << "provider.listing.empty_parameter"
            << "invalid_request";
        QTest::newRow("004 scope not valid")
            << redirect("error=invalid_scope&error_description=scope+is+not+valid") << any << ""
            << "provider.listing.scope_invalid"
            << "invalid_scope";
        QTest::newRow("004 client_id empty")
            << redirect(
                   "error=invalid_request&error_description=client_id+must+not+be+empty+string")
            << any << ""
            << "provider.listing.empty_parameter"
            << "invalid_request";
        QTest::newRow("004 server_error on redirect")
            << redirect("error=server_error&error_description=server+error") << any << ""
            << "provider.listing.unknown_server_error"
            << "server_error";
    }
    void seedDocumentedErrors()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, endpoint);
        QFETCH(QString, grant);
        QFETCH(QString, entry);
        QFETCH(QString, code);
        const Diagnosis diagnosis = explain(raw, DiagnosisContext::Endpoint(endpoint), grant);
        QCOMPARE(diagnosis.entryId, entry);
        QCOMPARE(diagnosis.code, code);
        QVERIFY(!diagnosis.title.isEmpty());
        QVERIFY(!diagnosis.meaning.isEmpty());
        QVERIFY(!diagnosis.causes.isEmpty());
        QVERIFY(!diagnosis.fixes.isEmpty());
        QVERIFY(!diagnosis.references.isEmpty());
    }

    // A provider's own code in the challenge: the headline says where the explanation is, and a
    // cause says the code is not a standard one.
    void unknownChallengeCodeIsNamedAsTheProvidersOwn()
    {
        const Diagnosis diagnosis =
            explain(bare(401, "WWW-Authenticate: Bearer error=\"token_expired\", "
                              "error_description=\"The session ended\"\r\n"),
                    DiagnosisContext::Endpoint::Resource, "");
        QCOMPARE(diagnosis.entryId, QStringLiteral("shape.www_authenticate"));
        const auto ownCode =
            std::find_if(diagnosis.causes.begin(), diagnosis.causes.end(),
                         [](const Diagnosis::Cause &c) { return c.id == "provider_specific"; });
        QVERIFY(ownCode != diagnosis.causes.end());
        QVERIFY(ownCode->text.contains("token_expired"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("see_challenge"));
        QVERIFY(diagnosis.toText().contains("The session ended"));
    }

    void seedFactsReachThePerson()
    {
        using E = DiagnosisContext::Endpoint;
        // Lifetimes and limits the pages document must be in what the person reads.
        QVERIFY(explain(json(400, "{\"error\":\"invalid_grant\"}"), E::Token, "authorization_code")
                    .toText()
                    .contains("5 minutes"));
        QVERIFY(explain(json(400, "{\"error\":\"invalid_grant\"}"), E::Token, "authorization_code")
                    .toText()
                    .contains("1000 ms"));
        QVERIFY(
            explain(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Authorization "
                              "code doesn't exist or is invalid for the client\"}"),
                    E::Token, "authorization_code")
                .toText()
                .contains("10 minutes"));
        QVERIFY(explain(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid "
                                  "refresh token\"}"),
                        E::Token, "refresh_token")
                    .toText()
                    .contains("2592000"));
        QVERIFY(explain(json(401, "{\"httpCode\":\"401\",\"httpMessage\":\"Unauthorized\","
                                  "\"moreInformation\":\"x\"}"),
                        E::Resource, "")
                    .toText()
                    .contains("1 hour"));
        QVERIFY(
            explain(json(401,
                         "{\"error\":\"insufficient_scope\",\"error_description\":\"The request "
                         "requires higher privileges than provided by the access token\"}"),
                    E::Resource, "")
                .toText()
                .contains("read write v2"));
        const Diagnosis limited = explain(bare(429, "Retry-After: 30\r\n"), E::Resource, "");
        QVERIFY(limited.notes.join('\n').contains("wait 30 s"));
        const Diagnosis localhost =
            explain(redirect("error=invalid_request&error_description=localhost+is+not+allowed+for+"
                             "redirect_uri.+Use+the+IP+literal+(127.0.0.1)+instead"),
                    E::Unknown, "");
        QVERIFY(localhost.toText().contains("127.0.0.1"));
        // The raw error code with its trailing space is shown as sent.
        QVERIFY(explain(json(400, "{\"error\":\"unknown \"}"), E::Token, "")
                    .notes.join('\n')
                    .contains("\"unknown \""));
    }

    void shapesAreDiagnosed_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("entry");
        QTest::newRow("problem+json")
            << bare(200, "Content-Type: application/problem+json\r\n",
                    "{\"title\":\"Forbidden\",\"detail\":\"needs admin\"}")
            << "shape.problem_json";
        QTest::newRow("html from proxy")
            << bare(200, "Content-Type: text/html\r\n", "<html><title>Gateway</title></html>")
            << "shape.html_page";
        QTest::newRow("login page")
            << bare(200, "Content-Type: text/html\r\n",
                    "<html><title>Sign in</title><input type=password></html>")
            << "shape.login_page";
        QTest::newRow("not utf-8")
            << bare(400, {}, QByteArray("\xff\xfe\x00\x01", 4)) << "shape.not_utf8";
        QTest::newRow("502 html") << bare(502, "Content-Type: text/html\r\n", "<html>x</html>")
                                  << "http.502";
        QTest::newRow("504") << bare(504) << "http.504";
        QTest::newRow("415") << bare(415) << "http.415";
        QTest::newRow("unrecognized code")
            << json(400, "{\"error\":\"frobnicated\"}") << "unrecognized";
        QTest::newRow("device slow_down")
            << json(400, "{\"error\":\"slow_down\"}") << "device.slow_down";
        QTest::newRow("device pending")
            << json(400, "{\"error\":\"authorization_pending\"}") << "device.authorization_pending";
        QTest::newRow("device expired")
            << json(400, "{\"error\":\"expired_token\"}") << "device.expired_token";
        QTest::newRow("redirect_uri_mismatch code")
            << redirect("error=redirect_uri_mismatch") << "oauth.redirect_uri_mismatch";
    }
    void shapesAreDiagnosed()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, entry);
        QCOMPARE(explain(raw, DiagnosisContext::Endpoint::Unknown, "").entryId, entry);
    }

    void problemDetailsBesideTheStatus()
    {
        const Diagnosis diagnosis =
            explain(bare(403, "Content-Type: application/problem+json\r\n",
                         "{\"title\":\"Forbidden\",\"detail\":\"needs admin\"}"),
                    DiagnosisContext::Endpoint::Resource, "");
        QCOMPARE(diagnosis.entryId, QStringLiteral("http.403"));
        QVERIFY(diagnosis.relatedEntryIds.contains("shape.problem_json"));
        QVERIFY(diagnosis.notes.join('\n').contains("needs admin"));
    }

    void unknownCodeKeepsTheStatusGuidance()
    {
        const Diagnosis diagnosis = explain(json(400, "{\"error\":\"frobnicated\"}"),
                                            DiagnosisContext::Endpoint::Unknown, "");
        QCOMPARE(diagnosis.entryId, QStringLiteral("unrecognized"));
        QVERIFY(diagnosis.title.contains("frobnicated"));
        QVERIFY(diagnosis.relatedEntryIds.contains("http.400"));
        QVERIFY(diagnosis.causes.size() > 1);
    }

    void noDiagnosisForSuccess()
    {
        const auto ok = RawInput::parse(
            json(200, "{\"access_token\":\"a\",\"token_type\":\"Bearer\"}"), nullptr);
        QVERIFY(!Diagnoser().diagnose(*ok).has_value());
        const auto callback = RawInput::parse(redirect("code=abc&state=s"), nullptr);
        QVERIFY(!Diagnoser().diagnose(*callback).has_value());
    }

    void tokenSuccessWithoutAccessToken()
    {
        const auto run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}}, {},
                                 json(200, "{\"token_type\":\"Bearer\"}"));
        const auto diagnosis = Diagnoser().diagnose(run, 2);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->entryId, QStringLiteral("token.no_access_token"));
    }

    void transportFailures_data()
    {
        QTest::addColumn<int>("transport");
        QTest::addColumn<QString>("entry");
        QTest::newRow("refused") << int(HttpExchange::Transport::ConnectionRefused)
                                 << "transport.connection_refused";
        QTest::newRow("dns") << int(HttpExchange::Transport::HostNotFound)
                             << "transport.host_not_found";
        QTest::newRow("timeout") << int(HttpExchange::Transport::Timeout) << "transport.timeout";
        QTest::newRow("tls") << int(HttpExchange::Transport::Tls) << "transport.tls";
    }
    void transportFailures()
    {
        QFETCH(int, transport);
        QFETCH(QString, entry);
        HttpExchange failed;
        failed.request.url = QUrl("https://as.example/token");
        failed.transport = HttpExchange::Transport(transport);
        failed.networkError = "boom";
        const auto diagnosis = Diagnoser().diagnose(failed);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->entryId, entry);
        QVERIFY(diagnosis->notes.join('\n').contains("boom"));
    }

    // Context rules: the flow's own data decides which cause comes first.
    void invalidGrantCausesAreRankedByTheFlow_data()
    {
        QTest::addColumn<FormFields>("auth");
        QTest::addColumn<FormFields>("form");
        QTest::addColumn<qint64>("codeAge");
        QTest::addColumn<QString>("firstCause");
        const Pkce pkce = Pkce::generate();
        const FormFields auth{{"redirect_uri", "http://127.0.0.1:5000/callback"},
                              {"code_challenge", QString::fromLatin1(pkce.challenge)},
                              {"code_challenge_method", "S256"}};
        const FormFields good{{"grant_type", "authorization_code"},
                              {"code", "c"},
                              {"redirect_uri", "http://127.0.0.1:5000/callback"},
                              {"code_verifier", QString::fromLatin1(pkce.verifier)}};
        FormFields otherRedirect = good;
        otherRedirect[2].second = "http://127.0.0.1:5001/callback";
        FormFields noVerifier = good;
        noVerifier.removeLast();
        FormFields wrongVerifier = good;
        wrongVerifier[3].second = QString(43, 'a');
        QTest::newRow("redirect_uri differs")
            << auth << otherRedirect << qint64(2) << "redirect_uri_differs";
        QTest::newRow("verifier missing")
            << auth << noVerifier << qint64(2) << "pkce_verifier_missing";
        QTest::newRow("verifier wrong") << auth << wrongVerifier << qint64(2) << "pkce_mismatch";
        QTest::newRow("code too old") << auth << good << qint64(700) << "code_expired";
    }
    void invalidGrantCausesAreRankedByTheFlow()
    {
        QFETCH(FormFields, auth);
        QFETCH(FormFields, form);
        QFETCH(qint64, codeAge);
        QFETCH(QString, firstCause);
        const auto run = codeRun(
            auth, form, {}, json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"x\"}"),
            codeAge);
        const auto diagnosis = Diagnoser().diagnose(run, 2);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->causes.first().id, firstCause);
        QVERIFY(diagnosis->causes.first().confirmed);
        QVERIFY(!diagnosis->causes.first().evidence.isEmpty());
    }

    void freshCodeMakesExpiryUnlikely()
    {
        const auto run =
            codeRun({{"redirect_uri", "http://127.0.0.1:5000/callback"}},
                    {{"grant_type", "authorization_code"},
                     {"code", "c"},
                     {"redirect_uri", "http://127.0.0.1:5000/callback"}},
                    {}, json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"x\"}"), 3);
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        const auto expired = std::find_if(diagnosis.causes.begin(), diagnosis.causes.end(),
                                          [](const auto &c) { return c.id == "code_expired"; });
        QVERIFY(expired != diagnosis.causes.end());
        QVERIFY(expired->evidence.contains("3 s"));
        QVERIFY(expired->weight < 0);
        const auto reused = std::find_if(diagnosis.causes.begin(), diagnosis.causes.end(),
                                         [](const auto &c) { return c.id == "code_reused"; });
        QVERIFY(reused < expired); // a fresh code is likelier reused than expired
    }

    void reusedCodeIsFlagged()
    {
        QList<HttpExchange> run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}},
                                          {}, json(200, "{\"access_token\":\"a\"}"));
        HttpExchange second = run.last();
        second.status = 400;
        second.responseBody = "{\"error\":\"invalid_grant\",\"error_description\":\"used\"}";
        run << second;
        const auto diagnosis = *Diagnoser().diagnose(run, 3);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("code_reused"));
    }

    void basicHeaderMistakesAreShown()
    {
        const QByteArray unencoded = "Basic " + QByteArray("my client:se:cret").toBase64();
        auto run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}}, unencoded,
                           json(401, "{\"error\":\"invalid_client\"}"));
        auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("basic_not_form_encoded"));
        const auto wrong = std::find_if(diagnosis.causes.begin(), diagnosis.causes.end(),
                                        [](const auto &c) { return c.id == "wrong_credentials"; });
        QVERIFY(wrong->evidence.contains("\"my client\""));

        run = codeRun({},
                      {{"grant_type", "authorization_code"}, {"code", "c"}, {"client_secret", "s"}},
                      TokenRequest::basicAuthorizationValue("id", "s"),
                      json(401, "{\"error\":\"invalid_client\"}"));
        diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("multiple_auth_methods"));

        // A correct header moves the encoding and "nothing sent" causes to the bottom.
        run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}},
                      TokenRequest::basicAuthorizationValue("id", "se:cret x"),
                      json(401, "{\"error\":\"invalid_client\"}"));
        diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("wrong_credentials"));
        for (const auto &cause : diagnosis.causes) {
            if (cause.id == "basic_not_form_encoded" || cause.id == "no_client_auth")
                QVERIFY2(cause.weight < 0, qPrintable(cause.id));
        }
    }

    void grantTypeSpellingIsSuggested()
    {
        const auto run = codeRun({}, {{"grant_type", "authorisation_code"}, {"code", "c"}}, {},
                                 json(400, "{\"error\":\"unsupported_grant_type\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("grant_type_misspelled"));
        QVERIFY(diagnosis.causes.first().evidence.contains("did you mean \"authorization_code\""));
    }

    void grantInputMismatchIsFound()
    {
        const auto run = codeRun({}, {{"grant_type", "authorization_code"}, {"refresh_token", "r"}},
                                 {}, json(400, "{\"error\":\"invalid_request\"}"));
        QCOMPARE(Diagnoser().diagnose(run, 2)->causes.first().id,
                 QStringLiteral("grant_input_mismatch"));
    }

    void missingParameterIsNamed()
    {
        const auto run = codeRun({}, {{"grant_type", "authorization_code"}}, {},
                                 json(400, "{\"error\":\"invalid_request\",\"error_description\":"
                                           "\"Missing parameter: \\\"code\\\" is required\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("missing_parameter"));
        QVERIFY(diagnosis.causes.first().evidence.contains("\"code\""));
        QVERIFY(diagnosis.causes.first().evidence.contains("did not send it"));
    }

    void scopesRequestedAreListed()
    {
        const auto run = codeRun({{"scope", "openid payments"}},
                                 {{"grant_type", "client_credentials"}, {"scope", "read,write"}},
                                 {}, json(400, "{\"error\":\"invalid_scope\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("scope_separator"));
        QVERIFY(diagnosis.toText().contains("read,write"));
    }

    void jsonWantedIsConfirmed()
    {
        const auto run =
            codeRun({}, {{"grant_type", "client_credentials"}}, {},
                    json(400, "{\"error\":\"invalid_request\",\"error_description\":\"Unsupported "
                              "Media Type for POST body. Must be json.\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.entryId, QStringLiteral("provider.listing.json_only"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("wants_json"));
        QVERIFY(diagnosis.causes.first().confirmed);
    }

    void getOnTheTokenEndpoint()
    {
        auto run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}}, {},
                           bare(405, "Allow: POST\r\n"));
        run[2].request.method = "GET";
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.entryId, QStringLiteral("http.405"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("token_get"));
        QVERIFY(diagnosis.causes.first().confirmed);
    }

    void truncatedBodyIsNoted()
    {
        const Diagnosis diagnosis =
            explain("HTTP/1.1 400 X\r\nContent-Type: application/json\r\nContent-Length: "
                    "500\r\n\r\n{\"error\":\"invalid_req",
                    DiagnosisContext::Endpoint::Token, "");
        QVERIFY(diagnosis.notes.join('\n').contains("cut off"));
        QCOMPARE(diagnosis.entryId, QStringLiteral("http.400"));
    }

    void deviceDenial()
    {
        const Diagnosis diagnosis =
            explain(json(400, "{\"error\":\"access_denied\"}"), DiagnosisContext::Endpoint::Token,
                    "urn:ietf:params:oauth:grant-type:device_code");
        QCOMPARE(diagnosis.entryId, QStringLiteral("device.access_denied"));
        QVERIFY(diagnosis.fixes.join(' ').contains("Stop polling"));
    }

    void errorHiddenInSuccess()
    {
        const auto diagnosis = explain(json(200, "{\"error\":\"invalid_request\"}"),
                                       DiagnosisContext::Endpoint::Token, "");
        QCOMPARE(diagnosis.entryId, QStringLiteral("oauth.invalid_request"));
        QVERIFY(diagnosis.toText().contains("success status"));
    }

    void jsonOutputIsComplete()
    {
        const QJsonObject object =
            explain(json(400, "{\"error\":\"invalid_scope\",\"error_description\":\"nope\"}"),
                    DiagnosisContext::Endpoint::Token, "client_credentials")
                .toJson();
        for (const char *key : {"code", "category", "causes", "fixes", "references", "title",
                                "meaning", "severity", "server"})
            QVERIFY2(object.contains(QLatin1String(key)), key);
        QCOMPARE(object.value("server").toObject().value("error_description").toString(),
                 QStringLiteral("nope"));
    }
};

QTEST_GUILESS_MAIN(TestDiagnoser)
#include "tst_diagnoser.moc"
