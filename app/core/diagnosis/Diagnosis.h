#pragma once

#include "core/diagnosis/KnowledgeBase.h"
#include "core/diagnosis/ResponseClassifier.h"

#include <QJsonObject>
#include <optional>

namespace workbench {

// What went wrong in one exchange, why it probably happened here, and how to fix it.
struct Diagnosis
{
    // One thing that speaks for or against a cause, and where it comes from.
    struct Evidence
    {
        enum class Source {
            ServerWords,  // the server's description, hint, page text
            ProviderCode, // a provider code whose documented meaning is this cause
            Flow,         // what this app sent and saw in this run
            Discovery,    // the server's metadata document
            History,      // the profile's earlier runs
        };
        Source source = Source::Flow;
        bool supports = true;  // false: it speaks against the cause
        bool decisive = false; // it confirms (or rules out) rather than merely points
        QString text;
        bool context = false; // worth reading beside the cause, but no evidence either way

        static QString sourceName(Source source);
    };
    struct Cause
    {
        enum class Status { Confirmed, Supported, Unknown, Contradicted };
        QString id;
        QString text;
        QString fix;
        Status status = Status::Unknown;
        QList<Evidence> evidence;
        int order = 0; // where the knowledge lists it; ties within a status keep this order

        bool confirmed() const { return status == Status::Confirmed; }
        static QString statusName(Status status);
    };
    // Which provider answered, and how the app knows.
    struct Provider
    {
        QString id;
        QString name;
        QString code; // its own code ("AADSTS50011"), when it has a scheme
        QString via;  // "the host login.microsoftonline.com", "chosen in the profile", ...
        QString docs;
    };

    QString entryId;
    QStringList relatedEntryIds;
    QString code; // the error code, or the entry id when the server sent none
    QString category;
    QString severity;
    QString title;
    QString meaning;
    QString source; // the provider page an entry's facts come from, if any
    Provider provider;
    QList<Cause> causes; // likeliest first
    QStringList fixes;
    QList<KnowledgeBase::Reference> references;
    QStringList notes; // what the server said, Retry-After, trace ids, ...
    ErrorSignal signal;

    QJsonObject toJson() const;
    // What toJson() wrote (a saved run's diagnosis); nothing when it is not one.
    static std::optional<Diagnosis> fromJson(const QJsonObject &json);
    QString toText() const;
    // "Microsoft Entra ID, AADSTS50011" or "unknown provider".
    QString providerLine() const;
};

} // namespace workbench
