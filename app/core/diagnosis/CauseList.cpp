#include "core/diagnosis/CauseList.h"

#include <algorithm>

namespace workbench {

namespace {
using Evidence = Diagnosis::Evidence;
using Source = Evidence::Source;
using Status = Diagnosis::Cause::Status;

int rankOf(const Diagnosis::Cause &cause)
{
    switch (cause.status) {
    case Status::Confirmed: {
        // The server's own words and codes outrank what the app infers.
        const bool fromServer =
            std::any_of(cause.evidence.begin(), cause.evidence.end(), [](const Evidence &e) {
                return e.supports && e.decisive && !e.context &&
                       (e.source == Source::ServerWords || e.source == Source::ProviderCode);
            });
        // More independent sources (the server's words and this run) make a likelier cause.
        QSet<int> sources;
        for (const Evidence &e : cause.evidence) {
            if (e.supports && e.decisive && !e.context)
                sources.insert(int(e.source));
        }
        return (fromServer ? 400 : 300) + 10 * int(sources.size());
    }
    case Status::Supported:
        return 200;
    case Status::Unknown: {
        const bool weakened =
            std::any_of(cause.evidence.begin(), cause.evidence.end(),
                        [](const Evidence &e) { return !e.context && !e.supports; });
        return weakened ? 50 : 100;
    }
    case Status::Contradicted:
        return 0;
    }
    return 0;
}

Status statusOf(const QList<Evidence> &evidence)
{
    auto any = [&evidence](bool supports, bool decisive) {
        return std::any_of(evidence.begin(), evidence.end(), [&](const Evidence &e) {
            return !e.context && e.supports == supports && e.decisive == decisive;
        });
    };
    // Decisive evidence on both sides (the server's generic words against what this run shows)
    // leaves the cause possible, not proven.
    if (any(true, true))
        return any(false, true) ? Status::Supported : Status::Confirmed;
    if (any(false, true))
        return Status::Contradicted;
    if (any(true, false))
        return Status::Supported;
    return Status::Unknown;
}

} // namespace

Diagnosis::Cause *CauseList::find(const QString &id)
{
    auto it = std::find_if(m_causes.begin(), m_causes.end(),
                           [&](const Diagnosis::Cause &c) { return c.id == id; });
    return it == m_causes.end() ? nullptr : &*it;
}

Diagnosis::Cause *CauseList::add(const QString &id, const QString &packOfEntry,
                                 const KnowledgeBase::CauseRef *ref)
{
    if (Diagnosis::Cause *existing = find(id))
        return existing;
    const KnowledgeBase::Cause *spec = m_kb.cause(id, packOfEntry.isEmpty() ? m_pack : packOfEntry);
    if (!spec)
        return nullptr;
    Diagnosis::Cause cause;
    cause.id = id;
    cause.text = ref && !ref->text.isEmpty() ? ref->text : spec->text;
    cause.fix = ref && !ref->fix.isEmpty() ? ref->fix : spec->fix;
    cause.order = m_nextOrder++;
    m_causes << cause;
    return &m_causes.last();
}

void CauseList::addOwn(const QString &id, const QString &text, const QString &fix)
{
    if (find(id))
        return;
    m_causes << Diagnosis::Cause{id, text, fix, Status::Unknown, {}, m_nextOrder++};
}

void CauseList::dropOutOfScope(const QString &grant, const QString &endpoint)
{
    m_causes.erase(std::remove_if(m_causes.begin(), m_causes.end(),
                                  [&](const Diagnosis::Cause &cause) {
                                      const KnowledgeBase::Cause *spec =
                                          m_kb.cause(cause.id, m_pack);
                                      if (!spec || m_keep.contains(cause.id))
                                          return false;
                                      return (!grant.isEmpty() && !spec->grants.isEmpty() &&
                                              !spec->grants.contains(grant)) ||
                                             (endpoint != QLatin1String("unknown") &&
                                              !spec->endpoints.isEmpty() &&
                                              !spec->endpoints.contains(endpoint));
                                  }),
                   m_causes.end());
}

void CauseList::putBefore(const QString &root, const QString &symptom)
{
    const auto index = [this](const QString &id) {
        for (qsizetype i = 0; i < m_causes.size(); ++i) {
            if (m_causes.at(i).id == id)
                return i;
        }
        return qsizetype(-1);
    };
    const qsizetype from = index(root);
    const qsizetype to = index(symptom);
    if (from > to && to >= 0)
        m_causes.move(from, to);
}

void CauseList::rank()
{
    for (Diagnosis::Cause &cause : m_causes)
        cause.status = statusOf(cause.evidence);
    std::stable_sort(m_causes.begin(), m_causes.end(),
                     [](const Diagnosis::Cause &a, const Diagnosis::Cause &b) {
                         const int ra = rankOf(a), rb = rankOf(b);
                         return ra != rb ? ra > rb : a.order < b.order;
                     });
}

} // namespace workbench
