#include "core/diagnosis/HtmlText.h"

#include <QRegularExpression>

namespace workbench {

namespace {
constexpr qsizetype kScanBytes = 256 * 1024;

QString decodeEntities(QString text)
{
    static const QRegularExpression numeric(QStringLiteral("&#(x?)([0-9a-fA-F]{1,6});"));
    QString out;
    qsizetype last = 0;
    auto it = numeric.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        bool ok = false;
        const uint code = match.captured(2).toUInt(&ok, match.captured(1).isEmpty() ? 10 : 16);
        if (ok && code > 0 && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF))
            out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&code), 1);
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    out.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    out.replace(QLatin1String("&lt;"), QLatin1String("<"));
    out.replace(QLatin1String("&gt;"), QLatin1String(">"));
    out.replace(QLatin1String("&quot;"), QLatin1String("\""));
    out.replace(QLatin1String("&apos;"), QLatin1String("'"));
    out.replace(QLatin1String("&#39;"), QLatin1String("'"));
    out.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return out;
}

// The text without markup; block elements end a line, so their sentences stay apart.
QString visible(const QString &html)
{
    static const QRegularExpression block(
        QStringLiteral("</?(p|div|h[1-6]|li|ul|ol|tr|table|section|header|footer|main|br|hr|pre|"
                       "blockquote|form|title)\\b[^>]{0,2000}>"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]{0,2000}>"));
    QString text = html;
    text.replace(block, QStringLiteral("\n"));
    text.replace(tag, QStringLiteral(" "));
    text = decodeEntities(text);
    QStringList lines;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString simple = line.simplified();
        if (!simple.isEmpty())
            lines << simple;
    }
    return lines.join(QLatin1Char('\n'));
}
} // namespace

HtmlText HtmlText::read(const QByteArray &html)
{
    HtmlText page;
    QString source = QString::fromUtf8(html.left(kScanBytes));
    static const QRegularExpression hidden(
        QStringLiteral("<(script|style|noscript|template)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    source.remove(hidden);
    static const QRegularExpression title(QStringLiteral("<title[^>]*>(.*?)</title>"),
                                          QRegularExpression::CaseInsensitiveOption |
                                              QRegularExpression::DotMatchesEverythingOption);
    if (const auto match = title.match(source); match.hasMatch()) {
        page.title = visible(match.captured(1)).left(300);
        source.remove(match.capturedStart(), match.capturedLength());
    }
    static const QRegularExpression heading(QStringLiteral("<h([1-3])[^>]*>(.*?)</h\\1\\s*>"),
                                            QRegularExpression::CaseInsensitiveOption |
                                                QRegularExpression::DotMatchesEverythingOption);
    auto headings = heading.globalMatch(source);
    while (headings.hasNext() && page.headings.size() < 12) {
        const QString text = visible(headings.next().captured(2)).left(300);
        if (!text.isEmpty())
            page.headings << text;
    }
    page.text = visible(source).left(kMaxText);
    return page;
}

} // namespace workbench
