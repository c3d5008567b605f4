#include "ui/results/DiagnosisHtml.h"

#include <QHash>

namespace workbench::DiagnosisHtml {

namespace {
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString evidenceSourceLabel(Diagnosis::Evidence::Source source)
{
    switch (source) {
    case Diagnosis::Evidence::Source::ServerWords:
        return QStringLiteral("the server's words");
    case Diagnosis::Evidence::Source::ProviderCode:
        return QStringLiteral("the provider's code");
    case Diagnosis::Evidence::Source::Flow:
        return QStringLiteral("this run");
    case Diagnosis::Evidence::Source::Discovery:
        return QStringLiteral("discovery");
    case Diagnosis::Evidence::Source::History:
        return QStringLiteral("history");
    }
    return {};
}

// One cause: its status badge, its text, and the evidence for and against it.
QString causeHtml(const Diagnosis::Cause &cause)
{
    QString html;
    static const QHash<Diagnosis::Cause::Status, QPair<QString, QString>> badges{
        {Diagnosis::Cause::Status::Confirmed,
         {QStringLiteral("confirmed"), QStringLiteral("#1a7f37")}},
        {Diagnosis::Cause::Status::Supported,
         {QStringLiteral("supported"), QStringLiteral("#9a6700")}},
        {Diagnosis::Cause::Status::Unknown,
         {QStringLiteral("possible"), QStringLiteral("#57606a")}},
        {Diagnosis::Cause::Status::Contradicted,
         {QStringLiteral("ruled out"), QStringLiteral("#8c959f")}}};
    const auto badge = badges.value(cause.status);
    const bool ruledOut = cause.status == Diagnosis::Cause::Status::Contradicted;
    html +=
        QStringLiteral("<li><span style=\"color:%1\"><b>[%2]</b></span> %3")
            .arg(
                badge.second, badge.first,
                ruledOut
                    ? QStringLiteral("<span style=\"color:#57606a\">%1</span>").arg(esc(cause.text))
                    : esc(cause.text));
    if (!cause.evidence.isEmpty()) {
        html += QStringLiteral("<ul>");
        for (const auto &evidence : cause.evidence)
            html += QStringLiteral("<li>%1 <i>%2:</i> %3</li>")
                        .arg(evidence.context    ? QStringLiteral("·")
                             : evidence.supports ? QStringLiteral("＋")
                                                 : QStringLiteral("－"),
                             esc(evidenceSourceLabel(evidence.source)), esc(evidence.text));
        html += QStringLiteral("</ul>");
    }
    html += QStringLiteral("</li>");
    return html;
}
} // namespace

QString render(const Diagnosis &d)
{
    const QString colour = d.severity == QLatin1String("info")      ? QStringLiteral("#1f5fa8")
                           : d.severity == QLatin1String("warning") ? QStringLiteral("#9a6700")
                                                                    : QStringLiteral("#b42318");
    QString html =
        QStringLiteral("<h3 style=\"color:%1\">%2</h3><p><code>%3</code> · %4</p><p>%5</p>")
            .arg(colour, esc(d.title), esc(d.code), esc(d.category), esc(d.meaning));
    html += QStringLiteral("<p><b>Provider:</b> %1%2</p>")
                .arg(esc(d.providerLine()),
                     d.provider.via.isEmpty() ? QString()
                                              : QStringLiteral(" <small>(identified by %1)</small>")
                                                    .arg(esc(d.provider.via)));
    if (!d.notes.isEmpty()) {
        html += QStringLiteral("<p><b>What the server said</b></p><ul>");
        for (const QString &note : d.notes)
            html += QStringLiteral("<li><code>%1</code></li>").arg(esc(note));
        html += QStringLiteral("</ul>");
    }
    html += QStringLiteral("<p><b>Likely causes, likeliest first</b></p><ol>");
    for (const auto &cause : d.causes)
        html += causeHtml(cause);
    html += QStringLiteral("</ol><p><b>How to fix it</b></p><ul>");
    for (const QString &fix : d.fixes)
        html += QStringLiteral("<li>%1</li>").arg(esc(fix));
    html += QStringLiteral("</ul><p><b>References</b></p><ul>");
    for (const auto &reference : d.references)
        html += QStringLiteral("<li><a href=\"%1\">%2</a></li>")
                    .arg(esc(reference.url), esc(reference.title));
    html += QStringLiteral("</ul>");
    return html;
}

} // namespace workbench::DiagnosisHtml
