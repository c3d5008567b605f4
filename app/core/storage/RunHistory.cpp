#include "core/storage/RunHistory.h"

#include "core/tokens/TokenFacts.h"
#include "core/util/Failure.h"

#include "core/export/Redaction.h"
#include "core/storage/PrivateFiles.h"
#include "core/util/SecureRandom.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QStringDecoder>
#include <algorithm>

namespace workbench {

namespace {
// Every string in `value` with these secrets replaced (a diagnosis may quote what was sent).
QJsonValue redactValue(const QJsonValue &value, const QList<QByteArray> &secrets)
{
    if (value.isString())
        return Redaction::redactText(value.toString(), secrets, Redaction::Style::Redacted);
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(redactValue(item, secrets));
        return array;
    }
    if (value.isObject()) {
        // Names from the knowledge base, never what was sent: a short secret ("secret",
        // "wrong") must not turn a cause id such as "wrong_credentials" into a marker.
        static const QSet<QString> names{"id",       "entry",  "related", "category",
                                         "severity", "status", "source",  "shape"};
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!names.contains(it.key()))
                it.value() = redactValue(it.value(), secrets);
        }
        return object;
    }
    return value;
}
QJsonObject redactStrings(const QJsonObject &object, const QList<QByteArray> &secrets)
{
    return redactValue(object, secrets).toObject();
}

const QLatin1String kSuffix(".jsonl");

QJsonArray headersToJson(const HttpHeaders &headers)
{
    QJsonArray out;
    for (const auto &header : headers)
        out.append(QJsonArray{QString::fromLatin1(header.first), QString::fromUtf8(header.second)});
    return out;
}

HttpHeaders headersFromJson(const QJsonValue &value)
{
    HttpHeaders out;
    for (const QJsonValue &pair : value.toArray()) {
        const QJsonArray items = pair.toArray();
        if (items.size() == 2)
            out.append({items.at(0).toString().toLatin1(), items.at(1).toString().toUtf8()});
    }
    return out;
}

// Bodies as text when they are UTF-8, else base64, so every byte comes back as it was.
void putBody(QJsonObject &object, const QString &name, const QByteArray &body)
{
    if (body.isEmpty())
        return;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(body);
    if (!utf8.hasError() && !text.contains(QChar(0)))
        object.insert(name, text);
    else
        object.insert(name + QLatin1String("_base64"), QString::fromLatin1(body.toBase64()));
}

QByteArray takeBody(const QJsonObject &object, const QString &name)
{
    if (object.contains(name + QLatin1String("_base64")))
        return QByteArray::fromBase64(
            object.value(name + QLatin1String("_base64")).toString().toLatin1());
    return object.value(name).toString().toUtf8();
}

QJsonObject summaryToJson(const RunRecord &run)
{
    return {{"format", "oauth-workbench-run/1"},
            {"id", run.id},
            {"started_at", run.startedAt.toUTC().toString(Qt::ISODateWithMs)},
            {"profile", run.profile},
            {"grant", run.grant},
            {"result", run.result},
            {"summary", run.summary},
            {"exchange_count", int(run.exchanges.size())}};
}

RunRecord summaryFromJson(const QJsonObject &json)
{
    RunRecord run;
    run.id = json.value(QLatin1String("id")).toString();
    run.startedAt = QDateTime::fromString(json.value(QLatin1String("started_at")).toString(),
                                          Qt::ISODateWithMs);
    run.profile = json.value(QLatin1String("profile")).toString();
    run.grant = json.value(QLatin1String("grant")).toString();
    run.result = json.value(QLatin1String("result")).toString();
    run.summary = json.value(QLatin1String("summary")).toString();
    return run;
}

bool validId(const QString &id)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9]{8}T[0-9]{9}-[A-Za-z0-9_-]{6,16}$"));
    return pattern.match(id).hasMatch();
}

} // namespace

RunHistory::RunHistory(QString directory) : m_directory(std::move(directory))
{
    if (m_directory.isEmpty())
        m_directory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                      QStringLiteral("/history");
}

QString RunHistory::newId(const QDateTime &startedAt)
{
    return startedAt.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz")) + QLatin1Char('-') +
           QString::fromLatin1(SecureRandom::urlSafeToken(6));
}

QString RunHistory::pathOf(const QString &id) const
{
    return m_directory + QLatin1Char('/') + id + kSuffix;
}

