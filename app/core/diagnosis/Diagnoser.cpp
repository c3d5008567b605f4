#include "Diagnoser.h"

#include "flows/Pkce.h"
#include "flows/TokenRequest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>

namespace workbench {

namespace {

QString transportName(HttpExchange::Transport transport)
{
    switch (transport) {
    case HttpExchange::Transport::ConnectionRefused:
        return QStringLiteral("connection_refused");
    case HttpExchange::Transport::HostNotFound:
        return QStringLiteral("host_not_found");
    case HttpExchange::Transport::Timeout:
        return QStringLiteral("timeout");
    case HttpExchange::Transport::Tls:
        return QStringLiteral("tls");
    case HttpExchange::Transport::Other:
        return QStringLiteral("other");
    case HttpExchange::Transport::Ok:
        return {};
    }
    return {};
}

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
                                    "urn:ietf:params:oauth:grant-type:saml2-bearer"};
    return grants;
}

// Evidence gathered from the flow, keyed by the cause it supports (weight > 0) or weakens (< 0).
struct Finding
{
    QString causeId;
    QString evidence;
    int weight;
};

class Findings
{
public:
    void confirm(const QString &id, const QString &evidence)
    {
        m_list << Finding{id, evidence, 100};
    }
    void suggest(const QString &id, const QString &evidence)
    {
        m_list << Finding{id, evidence, 40};
    }
    void weaken(const QString &id, const QString &evidence)
    {
        m_list << Finding{id, evidence, -50};
    }
    const QList<Finding> &list() const { return m_list; }

private:
    QList<Finding> m_list;
};

void codeExchangeRules(const DiagnosisContext &ctx, Findings &findings)
{
    const FormFields &sent = ctx.sentParameters;
    const FormFields &auth = ctx.authorizationRequest;
    if (ctx.codeAlreadyRedeemed)
        findings.confirm("code_reused", "This app sent the same code to the token endpoint "
                                        "earlier in this session.");
    if (!auth.isEmpty()) {
        const QString authorizeRedirect = FormEncoding::value(auth, "redirect_uri");
        const QString tokenRedirect = FormEncoding::value(sent, "redirect_uri");
        if (authorizeRedirect != tokenRedirect)
            findings.confirm("redirect_uri_differs",
                             QStringLiteral("Authorization request: \"%1\"; token request: \"%2\".")
                                 .arg(authorizeRedirect, tokenRedirect));
        else
            findings.weaken("redirect_uri_differs",
                            QStringLiteral("Both requests sent \"%1\".").arg(tokenRedirect));

        const QString challenge = FormEncoding::value(auth, "code_challenge");
        const QString method = FormEncoding::value(auth, "code_challenge_method");
        const QString verifier = FormEncoding::value(sent, "code_verifier");
        if (!challenge.isEmpty() && verifier.isEmpty()) {
            findings.confirm("pkce_verifier_missing", "The authorization request sent a "
                                                      "code_challenge; no code_verifier followed.");
        } else if (challenge.isEmpty() && !verifier.isEmpty()) {
            findings.confirm("pkce_unexpected_verifier",
                             "A code_verifier was sent for a flow that sent no code_challenge.");
        } else if (!challenge.isEmpty()) {
            const auto pkceMethod =
                method == QLatin1String("plain") ? Pkce::Method::Plain : Pkce::Method::S256;
            if (Pkce::challengeFor(verifier.toLatin1(), pkceMethod) != challenge.toLatin1())
                findings.confirm("pkce_mismatch",
                                 QStringLiteral("%1(code_verifier) is not the code_challenge sent.")
                                     .arg(method.isEmpty() ? QStringLiteral("plain") : method));
            else
                findings.weaken("pkce_mismatch", "The code_verifier matches the code_challenge.");
        }
    }
    if (ctx.codeReceivedAt.isValid() && ctx.requestedAt.isValid()) {
        const qint64 age = ctx.codeReceivedAt.secsTo(ctx.requestedAt);
        if (age > 300)
            findings.confirm("code_expired",
                             QStringLiteral("The code was %1 s old when it was redeemed; lifetimes "
                                            "of 5 minutes (300 s) or 10 minutes are common.")
                                 .arg(age));
        else if (age >= 0 && age < 60)
            findings.weaken("code_expired",
                            QStringLiteral("The code was redeemed %1 s after it arrived, well "
                                           "within usual lifetimes.")
                                .arg(age));
    }
}

