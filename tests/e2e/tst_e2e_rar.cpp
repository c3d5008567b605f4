// End to end: rich authorization requests (RFC 9396) against the real provider (oidc-provider with
// richAuthorizationRequests on, provider.mjs): authorization_details on the authorization
// request, in a pushed signed request object, and with client credentials from the command line;
// what the provider granted (its policy narrows account_information) set against what was asked,
// in the token response and introspection; a refused type diagnosed, the likeliest cause first.
// Chromium signs in.
#include "core/client/AuthorizationDetails.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/jose/Jwt.h"
#include "core/session/RunSession.h"
#include "core/util/FormEncoding.h"

#include "E2eSignIn.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>

using namespace workbench;

namespace {
// (No raw strings: moc misreads a "//" inside one.)
const char kAccounts[] = "[{\"type\":\"account_information\","
                         "\"actions\":[\"list_accounts\",\"read_balances\",\"read_transactions\"],"
                         "\"locations\":[\"https://example.com/accounts\"]}]";
const char kPayment[] = "[{\"type\":\"payment_initiation\",\"actions\":[\"initiate\"],"
                        "\"instructedAmount\":{\"currency\":\"EUR\",\"amount\":\"123.50\"},"
                        "\"creditorName\":\"Merchant A\"}]";
const char kPaymentWithoutAmount[] = "[{\"type\":\"payment_initiation\",\"creditorName\":\"B\"}]";
} // namespace

class TestE2eRar : public QObject
{
    Q_OBJECT

    e2e::Environment m_env;

