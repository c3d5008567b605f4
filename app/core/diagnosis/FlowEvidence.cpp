#include "core/diagnosis/FlowEvidence.h"

#include "core/diagnosis/DpopEvidence.h"
#include "core/diagnosis/TokenRequestEvidence.h"

#include "core/client/Pkce.h"
#include "core/client/TokenRequest.h"
#include "core/jose/Jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>

namespace workbench::FlowEvidence {

namespace {
using Source = Diagnosis::Evidence::Source;
using Endpoint = DiagnosisContext::Endpoint;

void codeExchange(const DiagnosisContext &ctx, Findings &findings)
{
    const FormFields &sent = ctx.sentParameters;
    const FormFields &auth = ctx.authorizationRequest;
    if (ctx.codeAlreadyRedeemed)
        findings.confirm("code_reused", Source::Flow,
                         "This app sent the same code to the token endpoint earlier in this run.");
    if (!auth.isEmpty()) {
        const QString authorizeRedirect = FormEncoding::value(auth, "redirect_uri");
        const QString tokenRedirect = FormEncoding::value(sent, "redirect_uri");
        if (authorizeRedirect != tokenRedirect)
            findings.confirm("redirect_uri_differs", Source::Flow,
                             QStringLiteral("Authorization request: \"%1\"; token request: \"%2\".")
                                 .arg(authorizeRedirect, tokenRedirect));
        else
            findings.contradict("redirect_uri_differs", Source::Flow,
                                QStringLiteral("Both requests sent \"%1\".").arg(tokenRedirect));

        const QString challenge = FormEncoding::value(auth, "code_challenge");
        const QString method = FormEncoding::value(auth, "code_challenge_method");
        const QString verifier = FormEncoding::value(sent, "code_verifier");
        if (!challenge.isEmpty()) {
            findings.contradict("pkce_required", Source::Flow,
                                "The authorization request sent a code_challenge.");
            if (verifier.isEmpty()) {
                findings.confirm("pkce_verifier_missing", Source::Flow,
                                 "The authorization request sent a code_challenge; no "
                                 "code_verifier followed.");
            } else {
                findings.contradict("pkce_verifier_missing", Source::Flow,
                                    "The token request sent a code_verifier.");
                const auto pkceMethod =
                    method == QLatin1String("plain") ? Pkce::Method::Plain : Pkce::Method::S256;
                if (Pkce::challengeFor(verifier.toLatin1(), pkceMethod) != challenge.toLatin1())
                    findings.confirm(
                        "pkce_mismatch", Source::Flow,
                        QStringLiteral("%1(code_verifier) is not the code_challenge sent.")
                            .arg(method.isEmpty() ? QStringLiteral("plain") : method));
                else
                    findings.contradict("pkce_mismatch", Source::Flow,
                                        "The code_verifier matches the code_challenge.");
            }
        } else {
            findings.contradict("pkce_mismatch", Source::Flow,
                                "The authorization request sent no code_challenge.");
            if (!verifier.isEmpty())
                findings.confirm("pkce_unexpected_verifier", Source::Flow,
                                 "A code_verifier was sent for a flow that sent no "
                                 "code_challenge.");
            findings.support("pkce_required", Source::Flow,
                             "This run's authorization request sent no code_challenge.");
        }
    }
    if (ctx.codeReceivedAt.isValid() && ctx.requestedAt.isValid()) {
        const qint64 age = ctx.codeReceivedAt.secsTo(ctx.requestedAt);
        const QString said = QStringLiteral("The code was redeemed %1 s after it arrived").arg(age);
        if (age > 600)
            findings.confirm("code_expired", Source::Flow,
                             said + QStringLiteral(", longer than any usual lifetime (1 to 10 "
                                                   "minutes)."));
        else if (age > 60)
            findings.support("code_expired", Source::Flow,
                             said + QStringLiteral("; some servers keep codes only a minute."));
        else if (age >= 0)
            findings.contradict("code_expired", Source::Flow,
                                said + QStringLiteral(", well within usual lifetimes."), false);
    }
}

void missingParameter(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
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
        static const QStringList parameters{"code",     "scope",    "state",     "nonce",
                                            "audience", "resource", "assertion", "username",
                                            "password", "prompt",   "claims",    "request"};
        // "PKCE is required" names no parameter.
        if (!name.contains(QLatin1Char('_')) && !parameters.contains(name))
            continue;
        const FormFields &where =
            ctx.endpoint == Endpoint::Authorization ? ctx.authorizationRequest : ctx.sentParameters;
        const QString sentValue = FormEncoding::value(where, name);
        const bool known = ctx.requestKnown && !where.isEmpty();
        findings.confirm(
            "missing_parameter", Source::ServerWords,
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

QString variantsOf(const QUrl &redirect)
{
    QStringList variants;
    QUrl other = redirect;
    if (redirect.host() == QLatin1String("localhost"))
        other.setHost(QStringLiteral("127.0.0.1"));
    else if (redirect.host() == QLatin1String("127.0.0.1"))
        other.setHost(QStringLiteral("localhost"));
    if (other != redirect)
        variants << other.toString();
    if (redirect.port() > 0) {
        QUrl noPort = redirect;
        noPort.setPort(-1);
        variants << noPort.toString();
    }
    QUrl slash = redirect;
    slash.setPath(redirect.path().endsWith(QLatin1Char('/')) ? redirect.path().chopped(1)
                                                             : redirect.path() + QLatin1Char('/'));
    variants << slash.toString();
    QUrl scheme = redirect;
    scheme.setScheme(redirect.scheme() == QLatin1String("https") ? QStringLiteral("http")
                                                                 : QStringLiteral("https"));
    variants << scheme.toString();
    return variants.join(QStringLiteral(", "));
}

void redirectRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    const QString fromAuthorize = FormEncoding::value(ctx.authorizationRequest, "redirect_uri");
    const QUrl redirect(fromAuthorize.isEmpty()
                            ? FormEncoding::value(ctx.sentParameters, "redirect_uri")
                            : fromAuthorize);
    const QString words = signal.words();
    const bool atToken = ctx.endpoint == Endpoint::Token;
    const bool aboutRedirect = words.contains(QLatin1String("redirect"), Qt::CaseInsensitive) ||
                               words.contains(QLatin1String("reply url"), Qt::CaseInsensitive) ||
                               words.contains(QLatin1String("callback"), Qt::CaseInsensitive) ||
                               signal.error.contains(QLatin1String("redirect"));
    if (redirect.isValid() && !redirect.isEmpty()) {
        static const QRegularExpression loopbackWords(
            QStringLiteral("localhost|127\\.0\\.0\\.1|loopback|ip literal"),
            QRegularExpression::CaseInsensitiveOption);
        const QString sentOn = QStringLiteral("The redirect URI was %1.").arg(redirect.toString());
        if (redirect.host() == QLatin1String("localhost") && loopbackWords.match(words).hasMatch())
            findings.confirm("use_ip_literal", Source::Flow, sentOn);
        else if (redirect.host() == QLatin1String("localhost") && aboutRedirect && !atToken)
            findings.support("use_ip_literal", Source::Flow, sentOn);
        else if (redirect.host() != QLatin1String("localhost"))
            findings.contradict("use_ip_literal", Source::Flow,
                                QStringLiteral("The redirect URI's host is %1, not localhost.")
                                    .arg(redirect.host()));
        // Registration is checked at the authorization endpoint; the token endpoint compares
        // the redirect URI with the authorization request's.
        if (aboutRedirect && !atToken && redirect.port() > 0 && !redirect.host().isEmpty())
            findings.support("loopback_port", Source::Flow,
                             QStringLiteral("This run's redirect URI was %1: port %2 must be "
                                            "registered, unless the server ignores loopback "
                                            "ports.")
                                 .arg(redirect.toString())
                                 .arg(redirect.port()));
        findings.note("redirect_unregistered", Source::Flow,
                      QStringLiteral("The redirect URI sent was %1. Servers compare it "
                                     "exactly; variants that differ: %2.")
                          .arg(redirect.toString(), variantsOf(redirect)));
    }
    if (words.contains(QLatin1String("S256"), Qt::CaseInsensitive) &&
        !ctx.authorizationRequest.isEmpty()) {
        const QString method =
            FormEncoding::value(ctx.authorizationRequest, "code_challenge_method");
        if (method != QLatin1String("S256"))
            findings.confirm("pkce_method_plain", Source::Flow,
                             QStringLiteral("code_challenge_method was \"%1\".")
                                 .arg(method.isEmpty() ? QStringLiteral("(not sent)") : method));
        else
            findings.contradict("pkce_method_plain", Source::Flow,
                                "code_challenge_method was S256.");
    }
    const auto &metadata = ctx.hints.metadata;
    const QString method = FormEncoding::value(ctx.authorizationRequest, "code_challenge_method");
    if (metadata && !metadata->codeChallengeMethodsSupported.isEmpty() && !method.isEmpty() &&
        !metadata->codeChallengeMethodsSupported.contains(method))
        findings.confirm(
            "pkce_method_plain", Source::Discovery,
            QStringLiteral("The server's metadata lists PKCE methods %1, not %2.")
                .arg(metadata->codeChallengeMethodsSupported.join(QStringLiteral(", ")), method));
}

void scopeRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    QString requested = FormEncoding::value(ctx.sentParameters, "scope");
    if (requested.isEmpty())
        requested = FormEncoding::value(ctx.authorizationRequest, "scope");
    if (!requested.isEmpty()) {
        if (requested.contains(QLatin1Char(',')) || requested.contains(QLatin1Char('+')))
            findings.confirm(
                "scope_separator", Source::Flow,
                QStringLiteral("\"%1\" separates scopes with ',' or '+'.").arg(requested));
        else
            findings.contradict("scope_separator", Source::Flow,
                                "The scopes are separated by spaces.");
        findings.contradict("scope_empty", Source::Flow,
                            QStringLiteral("Scopes were sent: %1.").arg(requested));
        const auto &metadata = ctx.hints.metadata;
        if (metadata && !metadata->scopesSupported.isEmpty()) {
            QStringList unknown;
            for (const QString &scope :
                 requested.split(QRegularExpression(QStringLiteral("[ ,+]")), Qt::SkipEmptyParts)) {
                if (!metadata->scopesSupported.contains(scope))
                    unknown << scope;
            }
            if (!unknown.isEmpty())
                findings.confirm("scope_unknown", Source::Discovery,
                                 QStringLiteral("Not in the server's scopes_supported: %1.")
                                     .arg(unknown.join(QStringLiteral(", "))));
            else
                findings.contradict("scope_unknown", Source::Discovery,
                                    "Every scope requested is in the server's scopes_supported.",
                                    false);
        } else {
            findings.note("scope_unknown", Source::Flow,
                          QStringLiteral("Scopes requested: %1.").arg(requested));
        }
    }
    const QString wanted = signal.wwwAuthenticate.value(QStringLiteral("scope"));
    if (!wanted.isEmpty())
        findings.confirm(
            "scope_missing_on_token", Source::ServerWords,
            QStringLiteral("The resource asks for scope \"%1\"%2.")
                .arg(wanted,
                     ctx.grantedScope.isEmpty()
                         ? QString()
                         : QStringLiteral("; the token was granted \"%1\"").arg(ctx.grantedScope)));
}

void resourceRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    const QByteArray authorization = headerValue(ctx.sentHeaders, "Authorization");
    if (ctx.requestKnown) {
        if (authorization.isEmpty())
            findings.confirm("token_missing", Source::Flow,
                             "The request carried no Authorization header.");
        else
            findings.contradict("token_missing", Source::Flow,
                                QStringLiteral("An Authorization: %1 header was sent.")
                                    .arg(QString::fromLatin1(authorization.split(' ').first())));
    }
    if (ctx.tokenIssuedAt.isValid() && ctx.tokenExpiresIn >= 0 && ctx.requestedAt.isValid()) {
        const qint64 age = ctx.tokenIssuedAt.secsTo(ctx.requestedAt);
        if (age >= ctx.tokenExpiresIn)
            findings.confirm("token_expired", Source::Flow,
                             QStringLiteral("The token was %1 s old; it was issued for %2 s.")
                                 .arg(age)
                                 .arg(ctx.tokenExpiresIn));
        else
            findings.contradict("token_expired", Source::Flow,
                                QStringLiteral("The token was %1 s old of its %2 s lifetime.")
                                    .arg(age)
                                    .arg(ctx.tokenExpiresIn),
                                age < ctx.tokenExpiresIn - 60);
    }
    if (ctx.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0 &&
        authorization.startsWith("Bearer "))
        findings.confirm("dpop_bound_as_bearer", Source::Flow,
                         "The token response said token_type DPoP; this request sent it as "
                         "Bearer.");
    else if (!ctx.tokenType.isEmpty())
        findings.contradict("dpop_bound_as_bearer", Source::Flow,
                            QStringLiteral("The token's type is %1.").arg(ctx.tokenType));
    if (authorization.startsWith("Bearer ")) {
        const QByteArray token = authorization.mid(7).trimmed();
        static const QRegularExpression placeholder(
            QStringLiteral("\\{\\{|\\$\\{|\\{[A-Za-z_]+\\}|<[^>]*>|^(undefined|null|none|token|"
                           "access_token)$|\\s"),
            QRegularExpression::CaseInsensitiveOption);
        if (token.isEmpty() || placeholder.match(QString::fromLatin1(token)).hasMatch())
            findings.confirm(
                "token_malformed", Source::Flow,
                QStringLiteral("The token sent was \"%1\": a placeholder, not a token.")
                    .arg(QString::fromLatin1(token.left(40))));
        const auto jwt = token.count('.') == 2 ? Jwt::decode(token, nullptr) : std::nullopt;
        if (jwt && jwt->claims.contains(QLatin1String("nonce")) &&
            !jwt->claims.contains(QLatin1String("scope")) &&
            !jwt->claims.contains(QLatin1String("scp")))
            findings.confirm("token_wrong_kind", Source::Flow,
                             "The token sent has a nonce and no scope: it looks like an ID "
                             "token.");
    }
    if (!headerValue(ctx.sentHeaders, "DPoP").isEmpty() &&
        signal.wwwAuthenticateScheme.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0)
        findings.support("dpop_proof_invalid", Source::Flow, "A DPoP proof was sent.");
}

void historyRules(const DiagnosisContext &ctx, Findings &findings)
{
    const FormFields &last = ctx.hints.lastSuccessfulTokenRequest;
    if (last.isEmpty())
        return;
    const QString when = ctx.hints.lastSuccessAt.isValid()
                             ? ctx.hints.lastSuccessAt.toString(Qt::ISODate)
                             : QStringLiteral("an earlier run");
    struct Compared
    {
        const char *parameter;
        QStringList causes;
    };
    const Compared compared[] = {
        {"redirect_uri", {"redirect_unregistered", "redirect_uri_differs"}},
        {"client_id", {"wrong_credentials", "client_unknown"}},
        {"scope", {"scope_unknown", "scope_not_allowed"}},
    };
    for (const Compared &item : compared) {
        const QString name = QString::fromLatin1(item.parameter);
        const QString now = FormEncoding::value(ctx.sentParameters, name);
        const QString then = FormEncoding::value(last, name);
        if (then.isEmpty() || now.isEmpty())
            continue;
        for (const QString &cause : item.causes) {
            if (now != then)
                findings.support(cause, Source::History,
                                 QStringLiteral("The last successful run (%1) sent %2=\"%3\"; "
                                                "this one sent \"%4\".")
                                     .arg(when, name, then, now));
            else
                findings.contradict(cause, Source::History,
                                    QStringLiteral("The last successful run (%1) sent the same "
                                                   "%2.")
                                        .arg(when, name),
                                    false);
        }
    }
}
// What the answer's headers say beside its body.
void headerRules(const ErrorSignal &signal, Findings &findings)
{
    if (!signal.dpopNonce.isEmpty())
        findings.confirm("dpop_nonce_required", Source::ServerWords,
                         "The server sent a DPoP-Nonce header: the nonce it wants in the next "
                         "proof.");
    if (signal.retryAfterSeconds >= 0) {
        const QString wait = QStringLiteral("The server asked to wait %1 s (Retry-After).")
                                 .arg(signal.retryAfterSeconds);
        findings.support("rate_limited", Source::ServerWords, wait);
        findings.support("maintenance", Source::ServerWords, wait);
    }
}
} // namespace

