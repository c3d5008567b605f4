#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace workbench {

// The troubleshooting knowledge (resources/knowledge): the generic entries and the cause catalog
// of errors.json, and one pack per provider. Loaded and validated once; see docs/knowledge.md.
class KnowledgeBase
{
public:
    // A cause in the catalog (or a pack's own): what it is, what to do, when it can apply, and
    // the server's words that confirm it.
    struct Cause
    {
        QString id;
        QString pack; // empty: the generic catalog
        QString text;
        QString fix;
        QStringList grants;
        QStringList endpoints;
        QList<QRegularExpression> says;
    };
    // An entry's use of a cause: its own wording, and whether a match establishes it.
    struct CauseRef
    {
        QString id;
        QString text; // empty: the catalog's
        QString fix;  // empty: the catalog's
        bool confirmed = false;
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
        QStringList providerCodes;
        QStringList shapes;
        QStringList endpoints;
        QStringList grants;
        QStringList transports;
    };
    struct Entry
    {
        QString id;
        QString pack; // empty: generic
        QString category;
        QString severity;
        QString title;
        QString meaning;
        int priority = 0; // added to the match score: for entries that outrank a bare status
        Match match;
        QList<CauseRef> causes;
        QStringList fixes;
        QList<Reference> references;
    };
    struct Provider
    {
        QString id;
        QString name;
        QString docs;
        QString
            seed; // the seed document (../shared/reference/seeds) a seed provider's pack is from
        QStringList hosts; // exact, or "*.domain" for any subdomain
        QRegularExpression codes;
        QList<QRegularExpression> paths;
        QList<QPair<QByteArray, QRegularExpression>> headers; // lower-case name, value pattern
        QList<QRegularExpression> wording;
    };
    // What a response offers to match against.
    struct Facts
    {
        QString error;
        int status = 0;
        QString words; // the server's words: description, title, hints, the page's text
        QString shape;
        QString endpoint;
        QString grant;
        QString transport;
        QString provider; // the identified provider's pack; empty: generic entries only
        QString providerCode;
    };
    struct Scored
    {
        const Entry *entry;
        int score;
    };

    // Parses and validates the generic file and the packs; every problem found is appended to
    // `errors` (then the result is empty).
    static KnowledgeBase fromJson(const QByteArray &generic, const QList<QByteArray> &packs,
                                  QStringList *errors);
    // The one compiled into the app; its validation problems, if any, in loadErrors().
    static const KnowledgeBase &builtIn();
    static QStringList builtInLoadErrors();

    int version() const { return m_version; }
    const QList<Entry> &entries() const { return m_entries; }
    const QList<Provider> &providers() const { return m_providers; }
    const Entry *find(const QString &id) const;
    const Provider *provider(const QString &id) const;
    // A cause by id: the pack's own (or its override of a catalog cause) before the catalog's.
    const Cause *cause(const QString &id, const QString &pack = {}) const;
    // The catalog's causes and the pack's, for reading the server's words.
    QList<const Cause *> causesFor(const QString &pack) const;
    // Entries whose every condition holds, best (most specific) first; a pack's entries only
    // when that provider is the one in the facts.
    QList<Scored> matching(const Facts &facts) const;

    static const QStringList &knownShapes();
    static const QStringList &knownEndpoints();
    static const QStringList &knownTransports();

private:
    friend class KnowledgeLoader;
    int m_version = 0;
    QList<Entry> m_entries;
    QList<Provider> m_providers;
    QHash<QString, Cause> m_causes; // key: id, or pack + '/' + id for a pack's own
};

} // namespace workbench
