#include "ResponseClassifier.h"

#include "listener/CapturedRedirect.h"
#include "util/FormEncoding.h"

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

QString ErrorSignal::shapeName(Shape shape)
{
    switch (shape) {
    case Shape::Success:
        return QStringLiteral("success");
    case Shape::OAuthJson:
        return QStringLiteral("oauth_error");
    case Shape::NestedErrorJson:
        return QStringLiteral("nested_error_object");
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
constexpr qsizetype kHtmlScanBytes = 256 * 1024;
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

bool classifyJsonObject(ErrorSignal &signal, const QJsonObject &object,
                        const QByteArray &contentType)
{
    const QJsonValue error = object.value(QLatin1String("error"));
    if (error.isString()) {
        signal.shape = ErrorSignal::Shape::OAuthJson;
        setCode(signal, error.toString());
        signal.description = object.value(QLatin1String("error_description")).toString();
        if (signal.description.isEmpty())
            signal.description = object.value(QLatin1String("message")).toString();
        signal.errorUri = object.value(QLatin1String("error_uri")).toString();
        signal.humanTitle = object.value(QLatin1String("error_human_title")).toString();
        collectExtras(signal, object,
                      {"error", "error_description", "error_uri", "error_human_title"});
        return true;
    }
    if (error.isObject()) {
        const QJsonObject nested = error.toObject();
        signal.shape = ErrorSignal::Shape::NestedErrorJson;
        const QJsonValue code = nested.value(QLatin1String("code"));
        if (code.isString())
            setCode(signal, code.toString());
        signal.humanTitle = nested.value(QLatin1String("title")).toString();
        signal.description = nested.value(QLatin1String("detail")).toString();
        if (signal.description.isEmpty())
            signal.description = nested.value(QLatin1String("message")).toString();
        const QJsonValue status = nested.value(QLatin1String("status"));
        if (!status.isUndefined())
            signal.extras.insert(QStringLiteral("status"), scalarText(status));
        collectExtras(signal, nested, {"code", "title", "detail", "message", "status"});
        return true;
    }
    if (object.contains(QLatin1String("httpCode")) ||
        object.contains(QLatin1String("moreInformation"))) {
        signal.shape = ErrorSignal::Shape::GatewayJson;
        signal.humanTitle = scalarText(object.value(QLatin1String("httpMessage")));
        signal.description = scalarText(object.value(QLatin1String("moreInformation")));
        signal.extras.insert(QStringLiteral("httpCode"),
                             scalarText(object.value(QLatin1String("httpCode"))));
        collectExtras(signal, object, {"httpCode", "httpMessage", "moreInformation"});
        return true;
    }
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

void classifyHtml(ErrorSignal &signal, const QByteArray &body)
{
    const QString head = QString::fromUtf8(body.left(kHtmlScanBytes));
    static const QRegularExpression title(QStringLiteral("<title[^>]*>([^<]{0,300})</title>"),
                                          QRegularExpression::CaseInsensitiveOption);
    const auto match = title.match(head);
    if (match.hasMatch())
        signal.htmlTitle = match.captured(1).simplified();
    static const QRegularExpression password(
        QStringLiteral("<input[^>]{0,300}type\\s*=\\s*[\"']?password"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression signIn(QStringLiteral("\\b(sign[ -]?in|log[ -]?in)\\b"),
                                           QRegularExpression::CaseInsensitiveOption);
    const bool login = password.match(head).hasMatch() || signIn.match(signal.htmlTitle).hasMatch();
    signal.shape = login ? ErrorSignal::Shape::LoginPage : ErrorSignal::Shape::HtmlPage;
}

bool looksLikeHtml(const QByteArray &body, const QByteArray &contentType)
{
    if (contentType.startsWith("text/html") || contentType.startsWith("application/xhtml"))
        return true;
    const QByteArray start = body.left(512).trimmed().toLower();
    return start.startsWith("<!doctype html") || start.startsWith("<html") ||
           start.startsWith("<head") || start.startsWith("<body");
}
} // namespace

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
    auto readToken = [&] {
        const qsizetype start = i;
        while (i < n && header.at(i) != ' ' && header.at(i) != '\t' && header.at(i) != '=' &&
               header.at(i) != ',')
            ++i;
        return QString::fromLatin1(header.mid(start, i - start));
    };
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
        if (j < n && header.at(j) == '=' && !currentScheme.isEmpty()) {
            i = j + 1;
            while (i < n && (header.at(i) == ' ' || header.at(i) == '\t'))
                ++i;
            QString value;
            if (i < n && header.at(i) == '"') {
                ++i;
                QByteArray raw;
                while (i < n && header.at(i) != '"') {
                    if (header.at(i) == '\\' && i + 1 < n)
                        ++i;
                    raw += header.at(i);
                    ++i;
                }
                ++i; // closing quote
                value = QString::fromUtf8(raw);
            } else {
                value = readToken();
                while (i < n && header.at(i) == '=') // token68 padding
                    ++i;
            }
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

ErrorSignal classifyResponse(int status, const HttpHeaders &headers, const QByteArray &body)
{
    ErrorSignal signal;
    signal.httpStatus = status;
    const QByteArray contentType = headerValue(headers, "Content-Type").toLower().trimmed();

    const QByteArray challenge = headerValue(headers, "WWW-Authenticate");
    if (!challenge.isEmpty())
        signal.wwwAuthenticate = parseAuthParams(challenge, &signal.wwwAuthenticateScheme);
    signal.retryAfterSeconds =
        parseRetryAfter(headerValue(headers, "Retry-After"), QDateTime::currentDateTimeUtc());

    auto fromChallenge = [&signal] {
        if (!signal.wwwAuthenticate.contains(QStringLiteral("error")))
            return false;
        if (signal.error.isEmpty())
            setCode(signal, signal.wwwAuthenticate.value(QStringLiteral("error")));
        if (signal.description.isEmpty())
            signal.description = signal.wwwAuthenticate.value(QStringLiteral("error_description"));
        if (signal.errorUri.isEmpty())
            signal.errorUri = signal.wwwAuthenticate.value(QStringLiteral("error_uri"));
        return true;
    };

    if (body.trimmed().isEmpty()) {
        if (fromChallenge())
            signal.shape = ErrorSignal::Shape::WwwAuthenticate;
        else
            signal.shape =
                status >= 400 ? ErrorSignal::Shape::EmptyBody : ErrorSignal::Shape::Success;
        return signal;
    }

    QJsonParseError parseError{};
    const QJsonDocument json = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError) {
        if (!(json.isObject() && classifyJsonObject(signal, json.object(), contentType)))
            signal.shape = status >= 400 || !json.isObject() ? ErrorSignal::Shape::OtherJson
                                                             : ErrorSignal::Shape::Success;
        fromChallenge();
        return signal;
    }

    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(body.left(kHtmlScanBytes));
    if (utf8.hasError()) {
        signal.shape = ErrorSignal::Shape::NotUtf8;
        fromChallenge();
        return signal;
    }
    if (looksLikeHtml(body, contentType)) {
        classifyHtml(signal, body);
        fromChallenge();
        return signal;
    }
    // Some servers answer in form encoding unless asked for JSON: error=...&error_description=...
    if (contentType.startsWith("application/x-www-form-urlencoded") ||
        (body.size() < 8192 && body.startsWith("error="))) {
        const FormFields fields = FormEncoding::decode(body);
        if (FormEncoding::contains(fields, QStringLiteral("error"))) {
            signal.shape = ErrorSignal::Shape::OAuthJson;
            setCode(signal, FormEncoding::value(fields, QStringLiteral("error")));
            signal.description = FormEncoding::value(fields, QStringLiteral("error_description"));
            signal.errorUri = FormEncoding::value(fields, QStringLiteral("error_uri"));
            signal.extras.insert(QStringLiteral("encoding"), QStringLiteral("form"));
            return signal;
        }
    }
    signal.shape = ErrorSignal::Shape::PlainText;
    if (fromChallenge() && status >= 400)
        signal.shape = ErrorSignal::Shape::WwwAuthenticate;
    if (signal.description.isEmpty() && status >= 400)
        signal.description = text.left(300).simplified();
    return signal;
}

ErrorSignal classify(const HttpExchange &exchange)
{
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback && !exchange.request.url.isEmpty()) {
        const FormFields fields = CapturedRedirect::parametersOf(exchange);
        ErrorSignal signal;
        if (FormEncoding::contains(fields, QStringLiteral("error"))) {
            signal.shape = ErrorSignal::Shape::RedirectError;
            setCode(signal, FormEncoding::value(fields, QStringLiteral("error")));
            signal.description = FormEncoding::value(fields, QStringLiteral("error_description"));
            signal.errorUri = FormEncoding::value(fields, QStringLiteral("error_uri"));
            for (const auto &field : fields) {
                if (field.first != QLatin1String("error") &&
                    field.first != QLatin1String("error_description") &&
                    field.first != QLatin1String("error_uri"))
                    signal.extras.insert(field.first, field.second);
            }
        }
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
