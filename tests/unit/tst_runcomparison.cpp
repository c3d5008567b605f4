#include "core/compare/RunComparison.h"
#include "core/compare/StepRole.h"
#include "core/storage/RunHistory.h"
#include "core/tokens/TokenFacts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

namespace {

const QDateTime kAt =
    QDateTime::fromString(QStringLiteral("2026-11-30T09:00:00.000Z"), Qt::ISODateWithMs);

// One run of the code flow, as the app records it: the browser sent to the authorization
// endpoint, the callback on the loopback listener, the token request.
struct CodeRun
{
    QString authorizeRedirect = QStringLiteral("http://127.0.0.1:5000/callback");
    QString tokenRedirect = QStringLiteral("http://127.0.0.1:5000/callback");
    QString challengeMethod = QStringLiteral("S256");
    QString scope = QStringLiteral("openid email");
    QByteArray userAgent = "oauth-workbench/0.1";
    QByteArray authorization = "Basic d29ya2JlbmNoOnMzY3IzdA=="; // workbench:s3cr3t
    QByteArray extraForm;
    int status = 200;
    QByteArray answer = "{\"access_token\":\"AT-1\",\"token_type\":\"Bearer\",\"expires_in\":300}";

    RunRecord record(const QString &result) const
    {
        HttpExchange authorize;
        authorize.kind = HttpExchange::Kind::BrowserNavigation;
        QUrl url(QStringLiteral("https://id.example/authorize"));
        url.setQuery(
            QStringLiteral("response_type=code&client_id=workbench&redirect_uri=%1&scope=%2"
                           "&state=st-%3&code_challenge=ch-%3&code_challenge_method=%4")
                .arg(QString::fromLatin1(QUrl::toPercentEncoding(authorizeRedirect)),
                     QString::fromLatin1(QUrl::toPercentEncoding(scope)), result, challengeMethod));
        authorize.request.url = url;
        authorize.startedAt = kAt;

        HttpExchange callback;
        callback.kind = HttpExchange::Kind::LoopbackCallback;
        callback.request.url = QUrl(QUrl(authorizeRedirect).toString() +
                                    QStringLiteral("?code=code-%1&state=st-%1").arg(result));
        callback.startedAt = kAt.addSecs(2);

        HttpExchange token;
        token.request.method = "POST";
        token.request.url = QUrl(QStringLiteral("https://id.example/token"));
        token.request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                 {"User-Agent", userAgent}};
        if (!authorization.isEmpty())
            token.request.headers.append({"Authorization", authorization});
        token.request.body = "grant_type=authorization_code&code=code-" + result.toLatin1() +
                             "&redirect_uri=" + QUrl::toPercentEncoding(tokenRedirect) +
                             "&code_verifier=verifier-" + result.toLatin1() + extraForm;
        token.startedAt = kAt.addSecs(3);
        token.elapsedMs = 40;
        token.status = status;
        token.responseHeaders = {{"Content-Type", "application/json"}};
        token.responseBody = answer;

        RunRecord run;
        run.id = RunHistory::newId(kAt);
        run.startedAt = kAt;
        run.profile = QStringLiteral("Staging");
        run.grant = QStringLiteral("authorization_code");
        run.result = result;
        run.exchanges = {authorize, callback, token};
        return run;
    }
};

const RunDifference *find(const RunComparison &comparison, const QString &aspect)
{
    for (const RunDifference &difference : comparison.differences) {
        if (difference.aspect == aspect)
            return &difference;
    }
    return nullptr;
}

qsizetype rankOf(const RunComparison &comparison, const QString &aspect)
{
    for (qsizetype i = 0; i < comparison.differences.size(); ++i) {
        if (comparison.differences.at(i).aspect == aspect)
            return i;
    }
    return -1;
}

QByteArray unsignedJwt(const QJsonObject &header, const QJsonObject &claims)
{
    const auto part = [](const QJsonObject &object) {
        return QJsonDocument(object)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return part(header) + '.' + part(claims) + ".c2ln";
}

} // namespace

