#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QString>

namespace workbench {

// The sandbox's side of the decoupled grants: the device authorization grant (RFC 8628) hands
// out device and user codes; CIBA (poll mode) hands out an auth_req_id for a named person, whose
// "authentication device" is a sandbox page. The person approves or denies by the (internal, for
// CIBA) user code, and each poll is answered as a real server would (authorization_pending,
// slow_down when polled too fast, expired_token, access_denied).
class SandboxDeviceCodes
{
public:
    struct Entry
    {
        enum class State { Pending, Approved, Denied, Redeemed };
        QString clientId, scope, userCode, subject;
        bool backchannel = false; // a CIBA request: `subject` is whom it asks
        QString bindingMessage;
        QJsonArray authorizationDetails; // CIBA: RFC 9396, as asked (granted as asked)
        QDateTime issuedAt;
        QDateTime lastPoll;
        int intervalSeconds = 5;
        State state = State::Pending;
    };
    enum class Verdict { Pending, SlowDown, Expired, Denied, Approved, Unknown, OtherClient };

    // The newest kKept device codes are remembered; older ones are forgotten.
    static constexpr qsizetype kKept = 200;

    // A new pair of codes; the device code is the key for polls.
    QString issue(const QString &clientId, const QString &scope, const QDateTime &now);
    // A CIBA request for `subject`; the auth_req_id is the key for polls.
    QString issueBackchannel(const QString &clientId, const QString &scope, const QString &subject,
                             const QString &bindingMessage, const QJsonArray &authorizationDetails,
                             const QDateTime &now);
    const Entry *find(const QString &deviceCode) const;
    // A pending entry of the kind asked for (device codes or CIBA requests).
    const Entry *findByUserCode(const QString &userCode, const QDateTime &now,
                                bool backchannel = false) const;
    // The CIBA requests still waiting for the person, newest first.
    QList<Entry> pendingBackchannel(const QDateTime &now) const;
    // The person's decision at the verification page (or the authentication device); false for
    // an unknown or expired code. An empty `subject` keeps the one the request named.
    bool decide(const QString &userCode, bool approve, const QString &subject, const QDateTime &now,
                bool backchannel = false);
    // One poll of the token endpoint. An approved code is redeemed by this poll (once).
    Verdict poll(const QString &deviceCode, const QString &clientId, const QDateTime &now);

    void setLifetimeSeconds(int seconds) { m_lifetime = seconds; }
    void setIntervalSeconds(int seconds) { m_interval = seconds; }
    int lifetimeSeconds() const { return m_lifetime; }
    int intervalSeconds() const { return m_interval; }
    qsizetype size() const { return m_entries.size(); }

    // "BCDF-GHJK": consonants only, no vowels to spell words, case-insensitive (RFC 8628 §6.1).
    static QString normalizedUserCode(const QString &typed);

private:
    bool expired(const Entry &entry, const QDateTime &now) const;

    QHash<QString, Entry> m_entries; // by device code
    QList<QString> m_order;          // device codes, oldest first
    int m_lifetime = 600;
    int m_interval = 5;
};

} // namespace workbench
