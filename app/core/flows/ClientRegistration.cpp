#include "core/flows/ClientRegistration.h"

#include "core/http/BodyShape.h"
#include "core/http/ExchangeClient.h"
#include "core/util/Failure.h"
#include "core/util/Fingerprint.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>

namespace workbench {

namespace {
const QStringList kSecretMembers = {QStringLiteral("client_secret"),
                                    QStringLiteral("registration_access_token")};

bool isLoopback(const QUrl &uri)
{
    const QHostAddress address(uri.host());
    return !address.isNull() && address.isLoopback();
}

QDateTime fromEpoch(const QJsonValue &value)
{
    const qint64 seconds = value.toVariant().toLongLong();
    return seconds > 0 ? QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC) : QDateTime();
}

QJsonArray arrayOf(const QStringList &values)
{
    return QJsonArray::fromStringList(values);
}

// The grant types a registration asks for the grant the form runs (RFC 7591 §2).
QStringList grantTypesFor(const ClientConfig &config)
{
    switch (config.grant) {
    case GrantType::AuthorizationCode:
        return {QStringLiteral("authorization_code"), QStringLiteral("refresh_token")};
    case GrantType::Hybrid:
        return {QStringLiteral("authorization_code"), QStringLiteral("implicit")};
    case GrantType::RefreshToken:
        return {QStringLiteral("authorization_code"), QStringLiteral("refresh_token")};
    case GrantType::DeviceCode:
        return {grantTypeName(config.grant), QStringLiteral("refresh_token")};
    default:
        return {grantTypeName(config.grant)};
    }
}

QStringList responseTypesFor(const ClientConfig &config)
{
    if (!usesBrowser(config.grant) && config.grant != GrantType::RefreshToken)
        return {};
    if (!config.responseType.trimmed().isEmpty())
        return {config.responseType.simplified()};
    switch (config.grant) {
    case GrantType::Implicit:
        return {QStringLiteral("id_token token")};
    case GrantType::Hybrid:
        return {QStringLiteral("code id_token")};
    default:
        return {QStringLiteral("code")};
    }
}
} // namespace

std::optional<RegisteredClient> RegisteredClient::fromResponse(const QByteArray &body,
                                                               QStringList *problems)
{
    QStringList found;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        found << (BodyShape::looksLikeHtml(body, {})
                      ? QStringLiteral("The answer is an HTML page, not the client's JSON.")
                      : QStringLiteral("The answer is not a JSON object (%1).")
                            .arg(parseError.error == QJsonParseError::NoError
                                     ? QStringLiteral("another JSON value")
                                     : parseError.errorString()));
        if (problems)
            *problems << found;
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    RegisteredClient client;
    const QJsonValue id = object.value(QLatin1String("client_id"));
    if (!id.isString() || id.toString().isEmpty())
        found << QStringLiteral("The answer has no client_id (RFC 7591 §3.2.1 requires it).");
    client.clientId = id.toString();
    for (const QString &member : kSecretMembers) {
        const QJsonValue value = object.value(member);
        if (!value.isUndefined() && !value.isString())
            found << QStringLiteral("%1 is not a string.").arg(member);
    }
    client.clientSecret = object.value(QLatin1String("client_secret")).toString();
    client.registrationAccessToken =
        object.value(QLatin1String("registration_access_token")).toString();
    const QString uri = object.value(QLatin1String("registration_client_uri")).toString();
    client.registrationClientUri = QUrl(uri, QUrl::StrictMode);
    if (!uri.isEmpty() &&
        (!client.registrationClientUri.isValid() || client.registrationClientUri.isRelative()))
        found << QStringLiteral("registration_client_uri is not an absolute URL.");
    if (!client.clientSecret.isEmpty() &&
        !object.contains(QLatin1String("client_secret_expires_at")))
        found << QStringLiteral("The answer has a client_secret without "
                                "client_secret_expires_at (RFC 7591 §3.2.1 requires both).");
    client.clientIdIssuedAt = fromEpoch(object.value(QLatin1String("client_id_issued_at")));
    client.clientSecretExpiresAt =
        fromEpoch(object.value(QLatin1String("client_secret_expires_at")));
    client.metadata = object;
    for (const QString &member : kSecretMembers)
        client.metadata.remove(member);
    // A missing client_id makes it unusable; the rest is worth saying but usable.
    if (problems)
        *problems << found;
    if (client.clientId.isEmpty())
        return std::nullopt;
    return client;
}

