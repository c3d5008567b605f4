#pragma once

#include "discovery/ProviderMetadata.h"
#include "flows/ClientConfig.h"

#include <QWidget>

namespace Ui {
class ClientForm;
}

namespace workbench {

// The client and grant form: what the person types, turned into a ClientConfig.
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
    bool rememberSecret() const;
    void setRememberSecret(bool remember);
    void setClientSecret(const QString &secret);

signals:
    void edited();
    void discoverRequested(const QUrl &issuer);

private:
    void updateState();

    Ui::ClientForm *m_ui;
    QStringList m_idTokenAlgorithms; // from discovery
};

} // namespace workbench
