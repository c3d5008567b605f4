#include "core/sandbox/SandboxGrants.h"

namespace workbench {

void SandboxGrants::addPending(const QString &id, const PendingAuthorization &request)
{
    m_pending.insert(id, request);
}

std::optional<SandboxGrants::PendingAuthorization> SandboxGrants::takePending(const QString &id)
{
    if (!m_pending.contains(id))
        return std::nullopt;
    return m_pending.take(id);
}

void SandboxGrants::addCode(const QString &code, const Code &issued)
{
    m_codes.insert(code, issued);
    forgetOldestCodes();
}

SandboxGrants::Code *SandboxGrants::findCode(const QString &code)
{
    const auto it = m_codes.find(code);
    return it == m_codes.end() ? nullptr : &it.value();
}

int SandboxGrants::addGrant(const Grant &grant)
{
    const int id = m_nextGrant++;
    m_grants.emplace(id, grant);
    while (qsizetype(m_grants.size()) > m_kept) {
        const int oldest = m_grants.begin()->first;
        m_grants.erase(m_grants.begin());
        m_tokens.removeIf([oldest](const auto &token) { return token.value().grant == oldest; });
    }
    return id;
}

void SandboxGrants::addToken(const QString &token, const IssuedToken &issued)
{
    m_tokens.insert(token, issued);
}

SandboxGrants::IssuedToken *SandboxGrants::findToken(const QString &token)
{
    const auto it = m_tokens.find(token);
    return it == m_tokens.end() ? nullptr : &it.value();
}

void SandboxGrants::revokeToken(const QString &token)
{
    if (IssuedToken *issued = findToken(token))
        issued->revoked = true;
}

bool SandboxGrants::isLive(const IssuedToken &token, const QDateTime &now) const
{
    return !token.revoked && !token.rotated && !m_grants.at(token.grant).revoked &&
           (!token.expiresAt.isValid() || token.expiresAt > now);
}

void SandboxGrants::forgetOldestCodes()
{
    while (m_codes.size() > m_kept) {
        auto oldest = m_codes.begin();
        for (auto it = m_codes.begin(); it != m_codes.end(); ++it) {
            if (it->issuedAt < oldest->issuedAt)
                oldest = it;
        }
        m_codes.erase(oldest);
    }
}

} // namespace workbench
