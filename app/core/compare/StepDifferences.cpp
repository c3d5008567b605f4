#include "core/compare/StepDifferences.h"

#include "core/jose/Jwt.h"
#include "core/util/FormEncoding.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>

namespace workbench::StepDifferences {

namespace {

// A family of settings: its base weight and why a difference in it can break a flow.
struct Family
{
    int weight;
    const char *why;
};

const QHash<QString, Family> &families()
{
    static const QHash<QString, Family> table{
        {"redirect_uri",
         {95, "The token request must carry the authorization request's redirect_uri, and both "
              "must match a registered URI character for character (RFC 6749 §4.1.3, §3.1.2)."}},
        {"client_id",
         {90, "Another client id is another registration: its own redirect URIs, grants, scopes "
              "and authentication method."}},
        {"client_auth",
         {90, "The token endpoint expects the authentication method registered for the client "
              "(token_endpoint_auth_method) with its current credentials; anything else is "
              "refused as invalid_client."}},
        {"endpoint",
         {85, "Another endpoint is another server, tenant or realm: another client registry and "
              "another issuer."}},
        {"grant_type", {85, "A client may use only the grants registered for it."}},
        {"pkce",
         {80, "A code issued for a code_challenge is redeemed only with its code_verifier; a "
              "server that requires PKCE, or S256, refuses the rest (RFC 7636, RFC 9700)."}},
        {"method", {80, "Token, PAR, introspection and revocation requests must be POSTs."}},
        {"content_type",
         {75, "Token endpoints read application/x-www-form-urlencoded bodies (RFC 6749 §4.1.3); "
              "with another content type the parameters are not seen."}},
        {"response_type",
         {75, "The response type must be one the client is registered for and the server "
              "supports."}},
        {"iss",
         {70, "The ID token's iss must equal the issuer the client expects, byte for byte "
              "(OIDC Core §3.1.3.7): another issuer is another server or tenant."}},
        {"aud",
         {70, "A token is accepted only by the audience it names: the client for an ID token, "
              "the API for an access token."}},
        {"dpop",
         {65, "With DPoP the tokens are bound to a key and each use needs a proof; a bound token "
              "presented as Bearer, or an unbound one as DPoP, is refused (RFC 9449)."}},
        {"response_mode",
         {65, "The response mode decides how the code comes back (query, fragment, form post); "
              "the server must support it and the redirect target must read it."}},
        {"refresh_token",
         {60, "Another refresh token: rotated, revoked, expired or issued to another client."}},
        {"scope",
         {60, "Scopes the client may not ask for are refused or silently dropped; without "
              "openid there is no ID token."}},
        {"resource",
         {60, "resource and audience decide whom the token is for (RFC 8707); an API refuses a "
              "token meant for another."}},
        {"alg",
         {55, "Another signing algorithm or key: the verifier must accept the alg and find the "
              "kid in the JWKS."}},
        {"token_type",
         {50, "The token type says how the token must be presented (Bearer or DPoP)."}},
        {"parameter", {45, "Another value was sent to the server."}},
        {"interaction",
         {40, "prompt, max_age, acr_values and login_hint change what the server asks of the "
              "person and what it puts in the ID token."}},
        {"step", {35, "One run made a request the other did not."}},
        {"header", {30, "A request header the server or a gateway in front of it may act on."}},
        {"lifetime", {25, "Shorter-lived tokens or codes may expire before they are used."}},
        {"response", {20, "What the server answered (the symptom, rather than the cause)."}},
        {"loopback_port",
         {12, "Only the loopback port differs: a server must accept any port on a loopback "
              "redirect URI (RFC 8252 §7.3), though some register one exactly."}},
        {"user_agent",
         {10, "The client software; rarely decisive, though a firewall may treat clients "
              "differently."}},
        {"time", {8, "How long the server took; slow answers point at the network or load."}},
    };
    return table;
}

RunDifference make(const QString &step, const QString &aspect, const QString &left,
                   const QString &right, const QString &family)
{
    const Family f = families().value(family, families().value(QStringLiteral("parameter")));
    return {step, aspect, left, right, QString::fromUtf8(f.why), family, f.weight, {}};
}

QString familyOfParameter(const QString &name)
{
    static const QHash<QString, QString> table{
        {"redirect_uri", "redirect_uri"},
        {"client_id", "client_id"},
        {"client_secret", "client_auth"},
        {"client_assertion_type", "client_auth"},
        {"grant_type", "grant_type"},
        {"code_challenge_method", "pkce"},
        {"code_challenge", "pkce"},
        {"code_verifier", "pkce"},
        {"response_type", "response_type"},
        {"response_mode", "response_mode"},
        {"scope", "scope"},
        {"resource", "resource"},
        {"audience", "resource"},
        {"refresh_token", "refresh_token"},
        {"dpop_jkt", "dpop"},
        {"prompt", "interaction"},
        {"max_age", "interaction"},
        {"acr_values", "interaction"},
        {"login_hint", "interaction"},
    };
    return table.value(name, QStringLiteral("parameter"));
}

// Parameters whose value is new on every run: only whether they were sent is compared.
bool isPerRun(const QString &name)
{
    static const QSet<QString> names{"state",
                                     "nonce",
                                     "code",
                                     "code_verifier",
                                     "code_challenge",
                                     "client_assertion",
                                     "request",
                                     "request_uri",
                                     "device_code",
                                     "session_state",
                                     "jti",
                                     "assertion",
                                     "subject_token",
                                     "actor_token"};
    return names.contains(name);
}

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("::1") ||
           host == QLatin1String("localhost");
}

// Two URLs that differ only in the port of a loopback host.
bool onlyLoopbackPortDiffers(const QString &left, const QString &right)
{
    QUrl a(left);
    QUrl b(right);
    if (!a.isValid() || !b.isValid() || !isLoopback(a) || !isLoopback(b) || a.port() == b.port())
        return false;
    a.setPort(-1);
    b.setPort(-1);
    return a == b;
}

FormFields parametersOf(const HttpExchange &exchange)
{
    if (exchange.request.method == "POST" &&
        exchange.request.header("Content-Type").toLower().contains("x-www-form-urlencoded"))
        return FormEncoding::decode(exchange.request.body);
    return FormEncoding::queryOf(exchange.request.url);
}

// How the client authenticated itself, as token_endpoint_auth_method names it.
QString clientAuthOf(const HttpExchange &exchange, const FormFields &parameters)
{
    const QByteArray authorization = exchange.request.header("Authorization");
    if (authorization.toLower().startsWith("basic "))
        return QStringLiteral("client_secret_basic");
    if (FormEncoding::contains(parameters, QStringLiteral("client_assertion")))
        return QStringLiteral("client assertion (private_key_jwt or client_secret_jwt)");
    if (FormEncoding::contains(parameters, QStringLiteral("client_secret")))
        return QStringLiteral("client_secret_post");
    if (!exchange.request.header("X-SSL-Cert").isEmpty())
        return QStringLiteral("tls_client_auth");
    return QStringLiteral("none (public client)");
}

QString endpointOf(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo).toString();
}