class TestRunComparison : public QObject
{
    Q_OBJECT

private slots:
    void stepsAreMatchedByWhatTheyAre()
    {
        const RunRecord run = CodeRun().record(QStringLiteral("succeeded"));
        QCOMPARE(StepRoles::of(run.exchanges.at(0)), StepRole::Authorization);
        QCOMPARE(StepRoles::of(run.exchanges.at(1)), StepRole::Callback);
        QCOMPARE(StepRoles::of(run.exchanges.at(2)), StepRole::Token);
        HttpExchange jwks;
        jwks.request.url = QUrl(QStringLiteral("https://id.example/oauth2/v1/keys"));
        jwks.status = 200;
        jwks.responseBody = "{\"keys\":[]}";
        QCOMPARE(StepRoles::of(jwks), StepRole::Jwks);
        HttpExchange discovery;
        discovery.request.url =
            QUrl(QStringLiteral("https://id.example/.well-known/openid-configuration"));
        QCOMPARE(StepRoles::of(discovery), StepRole::Discovery);

        // A run with a discovery step the other lacks: the steps line up around it.
        RunRecord left = run;
        left.exchanges.prepend(discovery);
        const RunComparison comparison = RunComparison::of(left, run);
        QCOMPARE(comparison.steps.size(), 4);
        QCOMPARE(comparison.steps.at(0).name, QStringLiteral("discovery"));
        QCOMPARE(comparison.steps.at(0).right, -1);
        QCOMPARE(comparison.steps.at(3).name, QStringLiteral("token request"));
        QCOMPARE(comparison.steps.at(3).left, 3);
        QCOMPARE(comparison.steps.at(3).right, 2);
        const RunDifference *extra = find(comparison, QStringLiteral("step"));
        QVERIFY(extra);
        QCOMPARE(extra->step, QStringLiteral("discovery"));
        QVERIFY(extra->right.isEmpty());
    }

    void identicalRunsHaveNoDifferences()
    {
        const RunRecord a = CodeRun().record(QStringLiteral("succeeded"));
        const RunComparison comparison = RunComparison::of(a, a);
        QVERIFY2(comparison.differences.isEmpty(), qPrintable(comparison.toText()));
        QCOMPARE(comparison.failing, RunComparison::Failing::Neither);
        QVERIFY(comparison.toText().contains("none: the two runs sent and received the same"));
    }

    // Per-run values (state, code, verifier, challenge) differ on every run: only whether they
    // were sent counts.
    void valuesNewOnEveryRunAreNotDifferences()
    {
        const RunRecord a = CodeRun().record(QStringLiteral("succeeded"));
        RunRecord b = CodeRun().record(QStringLiteral("succeeded"));
        b.exchanges[2].request.body.replace("verifier-succeeded", "verifier-other");
        QVERIFY(RunComparison::of(a, b).differences.isEmpty());
        b.exchanges[2].request.body.replace("&code_verifier=verifier-other", "");
        const RunComparison comparison = RunComparison::of(a, b);
        const RunDifference *verifier = find(comparison, QStringLiteral("code_verifier"));
        QVERIFY(verifier);
        QCOMPARE(verifier->left, QStringLiteral("sent"));
        QVERIFY(verifier->right.isEmpty());
        QCOMPARE(verifier->family, QStringLiteral("pkce"));
    }

