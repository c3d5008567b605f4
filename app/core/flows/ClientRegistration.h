#pragma once

#include "core/client/ClientConfig.h"
#include "core/http/HttpExchange.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <optional>

namespace workbench {

class ExchangeClient;
class PendingExchange;

// What a registration endpoint answered about a client (RFC 7591 §3.2.1, RFC 7592 §3): the
// client's credentials, where and with what to manage it, and the metadata the server kept.
struct RegisteredClient
{
    QString clientId;
    QString clientSecret;            // a secret; empty for a public client
    QString registrationAccessToken; // a secret (RFC 7592 §3); empty: not manageable
    QUrl registrationClientUri;      // RFC 7592 §3
    QDateTime clientIdIssuedAt;      // invalid when not said
    QDateTime clientSecretExpiresAt; // invalid: never expires, or not said
    QJsonObject metadata;            // the answer without the secrets

    // Reads a registration or read answer; `problems` says what makes it unusable (not a JSON
    // object, no client_id, a client_secret that is not a string, ...).
    [[nodiscard]] static std::optional<RegisteredClient> fromResponse(const QByteArray &body,
                                                                      QStringList *problems);
    // `base` (the settings it was registered from) with this client's credentials, registration
    // and the metadata the server may have changed: auth method, redirect URI, scope.
    ClientConfig applyTo(ClientConfig base) const;
    // One line per fact worth showing, secrets as fingerprints.
    QStringList describe() const;
};

// Dynamic client registration (RFC 7591) and its management (RFC 7592): registers a client
// from the form's settings, reads, updates and deletes it, each request recorded as an exchange.
class ClientRegistration : public QObject
{
    Q_OBJECT
public:
    enum class Operation { Register, Read, Update, Delete };
    Q_ENUM(Operation)

    struct Outcome
    {
        Operation operation = Operation::Register;
        bool succeeded = false;
        QString summary;
        QStringList details;
        std::optional<RegisteredClient> client; // register, read and update that succeeded
    };

    explicit ClientRegistration(ExchangeClient *client, QObject *parent = nullptr);
    ~ClientRegistration() override;

    // The RFC 7591 §2 metadata for `config`'s client: redirect URI, grant and response types,
    // token endpoint authentication (with the public key for private_key_jwt), scope, DPoP, and
    // `clientName` when given. A loopback redirect makes it a native client (RFC 8252 §8.4).
    static QJsonObject metadataFor(const ClientConfig &config, const QString &clientName = {});

    // Each sends one request; false (and `error`) when it cannot be sent. finished() follows.
    // `initialAccessToken` (RFC 7591 §3) goes as a Bearer token when not empty.
    [[nodiscard]] bool registerClient(const QUrl &endpoint, const QJsonObject &metadata,
                                      const QString &initialAccessToken, QString *error);
    // The registration of `config` (registrationClientUri, registrationAccessToken).
    [[nodiscard]] bool read(const ClientConfig &config, QString *error);
    // Replaces the registered metadata with `metadata` (client_id added; RFC 7592 §2.2).
    [[nodiscard]] bool update(const ClientConfig &config, const QJsonObject &metadata,
                              QString *error);
    [[nodiscard]] bool remove(const ClientConfig &config, QString *error);
    void cancel();
    bool isRunning() const { return !m_pending.isNull(); }

    static QString operationName(Operation operation);

signals:
    void exchangeRecorded(const workbench::HttpExchange &exchange);
    void finished(const workbench::ClientRegistration::Outcome &outcome);

private:
    [[nodiscard]] bool send(Operation operation, HttpRequestSpec spec, QString *error);
    [[nodiscard]] bool canManage(const ClientConfig &config, QString *error) const;
    void onFinished(Operation operation, const HttpExchange &exchange);

    ExchangeClient *m_client;
    QPointer<PendingExchange> m_pending;
};

} // namespace workbench
