#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>

namespace workbench {

// What the sandbox's authorization server remembers: sign-ins waiting for the person, codes,
// grants and the tokens issued under them. Bounded: the newest `kept` codes and grants (with
// their tokens) stay, so a sandbox left running all day does not grow all day.
class SandboxGrants
{
public:
    struct PendingAuthorization
    {
        QString clientId, redirectUri, scope, state, nonce, codeChallenge;
        QDateTime createdAt;
        QString codeChallengeMethod = QStringLiteral("S256");
        QJsonArray authorizationDetails; // RFC 9396, as asked (and granted: the sandbox grants all)
        bool jwtResponse = false;        // JARM: the response goes back as a signed JWT
    };
    struct Code
    {
        PendingAuthorization request;
        QString subject;
        QDateTime issuedAt;
        bool used = false;
        QStringList issuedTokens; // revoked if the code is replayed
    };
    struct Grant
    {
        QString clientId, subject, scope, nonce;
        QDateTime authTime;
        bool revoked = false;
        QJsonArray authorizationDetails;
    };
    struct IssuedToken
    {
        enum class Kind { Access, Refresh } kind = Kind::Access;
        int grant = -1;
        QString clientId, scope;
        QDateTime expiresAt; // invalid: no expiry (refresh)
        bool revoked = false;
        bool rotated = false; // a refresh token that was already exchanged
    };

    explicit SandboxGrants(qsizetype kept) : m_kept(kept) {}

    void addPending(const QString &id, const PendingAuthorization &request);
    // The sign-in `id`, taken out (it is answered once); none when unknown or answered.
    [[nodiscard]] std::optional<PendingAuthorization> takePending(const QString &id);

    void addCode(const QString &code, const Code &issued);
    Code *findCode(const QString &code);

    // The new grant's id.
    int addGrant(const Grant &grant);
    // A grant that is kept (ids come from addGrant and the tokens that name them).
    Grant &grant(int id) { return m_grants.at(id); }

    void addToken(const QString &token, const IssuedToken &issued);
    IssuedToken *findToken(const QString &token);
    // Marks the token revoked, when it is known.
    void revokeToken(const QString &token);
    // A token that may still be used: not revoked or rotated away, its grant not revoked, not
    // expired at `now`.
    [[nodiscard]] bool isLive(const IssuedToken &token, const QDateTime &now) const;

private:
    void forgetOldestCodes();

    qsizetype m_kept;
    QHash<QString, PendingAuthorization> m_pending;
    QHash<QString, Code> m_codes;
    std::map<int, Grant> m_grants; // by id, oldest first
    int m_nextGrant = 0;
    QHash<QString, IssuedToken> m_tokens;
};

} // namespace workbench