    // The failing run's diagnosis (the token request's redirect_uri differs from the
    // authorization request's) puts the redirect_uri first, the User-Agent far below.
    void redirectUriComesBeforeTheUserAgent()
    {
        CodeRun failing;
        failing.tokenRedirect = QStringLiteral("http://127.0.0.1:5000/cb");
        failing.userAgent = "curl/8.5";
        failing.status = 400;
        failing.answer = "{\"error\":\"invalid_grant\",\"error_description\":\"redirect_uri did "
                         "not match the authorization request\"}";
        const RunComparison comparison =
            RunComparison::of(failing.record(QStringLiteral("token_error_response")),
                              CodeRun().record(QStringLiteral("succeeded")));
        QCOMPARE(comparison.failing, RunComparison::Failing::Left);
        QCOMPARE(comparison.failedStep, QStringLiteral("token request"));
        QCOMPARE(comparison.failureCode, QStringLiteral("invalid_grant"));
        QVERIFY(!comparison.differences.isEmpty());
        const RunDifference &first = comparison.differences.first();
        QCOMPARE(first.aspect, QStringLiteral("redirect_uri"));
        QCOMPARE(first.step, QStringLiteral("token request"));
        QCOMPARE(first.left, QStringLiteral("http://127.0.0.1:5000/cb"));
        QCOMPARE(first.right, QStringLiteral("http://127.0.0.1:5000/callback"));
        QVERIFY2(first.explains.startsWith("redirect"), qPrintable(first.explains));
        const qsizetype userAgent = rankOf(comparison, QStringLiteral("header User-Agent"));
        QVERIFY(userAgent > 0);
        QVERIFY(rankOf(comparison, QStringLiteral("response status")) > 0);
        QVERIFY(comparison.toText().contains("Run A failed at the token request (invalid_grant"));
    }

    // Which run failed does not matter: with the runs swapped, the same difference leads.
    void theFailingRunMayBeEitherSide()
    {
        CodeRun failing;
        failing.challengeMethod = QStringLiteral("plain");
        failing.scope = QStringLiteral("openid email profile");
        failing.status = 400;
        failing.answer = "{\"error\":\"invalid_request\",\"error_description\":\"code challenge "
                         "method plain is not allowed, use S256\"}";
        const RunComparison comparison =
            RunComparison::of(CodeRun().record(QStringLiteral("succeeded")),
                              failing.record(QStringLiteral("token_error_response")));
        QCOMPARE(comparison.failing, RunComparison::Failing::Right);
        QVERIFY(!comparison.differences.isEmpty());
        QVERIFY2(comparison.failureCauses.value(0).startsWith("pkce"),
                 qPrintable(comparison.failureCauses.join(' ')));
        QCOMPARE(comparison.differences.first().aspect, QStringLiteral("code_challenge_method"));
        QCOMPARE(comparison.differences.first().right, QStringLiteral("plain"));
        QVERIFY(rankOf(comparison, QStringLiteral("scope")) > 0);
    }

    // How the client authenticated, read from what was sent; its secret only as a fingerprint.
    void clientAuthenticationExplainsInvalidClient()
    {
        CodeRun failing;
        failing.authorization.clear();
        failing.extraForm = "&client_id=workbench&client_secret=REDACTED:1a2b3c4d";
        failing.status = 401;
        failing.answer = "{\"error\":\"invalid_client\",\"error_description\":\"client "
                         "authentication failed\"}";
        const RunComparison comparison =
            RunComparison::of(failing.record(QStringLiteral("token_error_response")),
                              CodeRun().record(QStringLiteral("succeeded")));
        QVERIFY(!comparison.differences.isEmpty());
        const RunDifference &first = comparison.differences.first();
        QCOMPARE(first.aspect, QStringLiteral("client authentication"));
        QCOMPARE(first.left, QStringLiteral("client_secret_post"));
        QCOMPARE(first.right, QStringLiteral("client_secret_basic"));
        // The client id travels in the Basic header on one side: not a difference of its own.
        QVERIFY(!find(comparison, QStringLiteral("client_id")));
        QCOMPARE(find(comparison, QStringLiteral("client_secret"))->left,
                 QStringLiteral("REDACTED:1a2b3c4d"));
    }

