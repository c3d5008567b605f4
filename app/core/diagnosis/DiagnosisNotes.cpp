#include "core/diagnosis/DiagnosisNotes.h"

namespace workbench::DiagnosisNotes {

void add(Diagnosis &diagnosis, const HttpExchange &exchange)
{
    const ErrorSignal &signal = diagnosis.signal;
    QStringList &notes = diagnosis.notes;
    if (!signal.error.isEmpty())
        notes << QStringLiteral("error: %1")
                     .arg(signal.rawError.isEmpty()
                              ? signal.error
                              : QStringLiteral("\"%1\"").arg(signal.rawError));
    if (!signal.errorFoundIn.isEmpty())
        notes << QStringLiteral("The error came in %1.").arg(signal.errorFoundIn);
    if (!signal.humanTitle.isEmpty())
        notes << QStringLiteral("title: %1").arg(signal.humanTitle);
    if (!signal.description.isEmpty())
        notes << QStringLiteral("description: %1").arg(signal.description);
    if (!signal.hint.isEmpty())
        notes << QStringLiteral("hint: %1").arg(signal.hint);
    if (!signal.debug.isEmpty())
        notes << QStringLiteral("debug: %1").arg(signal.debug);
    if (!signal.errorUri.isEmpty())
        notes << QStringLiteral("error_uri: %1").arg(signal.errorUri);
    for (const char *key : {"trace_id", "correlation_id", "error_codes", "timestamp", "status",
                            "errorId", "request-id", "fbtrace_id", "error_subcode"}) {
        const QString value = signal.extras.value(QString::fromLatin1(key));
        if (!value.isEmpty())
            notes << QStringLiteral("%1: %2").arg(QString::fromLatin1(key), value);
    }
    if (!signal.wwwAuthenticateScheme.isEmpty()) {
        QStringList params;
        for (auto it = signal.wwwAuthenticate.begin(); it != signal.wwwAuthenticate.end(); ++it)
            params << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
        notes << QStringLiteral("WWW-Authenticate: %1 %2")
                     .arg(signal.wwwAuthenticateScheme, params.join(QStringLiteral(", ")));
    }
    if (!exchange.responseHeader("DPoP-Nonce").isEmpty())
        notes << QStringLiteral("DPoP-Nonce: the server sent a nonce for the next proof.");
    if (signal.retryAfterSeconds >= 0)
        notes << QStringLiteral("Retry-After: wait %1 s before the next attempt.")
                     .arg(signal.retryAfterSeconds);
    if (signal.error == QLatin1String("slow_down"))
        notes << QStringLiteral("Polling interval: add 5 s to it (RFC 8628 §3.5).");
    if (!signal.redirectedTo.isEmpty())
        notes << QStringLiteral("redirected to: %1").arg(signal.redirectedTo);
    if (!signal.htmlTitle.isEmpty())
        notes << QStringLiteral("page title: %1").arg(signal.htmlTitle);
    for (const QString &heading : signal.htmlHeadings)
        notes << QStringLiteral("page heading: %1").arg(heading);
    if (!signal.htmlText.isEmpty()) {
        QString text = signal.htmlText;
        text.replace(QLatin1Char('\n'), QStringLiteral(" · "));
        notes << QStringLiteral("page text: %1")
                     .arg(text.size() > 600 ? text.left(600) + QStringLiteral("…") : text);
    }
    if (!signal.notStrictJson.isEmpty())
        notes << QStringLiteral("The body is not strict JSON (%1); it was read leniently.")
                     .arg(signal.notStrictJson.join(QStringLiteral("; ")));
    if (signal.httpStatus >= 200 && signal.httpStatus < 300 && !signal.error.isEmpty() &&
        signal.shape != ErrorSignal::Shape::RedirectError)
        notes << QStringLiteral("HTTP %1 carried an error in its body: check the body, not only "
                                "the status.")
                     .arg(signal.httpStatus);
    if (signal.bodyTruncated)
        notes << QStringLiteral("The body was cut off at the size limit; the end of the response "
                                "is not shown.");
    if (!signal.transportMessage.isEmpty())
        notes << QStringLiteral("network: %1").arg(signal.transportMessage);
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback &&
        exchange.transport == HttpExchange::Transport::Ok)
        notes << QStringLiteral("Delivered on the redirect URI (front channel).");
    for (const QString &tlsError : exchange.tlsErrors)
        notes << QStringLiteral("TLS: %1").arg(tlsError);
}

} // namespace workbench::DiagnosisNotes
