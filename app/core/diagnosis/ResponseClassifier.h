#pragma once

#include "core/http/HttpExchange.h"
#include "core/jose/Jwe.h"

#include <QJsonObject>
#include <QMap>

namespace workbench {

// What an exchange says about an error, whatever shape the server chose to say it in.
struct ErrorSignal
{
    enum class Shape {
        Success,         // nothing wrong visible
        OAuthJson,       // RFC 6749 §5.2 {"error": "...", "error_description": ...}
        NestedErrorJson, // {"error": {"status":..., "title":..., "detail":...}}
        GraphErrorJson,  // {"error": {"code": ..., "message": ..., "innerError"/"fbtrace_id"...}}
        GatewayJson,     // {"httpCode": "401", "httpMessage": ..., "moreInformation": ...}
        ProblemJson,     // RFC 9457 application/problem+json
        OtherJson,       // JSON, but no error structure we know
        RedirectError,   // error=... on the redirect URI (query, fragment or form_post)
        WwwAuthenticate, // only the WWW-Authenticate header carries the error
        HtmlPage,        // an HTML page where JSON was expected
        LoginPage,       // an HTML sign-in page where JSON was expected
        PlainText,
        EmptyBody,
        NotUtf8,
        Transport, // no HTTP response at all
    };

    Shape shape = Shape::Success;
    int httpStatus = 0;
    QString error;       // normalized: trimmed, lower case ("unknown " -> "unknown")
    QString rawError;    // as sent, when it differs
    QString description; // error_description, detail, moreInformation, ...
    QString errorUri;
    QString humanTitle;            // error_human_title, title, httpMessage
    QString hint;                  // error_hint (Ory), errorSummary, ...
    QString debug;                 // error_debug (Ory)
    QMap<QString, QString> extras; // trace_id, correlation_id, error_codes, timestamp, ...
    QStringList notStrictJson;     // the liberties taken to read a body that is almost JSON
    QString errorFoundIn;          // where the code was found when not in a field of its own
    QString wwwAuthenticateScheme;
    QMap<QString, QString> wwwAuthenticate; // its auth-params: error, error_description, scope...
    int retryAfterSeconds = -1;
    QString dpopNonce; // the DPoP-Nonce header: the nonce the server wants in the next proof
    QString htmlTitle;
    QStringList htmlHeadings;
    QString htmlText;     // the page's visible text
    QString redirectedTo; // a 3xx's Location, when it carries the error
    bool bodyTruncated = false;
    HttpExchange::Transport transport = HttpExchange::Transport::Ok;
    QString transportMessage;

    bool isError() const;
    // Everything the server said in words, for matching: description, titles, hints, the page.
    QString words() const;
    static QString shapeName(Shape shape);
};

// Reads any recorded exchange, of any size or content, into an ErrorSignal. Never throws, never
// blocks: the body is inspected, not trusted.
namespace ResponseClassifier {
// `key` opens an encrypted JARM response on a loopback callback.
ErrorSignal classify(const HttpExchange &exchange, const DecryptionKey &key = {});
// The parts on their own, for the fuzzer and the tests.
ErrorSignal classifyResponse(int status, const HttpHeaders &headers, const QByteArray &body);
QMap<QString, QString> parseAuthParams(const QByteArray &header, QString *scheme);
int parseRetryAfter(const QByteArray &value, const QDateTime &now);
} // namespace ResponseClassifier

} // namespace workbench