ClientConfig RegisteredClient::applyTo(ClientConfig base) const
{
    base.clientId = clientId;
    // A read or an update answer may leave out what did not change (RFC 7592 §2.2): keep it.
    if (!clientSecret.isEmpty())
        base.clientSecret = clientSecret;
    if (!registrationAccessToken.isEmpty())
        base.registrationAccessToken = registrationAccessToken;
    if (!registrationClientUri.isEmpty())
        base.registrationClientUri = registrationClientUri;
    if (ClientAuthMethod method{}; clientAuthMethodFromName(
            metadata.value(QLatin1String("token_endpoint_auth_method")).toString(), &method))
        base.authMethod = method;
    // The server may have narrowed the redirect URIs or the scope it allows.
    const QJsonArray redirects = metadata.value(QLatin1String("redirect_uris")).toArray();
    bool keptRedirect = redirects.isEmpty();
    for (const QJsonValue &redirect : redirects)
        keptRedirect = keptRedirect || QUrl(redirect.toString()) == base.redirectUri;
    if (!keptRedirect)
        base.redirectUri = QUrl(redirects.first().toString());
    return base;
}

QStringList RegisteredClient::describe() const
{
    QStringList lines;
    lines << QStringLiteral("client_id: %1").arg(clientId);
    if (!clientSecret.isEmpty())
        lines << QStringLiteral("client_secret: %1 (kept secret)")
                     .arg(fingerprint(clientSecret.toUtf8()));
    if (clientIdIssuedAt.isValid())
        lines << QStringLiteral("Issued at %1").arg(clientIdIssuedAt.toString(Qt::ISODate));
    if (!clientSecret.isEmpty())
        lines << (clientSecretExpiresAt.isValid()
                      ? QStringLiteral("The secret expires at %1")
                            .arg(clientSecretExpiresAt.toString(Qt::ISODate))
                      : QStringLiteral("The secret does not expire."));
    if (!registrationClientUri.isEmpty())
        lines << QStringLiteral("Managed at %1 with registration access token %2")
                     .arg(registrationClientUri.toString(),
                          fingerprint(registrationAccessToken.toUtf8()));
    else
        lines << QStringLiteral("The server gave no registration_client_uri: this client cannot "
                                "be read, updated or deleted (RFC 7592) from here.");
    for (const QString &member :
         {QStringLiteral("token_endpoint_auth_method"), QStringLiteral("grant_types"),
          QStringLiteral("response_types"), QStringLiteral("redirect_uris"),
          QStringLiteral("scope"), QStringLiteral("application_type")}) {
        const QJsonValue value = metadata.value(member);
        if (value.isString())
            lines << QStringLiteral("%1: %2").arg(member, value.toString());
        else if (value.isArray())
            lines << QStringLiteral("%1: %2").arg(
                member, value.toVariant().toStringList().join(QStringLiteral(", ")));
    }
    return lines;
}

ClientRegistration::ClientRegistration(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client)
{
}

ClientRegistration::~ClientRegistration()
{
    if (m_pending)
        m_pending->abort();
}

