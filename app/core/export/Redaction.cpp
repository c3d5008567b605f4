#include "Redaction.h"

#include "flows/TokenRequest.h"
#include "listener/CapturedRedirect.h"
#include "util/FormEncoding.h"

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

QByteArray replaceAll(QByteArray text, const QList<QByteArray> &secrets,
                      Style style = Style::Redacted)
{
    for (const QByteArray &secret : secrets) {
        const QByteArray mark = marker(secret, style);
        text.replace(secret, mark);
        // The same value form- or percent-encoded (bodies, query strings, raw requests).
        const QByteArray encoded = FormEncoding::encodeComponent(QString::fromUtf8(secret));
        if (encoded != secret)
            text.replace(encoded, mark);
        const QByteArray percent = QUrl::toPercentEncoding(QString::fromUtf8(secret));
        if (percent != secret)
            text.replace(percent, mark);
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
        "request",       "private_key", "secret"};
    return names;
}

QSet<QByteArray> secretsIn(const QList<HttpExchange> &exchanges)
{
    QSet<QByteArray> secrets;
    for (const HttpExchange &exchange : exchanges) {
        collectHeaders(exchange.request.headers, &secrets);
        collectHeaders(exchange.responseHeaders, &secrets);
        collectForm(FormEncoding::decode(exchange.request.url.query(QUrl::FullyEncoded).toLatin1()),
                    &secrets);
        collectForm(CapturedRedirect::parametersOf(exchange), &secrets);
        const QJsonDocument requestJson = QJsonDocument::fromJson(exchange.request.body);
        if (requestJson.isObject())
            collectJson(requestJson.object(), &secrets);
        else
            collectForm(FormEncoding::decode(exchange.request.body), &secrets);
        const QJsonDocument responseJson = QJsonDocument::fromJson(exchange.responseBody);
        if (!responseJson.isNull())
            collectJson(responseJson.isObject() ? QJsonValue(responseJson.object())
                                                : QJsonValue(responseJson.array()),
                        &secrets);
        else
            collectForm(FormEncoding::decode(exchange.responseBody), &secrets);
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

namespace {
// Longest first, so a secret that contains another is replaced whole.
QList<QByteArray> sortedSecrets(const QList<HttpExchange> &exchanges)
{
    QList<QByteArray> secrets = secretsIn(exchanges).values();
    std::sort(secrets.begin(), secrets.end(),
              [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    return secrets;
}

HttpExchange replaced(HttpExchange exchange, const QList<QByteArray> &secrets, Style style)
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
    const QList<QByteArray> secrets = sortedSecrets(exchanges);
    QList<HttpExchange> result;
    for (const HttpExchange &exchange : exchanges)
        result << replaced(exchange, secrets, style);
    return result;
}

HttpExchange redactOne(const QList<HttpExchange> &run, qsizetype index, Style style)
{
    return replaced(run.at(index), sortedSecrets(run), style);
}

QString redactText(const QString &text, const QList<HttpExchange> &run, Style style)
{
    QString out = text;
    for (const QByteArray &secret : sortedSecrets(run))
        out.replace(QString::fromUtf8(secret), QString::fromLatin1(marker(secret, style)));
    return out;
}

HttpExchange redact(const HttpExchange &exchange)
{
    return redact(QList<HttpExchange>{exchange}).first();
}

} // namespace workbench::Redaction
