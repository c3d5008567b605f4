#pragma once

// The code flow of a run engine through Chromium, for the end-to-end tests that only need its
// outcome and its recorded run.

#include "core/session/RunSession.h"

#include "E2eEnvironment.h"

#include <QSignalSpy>

Q_DECLARE_METATYPE(workbench::FlowOutcome)

namespace e2e {

// Runs `config` in `session` with Chromium signing in at the provider; how it ended (the run
// stays in `session`). Cancelled, "did not finish", when it did not start or end within a minute.
inline workbench::FlowOutcome signIn(const Environment &env, workbench::RunSession &session,
                                     const workbench::ClientConfig &config)
{
    QProcess browser;
    const QMetaObject::Connection opened =
        QObject::connect(&session, &workbench::RunSession::authorizationUrlReady, &session,
                         [&](const QUrl &url) { env.openInBrowser(browser, url); });
    QSignalSpy finished(&session, &workbench::RunSession::finished);
    workbench::FlowOutcome outcome{workbench::FlowOutcome::Result::Cancelled, "did not finish"};
    const bool started = session.start(config);
    if (started && (!finished.isEmpty() || finished.wait(60000)))
        outcome = finished.first().first().value<workbench::FlowOutcome>();
    QObject::disconnect(opened);
    if (started)
        Environment::browserResult(browser);
    return outcome;
}

} // namespace e2e