QJsonObject ClientRegistration::metadataFor(const ClientConfig &config, const QString &clientName)
{
    QJsonObject metadata;
    const QStringList responseTypes = responseTypesFor(config);
    if (!responseTypes.isEmpty()) {
        metadata.insert("redirect_uris", arrayOf({config.redirectUri.toString()}));
        // RFC 8252 §8.4: a loopback redirect belongs to a native app.
        metadata.insert("application_type", isLoopback(config.redirectUri)
                                                ? QStringLiteral("native")
                                                : QStringLiteral("web"));
    } else {
        metadata.insert("redirect_uris", QJsonArray());
    }
    metadata.insert("grant_types", arrayOf(grantTypesFor(config)));
    metadata.insert("response_types", arrayOf(responseTypes));
    metadata.insert("token_endpoint_auth_method", clientAuthMethodName(config.authMethod));
    if (config.authMethod == ClientAuthMethod::PrivateKeyJwt ||
        config.authMethod == ClientAuthMethod::ClientSecretJwt)
        metadata.insert("token_endpoint_auth_signing_alg",
                        config.authMethod == ClientAuthMethod::ClientSecretJwt
                            ? QStringLiteral("HS256")
                            : config.signingAlgorithm);
    // The public halves of the client's keys: the signing key's for its assertions and
    // request objects, the decryption key's for what the server encrypts to it.
    if (const QJsonObject jwks = config.publicJwks(); !jwks.value("keys").toArray().isEmpty())
        metadata.insert("jwks", jwks);
    if (!config.scope.trimmed().isEmpty())
        metadata.insert("scope", config.scope.simplified());
    if (config.useDpop)
        metadata.insert("dpop_bound_access_tokens", true); // RFC 9449 §5.2
    if (!clientName.trimmed().isEmpty())
        metadata.insert("client_name", clientName.trimmed());
    return metadata;
}

bool ClientRegistration::registerClient(const QUrl &endpoint, const QJsonObject &metadata,
                                        const QString &initialAccessToken, QString *error)
{
    if (!endpoint.isValid() || endpoint.isRelative() ||
        (endpoint.scheme() != QLatin1String("https") && endpoint.scheme() != QLatin1String("http")))
        return Failure::report(error, tr("The registration endpoint must be an http(s) URL; "
                                         "discovery finds it as registration_endpoint."));
    HttpRequestSpec spec;
    spec.method = "POST";
    spec.url = endpoint;
    spec.setHeader("Content-Type", "application/json");
    spec.setHeader("Accept", "application/json");
    if (!initialAccessToken.isEmpty())
        spec.setHeader("Authorization", "Bearer " + initialAccessToken.toUtf8());
    spec.body = QJsonDocument(metadata).toJson(QJsonDocument::Compact);
    return send(Operation::Register, spec, error);
}

bool ClientRegistration::canManage(const ClientConfig &config, QString *error) const
{
    if (config.registrationClientUri.isEmpty() || config.registrationAccessToken.isEmpty())
        return Failure::report(error, tr("This client has no registration to manage: register it "
                                         "here first (the answer's registration_client_uri and "
                                         "registration_access_token are kept with its profile)."));
    if (!config.registrationClientUri.isValid() || config.registrationClientUri.isRelative())
        return Failure::report(error, tr("The registration_client_uri is not an absolute URL."));
    return true;
}

bool ClientRegistration::read(const ClientConfig &config, QString *error)
{
    if (!canManage(config, error))
        return false;
    HttpRequestSpec spec;
    spec.url = config.registrationClientUri;
    spec.setHeader("Accept", "application/json");
    spec.setHeader("Authorization", "Bearer " + config.registrationAccessToken.toUtf8());
    return send(Operation::Read, spec, error);
}

bool ClientRegistration::update(const ClientConfig &config, const QJsonObject &metadata,
                                QString *error)
{
    if (!canManage(config, error))
        return false;
    // RFC 7592 §2.2: the whole metadata, with client_id, and without the fields the server
    // manages itself.
    QJsonObject body = metadata;
    for (const char *member : {"registration_access_token", "registration_client_uri",
                               "client_secret_expires_at", "client_id_issued_at"})
        body.remove(QLatin1String(member));
    body.insert("client_id", config.clientId);
    if (!config.clientSecret.isEmpty())
        body.insert("client_secret", config.clientSecret);
    HttpRequestSpec spec;
    spec.method = "PUT";
    spec.url = config.registrationClientUri;
    spec.setHeader("Content-Type", "application/json");
    spec.setHeader("Accept", "application/json");
    spec.setHeader("Authorization", "Bearer " + config.registrationAccessToken.toUtf8());
    spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return send(Operation::Update, spec, error);
}

