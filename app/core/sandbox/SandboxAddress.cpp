#include "core/sandbox/SandboxAddress.h"

#include <utility>

namespace workbench::SandboxAddress {

namespace {

// Every URL field of a config, to read (const config) or to change.
template <typename Config>
QList<decltype(&std::declval<Config &>().issuer)> endpoints(Config &config)
{
    return {&config.issuer,
            &config.authorizationEndpoint,
            &config.tokenEndpoint,
            &config.deviceAuthorizationEndpoint,
            &config.backchannelAuthenticationEndpoint,
            &config.pushedAuthorizationRequestEndpoint,
            &config.jwksUri,
            &config.userinfoEndpoint,
            &config.introspectionEndpoint,
            &config.revocationEndpoint,
            &config.endSessionEndpoint};
}

// The same origin, or a path below it: "http://h:1" matches "http://h:1" and "http://h:1/x",
// never "http://h:10".
bool isUnder(const QString &url, const QString &origin)
{
    return url == origin || url.startsWith(origin + QLatin1Char('/')) ||
           url.startsWith(origin + QLatin1Char('?'));
}

} // namespace

ClientConfig rebased(const ClientConfig &config, const QString &fromOrigin, const QString &toOrigin)
{
    ClientConfig result = config;
    if (fromOrigin.isEmpty())
        return result;
    for (QUrl *endpoint : endpoints(result)) {
        const QString url = endpoint->toString(QUrl::FullyEncoded);
        if (isUnder(url, fromOrigin))
            *endpoint = QUrl(toOrigin + url.mid(fromOrigin.size()), QUrl::StrictMode);
    }
    return result;
}

bool usesPlaceholder(const ClientConfig &config)
{
    for (const QUrl *endpoint : endpoints(config)) {
        if (isUnder(endpoint->toString(QUrl::FullyEncoded), kPlaceholderOrigin))
            return true;
    }
    return false;
}

} // namespace workbench::SandboxAddress
