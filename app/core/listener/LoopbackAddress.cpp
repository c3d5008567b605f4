#include "core/listener/LoopbackAddress.h"

#include <QHostAddress>

namespace workbench::LoopbackAddress {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool isCapturable(const QUrl &redirectUri, QString *whyNot)
{
    auto fail = [whyNot](const QString &reason) {
        if (whyNot)
            *whyNot = reason;
        return false;
    };
    if (!redirectUri.isValid() || redirectUri.scheme() != QLatin1String("http"))
        return fail(QStringLiteral("The redirect URI must be an http:// loopback URI such as "
                                   "http://127.0.0.1/callback so the app can capture it."));
    if (!isLoopbackHost(redirectUri.host()))
        return fail(QStringLiteral("The redirect URI host \"%1\" is not a loopback address; the "
                                   "app can only capture redirects to 127.0.0.1, [::1] or "
                                   "localhost.")
                        .arg(redirectUri.host()));
    if (redirectUri.hasFragment())
        return fail(
            QStringLiteral("A redirect URI must not contain a fragment (RFC 6749 §3.1.2)."));
    return true;
}

quint16 requestedPort(const QUrl &redirectUri)
{
    const int port = redirectUri.port(0);
    return port > 0 && port < 65536 ? quint16(port) : 0;
}

} // namespace workbench::LoopbackAddress