bool ClientRegistration::remove(const ClientConfig &config, QString *error)
{
    if (!canManage(config, error))
        return false;
    HttpRequestSpec spec;
    spec.method = "DELETE";
    spec.url = config.registrationClientUri;
    spec.setHeader("Authorization", "Bearer " + config.registrationAccessToken.toUtf8());
    return send(Operation::Delete, spec, error);
}

void ClientRegistration::cancel()
{
    if (!m_pending)
        return;
    PendingExchange *pending = m_pending;
    m_pending.clear();
    pending->abort();
}

QString ClientRegistration::operationName(Operation operation)
{
    switch (operation) {
    case Operation::Register:
        return tr("Client registration");
    case Operation::Read:
        return tr("Registration read");
    case Operation::Update:
        return tr("Registration update");
    case Operation::Delete:
        return tr("Registration delete");
    }
    return {};
}

bool ClientRegistration::send(Operation operation, HttpRequestSpec spec, QString *error)
{
    if (m_pending)
        return Failure::report(error, tr("A registration request is already under way."));
    m_pending = m_client->send(spec, operationName(operation));
    PendingExchange *pending = m_pending;
    connect(pending, &PendingExchange::finished, this,
            [this, pending, operation](const HttpExchange &exchange) {
                emit exchangeRecorded(exchange);
                if (m_pending != pending)
                    return; // cancelled
                m_pending.clear();
                onFinished(operation, exchange);
            });
    return true;
}

void ClientRegistration::onFinished(Operation operation, const HttpExchange &exchange)
{
    Outcome outcome;
    outcome.operation = operation;
    const QString name = operationName(operation);
    if (!exchange.hasResponse()) {
        outcome.summary = tr("%1 failed: no answer (%2).").arg(name, exchange.networkError);
        emit finished(outcome);
        return;
    }
    // RFC 7591 §3.2.1: 201 for a new client; RFC 7592: 200 for read and update, 204 for delete.
    const int expected = operation == Operation::Register ? 201
                         : operation == Operation::Delete ? 204
                                                          : 200;
    const bool success = exchange.status >= 200 && exchange.status < 300;
    if (!success) {
        const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
        const QString code = body.value(QLatin1String("error")).toString();
        outcome.summary = code.isEmpty() ? tr("%1 refused: HTTP %2.").arg(name).arg(exchange.status)
                                         : tr("%1 refused: %2.").arg(name, code);
        const QString description = body.value(QLatin1String("error_description")).toString();
        if (!description.isEmpty())
            outcome.details << tr("The server says: %1").arg(description);
        if (operation != Operation::Register && exchange.status == 401)
            outcome.details << tr("A 401 here means the registration access token is not "
                                  "valid any more (rotated on an update, or the client was "
                                  "deleted).");
        emit finished(outcome);
        return;
    }
    if (exchange.status != expected)
        outcome.details << tr("The server answered %1 where RFC 7591/7592 say %2.")
                               .arg(exchange.status)
                               .arg(expected);
    if (operation == Operation::Delete) {
        outcome.succeeded = true;
        outcome.summary = tr("The server deleted the client's registration.");
        emit finished(outcome);
        return;
    }
    QStringList problems;
    outcome.client = RegisteredClient::fromResponse(exchange.responseBody, &problems);
    outcome.details << problems;
    outcome.succeeded = outcome.client.has_value();
    if (!outcome.succeeded) {
        outcome.summary =
            tr("%1 answered %2, but not with a usable client.").arg(name).arg(exchange.status);
    } else {
        outcome.summary =
            operation == Operation::Register
                ? tr("The server registered client %1.").arg(outcome.client->clientId)
            : operation == Operation::Read
                ? tr("The server's registration of client %1.").arg(outcome.client->clientId)
                : tr("The server updated client %1.").arg(outcome.client->clientId);
        outcome.details << outcome.client->describe();
    }
    emit finished(outcome);
}

} // namespace workbench
