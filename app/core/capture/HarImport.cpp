#include "core/capture/HarImport.h"

#include "core/compare/StepRole.h"
#include "core/util/Clock.h"
#include "core/util/FormEncoding.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>

namespace workbench::HarImport {

namespace {

HttpHeaders headersOf(const QJsonArray &headers)
{
    HttpHeaders out;
    for (const QJsonValue &header : headers) {
        const QByteArray name =
            header.toObject().value(QLatin1String("name")).toString().toLatin1();
        if (name.isEmpty() || name.startsWith(':')) // HTTP/2 pseudo-headers
            continue;
        out.append({name, header.toObject().value(QLatin1String("value")).toString().toUtf8()});
    }
    return out;
}

QByteArray postBodyOf(const QJsonObject &postData)
{
    if (postData.contains(QLatin1String("text")))
        return postData.value(QLatin1String("text")).toString().toUtf8();
    // Some exporters give a form only as its fields.
    FormFields fields;
    for (const QJsonValue &param : postData.value(QLatin1String("params")).toArray())
        fields.append({param.toObject().value(QLatin1String("name")).toString(),
                       param.toObject().value(QLatin1String("value")).toString()});
    return FormEncoding::encode(fields);
}

HttpExchange exchangeOf(const QJsonObject &entry)
{
    const QJsonObject request = entry.value(QLatin1String("request")).toObject();
    const QJsonObject response = entry.value(QLatin1String("response")).toObject();
    HttpExchange exchange;
    exchange.request.method = request.value(QLatin1String("method")).toString("GET").toLatin1();
    exchange.request.url = QUrl(request.value(QLatin1String("url")).toString());
    exchange.request.headers = headersOf(request.value(QLatin1String("headers")).toArray());
    const QJsonObject postData = request.value(QLatin1String("postData")).toObject();
    if (!postData.isEmpty()) {
        exchange.request.body = postBodyOf(postData);
        const QString mime = postData.value(QLatin1String("mimeType")).toString();
        if (exchange.request.header("Content-Type").isEmpty() && !mime.isEmpty())
            exchange.request.headers.append({"Content-Type", mime.toUtf8()});
    }
    exchange.startedAt = QDateTime::fromString(
        entry.value(QLatin1String("startedDateTime")).toString(), Qt::ISODateWithMs);
    exchange.elapsedMs = qint64(entry.value(QLatin1String("time")).toDouble(-1));
    exchange.status = response.value(QLatin1String("status")).toInt();
    exchange.reasonPhrase = response.value(QLatin1String("statusText")).toString().toLatin1();
    exchange.responseHeaders = headersOf(response.value(QLatin1String("headers")).toArray());
    const QString redirect = response.value(QLatin1String("redirectURL")).toString();
    if (!redirect.isEmpty() && exchange.responseHeader("Location").isEmpty())
        exchange.responseHeaders.append({"Location", redirect.toUtf8()});
    const QJsonObject content = response.value(QLatin1String("content")).toObject();
    const QByteArray text = content.value(QLatin1String("text")).toString().toUtf8();
    exchange.responseBody =
        content.value(QLatin1String("encoding")).toString() == QLatin1String("base64")
            ? QByteArray::fromBase64(text)
            : text;
    if (exchange.status <= 0) {
        exchange.status = 0;
        const QString error = response.value(QLatin1String("_error")).toString();
        exchange.transport = HttpExchange::Transport::Other;
        exchange.networkError = error.isEmpty() ? QStringLiteral("no response recorded") : error;
    }
    exchange.label =
        QStringLiteral("%1 %2%3").arg(QString::fromLatin1(exchange.request.method),
                                      exchange.request.url.host(), exchange.request.url.path());
    return exchange;
}

bool kept(StepRole role)
{
    return role != StepRole::Other;
}

} // namespace

bool looksLikeHar(const QByteArray &bytes)
{
    const QByteArray start = bytes.left(4096).trimmed();
    if (!start.startsWith('{') || !start.contains("\"log\""))
        return false;
    return QJsonDocument::fromJson(bytes)
        .object()
        .value(QLatin1String("log"))
        .toObject()
        .value(QLatin1String("entries"))
        .isArray();
}

std::optional<CaptureImport> read(const QByteArray &bytes, QString *error)
{
    if (bytes.size() > CaptureImport::kMaxBytes) {
        *error = QStringLiteral("The capture is larger than %1 MB.")
                     .arg(CaptureImport::kMaxBytes / (1024 * 1024));
        return std::nullopt;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("Not a HAR file: the JSON is broken at byte %1 (%2).")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject log = document.object().value(QLatin1String("log")).toObject();
    if (!log.value(QLatin1String("entries")).isArray()) {
        *error = QStringLiteral("Not a HAR file: it has no log.entries.");
        return std::nullopt;
    }
    CaptureImport capture;
    const QJsonObject creator = log.value(QLatin1String("creator")).toObject();
    capture.creator = (creator.value(QLatin1String("name")).toString() + QLatin1Char(' ') +
                       creator.value(QLatin1String("version")).toString())
                          .trimmed();
    const QJsonArray entries = log.value(QLatin1String("entries")).toArray();
    capture.entries = int(entries.size());

    struct Found
    {
        HttpExchange exchange;
        int entry;
        bool bodyMissing;
    };
    QList<Found> found;
    bool anyCookie = false;
    bool anyAuthorization = false;
    bool bodiesMissing = false;
    QSet<QString> redirectUris; // of the authorization requests seen so far
    for (int i = 0; i < entries.size(); ++i) {
        HttpExchange exchange = exchangeOf(entries.at(i).toObject());
        anyCookie = anyCookie || !exchange.request.header("Cookie").isEmpty() ||
                    !exchange.responseHeader("Set-Cookie").isEmpty();
        anyAuthorization = anyAuthorization || !exchange.request.header("Authorization").isEmpty();
        StepRole role = StepRoles::of(exchange);
        if (role == StepRole::Authorization || role == StepRole::PushedAuthorization) {
            const FormFields sent =
                FormEncoding::decode(role == StepRole::Authorization
                                         ? exchange.request.url.query(QUrl::FullyEncoded).toLatin1()
                                         : exchange.request.body);
            redirectUris.insert(FormEncoding::value(sent, QStringLiteral("redirect_uri")));
        }
        // The browser back at a redirect URI the login named: the callback, state or not.
        if (role == StepRole::Other &&
            redirectUris.contains(
                exchange.request.url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString()))
            role = StepRole::Callback;
        if (!kept(role))
            continue;
        if (role == StepRole::Callback)
            exchange.kind = HttpExchange::Kind::LoopbackCallback;
        if ((role == StepRole::Token || role == StepRole::UserInfo) && exchange.status > 0 &&
            exchange.status != 204 && exchange.responseBody.isEmpty())
            bodiesMissing = true; // named once, in the notes
        const QJsonObject content = entries.at(i)
                                        .toObject()
                                        .value(QLatin1String("response"))
                                        .toObject()
                                        .value(QLatin1String("content"))
                                        .toObject();
        found.append({exchange, i, !content.contains(QLatin1String("text"))});
    }
    std::stable_sort(found.begin(), found.end(), [](const Found &a, const Found &b) {
        return a.exchange.startedAt < b.exchange.startedAt;
    });
    for (const Found &f : std::as_const(found)) {
        capture.run.exchanges << f.exchange;
        capture.entryOf << f.entry;
        capture.bodyMissing << f.bodyMissing;
    }
    // A sanitized export (Chromium's default) drops Cookie, Set-Cookie and Authorization.
    if (!anyCookie && !anyAuthorization)
        capture.notes << QStringLiteral(
            "The capture holds no cookie and no Authorization header, as a sanitized export "
            "leaves it: whether the browser sent the client's cookies back, and which tokens "
            "went to APIs, cannot be seen.");
    if (bodiesMissing)
        capture.notes << QStringLiteral(
            "Some token or UserInfo answers have no body in the capture (a browser records only "
            "the bodies a page read; an export may leave all out): what the server said there "
            "cannot be read, and those answers are not diagnosed.");

    RunRecord &run = capture.run;
    run.startedAt = run.exchanges.isEmpty() ? Clock::utcNow() : run.exchanges.first().startedAt;
    if (!run.startedAt.isValid())
        run.startedAt = Clock::utcNow();
    run.id = RunHistory::newId(run.startedAt);
    run.profile = QStringLiteral("Imported capture");
    run.grant = QStringLiteral("capture");
    return capture;
}

} // namespace workbench::HarImport
