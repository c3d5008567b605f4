#include "core/diagnosis/ResponseClassifier.h"

#include "core/diagnosis/HtmlText.h"
#include "core/http/BodyShape.h"
#include "core/listener/CapturedRedirect.h"
#include "core/util/Clock.h"
#include "core/util/FormEncoding.h"
#include "core/util/LenientJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStringDecoder>

namespace workbench {

bool ErrorSignal::isError() const
{
    switch (shape) {
    case Shape::Success:
        return false;
    case Shape::OtherJson:
    case Shape::PlainText:
        return httpStatus >= 400;
    default:
        return true;
    }
}

QString ErrorSignal::words() const
{
    QStringList parts;
    // The hint and debug fields say what the description says in general terms: first.
    for (const QString *part : {&hint, &debug, &description, &humanTitle, &htmlTitle})
        if (!part->isEmpty())
            parts << *part;
    parts << htmlHeadings;
    if (!htmlText.isEmpty())
        parts << htmlText;
    return parts.join(QLatin1Char('\n'));
}

QString ErrorSignal::shapeName(Shape shape)
{
    switch (shape) {
    case Shape::Success:
        return QStringLiteral("success");
    case Shape::OAuthJson:
        return QStringLiteral("oauth_error");
    case Shape::NestedErrorJson:
        return QStringLiteral("nested_error_object");
    case Shape::GraphErrorJson:
        return QStringLiteral("graph_error");
    case Shape::GatewayJson:
        return QStringLiteral("gateway_error");
    case Shape::ProblemJson:
        return QStringLiteral("problem_json");
    case Shape::OtherJson:
        return QStringLiteral("other_json");
    case Shape::RedirectError:
        return QStringLiteral("redirect_error");
    case Shape::WwwAuthenticate:
        return QStringLiteral("www_authenticate");
    case Shape::HtmlPage:
        return QStringLiteral("html_page");
    case Shape::LoginPage:
        return QStringLiteral("login_page");
    case Shape::PlainText:
        return QStringLiteral("plain_text");
    case Shape::EmptyBody:
        return QStringLiteral("empty_body");
    case Shape::NotUtf8:
        return QStringLiteral("not_utf8");
    case Shape::Transport:
        return QStringLiteral("transport_failure");
    }
    return {};
}

namespace ResponseClassifier {

namespace {
constexpr int kMaxExtras = 24;

QString normalizeCode(const QString &code)
{
    return code.trimmed().toLower();
}

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array:
    case QJsonValue::Object: {
        const QJsonDocument doc =
            value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
        return QString::fromUtf8(doc.toJson(QJsonDocument::Compact)).left(500);
    }
    default:
        return {};
    }
}

void setCode(ErrorSignal &signal, const QString &code)
{
    signal.error = normalizeCode(code);
    if (signal.error != code)
        signal.rawError = code;
}

void collectExtras(ErrorSignal &signal, const QJsonObject &object, const QStringList &known)
{
    for (auto it = object.begin(); it != object.end() && signal.extras.size() < kMaxExtras; ++it) {
        if (!known.contains(it.key()))
            signal.extras.insert(it.key(), scalarText(it.value()));
    }
}

// The first of these members that holds text.
QString firstText(const QJsonObject &object, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isString() && !value.toString().isEmpty())
            return value.toString();
    }
    return {};
}

// The error codes RFC 6749, 6750, 7591, 8628, 8693, 8707, 9126, 9101, 9396, 9449 and OpenID
// Connect define, for finding one in a page or a text body.
const QRegularExpression &standardCode()
{
    static const QRegularExpression code(QStringLiteral(
        "\\b(invalid_request|invalid_client|invalid_grant|unauthorized_client|"
        "unsupported_grant_type|invalid_scope|access_denied|unsupported_response_type|"
        "server_error|temporarily_unavailable|redirect_uri_mismatch|invalid_token|"
        "insufficient_scope|login_required|consent_required|interaction_required|"
        "account_selection_required|invalid_request_uri|invalid_request_object|"
        "request_not_supported|request_uri_not_supported|registration_not_supported|"
        "invalid_redirect_uri|invalid_client_metadata|authorization_pending|slow_down|"
        "expired_token|invalid_target|invalid_dpop_proof|use_dpop_nonce|"
        "invalid_authorization_details|unsupported_token_type)\\b"));
    return code;
}

