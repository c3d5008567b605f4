#include "core/diagnosis/ResponseClassifier.h"

#include <QRegularExpression>

// The two headers the classifier reads beyond the body: WWW-Authenticate's challenges and
// Retry-After.
namespace workbench {

namespace {
// A token up to a space, '=' or ',' from `i` (which moves past it).
QString readToken(const QByteArray &header, qsizetype &i)
{
    const qsizetype start = i;
    const qsizetype n = header.size();
    while (i < n && header.at(i) != ' ' && header.at(i) != '\t' && header.at(i) != '=' &&
           header.at(i) != ',')
        ++i;
    return QString::fromLatin1(header.mid(start, i - start));
}

// An auth-param's value from `i`: a quoted string (with its escapes) or a token (with token68
// padding).
QString readValue(const QByteArray &header, qsizetype &i)
{
    const qsizetype n = header.size();
    if (i >= n || header.at(i) != '"') {
        const QString value = readToken(header, i);
        while (i < n && header.at(i) == '=')
            ++i;
        return value;
    }
    ++i;
    QByteArray raw;
    while (i < n && header.at(i) != '"') {
        if (header.at(i) == '\\' && i + 1 < n)
            ++i;
        raw += header.at(i);
        ++i;
    }
    ++i; // closing quote
    return QString::fromUtf8(raw);
}
} // namespace

namespace ResponseClassifier {

QMap<QString, QString> parseAuthParams(const QByteArray &header, QString *scheme)
{
    // challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], several separated by commas.
    QMap<QString, QString> params;
    QString currentScheme;
    QString chosenScheme;
    QMap<QString, QString> current;
    qsizetype i = 0;
    const qsizetype n = header.size();
    auto skipSpace = [&] {
        while (i < n && (header.at(i) == ' ' || header.at(i) == '\t' || header.at(i) == ','))
            ++i;
    };
    auto readToken = [&] { return workbench::readToken(header, i); };
    auto finishChallenge = [&] {
        if (currentScheme.isEmpty())
            return;
        // Prefer the challenge that carries an error, then a Bearer one, then the first.
        const bool better =
            chosenScheme.isEmpty() ||
            (current.contains(QStringLiteral("error")) &&
             !params.contains(QStringLiteral("error"))) ||
            (currentScheme.compare(QLatin1String("Bearer"), Qt::CaseInsensitive) == 0 &&
             !params.contains(QStringLiteral("error")));
        if (better) {
            chosenScheme = currentScheme;
            params = current;
        }
        current.clear();
    };
    int guard = 0;
    while (i < n && ++guard < 10000) {
        skipSpace();
        if (i >= n)
            break;
        const QString token = readToken();
        qsizetype j = i;
        while (j < n && (header.at(j) == ' ' || header.at(j) == '\t'))
            ++j;
        static const QRegularExpression paramName(QStringLiteral("^[A-Za-z][A-Za-z0-9_-]*$"));
        if (j < n && header.at(j) == '=' && currentScheme.isEmpty() && chosenScheme.isEmpty() &&
            current.isEmpty() && paramName.match(token).hasMatch()) {
            // A challenge some servers send without its scheme: error="invalid_token", ...
            currentScheme = QStringLiteral("(none)");
        }
        if (j < n && header.at(j) == '=' && !currentScheme.isEmpty()) {
            i = j + 1;
            while (i < n && (header.at(i) == ' ' || header.at(i) == '\t'))
                ++i;
            const QString value = readValue(header, i);
            if (!token.isEmpty())
                current.insert(token.toLower(), value);
        } else if (!token.isEmpty()) {
            finishChallenge();
            static const QRegularExpression tokenChars(
                QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
            currentScheme = tokenChars.match(token).hasMatch() ? token : QString();
        } else {
            ++i;
        }
    }
    finishChallenge();
    if (scheme)
        *scheme = chosenScheme;
    return params;
}

int parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return -1;
    bool ok = false;
    const qlonglong seconds = trimmed.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : int(qMin<qlonglong>(seconds, 1 << 30));
    // HTTP-date (RFC 9110 §5.6.7) says "GMT" where RFC 2822 parsers want a numeric zone.
    QString date = QString::fromLatin1(trimmed);
    if (date.endsWith(QLatin1String(" GMT")))
        date = date.chopped(4) + QStringLiteral(" +0000");
    const QDateTime when = QDateTime::fromString(date, Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return int(qMax<qint64>(0, now.secsTo(when)));
}

} // namespace ResponseClassifier

} // namespace workbench
