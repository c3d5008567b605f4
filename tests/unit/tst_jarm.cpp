// JWT-secured authorization responses (JARM): each check on the response JWT, reading its
// parameters on the listener before the state check, and whole code flows on the sandbox that
// answer with a signed response, a forged one, or plain parameters although a JWT was asked for.
#include "core/client/ClientConfig.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/JwsSigner.h"
#include "core/listener/CapturedRedirect.h"
#include "core/listener/LoopbackListener.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/tokens/IdTokenValidator.h"
#include "core/util/Base64Url.h"

#include "SandboxBrowser.h"
#include "TokenCheckTest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace workbench;
using namespace workbench::test;

namespace {
const QString kIssuer = QStringLiteral("https://as.example.test");
const QString kClient = QStringLiteral("jarm-client");
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

QJsonObject responseClaims()
{
    return QJsonObject{{"iss", kIssuer},
                       {"aud", kClient},
                       {"exp", double(kNow.toSecsSinceEpoch() + 300)},
                       {"code", "the-code"},
                       {"state", "the-state"}};
}

} // namespace

class TestJarm : public QObject
{
    Q_OBJECT

    SigningKey m_key = SigningKey::generate("RS256", "as-key");
    // Another key under the same kid: what a forger who knows the kid would sign with.
    SigningKey m_forger = SigningKey::generate("RS256", "as-key");

    IdTokenExpectations expectations() const
    {
        IdTokenExpectations expected;
        expected.issuer = kIssuer;
        expected.clientId = kClient;
        return expected;
    }