QJsonObject RunHistory::exchangeToJson(const HttpExchange &exchange)
{
    QJsonObject request{{"method", QString::fromLatin1(exchange.request.method)},
                        {"url", exchange.request.url.toString(QUrl::FullyEncoded)},
                        {"headers", headersToJson(exchange.request.headers)}};
    putBody(request, QStringLiteral("body"), exchange.request.body.left(kMaxBodyBytes));
    if (exchange.request.body.size() > kMaxBodyBytes)
        request.insert("body_cut_from", double(exchange.request.body.size()));
    QJsonObject out{{"kind", int(exchange.kind)},
                    {"label", exchange.label},
                    {"request", request},
                    {"started_at", exchange.startedAt.toUTC().toString(Qt::ISODateWithMs)},
                    {"elapsed_ms", double(exchange.elapsedMs)},
                    {"status", exchange.status},
                    {"reason", QString::fromLatin1(exchange.reasonPhrase)},
                    {"response_headers", headersToJson(exchange.responseHeaders)},
                    {"transport", int(exchange.transport)}};
    putBody(out, QStringLiteral("wire_request"), exchange.wireRequest.left(kMaxBodyBytes));
    putBody(out, QStringLiteral("response_body"), exchange.responseBody.left(kMaxBodyBytes));
    const bool cut = exchange.responseBody.size() > kMaxBodyBytes;
    if (exchange.responseBodyTruncated || cut)
        out.insert("response_body_truncated", true);
    if (cut)
        out.insert("response_body_cut_from", double(exchange.responseBody.size()));
    if (!exchange.networkError.isEmpty())
        out.insert("network_error", exchange.networkError);
    if (!exchange.tlsErrors.isEmpty())
        out.insert("tls_errors", QJsonArray::fromStringList(exchange.tlsErrors));
    return out;
}

HttpExchange RunHistory::exchangeFromJson(const QJsonObject &json)
{
    HttpExchange exchange;
    const int kind = json.value(QLatin1String("kind")).toInt();
    if (kind >= 0 && kind <= int(HttpExchange::Kind::LoopbackCallback))
        exchange.kind = HttpExchange::Kind(kind);
    exchange.label = json.value(QLatin1String("label")).toString();
    const QJsonObject request = json.value(QLatin1String("request")).toObject();
    exchange.request.method = request.value(QLatin1String("method")).toString().toLatin1();
    exchange.request.url = QUrl(request.value(QLatin1String("url")).toString(), QUrl::StrictMode);
    exchange.request.headers = headersFromJson(request.value(QLatin1String("headers")));
    exchange.request.body = takeBody(request, QStringLiteral("body"));
    exchange.wireRequest = takeBody(json, QStringLiteral("wire_request"));
    exchange.startedAt = QDateTime::fromString(json.value(QLatin1String("started_at")).toString(),
                                               Qt::ISODateWithMs);
    exchange.elapsedMs = qint64(json.value(QLatin1String("elapsed_ms")).toDouble(-1));
    exchange.status = json.value(QLatin1String("status")).toInt();
    exchange.reasonPhrase = json.value(QLatin1String("reason")).toString().toLatin1();
    exchange.responseHeaders = headersFromJson(json.value(QLatin1String("response_headers")));
    exchange.responseBody = takeBody(json, QStringLiteral("response_body"));
    exchange.responseBodyTruncated = json.value(QLatin1String("response_body_truncated")).toBool();
    const int transport = json.value(QLatin1String("transport")).toInt();
    if (transport >= 0 && transport <= int(HttpExchange::Transport::Other))
        exchange.transport = HttpExchange::Transport(transport);
    exchange.networkError = json.value(QLatin1String("network_error")).toString();
    for (const QJsonValue &error : json.value(QLatin1String("tls_errors")).toArray())
        exchange.tlsErrors << error.toString();
    return exchange;
}

