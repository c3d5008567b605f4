#include "core/client/AuthorizationDetails.h"

#include "core/jose/Jwt.h"
#include "core/util/FormEncoding.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace workbench::AuthorizationDetails {

namespace {
// The common fields that hold arrays of strings (RFC 9396 §2.2).
const char *const kStringArrays[] = {"locations", "actions", "datatypes", "privileges"};

QString text(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(
        QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
}
} // namespace

QStringList problems(const QString &json)
{
    if (json.trimmed().isEmpty())
        return {};
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return {QStringLiteral("authorization_details is not JSON: %1 (at character %2).")
                    .arg(error.errorString())
                    .arg(error.offset)};
    if (!document.isArray())
        return {QStringLiteral("authorization_details must be a JSON array of objects (RFC 9396 "
                               "§2), even for one object: [ {...} ].")};
    QStringList found;
    const QJsonArray details = document.array();
    if (details.isEmpty())
        found << QStringLiteral("authorization_details is an empty array: leave it empty instead.");
    for (qsizetype i = 0; i < details.size(); ++i) {
        if (!details.at(i).isObject()) {
            found << QStringLiteral("authorization_details[%1] is not an object.").arg(i);
            continue;
        }
        const QJsonObject detail = details.at(i).toObject();
        if (!detail.value(QLatin1String("type")).isString() ||
            detail.value(QLatin1String("type")).toString().isEmpty())
            found << QStringLiteral("authorization_details[%1] needs a \"type\" string (RFC 9396 "
                                    "§2).")
                         .arg(i);
        for (const char *field : kStringArrays) {
            const QJsonValue value = detail.value(QLatin1String(field));
            if (value.isUndefined())
                continue;
            bool ok = value.isArray();
            for (const QJsonValue &item : value.toArray())
                ok = ok && item.isString() && !item.toString().isEmpty();
            if (!ok)
                found << QStringLiteral("authorization_details[%1].%2 must be an array of "
                                        "non-empty strings (RFC 9396 §2.2).")
                             .arg(i)
                             .arg(QLatin1String(field));
        }
        const QJsonValue identifier = detail.value(QLatin1String("identifier"));
        if (!identifier.isUndefined() && !identifier.isString())
            found
                << QStringLiteral("authorization_details[%1].identifier must be a string.").arg(i);
    }
    return found;
}

QJsonArray parse(const QString &json)
{
    return QJsonDocument::fromJson(json.toUtf8()).array();
}

QString compact(const QString &json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8());
    return document.isArray()
               ? QString::fromUtf8(document.toJson(QJsonDocument::Compact))
               : json.trimmed(); // sent as typed, for testing how a server takes bad input
}

QList<Template> templates()
{
    return {
        {QStringLiteral("Payment initiation"),
         QStringLiteral(
             "[\n  {\n    \"type\": \"payment_initiation\",\n"
             "    \"actions\": [\"initiate\", \"status\", \"cancel\"],\n"
             "    \"locations\": [\"https://example.com/payments\"],\n"
             "    \"instructedAmount\": {\"currency\": \"EUR\", \"amount\": \"123.50\"},\n"
             "    \"creditorName\": \"Merchant A\",\n"
             "    \"creditorAccount\": {\"iban\": \"DE02100100109307118603\"},\n"
             "    \"remittanceInformationUnstructured\": \"Ref Number Merchant\"\n"
             "  }\n]")},
        {QStringLiteral("Account information"),
         QStringLiteral("[\n  {\n    \"type\": \"account_information\",\n"
                        "    \"actions\": [\"list_accounts\", \"read_balances\", "
                        "\"read_transactions\"],\n"
                        "    \"locations\": [\"https://example.com/accounts\"]\n  }\n]")},
        {QStringLiteral("Generic"),
         QStringLiteral("[\n  {\n    \"type\": \"my_api_access\",\n"
                        "    \"locations\": [\"https://api.example.com\"],\n"
                        "    \"actions\": [\"read\"],\n    \"datatypes\": [\"records\"],\n"
                        "    \"identifier\": \"record-42\",\n    \"privileges\": [\"owner\"]\n"
                        "  }\n]")},
    };
}

