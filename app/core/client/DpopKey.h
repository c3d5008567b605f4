#pragma once

#include "core/client/ClientConfig.h"
#include "core/jose/JwsSigner.h"

// The client's DPoP key (RFC 9449), kept in a ClientConfig as PEM like its other secrets.
namespace workbench::DpopKey {

// The key of `config`; invalid when it uses no DPoP, has no key yet or the key is unusable.
SigningKey of(const ClientConfig &config);
// Gives `config` a new key of its DPoP algorithm when it uses DPoP and has none (or one that does
// not suit the algorithm). True when a key was made.
bool ensure(ClientConfig *config);
// The key's RFC 7638 thumbprint (dpop_jkt, cnf.jkt); empty without a usable key.
QByteArray thumbprint(const ClientConfig &config);

} // namespace workbench::DpopKey
