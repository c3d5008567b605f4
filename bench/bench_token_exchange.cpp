// The app's token exchange, from the request being sent to its diagnosis shown in the results
// pane, against curl posting the same request to the same local oidc-provider (curl's own
// time_total, a new connection each time) and against openid-client (npm) doing the same grant.
// Client credentials grant, client_secret_basic.
#include "BenchCommon.h"
#include "E2eEnvironment.h"
#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"
#include "ui/results/ExchangeListModel.h"
#include "ui/results/ResultsPane.h"

#include <QApplication>
#include <QProcess>
#include <QSignalSpy>

#include <vector>

using namespace workbench;

namespace {

// One exchange through the app as it runs: its one client (connections kept alive, as the
// window's are), the pane diagnosing, filling and painting the step.
struct AppRun
{
    double totalMs;
    double answerMs; // of which: sent to the answer read
};

AppRun appOnce(ExchangeClient &client, ResultsPane &pane, const HttpRequestSpec &request)
{
    QElapsedTimer clock;
    clock.start();
    PendingExchange *pending = client.send(request, QStringLiteral("Token request"));
    QSignalSpy finished(pending, &PendingExchange::finished);
    if (!finished.wait(10000))
        qFatal("no answer from the provider");
    const double answered = clock.nsecsElapsed() / 1e6;
    const auto exchange = finished.first().first().value<HttpExchange>();
    pane.addExchange(exchange); // small: diagnosed and put in the widgets before this returns
    QCoreApplication::processEvents(); // and painted: shown
    const double ms = clock.nsecsElapsed() / 1e6;

    if (exchange.status != 200 || !pane.responseText().contains(QStringLiteral("access_token")) ||
        pane.model()->diagnosisAt(pane.model()->rowCount() - 1))
        qFatal("the exchange failed: %s", exchange.responseBody.constData());
    return {ms, answered};
}

double curlOnce(const ClientConfig &config)
{
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               {"-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-u",
                config.clientId + ':' + config.clientSecret, "-d", "grant_type=client_credentials",
                config.tokenEndpoint.toString()});
    if (!curl.waitForFinished(10000))
        qFatal("curl did not finish");
    const QList<QByteArray> out = curl.readAllStandardOutput().split(' ');
    if (out.size() != 2 || out.first() != "200")
        qFatal("curl failed");
    return out.last().toDouble() * 1000;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const int runs = argc > 1 ? atoi(argv[1]) : 100;
    qRegisterMetaType<HttpExchange>();
    e2e::Environment environment;
    if (const QString problem = environment.start(); !problem.isEmpty())
        qFatal("%s", qPrintable(problem));

    ClientConfig config;
    config.tokenEndpoint = QUrl(environment.discovery().value("token_endpoint").toString());
    const QJsonObject service = environment.client(QStringLiteral("service"));
    config.clientId = service.value("client_id").toString();
    config.clientSecret = service.value("client_secret").toString();
    config.authMethod = ClientAuthMethod::ClientSecretBasic;
    const HttpRequestSpec request = TokenRequest::clientCredentials(config);

    ExchangeClient client;
    ResultsPane pane;
    pane.show();
    std::vector<double> ours, answers, panes, curl;
    for (int i = 0; i < 3; ++i) { // warm up both
        pane.clear();
        appOnce(client, pane, request);
        curlOnce(config);
    }
    for (int i = 0; i < runs; ++i) {
        // Each run starts on an empty pane, as the window clears it before a flow sends
        // anything (earlier versions let 50 runs pile up, each step then masked and diagnosed
        // against all the others: a run the app never shows).
        pane.clear();
        const AppRun run = appOnce(client, pane, request);
        ours.push_back(run.totalMs);
        answers.push_back(run.answerMs);
        panes.push_back(run.totalMs - run.answerMs);
        curl.push_back(curlOnce(config));
    }

    QProcess node;
    node.setWorkingDirectory(qEnvironmentVariable("WORKBENCH_E2E_DIR"));
    node.start(QStringLiteral("node"),
               {"openid-client-bench.mjs", environment.issuer(), config.clientId,
                config.clientSecret, QString::number(runs)});
    if (!node.waitForFinished(120000) || node.exitCode() != 0)
        qFatal("openid-client bench failed: %s", node.readAllStandardError().constData());
    const double openidClient = e2e::lastJsonLine(node.readAllStandardOutput())
                                    .value(QStringLiteral("median_ms"))
                                    .toDouble();
    environment.stop();

    const double app_ = bench::median(ours), curl_ = bench::median(curl);
    bench::report({QStringLiteral("token"),
                   QStringLiteral("client credentials, sent to diagnosis shown, ms"), app_,
                   QStringLiteral("curl time_total"), curl_, QStringLiteral("ratio <= 1.2"),
                   app_ <= 1.2 * curl_});
    bench::report(
        {QStringLiteral("token"), QStringLiteral("client credentials, sent to diagnosis shown, ms"),
         app_, QStringLiteral("openid-client"), openidClient, QStringLiteral("reported"), true});
    // Where the app's time goes (context, no target): the exchange on the wire, then the pane.
    bench::reportContext(QStringLiteral("token"),
                         QStringLiteral("of which sent to answer read, ms"), bench::median(answers),
                         QStringLiteral("curl time_total"), curl_);
    bench::reportContext(QStringLiteral("token"), QStringLiteral("of which answer to shown, ms"),
                         bench::median(panes), QStringLiteral("curl time_total"), curl_);
    return 0;
}