    // Servers must accept any port on a loopback redirect URI (RFC 8252 §7.3): a port alone
    // ranks low, below what the diagnosis points at.
    void aLoopbackPortAloneRanksLow()
    {
        CodeRun failing;
        failing.authorizeRedirect = QStringLiteral("http://127.0.0.1:6001/callback");
        failing.tokenRedirect = failing.authorizeRedirect;
        failing.scope = QStringLiteral("openid email payments");
        failing.status = 400;
        failing.answer = "{\"error\":\"invalid_scope\",\"error_description\":\"scope payments "
                         "is not allowed for this client\"}";
        const RunComparison comparison =
            RunComparison::of(failing.record(QStringLiteral("token_error_response")),
                              CodeRun().record(QStringLiteral("succeeded")));
        QCOMPARE(comparison.differences.first().aspect, QStringLiteral("scope"));
        const RunDifference *redirect = find(comparison, QStringLiteral("redirect_uri"));
        QVERIFY(redirect);
        QCOMPARE(redirect->family, QStringLiteral("loopback_port"));
        QVERIFY(redirect->weight < comparison.differences.first().weight);
    }

    // Without a diagnosis a differing redirect_uri outweighs a differing scope; a server that
    // says the scope is the trouble puts the scope first.
    void theDiagnosisDecidesTheOrder()
    {
        CodeRun failing;
        failing.authorizeRedirect = QStringLiteral("https://app.example/oauth/done");
        failing.tokenRedirect = failing.authorizeRedirect;
        failing.scope = QStringLiteral("openid email payments");
        failing.status = 400;
        failing.answer = "{\"error\":\"invalid_scope\",\"error_description\":\"scope payments "
                         "is not allowed for this client\"}";
        RunRecord a = failing.record(QStringLiteral("token_error_response"));
        const RunRecord b = CodeRun().record(QStringLiteral("succeeded"));
        const RunComparison diagnosed = RunComparison::of(a, b);
        QVERIFY2(diagnosed.failureCauses.value(0).startsWith("scope_"),
                 qPrintable(diagnosed.failureCauses.join(' ')));
        QCOMPARE(diagnosed.differences.first().aspect, QStringLiteral("scope"));
        QCOMPARE(diagnosed.differences.first().explains, diagnosed.failureCauses.value(0));

        a.exchanges[2].responseBody = "{}"; // nothing to diagnose: the settings' own weights
        a.exchanges[2].status = 500;
        a.exchanges[2].responseHeaders.clear();
        const RunComparison undiagnosed = RunComparison::of(a, b);
        QVERIFY(!undiagnosed.failureCauses.contains("scope_not_allowed"));
        QCOMPARE(undiagnosed.differences.first().aspect, QStringLiteral("redirect_uri"));
    }

    // What the tokens were, kept beside the redacted run: another audience or algorithm shows.
    void tokenClaimsAreCompared()
    {
        const QByteArray a = unsignedJwt(
            {{"alg", "RS256"}, {"kid", "k1"}},
            {{"iss", "https://id.example"}, {"aud", "workbench"}, {"iat", 1000}, {"exp", 4600}});
        const QByteArray b =
            unsignedJwt({{"alg", "ES256"}, {"kid", "k2"}}, {{"iss", "https://id.example"},
                                                            {"aud", "another-client"},
                                                            {"iat", 1000},
                                                            {"exp", 1300}});
        CodeRun left;
        left.answer =
            "{\"access_token\":\"AT\",\"token_type\":\"Bearer\",\"id_token\":\"" + a + "\"}";
        CodeRun right = left;
        right.answer.replace(a, b);
        RunRecord x = left.record(QStringLiteral("succeeded"));
        RunRecord y = right.record(QStringLiteral("succeeded"));
        for (RunRecord *run : {&x, &y}) {
            for (const HttpExchange &exchange : std::as_const(run->exchanges))
                run->tokenFacts << TokenFacts::of(exchange);
        }
        QCOMPARE(x.tokenFacts.at(2).value("id_token").toObject().value("lifetime").toInt(), 3600);
        QCOMPARE(x.tokenFacts.at(2).value("access_token").toObject().value("format").toString(),
                 QStringLiteral("opaque"));
        const RunComparison comparison = RunComparison::of(x, y);
        QCOMPARE(find(comparison, QStringLiteral("id_token aud"))->right,
                 QStringLiteral("another-client"));
        QCOMPARE(find(comparison, QStringLiteral("id_token alg"))->left, QStringLiteral("RS256"));
        QCOMPARE(find(comparison, QStringLiteral("id_token lifetime"))->right,
                 QStringLiteral("300"));
        QVERIFY(!find(comparison, QStringLiteral("id_token iss")));
        QCOMPARE(comparison.differences.first().aspect, QStringLiteral("id_token aud"));
    }

