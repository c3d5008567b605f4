#include "KnowledgeBase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>

namespace workbench {

namespace {
QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out << item.toString();
    return out;
}
} // namespace

const QStringList &KnowledgeBase::knownShapes()
{
    static const QStringList shapes{"success",        "oauth_error",      "nested_error_object",
                                    "gateway_error",  "problem_json",     "other_json",
                                    "redirect_error", "www_authenticate", "html_page",
                                    "login_page",     "plain_text",       "empty_body",
                                    "not_utf8",       "transport_failure"};
    return shapes;
}

const QStringList &KnowledgeBase::knownEndpoints()
{
    static const QStringList endpoints{"authorization", "token", "resource", "unknown"};
    return endpoints;
}

const QStringList &KnowledgeBase::knownTransports()
{
    static const QStringList transports{"connection_refused", "host_not_found", "timeout", "tls",
                                        "other"};
    return transports;
}

KnowledgeBase KnowledgeBase::fromJson(const QByteArray &json, QStringList *errors)
{
    KnowledgeBase kb;
    QStringList problems;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (errors)
            *errors << QStringLiteral("not a JSON object: %1").arg(parseError.errorString());
        return {};
    }
    const QJsonObject root = document.object();
    kb.m_version = root.value(QLatin1String("version")).toInt();
    if (kb.m_version < 1)
        problems << QStringLiteral("version must be a positive integer");
    const QJsonObject contextCauses = root.value(QLatin1String("contextCauses")).toObject();
    for (auto it = contextCauses.begin(); it != contextCauses.end(); ++it)
        kb.m_contextCauses.insert(it.key(), it.value().toString());

    static const QSet<QString> matchKeys{"error",    "status", "description", "shape",
                                         "endpoint", "grant",  "transport"};
    static const QSet<QString> severities{"info", "warning", "error"};
    QSet<QString> ids;
    const QJsonArray entries = root.value(QLatin1String("entries")).toArray();
    if (entries.isEmpty())
        problems << QStringLiteral("no entries");
    for (const QJsonValue &value : entries) {
        const QJsonObject object = value.toObject();
        Entry entry;
        entry.id = object.value(QLatin1String("id")).toString();
        const QString where = QStringLiteral("entry \"%1\": ").arg(entry.id);
        if (entry.id.isEmpty())
            problems << QStringLiteral("an entry has no id");
        else if (ids.contains(entry.id))
            problems << where + QStringLiteral("duplicate id");
        ids.insert(entry.id);
        entry.category = object.value(QLatin1String("category")).toString();
        entry.severity = object.value(QLatin1String("severity")).toString();
        entry.title = object.value(QLatin1String("title")).toString();
        entry.meaning = object.value(QLatin1String("meaning")).toString();
        entry.source = object.value(QLatin1String("source")).toString();
        entry.priority = object.value(QLatin1String("priority")).toInt(0);
        if (entry.priority < 0 || entry.priority > 10)
            problems << where + QStringLiteral("priority must be 0 to 10");
        if (entry.category.isEmpty() || entry.title.isEmpty() || entry.meaning.isEmpty())
            problems << where + QStringLiteral("category, title and meaning are required");
        if (!severities.contains(entry.severity))
            problems << where + QStringLiteral("severity must be info, warning or error");

        const QJsonObject match = object.value(QLatin1String("match")).toObject();
        if (match.isEmpty())
            problems << where + QStringLiteral("match is empty: it would match everything");
        for (auto it = match.begin(); it != match.end(); ++it) {
            if (!matchKeys.contains(it.key()))
                problems << where + QStringLiteral("unknown match key \"%1\"").arg(it.key());
        }
        entry.match.errors = stringList(match.value(QLatin1String("error")));
        for (const QJsonValue &status : match.value(QLatin1String("status")).toArray()) {
            const int code = status.toInt();
            if (code < 100 || code > 599)
                problems << where + QStringLiteral("status %1 is not an HTTP status").arg(code);
            entry.match.statuses << code;
        }
        if (match.contains(QLatin1String("description"))) {
            entry.match.description =
                QRegularExpression(match.value(QLatin1String("description")).toString(),
                                   QRegularExpression::CaseInsensitiveOption);
            if (!entry.match.description.isValid())
                problems << where + QStringLiteral("bad description pattern: %1")
                                        .arg(entry.match.description.errorString());
        }
        entry.match.shapes = stringList(match.value(QLatin1String("shape")));
        entry.match.endpoints = stringList(match.value(QLatin1String("endpoint")));
        entry.match.grants = stringList(match.value(QLatin1String("grant")));
        entry.match.transports = stringList(match.value(QLatin1String("transport")));
        const auto checkKnown = [&](const QStringList &values, const QStringList &known,
                                    const QString &what) {
            for (const QString &value : values) {
                if (!known.contains(value))
                    problems << where + QStringLiteral("unknown %1 \"%2\"").arg(what, value);
            }
        };
        checkKnown(entry.match.shapes, knownShapes(), QStringLiteral("shape"));
        checkKnown(entry.match.endpoints, knownEndpoints(), QStringLiteral("endpoint"));
        checkKnown(entry.match.transports, knownTransports(), QStringLiteral("transport"));

        for (const QJsonValue &cause : object.value(QLatin1String("causes")).toArray()) {
            const Cause parsed{cause.toObject().value(QLatin1String("id")).toString(),
                               cause.toObject().value(QLatin1String("text")).toString()};
            if (parsed.id.isEmpty() || parsed.text.isEmpty())
                problems << where + QStringLiteral("a cause needs an id and a text");
            entry.causes << parsed;
        }
        entry.fixes = stringList(object.value(QLatin1String("fixes")));
        for (const QJsonValue &reference : object.value(QLatin1String("references")).toArray()) {
            const Reference parsed{reference.toObject().value(QLatin1String("title")).toString(),
                                   reference.toObject().value(QLatin1String("url")).toString()};
            if (parsed.title.isEmpty() || !parsed.url.startsWith(QLatin1String("https://")))
                problems << where + QStringLiteral("a reference needs a title and an https URL");
            entry.references << parsed;
        }
        if (entry.causes.isEmpty() || entry.fixes.isEmpty() || entry.references.isEmpty())
            problems << where + QStringLiteral("needs at least one cause, fix and reference");
        for (const QString &fix : std::as_const(entry.fixes)) {
            if (fix.trimmed().isEmpty())
                problems << where + QStringLiteral("an empty fix");
        }
        kb.m_entries << entry;
    }
    if (!problems.isEmpty()) {
        if (errors)
            *errors << problems;
        return {};
    }
    return kb;
}