// {"error": "code", "error_description": ...} (RFC 6749 and its extensions), or a sentence put
// where the code goes.
bool readErrorMember(ErrorSignal &signal, const QJsonObject &object)
{
    const QJsonValue error = object.value(QLatin1String("error"));
    // A code is a token, or a short phrase ("404 Not Found"); a sentence is not.
    static const QRegularExpression sentence(QStringLiteral("(\\S+\\s+){3,}\\S+|\\.$"));
    if (sentence.match(error.toString().trimmed()).hasMatch()) {
        // {"error": "The access token is invalid"}: a sentence, not a code. A challenge may
        // still carry the code.
        signal.shape = ErrorSignal::Shape::OtherJson;
        signal.description = error.toString();
        collectExtras(signal, object, {"error"});
        return true;
    }
    signal.shape = ErrorSignal::Shape::OAuthJson;
    setCode(signal, error.toString());
    signal.description = firstText(object, {"error_description", "message", "error_message",
                                            "errorMessage", "detail", "reason"});
    signal.errorUri = object.value(QLatin1String("error_uri")).toString();
    signal.humanTitle = object.value(QLatin1String("error_human_title")).toString();
    signal.hint = firstText(object, {"error_hint", "hint"});
    signal.debug = object.value(QLatin1String("error_debug")).toString();
    collectExtras(signal, object,
                  {"error", "error_description", "error_uri", "error_human_title", "error_hint",
                   "error_debug", "hint"});
    return true;
}

bool readErrorsList(ErrorSignal &signal, const QJsonObject &object)
{
    // {"errors": [{"errorType": "invalid_client", "message": ...}], "success": false}
    const QJsonArray errors = object.value(QLatin1String("errors")).toArray();
    if (!errors.isEmpty() && errors.first().isObject()) {
        const QJsonObject first = errors.first().toObject();
        const QString code = firstText(first, {"errorType", "error", "code"});
        if (!code.isEmpty()) {
            signal.shape = ErrorSignal::Shape::OAuthJson;
            setCode(signal, code);
            signal.description = firstText(first, {"message", "detail", "error_description"});
            signal.errorFoundIn = QStringLiteral("the first member of the errors list");
            collectExtras(signal, object, {"errors"});
            return true;
        }
    }
    return false;
}

// {"error": {...}}: Graph-style ({"code", "message"}) or another nested object.
bool readNestedError(ErrorSignal &signal, const QJsonObject &nested)
{
    const QJsonValue code = nested.value(QLatin1String("code"));
    const bool graph =
        nested.contains(QLatin1String("message")) && (code.isString() || code.isDouble());
    if (graph) {
        // Microsoft Graph ({"code": "InvalidAuthenticationToken", ...}), Google APIs and
        // Meta ({"code": 190, "type": "OAuthException", ...}).
        signal.shape = ErrorSignal::Shape::GraphErrorJson;
        const QString type = nested.value(QLatin1String("type")).toString();
        const QString status = nested.value(QLatin1String("status")).toString();
        // A numeric code is the provider's own (Meta's 190) unless a status word says more
        // (Google's "UNAUTHENTICATED" beside the HTTP status as code).
        setCode(signal, code.isString()     ? code.toString()
                        : !status.isEmpty() ? status
                                            : scalarText(code));
        if (!type.isEmpty())
            signal.extras.insert(QStringLiteral("type"), type);
        signal.description = nested.value(QLatin1String("message")).toString();
        signal.humanTitle = nested.value(QLatin1String("error_user_title")).toString();
        signal.hint = nested.value(QLatin1String("error_user_msg")).toString();
        collectExtras(
            signal, nested,
            {"message", "error_user_title", "error_user_msg", "innerError", "innererror"});
        for (const char *inner : {"innerError", "innererror"})
            collectExtras(signal, nested.value(QLatin1String(inner)).toObject(), {});
        return true;
    }
    signal.shape = ErrorSignal::Shape::NestedErrorJson;
    if (code.isString())
        setCode(signal, code.toString());
    signal.humanTitle = nested.value(QLatin1String("title")).toString();
    signal.description = firstText(nested, {"detail", "message", "description"});
    const QJsonValue status = nested.value(QLatin1String("status"));
    if (!status.isUndefined())
        signal.extras.insert(QStringLiteral("status"), scalarText(status));
    collectExtras(signal, nested, {"code", "title", "detail", "message", "status"});
    return true;
}

