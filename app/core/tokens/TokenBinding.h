#pragma once

#include "core/tokens/IdTokenValidator.h"

#include <QJsonObject>

// Whether tokens are bound to the client's DPoP key (RFC 9449 §5, §6): checks that can fail,
// shown beside the ID token's.
namespace workbench::TokenBinding {

// A token response for a client that proved a DPoP key with this thumbprint: token_type must be
// DPoP, and a JWT access token's cnf.jkt must be the thumbprint (an opaque token's binding is
// only seen by introspecting it).
QList<TokenCheck> dpopChecks(const QJsonObject &tokenResponse, const QByteArray &thumbprint);
// cnf.jkt of an introspection answer (RFC 9449 §6.2) against the key's thumbprint; skipped for
// an inactive token.
TokenCheck introspectedJkt(const QJsonObject &introspection, const QByteArray &thumbprint);

} // namespace workbench::TokenBinding
