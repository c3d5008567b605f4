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

namespace {
QStringList stringsOf(const QJsonValue &value)
{
    QStringList strings;
    for (const QJsonValue &item : value.toArray())
        strings << item.toString();
    return strings;
}
} // namespace

std::optional<Diagnosis> Diagnosis::fromJson(const QJsonObject &json)
{
    if (!json.value("entry").isString() || !json.value("causes").isArray())
        return std::nullopt;
    Diagnosis d;
    d.entryId = json.value("entry").toString();
    d.relatedEntryIds = stringsOf(json.value("related_entries"));
    d.code = json.value("code").toString();
    d.category = json.value("category").toString();
    d.severity = json.value("severity").toString();
    d.title = json.value("title").toString();
    d.meaning = json.value("meaning").toString();
    d.source = json.value("source").toString();
    const QJsonObject provider = json.value("provider").toObject();
    d.provider = {provider.value("id").toString(), provider.value("name").toString(),
                  provider.value("code").toString(), provider.value("identified_by").toString(),
                  provider.value("docs").toString()};
    int order = 0;
    for (const QJsonValue &item : json.value("causes").toArray()) {
        const QJsonObject object = item.toObject();
        Cause cause;
        cause.id = object.value("id").toString();
        cause.text = object.value("text").toString();
        cause.fix = object.value("fix").toString();
        cause.order = order++;
        for (const Cause::Status status : {Cause::Status::Confirmed, Cause::Status::Supported,
                                           Cause::Status::Unknown, Cause::Status::Contradicted}) {
            if (Cause::statusName(status) == object.value("status").toString())
                cause.status = status;
        }
        for (const QJsonValue &evidenceItem : object.value("evidence").toArray()) {
            const QJsonObject e = evidenceItem.toObject();
            Evidence evidence;
            for (const Evidence::Source source :
                 {Evidence::Source::ServerWords, Evidence::Source::ProviderCode,
                  Evidence::Source::Flow, Evidence::Source::Discovery, Evidence::Source::History}) {
                if (Evidence::sourceName(source) == e.value("source").toString())
                    evidence.source = source;
            }
            evidence.supports = e.value("supports").toBool(true);
            evidence.decisive = e.value("decisive").toBool();
            evidence.context = e.value("context").toBool();
            evidence.text = e.value("text").toString();
            cause.evidence << evidence;
        }
        d.causes << cause;
    }
    d.fixes = stringsOf(json.value("fixes"));
    for (const QJsonValue &item : json.value("references").toArray())
        d.references << KnowledgeBase::Reference{item.toObject().value("title").toString(),
                                                 item.toObject().value("url").toString()};
    d.notes = stringsOf(json.value("notes"));
    const QJsonObject server = json.value("server").toObject();
    for (int shape = 0; shape <= int(ErrorSignal::Shape::Transport); ++shape) {
        if (ErrorSignal::shapeName(ErrorSignal::Shape(shape)) == server.value("shape").toString())
            d.signal.shape = ErrorSignal::Shape(shape);
    }
    d.signal.httpStatus = server.value("http_status").toInt();
    d.signal.error = server.value("error").toString();
    d.signal.description = server.value("error_description").toString();
    d.signal.errorUri = server.value("error_uri").toString();
    d.signal.hint = server.value("hint").toString();
    d.signal.debug = server.value("debug").toString();
    d.signal.errorFoundIn = server.value("error_found_in").toString();
    d.signal.htmlTitle = server.value("page_title").toString();
    d.signal.htmlHeadings = stringsOf(server.value("page_headings"));
    d.signal.htmlText = server.value("page_text").toString();
    d.signal.notStrictJson = stringsOf(server.value("not_strict_json"));
    d.signal.retryAfterSeconds = server.value("retry_after_seconds").toInt(-1);
    return d;
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