// An API gateway's own body ({"httpCode", "httpMessage", "moreInformation"}).
bool readGatewayError(ErrorSignal &signal, const QJsonObject &object)
{
    if (!object.contains(QLatin1String("httpCode")) &&
        !object.contains(QLatin1String("moreInformation")))
        return false;
    signal.shape = ErrorSignal::Shape::GatewayJson;
    signal.humanTitle = scalarText(object.value(QLatin1String("httpMessage")));
    signal.description = scalarText(object.value(QLatin1String("moreInformation")));
    signal.extras.insert(QStringLiteral("httpCode"),
                         scalarText(object.value(QLatin1String("httpCode"))));
    collectExtras(signal, object, {"httpCode", "httpMessage", "moreInformation"});
    return true;
}

bool readProviderOwnError(ErrorSignal &signal, const QJsonObject &object)
{
    // Providers' own shapes: Okta {"errorCode": "E0000011", "errorSummary": ...}, AWS
    // {"__type": "NotAuthorizedException", "message": ...}, Salesforce {"errorCode", "message"}.
    const QString ownCode = firstText(object, {"errorCode", "error_code", "__type"});
    if (!ownCode.isEmpty()) {
        signal.shape = ErrorSignal::Shape::OAuthJson;
        setCode(signal, ownCode.section(QLatin1Char('#'), -1));
        signal.description =
            firstText(object, {"errorSummary", "message", "Message", "error_description"});
        collectExtras(signal, object,
                      {"errorCode", "error_code", "__type", "errorSummary", "message", "Message"});
        signal.errorFoundIn = QStringLiteral("the provider's own error fields");
        return true;
    }
    return false;
}

// RFC 9457 problem details, by content type or by shape.
bool readProblem(ErrorSignal &signal, const QJsonObject &object, const QByteArray &contentType)
{
    const bool problemType = contentType.startsWith("application/problem+json");
    const bool problemShape =
        object.contains(QLatin1String("title")) &&
        (object.contains(QLatin1String("status")) || object.contains(QLatin1String("detail")) ||
         object.contains(QLatin1String("type")));
    if (problemType || problemShape) {
        signal.shape = ErrorSignal::Shape::ProblemJson;
        signal.humanTitle = object.value(QLatin1String("title")).toString();
        signal.description = object.value(QLatin1String("detail")).toString();
        signal.errorUri = object.value(QLatin1String("type")).toString();
        collectExtras(signal, object, {"title", "detail", "type"});
        return true;
    }
    return false;
}

bool classifyJsonObject(ErrorSignal &signal, const QJsonObject &object,
                        const QByteArray &contentType)
{
    const QJsonValue error = object.value(QLatin1String("error"));
    if (error.isString())
        return readErrorMember(signal, object);
    return readErrorsList(signal, object) ||
           (error.isObject() && readNestedError(signal, error.toObject())) ||
           readGatewayError(signal, object) || readProviderOwnError(signal, object) ||
           readProblem(signal, object, contentType);
}

