#include "core/util/LenientJson.h"

#include <QRegularExpression>

namespace workbench::LenientJson {

namespace {
// Drops each ',' that only white space separates from a closing '}' or ']', outside strings.
QByteArray withoutTrailingCommas(const QByteArray &text, bool *changed)
{
    QByteArray out;
    out.reserve(text.size());
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size())
                out += text.at(++i);
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == ',') {
            qsizetype j = i + 1;
            while (j < text.size() && QByteArrayView(" \t\r\n").contains(text.at(j)))
                ++j;
            if (j < text.size() && (text.at(j) == '}' || text.at(j) == ']')) {
                *changed = true;
                continue;
            }
        }
        out += c;
    }
    return out;
}
} // namespace

QJsonDocument parse(const QByteArray &text, QStringList *relaxed, QJsonParseError *error)
{
    QStringList liberties;
    QByteArray candidate = text;
    if (candidate.startsWith("\xEF\xBB\xBF")) {
        candidate = candidate.mid(3);
        liberties << QStringLiteral("a byte-order mark before the JSON");
    }
    QJsonParseError strictError{};
    QJsonDocument document = QJsonDocument::fromJson(candidate, &strictError);
    if (error)
        *error = strictError;
    if (strictError.error == QJsonParseError::NoError) {
        if (relaxed)
            *relaxed = liberties;
        return document;
    }
    bool commas = false;
    candidate = withoutTrailingCommas(candidate, &commas);
    if (commas)
        liberties << QStringLiteral("a trailing comma before a closing brace or bracket");
    const QByteArray trimmed = candidate.trimmed();
    static const QRegularExpression member(QStringLiteral("^\"[^\"]{1,200}\"\\s*:"));
    if (member.match(QString::fromUtf8(trimmed.left(256))).hasMatch()) {
        candidate = "{" + trimmed + "}";
        liberties << QStringLiteral("members without the enclosing braces");
        candidate = withoutTrailingCommas(candidate, &commas);
    }
    if (liberties.isEmpty())
        return {};
    QJsonParseError lenientError{};
    document = QJsonDocument::fromJson(candidate, &lenientError);
    if (lenientError.error != QJsonParseError::NoError)
        return {};
    if (error)
        *error = lenientError;
    if (relaxed)
        *relaxed = liberties;
    return document;
}

} // namespace workbench::LenientJson
