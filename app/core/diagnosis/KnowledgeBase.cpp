#include "core/diagnosis/KnowledgeBase.h"

#include <QDir>
#include <QFile>
#include <algorithm>

namespace workbench {

const QStringList &KnowledgeBase::knownShapes()
{
    static const QStringList shapes{"success",     "oauth_error",    "nested_error_object",
                                    "graph_error", "gateway_error",  "problem_json",
                                    "other_json",  "redirect_error", "www_authenticate",
                                    "html_page",   "login_page",     "plain_text",
                                    "empty_body",  "not_utf8",       "transport_failure"};
    return shapes;
}

const QStringList &KnowledgeBase::knownEndpoints()
{
    static const QStringList endpoints{"authorization", "token",       "resource",
                                       "registration",  "end_session", "unknown"};
    return endpoints;
}

const QStringList &KnowledgeBase::knownTransports()
{
    static const QStringList transports{"connection_refused", "host_not_found", "timeout", "tls",
                                        "other"};
    return transports;
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
        QList<QByteArray> packs;
        const QDir packDir(QStringLiteral(":/knowledge/providers"));
        for (const QString &name :
             packDir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile pack(packDir.filePath(name));
            if (pack.open(QIODevice::ReadOnly))
                packs << pack.readAll();
            else
                loaded.errors << QStringLiteral("cannot read the pack %1").arg(name);
        }
        loaded.kb = KnowledgeBase::fromJson(file.readAll(), packs, &loaded.errors);
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

const KnowledgeBase::Provider *KnowledgeBase::provider(const QString &id) const
{
    for (const Provider &provider : m_providers) {
        if (provider.id == id)
            return &provider;
    }
    return nullptr;
}

const KnowledgeBase::Cause *KnowledgeBase::cause(const QString &id, const QString &pack) const
{
    if (!pack.isEmpty()) {
        const auto own = m_causes.constFind(pack + QLatin1Char('/') + id);
        if (own != m_causes.constEnd())
            return &own.value();
    }
    const auto generic = m_causes.constFind(id);
    return generic == m_causes.constEnd() ? nullptr : &generic.value();
}

QList<const KnowledgeBase::Cause *> KnowledgeBase::causesFor(const QString &pack) const
{
    QList<const Cause *> out;
    for (auto it = m_causes.constBegin(); it != m_causes.constEnd(); ++it) {
        if (it->pack.isEmpty() || it->pack == pack)
            out << &it.value();
    }
    // The hash's order changes between runs; the diagnosis must not.
    std::sort(out.begin(), out.end(), [](const Cause *a, const Cause *b) {
        return a->pack != b->pack ? a->pack > b->pack : a->id < b->id;
    });
    return out;
}

QList<KnowledgeBase::Scored> KnowledgeBase::matching(const Facts &facts) const
{
    // Every condition an entry states must hold; each one that does adds its weight, so the
    // entry that says the most about this response comes first. A pack's entry, once its
    // provider is identified, outranks the generic knowledge.
    struct Condition
    {
        bool stated;
        bool holds;
        int weight;
    };
    constexpr int kPackBonus = 20;
    QList<Scored> out;
    for (const Entry &entry : m_entries) {
        if (!entry.pack.isEmpty() && entry.pack != facts.provider)
            continue;
        const Match &m = entry.match;
        const Condition conditions[] = {
            {!m.errors.isEmpty(), !facts.error.isEmpty() && m.errors.contains(facts.error), 4},
            {!m.statuses.isEmpty(), m.statuses.contains(facts.status), 2},
            {!m.description.pattern().isEmpty(), m.description.match(facts.words).hasMatch(), 8},
            {!m.providerCodes.isEmpty(),
             !facts.providerCode.isEmpty() &&
                 m.providerCodes.contains(facts.providerCode, Qt::CaseInsensitive),
             10},
            {!m.shapes.isEmpty(), m.shapes.contains(facts.shape), 1},
            {!m.endpoints.isEmpty(), m.endpoints.contains(facts.endpoint), 1},
            {!m.grants.isEmpty(), m.grants.contains(facts.grant), 3},
            {!m.transports.isEmpty(), m.transports.contains(facts.transport), 4},
        };
        int score = entry.priority + (entry.pack.isEmpty() ? 0 : kPackBonus);
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
