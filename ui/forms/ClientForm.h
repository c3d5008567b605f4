#pragma once

#include "core/client/ClientConfig.h"
#include "core/discovery/ProviderMetadata.h"

#include <QWidget>
#include <optional>

class QCheckBox;

namespace Ui {
class ClientForm;
}

namespace workbench {

// The client and grant form: what the person types, turned into a ClientConfig. Only the fields
// the chosen grant and client authentication need are shown.
class ClientForm : public QWidget
{
    Q_OBJECT
public:
    explicit ClientForm(QWidget *parent = nullptr);
    ~ClientForm() override;

    ClientConfig config() const;
    void setConfig(const ClientConfig &config);
    // Problems that stop a flow, including unreadable extra parameter lines.
    QStringList problems() const;
    // Fills the endpoints from discovered metadata.
    void applyMetadata(const ProviderMetadata &metadata);
    void setScope(const QString &scope);
    void setTokenEndpoint(const QUrl &endpoint);
    void setGrant(GrantType grant);
    // The chosen grant as the person reads it ("Device authorization (RFC 8628)").
    QString grantTitle() const;

    // Secret fields (ClientConfig::secretFieldNames()) and their "Remember" switches; a field
    // without a switch of its own (tokens pasted for one run) is never remembered.
    bool remembers(const QString &secretField) const;
    void setRemembered(const QString &secretField, bool remember);
    void setSecret(const QString &secretField, const QString &value);
    // The DPoP key a run made (PEM, a secret) for this algorithm: the form's config carries it
    // from now on, and a saved profile keeps it.
    void setDpopKey(const QString &pem, const QString &algorithm);
    // The PEM of the private key, as loaded from a file or pasted by a test.
    void setPrivateKeyPem(const QString &pem);
    // Reads a PEM private key file (at most 64 KiB); false, with why not, when it cannot.
    [[nodiscard]] bool loadPrivateKey(const QString &path, QString *error = nullptr);
    // The same for the key that opens what the server encrypts to the client (JWE).
    void setDecryptionKeyPem(const QString &pem);
    [[nodiscard]] bool loadDecryptionKey(const QString &path, QString *error = nullptr);

signals:
    void edited();
    void discoverRequested(const QUrl &issuer);

private:
    // Fills the provider choice from the knowledge base, once.
    void listProviders();
    QCheckBox *rememberSwitchFor(const QString &secretField) const;
    // Set the fields only; setConfig and applyMetadata then update the state once.
    void fill(const ClientConfig &config);
    void fillEndpoints(const ProviderMetadata &metadata);
    void updateState();
    void updateKeyStatus();
    void updateDecryptionKeyStatus();
    // A PEM private key file's text (at most 64 KiB), or why not.
    static std::optional<QString> readPemFile(const QString &path, QString *error);

    Ui::ClientForm *m_ui;
    // The algorithm lists discovery gave (not fields of the form), kept with the config.
    struct DiscoveredAlgorithms
    {
        QStringList idToken;
        QStringList authorization; // JARM
        QStringList requestEncryption;
        QStringList requestEncryptionEnc;
    };
    DiscoveredAlgorithms m_discovered;
    bool m_providersListed = false;
    QString m_privateKeyPem;
    QString m_decryptionKeyPem; // a secret
    QString m_dpopKeyPem;       // the DPoP key a profile or a run gave (a secret)
    QString m_dpopKeyAlgorithm; // the algorithm that key was made for
    // A client registered from the app (RFC 7592): where and with what token (a secret) its
    // registration is managed; it goes with the client id it was made for only.
    QUrl m_registrationClientUri;
    QString m_registrationAccessToken;
    QString m_registeredClientId;
    bool m_filling = false; // many fields are being set at once: updateState waits
};

} // namespace workbench