Comparison compare(const QJsonArray &asked, const QJsonValue &granted)
{
    Comparison result;
    if (!granted.isArray()) {
        if (!asked.isEmpty())
            result.differences << (granted.isUndefined()
                                       ? QStringLiteral(
                                             "The answer names no authorization_details: "
                                             "the server did not say what it granted.")
                                       : QStringLiteral("authorization_details in the answer is "
                                                        "not an array: %1")
                                             .arg(text(granted)));
        result.grantedAsAsked = asked.isEmpty() && granted.isUndefined();
        return result;
    }
    QJsonArray left = granted.toArray();
    for (const QJsonValue &value : asked) {
        const QJsonObject wanted = value.toObject();
        const QString type = wanted.value(QLatin1String("type")).toString();
        qsizetype match = -1;
        for (qsizetype i = 0; i < left.size() && match < 0; ++i) {
            if (left.at(i) == value)
                match = i;
        }
        if (match >= 0) {
            left.removeAt(match);
            continue;
        }
        for (qsizetype i = 0; i < left.size() && match < 0; ++i) {
            if (left.at(i).toObject().value(QLatin1String("type")).toString() == type)
                match = i;
        }
        if (match < 0) {
            result.differences << QStringLiteral("%1: not granted").arg(type);
            continue;
        }
        const QJsonObject got = left.takeAt(match).toObject();
        QStringList keys = wanted.keys();
        for (const QString &key : got.keys()) {
            if (!keys.contains(key))
                keys << key;
        }
        for (const QString &key : std::as_const(keys)) {
            const QJsonValue before = wanted.value(key);
            const QJsonValue after = got.value(key);
            if (before == after)
                continue;
            if (after.isUndefined())
                result.differences
                    << QStringLiteral("%1: %2 asked %3, not granted").arg(type, key, text(before));
            else if (before.isUndefined())
                result.differences << QStringLiteral("%1: %2 %3 granted without being asked")
                                          .arg(type, key, text(after));
            else
                result.differences << QStringLiteral("%1: %2 asked %3, granted %4")
                                          .arg(type, key, text(before), text(after));
        }
    }
    for (const QJsonValue &extra : std::as_const(left))
        result.differences << QStringLiteral("%1: granted without being asked (%2)")
                                  .arg(extra.toObject().value(QLatin1String("type")).toString(),
                                       text(extra));
    result.grantedAsAsked = result.differences.isEmpty();
    return result;
}

namespace {
// authorization_details among `fields`, or in the claims of the request object they carry.
std::optional<QJsonArray> detailsIn(const FormFields &fields)
{
    if (FormEncoding::contains(fields, QStringLiteral("authorization_details")))
        return parse(FormEncoding::value(fields, QStringLiteral("authorization_details")));
    const QString requestObject = FormEncoding::value(fields, QStringLiteral("request"));
    if (requestObject.isEmpty())
        return std::nullopt;
    const auto decoded = Jwt::decode(requestObject.toUtf8(), nullptr);
    if (!decoded || !decoded->claims.value(QLatin1String("authorization_details")).isArray())
        return std::nullopt;
    return decoded->claims.value(QLatin1String("authorization_details")).toArray();
}
} // namespace

namespace {
// The nearest request up to run[row] that says what was asked: its details, or none when its
// request object is encrypted to the server and the step does not hold what was sealed in it
// (a run from history: what it asked cannot be read here).
struct Asking
{
    std::optional<QJsonArray> details;
    bool encrypted = false;
};
Asking nearestAsking(const QList<HttpExchange> &run, qsizetype row)
{
    for (qsizetype i = qMin(row, run.size() - 1); i >= 0; --i) {
        const HttpExchange &exchange = run.at(i);
        for (const FormFields &fields : {FormEncoding::queryOf(exchange.request.url),
                                         exchange.kind == HttpExchange::Kind::BackChannel
                                             ? FormEncoding::decode(exchange.request.body)
                                             : FormFields{}}) {
            if (std::optional<QJsonArray> found = detailsIn(fields))
                return {found, false};
            if (Jwt::kindOf(FormEncoding::value(fields, QStringLiteral("request")).toUtf8()) !=
                Jwt::Kind::Jwe)
                continue;
            // Encrypted to the server: readable only when the app kept what it sealed.
            if (exchange.sealedRequestObject.isEmpty())
                return {std::nullopt, true};
            if (std::optional<QJsonArray> found =
                    detailsIn({{QStringLiteral("request"),
                                QString::fromLatin1(exchange.sealedRequestObject)}}))
                return {found, false};
        }
    }
    return {};
}
} // namespace

QJsonArray askedIn(const QList<HttpExchange> &run, qsizetype row)
{
    return nearestAsking(run, row).details.value_or(QJsonArray());
}

bool askedOutOfSight(const QList<HttpExchange> &run, qsizetype row)
{
    return nearestAsking(run, row).encrypted;
}

} // namespace workbench::AuthorizationDetails
