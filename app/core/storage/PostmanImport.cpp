#include "core/storage/PostmanImport.h"

#include "core/listener/LoopbackAddress.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace workbench::PostmanImport {

namespace {

using Variables = QHash<QString, QString>;

// The oauth2 block as key -> value: v2.1 writes [{key, value, type}], v2.0 an object.
QHash<QString, QJsonValue> settingsOf(const QJsonValue &block)
{
    QHash<QString, QJsonValue> settings;
    if (block.isArray()) {
        for (const QJsonValue &entry : block.toArray()) {
            const QJsonObject item = entry.toObject();
            if (item.contains(QLatin1String("key")))
                settings.insert(item.value(QLatin1String("key")).toString(),
                                item.value(QLatin1String("value")));
        }
    } else {
        const QJsonObject object = block.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            settings.insert(it.key(), it.value());
    }
    return settings;
}

class Reader
{
public:
    Reader(Variables variables, QStringList *warnings)
        : m_variables(std::move(variables)), m_warnings(warnings)
    {
    }

    // {{name}} replaced by the collection's variable; unknown ones stay, with a warning.
    QString text(const QHash<QString, QJsonValue> &settings, const QString &key,
                 const QString &where)
    {
        const QJsonValue value = settings.value(key);
        QString out = value.isString() ? value.toString()
                      : value.isBool()
                          ? (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                      : value.isDouble() ? QString::number(value.toDouble())
                                         : QString();
        static const QRegularExpression variable(QStringLiteral("\\{\\{\\s*([^{}]+?)\\s*\\}\\}"));
        QRegularExpressionMatchIterator it = variable.globalMatch(out);
        QString resolved;
        qsizetype last = 0;
        while (it.hasNext()) {
            const QRegularExpressionMatch match = it.next();
            resolved += out.mid(last, match.capturedStart() - last);
            const QString name = match.captured(1);
            if (m_variables.contains(name)) {
                resolved += m_variables.value(name);
            } else {
                resolved += match.captured(0);
                m_warnings->append(QStringLiteral("%1: %2 uses {{%3}}, which the collection does "
                                                  "not define (an environment's, perhaps); fill "
                                                  "it in.")
                                       .arg(where, key, name));
            }
            last = match.capturedEnd();
        }
        return resolved + out.mid(last);
    }

    FormFields parameters(const QHash<QString, QJsonValue> &settings, const QString &key,
                          const QString &where)
    {
        FormFields out;
        for (const QJsonValue &entry : settings.value(key).toArray()) {
            const QJsonObject item = entry.toObject();
            if (item.value(QLatin1String("enabled")).toBool(true) == false)
                continue;
            const QHash<QString, QJsonValue> one{{QStringLiteral("key"), item.value("key")},
                                                 {QStringLiteral("value"), item.value("value")}};
            const QString name = text(one, QStringLiteral("key"), where);
            const QString sendAs = item.value(QLatin1String("send_as")).toString();
            if (sendAs == QLatin1String("request_header")) {
                m_warnings->append(QStringLiteral("%1: the %2 parameter %3 is sent as a header "
                                                  "in Postman; this app sends extra parameters "
                                                  "in the request only, so it was left out.")
                                       .arg(where, key, name));
                continue;
            }
            if (!name.isEmpty())
                out.append({name, text(one, QStringLiteral("value"), where)});
        }
        return out;
    }

private:
    Variables m_variables;
    QStringList *m_warnings;
};

std::optional<Imported> profileFrom(const QJsonValue &block, const QString &name, Reader &reader,
                                    QStringList *warnings)
{
    const QHash<QString, QJsonValue> settings = settingsOf(block);
    if (settings.isEmpty())
        return std::nullopt;
    auto get = [&](const char *key) { return reader.text(settings, QLatin1String(key), name); };
    Imported imported;
    imported.source = name;
    ClientConfig &c = imported.profile.config;
    const QString grant = get("grant_type");
    if (grant.isEmpty() || grant == QLatin1String("authorization_code")) {
        c.grant = GrantType::AuthorizationCode;
        c.usePkce = false; // Postman's plain code grant sends no PKCE
    } else if (grant == QLatin1String("authorization_code_with_pkce")) {
        c.grant = GrantType::AuthorizationCode;
        c.usePkce = true;
        c.pkceMethod = get("challengeAlgorithm") == QLatin1String("plain") ? Pkce::Method::Plain
                                                                           : Pkce::Method::S256;
    } else if (grant == QLatin1String("implicit")) {
        c.grant = GrantType::Implicit;
    } else if (grant == QLatin1String("password_credentials")) {
        c.grant = GrantType::Password;
    } else if (grant == QLatin1String("client_credentials")) {
        c.grant = GrantType::ClientCredentials;
    } else {
        warnings->append(QStringLiteral("%1: the grant type \"%2\" is not one Postman writes; "
                                        "the authorization code grant was chosen.")
                             .arg(name, grant));
    }
    c.authorizationEndpoint = QUrl(get("authUrl"));
    c.tokenEndpoint = QUrl(get("accessTokenUrl"));
    c.clientId = get("clientId");
    c.scope = get("scope");
    c.username = get("username");
    const QString secret = get("clientSecret");
    const QString password = get("password");
    c.authMethod = secret.isEmpty() ? ClientAuthMethod::None
                   : get("client_authentication") == QLatin1String("body")
                       ? ClientAuthMethod::ClientSecretPost
                       : ClientAuthMethod::ClientSecretBasic;
    if (!secret.isEmpty())
        imported.secrets.insert(QStringLiteral("client_secret"), secret);
    if (!password.isEmpty())
        imported.secrets.insert(QStringLiteral("password"), password);

    const QUrl redirect(get("redirect_uri"));
    if (LoopbackAddress::isCapturable(redirect))
        c.redirectUri = redirect;
    else if (!redirect.isEmpty() && usesBrowser(c.grant))
        warnings->append(QStringLiteral("%1: the redirect URI %2 is not a loopback address this "
                                        "app can listen on; it uses %3. Register that one with "
                                        "the provider (RFC 8252 §7.3).")
                             .arg(name, redirect.toString(), c.redirectUri.toString()));
    if (!get("state").isEmpty())
        warnings->append(QStringLiteral("%1: the fixed state value was not taken: the app makes "
                                        "a fresh, unguessable state for every run.")
                             .arg(name));
    const QString refreshUrl = get("refreshTokenUrl");
    if (!refreshUrl.isEmpty() && QUrl(refreshUrl) != c.tokenEndpoint)
        warnings->append(QStringLiteral("%1: refreshes go to the token endpoint here, not to the "
                                        "separate refresh URL %2.")
                             .arg(name, refreshUrl));
    c.extraAuthorizationParameters =
        reader.parameters(settings, QStringLiteral("authRequestParams"), name);
    c.extraTokenParameters =
        reader.parameters(settings, QStringLiteral("tokenRequestParams"), name);
    for (const auto &[key, value] : std::as_const(c.extraAuthorizationParameters)) {
        if (key == QLatin1String("audience"))
            c.audience = value;
    }
    imported.profile.name = name;
    return imported;
}

bool sameSettings(const Imported &a, const Imported &b)
{
    return a.profile.toJson().value(QLatin1String("config")) ==
               b.profile.toJson().value(QLatin1String("config")) &&
           a.secrets == b.secrets;
}

struct Walker
{
    Reader &reader;
    Result &result;

