// No secret in the logs: a child process runs a code flow with a confidential client against the
// sandbox, then refresh, UserInfo, introspection and revocation, with every logging category at
// full verbosity. The parent scans all it printed for every secret of the run (client secret,
// code, verifier, tokens, Basic credentials), as the export's redaction finds them.
#include "SandboxBrowser.h"
#include "TokenActionsTest.h"
#include "core/export/Redaction.h"
#include "core/flows/AuthorizationCodeFlow.h"
#include "core/http/ExchangeClient.h"
#include "core/sandbox/SandboxProvider.h"
#include "core/tokens/IdTokenVerifier.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace workbench;

namespace {
// The child: runs everything and writes the run's secrets, one per line, to `secretsFile`.
int runChild(const QString &secretsFile)
{
    qRegisterMetaType<FlowOutcome>();
    qRegisterMetaType<TokenActions::Outcome>();
    SandboxProvider sandbox;
    if (!sandbox.start())
        return 2;
    const ClientConfig config = sandbox.clientConfig(true);
    ExchangeClient client;
    AuthorizationCodeFlow flow(&client);
    const FlowOutcome outcome = sandboxbrowser::completeFlow(flow, config);
    if (!outcome.succeeded())
        return 3;
    QList<HttpExchange> run = flow.exchanges();

    TokenActions actions(&client, flow.idTokenVerifier());
    QObject::connect(&actions, &TokenActions::exchangeRecorded,
                     [&run](const HttpExchange &exchange) { run << exchange; });
    actions.setSession(config,
                       TokenSet::fromResponse(outcome.tokenResponse, outcome.tokensReceivedAt));
    for (const auto action : {TokenActions::Action::Refresh, TokenActions::Action::UserInfo,
                              TokenActions::Action::Introspect, TokenActions::Action::Revoke}) {
        if (!testactions::run(actions, action).succeeded)
            return 4;
    }
    QFile out(secretsFile);
    if (!out.open(QIODevice::WriteOnly))
        return 5;
    QSet<QByteArray> secrets = Redaction::secretsIn(run);
    secrets << config.clientSecret.toUtf8();
    for (const QByteArray &secret : std::as_const(secrets))
        out.write(secret + '\n');
    return 0;
}
} // namespace

class TestNoSecretInLogs : public QObject
{
    Q_OBJECT
private slots:
    void fullVerbosityLogsHoldNoSecret()
    {
        QTemporaryDir dir;
        const QString secretsFile = dir.filePath(QStringLiteral("secrets"));
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("WORKBENCH_LOG_CHILD"), secretsFile);
        environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(60000));
        const QByteArray log = child.readAll();
        QVERIFY2(child.exitCode() == 0,
                 qPrintable(QStringLiteral("child exit %1:\n").arg(child.exitCode()) +
                            QString::fromUtf8(log.right(3000))));

        // Logging was on: the app's own categories wrote about the run.
        for (const char *category : {"workbench.http", "workbench.listener", "workbench.flow"})
            QVERIFY2(log.contains(category), category);

        QFile file(secretsFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> secrets = file.readAll().split('\n');
        int checked = 0;
        for (const QByteArray &secret : secrets) {
            if (secret.size() < 8)
                continue;
            ++checked;
            for (const QByteArray &form : {secret, secret.toPercentEncoding(),
                                           secret.toBase64(QByteArray::Base64UrlEncoding)}) {
                const qsizetype at = log.indexOf(form);
                QVERIFY2(at < 0,
                         qPrintable("a secret is in the log: ..." +
                                    QString::fromUtf8(log.mid(qMax<qsizetype>(0, at - 80), 160))));
            }
        }
        // The client secret, the code, the verifier, access, refresh (old and new) and ID
        // tokens at least.
        QVERIFY2(checked >= 7, qPrintable(QString::number(checked)));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("WORKBENCH_LOG_CHILD"))
        return runChild(qEnvironmentVariable("WORKBENCH_LOG_CHILD"));
    TestNoSecretInLogs test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_nosecretinlogs.moc"
