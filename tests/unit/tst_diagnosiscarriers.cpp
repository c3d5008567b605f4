// The diagnosis reads an error wherever the server put it, knows the entries RFCs and OpenID
// Connect added, and applies a provider's knowledge only to that provider.
#include "DiagnosisTest.h"
#include "core/diagnosis/ProviderIdentifier.h"

#include <QJsonArray>

using namespace workbench;
using namespace workbench::test;
using Source = Diagnosis::Evidence::Source;
using Status = Diagnosis::Cause::Status;
using E = DiagnosisContext::Endpoint;

class TestDiagnosisCarriers : public QObject
{
    Q_OBJECT

    static Diagnosis explainRaw(const QByteArray &raw, const DiagnosisHints &hints = {})
    {
        return explain(raw, E::Unknown, {}, hints);
    }

private slots:
    void errorInALocationHeader()
    {
        const Diagnosis diagnosis = explainRaw(
            "GET https://as.example/authorize?client_id=app&response_type=code HTTP/1.1\n\n"
            "HTTP/1.1 302 Found\nLocation: https://app.example/cb?error=access_denied&"
            "error_description=The+user+cancelled&state=s1\n\n");
        QCOMPARE(diagnosis.code, QStringLiteral("access_denied"));
        QCOMPARE(diagnosis.signal.shape, ErrorSignal::Shape::RedirectError);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("user_declined"));
        QVERIFY(diagnosis.notes.join('\n').contains("Location header of the 302 redirect"));
        QVERIFY(diagnosis.notes.join('\n').contains("https://app.example/cb"));
    }

    // An authorization server's HTML error page: its words are shown and diagnosed, and no
    // token-endpoint cause is offered for a page the browser was shown.
    void htmlErrorPageIsReadAndShown()
    {
        const Diagnosis diagnosis = explainRaw(
            "GET https://as.example/authorize?client_id=app&response_type=code&redirect_uri="
            "http%3A%2F%2F127.0.0.1%3A7777%2Fcb HTTP/1.1\n\n"
            "HTTP/1.1 400 Bad Request\nContent-Type: text/html\n\n"
            "<html><head><title>Sign-in error</title><style>h1{color:red}</style>"
            "<script>var x = 'invalid_client';</script></head><body><h1>We're sorry</h1>"
            "<p>The redirect URI &quot;http://127.0.0.1:7777/cb&quot; is not registered for this "
            "client.</p></body></html>");
        QCOMPARE(diagnosis.signal.shape, ErrorSignal::Shape::HtmlPage);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("redirect_unregistered"));
        QCOMPARE(diagnosis.causes.first().status, Status::Confirmed);
        const QString notes = diagnosis.notes.join('\n');
        QVERIFY(notes.contains("page title: Sign-in error"));
        QVERIFY(notes.contains("page heading: We're sorry"));
        QVERIFY2(notes.contains("\"http://127.0.0.1:7777/cb\" is not registered"),
                 qPrintable(notes));
        QVERIFY(!notes.contains("color:red"));
        QVERIFY(!notes.contains("var x"));
        QVERIFY(!notes.contains("illegal value"));
        for (const char *tokenCause : {"wrong_credentials", "no_client_auth", "code_expired"})
            QVERIFY2(rankOf(diagnosis, QString::fromLatin1(tokenCause)) < 0, tokenCause);
        // The variants a server compares are spelled out with the URI sent.
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::Flow, "http://localhost:7777/cb"));
    }

    void codeFoundInThePageText()
    {
        const Diagnosis diagnosis =
            explainRaw(bare(400, "Content-Type: text/html\r\n",
                            "<html><body><h1>Access blocked</h1><p>Error 400: "
                            "redirect_uri_mismatch</p></body></html>"));
        QCOMPARE(diagnosis.code, QStringLiteral("redirect_uri_mismatch"));
        QVERIFY(diagnosis.notes.join('\n').contains("the page's text"));
    }

    void challengeOnAnyStatus()
    {
        const Diagnosis diagnosis =
            explain(bare(400,
                         "Content-Type: application/json\r\nWWW-Authenticate: Bearer "
                         "error=\"invalid_request\", error_description=\"No token\"\r\n",
                         "{\"message\":\"bad\"}"),
                    E::Resource);
        QCOMPARE(diagnosis.code, QStringLiteral("invalid_request"));
        QVERIFY(diagnosis.notes.join('\n').contains("No token"));
    }

    void graphStyleObject()
    {
        const Diagnosis diagnosis = explain(
            json(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access "
                      "token has expired or is not yet valid.\",\"innerError\":{\"request-id\":"
                      "\"r-1\",\"date\":\"2024-01-01T00:00:00\"}}}"),
            E::Resource);
        QCOMPARE(diagnosis.signal.shape, ErrorSignal::Shape::GraphErrorJson);
        QCOMPARE(diagnosis.code, QStringLiteral("InvalidAuthenticationToken"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("token_expired"));
        QVERIFY(diagnosis.notes.join('\n').contains("request-id: r-1"));
    }

    void numericCodesOfNestedObjects()
    {
        ErrorSignal meta = ResponseClassifier::classifyResponse(
            400, {},
            "{\"error\":{\"message\":\"Error validating access token\",\"type\":"
            "\"OAuthException\",\"code\":190,\"error_subcode\":463}}");
        QCOMPARE(meta.error, QStringLiteral("190"));
        QCOMPARE(meta.extras.value("type"), QStringLiteral("OAuthException"));
        QCOMPARE(meta.extras.value("error_subcode"), QStringLiteral("463"));
        ErrorSignal google = ResponseClassifier::classifyResponse(
            401, {},
            "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication "
            "credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
        QCOMPARE(google.error, QStringLiteral("unauthenticated"));
    }

    void providersOwnShapes()
    {
        ErrorSignal okta = ResponseClassifier::classifyResponse(
            401, {},
            "{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\","
            "\"errorId\":\"oae1\"}");
        QCOMPARE(okta.rawError, QStringLiteral("E0000011"));
        QCOMPARE(okta.description, QStringLiteral("Invalid token provided"));
        ErrorSignal aws = ResponseClassifier::classifyResponse(
            400, {},
            "{\"__type\":\"NotAuthorizedException\",\"message\":\"Incorrect username or "
            "password.\"}");
        QCOMPARE(aws.rawError, QStringLiteral("NotAuthorizedException"));
        ErrorSignal salesforce = ResponseClassifier::classifyResponse(
            401, {},
            "[{\"message\":\"Session expired or invalid\",\"errorCode\":"
            "\"INVALID_SESSION_ID\"}]");
        QCOMPARE(salesforce.rawError, QStringLiteral("INVALID_SESSION_ID"));
        QCOMPARE(salesforce.description, QStringLiteral("Session expired or invalid"));
        ErrorSignal ory = ResponseClassifier::classifyResponse(
            400, {},
            "{\"error\":\"invalid_grant\",\"error_description\":\"The provided "
            "authorization grant is invalid\",\"error_hint\":\"The PKCE code challenge did "
            "not match the code verifier.\",\"error_debug\":\"x\"}");
        QCOMPARE(ory.hint,
                 QStringLiteral("The PKCE code challenge did not match the code verifier."));
        QVERIFY(ory.words().contains("PKCE code challenge did not match"));
    }

    // The hint field is the server's words too: it decides the cause.
    void hintDecides()
    {
        const Diagnosis diagnosis = explain(
            json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"The provided "
                      "authorization grant is invalid\",\"error_hint\":\"The PKCE code challenge "
                      "did not match the code verifier.\"}"),
            E::Token, "authorization_code");
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("pkce_mismatch"));
    }

    void formAndTextBodies()
    {
        Diagnosis diagnosis =
            explain(bare(400, "Content-Type: application/x-www-form-urlencoded\r\n",
                         "error=invalid_grant&error_description=The+code+has+expired"),
                    E::Token, "authorization_code");
        QCOMPARE(diagnosis.code, QStringLiteral("invalid_grant"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("code_expired"));
        diagnosis = explain(bare(401, "Content-Type: text/plain\r\n",
                                 "invalid_client: client authentication failed"),
                            E::Token);
        QCOMPARE(diagnosis.code, QStringLiteral("invalid_client"));
        QCOMPARE(diagnosis.entryId, QStringLiteral("oauth.invalid_client"));
    }

    // Near-JSON, as documents print it and some servers send it, is read and said to be so.
    void lenientJson_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("liberty");
        QTest::newRow("trailing comma")
            << QByteArray("{\n\"error\": \"invalid_request\",\n\"error_description\": \"Missing "
                          "parameter: \\\"code\\\" is required\",\n}")
            << "trailing comma";
        QTest::newRow("byte-order mark")
            << QByteArray("\xEF\xBB\xBF{\"error\":\"invalid_request\"}") << "byte-order mark";
        QTest::newRow("no braces")
            << QByteArray("  \"error\": \"invalid_request\",\n  \"error_description\": \"x\"")
            << "enclosing braces";
    }
    void lenientJson()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, liberty);
        const Diagnosis diagnosis = explain(json(400, body), E::Token, "authorization_code");
        QCOMPARE(diagnosis.code, QStringLiteral("invalid_request"));
        QCOMPARE(diagnosis.entryId, QStringLiteral("oauth.invalid_request"));
        QVERIFY2(diagnosis.notes.join('\n').contains("not strict JSON"),
                 qPrintable(diagnosis.toText()));
        QVERIFY(diagnosis.notes.join('\n').contains(liberty));
    }

    void entriesForNewCodes_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("endpoint");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("firstCause");
        const int token = int(E::Token), resource = int(E::Resource), authz = int(E::Authorization);
        QTest::newRow("use_dpop_nonce")
            << bare(401,
                    "WWW-Authenticate: DPoP error=\"use_dpop_nonce\", error_description=\"nonce "
                    "required\"\r\nDPoP-Nonce: eyJ7S_zG\r\n")
            << resource << "dpop.use_dpop_nonce"
            << "dpop_nonce_required";
        QTest::newRow("invalid_dpop_proof")
            << json(400, "{\"error\":\"invalid_dpop_proof\",\"error_description\":\"DPoP proof htu "
                         "mismatch\"}")
            << token << "dpop.invalid_dpop_proof"
            << "dpop_proof_invalid";
        QTest::newRow("invalid_target")
            << json(400, "{\"error\":\"invalid_target\"}") << token << "oauth.invalid_target"
            << "target_invalid";
        QTest::newRow("invalid_authorization_details")
            << redirect("error=invalid_authorization_details") << authz
            << "oauth.invalid_authorization_details"
            << "authorization_details_invalid";
        QTest::newRow("invalid_request_uri")
            << redirect("error=invalid_request_uri&error_description=request_uri+expired") << authz
            << "oauth.invalid_request_uri"
            << "request_uri_invalid";
        QTest::newRow("invalid_request_object")
            << redirect("error=invalid_request_object") << authz << "oauth.invalid_request_object"
            << "request_object_invalid";
        QTest::newRow("login_required")
            << redirect("error=login_required") << authz << "oidc.login_required"
            << "login_required";
        QTest::newRow("consent_required")
            << redirect("error=consent_required") << authz << "oidc.consent_required"
            << "consent_required";
        QTest::newRow("interaction_required")
            << redirect("error=interaction_required") << authz << "oidc.interaction_required"
            << "interaction_required";
        QTest::newRow("account_selection_required") << redirect("error=account_selection_required")
                                                    << authz << "oidc.account_selection_required"
                                                    << "account_selection_required";
        QTest::newRow("unmet_authentication_requirements")
            << redirect("error=unmet_authentication_requirements") << authz << "oauth.step_up"
            << "step_up_required";
        QTest::newRow("insufficient_user_authentication")
            << bare(401, "WWW-Authenticate: Bearer error=\"insufficient_user_authentication\", "
                         "acr_values=\"mfa\"\r\n")
            << resource << "oauth.step_up"
            << "step_up_required";
        QTest::newRow("mfa_required")
            << json(403, "{\"error\":\"mfa_required\"}") << token << "oauth.mfa_required"
            << "mfa_required";
        QTest::newRow("PKCE required")
            << redirect("error=invalid_request&error_description=code_challenge+required") << authz
            << "pkce.required"
            << "pkce_required";
        QTest::newRow("clock skew")
            << json(400, "{\"error\":\"invalid_client\",\"error_description\":\"client_assertion "
                         "iat is in the future\"}")
            << token << "time.clock_skew"
            << "clock_skew";
        QTest::newRow("WAF page")
            << bare(403, "Content-Type: text/html\r\n",
                    "<html><head><title>Attention Required! | Cloudflare</title></head><body><h1>"
                    "Sorry, you have been blocked</h1></body></html>")
            << token << "http.waf_block"
            << "waf_block";
        QTest::newRow("content type")
            << json(400, "{\"error\":\"invalid_request\",\"error_description\":\"Content-Type "
                         "must be application/x-www-form-urlencoded\"}")
            << token << "http.content_type"
            << "wrong_content_type";
        QTest::newRow("method") << bare(405, "Allow: POST\r\n") << resource << "http.405"
                                << "wrong_method";
    }
    void entriesForNewCodes()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, endpoint);
        QFETCH(QString, entry);
        QFETCH(QString, firstCause);
        const Diagnosis diagnosis = explain(raw, E(endpoint));
        QCOMPARE(diagnosis.entryId, entry);
        QVERIFY2(diagnosis.causes.first().id == firstCause, qPrintable(causeIds(diagnosis)));
        QVERIFY(!diagnosis.fixes.isEmpty());
    }

    // The headers beside the body are the server's words too.
    void headersAreEvidence()
    {
        Diagnosis diagnosis = explain(
            bare(401, "WWW-Authenticate: DPoP error=\"invalid_token\"\r\nDPoP-Nonce: n-1\r\n"),
            E::Resource);
        const Diagnosis::Cause *nonce = causeOf(diagnosis, "dpop_nonce_required");
        QVERIFY2(nonce, qPrintable(causeIds(diagnosis)));
        QCOMPARE(nonce->status, Status::Confirmed);
        QVERIFY(hasEvidence(*nonce, Source::ServerWords, "DPoP-Nonce"));
        diagnosis = explain(bare(429, "Retry-After: 30\r\n"), E::Token);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("rate_limited"));
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::ServerWords, "wait 30 s"));
    }

    // The server wants PKCE and this run sent no code_challenge: both say so.
    void pkceRequiredSeenInTheRun()
    {
        const auto run = codeRun({{"redirect_uri", "http://127.0.0.1:5000/callback"}},
                                 {{"grant_type", "authorization_code"}, {"code", "c"}}, {},
                                 json(400, "{\"error\":\"invalid_grant\",\"error_description\":"
                                           "\"PKCE is required for this client\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("pkce_required"));
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::ServerWords, "PKCE is required"));
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::Flow, "sent no code_challenge"));
    }

    void dpopBoundTokenSentAsBearer()
    {
        HttpExchange token = *RawInput::parse(
            json(200, "{\"access_token\":\"at-1\",\"token_type\":\"DPoP\",\"expires_in\":300}"),
            nullptr);
        token.request = TokenRequest::formPost(QUrl("https://as.example/token"),
                                               {{"grant_type", "client_credentials"}});
        token.startedAt = QDateTime::currentDateTimeUtc().addSecs(-5);
        HttpExchange call = *RawInput::parse(bare(401, "WWW-Authenticate: DPoP "
                                                       "error=\"invalid_token\"\r\n"),
                                             nullptr);
        call.request.url = QUrl("https://api.example/items");
        call.request.setHeader("Authorization", "Bearer at-1");
        call.startedAt = QDateTime::currentDateTimeUtc();
        const auto diagnosis = *Diagnoser().diagnose({token, call}, 1);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("dpop_bound_as_bearer"));
        // The token was 5 s old of 300: not expired.
        QCOMPARE(causeOf(diagnosis, "token_expired")->status, Status::Contradicted);
    }

    // Which provider answered, by what evidence; nobody's pack for an unknown server.
    void providerIdentification()
    {
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        ProviderIdentifier::Input input;
        input.requestUrl = QUrl("https://auth.nowhere.example/oauth/token");
        input.serverText = "invalid_grant\nThe code is bad";
        QVERIFY(ProviderIdentifier::identify(kb, input).id.isEmpty());
        input.chosen = "marketplace";
        Diagnosis::Provider provider = ProviderIdentifier::identify(kb, input);
        QCOMPARE(provider.id, QStringLiteral("marketplace"));
        QCOMPARE(provider.via, QStringLiteral("chosen for this profile"));
        input.chosen.clear();
        input.responseHeaders = {{"X-Sandbox-Imitates", "bank-gateway"}};
        provider = ProviderIdentifier::identify(kb, input);
        QCOMPARE(provider.id, QStringLiteral("bank-gateway"));
        QVERIFY(provider.via.contains("sandbox"));
        input.responseHeaders = {{"X-Sandbox-Imitates", "no-such-pack"}};
        QVERIFY(ProviderIdentifier::identify(kb, input).id.isEmpty());
    }

    // A bare invalid_grant from an unrelated server gets the generic knowledge: no gateway's
    // lifetimes or advice. The same answer from that gateway gets them.
    void noProviderWordsLeak()
    {
        const QByteArray raw = "POST https://auth.unrelated.example/oauth/token HTTP/1.1\n"
                               "Content-Type: application/x-www-form-urlencoded\n\n"
                               "grant_type=authorization_code&code=c\n\n" +
                               json(400, "{\"error\": \"invalid_grant\"}");
        const Diagnosis generic = explainRaw(raw);
        QVERIFY(generic.provider.id.isEmpty());
        const QString text = generic.toText();
        for (const char *words : {"5 minutes", "1000 ms", "gateway", "2592000", "10 minutes"})
            QVERIFY2(!text.contains(QLatin1String(words)), words);
        QCOMPARE(generic.causes.first().id, QStringLiteral("code_expired"));

        DiagnosisHints hints;
        hints.provider = "bank-gateway";
        const Diagnosis gateway = explainRaw(raw, hints);
        QCOMPARE(gateway.entryId, QStringLiteral("bank-gateway.invalid_code"));
        QVERIFY(gateway.toText().contains("5 minutes"));
        QVERIFY(gateway.toText().contains("1000 ms"));
    }

    // No pack's own wording appears in a diagnosis of an unknown provider's answers.
    void packWordingStaysInItsPack()
    {
        const KnowledgeBase &kb = KnowledgeBase::builtIn();
        QStringList packWords;
        for (const auto &entry : kb.entries()) {
            if (entry.pack.isEmpty())
                continue;
            packWords << entry.meaning;
            for (const auto &ref : entry.causes) {
                if (!ref.text.isEmpty())
                    packWords << ref.text;
                if (!ref.fix.isEmpty())
                    packWords << ref.fix;
            }
        }
        const QList<QByteArray> answers{
            json(400, "{\"error\":\"invalid_grant\"}"),
            json(401, "{\"error\":\"invalid_grant\"}"),
            json(401, "{\"error\":\"invalid_client\"}"),
            json(400, "{\"error\":\"invalid_request\"}"),
            json(400, "{\"error\":\"invalid_scope\"}"),
            json(400, "{\"error\":\"unauthorized_client\"}"),
            json(403, "{\"httpCode\":\"403\",\"httpMessage\":\"Forbidden\"}"),
            json(401, "{\"httpCode\":\"401\",\"httpMessage\":\"Unauthorized\"}"),
            json(400, "{\"error\":\"unknown \"}"),
            bare(429, "Retry-After: 5\r\n"),
            bare(404),
            bare(403),
            json(500, "{\"error\":\"server_error\"}"),
            redirect("error=invalid_request&error_description=redirect_uri+is+not+valid"),
            redirect("error=access_denied")};
        for (const QByteArray &answer : answers) {
            for (E endpoint : {E::Token, E::Resource, E::Authorization}) {
                for (const QString &grant : {QString(), QStringLiteral("authorization_code"),
                                             QStringLiteral("refresh_token")}) {
                    const QString text = explain(answer, endpoint, grant).toText();
                    for (const QString &words : std::as_const(packWords))
                        QVERIFY2(!text.contains(words),
                                 qPrintable(QStringLiteral("%1\n--- leaked: %2")
                                                .arg(QString::fromUtf8(answer), words)));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestDiagnosisCarriers)
#include "tst_diagnosiscarriers.moc"