// A value as shown: empty when not sent, "" when sent empty.
QString shown(const FormFields &fields, const QString &name)
{
    if (!FormEncoding::contains(fields, name))
        return {};
    const QString value = FormEncoding::value(fields, name);
    return value.isEmpty() ? QStringLiteral("\"\"") : value;
}

// `usesBasic`: that side sent its client id in a Basic header (redacted), not as a parameter.
void compareParameters(const QString &step, const FormFields &left, const FormFields &right,
                       std::pair<bool, bool> usesBasic, QList<RunDifference> *out)
{
    QStringList names;
    for (const FormFields *fields : {&left, &right}) {
        for (const auto &field : *fields) {
            if (!names.contains(field.first))
                names << field.first;
        }
    }
    for (const QString &name : std::as_const(names)) {
        const bool inLeft = FormEncoding::contains(left, name);
        const bool inRight = FormEncoding::contains(right, name);
        QString a = shown(left, name);
        QString b = shown(right, name);
        if (name == QLatin1String("client_id") &&
            ((!inLeft && usesBasic.first) || (!inRight && usesBasic.second)))
            continue; // in the Basic header: the client authentication shows the difference
        if (isPerRun(name)) {
            if (inLeft == inRight)
                continue;
            a = inLeft ? QStringLiteral("sent") : QString();
            b = inRight ? QStringLiteral("sent") : QString();
        } else if (inLeft == inRight && a == b) {
            continue;
        }
        if (name == QLatin1String("redirect_uri") && onlyLoopbackPortDiffers(a, b)) {
            out->append(make(step, name, a, b, QStringLiteral("loopback_port")));
            continue;
        }
        out->append(make(step, name, a, b, familyOfParameter(name)));
    }
}

