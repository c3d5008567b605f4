#include "ClientConfig.h"

#include "listener/LoopbackAddress.h"

namespace workbench {

QString clientAuthMethodName(ClientAuthMethod method)
{
    switch (method) {
    case ClientAuthMethod::ClientSecretBasic:
        return QStringLiteral("client_secret_basic");
    case ClientAuthMethod::ClientSecretPost:
        return QStringLiteral("client_secret_post");
    case ClientAuthMethod::None:
        return QStringLiteral("none");
    }
    return {};
}

bool clientAuthMethodFromName(const QString &name, ClientAuthMethod *method)
{
    for (const auto candidate : {ClientAuthMethod::ClientSecretBasic,
                                 ClientAuthMethod::ClientSecretPost, ClientAuthMethod::None}) {
        if (clientAuthMethodName(candidate) == name) {
            *method = candidate;
            return true;
        }
    }
    return false;
}

static bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"));
}

QStringList ClientConfig::validate() const
{
    QStringList problems;
    if (!isHttpUrl(authorizationEndpoint))
        problems << QStringLiteral("The authorization endpoint must be an http(s) URL.");
    if (!isHttpUrl(tokenEndpoint))
        problems << QStringLiteral("The token endpoint must be an http(s) URL.");
    if (clientId.trimmed().isEmpty())
        problems << QStringLiteral("The client ID is empty.");
    if (authMethod != ClientAuthMethod::None && clientSecret.isEmpty())
        problems << QStringLiteral("%1 needs a client secret (or choose \"none\" for a public "
                                   "client).")
                        .arg(clientAuthMethodName(authMethod));
    QString why;
    if (!LoopbackAddress::isCapturable(redirectUri, &why))
        problems << why;
    return problems;
}

QStringList ClientConfig::warnings() const
{
    QStringList notes;
    if (usePkce && pkceMethod == Pkce::Method::Plain)
        notes << QStringLiteral("PKCE method \"plain\" sends the verifier itself as the challenge; "
                                "use S256 unless the server cannot do it.");
    if (!usePkce && authMethod == ClientAuthMethod::None)
        notes << QStringLiteral("A public client without PKCE: anyone who intercepts the code can "
                                "redeem it. Most servers require PKCE here.");
    if (redirectUri.host() == QLatin1String("localhost"))
        notes << QStringLiteral(
            "RFC 8252 §7.3 recommends 127.0.0.1 over \"localhost\"; some servers "
            "refuse localhost redirect URIs.");
    if (authorizationEndpoint.scheme() == QLatin1String("http") &&
        !LoopbackAddress::isLoopbackHost(authorizationEndpoint.host()))
        notes << QStringLiteral(
            "The authorization endpoint uses plain http on a non-loopback host.");
    if (tokenEndpoint.scheme() == QLatin1String("http") &&
        !LoopbackAddress::isLoopbackHost(tokenEndpoint.host()))
        notes << QStringLiteral("The token endpoint uses plain http on a non-loopback host: the "
                                "client secret and tokens cross the network unencrypted.");
    return notes;
}

bool ClientConfig::wantsOpenId() const
{
    return scope.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(QLatin1String("openid"));
}

FormFields parseParameterLines(const QString &text, QStringList *errors)
{
    FormFields fields;
    int lineNumber = 0;
    for (const QString &rawLine : text.split(QLatin1Char('\n'))) {
        ++lineNumber;
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            if (errors)
                *errors << QStringLiteral("Line %1: expected name=value, got \"%2\".")
                               .arg(lineNumber)
                               .arg(line);
            continue;
        }
        fields.append({line.left(eq).trimmed(), line.mid(eq + 1).trimmed()});
    }
    return fields;
}

QString formatParameterLines(const FormFields &fields)
{
    QStringList lines;
    for (const auto &field : fields)
        lines << field.first + QLatin1Char('=') + field.second;
    return lines.join(QLatin1Char('\n'));
}

} // namespace workbench
