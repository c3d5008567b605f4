#include "core/client/DpopKey.h"

#include "core/jose/Dpop.h"

namespace workbench::DpopKey {

SigningKey of(const ClientConfig &config)
{
    if (!config.useDpop || config.dpopKeyPem.trimmed().isEmpty())
        return {};
    QString ignored;
    return SigningKey::fromPem(config.dpopKeyPem.toUtf8(), {}, config.dpopAlgorithm, {}, &ignored);
}

bool ensure(ClientConfig *config)
{
    if (!config->useDpop || of(*config).isValid())
        return false;
    const SigningKey key = SigningKey::generate(config->dpopAlgorithm, {});
    if (!key.isValid())
        return false;
    config->dpopKeyPem = QString::fromLatin1(key.privatePem());
    return true;
}

QByteArray thumbprint(const ClientConfig &config)
{
    const SigningKey key = of(config);
    return key.isValid() ? Dpop::thumbprint(key.publicJwk()) : QByteArray();
}

} // namespace workbench::DpopKey