QString authMethodOf(const DiagnosisContext &context)
{
    const QByteArray header = headerValue(context.sentHeaders, "Authorization");
    if (header.startsWith("Basic "))
        return QStringLiteral("client_secret_basic");
    if (FormEncoding::contains(context.sentParameters, "client_secret"))
        return QStringLiteral("client_secret_post");
    const QString assertion = FormEncoding::value(context.sentParameters, "client_assertion");
    if (!assertion.isEmpty()) {
        const auto jwt = Jwt::decode(assertion.toLatin1(), nullptr);
        const QString alg = jwt ? jwt->algorithm() : QString();
        return alg.startsWith(QLatin1String("HS")) ? QStringLiteral("client_secret_jwt")
                                                   : QStringLiteral("private_key_jwt");
    }
    return QStringLiteral("none");
}

// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2, §3): what the end-session
// request carried. Without id_token_hint (or client_id) a provider may sign out and stay on its
// own page; without a hint there is nothing to reject.
void endSessionRules(const DiagnosisContext &ctx, Findings &findings)
{
    const FormFields &sent = ctx.authorizationRequest;
    if (sent.isEmpty())
        return;
    const bool hint = FormEncoding::contains(sent, QStringLiteral("id_token_hint"));
    const bool clientId = FormEncoding::contains(sent, QStringLiteral("client_id"));
    if (!hint) {
        findings.support("logout_hint_missing", Source::Flow,
                         clientId ? QStringLiteral("The end-session request named the client by "
                                                   "client_id only, without an id_token_hint.")
                                  : QStringLiteral("The end-session request carried neither an "
                                                   "id_token_hint nor a client_id."));
        findings.contradict("id_token_hint_rejected", Source::Flow, "No id_token_hint was sent.");
    } else {
        findings.contradict("logout_hint_missing", Source::Flow, "An id_token_hint was sent.");
    }
    if (!FormEncoding::contains(sent, QStringLiteral("post_logout_redirect_uri")))
        findings.contradict("post_logout_uri_unregistered", Source::Flow,
                            "No post_logout_redirect_uri was sent.");
}

