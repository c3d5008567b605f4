#include "core/http/BodyShape.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace workbench::BodyShape {

bool looksLikeHtml(const QByteArray &body, const QByteArray &contentType)
{
    const QByteArray type = contentType.trimmed().toLower();
    if (type.startsWith("text/html") || type.startsWith("application/xhtml"))
        return true;
    const QByteArray start = body.left(512).trimmed().toLower();
    return start.startsWith("<!doctype html") || start.startsWith("<html") ||
           start.startsWith("<head") || start.startsWith("<body");
}

QString whyNotAJsonObject(const QByteArray &body, const QByteArray &contentType)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject())
        return {};
    if (body.trimmed().isEmpty())
        return QStringLiteral("The body is empty: the server sent no JSON at all.");
    if (looksLikeHtml(body, contentType))
        return QStringLiteral("The body is an HTML page, not JSON: a web page came back where "
                              "the endpoint's JSON was expected (a sign-in or error page, a "
                              "proxy or firewall in between, or a URL that is not the "
                              "endpoint).");
    if (parseError.error == QJsonParseError::NoError && document.isArray())
        return QStringLiteral("The body is a JSON array, not the JSON object the endpoint should "
                              "answer with.");
    // Qt's parser takes only objects and arrays at the top: a lone string, number or literal
    // parses once wrapped in an array.
    QJsonParseError wrappedError{};
    QJsonDocument::fromJson('[' + body + ']', &wrappedError);
    if (wrappedError.error == QJsonParseError::NoError)
        return QStringLiteral("The body is a single JSON value, not the JSON object the "
                              "endpoint should answer with.");
    const QByteArray start = body.trimmed().left(1);
    if (start != "{" && start != "[")
        return QStringLiteral("The body is plain text, not JSON (it starts with \"%1\").")
            .arg(QString::fromUtf8(body.trimmed().left(40)).simplified());
    return QStringLiteral("The body starts as JSON but breaks at byte %1 (cut short, or not "
                          "valid JSON from there on).")
        .arg(parseError.offset);
}

} // namespace workbench::BodyShape
