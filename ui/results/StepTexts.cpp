#include "ui/results/StepTexts.h"

#include "core/client/AuthorizationDetails.h"
#include "core/diagnosis/DiagnosisContext.h"
#include "core/export/Redaction.h"
#include "core/http/BodyFormatter.h"
#include "core/jose/Jwt.h"
#include "core/listener/CapturedRedirect.h"
#include "core/util/Clock.h"
#include "core/util/FormEncoding.h"
#include "ui/results/TokenView.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace workbench {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("workbench::ResultsPane", text);
}

// The tokens of a successful back-channel answer, explained; empty when there are none.
void prepareTokens(StepTexts &texts, const QList<HttpExchange> &run, int row,
                   const QHash<QString, QList<TokenCheck>> &idTokenChecks, const DecryptionKey &key)
{
    const HttpExchange &exchange = run.at(row);
    if (exchange.kind != HttpExchange::Kind::BackChannel || exchange.status < 200 ||
        exchange.status >= 300)
        return;
    const DiagnosisContext context = DiagnosisContext::fromRun(run, row);
    QString requested = FormEncoding::value(context.sentParameters, QStringLiteral("scope"));
    if (requested.isEmpty())
        requested = FormEncoding::value(context.authorizationRequest, QStringLiteral("scope"));
    // The device flow asks for its scope on the device authorization request, and a refresh
    // without scope asks for what was granted before (RFC 6749 §6): the scope sent earlier.
    for (int earlier = row - 1; requested.isEmpty() && earlier >= 0; --earlier) {
        const HttpExchange &before = run.at(earlier);
        if (before.kind == HttpExchange::Kind::BackChannel)
            requested = FormEncoding::value(FormEncoding::decode(before.request.body),
                                            QStringLiteral("scope"));
    }
    const bool publicClient =
        exchange.request.header("Authorization").isEmpty() &&
        !FormEncoding::contains(context.sentParameters, QStringLiteral("client_secret")) &&
        !FormEncoding::contains(context.sentParameters, QStringLiteral("client_assertion"));
    const QDateTime received =
        exchange.startedAt.isValid() ? exchange.receivedAt() : Clock::utcNow();
    const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
    texts.tokensHtml =
        TokenView::html(body, received, requested, publicClient,
                        idTokenChecks.value(body.value(QLatin1String("id_token")).toString()),
                        Clock::utcNow(), key);
    if (!texts.tokensHtml.isEmpty())
        texts.tokenBody = body;
}

// JARM: the callback's response JWT, decoded, with its checks once the flow has made them.
void prepareResponseJwt(StepTexts &texts, const HttpExchange &exchange,
                        const QHash<QString, QList<TokenCheck>> &checks, const DecryptionKey &key)
{
    if (exchange.kind != HttpExchange::Kind::LoopbackCallback || exchange.request.url.isEmpty())
        return;
    const auto jarm = CapturedRedirect::jwtResponse(CapturedRedirect::wireParametersOf(exchange));
    if (!jarm)
        return;
    const QString jwt = QString::fromLatin1(jarm->jwt);
    texts.tokensHtml =
        TokenView::authorizationResponseHtml(jwt, checks.value(jwt), Clock::utcNow(), key);
    texts.tokenBody = QJsonObject{{QStringLiteral("response"), jwt}}; // its header and claims
}

