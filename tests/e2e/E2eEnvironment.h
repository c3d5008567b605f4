#pragma once

// Test-only helpers for the end-to-end tests: starts the real oidc-provider (provider.mjs) and
// plays the person at the browser (browser-login.mjs in headless Chromium).

#include "core/client/ClientConfig.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaMethod>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>

namespace e2e {

inline QJsonObject lastJsonLine(const QByteArray &output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.last()).object();
}

// What the command line (WORKBENCH_CLI) did: its exit code, its --json output, its stderr.
struct CliResult
{
    int exit = -1;
    QJsonObject json;
    QByteArray errors;
};

// Runs the command line with `arguments`, the variables of `environment` added to this
// process's, for up to 90 s.
inline CliResult runCli(const QStringList &arguments,
                        const QList<QPair<QString, QString>> &environment = {})
{
    QProcess cli;
    QProcessEnvironment variables = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : environment)
        variables.insert(name, value);
    cli.setProcessEnvironment(variables);
    cli.start(qEnvironmentVariable("WORKBENCH_CLI"), arguments);
    CliResult result;
    if (!cli.waitForFinished(90000)) {
        cli.kill();
        cli.waitForFinished(5000);
    }
    result.exit = cli.exitCode();
    result.json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    result.errors = cli.readAllStandardError();
    return result;
}

// The test functions of a Qt Test class (private slots without arguments, other than the
// fixtures and `except`), sorted: a test run in parts checks that every function is in a part.
inline QStringList testFunctions(const QMetaObject *meta, const QString &except)
{
    QStringList tests;
    for (int i = meta->methodOffset(); i < meta->methodCount(); ++i) {
        const QMetaMethod method = meta->method(i);
        const QString name = QString::fromLatin1(method.name());
        if (method.methodType() == QMetaMethod::Slot && method.access() == QMetaMethod::Private &&
            method.parameterCount() == 0 && !name.endsWith("_data") && name != "initTestCase" &&
            name != "cleanupTestCase" && name != "init" && name != "cleanup" && name != except)
            tests << name;
    }
    tests.sort();
    return tests;
}

// The functions named in the comma-separated environment variable `variable`, sorted.
inline QStringList listedTestFunctions(const char *variable)
{
    QStringList listed = qEnvironmentVariable(variable).split(',', Qt::SkipEmptyParts);
    listed.sort();
    return listed;
}

class Environment
{
public:
    // Empty on success, otherwise what is missing and how to get it.
    QString start()
    {
        m_dir = qEnvironmentVariable("WORKBENCH_E2E_DIR");
        if (!QFile::exists(m_dir + "/node_modules/oidc-provider/package.json"))
            return "tests/e2e/node_modules is missing: run `npm ci` in tests/e2e "
                   "(scripts/test.sh does this)";
        const QString chromium = qEnvironmentVariable("CHROMIUM_PATH", "/usr/bin/chromium");
        if (!QFile::exists(chromium))
            return "Chromium is missing: apt-get install chromium";
        m_node = QStandardPaths::findExecutable("node");
        if (m_node.isEmpty())
            return "node is not on PATH";

        m_provider.setWorkingDirectory(m_dir);
        m_provider.setProcessChannelMode(QProcess::SeparateChannels);
        m_provider.start(m_node, {"provider.mjs"});
        if (!m_provider.waitForStarted(10000))
            return "could not start node provider.mjs";
        QByteArray line;
        QElapsedTimer timer;
        timer.start();
        while (!line.contains('\n') && timer.elapsed() < 30000) {
            if (m_provider.waitForReadyRead(500))
                line += m_provider.readAllStandardOutput();
            if (m_provider.state() == QProcess::NotRunning)
                break;
        }
        m_info = QJsonDocument::fromJson(line.trimmed()).object();
        if (m_info.isEmpty())
            return "the provider did not start: " +
                   QString::fromUtf8(m_provider.readAllStandardError());
        return {};
    }

    void stop()
    {
        m_provider.closeWriteChannel(); // provider.mjs exits when its stdin ends
        if (m_provider.state() != QProcess::NotRunning && !m_provider.waitForFinished(5000))
            m_provider.kill();
    }

