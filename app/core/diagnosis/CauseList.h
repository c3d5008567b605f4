#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/diagnosis/KnowledgeBase.h"

#include <QSet>

namespace workbench {

// The causes of one diagnosis as they are gathered: added from the knowledge (the provider's
// version first), given evidence, dropped when out of scope for the grant or endpoint, and
// ranked by status (confirmed by the server's words or code first, contradicted last).
class CauseList
{
public:
    CauseList(const KnowledgeBase &kb, const QString &pack, Diagnosis &diagnosis)
        : m_kb(kb), m_pack(pack), m_causes(diagnosis.causes)
    {
    }

    Diagnosis::Cause *find(const QString &id);
    // The cause from the knowledge (a matched entry's reference may reword it); an existing one
    // is returned as it is; nothing when the knowledge has no such cause.
    Diagnosis::Cause *add(const QString &id, const QString &packOfEntry = {},
                          const KnowledgeBase::CauseRef *ref = nullptr);
    // A cause written here, not in the knowledge.
    void addOwn(const QString &id, const QString &text, const QString &fix);

    // The provider's own knowledge establishes this cause here, whatever the generic scope.
    void keep(const QString &id) { m_keep.insert(id); }

    // Drops the causes that cannot happen with this grant or at this endpoint (unless the
    // provider's own knowledge establishes them all the same).
    void dropOutOfScope(const QString &grant, const QString &endpoint);

    // The root cause of a symptom goes before it (with its own status and evidence).
    void putBefore(const QString &root, const QString &symptom);

    // Each cause's status from its evidence, then the list in order of status (stable).
    void rank();

private:
    const KnowledgeBase &m_kb;
    QString m_pack;
    QList<Diagnosis::Cause> &m_causes;
    QSet<QString> m_keep;
    int m_nextOrder = 0;
};

} // namespace workbench