// RFC 9396: what the token response (or introspection) says was granted, against what the run
// asked for; before the tokens, or alone for an introspection.
void prepareGrantedDetails(StepTexts &texts, const QList<HttpExchange> &run, int row)
{
    const HttpExchange &exchange = run.at(row);
    if (exchange.kind != HttpExchange::Kind::BackChannel || exchange.status < 200 ||
        exchange.status >= 300)
        return;
    const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
    const QJsonValue granted = body.value(QLatin1String("authorization_details"));
    const bool grantAnswer = body.contains(QLatin1String("access_token")) ||
                             body.value(QLatin1String("active")).toBool();
    const QJsonArray asked = AuthorizationDetails::askedIn(run, row);
    const bool askedUnseen = AuthorizationDetails::askedOutOfSight(run, row);
    if (granted.isUndefined() && (asked.isEmpty() || !grantAnswer))
        return;
    const auto comparison = AuthorizationDetails::compare(asked, granted);
    QString html;
    if (askedUnseen)
        html = tr("<p>Authorization details granted (what was asked is inside the encrypted "
                  "request object, so they are not compared):</p>");
    else if (asked.isEmpty())
        html = tr("<p>Authorization details (none asked for) granted:</p>");
    else if (comparison.grantedAsAsked)
        html = tr("<p>Authorization details: granted as asked.</p>");
    else {
        html = tr("<p style=\"color:#9a6700\">Authorization details differ from what was asked:"
                  "</p><ul>");
        for (const QString &difference : comparison.differences)
            html += QStringLiteral("<li>%1</li>").arg(difference.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    if (granted.isArray())
        html +=
            QStringLiteral("<pre>%1</pre>")
                .arg(QString::fromUtf8(QJsonDocument(granted.toArray()).toJson()).toHtmlEscaped());
    texts.tokensHtml = html + texts.tokensHtml;
    if (texts.tokenBody.isEmpty())
        texts.tokenBody = body;
}

QString responseOf(const HttpExchange &exchange)
{
    QString response;
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation)
        response = tr("(The browser sent this request; its response went to the browser, not to "
                      "the app.)");
    else if (!exchange.hasResponse())
        response = tr("(No HTTP response: %1)").arg(exchange.networkError);
    else
        response = QString::fromUtf8(exchange.rawResponse());
    if (exchange.responseBodyTruncated)
        response += tr("\n\n[body cut off at %1 bytes]").arg(exchange.responseBody.size());
    for (const QString &tlsError : exchange.tlsErrors)
        response += tr("\n[TLS] %1").arg(tlsError);
    return response;
}

QString indented(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
}

// The DPoP proof a request carried, decoded: its header (with the public key) and its claims, as
// the server reads them; empty without one. Shown under the raw request, not copied with it.
QString proofSection(const HttpExchange &exchange)
{
    const QByteArray proof = exchange.request.header("DPoP");
    if (proof.isEmpty())
        return {};
    QString unreadable;
    const std::optional<DecodedJwt> decoded = Jwt::decode(proof, &unreadable);
    if (!decoded)
        return tr("\n\n--- DPoP proof: not a readable JWT (%1) ---").arg(unreadable);
    return tr("\n\n--- DPoP proof, decoded ---\nHeader: %1\nClaims: %2")
        .arg(indented(decoded->header), indented(decoded->claims));
}

// The signed request object the app encrypted to the server, decoded: what the server opens. The
// wire carries only the JWE; the compact form stays out (it is a credential, as "request" is).
QString sealedSection(const HttpExchange &exchange)
{
    if (exchange.sealedRequestObject.isEmpty())
        return {};
    QString unreadable;
    const std::optional<DecodedJwt> decoded =
        Jwt::decode(exchange.sealedRequestObject, &unreadable);
    if (!decoded)
        return tr("\n\n--- Request object inside the encryption: not a readable JWT (%1) ---")
            .arg(unreadable);
    return tr("\n\n--- Request object inside the encryption (only the server can open it), "
              "decoded ---\nHeader: %1\nClaims: %2")
        .arg(indented(decoded->header), indented(decoded->claims));
}

QString formattedOf(const HttpExchange &exchange)
{
    QString formatted;
    if (exchange.kind == HttpExchange::Kind::BrowserNavigation) {
        formatted = tr("Query parameters:\n");
        for (const auto &field : FormEncoding::queryOf(exchange.request.url))
            formatted += field.first + QStringLiteral(" = ") + field.second + QLatin1Char('\n');
    } else if (exchange.kind == HttpExchange::Kind::LoopbackCallback &&
               !exchange.request.url.isEmpty()) {
        formatted = tr("Parameters received:\n");
        for (const auto &field : CapturedRedirect::parametersOf(exchange))
            formatted += field.first + QStringLiteral(" = ") + field.second + QLatin1Char('\n');
    } else {
        // Large bodies are formatted on a worker thread (isLarge), so the limit can be generous.
        constexpr qsizetype kFormatLimit = 32 * 1024 * 1024;
        const auto body = BodyFormatter::format(
            exchange.responseBody, exchange.responseHeader("Content-Type"), kFormatLimit);
        formatted = body.kind == BodyFormatter::Kind::Empty ? tr("(empty body)") : body.text;
        if (body.cut)
            formatted += tr("\n[only the beginning is shown]");
    }
    return formatted;
}
} // namespace

StepTexts StepTexts::prepare(const QList<HttpExchange> &run, int row,
                             const QHash<QString, QList<TokenCheck>> &idTokenChecks,
                             const QList<QByteArray> *maskSecrets, const DecryptionKey &key)
{
    StepTexts texts;
    prepareTokens(texts, run, row, idTokenChecks, key);
    prepareResponseJwt(texts, run.at(row), idTokenChecks, key);
    prepareGrantedDetails(texts, run, row);
    if (maskSecrets && !texts.tokensHtml.isEmpty())
        texts.tokensHtml =
            Redaction::redactText(texts.tokensHtml, *maskSecrets, Redaction::Style::Masked);
    const HttpExchange exchange =
        maskSecrets ? Redaction::redactWith(run.at(row), *maskSecrets, Redaction::Style::Masked)
                    : run.at(row);
    // The proof and the request object are masked in the raw request (either could be replayed
    // while fresh); their decoded headers and claims hold no secret.
    texts.request = text(exchange, 0) + proofSection(run.at(row)) + sealedSection(run.at(row));
    texts.response = text(exchange, 1);
    // A callback's parameters may be read from a JWT (JARM) that masking turns into a marker:
    // read them from the step as it came, then mask the secrets among them.
    texts.formatted =
        maskSecrets && exchange.kind == HttpExchange::Kind::LoopbackCallback
            ? Redaction::redactText(text(run.at(row), 2), *maskSecrets, Redaction::Style::Masked)
            : text(exchange, 2);
    return texts;
}

QString StepTexts::text(const HttpExchange &exchange, int which)
{
    switch (which) {
    case 0:
        return QString::fromUtf8(exchange.rawRequest());
    case 1:
        return responseOf(exchange);
    default:
        return formattedOf(exchange);
    }
}

bool StepTexts::isLarge(const HttpExchange &exchange)
{
    constexpr qsizetype kLargeBytes = 256 * 1024;
    return exchange.responseBody.size() + exchange.request.body.size() +
               exchange.wireRequest.size() >
           kLargeBytes;
}

} // namespace workbench
