#include "core/sandbox/SandboxWeaknesses.h"

namespace workbench {

SandboxWeaknesses SandboxWeaknesses::all()
{
    SandboxWeaknesses weak;
    weak.reusableCodes = weak.ignoresTokenRedirectUri = weak.ignoresCodeVerifier = true;
    weak.pkceOptional = weak.acceptsPlainPkce = weak.lenientRedirectUris = true;
    weak.redirectsUnknownClients = weak.refreshReuse = weak.omitsIssuer = true;
    weak.unsignedRequestObjects = weak.codesNeverExpire = true;
    return weak;
}

bool SandboxWeaknesses::any() const
{
    return !names().isEmpty();
}

QStringList SandboxWeaknesses::names() const
{
    const std::pair<bool, const char *> flags[] = {
        {reusableCodes, "reusable codes"},
        {ignoresTokenRedirectUri, "token redirect_uri not compared"},
        {ignoresCodeVerifier, "code_verifier not checked"},
        {pkceOptional, "PKCE optional for public clients"},
        {acceptsPlainPkce, "plain PKCE"},
        {lenientRedirectUris, "any loopback redirect URI"},
        {redirectsUnknownClients, "redirects for unknown clients"},
        {refreshReuse, "rotated refresh tokens reusable"},
        {omitsIssuer, "no iss on the redirect"},
        {unsignedRequestObjects, "unsigned request objects"},
        {codesNeverExpire, "codes never expire"}};
    QStringList on;
    for (const auto &[flag, name] : flags) {
        if (flag)
            on << QString::fromLatin1(name);
    }
    return on;
}

} // namespace workbench