    QList<TokenCheck> validate(const QByteArray &response) const
    {
        static const JwkSet keys = *JwkSet::fromJson(
            QJsonDocument(QJsonObject{{"keys", QJsonArray{m_key.publicJwk()}}}).toJson(), nullptr);
        return IdTokenValidator::validateAuthorizationResponse(
            response, expectations(), {&keys, QStringLiteral("test keys"), {}}, kNow);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_key.isValid());
        QVERIFY(m_forger.isValid());
    }

    void aGoodResponsePassesEveryCheck()
    {
        const QList<TokenCheck> checks = validate(m_key.sign(responseClaims()));
        QVERIFY2(IdTokenValidator::accepted(checks),
                 qPrintable(IdTokenValidator::firstFailure(checks)));
        QStringList names;
        for (const TokenCheck &check : checks)
            names << check.name;
        QCOMPARE(names, QStringList({"format", "alg", "signature", "iss", "aud", "exp"}));
        QVERIFY(findCheck(checks, "signature")->detail.contains("as-key"));
    }

    // Each way a response can be wrong fails the check that guards it, first.
    void eachFaultFailsItsCheck_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QString>("failed");
        QTest::addColumn<QString>("detail");

        QJsonObject claims = responseClaims();
        QTest::newRow("signed by another key") << m_forger.sign(claims) << "signature"
                                               << "";
        claims = responseClaims();
        claims.insert("aud", "another-client");
        QTest::newRow("another audience") << m_key.sign(claims) << "aud"
                                          << "another-client";
        claims = responseClaims();
        claims.insert("iss", kIssuer + "/");
        QTest::newRow("another issuer") << m_key.sign(claims) << "iss" << kIssuer + "/";
        claims = responseClaims();
        claims.insert("exp", double(kNow.toSecsSinceEpoch() - 600));
        QTest::newRow("expired") << m_key.sign(claims) << "exp"
                                 << "";
        claims = responseClaims();
        claims.remove("exp");
        QTest::newRow("no exp") << m_key.sign(claims) << "exp"
                                << "no numeric exp";

        const QByteArray payload = base64Url(QJsonDocument(responseClaims()).toJson());
        QTest::newRow("alg none") << QByteArray(base64Url(R"({"alg":"none"})") + "." + payload +
                                                ".")
                                  << "alg"
                                  << "not signed";
        // Encrypted while the client holds no decryption key.
        QTest::newRow("encrypted")
            << QByteArray("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d") << "decryption"
            << "no decryption key is set";
        QTest::newRow("not a JWT") << QByteArray("the-code") << "format"
                                   << "";
    }

    void eachFaultFailsItsCheck()
    {
        QFETCH(QByteArray, response);
        QFETCH(QString, failed);
        QFETCH(QString, detail);
        const QList<TokenCheck> checks = validate(response);
        QCOMPARE(firstFailedName(checks), failed);
        QVERIFY(!findCheck(checks, failed)->fix.isEmpty());
        QVERIFY2(findCheck(checks, failed)->detail.contains(detail),
                 qPrintable(findCheck(checks, failed)->detail));
    }

    // The server's announced algorithms bound the response's, as for ID tokens.
    void anUnannouncedAlgorithmIsRefused()
    {
        IdTokenExpectations expected = expectations();
        expected.allowedAlgorithms = {"ES256"};
        const JwkSet keys = *JwkSet::fromJson(
            QJsonDocument(QJsonObject{{"keys", QJsonArray{m_key.publicJwk()}}}).toJson(), nullptr);
        const QList<TokenCheck> checks = IdTokenValidator::validateAuthorizationResponse(
            m_key.sign(responseClaims()), expected, {&keys, {}, {}}, kNow);
        QCOMPARE(firstFailedName(checks), QStringLiteral("alg"));
        QVERIFY(findCheck(checks, "alg")
                    ->detail.contains("authorization_signing_alg_values_supported"));
    }

    // Without the issuer's keys the signature cannot be checked: the response is not used
    // (an ID token would only get a warning), and the form says so before a run starts.
    void noKeysNoResponse()
    {
        const QList<TokenCheck> checks = IdTokenValidator::validateAuthorizationResponse(
            m_key.sign(responseClaims()), expectations(),
            {nullptr, {}, QStringLiteral("no JWKS URI is configured")}, kNow);
        QCOMPARE(firstFailedName(checks), QStringLiteral("signature"));
        QVERIFY(findCheck(checks, "signature")->detail.contains("no JWKS URI"));

        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ClientConfig config = sandbox.clientConfig(false);
        config.responseMode = QStringLiteral("query.jwt");
        QVERIFY(config.validate().isEmpty());
        config.jwksUri.clear();
        QVERIFY2(config.validate().join('\n').contains("JWKS URI"),
                 qPrintable(config.validate().join('\n')));
        config.responseMode = QStringLiteral("query");
        QVERIFY(config.validate().isEmpty());
    }

    // The listener reads the JWT's claims as the response's parameters (so the state check sees
    // the state inside it); a plain response that also has `response` stays plain.
    void theResponseIsUnpacked()
    {
        const QByteArray jwt = m_key.sign(responseClaims());
        const auto jarm = CapturedRedirect::jwtResponse({{"response", QString::fromLatin1(jwt)}});
        QVERIFY(jarm);
        QCOMPARE(jarm->jwt, jwt);
        QCOMPARE(FormEncoding::value(jarm->parameters, "code"), QStringLiteral("the-code"));
        QCOMPARE(FormEncoding::value(jarm->parameters, "state"), QStringLiteral("the-state"));
        QCOMPARE(FormEncoding::value(jarm->parameters, "exp"),
                 QString::number(kNow.toSecsSinceEpoch() + 300));

        QVERIFY(!CapturedRedirect::jwtResponse({{"code", "c"}, {"response", "x"}}));
        QVERIFY(!CapturedRedirect::jwtResponse({{"code", "c"}, {"state", "s"}}));
        const auto unreadable = CapturedRedirect::jwtResponse({{"response", "a.b.c.d.e"}});
        QVERIFY(unreadable);
        QVERIFY(unreadable->parameters.isEmpty());

        // A recorded callback reads the same way, for the diagnosis and the comparison.
        HttpExchange callback;
        callback.request.method = "GET";
        callback.request.url =
            QUrl("http://127.0.0.1:1/callback?response=" + QString::fromLatin1(jwt));
        QCOMPARE(FormEncoding::value(CapturedRedirect::parametersOf(callback), "code"),
                 QStringLiteral("the-code"));
    }

    void theListenerChecksTheStateInsideTheJwt()
    {
        LoopbackListener listener;
        QVERIFY(listener.listen());
        listener.setExpectedState("the-state");
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        QNetworkAccessManager network;

        QJsonObject claims = responseClaims();
        const QUrl uri = listener.redirectUri();
        auto deliver = [&](const QJsonObject &payload) {
            QUrl url = uri;
            url.setQuery("response=" + QString::fromLatin1(m_key.sign(payload)));
            return sandboxbrowser::fetch(network, url);
        };
        const sandboxbrowser::Page accepted = deliver(claims);
        QCOMPARE(accepted.status, 200);
        QTRY_COMPARE(captured.size(), 1);
        auto redirect = captured.takeFirst().first().value<CapturedRedirect>();
        QCOMPARE(redirect.stateCheck, CapturedRedirect::StateCheck::Matched);
        QVERIFY(redirect.refusalReason().isEmpty());
        QVERIFY(!redirect.responseJwt.isEmpty());
        QCOMPARE(redirect.value("code"), QStringLiteral("the-code"));

        claims.insert("state", "someone-elses");
        QCOMPARE(deliver(claims).status, 400);
        QTRY_COMPARE(captured.size(), 1);
        redirect = captured.takeFirst().first().value<CapturedRedirect>();
        QCOMPARE(redirect.stateCheck, CapturedRedirect::StateCheck::Mismatched);

        // Encrypted: nothing can be read, so it cannot be this flow's response.
        QUrl encrypted = uri;
        encrypted.setQuery("response=eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d");
        QCOMPARE(sandboxbrowser::fetch(network, encrypted).status, 400);
        QTRY_COMPARE(captured.size(), 1);
        redirect = captured.takeFirst().first().value<CapturedRedirect>();
        QVERIFY2(redirect.refusalReason().contains("encrypted"),
                 qPrintable(redirect.refusalReason()));
    }

    // An error sent inside an encrypted response is diagnosed with the client's key, as one in
    // a signed response is; without the key nothing in it can be read.
    void anErrorInsideAnEncryptedResponseIsDiagnosed()
    {
        const DecryptionKey ours = DecryptionKey::generate("RSA", "client-enc");
        QJsonObject claims = responseClaims();
        claims.remove("code");
        claims.insert("error", "access_denied");
        claims.insert("error_description", "End-User aborted interaction");
        QString error;
        const QByteArray response =
            Jwe::encrypt(m_key.sign(claims), Jwk{ours.publicJwk()}, "RSA-OAEP-256", "A256GCM",
                         {{"cty", "JWT"}}, &error);
        QVERIFY2(!response.isEmpty(), qPrintable(error));
        HttpExchange navigation;
        navigation.kind = HttpExchange::Kind::BrowserNavigation;
        navigation.request.url =
            QUrl("https://as.example/authorize?client_id=" + kClient +
                 "&response_type=code&response_mode=query.jwt&state=the-state");
        HttpExchange callback;
        callback.kind = HttpExchange::Kind::LoopbackCallback;
        callback.request.url =
            QUrl("http://127.0.0.1:8400/callback?response=" + QString::fromLatin1(response));
        callback.status = 200;
        const QList<HttpExchange> run{navigation, callback};

        DiagnosisHints hints;
        hints.decryptionKey = ours;
        const auto diagnosis = Diagnoser().diagnose(run, 1, hints);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("access_denied"));
        QVERIFY2(diagnosis->signal.words().contains("End-User aborted interaction"),
                 qPrintable(diagnosis->signal.words()));
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("user_declined"));

        const auto unread = Diagnoser().diagnose(run, 1, {});
        QVERIFY(!unread || unread->code != QLatin1String("access_denied"));
    }

    // JARM §2.2: signed, then encrypted to the client's key. The listener opens it with that
    // key to check the state; the flow's checks open it again before anything is used.
    void anEncryptedResponseIsOpenedWithTheClientsKey()
    {
        const DecryptionKey ours = DecryptionKey::generate("EC", "client-enc");
        const DecryptionKey theirs = DecryptionKey::generate("EC", "client-enc");
        QString error;
        const auto encryptTo = [&](const DecryptionKey &key, const QJsonObject &claims) {
            return Jwe::encrypt(m_key.sign(claims), Jwk{key.publicJwk()}, "ECDH-ES+A128KW",
                                "A128CBC-HS256", {{"cty", "JWT"}}, &error);
        };
        LoopbackListener listener;
        QVERIFY(listener.listen());
        listener.setExpectedState("the-state");
        listener.setDecryptionKey(ours);
        QSignalSpy captured(&listener, &LoopbackListener::redirectCaptured);
        QNetworkAccessManager network;
        const auto deliver = [&](const QByteArray &response) {
            QUrl url = listener.redirectUri();
            url.setQuery("response=" + QString::fromLatin1(response));
            return sandboxbrowser::fetch(network, url).status;
        };

        const QByteArray toUs = encryptTo(ours, responseClaims());
        QVERIFY2(!toUs.isEmpty(), qPrintable(error));
        QCOMPARE(deliver(toUs), 200);
        QTRY_COMPARE(captured.size(), 1);
        auto redirect = captured.takeFirst().first().value<CapturedRedirect>();
        QCOMPARE(redirect.stateCheck, CapturedRedirect::StateCheck::Matched);
        QCOMPARE(redirect.value("code"), QStringLiteral("the-code"));
        QCOMPARE(redirect.responseJwt, toUs); // kept as it came, encrypted

        IdTokenExpectations expected = expectations();
        expected.decryptionKey = ours;
        static const JwkSet keys = *JwkSet::fromJson(
            QJsonDocument(QJsonObject{{"keys", QJsonArray{m_key.publicJwk()}}}).toJson(), &error);
        QList<TokenCheck> checks = IdTokenValidator::validateAuthorizationResponse(
            toUs, expected, {&keys, "test", {}}, kNow);
        QCOMPARE(checks.first().name, QStringLiteral("decryption"));
        QVERIFY2(IdTokenValidator::accepted(checks),
                 qPrintable(IdTokenValidator::firstFailure(checks)));

        // For another key (even under the same kid) nothing can be read: refused on the
        // listener, and the checks fail at decryption.
        const QByteArray toThem = encryptTo(theirs, responseClaims());
        QCOMPARE(deliver(toThem), 400);
        QTRY_COMPARE(captured.size(), 1);
        redirect = captured.takeFirst().first().value<CapturedRedirect>();
        QVERIFY2(redirect.refusalReason().contains("decryption key does not open it"),
                 qPrintable(redirect.refusalReason()));
        checks = IdTokenValidator::validateAuthorizationResponse(toThem, expected,
                                                                 {&keys, "test", {}}, kNow);
        QCOMPARE(firstFailedName(checks), QStringLiteral("decryption"));
    }

    // The sandbox signs its response when asked (jwt and query.jwt): the flow checks it, then
    // redeems the code; a denial comes back signed as well and is used only after its checks.
    void theSandboxAnswersWithASignedResponse_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("jwt") << "jwt";
        QTest::newRow("query.jwt") << "query.jwt";
    }

    void theSandboxAnswersWithASignedResponse()
    {
        QFETCH(QString, mode);
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ClientConfig config = sandbox.clientConfig(false);
        config.responseMode = mode;
        QVERIFY(config.wantsJwtResponse());
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy captured(&flow, &AuthorizationCodeFlow::redirectCaptured);
        const FlowOutcome outcome = sandboxbrowser::completeFlow(flow, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        QVERIFY(IdTokenValidator::accepted(outcome.responseChecks));
        QCOMPARE(findCheck(outcome.responseChecks, "signature")->status,
                 TokenCheck::Status::Passed);
        QCOMPARE(findCheck(outcome.responseChecks, "aud")->detail, config.clientId);
        QVERIFY(!outcome.tokenResponse.value("access_token").toString().isEmpty());
        const auto redirect = captured.first().first().value<CapturedRedirect>();
        QVERIFY(redirect.exchange.request.url.query().startsWith("response="));

        const FlowOutcome denied = sandboxbrowser::completeFlow(flow, config, "deny");
        QCOMPARE(denied.result, FlowOutcome::Result::AuthorizationError);
        QVERIFY(denied.summary.contains("access_denied"));
        QVERIFY(IdTokenValidator::accepted(denied.responseChecks));
        QVERIFY(!denied.responseChecks.isEmpty());
    }

    // A JWT was asked for, the response came in plain parameters (here the request's
    // response_mode was overridden to query, as something on the way could): the code is not
    // used, and the outcome says why.
    void aPlainResponseIsRefusedWhenAJwtWasAsked()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ClientConfig config = sandbox.clientConfig(false);
        config.responseMode = QStringLiteral("jwt");
        config.extraAuthorizationParameters = {{"response_mode", "query"}};
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        const FlowOutcome outcome = sandboxbrowser::completeFlow(flow, config);
        QCOMPARE(outcome.result, FlowOutcome::Result::AuthorizationResponseRejected);
        QVERIFY2(outcome.summary.contains("plain parameters"), qPrintable(outcome.summary));
        QVERIFY(outcome.tokenResponse.isEmpty());
    }

    // A response signed by someone else under the sandbox's kid arrives with the right state:
    // it ends the flow as rejected and its code is never redeemed. (Another audience is in the
    // table above, and against the real provider in tst_e2e_jarm.)
    void aForgedResponseIsNotUsed()
    {
        SandboxProvider sandbox;
        QVERIFY(sandbox.start());
        ClientConfig config = sandbox.clientConfig(false);
        config.responseMode = QStringLiteral("jwt");
        ExchangeClient client;
        AuthorizationCodeFlow flow(&client);
        QSignalSpy finished(&flow, &AuthorizationCodeFlow::finished);
        QList<HttpExchange> run;
        connect(&flow, &AuthorizationCodeFlow::exchangeRecorded, this,
                [&](const HttpExchange &exchange) { run << exchange; });
        QVERIFY(flow.start(config));

        QNetworkAccessManager network;
        const QJsonObject jwks =
            QJsonDocument::fromJson(sandboxbrowser::fetch(network, config.jwksUri).body).object();
        const QString sandboxKid =
            jwks.value("keys").toArray().first().toObject().value("kid").toString();
        const SigningKey forger = SigningKey::generate("RS256", sandboxKid);
        QJsonObject claims{{"iss", sandbox.issuer()},
                           {"aud", config.clientId},
                           {"exp", double(QDateTime::currentSecsSinceEpoch() + 300)},
                           {"code", "forged-code"},
                           {"state", QString::fromLatin1(flow.state())}};
        QUrl url = flow.redirectUri();
        url.setQuery("response=" + QString::fromLatin1(forger.sign(claims)));
        sandboxbrowser::fetch(network, url);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        const auto outcome = finished.first().first().value<FlowOutcome>();
        QCOMPARE(outcome.result, FlowOutcome::Result::AuthorizationResponseRejected);
        QCOMPARE(firstFailedName(outcome.responseChecks), QStringLiteral("signature"));
        for (const HttpExchange &exchange : run)
            QVERIFY2(!exchange.request.url.path().endsWith("/token"),
                     "the forged code was redeemed");
    }
};

QTEST_MAIN(TestJarm)
#include "tst_jarm.moc"