void clientAuthenticationRules(const DiagnosisContext &ctx, Findings &findings)
{
    const QByteArray header = headerValue(ctx.sentHeaders, "Authorization");
    const bool bodySecret = FormEncoding::contains(ctx.sentParameters, "client_secret");
    const bool assertion = FormEncoding::contains(ctx.sentParameters, "client_assertion");
    if (header.startsWith("Basic ")) {
        const auto credentials = TokenRequest::parseBasicAuthorization(header);
        if (!credentials) {
            findings.confirm("basic_header_malformed",
                             "The header does not decode to \"id:secret\".");
        } else {
            const QByteArray &id = credentials->id;
            const QByteArray &secret = credentials->secret;
            const QString decodedId = FormEncoding::decodeComponent(id);
            findings.suggest("wrong_credentials",
                             QStringLiteral("The header decodes to client_id \"%1\" and a secret "
                                            "of %2 characters.")
                                 .arg(decodedId)
                                 .arg(FormEncoding::decodeComponent(secret).size()));
            static const QRegularExpression unencoded(QStringLiteral("[^A-Za-z0-9\\-._*%+]"));
            if (secret.contains(':') || QString::fromLatin1(secret).contains(unencoded) ||
                QString::fromLatin1(id).contains(unencoded))
                findings.confirm("basic_not_form_encoded",
                                 "The decoded credentials hold characters (such as ':' or spaces) "
                                 "that form-encoding would have escaped.");
            else
                findings.weaken("basic_not_form_encoded",
                                "The header's id and secret are form-encoded as they should be.");
            findings.weaken("no_client_auth", "An Authorization header was sent.");
            const QString bodyId = FormEncoding::value(ctx.sentParameters, "client_id");
            if (!bodyId.isEmpty() && bodyId != decodedId)
                findings.confirm(
                    "client_id_differs",
                    QStringLiteral("Header: \"%1\"; body: \"%2\".").arg(decodedId, bodyId));
        }
        if (bodySecret)
            findings.confirm("multiple_auth_methods",
                             "Both an Authorization header and client_secret were sent.");
    } else if (!bodySecret && !assertion && ctx.endpoint == DiagnosisContext::Endpoint::Token &&
               header.isEmpty()) {
        findings.suggest("no_client_auth",
                         "No Authorization header, client_secret or client_assertion was sent "
                         "(right only for a public client).");
    }
}

void parameterRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    const QString grant = ctx.grantType();
    if (ctx.endpoint == DiagnosisContext::Endpoint::Token && ctx.requestKnown) {
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
            findings.confirm(
                "grant_type_misspelled",
                best <= 4
                    ? QStringLiteral("\"%1\" was sent; did you mean \"%2\"?").arg(grant, closest)
                    : QStringLiteral("\"%1\" is not a standard grant type.").arg(grant));
        }
        const bool hasCode = FormEncoding::contains(ctx.sentParameters, "code");
        const bool hasRefresh = FormEncoding::contains(ctx.sentParameters, "refresh_token");
        if ((grant == QLatin1String("authorization_code") && (!hasCode || hasRefresh)) ||
            (grant == QLatin1String("refresh_token") && (!hasRefresh || hasCode)))
            findings.confirm("grant_input_mismatch",
                             QStringLiteral("grant_type=%1 was sent with %2.")
                                 .arg(grant, hasCode      ? QStringLiteral("a code")
                                             : hasRefresh ? QStringLiteral("a refresh_token")
                                                          : QStringLiteral("neither a code "
                                                                           "nor a refresh_token")));
        if (ctx.method == "GET")
            findings.confirm("token_get", "This request used GET.");
        if (!ctx.sentAsJson &&
            (signal.httpStatus == 415 ||
             signal.description.contains(QLatin1String("json"), Qt::CaseInsensitive)))
            findings.confirm("wants_json", "The body was sent form-encoded.");
    }

    // "Missing parameter: \"code\" is required", "OAuth 2.0 Parameter: scope missing", ...
    static const QList<QRegularExpression> missing{
        QRegularExpression(QStringLiteral("missing (?:required )?parameter[:\\s]+\"?([a-z_]+)"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("parameter[:\\s]+\"?([a-z_]+)\"?\\s+(?:is\\s+)?missing"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("\"?([a-z_]+)\"? (?:is required|must not be empty)"),
                           QRegularExpression::CaseInsensitiveOption),
        QRegularExpression(QStringLiteral("(grant type|grant_type) was not specified"),
                           QRegularExpression::CaseInsensitiveOption)};
    for (const QRegularExpression &pattern : missing) {
        const auto match = pattern.match(signal.description);
        if (!match.hasMatch())
            continue;
        QString name = match.captured(1).toLower();
        name.replace(QLatin1Char(' '), QLatin1Char('_'));
        const FormFields &where = ctx.endpoint == DiagnosisContext::Endpoint::Authorization
                                      ? ctx.authorizationRequest
                                      : ctx.sentParameters;
        const QString sentValue = FormEncoding::value(where, name);
        const bool known = !where.isEmpty();
        findings.confirm(
            "missing_parameter",
            QStringLiteral("The server names \"%1\"%2.")
                .arg(name, !known ? QString()
                           : FormEncoding::contains(where, name)
                               ? (sentValue.isEmpty()
                                      ? QStringLiteral("; it was sent, but empty")
                                      : QStringLiteral("; it was sent as \"%1\"").arg(sentValue))
                               : QStringLiteral("; this request did not send it")));
        break;
    }
}

void redirectRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    const QUrl redirect(FormEncoding::value(ctx.authorizationRequest, "redirect_uri").isEmpty()
                            ? FormEncoding::value(ctx.sentParameters, "redirect_uri")
                            : FormEncoding::value(ctx.authorizationRequest, "redirect_uri"));
    const bool aboutRedirect =
        signal.description.contains(QLatin1String("redirect"), Qt::CaseInsensitive);
    if (redirect.host() == QLatin1String("localhost") &&
        (aboutRedirect || signal.description.contains(QLatin1String("localhost"))))
        findings.confirm("use_ip_literal",
                         QStringLiteral("The redirect URI was %1.").arg(redirect.toString()));
    if (aboutRedirect && redirect.port() > 0)
        findings.suggest("loopback_port",
                         QStringLiteral("This run's redirect URI was %1: port %2 must be "
                                        "registered, unless the server ignores loopback ports.")
                             .arg(redirect.toString())
                             .arg(redirect.port()));
    if (ctx.authorizationRequest.isEmpty() && !redirect.isValid())
        return;
    if (signal.description.contains(QLatin1String("S256"), Qt::CaseInsensitive)) {
        const QString method =
            FormEncoding::value(ctx.authorizationRequest, "code_challenge_method");
        if (method != QLatin1String("S256"))
            findings.confirm("pkce_method_plain",
                             QStringLiteral("code_challenge_method was \"%1\".")
                                 .arg(method.isEmpty() ? QStringLiteral("(not sent)") : method));
    }
}

void scopeRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    QString requested = FormEncoding::value(ctx.sentParameters, "scope");
    if (requested.isEmpty())
        requested = FormEncoding::value(ctx.authorizationRequest, "scope");
    if (!requested.isEmpty())
        findings.suggest("scope_unknown", QStringLiteral("Scopes requested: %1.").arg(requested));
    if (requested.contains(QLatin1Char(',')) || requested.contains(QLatin1Char('+')))
        findings.confirm("scope_separator",
                         QStringLiteral("\"%1\" separates scopes with ',' or '+'.").arg(requested));
    const QString wanted = signal.wwwAuthenticate.value(QStringLiteral("scope"));
    if (!wanted.isEmpty())
        findings.confirm("scope_missing_on_token",
                         QStringLiteral("The resource asks for scope \"%1\".").arg(wanted));
}

// Adds the causes, fixes and references of `entries` (in order, without repeats).
void mergeEntries(Diagnosis &diagnosis, const QList<const KnowledgeBase::Entry *> &entries,
                  const KnowledgeBase::Entry *primary)
{
    int order = -int(diagnosis.causes.size());
    for (const KnowledgeBase::Entry *entry : entries) {
        if (primary && entry != primary)
            diagnosis.relatedEntryIds << entry->id;
        for (const auto &cause : entry->causes) {
            const bool seen =
                std::any_of(diagnosis.causes.begin(), diagnosis.causes.end(),
                            [&](const Diagnosis::Cause &c) { return c.id == cause.id; });
            if (!seen)
                diagnosis.causes << Diagnosis::Cause{cause.id, cause.text, {}, false, order--};
        }
        for (const QString &fix : entry->fixes) {
            if (!diagnosis.fixes.contains(fix))
                diagnosis.fixes << fix;
        }
        for (const auto &reference : entry->references) {
            const bool seen = std::any_of(
                diagnosis.references.begin(), diagnosis.references.end(),
                [&](const KnowledgeBase::Reference &r) { return r.url == reference.url; });
            if (!seen)
                diagnosis.references << reference;
        }
    }
}

} // namespace

