// Reading and validating the knowledge files (docs/knowledge.md describes the format).
#include "core/diagnosis/KnowledgeBase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace workbench {

namespace {
QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out << item.toString();
    return out;
}

QRegularExpression pattern(const QString &source, const QString &where, QStringList &problems)
{
    // Case-insensitive, and ^ and $ at each line: the server's words come as lines (the
    // description, a title, a hint, the page's text).
    QRegularExpression re(source, QRegularExpression::CaseInsensitiveOption |
                                      QRegularExpression::MultilineOption);
    if (!re.isValid())
        problems
            << QStringLiteral("%1: bad pattern \"%2\": %3").arg(where, source, re.errorString());
    return re;
}
} // namespace

class KnowledgeLoader
{
public:
    KnowledgeBase kb;
    QStringList problems;
    QSet<QString> entryIds;

    void readCauses(const QJsonObject &causes, const QString &pack)
    {
        for (auto it = causes.begin(); it != causes.end(); ++it) {
            const QJsonObject object = it.value().toObject();
            KnowledgeBase::Cause cause;
            cause.id = it.key();
            cause.pack = pack;
            const QString where = QStringLiteral("cause \"%1\"").arg(cause.id);
            cause.text = object.value(QLatin1String("text")).toString();
            cause.fix = object.value(QLatin1String("fix")).toString();
            cause.grants = stringList(object.value(QLatin1String("grants")));
            cause.endpoints = stringList(object.value(QLatin1String("endpoints")));
            for (const QString &says : stringList(object.value(QLatin1String("says"))))
                cause.says << pattern(says, where, problems);
            if (cause.text.isEmpty())
                problems << where + QStringLiteral(": no text");
            checkKnown(cause.endpoints, KnowledgeBase::knownEndpoints(), where, "endpoint");
            if (!pack.isEmpty() && !cause.id.startsWith(pack + QLatin1Char('.')) &&
                !kb.m_causes.contains(cause.id))
                problems << where +
                                QStringLiteral(": a pack's own cause is named %1.<name>").arg(pack);
            if (!pack.isEmpty()) {
                // A pack's cause with a catalog id keeps the catalog's scope and patterns.
                if (const auto generic = kb.m_causes.constFind(cause.id);
                    generic != kb.m_causes.constEnd()) {
                    if (cause.grants.isEmpty())
                        cause.grants = generic->grants;
                    if (cause.endpoints.isEmpty())
                        cause.endpoints = generic->endpoints;
                    cause.says << generic->says;
                }
            }
            kb.m_causes.insert(pack.isEmpty() ? cause.id : pack + QLatin1Char('/') + cause.id,
                               cause);
        }
    }

    void checkKnown(const QStringList &values, const QStringList &known, const QString &where,
                    const char *what)
    {
        for (const QString &value : values) {
            if (!known.contains(value))
                problems << QStringLiteral("%1: unknown %2 \"%3\"")
                                .arg(where, QLatin1String(what), value);
        }
    }

    KnowledgeBase::Match readMatch(const QJsonObject &match, const QString &where)
    {
        static const QSet<QString> keys{"error", "status",   "description", "providerCode",
                                        "shape", "endpoint", "grant",       "transport"};
        KnowledgeBase::Match m;
        if (match.isEmpty())
            problems << where + QStringLiteral(": match is empty: it would match everything");
        for (auto it = match.begin(); it != match.end(); ++it) {
            if (!keys.contains(it.key()))
                problems << where + QStringLiteral(": unknown match key \"%1\"").arg(it.key());
        }
        m.errors = stringList(match.value(QLatin1String("error")));
        for (const QJsonValue &status : match.value(QLatin1String("status")).toArray()) {
            const int code = status.toInt();
            if (code < 100 || code > 599)
                problems << where + QStringLiteral(": status %1 is not an HTTP status").arg(code);
            m.statuses << code;
        }
        if (match.contains(QLatin1String("description")))
            m.description =
                pattern(match.value(QLatin1String("description")).toString(), where, problems);
        m.providerCodes = stringList(match.value(QLatin1String("providerCode")));
        m.shapes = stringList(match.value(QLatin1String("shape")));
        m.endpoints = stringList(match.value(QLatin1String("endpoint")));
        m.grants = stringList(match.value(QLatin1String("grant")));
        m.transports = stringList(match.value(QLatin1String("transport")));
        checkKnown(m.shapes, KnowledgeBase::knownShapes(), where, "shape");
        checkKnown(m.endpoints, KnowledgeBase::knownEndpoints(), where, "endpoint");
        checkKnown(m.transports, KnowledgeBase::knownTransports(), where, "transport");
        return m;
    }

