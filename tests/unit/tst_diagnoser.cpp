// The diagnosis engine: which knowledge applies, and how the evidence ranks the causes.
#include "DiagnosisTest.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace workbench;
using namespace workbench::test;
using Source = Diagnosis::Evidence::Source;
using Status = Diagnosis::Cause::Status;
using E = DiagnosisContext::Endpoint;

class TestDiagnoser : public QObject
{
    Q_OBJECT

private slots:
    void shapesAreDiagnosed_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("entry");
        QTest::newRow("problem+json") << bare(422, "Content-Type: application/problem+json\r\n",
                                              "{\"title\":\"Unprocessable\",\"detail\":\"x\"}")
                                      << "shape.problem_json";
        QTest::newRow("html") << bare(200, "Content-Type: text/html\r\n",
                                      "<html><title>Gateway</title></html>")
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
        QTest::newRow("challenge with an unknown code")
            << bare(401, "WWW-Authenticate: Bearer error=\"token_expired\"\r\n")
            << "shape.www_authenticate";
        QTest::newRow("unknown code in the body")
            << bare(401, "Content-Type: application/json\r\n", "{\"error\":\"token_expired\"}")
            << "unrecognized";
    }
    void shapesAreDiagnosed()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, entry);
        QCOMPARE(explain(raw, E::Unknown).entryId, entry);
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

    // The flow's own data decides which cause comes first, and says so.
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
        QCOMPARE(diagnosis->causes.first().status, Status::Confirmed);
        QVERIFY(hasEvidence(diagnosis->causes.first(), Source::Flow, ""));
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
        const Diagnosis::Cause *expired = causeOf(diagnosis, "code_expired");
        QVERIFY2(expired, qPrintable(causeIds(diagnosis)));
        QVERIFY(hasEvidence(*expired, Source::Flow, "3 s after it arrived", false));
        QCOMPARE(expired->status, Status::Unknown);
        // A fresh code is likelier reused than expired: reused stays where the knowledge puts
        // it, expiry goes below every cause that nothing speaks against.
        QVERIFY(rankOf(diagnosis, "code_reused") >= 0);
        QVERIFY2(rankOf(diagnosis, "code_reused") < rankOf(diagnosis, "code_expired"),
                 qPrintable(causeIds(diagnosis)));
        QVERIFY2(rankOf(diagnosis, "wrong_client") < rankOf(diagnosis, "code_expired"),
                 qPrintable(causeIds(diagnosis)));
        // The redirect URIs were equal: that cause is ruled out and last.
        const Diagnosis::Cause *differs = causeOf(diagnosis, "redirect_uri_differs");
        QVERIFY2(differs, "a cause ruled out is listed last, not dropped");
        QCOMPARE(differs->status, Status::Contradicted);
        QVERIFY(rankOf(diagnosis, "redirect_uri_differs") > rankOf(diagnosis, "code_expired"));
    }

    void reusedCodeIsFlagged()
    {
        QList<HttpExchange> run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}},
                                          {}, json(200, "{\"access_token\":\"a\"}"));
        HttpExchange second = run.last();
        second.status = 400;
        second.responseBody = "{\"error\":\"invalid_grant\",\"error_description\":\"x\"}";
        run << second;
        const auto diagnosis = *Diagnoser().diagnose(run, 3);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("code_reused"));
        QCOMPARE(diagnosis.causes.first().status, Status::Confirmed);
    }

    // The server's words confirm a cause and put it first, quoting them, whatever the order
    // the knowledge lists the causes in.
    void serverWordsLead_data()
    {
        QTest::addColumn<QString>("grant");
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("firstCause");
        QTest::newRow("already redeemed") << "authorization_code"
                                          << "The code was already redeemed."
                                          << "code_reused";
        QTest::newRow("PKCE failed") << "authorization_code"
                                     << "PKCE verification failed: Code mismatch"
                                     << "pkce_mismatch";
        QTest::newRow("verifier incorrect") << "authorization_code"
                                            << "code_verifier was incorrect"
                                            << "pkce_mismatch";
        QTest::newRow("wrong password") << "password"
                                        << "Invalid user credentials"
                                        << "user_credentials_wrong";
        QTest::newRow("session ended") << "refresh_token"
                                       << "Session not active"
                                       << "session_ended";
        QTest::newRow("refresh reused") << "refresh_token"
                                        << "Refresh token has already been used"
                                        << "refresh_reused";
        QTest::newRow("code expired") << "authorization_code"
                                      << "The authorization code has expired"
                                      << "code_expired";
        QTest::newRow("another client") << "authorization_code"
                                        << "The code was issued to another client"
                                        << "wrong_client";
        QTest::newRow("clock") << ""
                               << "The token was issued in the future"
                               << "clock_skew";
    }
    void serverWordsLead()
    {
        QFETCH(QString, grant);
        QFETCH(QString, description);
        QFETCH(QString, firstCause);
        const QByteArray body = QJsonDocument(QJsonObject{{"error", "invalid_grant"},
                                                          {"error_description", description}})
                                    .toJson(QJsonDocument::Compact);
        const Diagnosis diagnosis = explain(json(400, body), E::Token, grant);
        QCOMPARE(diagnosis.causes.first().id, firstCause);
        QCOMPARE(diagnosis.causes.first().status, Status::Confirmed);
        QVERIFY2(hasEvidence(diagnosis.causes.first(), Source::ServerWords, description),
                 qPrintable(diagnosis.toText()));
    }

    // prompt=none on the run's authorization request, then an error that needs a page: the
    // cause that says prompt=none forbade the page comes first, with the request as evidence.
    // oidc-provider's "End-User authentication is required" names no parameter, so it is not
    // taken for a missing one (it was, confirmed and first, before).
    void promptNoneLeadsThePageErrors_data()
    {
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("description");
        QTest::newRow("login_required") << "login_required"
                                        << "End-User authentication is required";
        QTest::newRow("consent_required") << "consent_required"
                                          << "prompt none was requested";
        QTest::newRow("interaction_required") << "interaction_required"
                                              << "interaction is needed";
    }
    void promptNoneLeadsThePageErrors()
    {
        QFETCH(QString, error);
        QFETCH(QString, description);
        QList<HttpExchange> run =
            codeRun({{"response_type", "code"}, {"prompt", "none"}}, {}, {}, json(200, "{}"));
        run.removeLast();
        QUrl back("http://127.0.0.1:5000/callback");
        back.setQuery(QString::fromLatin1(FormEncoding::encode(
            {{"error", error}, {"error_description", description}, {"state", "s"}})));
        run.last().request.url = back;
        const auto diagnosis = Diagnoser().diagnose(run, run.size() - 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, error);
        QCOMPARE(diagnosis->causes.first().id, error);
        QVERIFY2(hasEvidence(diagnosis->causes.first(), Source::Flow, "prompt=none"),
                 qPrintable(diagnosis->toText()));
        QVERIFY(!causeOf(*diagnosis, "missing_parameter") ||
                causeOf(*diagnosis, "missing_parameter")->status != Status::Confirmed);
    }

    // What the request itself shows rules causes out; they go last, with the reason.
    void causesContradictedByTheRequestGoLast()
    {
        // The exact standard URN was sent: not a misspelling.
        auto run = codeRun(
            {},
            {{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}, {"device_code", "d"}},
            {}, json(400, "{\"error\":\"unsupported_grant_type\"}"));
        Diagnosis diagnosis = *Diagnoser().diagnose(run, 2);
        const Diagnosis::Cause *misspelled = causeOf(diagnosis, "grant_type_misspelled");
        QVERIFY(misspelled);
        QCOMPARE(misspelled->status, Status::Contradicted);
        QCOMPARE(diagnosis.causes.last().id, QStringLiteral("grant_type_misspelled"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("grant_not_supported"));

        // client_secret_post: no Basic header, and credentials were sent.
        run = codeRun({},
                      {{"grant_type", "client_credentials"},
                       {"client_id", "app"},
                       {"client_secret", "s3cret"}},
                      {}, json(401, "{\"error\":\"invalid_client\"}"));
        diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("wrong_credentials"));
        for (const char *ruledOut :
             {"basic_not_form_encoded", "basic_header_malformed", "no_client_auth"}) {
            const Diagnosis::Cause *cause = causeOf(diagnosis, QString::fromLatin1(ruledOut));
            QVERIFY2(cause, ruledOut);
            QCOMPARE(cause->status, Status::Contradicted);
            QVERIFY(rankOf(diagnosis, QString::fromLatin1(ruledOut)) >
                    rankOf(diagnosis, "client_inactive"));
        }
        QVERIFY(hasEvidence(*causeOf(diagnosis, "no_client_auth"), Source::Flow,
                            "client_secret was sent in the body", false));
    }

    // Causes of another grant, or of another endpoint, are not listed at all.
    void causesOfAnotherGrantAreDropped()
    {
        Diagnosis diagnosis =
            explain(json(400, "{\"error\":\"invalid_grant\"}"), E::Token, "refresh_token");
        for (const char *code : {"code_expired", "code_reused", "redirect_uri_differs",
                                 "pkce_mismatch", "user_credentials_wrong"})
            QVERIFY2(rankOf(diagnosis, QString::fromLatin1(code)) < 0, code);
        QVERIFY(rankOf(diagnosis, "refresh_reused") >= 0);

        diagnosis =
            explain(json(400, "{\"error\":\"invalid_grant\"}"), E::Token, "authorization_code");
        QVERIFY(rankOf(diagnosis, "refresh_reused") < 0);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("code_expired"));

        // A bare 401 from a resource server is about the access token, not the client.
        diagnosis = explain(bare(401), E::Resource);
        for (const char *clientCause :
             {"wrong_credentials", "no_client_auth", "basic_not_form_encoded"})
            QVERIFY2(rankOf(diagnosis, QString::fromLatin1(clientCause)) < 0, clientCause);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("token_expired"));
    }

    void basicHeaderMistakesAreShown()
    {
        const QByteArray unencoded = "Basic " + QByteArray("my client:se:cret").toBase64();
        auto run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}}, unencoded,
                           json(401, "{\"error\":\"invalid_client\"}"));
        auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("basic_not_form_encoded"));
        QVERIFY(causeOf(diagnosis, "wrong_credentials"));
        QVERIFY(
            hasEvidence(*causeOf(diagnosis, "wrong_credentials"), Source::Flow, "\"my client\""));

        run = codeRun({},
                      {{"grant_type", "authorization_code"}, {"code", "c"}, {"client_secret", "s"}},
                      TokenRequest::basicAuthorizationValue("id", "s"),
                      json(401, "{\"error\":\"invalid_client\"}"));
        diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("multiple_auth_methods"));

        // A correct header: the encoding and "nothing sent" causes are ruled out, and listed
        // last, after every cause nothing speaks against.
        run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}},
                      TokenRequest::basicAuthorizationValue("id", "se:cret x"),
                      json(401, "{\"error\":\"invalid_client\"}"));
        diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("wrong_credentials"));
        QCOMPARE(diagnosis.causes.first().status, Status::Unknown);
        QVERIFY(diagnosis.causes.first().evidence.first().context); // what the header decodes to
        const qsizetype open = rankOf(diagnosis, "client_inactive");
        QVERIFY(open > 0);
        for (const char *id :
             {"basic_not_form_encoded", "no_client_auth", "basic_header_malformed"}) {
            QVERIFY2(causeOf(diagnosis, QString::fromLatin1(id)), id);
            QCOMPARE(causeOf(diagnosis, QString::fromLatin1(id))->status, Status::Contradicted);
            QVERIFY2(rankOf(diagnosis, QString::fromLatin1(id)) > open, id);
        }
    }

    void grantTypeSpellingIsSuggested()
    {
        const auto run = codeRun({}, {{"grant_type", "authorisation_code"}, {"code", "c"}}, {},
                                 json(400, "{\"error\":\"unsupported_grant_type\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("grant_type_misspelled"));
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::Flow,
                            "did you mean \"authorization_code\""));
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
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::ServerWords, "did not send it"));
    }

    void scopesAreCheckedAgainstDiscovery()
    {
        auto run = codeRun({}, {{"grant_type", "client_credentials"}, {"scope", "read,write"}}, {},
                           json(400, "{\"error\":\"invalid_scope\"}"));
        auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("scope_separator"));
        QVERIFY(diagnosis.toText().contains("read,write"));

        DiagnosisHints hints;
        hints.metadata = ProviderMetadata{};
        hints.metadata->scopesSupported = {"openid", "profile", "payments"};
        run = codeRun({}, {{"grant_type", "client_credentials"}, {"scope", "openid payment"}}, {},
                      json(400, "{\"error\":\"invalid_scope\"}"));
        diagnosis = *Diagnoser().diagnose(run, 2, hints);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("scope_unknown"));
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::Discovery, "payment."));
        QVERIFY(!hasEvidence(diagnosis.causes.first(), Source::Discovery, "openid"));
    }

    void authMethodIsCheckedAgainstDiscovery()
    {
        DiagnosisHints hints;
        hints.metadata = ProviderMetadata{};
        hints.metadata->tokenEndpointAuthMethodsSupported = {"private_key_jwt"};
        const auto run = codeRun(
            {},
            {{"grant_type", "client_credentials"}, {"client_id", "app"}, {"client_secret", "s"}},
            {}, json(401, "{\"error\":\"invalid_client\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2, hints);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("wrong_auth_method"));
        QVERIFY(hasEvidence(diagnosis.causes.first(), Source::Discovery, "client_secret_post"));
    }

    void historyPointsAtWhatChanged()
    {
        DiagnosisHints hints;
        hints.lastSuccessfulTokenRequest = {{"grant_type", "authorization_code"},
                                            {"redirect_uri", "http://127.0.0.1:8400/callback"},
                                            {"client_id", "app"}};
        const auto run = codeRun({{"redirect_uri", "http://127.0.0.1:9000/callback"}},
                                 {{"grant_type", "authorization_code"},
                                  {"code", "c"},
                                  {"client_id", "app"},
                                  {"redirect_uri", "http://127.0.0.1:9000/callback"}},
                                 {},
                                 json(400, "{\"error\":\"invalid_request\",\"error_description\":"
                                           "\"redirect_uri mismatch\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2, hints);
        const Diagnosis::Cause *differs = causeOf(diagnosis, "redirect_uri_differs");
        QVERIFY2(differs, qPrintable(causeIds(diagnosis)));
        QVERIFY(hasEvidence(*differs, Source::History, "http://127.0.0.1:8400/callback"));
    }

    void jsonWantedIsConfirmed()
    {
        const auto run =
            codeRun({}, {{"grant_type", "client_credentials"}}, {},
                    json(400, "{\"error\":\"invalid_request\",\"error_description\":\"Unsupported "
                              "Media Type for POST body. Must be json.\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("wants_json"));
        QCOMPARE(diagnosis.causes.first().status, Status::Confirmed);
    }

    void getOnTheTokenEndpoint()
    {
        auto run = codeRun({}, {{"grant_type", "authorization_code"}, {"code", "c"}}, {},
                           bare(405, "Allow: POST\r\n"));
        run[2].request.method = "GET";
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.entryId, QStringLiteral("http.405"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("token_get"));
        QCOMPARE(diagnosis.causes.first().status, Status::Confirmed);
    }

    // A code the knowledge does not know keeps the flow's own evidence.
    void unknownCodeKeepsTheFlowsEvidence()
    {
        const Pkce pkce = Pkce::generate();
        const auto run = codeRun({{"code_challenge", QString::fromLatin1(pkce.challenge)},
                                  {"code_challenge_method", "S256"}},
                                 {{"grant_type", "authorization_code"},
                                  {"code", "c"},
                                  {"code_verifier", QString(43, 'b')}},
                                 {}, json(400, "{\"error\":\"invalid_code_verifier\"}"));
        const auto diagnosis = *Diagnoser().diagnose(run, 2);
        QCOMPARE(diagnosis.entryId, QStringLiteral("unrecognized"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("pkce_mismatch"));
        QCOMPARE(diagnosis.causes.first().status, Status::Confirmed);
    }

    void unknownCodeKeepsTheStatusGuidance()
    {
        const Diagnosis diagnosis = explain(json(400, "{\"error\":\"frobnicated\"}"), E::Unknown);
        QCOMPARE(diagnosis.entryId, QStringLiteral("unrecognized"));
        QVERIFY(diagnosis.title.contains("frobnicated"));
        QVERIFY(diagnosis.relatedEntryIds.contains("http.400"));
        QVERIFY(diagnosis.causes.size() > 1);
    }

    // A provider code in a challenge only: the challenge leads and the code is named as the
    // provider's own.
    void unknownChallengeCodeIsNamedAsTheProvidersOwn()
    {
        const Diagnosis diagnosis =
            explain(bare(401, "WWW-Authenticate: Bearer error=\"token_expired\", "
                              "error_description=\"The session ended\"\r\n"),
                    E::Resource);
        QCOMPARE(diagnosis.entryId, QStringLiteral("shape.www_authenticate"));
        const Diagnosis::Cause *own = causeOf(diagnosis, "provider_specific");
        QVERIFY(own);
        QVERIFY(own->text.contains("token_expired"));
        QVERIFY(diagnosis.toText().contains("The session ended"));
    }

    // An error in a 2xx is noted as such; the cause list is about why, not about the shape.
    void errorInSuccessIsANoteNotACause()
    {
        const auto diagnosis =
            explain(json(200, "{\"error\":\"bad_verification_code\",\"error_description\":\"The "
                              "code passed is incorrect or expired.\"}"),
                    E::Token, "authorization_code");
        QVERIFY(diagnosis.notes.join('\n').contains("HTTP 200 carried an error"));
        QVERIFY(rankOf(diagnosis, "error_in_success_status") < 0);
        QVERIFY(!diagnosis.causes.first().text.contains("success status"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("code_expired"));
    }

    void truncatedBodyIsNoted()
    {
        const Diagnosis diagnosis =
            explain("HTTP/1.1 400 X\r\nContent-Type: application/json\r\nContent-Length: "
                    "500\r\n\r\n{\"error\":\"invalid_req",
                    E::Token);
        QVERIFY(diagnosis.notes.join('\n').contains("cut off"));
        QCOMPARE(diagnosis.entryId, QStringLiteral("http.400"));
    }

    void deviceDenial()
    {
        const Diagnosis diagnosis = explain(json(400, "{\"error\":\"access_denied\"}"), E::Token,
                                            "urn:ietf:params:oauth:grant-type:device_code");
        QCOMPARE(diagnosis.entryId, QStringLiteral("device.access_denied"));
        QVERIFY(diagnosis.fixes.join(' ').contains("Stop polling"));
    }

    void problemDetailsBesideTheStatus()
    {
        const Diagnosis diagnosis =
            explain(bare(403, "Content-Type: application/problem+json\r\n",
                         "{\"title\":\"Forbidden\",\"detail\":\"needs admin\"}"),
                    E::Resource);
        QCOMPARE(diagnosis.entryId, QStringLiteral("http.403"));
        QVERIFY(diagnosis.relatedEntryIds.contains("shape.problem_json"));
        QVERIFY(diagnosis.notes.join('\n').contains("needs admin"));
    }

    // Dynamic registration (RFC 7591/7592): the endpoint is recognised from what was sent, and
    // a refused token there is the initial or the registration access token, not an API's.
    void registrationRefusals_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("sent");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("firstCause");
        const QByteArray metadata = "{\"redirect_uris\":[\"http://127.0.0.1/callback\"]}";
        const QByteArray refusedToken = R"({"error":"invalid_token","error_description":)"
                                        R"("invalid token provided"})";
        QTest::newRow("no initial token")
            << QByteArray("POST") << "/reg" << QByteArray() << metadata << 401 << refusedToken
            << "registration.invalid_token"
            << "initial_access_token_missing";
        QTest::newRow("initial token refused")
            << QByteArray("POST") << "/connect/register" << QByteArray("Bearer iat") << metadata
            << 401 << refusedToken << "registration.invalid_token"
            << "initial_access_token_invalid";
        QTest::newRow("stale registration token")
            << QByteArray("GET") << "/reg/c-1" << QByteArray("Bearer old") << QByteArray() << 401
            << refusedToken << "registration.invalid_token"
            << "registration_token_invalid";
        QTest::newRow("fragment, no words")
            << QByteArray("POST") << "/clients" << QByteArray()
            << QByteArray("{\"redirect_uris\":[\"http://127.0.0.1/cb#x\"]}") << 400
            << QByteArray(R"({"error":"invalid_redirect_uri"})") << "oauth.invalid_redirect_uri"
            << "redirect_invalid";
        QTest::newRow("unsupported grant")
            << QByteArray("POST") << "/register" << QByteArray() << metadata << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("grant_types can only contain 'authorization_code' or )"
                          R"('refresh_token'"})")
            << "oauth.invalid_client_metadata"
            << "metadata_unsupported_value";
        QTest::newRow("missing key")
            << QByteArray("POST") << "/register" << QByteArray() << metadata << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("jwks or jwks_uri is mandatory for this client"})")
            << "oauth.invalid_client_metadata"
            << "metadata_missing_field";
        QTest::newRow("conflict")
            << QByteArray("POST") << "/register" << QByteArray() << metadata << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("jwks and jwks_uri must not be used at the same time"})")
            << "oauth.invalid_client_metadata"
            << "metadata_conflict";
        QTest::newRow("native app on a web host")
            << QByteArray("POST") << "/register" << QByteArray() << metadata << 400
            << QByteArray(R"({"error":"invalid_redirect_uri","error_description":"redirect_uris )"
                          R"(for native clients using http as a protocol can only use loopback )"
                          R"(addresses as hostnames"})")
            << "oauth.invalid_redirect_uri"
            << "redirect_not_loopback";
    }
    void registrationRefusals()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, sent);
        QFETCH(int, status);
        QFETCH(QByteArray, answer);
        QFETCH(QString, entry);
        QFETCH(QString, firstCause);
        HttpExchange exchange;
        exchange.request.method = method;
        exchange.request.url = QUrl("https://as.example.test" + path);
        if (!authorization.isEmpty())
            exchange.request.setHeader("Authorization", authorization);
        if (!sent.isEmpty()) {
            exchange.request.setHeader("Content-Type", "application/json");
            exchange.request.body = sent;
        }
        exchange.status = status;
        exchange.responseHeaders = {{"Content-Type", "application/json"}};
        exchange.responseBody = answer;
        QCOMPARE(DiagnosisContext::fromExchange(exchange).endpoint, E::Registration);
        const std::optional<Diagnosis> diagnosis = Diagnoser().diagnose({exchange}, 0, {});
        QVERIFY(diagnosis);
        QCOMPARE(diagnosis->entryId, entry);
        QVERIFY2(diagnosis->causes.first().id == firstCause, qPrintable(causeIds(*diagnosis)));
        // An API's token causes have no place here.
        QCOMPARE(rankOf(*diagnosis, "token_expired"), -1);
    }

    // CIBA poll mode (OpenID CIBA Core §11, §13): the token endpoint's answers for the ciba grant
    // are the backchannel request's, not the device flow's; the backchannel endpoint's own codes.
    void cibaAnswers_data()
    {
        QTest::addColumn<QByteArray>("error");
        QTest::addColumn<QString>("grant");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("firstCause");
        const QString ciba = QStringLiteral("urn:openid:params:grant-type:ciba");
        const QString device = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");
        QTest::newRow("pending") << QByteArray("authorization_pending") << ciba
                                 << "ciba.authorization_pending"
                                 << "ciba_not_yet_approved";
        QTest::newRow("slow down") << QByteArray("slow_down") << ciba << "ciba.slow_down"
                                   << "ciba_polled_too_fast";
        QTest::newRow("expired") << QByteArray("expired_token") << ciba << "ciba.expired_token"
                                 << "ciba_request_expired";
        QTest::newRow("denied") << QByteArray("access_denied") << ciba << "ciba.access_denied"
                                << "ciba_user_denied";
        QTest::newRow("device still")
            << QByteArray("expired_token") << device << "device.expired_token"
            << "device_code_expired";
        QTest::newRow("unknown user")
            << QByteArray("unknown_user_id") << QString() << "ciba.unknown_user_id"
            << "ciba_user_unknown";
        QTest::newRow("binding message")
            << QByteArray("invalid_binding_message") << QString() << "ciba.invalid_binding_message"
            << "ciba_binding_message_invalid";
    }
    void cibaAnswers()
    {
        QFETCH(QByteArray, error);
        QFETCH(QString, grant);
        QFETCH(QString, entry);
        QFETCH(QString, firstCause);
        const Diagnosis diagnosis =
            explain(json(400, "{\"error\":\"" + error + "\"}"), E::Token, grant);
        QCOMPARE(diagnosis.entryId, entry);
        QVERIFY2(diagnosis.causes.first().id == firstCause, qPrintable(causeIds(diagnosis)));
    }

    // The same refusal from an API is still about the access token.
    void invalidTokenAtAnApiIsNotARegistration()
    {
        const Diagnosis diagnosis =
            explain(json(401, R"({"error":"invalid_token","error_description":"token expired"})"),
                    E::Resource);
        QCOMPARE(diagnosis.entryId, QStringLiteral("oauth.invalid_token"));
        QCOMPARE(diagnosis.causes.first().id, QStringLiteral("token_expired"));
    }

    // The JSON output says for each cause its status and the evidence, with its source.
    void jsonOutputNamesStatusAndEvidence()
    {
        const auto run = codeRun({}, {{"grant_type", "authorisation_code"}, {"code", "c"}}, {},
                                 json(400, "{\"error\":\"unsupported_grant_type\"}"));
        const QJsonObject object = Diagnoser().diagnose(run, 2)->toJson();
        for (const char *key : {"code", "category", "causes", "fixes", "references", "title",
                                "meaning", "severity", "server", "provider"})
            QVERIFY2(object.contains(QLatin1String(key)), key);
        QVERIFY(object.value("provider").isNull());
        const QJsonObject first = object.value("causes").toArray().first().toObject();
        QCOMPARE(first.value("id").toString(), QStringLiteral("grant_type_misspelled"));
        QCOMPARE(first.value("status").toString(), QStringLiteral("confirmed"));
        const QJsonObject evidence = first.value("evidence").toArray().first().toObject();
        QCOMPARE(evidence.value("source").toString(), QStringLiteral("flow"));
        QCOMPARE(evidence.value("supports").toBool(), true);
        QVERIFY(evidence.value("text").toString().contains("authorisation_code"));
    }
};

QTEST_GUILESS_MAIN(TestDiagnoser)
#include "tst_diagnoser.moc"