    QString issuer() const { return m_info.value("issuer").toString(); }
    // Where provider.mjs forges JARM responses for the tests to deliver (JARM_FORGE_PATH).
    QUrl jarmForge() const { return QUrl(m_info.value("jarm_forge").toString()); }
    QJsonObject discovery() const { return m_info.value("discovery").toObject(); }
    // The provider's demo single-page app (provider.mjs, SPA_PATH).
    QString spa() const { return m_info.value("spa").toString(); }
    // A resource server that takes DPoP-bound tokens with its own nonces (provider.mjs).
    QUrl dpopResource() const { return QUrl(m_info.value("dpop_resource").toString()); }
    // The token dynamic registration wants (RFC 7591 §3), made for this run of the provider.
    QString initialAccessToken() const { return m_info.value("initial_access_token").toString(); }
    QJsonObject client(const QString &key) const
    {
        return m_info.value("clients").toObject().value(key).toObject();
    }

    // Starts browser-login.mjs on `url` in `browser` (not waited for).
    void openInBrowser(QProcess &browser, const QUrl &url) const
    {
        browser.setWorkingDirectory(m_dir);
        browser.setProcessChannelMode(QProcess::SeparateChannels);
        browser.start(m_node, {"browser-login.mjs", url.toString(QUrl::FullyEncoded)});
    }

    // The same in the browser profile `profileDir`, kept between visits (one person's browser).
    void openInProfile(QProcess &browser, const QUrl &url, const QString &profileDir) const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("E2E_PROFILE", profileDir);
        browser.setProcessEnvironment(environment);
        openInBrowser(browser, url);
    }

    // The same with Chromium recording the visit as a HAR at `harPath` (Playwright's recordHar).
    void openRecording(QProcess &browser, const QUrl &url, const QString &harPath) const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("E2E_HAR", harPath);
        browser.setProcessEnvironment(environment);
        openInBrowser(browser, url);
    }

    // The provider's client `key` for `grant`: its credentials and the endpoints discovery gives
    // (not the JWKS, whose fetch would add an exchange to runs that check an ID token).
    workbench::ClientConfig clientConfig(const QString &key, workbench::GrantType grant) const
    {
        const QJsonObject registered = client(key);
        const QJsonObject endpoints = discovery();
        const auto endpoint = [&](const char *name) {
            return QUrl(endpoints.value(QLatin1String(name)).toString());
        };
        workbench::ClientConfig config;
        config.grant = grant;
        config.issuer = QUrl(issuer());
        config.authorizationEndpoint = endpoint("authorization_endpoint");
        config.tokenEndpoint = endpoint("token_endpoint");
        config.deviceAuthorizationEndpoint = endpoint("device_authorization_endpoint");
        config.userinfoEndpoint = endpoint("userinfo_endpoint");
        config.introspectionEndpoint = endpoint("introspection_endpoint");
        config.revocationEndpoint = endpoint("revocation_endpoint");
        config.endSessionEndpoint = endpoint("end_session_endpoint");
        config.clientId = registered.value("client_id").toString();
        config.clientSecret = registered.value("client_secret").toString();
        workbench::clientAuthMethodFromName(
            registered.value("token_endpoint_auth_method").toString(), &config.authMethod);
        return config;
    }

    // Waits, with the event loop running, for the browser script; returns its JSON report.
    static QJsonObject browserResult(QProcess &browser, int timeoutMs = 30000)
    {
        if (!QTest::qWaitFor([&] { return browser.state() == QProcess::NotRunning; }, timeoutMs)) {
            browser.kill();
            browser.waitForFinished(5000);
        }
        const QByteArray errors = browser.readAllStandardError();
        QJsonObject result = lastJsonLine(browser.readAllStandardOutput());
        if (result.isEmpty())
            result.insert("error", QString::fromUtf8(errors));
        return result;
    }

private:
    QString m_dir;
    QString m_node;
    QProcess m_provider;
    QJsonObject m_info;
};

} // namespace e2e
