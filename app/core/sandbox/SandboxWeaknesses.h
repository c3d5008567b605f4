#pragma once

#include <QString>
#include <QStringList>

namespace workbench {

// Deliberately weak behaviour of the built-in sandbox, so the server probe (ServerProbe) can be
// tried on a server that accepts what the OAuth RFCs say it must refuse. Every weakness is off
// by default: the sandbox then refuses each probe's request.
struct SandboxWeaknesses
{
    bool reusableCodes = false;           // a code is redeemed again; the first tokens stay valid
    bool ignoresTokenRedirectUri = false; // redirect_uri at the token endpoint is not compared
    bool ignoresCodeVerifier = false;     // a missing or wrong code_verifier is accepted
    bool pkceOptional = false;            // public clients may leave PKCE out
    bool acceptsPlainPkce = false;        // code_challenge_method=plain is taken
    bool lenientRedirectUris = false;     // any loopback URI: another path, localhost, a query
    bool redirectsUnknownClients = false; // an unknown client's error goes to its redirect URI
    bool refreshReuse = false;            // a rotated refresh token still works
    bool omitsIssuer = false;             // no iss on the authorization response (RFC 9207)
    bool unsignedRequestObjects = false;  // request objects with alg "none" are used
    bool codesNeverExpire = false;

    static SandboxWeaknesses all();
    bool any() const;
    // The names of the weaknesses that are on ("reusable codes", ...), for a status line.
    QStringList names() const;
};

} // namespace workbench