    void readEntries(const QJsonArray &entries, const KnowledgeBase::Provider *provider)
    {
        static const QSet<QString> severities{"info", "warning", "error"};
        const QString pack = provider ? provider->id : QString();
        for (const QJsonValue &value : entries) {
            const QJsonObject object = value.toObject();
            KnowledgeBase::Entry entry;
            entry.id = object.value(QLatin1String("id")).toString();
            entry.pack = pack;
            const QString where = QStringLiteral("entry \"%1\"").arg(entry.id);
            if (entry.id.isEmpty())
                problems << QStringLiteral("an entry has no id");
            else if (entryIds.contains(entry.id))
                problems << where + QStringLiteral(": duplicate id");
            else if (!pack.isEmpty() && !entry.id.startsWith(pack + QLatin1Char('.')))
                problems << where + QStringLiteral(": a pack's entry is named %1.<name>").arg(pack);
            entryIds.insert(entry.id);
            entry.category = object.value(QLatin1String("category")).toString();
            entry.severity = object.value(QLatin1String("severity")).toString();
            entry.title = object.value(QLatin1String("title")).toString();
            entry.meaning = object.value(QLatin1String("meaning")).toString();
            entry.priority = object.value(QLatin1String("priority")).toInt(0);
            if (entry.priority < 0 || entry.priority > 10)
                problems << where + QStringLiteral(": priority must be 0 to 10");
            if (entry.category.isEmpty() || entry.title.isEmpty() || entry.meaning.isEmpty())
                problems << where + QStringLiteral(": category, title and meaning are required");
            if (!severities.contains(entry.severity))
                problems << where + QStringLiteral(": severity must be info, warning or error");
            entry.match = readMatch(object.value(QLatin1String("match")).toObject(), where);
            if (!entry.match.providerCodes.isEmpty() &&
                (!provider || provider->codes.pattern().isEmpty()))
                problems << where + QStringLiteral(": providerCode needs a pack with codes");

            for (const QJsonValue &cause : object.value(QLatin1String("causes")).toArray())
                entry.causes << readCauseRef(cause, pack, where);
            entry.fixes = stringList(object.value(QLatin1String("fixes")));
            for (const QJsonValue &reference :
                 object.value(QLatin1String("references")).toArray()) {
                const KnowledgeBase::Reference parsed{
                    reference.toObject().value(QLatin1String("title")).toString(),
                    reference.toObject().value(QLatin1String("url")).toString()};
                if (parsed.title.isEmpty() || !parsed.url.startsWith(QLatin1String("https://")))
                    problems << where +
                                    QStringLiteral(": a reference needs a title and an https URL");
                entry.references << parsed;
            }
            if (entry.references.isEmpty() && provider)
                entry.references << KnowledgeBase::Reference{
                    QStringLiteral("%1: documentation").arg(provider->name), provider->docs};
            if (entry.causes.isEmpty() || entry.fixes.isEmpty() || entry.references.isEmpty())
                problems << where + QStringLiteral(": needs at least one cause, fix and reference");
            for (const QString &fix : std::as_const(entry.fixes)) {
                if (fix.trimmed().isEmpty())
                    problems << where + QStringLiteral(": an empty fix");
            }
            kb.m_entries << entry;
        }
    }

    KnowledgeBase::CauseRef readCauseRef(const QJsonValue &value, const QString &pack,
                                         const QString &where)
    {
        KnowledgeBase::CauseRef ref;
        if (value.isString()) {
            ref.id = value.toString();
        } else {
            const QJsonObject object = value.toObject();
            ref.id = object.value(QLatin1String("id")).toString();
            ref.text = object.value(QLatin1String("text")).toString();
            ref.fix = object.value(QLatin1String("fix")).toString();
            ref.confirmed = object.value(QLatin1String("confirmed")).toBool();
        }
        if (ref.id.isEmpty()) {
            problems << where + QStringLiteral(": a cause without an id");
        } else if (!kb.cause(ref.id, pack) && !ref.text.isEmpty()) {
            // A cause the entry defines for itself.
            if (!pack.isEmpty() && !ref.id.startsWith(pack + QLatin1Char('.')))
                problems << where +
                                QStringLiteral(": a pack's own cause is named %1.<name>").arg(pack);
            KnowledgeBase::Cause own{ref.id, pack, ref.text, ref.fix, {}, {}, {}};
            kb.m_causes.insert(pack.isEmpty() ? ref.id : pack + QLatin1Char('/') + ref.id, own);
        } else if (!kb.cause(ref.id, pack)) {
            problems << where + QStringLiteral(": cause \"%1\" is not in the catalog").arg(ref.id);
        }
        return ref;
    }