// Dynamic registration (RFC 7591 §3, RFC 7592 §3): which token the request carried, and what
// the redirect URIs it registered are.
void registrationRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    if (!ctx.requestKnown)
        return;
    const bool registering = ctx.method == "POST";
    const QByteArray authorization = headerValue(ctx.sentHeaders, "Authorization");
    const bool tokenRefused =
        signal.httpStatus == 401 || signal.error == QLatin1String("invalid_token");
    if (registering && authorization.isEmpty() && tokenRefused) {
        findings.confirm("initial_access_token_missing", Source::Flow,
                         "The registration request carried no Authorization header.");
        findings.contradict("initial_access_token_invalid", Source::Flow,
                            "No initial access token was sent.");
    } else if (registering && !authorization.isEmpty()) {
        findings.support("initial_access_token_invalid", Source::Flow,
                         "An initial access token was sent as Authorization: Bearer.");
        findings.contradict("initial_access_token_missing", Source::Flow,
                            "An Authorization header was sent.");
    }
    if (registering) {
        findings.contradict("registration_token_invalid", Source::Flow,
                            "A registration (POST) does not use a registration access token.");
    } else {
        findings.support("registration_token_invalid", Source::Flow,
                         QStringLiteral("A %1 of the client's registration authenticates with "
                                        "its registration access token.")
                             .arg(QString::fromLatin1(ctx.method)));
        findings.contradict("initial_access_token_missing", Source::Flow,
                            "Managing a registration does not use an initial access token.");
        findings.contradict("initial_access_token_invalid", Source::Flow,
                            "Managing a registration does not use an initial access token.");
    }
    const QStringList redirects = QJsonDocument::fromJson(ctx.rawBody)
                                      .object()
                                      .value(QLatin1String("redirect_uris"))
                                      .toVariant()
                                      .toStringList();
    for (const QString &redirect : redirects) {
        const QUrl uri(redirect);
        if (signal.error != QLatin1String("invalid_redirect_uri") &&
            signal.error != QLatin1String("invalid_client_metadata"))
            break;
        if (redirect.contains(QLatin1Char('#')))
            findings.confirm("redirect_invalid", Source::Flow,
                             QStringLiteral("The redirect URI %1 has a fragment (RFC 6749 "
                                            "§3.1.2).")
                                 .arg(redirect));
        else if (uri.isRelative() || !uri.isValid())
            findings.confirm("redirect_invalid", Source::Flow,
                             QStringLiteral("The redirect URI %1 is not absolute.").arg(redirect));
    }
}