void compareHeaders(const QString &step, const HttpExchange &left, const HttpExchange &right,
                    QList<RunDifference> *out)
{
    const std::pair<const char *, const char *> headers[] = {{"Content-Type", "content_type"},
                                                             {"Accept", "header"},
                                                             {"User-Agent", "user_agent"},
                                                             {"Origin", "header"}};
    for (const auto &[name, family] : headers) {
        const QString a = QString::fromUtf8(left.request.header(name));
        const QString b = QString::fromUtf8(right.request.header(name));
        if (a != b)
            out->append(make(step, QStringLiteral("header ") + QLatin1String(name), a, b,
                             QLatin1String(family)));
    }
    const auto sent = [](const HttpExchange &exchange, const char *name) {
        return exchange.request.header(name).isEmpty() ? QString() : QStringLiteral("sent");
    };
    if (sent(left, "DPoP") != sent(right, "DPoP"))
        out->append(make(step, QStringLiteral("DPoP proof"), sent(left, "DPoP"),
                         sent(right, "DPoP"), QStringLiteral("dpop")));
    // The scheme a token was presented with (Bearer, DPoP), never the token.
    const auto scheme = [](const HttpExchange &exchange) {
        const QByteArray value = exchange.request.header("Authorization");
        return QString::fromLatin1(value.left(value.indexOf(' ')));
    };
    if (scheme(left) != scheme(right) && !scheme(left).startsWith(QLatin1String("Basic")) &&
        !scheme(right).startsWith(QLatin1String("Basic")))
        out->append(make(step, QStringLiteral("Authorization scheme"), scheme(left), scheme(right),
                         QStringLiteral("dpop")));
    // Basic credentials of the same client: their fingerprints say whether the secret differs.
    if (scheme(left) == QLatin1String("Basic") && scheme(right) == QLatin1String("Basic") &&
        left.request.header("Authorization") != right.request.header("Authorization"))
        out->append(make(step, QStringLiteral("client credentials (Basic header)"),
                         QString::fromLatin1(left.request.header("Authorization").mid(6)),
                         QString::fromLatin1(right.request.header("Authorization").mid(6)),
                         QStringLiteral("client_auth")));
}

// A JSON member as shown: empty when missing, "" when an empty string.
QString shownMember(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.isUndefined())
        return {};
    const QString text = Jwt::compactText(value);
    return text.isEmpty() ? QStringLiteral("\"\"") : text;
}

void compareResponses(const QString &step, const HttpExchange &left, const HttpExchange &right,
                      QList<RunDifference> *out)
{
    const auto status = [](const HttpExchange &exchange) {
        if (!exchange.networkError.isEmpty())
            return exchange.networkError;
        return exchange.status ? QString::number(exchange.status) : QString();
    };
    if (status(left) != status(right))
        out->append(make(step, QStringLiteral("response status"), status(left), status(right),
                         QStringLiteral("response")));
    const QJsonObject a = QJsonDocument::fromJson(left.responseBody).object();
    const QJsonObject b = QJsonDocument::fromJson(right.responseBody).object();
    const std::pair<const char *, const char *> fields[] = {{"error", "response"},
                                                            {"error_description", "response"},
                                                            {"token_type", "token_type"},
                                                            {"scope", "scope"},
                                                            {"expires_in", "lifetime"}};
    for (const auto &[name, family] : fields) {
        const QString x = shownMember(a, name);
        const QString y = shownMember(b, name);
        // Beside an error, a missing token_type or scope is the failure, not a setting.
        const bool refused = left.status >= 400 || right.status >= 400;
        if (x != y)
            out->append(make(step, QStringLiteral("answer's ") + QLatin1String(name), x, y,
                             refused ? QStringLiteral("response") : QLatin1String(family)));
    }
    for (const char *name : {"Content-Type", "WWW-Authenticate"}) {
        const QString x = QString::fromUtf8(left.responseHeader(name));
        const QString y = QString::fromUtf8(right.responseHeader(name));
        if (x != y)
            out->append(make(step, QStringLiteral("answer's header ") + QLatin1String(name), x, y,
                             QStringLiteral("response")));
    }
    const qint64 slow = qMax(left.elapsedMs, right.elapsedMs);
    const qint64 fast = qMax<qint64>(1, qMin(left.elapsedMs, right.elapsedMs));
    if (slow >= 1000 && slow > 3 * fast)
        out->append(make(step, QStringLiteral("time taken"),
                         QStringLiteral("%1 ms").arg(left.elapsedMs),
                         QStringLiteral("%1 ms").arg(right.elapsedMs), QStringLiteral("time")));
}