    bool readProvider(const QJsonObject &object, KnowledgeBase::Provider *provider)
    {
        provider->id = object.value(QLatin1String("id")).toString();
        provider->name = object.value(QLatin1String("name")).toString();
        provider->docs = object.value(QLatin1String("docs")).toString();
        provider->seed = object.value(QLatin1String("seed")).toString();
        const QString where = QStringLiteral("pack \"%1\"").arg(provider->id);
        static const QRegularExpression idShape(QStringLiteral("^[a-z][a-z0-9-]*$"));
        if (!idShape.match(provider->id).hasMatch()) {
            problems << where + QStringLiteral(": the id must be lower-case letters, digits, '-'");
            return false;
        }
        if (kb.provider(provider->id)) {
            problems << where + QStringLiteral(": duplicate pack");
            return false;
        }
        if (provider->name.isEmpty() || !provider->docs.startsWith(QLatin1String("https://")))
            problems << where + QStringLiteral(": a pack needs a name and an https docs URL");
        const QJsonObject identify = object.value(QLatin1String("identify")).toObject();
        static const QSet<QString> keys{"hosts", "codes", "paths", "headers", "wording"};
        for (auto it = identify.begin(); it != identify.end(); ++it) {
            if (!keys.contains(it.key()))
                problems << where + QStringLiteral(": unknown identify key \"%1\"").arg(it.key());
        }
        for (const QString &host : stringList(identify.value(QLatin1String("hosts"))))
            provider->hosts << host.toLower();
        const QString codes = identify.value(QLatin1String("codes")).toString();
        if (!codes.isEmpty())
            provider->codes = pattern(codes, where, problems);
        for (const QString &path : stringList(identify.value(QLatin1String("paths"))))
            provider->paths << pattern(path, where, problems);
        const QJsonObject headers = identify.value(QLatin1String("headers")).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it)
            provider->headers.append(
                {it.key().toLower().toLatin1(), pattern(it.value().toString(), where, problems)});
        for (const QString &wording : stringList(identify.value(QLatin1String("wording"))))
            provider->wording << pattern(wording, where, problems);
        return true;
    }

    void readPack(const QByteArray &json)
    {
        QJsonParseError parseError{};
        const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            problems
                << QStringLiteral("a pack is not a JSON object: %1").arg(parseError.errorString());
            return;
        }
        const QJsonObject root = document.object();
        KnowledgeBase::Provider provider;
        if (!readProvider(root.value(QLatin1String("provider")).toObject(), &provider))
            return;
        kb.m_providers << provider;
        readCauses(root.value(QLatin1String("causes")).toObject(), provider.id);
        readEntries(root.value(QLatin1String("entries")).toArray(), &kb.m_providers.last());
    }
};

KnowledgeBase KnowledgeBase::fromJson(const QByteArray &generic, const QList<QByteArray> &packs,
                                      QStringList *errors)
{
    KnowledgeLoader loader;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(generic, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (errors)
            *errors << QStringLiteral("not a JSON object: %1").arg(parseError.errorString());
        return {};
    }
    const QJsonObject root = document.object();
    loader.kb.m_version = root.value(QLatin1String("version")).toInt();
    if (loader.kb.m_version < 2)
        loader.problems << QStringLiteral("version must be 2 or more (docs/knowledge.md)");
    loader.readCauses(root.value(QLatin1String("causes")).toObject(), {});
    const QJsonArray entries = root.value(QLatin1String("entries")).toArray();
    if (entries.isEmpty())
        loader.problems << QStringLiteral("no entries");
    loader.readEntries(entries, nullptr);
    for (const QByteArray &pack : packs)
        loader.readPack(pack);
    if (!loader.problems.isEmpty()) {
        if (errors)
            *errors << loader.problems;
        return {};
    }
    return loader.kb;
}

} // namespace workbench
