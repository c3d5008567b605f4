#include "core/tokens/TokenActions.h"

#include "core/client/DpopKey.h"
#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwt.h"
#include "core/tokens/IdTokenVerifier.h"
#include "core/tokens/TokenBinding.h"
#include "core/util/Clock.h"
#include "core/util/Fingerprint.h"

#include <QJsonDocument>

#include <memory>

namespace workbench {

namespace {
QString hintFor(TokenActions::Target target)
{
    return target == TokenActions::Target::RefreshToken ? QStringLiteral("refresh_token")
                                                        : QStringLiteral("access_token");
}

QStringList errorDetails(const HttpExchange &exchange, const QJsonObject &body)
{
    QStringList details;
    if (!exchange.hasResponse())
        return {exchange.networkError};
    details << QStringLiteral("HTTP %1").arg(exchange.status);
    for (const char *name : {"error", "error_description", "error_uri"}) {
        const QJsonValue value = body.value(QLatin1String(name));
        if (value.isString())
            details << QString::fromLatin1(name) + QStringLiteral(": ") + value.toString();
    }
    const QByteArray challenge = exchange.responseHeader("WWW-Authenticate");
    if (!challenge.isEmpty())
        details << QStringLiteral("WWW-Authenticate: ") + QString::fromUtf8(challenge);
    return details;
}
} // namespace

TokenSet TokenSet::fromResponse(const QJsonObject &response, const QDateTime &receivedAt)
{
    return fromResponse(response, receivedAt, TokenSet());
}

TokenSet TokenSet::fromResponse(const QJsonObject &response, const QDateTime &receivedAt,
                                const TokenSet &previous)
{
    TokenSet set = previous;
    const auto take = [&](const char *name, QByteArray *into) {
        const QString value = response.value(QLatin1String(name)).toString();
        if (!value.isEmpty())
            *into = value.toUtf8();
    };
    take("access_token", &set.accessToken);
    take("refresh_token", &set.refreshToken);
    if (set.accessToken != previous.accessToken)
        set.accessTokenRevoked = false;
    if (set.refreshToken != previous.refreshToken)
        set.refreshTokenRevoked = false;
    take("id_token", &set.idToken);
    if (response.contains(QLatin1String("token_type")))
        set.tokenType = response.value(QLatin1String("token_type")).toString();
    const QJsonValue expiresIn = response.value(QLatin1String("expires_in"));
    const qint64 seconds =
        expiresIn.isString() ? expiresIn.toString().toLongLong() : qint64(expiresIn.toDouble(-1));
    if (response.contains(QLatin1String("access_token")))
        set.accessTokenExpiresAt = seconds > 0 ? receivedAt.addSecs(seconds) : QDateTime();
    set.readIdToken();
    return set;
}

void TokenSet::readIdToken(const DecryptionKey &key)
{
    if (!subject.isEmpty() || idToken.isEmpty())
        return;
    QString error;
    if (const auto jwt = Jwt::decode(Jwe::signedInside(idToken, key), &error)) {
        subject = jwt->claims.value(QLatin1String("sub")).toString();
        nonce = jwt->claims.value(QLatin1String("nonce")).toString().toUtf8();
    }
}

TokenActions::TokenActions(ExchangeClient *client, IdTokenVerifier *verifier, QObject *parent)
    : QObject(parent), m_client(client), m_verifier(verifier)
{
}

TokenActions::~TokenActions()
{
    if (m_pending)
        m_pending->abort();
}

void TokenActions::setSession(const ClientConfig &config, const TokenSet &tokens)
{
    m_config = config;
    m_tokens = tokens;
    m_tokens.readIdToken(config.decryptionKey());
    emit tokensChanged(m_tokens);
}

void TokenActions::clear()
{
    if (m_pending) {
        m_pending->disconnect(this);
        m_pending->abort();
    }
    m_validating = false;
    m_tokens = {};
    emit tokensChanged(m_tokens);
}

QString TokenActions::actionName(Action action)
{
    switch (action) {
    case Action::Refresh:
        return QStringLiteral("Refresh");
    case Action::UserInfo:
        return QStringLiteral("UserInfo");
    case Action::Introspect:
        return QStringLiteral("Introspection");
    case Action::Revoke:
        return QStringLiteral("Revocation");
    }
    return {};
}

QString TokenActions::unavailableReason(Action action, Target target) const
{
    if (busy())
        return tr("Another request on the tokens is still running.");
    const QByteArray &token =
        target == Target::RefreshToken ? m_tokens.refreshToken : m_tokens.accessToken;
    switch (action) {
    case Action::Refresh:
        if (m_config.tokenEndpoint.isEmpty())
            return tr("No token endpoint is configured.");
        if (m_tokens.refreshToken.isEmpty())
            return tr("No refresh token: the server issued none. Many servers only issue one for "
                      "the offline_access scope, or when the client may use the refresh_token "
                      "grant.");
        if (m_tokens.refreshTokenRevoked)
            return tr("The refresh token was revoked.");
        return {};
    case Action::UserInfo:
        if (m_config.grant == GrantType::ClientCredentials)
            return tr("A client credentials token stands for the client itself: there is no "
                      "signed-in person for UserInfo to describe.");
        if (m_config.userinfoEndpoint.isEmpty())
            return tr("No UserInfo endpoint is configured (discovery fills it in).");
        if (m_tokens.accessToken.isEmpty())
            return tr("No access token.");
        if (m_tokens.accessTokenRevoked)
            return tr("The access token was revoked.");
        return {};
    case Action::Introspect:
    case Action::Revoke:
        if ((action == Action::Introspect ? m_config.introspectionEndpoint
                                          : m_config.revocationEndpoint)
                .isEmpty())
            return action == Action::Introspect
                       ? tr("No introspection endpoint is configured (discovery fills it in when "
                            "the server has one).")
                       : tr("No revocation endpoint is configured (discovery fills it in when the "
                            "server has one).");
        if (token.isEmpty())
            return target == Target::RefreshToken ? tr("No refresh token.")
                                                  : tr("No access token.");
        return {};
    }
    return {};
}

bool TokenActions::run(Action action, Target target)
{
    if (!unavailableReason(action, target).isEmpty())
        return false;
    const QByteArray &token =
        target == Target::RefreshToken ? m_tokens.refreshToken : m_tokens.accessToken;
    HttpRequestSpec request;
    QString label;
    switch (action) {
    case Action::Refresh:
        request = TokenRequest::refresh(m_config, m_tokens.refreshToken);
        label = tr("Token request (refresh_token)");
        break;
    case Action::UserInfo: {
        request.method = "GET";
        request.url = m_config.userinfoEndpoint;
        const QByteArray scheme =
            m_tokens.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0 ? "DPoP"
                                                                                        : "Bearer";
        request.setHeader("Authorization", scheme + ' ' + m_tokens.accessToken);
        request.setHeader("Accept", "application/json, application/jwt");
        request.dpopProof = m_config.useDpop;
        label = tr("UserInfo request");
        break;
    }
    case Action::Introspect:
        request = TokenRequest::aboutToken(m_config.introspectionEndpoint, m_config, token,
                                           hintFor(target));
        label = tr("Introspection (%1)").arg(hintFor(target));
        break;
    case Action::Revoke:
        request =
            TokenRequest::aboutToken(m_config.revocationEndpoint, m_config, token, hintFor(target));
        label = tr("Revocation (%1)").arg(hintFor(target));
        break;
    }
    m_pending = m_client->send(request, label);
    connect(m_pending, &PendingExchange::attemptRecorded, this, &TokenActions::exchangeRecorded);
    connect(m_pending, &PendingExchange::finished, this,
            [this, action, target](const HttpExchange &exchange) {
                m_pending.clear();
                onResponse(action, target, exchange);
            });
    return true;
}

void TokenActions::onResponse(Action action, Target target, const HttpExchange &exchange)
{
    emit exchangeRecorded(exchange);
    Outcome outcome;
    outcome.action = action;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(exchange.responseBody, &parseError);
    const QJsonObject body = document.object();
    outcome.body = body;
    const bool ok = exchange.status >= 200 && exchange.status < 300;
    const bool json = parseError.error == QJsonParseError::NoError && document.isObject();
    const QString name = actionName(action);

    if (!exchange.hasResponse() || !ok || (json && body.contains(QLatin1String("error")))) {
        outcome.summary =
            !exchange.hasResponse()
                ? tr("%1 got no HTTP response.").arg(name)
                : tr("%1 failed: the server answered HTTP %2%3.")
                      .arg(name)
                      .arg(exchange.status)
                      .arg(body.value(QLatin1String("error")).isString()
                               ? QStringLiteral(" with \"%1\"")
                                     .arg(body.value(QLatin1String("error")).toString())
                               : QString());
        outcome.details = errorDetails(exchange, body);
        emit finished(outcome);
        return;
    }

    switch (action) {
    case Action::Refresh:
        if (!json || !body.value(QLatin1String("access_token")).isString()) {
            outcome.summary = tr("The refresh response has no access_token.");
            outcome.details
                << (json ? tr("The JSON object lacks access_token.")
                         : tr("The body is not a JSON object: %1").arg(parseError.errorString()));
            emit finished(outcome);
            return;
        }
        onRefreshed(exchange, body, outcome);
        return;
    case Action::UserInfo:
        readUserInfo(exchange, body, json ? QString() : parseError.errorString(), outcome);
        break;
    case Action::Introspect:
        readIntrospection(target, body, json, outcome);
        break;
    case Action::Revoke:
        outcome.succeeded = true;
        (target == Target::RefreshToken ? m_tokens.refreshTokenRevoked
                                        : m_tokens.accessTokenRevoked) = true;
        emit tokensChanged(m_tokens);
        outcome.summary = tr("The server accepted the revocation of the %1 (%2).")
                              .arg(hintFor(target), fingerprint(target == Target::RefreshToken
                                                                    ? m_tokens.refreshToken
                                                                    : m_tokens.accessToken));
        outcome.details << tr("RFC 7009 §2.2: the answer is 200 even for a token the server did "
                              "not know. Introspect the token to see that it is no longer "
                              "active.");
        break;
    }
    emit finished(outcome);
}

// UserInfo's answer: a JSON object about the same user as the ID token, or a JWT carrying it:
// signed, encrypted to the client's key, or both (OIDC Core §5.3.2).
void TokenActions::readUserInfo(const HttpExchange &exchange, const QJsonObject &json,
                                const QString &notJson, Outcome &outcome) const
{
    const QByteArray type = exchange.responseHeader("Content-Type").toLower();
    QJsonObject body = json;
    if (type.startsWith("application/jwt")) {
        QByteArray jwt = exchange.responseBody.trimmed();
        if (Jwt::kindOf(jwt) == Jwt::Kind::Jwe) {
            const DecryptionKey key = m_config.decryptionKey();
            const Jwe::Decrypted opened = Jwe::decrypt(jwt, key);
            if (!opened.ok) {
                outcome.summary = tr("The UserInfo response is encrypted, and the client's "
                                     "decryption key does not open it.");
                outcome.details << opened.reason;
                return;
            }
            outcome.details << tr("Decrypted with the client's key (%1): alg %2, enc %3.")
                                   .arg(key.describe(), opened.header.value("alg").toString(),
                                        opened.header.value("enc").toString());
            jwt = opened.plaintext.trimmed();
        }
        QString error;
        if (const auto decoded = Jwt::decode(jwt, &error)) {
            body = decoded->claims;
            outcome.details << tr("Signed with %1 (this answer's signature is not checked; "
                                  "the Tokens tab shows the JWT).")
                                   .arg(decoded->algorithm());
        } else if (const QJsonDocument inner = QJsonDocument::fromJson(jwt); inner.isObject()) {
            body = inner.object(); // encrypted only, not signed
        } else {
            outcome.summary = tr("The UserInfo JWT cannot be read.");
            outcome.details << error;
            return;
        }
    } else if (!notJson.isEmpty()) {
        outcome.summary = tr("The UserInfo response is not a JSON object.");
        outcome.details << QStringLiteral("Content-Type: ") + QString::fromLatin1(type) << notJson;
        return;
    }
    const QString sub = body.value(QLatin1String("sub")).toString();
    if (sub.isEmpty()) {
        outcome.summary = tr("The UserInfo response has no sub.");
        outcome.details << tr("OIDC Core §5.3.2: sub must always be returned.");
    } else if (!m_tokens.subject.isEmpty() && sub != m_tokens.subject) {
        outcome.summary = tr("UserInfo is about another user: its sub differs from the ID "
                             "token's.");
        outcome.details << tr("UserInfo sub: %1; ID token sub: %2").arg(sub, m_tokens.subject)
                        << tr("OIDC Core §5.3.4: the response must not be used.");
    } else {
        outcome.succeeded = true;
        outcome.summary = tr("UserInfo returned %n claim(s).", nullptr, int(body.size()));
        if (!m_tokens.subject.isEmpty())
            outcome.details << tr("sub matches the ID token's (%1).").arg(sub);
        for (auto it = body.begin(); it != body.end(); ++it) {
            if (it.key() != QLatin1String("sub"))
                outcome.details << it.key() + QStringLiteral(": ") + Jwt::compactText(it.value());
        }
    }
}

// Introspection's answer (RFC 7662): whether the token is active, and what the server says of it.
void TokenActions::readIntrospection(Target target, const QJsonObject &body, bool json,
                                     Outcome &outcome) const
{
    if (!json || !body.value(QLatin1String("active")).isBool()) {
        outcome.summary = tr("The introspection response has no boolean \"active\".");
        outcome.details << tr("RFC 7662 §2.2 requires it.");
        return;
    }
    outcome.succeeded = true;
    const bool active = body.value(QLatin1String("active")).toBool();
    outcome.summary = active ? tr("The %1 is active.").arg(hintFor(target))
                             : tr("The %1 is not active: expired, revoked, or unknown to "
                                  "this server.")
                                   .arg(hintFor(target));
    for (const char *field : {"scope", "client_id", "sub", "token_type", "aud", "iss"}) {
        const QJsonValue value = body.value(QLatin1String(field));
        if (value.isString())
            outcome.details << QString::fromLatin1(field) + QStringLiteral(": ") + value.toString();
    }
    for (const char *field : {"exp", "iat", "nbf"}) {
        const QJsonValue value = body.value(QLatin1String(field));
        if (value.isDouble()) {
            const QDateTime at = QDateTime::fromSecsSinceEpoch(qint64(value.toDouble()), Qt::UTC);
            outcome.details << QStringLiteral("%1: %2 (%3)")
                                   .arg(QLatin1String(field), at.toString(Qt::ISODate),
                                        Jwt::relative(at, Clock::utcNow(),
                                                      qstrcmp(field, "exp") == 0));
        }
    }
    if (m_config.useDpop)
        outcome.bindingChecks << TokenBinding::introspectedJkt(body, DpopKey::thumbprint(m_config));
}

void TokenActions::onRefreshed(const HttpExchange &exchange, const QJsonObject &body,
                               Outcome outcome)
{
    const QDateTime received = exchange.receivedAt();
    const TokenSet before = m_tokens;
    TokenSet after = TokenSet::fromResponse(body, received, before);
    outcome.succeeded = true;
    outcome.summary = tr("The refresh token was exchanged for a new access token.");
    const QString newRefresh = body.value(QLatin1String("refresh_token")).toString();
    if (newRefresh.isEmpty())
        outcome.details << tr("Refresh token not rotated: the response has no refresh_token, so "
                              "the old one (%1) stays in use.")
                               .arg(fingerprint(before.refreshToken));
    else if (newRefresh.toUtf8() == before.refreshToken)
        outcome.details << tr("Refresh token not rotated: the same one (%1) came back.")
                               .arg(fingerprint(before.refreshToken));
    else
        outcome.details << tr("Refresh token rotated: old %1 → new %2. The old one should no "
                              "longer work; a server that detects its reuse may revoke the whole "
                              "grant.")
                               .arg(fingerprint(before.refreshToken),
                                    fingerprint(after.refreshToken));
    outcome.details << tr("Access token: old %1 → new %2")
                           .arg(fingerprint(before.accessToken), fingerprint(after.accessToken));
    if (m_config.useDpop)
        outcome.bindingChecks = TokenBinding::dpopChecks(body, DpopKey::thumbprint(m_config));

    const QString idToken = body.value(QLatin1String("id_token")).toString();
    if (idToken.isEmpty()) {
        m_tokens = after;
        emit tokensChanged(m_tokens);
        emit finished(outcome);
        return;
    }
    // OIDC Core §12.2 (with its errata): a refreshed ID token is validated like the first, is
    // about the same user, and carries either no nonce or the original one.
    IdTokenExpectations expected = IdTokenExpectations::forClient(m_config, after.accessToken);
    expected.expectedSubject = before.subject;
    expected.nonce = before.nonce;
    expected.nonceOptional = true;
    m_validating = true;
    auto connection = std::make_shared<QMetaObject::Connection>();
    auto recorded = std::make_shared<QMetaObject::Connection>();
    *recorded = connect(m_verifier, &IdTokenVerifier::exchangeRecorded, this,
                        &TokenActions::exchangeRecorded);
    *connection = connect(
        m_verifier, &IdTokenVerifier::finished, this,
        [this, outcome, after, connection, recorded](const QList<TokenCheck> &checks) mutable {
            disconnect(*connection);
            disconnect(*recorded);
            if (!m_validating)
                return; // cleared meanwhile
            m_validating = false;
            outcome.idTokenChecks = checks;
            if (!IdTokenValidator::accepted(checks)) {
                outcome.succeeded = false;
                outcome.summary = tr("New tokens arrived, but the refreshed ID "
                                     "token failed validation.");
                outcome.details.prepend(IdTokenValidator::firstFailure(checks));
            } else {
                outcome.details << tr("The new ID token passed every check.");
            }
            m_tokens = after;
            emit tokensChanged(m_tokens);
            emit finished(outcome);
        });
    m_verifier->verify(idToken.toUtf8(), expected, m_config.jwksUri);
}

} // namespace workbench
