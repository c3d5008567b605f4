#pragma once

// Saved runs for the benchmarks that start or open the app with a history to read.

#include "core/storage/RunHistory.h"

namespace bench {

// Run `index` of a history: a code flow whose token request was answered, `steps` times.
inline workbench::RunRecord sampleRun(int index, const QDateTime &first, int steps)
{
    using namespace workbench;
    RunRecord run;
    run.startedAt = first.addSecs(qint64(index) * 60);
    run.id = RunHistory::newId(run.startedAt);
    run.profile = QStringLiteral("Profile %1").arg(index % 20);
    run.grant = QStringLiteral("authorization_code");
    run.result = index % 7 == 0 ? QStringLiteral("token_error") : QStringLiteral("succeeded");
    run.summary = QStringLiteral("The code was exchanged for tokens.");
    HttpExchange token;
    token.request.method = "POST";
    token.request.url = QUrl(QStringLiteral("https://id.example/token"));
    token.request.body = "grant_type=authorization_code&code=c" + QByteArray::number(index);
    token.status = 200;
    token.responseBody = R"({"access_token":"at","token_type":"Bearer","expires_in":3600})";
    for (int step = 0; step < steps; ++step)
        run.exchanges << token;
    return run;
}

} // namespace bench
