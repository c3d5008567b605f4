#pragma once

#include <QString>
#include <QStringList>

namespace workbench {

// What a person reads on an HTML page: its title, its headings and its visible text, without
// markup, scripts or styles. For error pages that servers (and the proxies in front of them)
// send where JSON was expected. Never throws; reads at most the first 256 KiB.
struct HtmlText
{
    QString title;
    QStringList headings; // h1 to h3, in order
    QString text;         // the visible text, white space folded, at most kMaxText characters

    static constexpr qsizetype kMaxText = 4000;
    static HtmlText read(const QByteArray &html);
};

} // namespace workbench
