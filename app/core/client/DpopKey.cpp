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
    // A run asks for the same key's thumbprint several times (the authorization request, the
    // token response's and each refresh's and introspection's checks): parse the PEM once.
    thread_local QString lastPem;
    thread_local QString lastAlgorithm;
    thread_local QByteArray lastThumbprint;
    if (!config.useDpop)
        return {};
    if (config.dpopKeyPem != lastPem || config.dpopAlgorithm != lastAlgorithm) {
        const SigningKey key = of(config);
        lastThumbprint = key.isValid() ? Dpop::thumbprint(key.publicJwk()) : QByteArray();
        lastPem = config.dpopKeyPem;
        lastAlgorithm = config.dpopAlgorithm;
    }
    return lastThumbprint;
}

} // namespace workbench::DpopKey