void classifyHtml(ErrorSignal &signal, const QByteArray &body)
{
    const HtmlText page = HtmlText::read(body);
    signal.htmlTitle = page.title;
    signal.htmlHeadings = page.headings;
    signal.htmlText = page.text;
    static const QRegularExpression password(
        QStringLiteral("<input[^>]{0,300}type\\s*=\\s*[\"']?password"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression signIn(QStringLiteral("\\b(sign[ -]?in|log[ -]?in)\\b"),
                                           QRegularExpression::CaseInsensitiveOption);
    const QString head = QString::fromUtf8(body.left(256 * 1024));
    // A sign-in page asks for a password, or says sign in without saying something failed.
    static const QRegularExpression failure(
        QStringLiteral("\\b(error|sorry|problem|fail|denied|invalid|blocked)"),
        QRegularExpression::CaseInsensitiveOption);
    const QString headline = signal.htmlTitle + QLatin1Char(' ') + signal.htmlHeadings.join(' ');
    const bool login =
        password.match(head).hasMatch() ||
        (signIn.match(signal.htmlTitle).hasMatch() && !failure.match(headline).hasMatch());
    signal.shape = login ? ErrorSignal::Shape::LoginPage : ErrorSignal::Shape::HtmlPage;
    // Error pages often print the code ("Error 400: redirect_uri_mismatch").
    if (signal.error.isEmpty()) {
        const auto match = standardCode().match(signal.words());
        if (match.hasMatch()) {
            setCode(signal, match.captured(1));
            signal.errorFoundIn = QStringLiteral("the page's text");
        }
    }
}

// error=... in a query or fragment (a redirect's Location, a callback URL).
bool readRedirectParameters(ErrorSignal &signal, const FormFields &fields)
{
    if (!FormEncoding::contains(fields, QStringLiteral("error")))
        return false;
    signal.shape = ErrorSignal::Shape::RedirectError;
    setCode(signal, FormEncoding::value(fields, QStringLiteral("error")));
    signal.description = FormEncoding::value(fields, QStringLiteral("error_description"));
    signal.errorUri = FormEncoding::value(fields, QStringLiteral("error_uri"));
    signal.hint = FormEncoding::value(fields, QStringLiteral("error_hint"));
    signal.debug = FormEncoding::value(fields, QStringLiteral("error_debug"));
    static const QStringList read{"error", "error_description", "error_uri", "error_hint",
                                  "error_debug"};
    for (const auto &field : fields) {
        if (!read.contains(field.first) && signal.extras.size() < kMaxExtras)
            signal.extras.insert(field.first, field.second);
    }
    return true;
}

bool classifyLocation(ErrorSignal &signal, int status, const HttpHeaders &headers)
{
    if (status < 300 || status > 399)
        return false;
    const QByteArray location = headerValue(headers, "Location");
    if (!location.contains("error="))
        return false;
    const QUrl url(QString::fromUtf8(location), QUrl::TolerantMode);
    FormFields fields = FormEncoding::queryOf(url);
    if (!FormEncoding::contains(fields, QStringLiteral("error")))
        fields = FormEncoding::decode(url.fragment(QUrl::FullyEncoded).toLatin1());
    if (!readRedirectParameters(signal, fields))
        return false;
    signal.redirectedTo = url.toString(QUrl::RemoveQuery | QUrl::RemoveFragment);
    signal.errorFoundIn = QStringLiteral("the Location header of the %1 redirect").arg(status);
    return true;
}

// A challenge with an error speaks for itself whatever the status, and fills in what the body
// left out.
bool fromChallenge(ErrorSignal &signal)
{
    if (!signal.wwwAuthenticate.contains(QStringLiteral("error")))
        return false;
    if (signal.error.isEmpty())
        setCode(signal, signal.wwwAuthenticate.value(QStringLiteral("error")));
    if (signal.description.isEmpty())
        signal.description = signal.wwwAuthenticate.value(QStringLiteral("error_description"));
    if (signal.errorUri.isEmpty())
        signal.errorUri = signal.wwwAuthenticate.value(QStringLiteral("error_uri"));
    return true;
}

void classifyJson(ErrorSignal &signal, const QJsonDocument &json, const QByteArray &contentType)
{
    const int status = signal.httpStatus;
    QJsonObject object = json.object();
    // Some APIs answer with a list of errors: [{"message": ..., "errorCode": ...}].
    if (json.isArray() && !json.array().isEmpty() && json.array().first().isObject())
        object = json.array().first().toObject();
    if (!(!object.isEmpty() && classifyJsonObject(signal, object, contentType))) {
        signal.shape = status >= 400 || !json.isObject() ? ErrorSignal::Shape::OtherJson
                                                         : ErrorSignal::Shape::Success;
        // No error structure we know, but words worth reading.
        if (status >= 400)
            signal.description =
                firstText(object, {"message", "detail", "error_message", "errorMessage", "msg"});
    }
    if (signal.shape == ErrorSignal::Shape::Success && !signal.notStrictJson.isEmpty())
        signal.shape = ErrorSignal::Shape::OtherJson;
    if (fromChallenge(signal) && signal.shape == ErrorSignal::Shape::OtherJson)
        signal.shape = ErrorSignal::Shape::WwwAuthenticate;
}

// Some servers answer in form encoding unless asked for JSON: error=...&error_description=...
bool classifyFormEncoded(ErrorSignal &signal, const QByteArray &body, const QByteArray &contentType)
{
    if (!contentType.startsWith("application/x-www-form-urlencoded") &&
        !(body.size() < 8192 && body.trimmed().startsWith("error=")))
        return false;
    const FormFields fields = FormEncoding::decode(body.trimmed());
    if (!FormEncoding::contains(fields, QStringLiteral("error")))
        return false;
    signal.shape = ErrorSignal::Shape::OAuthJson;
    setCode(signal, FormEncoding::value(fields, QStringLiteral("error")));
    signal.description = FormEncoding::value(fields, QStringLiteral("error_description"));
    signal.errorUri = FormEncoding::value(fields, QStringLiteral("error_uri"));
    signal.extras.insert(QStringLiteral("encoding"), QStringLiteral("form"));
    return true;
}

// Plain text: its first words as the description, a standard code found in it as the code.
void classifyText(ErrorSignal &signal, const QString &text)
{
    const int status = signal.httpStatus;
    signal.shape = ErrorSignal::Shape::PlainText;
    if (fromChallenge(signal) && status >= 400)
        signal.shape = ErrorSignal::Shape::WwwAuthenticate;
    if (signal.description.isEmpty() && status >= 400)
        signal.description = text.left(300).simplified();
    if (signal.error.isEmpty() && status >= 400) {
        const auto match = standardCode().match(text.left(2000));
        if (match.hasMatch()) {
            setCode(signal, match.captured(1));
            signal.errorFoundIn = QStringLiteral("the text of the body");
        }
    }
}

} // namespace

ErrorSignal classifyResponse(int status, const HttpHeaders &headers, const QByteArray &body)
{
    ErrorSignal signal;
    signal.httpStatus = status;
    const QByteArray contentType = headerValue(headers, "Content-Type").toLower().trimmed();
    const QByteArray challenge = headerValue(headers, "WWW-Authenticate");
    if (!challenge.isEmpty())
        signal.wwwAuthenticate = parseAuthParams(challenge, &signal.wwwAuthenticateScheme);
    signal.retryAfterSeconds =
        parseRetryAfter(headerValue(headers, "Retry-After"), Clock::utcNow());
    signal.dpopNonce = QString::fromLatin1(headerValue(headers, "DPoP-Nonce")).left(256);

    if (classifyLocation(signal, status, headers))
        return signal;
    if (body.trimmed().isEmpty()) {
        if (fromChallenge(signal))
            signal.shape = ErrorSignal::Shape::WwwAuthenticate;
        else
            signal.shape =
                status >= 400 ? ErrorSignal::Shape::EmptyBody : ErrorSignal::Shape::Success;
        return signal;
    }
    QJsonParseError parseError{};
    const QJsonDocument json = LenientJson::parse(body, &signal.notStrictJson, &parseError);
    if (!json.isNull()) {
        classifyJson(signal, json, contentType);
        return signal;
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(body.left(256 * 1024));
    if (utf8.hasError()) {
        signal.shape = ErrorSignal::Shape::NotUtf8;
        fromChallenge(signal);
    } else if (BodyShape::looksLikeHtml(body, contentType)) {
        fromChallenge(signal);
        classifyHtml(signal, body);
    } else if (!classifyFormEncoded(signal, body, contentType)) {
        classifyText(signal, text);
    }
    return signal;
}

ErrorSignal classify(const HttpExchange &exchange, const DecryptionKey &key)
{
    const bool waitFailed = exchange.transport != HttpExchange::Transport::Ok;
    // A request the loopback listener refused (another state, none, repeated parameters: see
    // CapturedRedirect::refusalReason) was not the flow's response: whatever it carries, an
    // error included, says nothing about this flow.
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback && !waitFailed &&
        exchange.status == 400)
        return {};
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback && !exchange.request.url.isEmpty() &&
        !waitFailed) {
        ErrorSignal signal;
        readRedirectParameters(signal, CapturedRedirect::parametersOf(exchange, key));
        return signal;
    }
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation)
        return {};
    if (!exchange.hasResponse()) {
        ErrorSignal signal;
        signal.shape = ErrorSignal::Shape::Transport;
        signal.transport = exchange.transport;
        signal.transportMessage = exchange.networkError;
        return signal;
    }
    ErrorSignal signal =
        classifyResponse(exchange.status, exchange.responseHeaders, exchange.responseBody);
    signal.bodyTruncated = exchange.responseBodyTruncated;
    return signal;
}

} // namespace ResponseClassifier
} // namespace workbench