    // Runs come from the history: saved with their secrets, compared without them. The token
    // facts made before redaction survive saving a loaded run again.
    void savedRunsAreComparedWithoutTheirSecrets()
    {
        QTemporaryDir dir;
        RunHistory history(dir.path());
        const QByteArray idToken = unsignedJwt(
            {{"alg", "RS256"}},
            {{"iss", "https://id.example"}, {"aud", "workbench"}, {"iat", 1000}, {"exp", 4600}});
        CodeRun good;
        good.answer = "{\"access_token\":\"AT-live-secret-0001\",\"token_type\":\"Bearer\","
                      "\"refresh_token\":\"RT-live-secret-0002\",\"id_token\":\"" +
                      idToken + "\"}";
        CodeRun bad;
        bad.authorization = "Basic d29ya2JlbmNoOm90aGVyLXNlY3JldA=="; // workbench:other-secret
        bad.status = 401;
        bad.answer = "{\"error\":\"invalid_client\"}";
        RunRecord a = bad.record(QStringLiteral("token_error_response"));
        RunRecord b = good.record(QStringLiteral("succeeded"));
        b.id = RunHistory::newId(kAt.addSecs(60));
        QVERIFY(history.save(a));
        QVERIFY(history.save(b));
        std::optional<RunRecord> loaded = history.load(b.id);
        QVERIFY(loaded);
        QCOMPARE(loaded->tokenFacts.value(2).value("id_token").toObject().value("aud").toString(),
                 QStringLiteral("workbench"));
        QVERIFY(history.save(*loaded)); // saved again, redacted: the facts stay
        loaded = history.load(b.id);
        QCOMPARE(loaded->tokenFacts.value(2).value("id_token").toObject().value("iss").toString(),
                 QStringLiteral("https://id.example"));

        const RunComparison comparison = RunComparison::of(*history.load(a.id), *loaded);
        const QByteArray shown =
            comparison.toText().toUtf8() + QJsonDocument(comparison.toJson()).toJson();
        for (const QByteArray &secret :
             {QByteArray("AT-live-secret-0001"), QByteArray("RT-live-secret-0002"),
              QByteArray("d29ya2JlbmNoOm90aGVyLXNlY3JldA=="),
              QByteArray("d29ya2JlbmNoOnMzY3IzdA=="), QByteArray("code-succeeded"),
              QByteArray("verifier-succeeded"), idToken})
            QVERIFY2(!shown.contains(secret), secret.constData());
        const RunDifference *credentials =
            find(comparison, QStringLiteral("client credentials (Basic header)"));
        QVERIFY(credentials);
        QVERIFY(credentials->left.startsWith("REDACTED:"));
        QVERIFY(credentials->right.startsWith("REDACTED:"));
        QVERIFY(credentials->left != credentials->right);
        QCOMPARE(comparison.differences.first().family, QStringLiteral("client_auth"));
        const QJsonObject json = comparison.toJson();
        QCOMPARE(json.value("failing").toString(), QStringLiteral("A"));
        QCOMPARE(json.value("failure").toObject().value("code").toString(),
                 QStringLiteral("invalid_client"));
        QCOMPARE(json.value("differences").toArray().first().toObject().value("a").toString(),
                 credentials->left);
    }
};

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
