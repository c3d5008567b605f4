#pragma once

// Building exchanges and runs for the diagnosis tests, and reading what the diagnosis says.
#include "core/client/TokenRequest.h"
#include "core/diagnosis/Diagnoser.h"
#include "core/diagnosis/RawInput.h"

#include <QTest>
#include <algorithm>

namespace workbench::test {

inline QByteArray json(int status, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n" +
           extraHeaders + "\r\n" + body;
}
inline QByteArray bare(int status, const QByteArray &headers = {}, const QByteArray &body = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\n" + headers + "\r\n" + body;
}
inline QByteArray redirect(const QByteArray &query)
{
    return "http://127.0.0.1:5000/callback?" + query;
}

// A lone pasted exchange, with the endpoint and grant the person says.
inline Diagnosis explain(const QByteArray &raw, DiagnosisContext::Endpoint endpoint,
                         const QString &grant = {}, const DiagnosisHints &hints = {})
{
    QString error;
    const auto exchange = RawInput::parse(raw, &error);
    if (!exchange)
        qFatal("unparseable test input: %s", qPrintable(error));
    DiagnosisContext context = DiagnosisContext::fromExchange(*exchange);
    if (endpoint != DiagnosisContext::Endpoint::Unknown)
        context.endpoint = endpoint;
    if (!grant.isEmpty()) {
        context.sentParameters.append({"grant_type", grant});
        context.grantStated = true;
    }
    context.hints = hints;
    const auto diagnosis = Diagnoser().diagnose(*exchange, context);
    if (!diagnosis)
        qFatal("no diagnosis for: %s", raw.constData());
    return *diagnosis;
}

// A run as the flow records it: authorization request, callback, token request + response.
inline QList<HttpExchange> codeRun(const FormFields &authParams, const FormFields &tokenForm,
                                   const QByteArray &authorization, const QByteArray &response,
                                   qint64 codeAgeSeconds = 2)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    HttpExchange navigation;
    navigation.kind = HttpExchange::Kind::BrowserNavigation;
    navigation.request.url = QUrl("https://as.example/authorize");
    navigation.request.url.setQuery(
        QString::fromLatin1(FormEncoding::encode(authParams, FormEncoding::Space::Percent)),
        QUrl::StrictMode);
    HttpExchange callback;
    callback.kind = HttpExchange::Kind::LoopbackCallback;
    callback.request.url = QUrl("http://127.0.0.1:5000/callback?code=c&state=s");
    callback.startedAt = now.addSecs(-codeAgeSeconds);
    HttpExchange token = *RawInput::parse(response, nullptr);
    token.request = TokenRequest::formPost(QUrl("https://as.example/token"), tokenForm);
    if (!authorization.isEmpty())
        token.request.setHeader("Authorization", authorization);
    token.startedAt = now;
    return {navigation, callback, token};
}

// The index of a cause in the ranked list, or -1.
inline qsizetype rankOf(const Diagnosis &diagnosis, const QString &id)
{
    for (qsizetype i = 0; i < diagnosis.causes.size(); ++i) {
        if (diagnosis.causes.at(i).id == id)
            return i;
    }
    return -1;
}

inline const Diagnosis::Cause *causeOf(const Diagnosis &diagnosis, const QString &id)
{
    const qsizetype rank = rankOf(diagnosis, id);
    return rank < 0 ? nullptr : &diagnosis.causes.at(rank);
}

inline QString causeIds(const Diagnosis &diagnosis)
{
    QStringList ids;
    for (const auto &cause : diagnosis.causes)
        ids << cause.id + QLatin1Char(':') + Diagnosis::Cause::statusName(cause.status);
    return ids.join(QLatin1Char(' '));
}

// Whether some evidence of this cause, from this source, contains these words.
inline bool hasEvidence(const Diagnosis::Cause &cause, Diagnosis::Evidence::Source source,
                        const QString &words, bool supports = true)
{
    return std::any_of(cause.evidence.begin(), cause.evidence.end(), [&](const auto &evidence) {
        return evidence.source == source && evidence.supports == supports &&
               evidence.text.contains(words, Qt::CaseInsensitive);
    });
}

} // namespace workbench::test
