#pragma once

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace workbench {

// The troubleshooting knowledge base (resources/knowledge/errors.json): entries of guidance,
// each with the conditions under which it applies. Loaded and validated once.
class KnowledgeBase
{
public:
    struct Cause
    {
        QString id;
        QString text;
    };
    struct Reference
    {
        QString title;
        QString url;
    };
    struct Match
    {
        QStringList errors;
        QList<int> statuses;
        QRegularExpression description;
        QStringList shapes;
        QStringList endpoints;
        QStringList grants;
        QStringList transports;
    };
    struct Entry
    {
        QString id;
        QString category;
        QString severity;
        QString title;
        QString meaning;
        QString source;
        int priority = 0; // added to the match score: for entries that outrank a bare status
        Match match;
        QList<Cause> causes;
        QStringList fixes;
        QList<Reference> references;
    };
    // What a response offers to match against.
    struct Facts
    {
        QString error;
        int status = 0;
        QString description;
        QString shape;
        QString endpoint;
        QString grant;
        QString transport;
    };
    struct Scored
    {
        const Entry *entry;
        int score;
    };

    // Parses and validates; every problem found is appended to `errors` (then the result is empty).
    static KnowledgeBase fromJson(const QByteArray &json, QStringList *errors);
    // The one compiled into the app; its validation problems, if any, in loadErrors().
    static const KnowledgeBase &builtIn();
    static QStringList builtInLoadErrors();

    int version() const { return m_version; }
    const QList<Entry> &entries() const { return m_entries; }
    const Entry *find(const QString &id) const;
    QString contextCause(const QString &id) const { return m_contextCauses.value(id); }
    // Entries whose every condition holds, best (most specific) first.
    QList<Scored> matching(const Facts &facts) const;

    static const QStringList &knownShapes();
    static const QStringList &knownEndpoints();
    static const QStringList &knownTransports();

private:
    int m_version = 0;
    QList<Entry> m_entries;
    QHash<QString, QString> m_contextCauses;
};

} // namespace workbench
