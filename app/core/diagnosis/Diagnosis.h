#pragma once

#include "diagnosis/KnowledgeBase.h"
#include "diagnosis/ResponseClassifier.h"

#include <QJsonObject>

namespace workbench {

// What went wrong in one exchange, why it probably happened here, and how to fix it.
struct Diagnosis
{
    struct Cause
    {
        QString id;
        QString text;
        QString evidence;       // what in this flow points at (or away from) it
        bool confirmed = false; // the flow's own data shows it
        int weight = 0;         // higher is likelier; the list is sorted by it
    };

    QString entryId;
    QStringList relatedEntryIds;
    QString code; // the error code, or the entry id when the server sent none
    QString category;
    QString severity;
    QString title;
    QString meaning;
    QString source; // the provider page an entry's facts come from, if any
    QList<Cause> causes;
    QStringList fixes;
    QList<KnowledgeBase::Reference> references;
    QStringList notes; // what the server said, Retry-After, trace ids, ...
    ErrorSignal signal;

    QJsonObject toJson() const;
    QString toText() const;
};

} // namespace workbench