void compareTokens(const QString &step, const QJsonObject &left, const QJsonObject &right,
                   QList<RunDifference> *out)
{
    const std::pair<const char *, const char *> members[] = {
        {"format", "token_type"}, {"iss", "iss"},
        {"aud", "aud"},           {"azp", "aud"},
        {"alg", "alg"},           {"kid", "alg"},
        {"typ", "alg"},           {"scope", "scope"},
        {"scp", "scope"},         {"client_id", "client_id"},
        {"lifetime", "lifetime"}, {"cnf", "dpop"}};
    for (const char *token : {"id_token", "access_token", "issued_token"}) {
        const QJsonObject a = left.value(QLatin1String(token)).toObject();
        const QJsonObject b = right.value(QLatin1String(token)).toObject();
        if (a.isEmpty() || b.isEmpty())
            continue; // a missing token shows as a missing answer field or a failed step
        for (const auto &[member, family] : members) {
            const QString x = shownMember(a, member);
            const QString y = shownMember(b, member);
            if (x != y)
                out->append(make(step,
                                 QLatin1String(token) + QLatin1Char(' ') + QLatin1String(member), x,
                                 y, QLatin1String(family)));
        }
    }
}

} // namespace

QList<RunDifference> between(const QString &step, const HttpExchange *left,
                             const HttpExchange *right, const QJsonObject &leftFacts,
                             const QJsonObject &rightFacts)
{
    QList<RunDifference> out;
    if (!left || !right) {
        const QString sent = QStringLiteral("made");
        out.append(make(step, QStringLiteral("step"), left ? sent : QString(),
                        right ? sent : QString(), QStringLiteral("step")));
        return out;
    }
    const QString a = endpointOf(left->request.url);
    const QString b = endpointOf(right->request.url);
    if (a != b)
        out.append(make(step, QStringLiteral("URL"), a, b,
                        onlyLoopbackPortDiffers(a, b) ? QStringLiteral("loopback_port")
                                                      : QStringLiteral("endpoint")));
    if (left->request.method != right->request.method &&
        left->kind == HttpExchange::Kind::BackChannel)
        out.append(make(step, QStringLiteral("HTTP method"),
                        QString::fromLatin1(left->request.method),
                        QString::fromLatin1(right->request.method), QStringLiteral("method")));
    const FormFields leftParameters = parametersOf(*left);
    const FormFields rightParameters = parametersOf(*right);
    const auto usesBasic = [](const HttpExchange &exchange) {
        return exchange.request.header("Authorization").toLower().startsWith("basic ");
    };
    compareParameters(step, leftParameters, rightParameters, {usesBasic(*left), usesBasic(*right)},
                      &out);
    if (left->kind == HttpExchange::Kind::BackChannel &&
        FormEncoding::contains(leftParameters, QStringLiteral("grant_type"))) {
        const QString x = clientAuthOf(*left, leftParameters);
        const QString y = clientAuthOf(*right, rightParameters);
        if (x != y) {
            out.append(make(step, QStringLiteral("client authentication"), x, y,
                            QStringLiteral("client_auth")));
            out.last().weight += 2; // the method before the parameters it shows in
        }
    }
    if (left->kind == HttpExchange::Kind::BackChannel) {
        compareHeaders(step, *left, *right, &out);
        compareResponses(step, *left, *right, &out);
    }
    compareTokens(step, leftFacts, rightFacts, &out);
    return out;
}

} // namespace workbench::StepDifferences
