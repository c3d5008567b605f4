#include "core/sandbox/SandboxDeviceCodes.h"

#include "core/util/SecureRandom.h"

namespace workbench {

namespace {
constexpr char kUserCodeAlphabet[] = "BCDFGHJKLMNPQRSTVWXZ"; // 20 letters, RFC 8628 §6.1
}

QString SandboxDeviceCodes::normalizedUserCode(const QString &typed)
{
    QString code;
    for (const QChar c : typed.toUpper()) {
        if (c.isLetter())
            code += c;
    }
    return code.size() == 8 ? code.left(4) + QLatin1Char('-') + code.mid(4) : code;
}

QString SandboxDeviceCodes::issue(const QString &clientId, const QString &scope,
                                  const QDateTime &now)
{
    Entry entry;
    entry.clientId = clientId;
    entry.scope = scope;
    entry.issuedAt = now;
    entry.intervalSeconds = m_interval;
    QString userCode;
    do {
        userCode.clear();
        for (const char byte : SecureRandom::bytes(8))
            userCode += QLatin1Char(kUserCodeAlphabet[quint8(byte) % 20]);
        userCode = normalizedUserCode(userCode);
    } while (findByUserCode(userCode, now));
    entry.userCode = userCode;
    const QString deviceCode = QString::fromLatin1(SecureRandom::urlSafeToken(32));
    m_entries.insert(deviceCode, entry);
    m_order.append(deviceCode);
    while (m_order.size() > kKept)
        m_entries.remove(m_order.takeFirst());
    return deviceCode;
}

QString SandboxDeviceCodes::issueBackchannel(const QString &clientId, const QString &scope,
                                             const QString &subject, const QString &bindingMessage,
                                             const QJsonArray &authorizationDetails,
                                             const QDateTime &now)
{
    const QString authReqId = issue(clientId, scope, now);
    Entry &entry = m_entries[authReqId];
    entry.backchannel = true;
    entry.subject = subject;
    entry.bindingMessage = bindingMessage;
    entry.authorizationDetails = authorizationDetails;
    return authReqId;
}

QList<SandboxDeviceCodes::Entry> SandboxDeviceCodes::pendingBackchannel(const QDateTime &now) const
{
    QList<Entry> pending;
    for (auto it = m_order.crbegin(); it != m_order.crend(); ++it) {
        const Entry &entry = m_entries[*it];
        if (entry.backchannel && entry.state == Entry::State::Pending && !expired(entry, now))
            pending.append(entry);
    }
    return pending;
}

const SandboxDeviceCodes::Entry *SandboxDeviceCodes::find(const QString &deviceCode) const
{
    const auto it = m_entries.constFind(deviceCode);
    return it == m_entries.constEnd() ? nullptr : &*it;
}

const SandboxDeviceCodes::Entry *SandboxDeviceCodes::findByUserCode(const QString &userCode,
                                                                    const QDateTime &now,
                                                                    bool backchannel) const
{
    const QString wanted = normalizedUserCode(userCode);
    for (const Entry &entry : m_entries) {
        if (entry.userCode == wanted && entry.backchannel == backchannel &&
            entry.state == Entry::State::Pending && !expired(entry, now))
            return &entry;
    }
    return nullptr;
}

bool SandboxDeviceCodes::decide(const QString &userCode, bool approve, const QString &subject,
                                const QDateTime &now, bool backchannel)
{
    const QString wanted = normalizedUserCode(userCode);
    for (Entry &entry : m_entries) {
        if (entry.userCode != wanted || entry.backchannel != backchannel ||
            entry.state != Entry::State::Pending || expired(entry, now))
            continue;
        entry.state = approve ? Entry::State::Approved : Entry::State::Denied;
        if (!subject.isEmpty())
            entry.subject = subject;
        return true;
    }
    return false;
}

SandboxDeviceCodes::Verdict SandboxDeviceCodes::poll(const QString &deviceCode,
                                                     const QString &clientId, const QDateTime &now)
{
    const auto it = m_entries.find(deviceCode);
    if (it == m_entries.end() || it->state == Entry::State::Redeemed)
        return Verdict::Unknown;
    if (it->clientId != clientId)
        return Verdict::OtherClient;
    if (expired(*it, now))
        return Verdict::Expired;
    // RFC 8628 §3.5: polling faster than the interval earns slow_down and a longer interval.
    // A quarter second of grace for timers and the network, as servers allow.
    const bool tooSoon = it->lastPoll.isValid() &&
                         it->lastPoll.msecsTo(now) < qint64(it->intervalSeconds) * 1000 - 250;
    it->lastPoll = now;
    if (tooSoon) {
        it->intervalSeconds += 5;
        return Verdict::SlowDown;
    }
    switch (it->state) {
    case Entry::State::Pending:
        return Verdict::Pending;
    case Entry::State::Denied:
        return Verdict::Denied;
    case Entry::State::Approved:
        it->state = Entry::State::Redeemed;
        return Verdict::Approved;
    case Entry::State::Redeemed:
        break;
    }
    return Verdict::Unknown;
}

bool SandboxDeviceCodes::expired(const Entry &entry, const QDateTime &now) const
{
    return entry.issuedAt.secsTo(now) >= m_lifetime;
}

} // namespace workbench