bool RunHistory::save(const RunRecord &run, QString *error)
{
    if (!validId(run.id))
        return Failure::report(error, QStringLiteral("Not a run id: %1").arg(run.id));
    if (!PrivateFiles::makeFolder(m_directory))
        return Failure::report(
            error, QStringLiteral("The history folder %1 cannot be made.").arg(m_directory));
    // Redacted here, whatever the caller passed: the disk never sees a secret.
    QJsonArray exchanges;
    const QList<QByteArray> secrets =
        Redaction::inReplacementOrder(Redaction::secretsIn(run.exchanges));
    const QList<HttpExchange> redacted = Redaction::redact(run.exchanges);
    for (qsizetype i = 0; i < redacted.size(); ++i) {
        QJsonObject json = exchangeToJson(redacted.at(i));
        if (i < run.diagnoses.size() && run.diagnoses.at(i))
            json.insert(QStringLiteral("diagnosis"),
                        redactStrings(run.diagnoses.at(i)->toJson(), secrets));
        QJsonObject facts = run.tokenFacts.value(i);
        if (facts.isEmpty())
            facts = TokenFacts::of(run.exchanges.at(i));
        if (!facts.isEmpty())
            json.insert(QStringLiteral("token_facts"), redactStrings(facts, secrets));
        exchanges.append(json);
    }
    const QByteArray content = QJsonDocument(summaryToJson(run)).toJson(QJsonDocument::Compact) +
                               '\n' + QJsonDocument(exchanges).toJson(QJsonDocument::Compact) +
                               '\n';
    if (!PrivateFiles::write(pathOf(run.id), content, error))
        return false;
    forgetOldest();
    return true;
}

QList<RunRecord> RunHistory::list(QStringList *unreadable) const
{
    QList<RunRecord> runs;
    const QDir dir(m_directory);
    for (const QString &name : dir.entryList({QLatin1String("*") + kSuffix}, QDir::Files)) {
        QFile file(dir.filePath(name));
        QJsonParseError error{};
        QJsonDocument summary;
        if (file.open(QIODevice::ReadOnly))
            summary = QJsonDocument::fromJson(file.readLine(64 * 1024).trimmed(), &error);
        RunRecord run = summaryFromJson(summary.object());
        if (!file.isOpen() || error.error != QJsonParseError::NoError || run.id + kSuffix != name ||
            !run.startedAt.isValid()) {
            if (unreadable)
                *unreadable << name;
            continue;
        }
        runs << run;
    }
    std::sort(runs.begin(), runs.end(), [](const RunRecord &a, const RunRecord &b) {
        return a.startedAt != b.startedAt ? a.startedAt > b.startedAt : a.id > b.id;
    });
    return runs;
}

std::optional<RunRecord> RunHistory::lastSuccess(const QString &profile) const
{
    for (const RunRecord &run : list()) {
        if (run.profile == profile && run.result == QLatin1String("succeeded"))
            return load(run.id);
    }
    return std::nullopt;
}

std::optional<RunRecord> RunHistory::load(const QString &id, QString *error) const
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!validId(id))
        return fail(QStringLiteral("Not a run id: %1").arg(id));
    QFile file(pathOf(id));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("The run %1 cannot be read: %2").arg(id, file.errorString()));
    QJsonParseError parseError{};
    const QJsonDocument summary = QJsonDocument::fromJson(file.readLine(64 * 1024), &parseError);
    if (parseError.error != QJsonParseError::NoError || !summary.isObject())
        return fail(QStringLiteral("The run %1 is damaged (its first line is not JSON).").arg(id));
    const QJsonDocument exchanges = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !exchanges.isArray())
        return fail(QStringLiteral("The run %1 is damaged: %2").arg(id, parseError.errorString()));
    RunRecord run = summaryFromJson(summary.object());
    bool diagnosed = false;
    for (const QJsonValue &exchange : exchanges.array()) {
        run.exchanges << exchangeFromJson(exchange.toObject());
        const QJsonValue diagnosis = exchange.toObject().value(QStringLiteral("diagnosis"));
        run.diagnoses << (diagnosis.isObject() ? Diagnosis::fromJson(diagnosis.toObject())
                                               : std::nullopt);
        run.tokenFacts << exchange.toObject().value(QStringLiteral("token_facts")).toObject();
        diagnosed = diagnosed || diagnosis.isObject();
    }
    if (!diagnosed)
        run.diagnoses.clear(); // saved before diagnoses were kept: the viewer makes its own
    return run;
}

bool RunHistory::remove(const QString &id)
{
    return validId(id) && QFile::remove(pathOf(id));
}

void RunHistory::clear()
{
    const QDir dir(m_directory);
    for (const QString &name : dir.entryList({QLatin1String("*") + kSuffix}, QDir::Files))
        QFile::remove(dir.filePath(name));
}

void RunHistory::forgetOldest()
{
    // Ids start with the start time, so name order is age order.
    const QDir dir(m_directory);
    const QStringList names =
        dir.entryList({QLatin1String("*") + kSuffix}, QDir::Files, QDir::Name | QDir::Reversed);
    for (qsizetype i = kKeptRuns; i < names.size(); ++i)
        QFile::remove(dir.filePath(names.at(i)));
}

} // namespace workbench