// login_required, consent_required, interaction_required: the provider wanted to show the
// person a page. prompt=none on the request forbade it, which makes the cause that says so
// the likeliest.
void promptRules(const DiagnosisContext &ctx, const ErrorSignal &signal, Findings &findings)
{
    static const QStringList needsAPage{"login_required", "consent_required",
                                        "interaction_required", "account_selection_required"};
    const QString prompt = FormEncoding::value(ctx.authorizationRequest, "prompt");
    if (ctx.endpoint != Endpoint::Authorization || !needsAPage.contains(signal.error) ||
        !prompt.split(QLatin1Char(' ')).contains(QLatin1String("none")))
        return;
    findings.support(signal.error, Source::Flow,
                     QStringLiteral("The authorization request sent prompt=none: the provider "
                                    "may show the person no page at all."));
}

void gather(const DiagnosisContext &context, const ErrorSignal &signal, Findings &findings)
{
    const bool atToken = context.endpoint == Endpoint::Token;
    if (atToken && context.requestKnown) {
        if (context.grantType() == QLatin1String("authorization_code"))
            codeExchange(context, findings);
        clientAuthentication(context, signal, findings);
        grantAndFormat(context, signal, findings);
    }
    missingParameter(context, signal, findings);
    redirectRules(context, signal, findings);
    scopeRules(context, signal, findings);
    promptRules(context, signal, findings);
    if (context.endpoint == Endpoint::Resource)
        resourceRules(context, signal, findings);
    if (context.endpoint == Endpoint::Registration)
        registrationRules(context, signal, findings);
    if (context.endpoint == Endpoint::EndSession)
        endSessionRules(context, findings);
    historyRules(context, findings);
    headerRules(signal, findings);
    DpopEvidence::gather(context, signal, findings);
}

} // namespace workbench::FlowEvidence
