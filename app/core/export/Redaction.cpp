#include "core/export/Redaction.h"

#include "core/client/TokenRequest.h"
#include "core/listener/CapturedRedirect.h"
#include "core/util/FormEncoding.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <algorithm>

namespace workbench::Redaction {

namespace {
void collectJson(const QJsonValue &value, QSet<QByteArray> *secrets)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (secretNames().contains(it.key()) && it.value().isString())
                secrets->insert(it.value().toString().toUtf8());
            else
                collectJson(it.value(), secrets);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectJson(item, secrets);
    }
}

void collectForm(const FormFields &fields, QSet<QByteArray> *secrets)
{
    for (const auto &[name, value] : fields) {
        if (secretNames().contains(name) && !value.isEmpty())
            secrets->insert(value.toUtf8());
    }
}

void collectHeaders(const HttpHeaders &headers, QSet<QByteArray> *secrets)
{
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower();
        if (lower == "authorization" || lower == "proxy-authorization") {
            const qsizetype space = value.indexOf(' ');
            const QByteArray credentials = space < 0 ? value : value.mid(space + 1).trimmed();
            secrets->insert(credentials);
            // The secret half of a Basic id:secret, as sent and as the server reads it.
            const auto basic = TokenRequest::parseBasicAuthorization(value);
            if (basic && !basic->secret.isEmpty()) {
                secrets->insert(basic->secret);
                secrets->insert(FormEncoding::decodeComponent(basic->secret).toUtf8());
            }
        } else if (lower == "cookie" || lower == "set-cookie" || lower == "dpop") {
            secrets->insert(value);
        }
    }
}

// A secret with the other spellings it may have on the wire: form- or percent-encoded (bodies,
// query strings, raw requests). Worked out once per redaction, not once per field.
struct Spellings
{
    QByteArray value;
    QList<QByteArray> encoded;
};

QList<Spellings> spellingsOf(const QList<QByteArray> &secrets)
{
    QList<Spellings> out;
    out.reserve(secrets.size());
    for (const QByteArray &secret : secrets) {
        Spellings spellings{secret, {}};
        const QByteArray form = FormEncoding::encodeComponent(QString::fromUtf8(secret));
        if (form != secret)
            spellings.encoded << form;
        const QByteArray percent = QUrl::toPercentEncoding(QString::fromUtf8(secret));
        if (percent != secret && percent != form)
            spellings.encoded << percent;
        out << spellings;
    }
    return out;
}

QByteArray replaceAll(QByteArray text, const QList<Spellings> &secrets, Style style)
{
    for (const Spellings &secret : secrets) {
        QByteArray mark; // hashed only when the secret is there
        const auto replace = [&](const QByteArray &spelling) {
            if (!text.contains(spelling))
                return;
            if (mark.isEmpty())
                mark = marker(secret.value, style);
            text.replace(spelling, mark);
        };
        replace(secret.value);
        for (const QByteArray &spelling : secret.encoded)
            replace(spelling);
    }
    return text;
}
} // namespace

QByteArray marker(const QByteArray &secret, Style style)
{
    // Letters, a colon and hex digits: safe as is in URLs, headers, JSON and forms.
    return (style == Style::Redacted ? QByteArray("REDACTED:") : QByteArray("MASKED:")) +
           QCryptographicHash::hash(secret, QCryptographicHash::Sha256).left(4).toHex();
}

const QSet<QString> &secretNames()
{
    static const QSet<QString> names{
        "client_secret", "code",        "code_verifier", "refresh_token",    "access_token",
        "id_token",      "token",       "password",      "client_assertion", "assertion",
        "subject_token", "actor_token", "device_code",   "issued_token",     "logout_token",
        "request",       "private_key", "secret",        "id_token_hint",    "auth_req_id",
        "response"};
    return names;
}

QSet<QByteArray> secretsIn(const QList<HttpExchange> &exchanges, qsizetype maxParsedBody)
{
    const auto parsed = [maxParsedBody](const QByteArray &body) {
        return maxParsedBody < 0 || body.size() <= maxParsedBody ? body : QByteArray();
    };
    QSet<QByteArray> secrets;
    for (const HttpExchange &exchange : exchanges) {
        collectHeaders(exchange.request.headers, &secrets);
        collectHeaders(exchange.responseHeaders, &secrets);
        if (!exchange.sealedRequestObject.isEmpty()) // a request object, as "request" is
            secrets.insert(exchange.sealedRequestObject);
        collectForm(FormEncoding::queryOf(exchange.request.url), &secrets);
        collectForm(CapturedRedirect::parametersOf(exchange), &secrets);
        const QByteArray requestBody = parsed(exchange.request.body);
        const QJsonDocument requestJson = QJsonDocument::fromJson(requestBody);
        if (requestJson.isObject())
            collectJson(requestJson.object(), &secrets);
        else
            collectForm(FormEncoding::decode(requestBody), &secrets);
        const QByteArray responseBody = parsed(exchange.responseBody);
        const QJsonDocument responseJson = QJsonDocument::fromJson(responseBody);
        if (!responseJson.isNull())
            collectJson(responseJson.isObject() ? QJsonValue(responseJson.object())
                                                : QJsonValue(responseJson.array()),
                        &secrets);
        else
            collectForm(FormEncoding::decode(responseBody), &secrets);
    }
    // Very short values would blot out unrelated text; none of the secrets above is that short.
    for (auto it = secrets.begin(); it != secrets.end();) {
        if (it->size() < 4)
            it = secrets.erase(it);
        else
            ++it;
    }
    return secrets;
}

QList<QByteArray> inReplacementOrder(const QSet<QByteArray> &secrets)
{
    QList<QByteArray> ordered = secrets.values();
    std::sort(ordered.begin(), ordered.end(), [](const QByteArray &a, const QByteArray &b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    return ordered;
}

namespace {
HttpExchange replaced(HttpExchange exchange, const QList<Spellings> &secrets, Style style)
{
    exchange.request.url = QUrl::fromEncoded(
        replaceAll(exchange.request.url.toEncoded(), secrets, style), QUrl::TolerantMode);
    for (auto &header : exchange.request.headers)
        header.second = replaceAll(header.second, secrets, style);
    for (auto &header : exchange.responseHeaders)
        header.second = replaceAll(header.second, secrets, style);
    exchange.request.body = replaceAll(exchange.request.body, secrets, style);
    exchange.wireRequest = replaceAll(exchange.wireRequest, secrets, style);
    exchange.responseBody = replaceAll(exchange.responseBody, secrets, style);
    return exchange;
}
} // namespace

QList<HttpExchange> redact(const QList<HttpExchange> &exchanges, Style style)
{
    const QList<Spellings> secrets = spellingsOf(inReplacementOrder(secretsIn(exchanges)));
    QList<HttpExchange> result;
    for (const HttpExchange &exchange : exchanges)
        result << replaced(exchange, secrets, style);
    return result;
}

HttpExchange redactWith(const HttpExchange &exchange, const QList<QByteArray> &secrets, Style style)
{
    return replaced(exchange, spellingsOf(secrets), style);
}

QString redactText(const QString &text, const QList<QByteArray> &secrets, Style style)
{
    QString out = text;
    for (const QByteArray &secret : secrets)
        out.replace(QString::fromUtf8(secret), QString::fromLatin1(marker(secret, style)));
    return out;
}

HttpExchange redact(const HttpExchange &exchange)
{
    return redact(QList<HttpExchange>{exchange}).first();
}

} // namespace workbench::Redaction
