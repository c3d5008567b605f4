#pragma once

#include "core/diagnosis/KnowledgeBase.h"

#include <QList>
#include <QPair>
#include <QString>

namespace workbench::ServerWords {

// The words around a match, as a quote a person can find in the raw response.
QString quoteAround(const QString &text, qsizetype start, qsizetype length);

// What the server's own words say of the causes a pack knows.
struct Reading
{
    QList<QPair<QString, QString>> found; // cause id and the quote that names it, in order
    // A sentence listed several possible causes ("invalid, expired, revoked, ... or issued to
    // another client"): possibilities, not a finding, so none of them is in `found`.
    bool listed = false;
};

// Reads `words` sentence by sentence against the `says` patterns of the causes of `pack` (its
// own version of a cause first, standing for the catalog's).
Reading read(const KnowledgeBase &kb, const QString &pack, const QString &words);

} // namespace workbench::ServerWords
