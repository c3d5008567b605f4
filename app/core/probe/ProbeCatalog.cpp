#include "core/probe/ProbeCatalog.h"

#include <QJsonArray>

namespace workbench {

namespace {
ProbeDefinition probe(const char *id, const char *title, const char *sends, const char *mustDo,
                      const char *reference, int signIns, int maxRequests)
{
    return {QString::fromLatin1(id),
            QString::fromUtf8(title),
            QString::fromUtf8(sends),
            QString::fromUtf8(mustDo),
            QString::fromUtf8(reference),
            signIns,
            maxRequests};
}

QString costOf(int requests, int signIns)
{
    QString text =
        requests == 1 ? QStringLiteral("1 request") : QStringLiteral("%1 requests").arg(requests);
    if (signIns > 0)
        text += signIns == 1 ? QStringLiteral(" and 1 sign-in")
                             : QStringLiteral(" and %1 sign-ins").arg(signIns);
    return text;
}

bool isLoopbackIpLiteral(const QUrl &url)
{
    return url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("::1");
}
} // namespace

const QList<ProbeDefinition> &ProbeCatalog::all()
{
    static const QList<ProbeDefinition> probes{
        probe("code_reuse", "Authorization code redeemed twice",
              "Signs in once, redeems the code, then sends the same token request again; if "
              "the second is refused, asks whether the first access token still works "
              "(introspection, else UserInfo).",
              "Refuse the second redemption, and should revoke the tokens issued for the code.",
              "RFC 6749 §4.1.2 and §10.5; RFC 9700 §4.5", 1, 4),
        probe("iss_parameter", "iss on the authorization response",
              "Reads the redirect of the first sign-in of this probe run (one of its own if no "
              "other probe signed in).",
              "Put its issuer identifier in the authorization response as iss, so a client "
              "talking to several servers can tell a mix-up.",
              "RFC 9207 §2; RFC 9700 §4.4.2", 1, 0),
        probe("token_redirect_uri", "Token request with another redirect_uri",
              "Signs in, then redeems the code with a redirect_uri that differs from the "
              "authorization request's (another path), then with the right one as a control.",
              "Refuse a token request whose redirect_uri is not the one the code was issued for.",
              "RFC 6749 §4.1.3", 1, 2),
        probe("verifier_missing", "Token request without code_verifier",
              "Signs in with a PKCE challenge (S256), redeems the code without code_verifier, "
              "then with it as a control.",
              "Refuse the code when the challenge was sent and no verifier comes.",
              "RFC 7636 §4.6; RFC 9700 §2.1.1", 1, 2),
        probe("verifier_wrong", "Token request with a wrong code_verifier",
              "Signs in with a PKCE challenge (S256), redeems the code with another verifier, "
              "then with the right one as a control.",
              "Refuse a verifier whose S256 hash is not the challenge.", "RFC 7636 §4.6", 1, 2),
        probe("pkce_absent_public", "Public client without PKCE",
              "Asks for a code with no code_challenge (first without a browser, to see whether "
              "the server refuses at once); if it goes on to its login, signs in and redeems "
              "the code without a verifier.",
              "Refuse public clients that do not use PKCE.", "RFC 9700 §2.1.1; RFC 8252 §8.1", 1,
              2),
        probe("pkce_plain", "plain PKCE method",
              "Asks for a code with code_challenge_method=plain (first without a browser); if "
              "the server goes on to its login, signs in and redeems the code with the plain "
              "verifier.",
              "Accept only S256: with plain, the challenge is the verifier, seen by whoever sees "
              "the authorization request.",
              "RFC 7636 §4.2 and §7.2; RFC 9700 §2.1.1", 1, 2),
        probe("redirect_other_path", "Redirect URI with another path",
              "Asks for a code with the registered redirect URI's path changed (first without a "
              "browser); if the server goes on to its login, signs in and watches where the "
              "browser is sent.",
              "Compare redirect URIs exactly (only a loopback port may vary) and not redirect "
              "to one that differs.",
              "RFC 9700 §4.1.3 and §2.1; RFC 6749 §3.1.2.3", 1, 1),
        probe("redirect_localhost", "localhost for 127.0.0.1",
              "Asks for a code with http://localhost:PORT/... where 127.0.0.1 is registered "
              "(first without a browser); if the server goes on, signs in.",
              "Treat localhost as another redirect URI: loopback redirect URIs use the IP "
              "literal, and only the port may vary.",
              "RFC 8252 §7.3 and §8.3; RFC 9700 §4.1.3", 1, 1),
        probe("redirect_extra_query", "Redirect URI with an extra query parameter",
              "Asks for a code with ?probe=1 added to the registered redirect URI (first without "
              "a browser); if the server goes on, signs in.",
              "Compare the redirect URI exactly, query included.",
              "RFC 9700 §4.1.3; RFC 6749 §3.1.2", 1, 1),
        probe("open_redirect", "Redirect for an unknown client",
              "Sends an authorization request for a client_id no one registered, with this "
              "app's redirect URI, without a browser, and looks at where the server sends it.",
              "Show its own error page: never send the browser to a redirect URI it could not "
              "check against a registered client.",
              "RFC 6749 §4.1.2.1; RFC 9700 §4.11.2", 0, 1),
        probe("request_object_none", "Unsigned request object (alg none)",
              "Sends the authorization request as a request object signed with alg none, the "
              "state inside it only (first without a browser); if the server goes on, signs in "
              "and looks whose state comes back.",
              "Refuse unsigned request objects (request_not_supported, or "
              "invalid_request_object); never act on their parameters.",
              "RFC 9101 §6.1 and §10.2; OpenID Connect Core §6.1", 1, 1),
        probe("refresh_reuse", "Rotated refresh token used again",
              "Signs in, redeems the code, refreshes the tokens, then refreshes with the first "
              "refresh token again, and tries the newest one after that.",
              "Refuse a refresh token that was rotated away, and revoke the grant it belongs to; "
              "public clients' refresh tokens must rotate or be sender-constrained.",
              "RFC 9700 §4.14.2; RFC 6749 §10.4", 1, 4),
        probe("code_expired", "Expired authorization code",
              "Signs in, keeps the code unused for the wait shown, then redeems it.",
              "Refuse codes older than their short lifetime (10 minutes at most is "
              "recommended).",
              "RFC 6749 §4.1.2 and §10.5", 1, 1)};
    return probes;
}

const ProbeDefinition *ProbeCatalog::find(const QString &id)
{
    for (const ProbeDefinition &probe : all()) {
        if (probe.id == id)
            return &probe;
    }
    return nullptr;
}

QString ProbeCatalog::notApplicable(const ProbeDefinition &probe, const ClientConfig &config)
{
    if (probe.id == QLatin1String("pkce_absent_public") &&
        config.authMethod != ClientAuthMethod::None)
        return QStringLiteral("the client authenticates itself (%1); this probe is about "
                              "public clients")
            .arg(clientAuthMethodName(config.authMethod));
    // A server that requires PAR refuses a plain authorization request whatever it holds: the
    // refusal would read as a pass.
    static const QStringList frontChannel{
        "pkce_absent_public",   "pkce_plain",    "redirect_other_path", "redirect_localhost",
        "redirect_extra_query", "open_redirect", "request_object_none"};
    if (config.usePar && frontChannel.contains(probe.id))
        return QStringLiteral("the client pushes its authorization requests (PAR); this probe "
                              "sends a plain one, which a server that requires PAR refuses "
                              "whatever it holds");
    if (probe.id == QLatin1String("redirect_localhost") && !isLoopbackIpLiteral(config.redirectUri))
        return QStringLiteral("the redirect URI does not use 127.0.0.1 or [::1]");
    return {};
}

QStringList ProbeCatalog::missingSettings(const ClientConfig &config)
{
    QStringList missing;
    if (!config.authorizationEndpoint.isValid() || config.authorizationEndpoint.isEmpty())
        missing << QStringLiteral("the authorization endpoint");
    if (!config.tokenEndpoint.isValid() || config.tokenEndpoint.isEmpty())
        missing << QStringLiteral("the token endpoint");
    if (config.clientId.trimmed().isEmpty())
        missing << QStringLiteral("the client ID");
    return missing;
}

ProbePlan ProbePlan::make(const QStringList &ids, const ClientConfig &config, int codeWaitSeconds)
{
    ProbePlan plan;
    plan.codeWaitSeconds = codeWaitSeconds;
    plan.dpopRetries = config.useDpop;
    for (const QString &id : ids) {
        if (!ProbeCatalog::find(id))
            plan.unknownIds << id;
    }
    for (const ProbeDefinition &probe : ProbeCatalog::all()) {
        if (!ids.isEmpty() && !ids.contains(probe.id))
            continue;
        if (const QString why = ProbeCatalog::notApplicable(probe, config); !why.isEmpty())
            plan.skipped.append({probe, why});
        else
            plan.probes << probe;
    }
    return plan;
}

int ProbePlan::maxRequests() const
{
    int total = 0;
    for (const ProbeDefinition &probe : probes)
        total += probe.maxRequests;
    return dpopRetries ? 2 * total : total;
}

int ProbePlan::maxSignIns() const
{
    int total = 0;
    for (const ProbeDefinition &probe : probes)
        total += probe.signIns;
    return total;
}

bool ProbePlan::waitsForCodeExpiry() const
{
    for (const ProbeDefinition &probe : probes) {
        if (probe.id == QLatin1String("code_expired"))
            return true;
    }
    return false;
}

QString ProbePlan::toText(const ClientConfig &config) const
{
    QString text =
        QStringLiteral("Probing the authorization server at %1 with client %2.\n")
            .arg(config.authorizationEndpoint.toString(QUrl::RemoveQuery), config.clientId);
    text += QStringLiteral("%1 probes, at most %2 requests to the server and %3 browser "
                           "sign-ins (one after another)")
                .arg(probes.size())
                .arg(maxRequests())
                .arg(maxSignIns());
    if (waitsForCodeExpiry())
        text += QStringLiteral("; the expired-code probe keeps its code %1 s").arg(codeWaitSeconds);
    if (dpopRetries)
        text += QStringLiteral("; with DPoP, a request may go twice (the server's nonce)");
    text += QStringLiteral(".\n\n");
    for (int i = 0; i < probes.size(); ++i) {
        const ProbeDefinition &probe = probes.at(i);
        text += QStringLiteral("%1. %2 [%3]\n   Sends: %4\n   A server must: %5\n   (%6; at "
                               "most %7)\n")
                    .arg(i + 1)
                    .arg(probe.title, probe.id, probe.sends, probe.mustDo, probe.reference,
                         costOf(probe.maxRequests, probe.signIns));
    }
    for (const auto &[probe, why] : skipped)
        text += QStringLiteral("Not applicable: %1 [%2]: %3\n").arg(probe.title, probe.id, why);
    for (const QString &id : unknownIds)
        text += QStringLiteral("Unknown probe: %1\n").arg(id);
    return text;
}

QJsonObject ProbePlan::toJson() const
{
    QJsonArray planned;
    for (const ProbeDefinition &probe : probes)
        planned.append(QJsonObject{{"id", probe.id},
                                   {"title", probe.title},
                                   {"sends", probe.sends},
                                   {"must", probe.mustDo},
                                   {"reference", probe.reference},
                                   {"sign_ins", probe.signIns},
                                   {"max_requests", probe.maxRequests}});
    QJsonArray notApplicable;
    for (const auto &[probe, why] : skipped)
        notApplicable.append(QJsonObject{{"id", probe.id}, {"why", why}});
    return {{"probes", planned},
            {"not_applicable", notApplicable},
            {"unknown", QJsonArray::fromStringList(unknownIds)},
            {"max_requests", maxRequests()},
            {"max_sign_ins", maxSignIns()},
            {"code_wait_seconds", waitsForCodeExpiry() ? codeWaitSeconds : 0}};
}

} // namespace workbench