    ClientConfig codeFlowConfig(const QString &key, const char *details) const
    {
        ClientConfig config = m_env.clientConfig(key, GrantType::AuthorizationCode);
        config.scope = QStringLiteral("openid email");
        config.authorizationDetails = QString::fromUtf8(details);
        config.pushedAuthorizationRequestEndpoint =
            QUrl(m_env.discovery().value("pushed_authorization_request_endpoint").toString());
        config.privateKeyPem = m_env.client(key).value("private_key_pem").toString();
        config.keyId = m_env.client(key).value("kid").toString();
        config.signingAlgorithm =
            m_env.client(key).value("token_endpoint_auth_signing_alg").toString("RS256");
        return config;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<FlowOutcome>();
        qRegisterMetaType<TokenActions::Outcome>();
        const QString problem = m_env.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cleanupTestCase() { m_env.stop(); }

    // On the authorization request: the provider's policy drops read_transactions, and the run
    // shows exactly that difference; introspection says the same.
    void narrowedGrantIsSetAgainstWhatWasAsked()
    {
        const ClientConfig config = codeFlowConfig("confidentialBasic", kAccounts);
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        const QList<HttpExchange> &run = session.record().exchanges;
        const QUrl authorization = run.first().request.url;
        QCOMPARE(FormEncoding::value(FormEncoding::queryOf(authorization), "authorization_details"),
                 AuthorizationDetails::compact(config.authorizationDetails));

        const QJsonArray asked = AuthorizationDetails::askedIn(run, run.size() - 1);
        QCOMPARE(asked, AuthorizationDetails::parse(QString::fromUtf8(kAccounts)));
        const auto granted = AuthorizationDetails::compare(
            asked, outcome.tokenResponse.value("authorization_details"));
        QVERIFY(!granted.grantedAsAsked);
        QCOMPARE(granted.differences,
                 QStringList{"account_information: actions asked "
                             "[\"list_accounts\",\"read_balances\",\"read_transactions\"], granted "
                             "[\"list_accounts\",\"read_balances\"]"});

        QSignalSpy introspected(session.actions(), &TokenActions::finished);
        QVERIFY(session.actions()->run(TokenActions::Action::Introspect));
        QVERIFY(introspected.wait(15000));
        const auto answer = introspected.first().first().value<TokenActions::Outcome>();
        QVERIFY2(answer.succeeded, qPrintable(answer.summary));
        QCOMPARE(AuthorizationDetails::compare(asked, answer.body.value("authorization_details"))
                     .differences,
                 granted.differences);
    }

    // Pushed (PAR) as a signed request object: the details are a JSON array claim in it, and the
    // provider grants the payment as asked.
    void pushedRequestObjectCarriesTheDetails()
    {
        ClientConfig config = codeFlowConfig("privateKeyJwtRsa", kPayment);
        config.usePar = true;
        config.useRequestObject = true;
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        const QList<HttpExchange> &run = session.record().exchanges;
        const FormFields pushed = FormEncoding::decode(run.first().request.body);
        QCOMPARE(run.first().request.url, config.pushedAuthorizationRequestEndpoint);
        QString why;
        const auto requestObject =
            Jwt::decode(FormEncoding::value(pushed, "request").toUtf8(), &why);
        QVERIFY2(requestObject.has_value(), qPrintable(why));
        QCOMPARE(requestObject->claims.value("authorization_details").toArray(),
                 AuthorizationDetails::parse(QString::fromUtf8(kPayment)));
        const auto granted =
            AuthorizationDetails::compare(AuthorizationDetails::askedIn(run, run.size() - 1),
                                          outcome.tokenResponse.value("authorization_details"));
        QVERIFY2(granted.grantedAsAsked, qPrintable(granted.differences.join('\n')));
    }

    // The same, the request object encrypted to the provider's key: only the provider can read
    // the details on the wire, and the run compares the grant with what it sealed.
    void encryptedPushedRequestObjectIsComparedWithTheGrant()
    {
        ClientConfig config = codeFlowConfig("privateKeyJwtRsa", kPayment);
        config.usePar = true;
        config.useRequestObject = true;
        config.jwksUri = QUrl(m_env.discovery().value("jwks_uri").toString());
        config.requestObjectEncryptionAlg = QStringLiteral("ECDH-ES");
        config.requestObjectEncryptionEnc = QStringLiteral("A256GCM");
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.summary + outcome.details.join('\n')));
        const QList<HttpExchange> &run = session.record().exchanges;
        const auto pushed = std::find_if(run.cbegin(), run.cend(), [&](const HttpExchange &step) {
            return step.request.url == config.pushedAuthorizationRequestEndpoint;
        });
        QVERIFY(pushed != run.cend());
        const QByteArray onTheWire =
            FormEncoding::value(FormEncoding::decode(pushed->request.body), "request").toLatin1();
        QCOMPARE(Jwt::kindOf(onTheWire), Jwt::Kind::Jwe);
        QString why;
        const auto sealed = Jwt::decode(pushed->sealedRequestObject, &why);
        QVERIFY2(sealed.has_value(), qPrintable(why));
        QCOMPARE(sealed->claims.value("authorization_details").toArray(),
                 AuthorizationDetails::parse(QString::fromUtf8(kPayment)));
        QVERIFY(!AuthorizationDetails::askedOutOfSight(run, run.size() - 1));
        const auto granted =
            AuthorizationDetails::compare(AuthorizationDetails::askedIn(run, run.size() - 1),
                                          outcome.tokenResponse.value("authorization_details"));
        QVERIFY2(granted.grantedAsAsked, qPrintable(granted.differences.join('\n')));
    }

    // A payment without its amount: the provider refuses on the redirect, and the diagnosis puts
    // the details first.
    void refusedDetailsAreDiagnosed()
    {
        const ClientConfig config = codeFlowConfig("confidentialBasic", kPaymentWithoutAmount);
        RunSession session;
        const FlowOutcome outcome = e2e::signIn(m_env, session, config);
        QCOMPARE(outcome.result, FlowOutcome::Result::AuthorizationError);
        const QList<HttpExchange> &run = session.record().exchanges;
        const auto diagnosis = Diagnoser().diagnose(run, run.size() - 1);
        QVERIFY(diagnosis.has_value());
        QCOMPARE(diagnosis->code, QStringLiteral("invalid_authorization_details"));
        QVERIFY(!diagnosis->causes.isEmpty());
        QCOMPARE(diagnosis->causes.first().id, QStringLiteral("authorization_details_invalid"));
    }

    // The command line's client credentials with --rar: sent, granted as asked, said so in JSON.
    void commandLineClientCredentialsWithRar()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("rar.json");
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(kPayment);
        out.close();
        const ClientConfig config = m_env.clientConfig("service", GrantType::ClientCredentials);
        const e2e::CliResult result =
            e2e::runCli({"token", "--json", "--grant", "client_credentials", "--token-endpoint",
                         config.tokenEndpoint.toString(), "--client-id", config.clientId,
                         "--client-secret-env", "E2E_SECRET", "--rar", file},
                        {{"E2E_SECRET", config.clientSecret}});
        QVERIFY2(result.exit == 0, result.errors.constData());
        QCOMPARE(result.json.value("outcome").toString(), QStringLiteral("succeeded"));
        const QJsonObject details = result.json.value("authorization_details").toObject();
        QVERIFY2(details.value("granted_as_asked").toBool(),
                 qPrintable(QJsonDocument(details).toJson()));
        const QString sent =
            result.json.value("exchanges").toArray().first().toObject().value("request").toString();
        QVERIFY(sent.contains("authorization_details="));
    }
};

QTEST_MAIN(TestE2eRar)
#include "tst_e2e_rar.moc"