    void visit(const QJsonObject &node, const QString &path)
    {
        consider(node.value(QLatin1String("auth")).toObject(), path);
        const QJsonObject request = node.value(QLatin1String("request")).toObject();
        if (!request.isEmpty())
            consider(request.value(QLatin1String("auth")).toObject(), path);
        for (const QJsonValue &child : node.value(QLatin1String("item")).toArray()) {
            const QJsonObject item = child.toObject();
            visit(item,
                  path + QStringLiteral(" / ") +
                      item.value(QLatin1String("name")).toString(QStringLiteral("(unnamed)")));
        }
    }

    void consider(const QJsonObject &auth, const QString &path)
    {
        if (auth.isEmpty())
            return;
        const QString type = auth.value(QLatin1String("type")).toString();
        if (type != QLatin1String("oauth2"))
            return;
        std::optional<Imported> imported =
            profileFrom(auth.value(QLatin1String("oauth2")), path, reader, &result.warnings);
        if (!imported)
            return;
        for (const Imported &seen : std::as_const(result.profiles)) {
            if (sameSettings(seen, *imported))
                return; // a request repeating its folder's settings
        }
        result.profiles << *imported;
    }
};

} // namespace

Result fromJson(const QByteArray &json)
{
    Result result;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        result.error =
            QStringLiteral("This is not a Postman collection: %1.")
                .arg(error.error != QJsonParseError::NoError ? error.errorString()
                                                             : QStringLiteral("not a JSON object"));
        return result;
    }
    const QJsonObject collection = document.object();
    const QJsonObject info = collection.value(QLatin1String("info")).toObject();
    const QString schema = info.value(QLatin1String("schema")).toString();
    if (info.isEmpty() || !collection.value(QLatin1String("item")).isArray()) {
        result.error = QStringLiteral("This is not a Postman collection: it has no info and item "
                                      "members.");
        return result;
    }
    if (!schema.contains(QLatin1String("v2.1")) && !schema.contains(QLatin1String("v2.0")))
        result.warnings << QStringLiteral("The collection's schema (%1) is not v2.0 or v2.1; "
                                          "its OAuth 2.0 settings were read as v2.1's.")
                               .arg(schema.isEmpty() ? QStringLiteral("none given") : schema);
    Variables variables;
    for (const QJsonValue &entry : collection.value(QLatin1String("variable")).toArray()) {
        const QJsonObject variable = entry.toObject();
        variables.insert(variable.value(QLatin1String("key")).toString(),
                         variable.value(QLatin1String("value")).toVariant().toString());
    }
    Reader reader(variables, &result.warnings);
    Walker walker{reader, result};
    walker.visit(collection,
                 info.value(QLatin1String("name")).toString(QStringLiteral("Postman collection")));
    if (result.profiles.isEmpty())
        result.error = QStringLiteral("The collection has no OAuth 2.0 settings (no auth block of "
                                      "type oauth2 on it, its folders or requests).");
    result.warnings.removeDuplicates();
    return result;
}

} // namespace workbench::PostmanImport