std::optional<Diagnosis> Diagnoser::diagnose(const HttpExchange &exchange,
                                             const DiagnosisContext &context) const
{
    const ErrorSignal signal = ResponseClassifier::classify(exchange);
    KnowledgeBase::Facts facts;
    facts.error = signal.error;
    facts.status = signal.httpStatus;
    facts.description = signal.description;
    facts.shape = ErrorSignal::shapeName(signal.shape);
    facts.endpoint = DiagnosisContext::endpointName(context.endpoint);
    facts.grant = context.grantType();
    facts.transport = transportName(signal.transport);

    // A successful status at the token endpoint must still carry an access token.
    bool noAccessToken = false;
    if (context.endpoint == DiagnosisContext::Endpoint::Token && signal.httpStatus >= 200 &&
        signal.httpStatus < 300 && !signal.isError()) {
        const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
        noAccessToken = !body.value(QLatin1String("access_token")).isString();
    }
    if (!signal.isError() && !noAccessToken)
        return std::nullopt;
    if (signal.httpStatus >= 200 && signal.httpStatus < 300 && !signal.error.isEmpty()) {
        // Errors hidden in a 2xx match like any other error of that code.
        facts.status = 400;
    }

    const QList<KnowledgeBase::Scored> matches = m_kb.matching(facts);
    Diagnosis diagnosis;
    diagnosis.signal = signal;
    diagnosis.code = signal.error;

    QList<const KnowledgeBase::Entry *> used;
    for (const auto &scored : matches) {
        if (used.size() == 3)
            break;
        // Once an entry about this error code matched, only entries about the same code add to
        // it; a bare status or shape entry would repeat generalities.
        if (!used.isEmpty() && !used.first()->match.errors.isEmpty() &&
            scored.entry->match.errors.isEmpty())
            continue;
        used << scored.entry;
    }
    // A code no entry knows gets its own headline; status entries then only add causes.
    const bool knownCode =
        !used.isEmpty() && (!used.first()->match.errors.isEmpty() ||
                            !used.first()->match.description.pattern().isEmpty());
    // ...unless the code came in a WWW-Authenticate challenge with nothing in the body: then the
    // entry on that shape leads, since where the server put its explanation is the lead.
    bool challengeLeads = false;
    if (!signal.error.isEmpty() && !knownCode &&
        signal.shape == ErrorSignal::Shape::WwwAuthenticate) {
        for (const auto &scored : matches) {
            if (scored.entry->match.shapes.contains(QStringLiteral("www_authenticate"))) {
                used.removeAll(scored.entry);
                used.prepend(scored.entry);
                used = used.mid(0, 3);
                challengeLeads = true;
                break;
            }
        }
    }
    if (challengeLeads) {
        diagnosis.causes << Diagnosis::Cause{
            QStringLiteral("provider_specific"),
            QStringLiteral("\"%1\" is not a standard code (RFC 6750 defines invalid_request, "
                           "invalid_token and insufficient_scope): it is the provider's own, and "
                           "its documentation explains it.")
                .arg(signal.error),
            {},
            false,
            -100};
    }
    if (used.isEmpty() || (!signal.error.isEmpty() && !knownCode && !challengeLeads)) {
        for (const KnowledgeBase::Entry *entry : std::as_const(used))
            diagnosis.relatedEntryIds << entry->id;
        diagnosis.entryId = QStringLiteral("unrecognized");
        diagnosis.category = QStringLiteral("unknown");
        diagnosis.severity = QStringLiteral("error");
        diagnosis.title = signal.error.isEmpty()
                              ? QStringLiteral("An error this app has no guidance for")
                              : QStringLiteral("Unrecognized error code \"%1\"").arg(signal.error);
        diagnosis.meaning = QStringLiteral("This is not a standard OAuth error code; the server's "
                                           "own words below are the best lead.");
        diagnosis.causes << Diagnosis::Cause{QStringLiteral("provider_specific"),
                                             QStringLiteral("A provider-specific error; the "
                                                            "provider's documentation explains "
                                                            "it."),
                                             {},
                                             false,
                                             1};
        diagnosis.fixes << QStringLiteral("Look the code up in the provider's documentation; "
                                          "error_uri, when sent, links to it.");
        mergeEntries(diagnosis, used, nullptr);
    } else {
        const KnowledgeBase::Entry &primary = *used.first();
        diagnosis.entryId = primary.id;
        diagnosis.category = primary.category;
        diagnosis.severity = primary.severity;
        diagnosis.title = primary.title;
        diagnosis.meaning = primary.meaning;
        diagnosis.source = primary.source;
        mergeEntries(diagnosis, used, &primary);
        if (diagnosis.code.isEmpty())
            diagnosis.code =
                signal.httpStatus > 0 ? QString::number(signal.httpStatus) : primary.id;
    }

    // Rank the causes with what this flow shows.
    Findings findings;
    if (context.endpoint == DiagnosisContext::Endpoint::Token) {
        if (context.grantType() == QLatin1String("authorization_code") &&
            (signal.error == QLatin1String("invalid_grant") ||
             signal.error == QLatin1String("invalid_request")))
            codeExchangeRules(context, findings);
        if (signal.error == QLatin1String("invalid_client") || signal.httpStatus == 401)
            clientAuthenticationRules(context, findings);
    }
    parameterRules(context, signal, findings);
    redirectRules(context, signal, findings);
    if (signal.error.contains(QLatin1String("scope")) || signal.httpStatus == 403)
        scopeRules(context, signal, findings);
    if (signal.httpStatus >= 200 && signal.httpStatus < 300 && signal.isError())
        findings.confirm("error_in_success_status",
                         QStringLiteral("HTTP %1 with an error in the body: check the body, not "
                                        "only the status.")
                             .arg(signal.httpStatus));

    for (const Finding &finding : findings.list()) {
        auto it = std::find_if(diagnosis.causes.begin(), diagnosis.causes.end(),
                               [&](const Diagnosis::Cause &c) { return c.id == finding.causeId; });
        if (it == diagnosis.causes.end()) {
            if (finding.weight < 0)
                continue;
            QString text = m_kb.contextCause(finding.causeId);
            if (text.isEmpty())
                continue;
            diagnosis.causes << Diagnosis::Cause{finding.causeId, text, {}, false, 0};
            it = diagnosis.causes.end() - 1;
        }
        it->weight += finding.weight;
        it->confirmed = it->confirmed || finding.weight >= 100;
        it->evidence = it->evidence.isEmpty() ? finding.evidence
                                              : it->evidence + QLatin1Char(' ') + finding.evidence;
    }
    std::stable_sort(
        diagnosis.causes.begin(), diagnosis.causes.end(),
        [](const Diagnosis::Cause &a, const Diagnosis::Cause &b) { return a.weight > b.weight; });

    // What the server itself said, for the person to read next to our words.
    if (!signal.error.isEmpty())
        diagnosis.notes << QStringLiteral("error: %1")
                               .arg(signal.rawError.isEmpty()
                                        ? signal.error
                                        : QStringLiteral("\"%1\"").arg(signal.rawError));
    if (!signal.humanTitle.isEmpty())
        diagnosis.notes << QStringLiteral("title: %1").arg(signal.humanTitle);
    if (!signal.description.isEmpty())
        diagnosis.notes << QStringLiteral("description: %1").arg(signal.description);
    if (!signal.errorUri.isEmpty())
        diagnosis.notes << QStringLiteral("error_uri: %1").arg(signal.errorUri);
    for (const char *key : {"trace_id", "correlation_id", "error_codes", "timestamp", "status"}) {
        const QString value = signal.extras.value(QString::fromLatin1(key));
        if (!value.isEmpty())
            diagnosis.notes << QStringLiteral("%1: %2").arg(QString::fromLatin1(key), value);
    }
    if (!signal.wwwAuthenticateScheme.isEmpty()) {
        QStringList params;
        for (auto it = signal.wwwAuthenticate.begin(); it != signal.wwwAuthenticate.end(); ++it)
            params << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
        diagnosis.notes << QStringLiteral("WWW-Authenticate: %1 %2")
                               .arg(signal.wwwAuthenticateScheme,
                                    params.join(QStringLiteral(", ")));
    }
    if (signal.retryAfterSeconds >= 0)
        diagnosis.notes << QStringLiteral("Retry-After: wait %1 s before the next attempt.")
                               .arg(signal.retryAfterSeconds);
    if (signal.error == QLatin1String("slow_down"))
        diagnosis.notes << QStringLiteral("Polling interval: add 5 s to it (RFC 8628 §3.5).");
    if (!signal.htmlTitle.isEmpty())
        diagnosis.notes << QStringLiteral("page title: %1").arg(signal.htmlTitle);
    if (signal.bodyTruncated)
        diagnosis.notes << QStringLiteral("The body was cut off at the size limit; the end of the "
                                          "response is not shown.");
    if (!signal.transportMessage.isEmpty())
        diagnosis.notes << QStringLiteral("network: %1").arg(signal.transportMessage);
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback)
        diagnosis.notes << QStringLiteral("Delivered on the redirect URI (front channel).");
    for (const QString &tlsError : exchange.tlsErrors)
        diagnosis.notes << QStringLiteral("TLS: %1").arg(tlsError);
    return diagnosis;
}

} // namespace workbench
