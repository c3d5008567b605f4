#include "core/diagnosis/ServerWords.h"

#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace workbench::ServerWords {

QString quoteAround(const QString &text, qsizetype start, qsizetype length)
{
    constexpr qsizetype kContext = 60;
    qsizetype from = qMax<qsizetype>(0, start - kContext);
    qsizetype to = qMin(text.size(), start + length + kContext);
    const qsizetype lineStart = text.lastIndexOf(QLatin1Char('\n'), start);
    const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), start + length);
    from = qMax(from, lineStart + 1);
    if (lineEnd >= 0)
        to = qMin(to, lineEnd);
    QString quote = text.mid(from, to - from).simplified();
    if (from > lineStart + 1)
        quote.prepend(QStringLiteral("…"));
    if (to < (lineEnd >= 0 ? lineEnd : text.size()))
        quote.append(QStringLiteral("…"));
    return quote;
}

Reading read(const KnowledgeBase &kb, const QString &pack, const QString &words)
{
    // Each sentence on its own: a pattern must not join the end of one sentence to the next.
    static const QRegularExpression sentenceEnd(QStringLiteral("(?<=[.!?])\\s+|\\n"));
    static const QRegularExpression list(
        QStringLiteral(",.*,.*\\bor\\b|\\be\\.g\\.|,.*\\bor\\b.*,"),
        QRegularExpression::CaseInsensitiveOption);
    Reading reading;
    QSet<QString> seen;
    for (const QString &sentence : words.split(sentenceEnd, Qt::SkipEmptyParts)) {
        QList<QPair<QString, QString>> here;
        bool inTheList = false; // a match among the items of a list ("..., or X")
        const qsizetype firstComma = sentence.indexOf(QLatin1Char(','));
        seen.clear();
        for (const KnowledgeBase::Cause *spec : kb.causesFor(pack)) {
            if (seen.contains(spec->id))
                continue;
            seen.insert(spec->id);
            for (const QRegularExpression &says : spec->says) {
                const auto match = says.match(sentence);
                if (match.hasMatch()) {
                    here.append({spec->id, quoteAround(sentence, match.capturedStart(),
                                                       match.capturedLength())});
                    inTheList =
                        inTheList || (firstComma >= 0 && match.capturedStart() > firstComma);
                    break;
                }
            }
        }
        if ((here.size() >= 2 || inTheList) && list.match(sentence).hasMatch()) {
            reading.listed = true;
            continue;
        }
        for (const auto &item : std::as_const(here)) {
            if (std::none_of(reading.found.begin(), reading.found.end(),
                             [&](const auto &f) { return f.first == item.first; }))
                reading.found << item;
        }
    }
    return reading;
}

} // namespace workbench::ServerWords
