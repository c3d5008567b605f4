#include "core/diagnosis/Diagnosis.h"

#include <QJsonArray>

namespace workbench {

QString Diagnosis::Evidence::sourceName(Source source)
{
    switch (source) {
    case Source::ServerWords:
        return QStringLiteral("server_words");
    case Source::ProviderCode:
        return QStringLiteral("provider_code");
    case Source::Flow:
        return QStringLiteral("flow");
    case Source::Discovery:
        return QStringLiteral("discovery");
    case Source::History:
        return QStringLiteral("history");
    }
    return {};
}

QString Diagnosis::Cause::statusName(Status status)
{
    switch (status) {
    case Status::Confirmed:
        return QStringLiteral("confirmed");
    case Status::Supported:
        return QStringLiteral("supported");
    case Status::Unknown:
        return QStringLiteral("unknown");
    case Status::Contradicted:
        return QStringLiteral("contradicted");
    }
    return {};
}

QString Diagnosis::providerLine() const
{
    if (provider.id.isEmpty())
        return QStringLiteral("unknown provider (generic guidance)");
    return provider.code.isEmpty() ? provider.name
                                   : QStringLiteral("%1, %2").arg(provider.name, provider.code);
}

QJsonObject Diagnosis::toJson() const
{
    QJsonArray causeArray;
    for (const Cause &cause : causes) {
        QJsonArray evidenceArray;
        for (const Evidence &evidence : cause.evidence)
            evidenceArray.append(QJsonObject{{"source", Evidence::sourceName(evidence.source)},
                                             {"supports", evidence.supports},
                                             {"decisive", evidence.decisive},
                                             {"context", evidence.context},
                                             {"text", evidence.text}});
        QJsonObject object{{"id", cause.id},
                           {"text", cause.text},
                           {"status", Cause::statusName(cause.status)},
                           {"evidence", evidenceArray}};
        if (!cause.fix.isEmpty())
            object.insert("fix", cause.fix);
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
    if (!signal.hint.isEmpty())
        server.insert("hint", signal.hint);
    if (!signal.debug.isEmpty())
        server.insert("debug", signal.debug);
    if (!signal.errorFoundIn.isEmpty())
        server.insert("error_found_in", signal.errorFoundIn);
    if (!signal.htmlTitle.isEmpty())
        server.insert("page_title", signal.htmlTitle);
    if (!signal.htmlHeadings.isEmpty())
        server.insert("page_headings", QJsonArray::fromStringList(signal.htmlHeadings));
    if (!signal.htmlText.isEmpty())
        server.insert("page_text", signal.htmlText);
    if (!signal.notStrictJson.isEmpty())
        server.insert("not_strict_json", QJsonArray::fromStringList(signal.notStrictJson));
    if (signal.retryAfterSeconds >= 0)
        server.insert("retry_after_seconds", signal.retryAfterSeconds);
    const QJsonValue providerValue = provider.id.isEmpty()
                                         ? QJsonValue(QJsonValue::Null)
                                         : QJsonValue(QJsonObject{{"id", provider.id},
                                                                  {"name", provider.name},
                                                                  {"code", provider.code},
                                                                  {"identified_by", provider.via},
                                                                  {"docs", provider.docs}});
    QJsonObject object{{"entry", entryId},
                       {"code", code},
                       {"provider", providerValue},
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
    text += QStringLiteral("Provider: %1%2\n")
                .arg(providerLine(), provider.via.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (identified by %1)").arg(provider.via));
    if (!notes.isEmpty()) {
        text += QStringLiteral("\nWhat the server said:\n");
        for (const QString &note : notes)
            text += QStringLiteral("  %1\n").arg(note);
    }
    text += QStringLiteral("\nLikely causes, likeliest first:\n");
    int n = 0;
    for (const Cause &cause : causes) {
        text += QStringLiteral("  %1. [%2] %3\n")
                    .arg(++n)
                    .arg(Cause::statusName(cause.status), cause.text);
        for (const Evidence &evidence : cause.evidence)
            text += QStringLiteral("     %1 %2\n")
                        .arg(evidence.context    ? QStringLiteral("·")
                             : evidence.supports ? QStringLiteral("+")
                                                 : QStringLiteral("−"),
                             evidence.text);
    }
    text += QStringLiteral("\nHow to fix it:\n");
    for (const QString &fix : fixes)
        text += QStringLiteral("  • %1\n").arg(fix);
    text += QStringLiteral("\nReferences:\n");
    for (const auto &reference : references)
        text += QStringLiteral("  %1 <%2>\n").arg(reference.title, reference.url);
    return text;
}

} // namespace workbench
