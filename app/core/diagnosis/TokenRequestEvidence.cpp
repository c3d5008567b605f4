#include "core/diagnosis/TokenRequestEvidence.h"

#include "core/client/TokenRequest.h"

#include <QRegularExpression>
#include <algorithm>

namespace workbench::FlowEvidence {

namespace {
using Source = Diagnosis::Evidence::Source;
using Endpoint = DiagnosisContext::Endpoint;

int editDistance(const QString &a, const QString &b)
{
    QList<int> previous(b.size() + 1);
    QList<int> current(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int substitute = previous[j - 1] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

const QStringList &standardGrantTypes()
{
    static const QStringList grants{"authorization_code",
                                    "refresh_token",
                                    "client_credentials",
                                    "password",
                                    "urn:ietf:params:oauth:grant-type:device_code",
                                    "urn:ietf:params:oauth:grant-type:jwt-bearer",
                                    "urn:ietf:params:oauth:grant-type:token-exchange",
                                    "urn:ietf:params:oauth:grant-type:saml2-bearer",
                                    "urn:openid:params:grant-type:ciba"};
    return grants;
}

// An Authorization: Basic header was sent: what it decodes to.
void basicHeaderRules(const DiagnosisContext &ctx, const QByteArray &header, bool bodySecret,
                      Findings &findings)
{
    const auto credentials = TokenRequest::parseBasicAuthorization(header);
    if (!credentials) {
        findings.confirm("basic_header_malformed", Source::Flow,
                         "The Authorization header does not decode to \"id:secret\".");
    } else {
        const QByteArray &id = credentials->id;
        const QByteArray &secret = credentials->secret;
        const QString decodedId = FormEncoding::decodeComponent(id);
        findings.contradict("basic_header_malformed", Source::Flow,
                            "The Authorization header decodes to \"id:secret\".");
        findings.note("wrong_credentials", Source::Flow,
                      QStringLiteral("The header decodes to client_id \"%1\" and a secret "
                                     "of %2 characters.")
                          .arg(decodedId)
                          .arg(FormEncoding::decodeComponent(secret).size()));
        static const QRegularExpression unencoded(QStringLiteral("[^A-Za-z0-9\\-._*%+]"));
        if (secret.contains(':') || QString::fromLatin1(secret).contains(unencoded) ||
            QString::fromLatin1(id).contains(unencoded))
            findings.confirm("basic_not_form_encoded", Source::Flow,
                             "The decoded credentials hold characters (such as ':' or "
                             "spaces) that form-encoding would have escaped.");
        else
            findings.contradict("basic_not_form_encoded", Source::Flow,
                                "The header's id and secret are form-encoded as they "
                                "should be.");
        const QString bodyId = FormEncoding::value(ctx.sentParameters, "client_id");
        if (!bodyId.isEmpty() && bodyId != decodedId)
            findings.confirm(
                "client_id_differs", Source::Flow,
                QStringLiteral("Header: \"%1\"; body: \"%2\".").arg(decodedId, bodyId));
    }
    findings.contradict("no_client_auth", Source::Flow, "An Authorization: Basic header was sent.");
    if (bodySecret)
        findings.confirm("multiple_auth_methods", Source::Flow,
                         "Both an Authorization header and client_secret were sent.");
}

// No Basic header: the credentials in the body, or none at all.
void bodyCredentialRules(const DiagnosisContext &ctx, const ErrorSignal &signal,
                         const QByteArray &header, Findings &findings)
{
    const bool bodySecret = FormEncoding::contains(ctx.sentParameters, "client_secret");
    const bool assertion = FormEncoding::contains(ctx.sentParameters, "client_assertion");
    const QString method = authMethodOf(ctx);
    const QString noBasic =
        QStringLiteral("No Authorization: Basic header was sent (the request used %1).")
            .arg(method);
    findings.contradict("basic_not_form_encoded", Source::Flow, noBasic);
    findings.contradict("basic_header_malformed", Source::Flow, noBasic);
    if (bodySecret) {
        findings.contradict("no_client_auth", Source::Flow, "client_secret was sent in the body.");
        findings.note("wrong_credentials", Source::Flow,
                      QStringLiteral("The body sent client_id \"%1\" and a client_secret of %2 "
                                     "characters.")
                          .arg(FormEncoding::value(ctx.sentParameters, "client_id"))
                          .arg(FormEncoding::value(ctx.sentParameters, "client_secret").size()));
    } else if (assertion) {
        findings.contradict("no_client_auth", Source::Flow,
                            "A client_assertion was sent in the body.");
        findings.note("assertion_invalid", Source::Flow,
                      QStringLiteral("The client authenticated with %1.").arg(method));
    } else if (ctx.endpoint == Endpoint::Token && header.isEmpty()) {
        const QString nothing =
            QStringLiteral("No Authorization header, client_secret or client_assertion was "
                           "sent");
        // Refused as a client with nothing sent: the server wanted credentials.
        if (signal.error == QLatin1String("invalid_client") ||
            signal.error == QLatin1String("unauthorized_client") || signal.httpStatus == 401) {
            findings.confirm("no_client_auth", Source::Flow, nothing + QLatin1Char('.'));
            findings.contradict("wrong_credentials", Source::Flow,
                                "No client secret was sent that could be wrong.");
        } else {
            findings.support("no_client_auth", Source::Flow,
                             nothing + QStringLiteral(" (right only for a public client)."));
        }
    }
}

// The grant_type sent, and the grant's own input (a code, a refresh token).
void grantRules(const DiagnosisContext &ctx, const QString &grant, Findings &findings)
{
    if (!grant.isEmpty() && !standardGrantTypes().contains(grant)) {
        QString closest;
        int best = 1000;
        for (const QString &candidate : standardGrantTypes()) {
            const int distance = editDistance(grant, candidate);
            if (distance < best) {
                best = distance;
                closest = candidate;
            }
        }
        // A near miss of a standard name is a typo; another name may be the provider's own
        // grant (Zoom's account_credentials), which only the grant errors speak about.
        if (best <= 3)
            findings.confirm(
                "grant_type_misspelled", Source::Flow,
                QStringLiteral("\"%1\" was sent; did you mean \"%2\"?").arg(grant, closest));
        else
            findings.support("grant_type_misspelled", Source::Flow,
                             QStringLiteral("\"%1\" is not a standard grant type: a typo, or a "
                                            "grant of the provider's own.")
                                 .arg(grant));
    } else if (!grant.isEmpty()) {
        findings.contradict("grant_type_misspelled", Source::Flow,
                            QStringLiteral("grant_type=%1 is the standard value.").arg(grant));
    }
    const bool hasCode = FormEncoding::contains(ctx.sentParameters, "code");
    const bool hasRefresh = FormEncoding::contains(ctx.sentParameters, "refresh_token");
    const bool codeGrant = grant == QLatin1String("authorization_code");
    const bool refreshGrant = grant == QLatin1String("refresh_token");
    if ((codeGrant && (!hasCode || hasRefresh)) || (refreshGrant && (!hasRefresh || hasCode)))
        findings.confirm("grant_input_mismatch", Source::Flow,
                         QStringLiteral("grant_type=%1 was sent with %2.")
                             .arg(grant, hasCode      ? QStringLiteral("a code")
                                         : hasRefresh ? QStringLiteral("a refresh_token")
                                                      : QStringLiteral("neither a code nor a "
                                                                       "refresh_token")));
    else if (codeGrant || refreshGrant)
        findings.contradict(
            "grant_input_mismatch", Source::Flow,
            QStringLiteral("grant_type=%1 was sent with its %2.")
                .arg(grant, codeGrant ? QStringLiteral("code") : QStringLiteral("refresh_token")));
}

// The method and the body's encoding.
void formatRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    if (ctx.method == "GET")
        findings.confirm("token_get", Source::Flow, "This request used GET.");
    else if (ctx.method == "POST")
        findings.contradict("token_get", Source::Flow, "This request used POST.");
    const bool jsonWanted = signal.httpStatus == 415 ||
                            signal.words().contains(QLatin1String("json"), Qt::CaseInsensitive);
    if (!ctx.sentAsJson && jsonWanted)
        findings.confirm("wants_json", Source::Flow, "The body was sent form-encoded.");
    static const QRegularExpression grantUnseen(
        QStringLiteral("grant.?type.{0,40}(missing|required|not specified|invalid)|missing.{0,30}"
                       "grant.?type|unsupported.?grant"),
        QRegularExpression::CaseInsensitiveOption);
    if (ctx.sentAsJson &&
        (signal.httpStatus == 415 || signal.error == QLatin1String("unsupported_grant_type") ||
         grantUnseen.match(signal.words()).hasMatch())) {
        findings.confirm("wants_form", Source::Flow,
                         "The body was sent as JSON; token endpoints read "
                         "application/x-www-form-urlencoded, so the server saw none of its "
                         "parameters.");
        for (const char *symptom : {"missing_parameter", "grant_not_supported",
                                    "grant_type_misspelled", "wrong_content_type"})
            findings.explains("wants_form", QString::fromLatin1(symptom));
    }
    const QByteArray body = ctx.rawBody.trimmed();
    if (!ctx.sentAsJson && (body.startsWith('{') || body.startsWith('[')) &&
        headerValue(ctx.sentHeaders, "Content-Type")
            .startsWith("application/x-www-form-urlencoded")) {
        findings.confirm("bad_encoding", Source::Flow,
                         "The body was declared form-encoded but is JSON-like text, so its "
                         "parameters cannot be read.");
        for (const char *symptom : {"missing_parameter", "grant_not_supported",
                                    "grant_type_misspelled", "wrong_content_type"})
            findings.explains("bad_encoding", QString::fromLatin1(symptom));
    } else if (!ctx.sentAsJson && headerValue(ctx.sentHeaders, "Content-Type")
                                      .startsWith("application/x-www-form-urlencoded"))
        findings.contradict("wants_form", Source::Flow,
                            "The body was sent form-encoded (application/x-www-form-urlencoded).");
}
} // namespace

void clientAuthentication(const DiagnosisContext &ctx, const ErrorSignal &signal,
                          Findings &findings)
{
    const QByteArray header = headerValue(ctx.sentHeaders, "Authorization");
    const bool bodySecret = FormEncoding::contains(ctx.sentParameters, "client_secret");
    const bool assertion = FormEncoding::contains(ctx.sentParameters, "client_assertion");
    const QString method = authMethodOf(ctx);
    if (header.startsWith("Basic "))
        basicHeaderRules(ctx, header, bodySecret, findings);
    else
        bodyCredentialRules(ctx, signal, header, findings);
    // The server speaks of an Authorization header that this request did not send: it wants
    // client_secret_basic.
    static const QRegularExpression headerWords(QStringLiteral("authori[sz]ation header"),
                                                QRegularExpression::CaseInsensitiveOption);
    if (header.isEmpty() && (bodySecret || assertion) &&
        headerWords.match(signal.words()).hasMatch()) {
        findings.confirm("wrong_auth_method", Source::Flow,
                         QStringLiteral("The server speaks of an Authorization header; this "
                                        "request sent its credentials in the body (%1).")
                             .arg(method));
        findings.explains("wrong_auth_method", QStringLiteral("basic_header_malformed"));
    }
    const auto &metadata = ctx.hints.metadata;
    if (metadata && !metadata->tokenEndpointAuthMethodsSupported.isEmpty()) {
        const QStringList &supported = metadata->tokenEndpointAuthMethodsSupported;
        if (!supported.contains(method))
            findings.confirm("wrong_auth_method", Source::Discovery,
                             QStringLiteral("This request used %1; the server's metadata lists "
                                            "only %2.")
                                 .arg(method, supported.join(QStringLiteral(", "))));
    }
}

void grantAndFormat(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    // A grant the person named says nothing about what the request carried.
    const QString grant = ctx.grantStated ? QString() : ctx.grantType();
    grantRules(ctx, grant, findings);
    formatRules(ctx, signal, findings);
    if (ctx.refreshTokenAlreadyRedeemed)
        findings.confirm("refresh_reused", Source::Flow,
                         "This refresh token was already redeemed earlier in this run.");
    const auto &metadata = ctx.hints.metadata;
    if (metadata && !metadata->grantTypesSupported.isEmpty() && !grant.isEmpty()) {
        if (!metadata->grantTypesSupported.contains(grant))
            findings.confirm(
                "grant_not_supported", Source::Discovery,
                QStringLiteral("The server's metadata lists grant types %1, not %2.")
                    .arg(metadata->grantTypesSupported.join(QStringLiteral(", ")), grant));
        else
            findings.contradict("grant_not_supported", Source::Discovery,
                                QStringLiteral("The server's metadata lists %1.").arg(grant));
    }
}

} // namespace workbench::FlowEvidence