namespace {
struct BuiltIn
{
    KnowledgeBase kb;
    QStringList errors;
};
const BuiltIn &builtInData()
{
    static const BuiltIn data = [] {
        BuiltIn loaded;
        QFile file(QStringLiteral(":/knowledge/errors.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            loaded.errors << QStringLiteral("the knowledge base is missing from the resources");
            return loaded;
        }
        loaded.kb = KnowledgeBase::fromJson(file.readAll(), &loaded.errors);
        return loaded;
    }();
    return data;
}
} // namespace

const KnowledgeBase &KnowledgeBase::builtIn()
{
    return builtInData().kb;
}

QStringList KnowledgeBase::builtInLoadErrors()
{
    return builtInData().errors;
}

const KnowledgeBase::Entry *KnowledgeBase::find(const QString &id) const
{
    for (const Entry &entry : m_entries) {
        if (entry.id == id)
            return &entry;
    }
    return nullptr;
}

QList<KnowledgeBase::Scored> KnowledgeBase::matching(const Facts &facts) const
{
    // Every condition an entry states must hold; each one that does adds its weight, so the
    // entry that says the most about this response comes first.
    struct Condition
    {
        bool stated;
        bool holds;
        int weight;
    };
    QList<Scored> out;
    for (const Entry &entry : m_entries) {
        const Match &m = entry.match;
        const Condition conditions[] = {
            {!m.errors.isEmpty(), !facts.error.isEmpty() && m.errors.contains(facts.error), 4},
            {!m.statuses.isEmpty(), m.statuses.contains(facts.status), 2},
            {!m.description.pattern().isEmpty(), m.description.match(facts.description).hasMatch(),
             8},
            {!m.shapes.isEmpty(), m.shapes.contains(facts.shape), 1},
            {!m.endpoints.isEmpty(), m.endpoints.contains(facts.endpoint), 1},
            {!m.grants.isEmpty(), m.grants.contains(facts.grant), 3},
            {!m.transports.isEmpty(), m.transports.contains(facts.transport), 4},
        };
        int score = entry.priority;
        bool matches = true;
        for (const Condition &condition : conditions) {
            if (!condition.stated)
                continue;
            matches = matches && condition.holds;
            score += condition.weight;
        }
        if (matches)
            out << Scored{&entry, score};
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Scored &a, const Scored &b) { return a.score > b.score; });
    return out;
}

} // namespace workbench
