#pragma once

#include "core/client/ClientConfig.h"
#include "core/http/HttpExchange.h"
#include "core/tokens/IdTokenValidator.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace workbench {

class ExchangeClient;
class IdTokenVerifier;
class PendingExchange;

// The tokens a flow left the app holding, for this session only.
struct TokenSet
{
    QByteArray accessToken;
    QByteArray refreshToken;
    QByteArray idToken;
    QString tokenType;
    QDateTime accessTokenExpiresAt;  // invalid when the server did not say
    QString subject;                 // sub of the first ID token: later ones must match
    QByteArray nonce;                // nonce of the first ID token: a later one may only repeat it
    bool accessTokenRevoked = false; // the server accepted its revocation (until a new one comes)
    bool refreshTokenRevoked = false;

    // Takes the tokens from a token endpoint answer; fields it lacks keep `previous`'s values
    // (a refresh response without refresh_token means: keep using the old one).
    static TokenSet fromResponse(const QJsonObject &response, const QDateTime &receivedAt,
                                 const TokenSet &previous);
    static TokenSet fromResponse(const QJsonObject &response, const QDateTime &receivedAt);
    bool isEmpty() const { return accessToken.isEmpty() && refreshToken.isEmpty(); }
    // Takes subject and nonce from the ID token when they are not known yet; an encrypted ID
    // token is opened with `key` (nothing is taken when it cannot be).
    void readIdToken(const DecryptionKey &key = {});
};

// Follow-up requests on the tokens a flow returned, each recorded as an exchange: refresh
// (RFC 6749 §6, rotation shown), UserInfo (OIDC Core §5.3, Bearer header), introspection
// (RFC 7662) and revocation (RFC 7009).
class TokenActions : public QObject
{
    Q_OBJECT
public:
    enum class Action { Refresh, UserInfo, Introspect, Revoke };
    enum class Target { AccessToken, RefreshToken };
    Q_ENUM(Action)

    struct Outcome
    {
        Action action = Action::Refresh;
        bool succeeded = false;
        QString summary;
        QStringList details;
        QJsonObject body;
        QList<TokenCheck> idTokenChecks; // after a refresh that returned an ID token
        QList<TokenCheck> bindingChecks; // DPoP: the refreshed or introspected token's key
    };

    TokenActions(ExchangeClient *client, IdTokenVerifier *verifier, QObject *parent = nullptr);
    ~TokenActions() override;

    void setSession(const ClientConfig &config, const TokenSet &tokens);
    void clear();
    const TokenSet &tokens() const { return m_tokens; }
    const ClientConfig &config() const { return m_config; }

    // Why this action cannot run now (no endpoint, no such token, busy); empty when it can.
    QString unavailableReason(Action action, Target target = Target::AccessToken) const;
    // Starts the action; false (and nothing emitted) when unavailableReason() is not empty.
    bool run(Action action, Target target = Target::AccessToken);
    bool busy() const { return !m_pending.isNull() || m_validating; }
    static QString actionName(Action action);

signals:
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void tokensChanged(const workbench::TokenSet &tokens);
    void finished(const workbench::TokenActions::Outcome &outcome);

private:
    void onResponse(Action action, Target target, const HttpExchange &exchange);
    void onRefreshed(const HttpExchange &exchange, const QJsonObject &body, Outcome outcome);
    // `notJson`: why the body is not a JSON object (empty when it is one).
    void readUserInfo(const HttpExchange &exchange, const QJsonObject &json, const QString &notJson,
                      Outcome &outcome) const;
    void readIntrospection(Target target, const QJsonObject &body, bool json,
                           Outcome &outcome) const;

    ExchangeClient *m_client;
    IdTokenVerifier *m_verifier;
    QPointer<PendingExchange> m_pending;
    bool m_validating = false;
    ClientConfig m_config;
    TokenSet m_tokens;
};

} // namespace workbench

Q_DECLARE_METATYPE(workbench::TokenActions::Outcome)
Q_DECLARE_METATYPE(workbench::TokenSet)
