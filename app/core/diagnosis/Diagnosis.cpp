#include "Diagnosis.h"

#include <QJsonArray>

namespace workbench {

QJsonObject Diagnosis::toJson() const
{
    QJsonArray causeArray;
    for (const Cause &cause : causes) {
        QJsonObject object{{"id", cause.id}, {"text", cause.text}, {"confirmed", cause.confirmed}};
        if (!cause.evidence.isEmpty())
            object.insert("evidence", cause.evidence);
        causeArray.append(object);
    }
    QJsonArray referenceArray;
    for (const auto &reference : references)
        referenceArray.append(QJsonObject{{"title", reference.title}, {"url", reference.url}});
    QJsonObject server{{"shape", ErrorSignal::shapeName(signal.shape)},
                       {"http_status", signal.httpStatus}};
    if (!signal.error.isEmpty())
        server.insert("error", signal.rawError.isEmpty() ? signal.error : signal.rawError);
    if (!signal.description.isEmpty())
        server.insert("error_description", signal.description);
    if (!signal.errorUri.isEmpty())
        server.insert("error_uri", signal.errorUri);
    if (signal.retryAfterSeconds >= 0)
        server.insert("retry_after_seconds", signal.retryAfterSeconds);
    QJsonObject object{{"entry", entryId},
                       {"code", code},
                       {"category", category},
                       {"severity", severity},
                       {"title", title},
                       {"meaning", meaning},
                       {"causes", causeArray},
                       {"fixes", QJsonArray::fromStringList(fixes)},
                       {"references", referenceArray},
                       {"notes", QJsonArray::fromStringList(notes)},
                       {"server", server}};
    if (!relatedEntryIds.isEmpty())
        object.insert("related_entries", QJsonArray::fromStringList(relatedEntryIds));
    if (!source.isEmpty())
        object.insert("source", source);
    return object;
}

QString Diagnosis::toText() const
{
    QString text = QStringLiteral("%1 [%2] %3\n%4\n").arg(severity.toUpper(), code, title, meaning);
    if (!notes.isEmpty()) {
        text += QStringLiteral("\nWhat the server said:\n");
        for (const QString &note : notes)
            text += QStringLiteral("  %1\n").arg(note);
    }
    text += QStringLiteral("\nLikely causes, likeliest first:\n");
    int n = 0;
    for (const Cause &cause : causes) {
        text += QStringLiteral("  %1. %2%3\n")
                    .arg(++n)
                    .arg(cause.confirmed ? QStringLiteral("[seen in this flow] ") : QString(),
                         cause.text);
        if (!cause.evidence.isEmpty())
            text += QStringLiteral("     → %1\n").arg(cause.evidence);
    }
    text += QStringLiteral("\nHow to fix it:\n");
    for (const QString &fix : fixes)
        text += QStringLiteral("  • %1\n").arg(fix);
    text += QStringLiteral("\nReferences:\n");
    for (const auto &reference : references)
        text += QStringLiteral("  %1 <%2>\n").arg(reference.title, reference.url);
    if (!source.isEmpty())
        text += QStringLiteral("(Provider facts from %1.)\n").arg(source);
    return text;
}

} // namespace workbench
