#pragma once

#include "core/storage/PostmanImport.h"
#include "core/storage/ProfileStore.h"
#include "core/storage/SecretStore.h"

#include <QHash>
#include <QWidget>
#include <functional>

namespace Ui {
class ProfileBar;
}

namespace workbench {

class ClientForm;

// Chooses, saves and manages profiles for the client form: the built-in sandbox first, then the
// person's own profiles (ProfileStore). Secrets of a profile go to the keychain (SecretStore)
// only when "Remember" is on; when no keychain answers, the bar says so and offers to retry.
class ProfileBar : public QWidget
{
    Q_OBJECT
public:
    ProfileBar(ProfileStore *store, SecretStore *secrets, ClientForm *form,
               QWidget *parent = nullptr);
    ~ProfileBar() override;

    // How a form's config becomes a profile's and back (the sandbox's address kept as a
    // placeholder, see RunSession::storable/resolved); unchanged unless set.
    using ConfigMap = std::function<ClientConfig(const ClientConfig &)>;
    void setConfigMaps(ConfigMap toProfile, ConfigMap fromProfile);

    // Index 0 is the sandbox; the person's profiles follow in their order.
    QString currentId() const;
    void selectSandbox();
    bool select(const QString &id);
    void reload();

    // What the menu's actions do after asking for a name (tests call these directly).
    QString saveAsNew(const QString &name);
    bool renameCurrent(const QString &name);
    QString duplicateCurrent();
    bool removeCurrent();
    bool moveCurrent(int delta);
    QString keychainNote() const;
    // Keeps one secret of the current profile in the keychain (the refresh token a flow
    // returned, when the person asks), without saving the rest of the form. True when it is on
    // its way (the keychain's answer follows as a message), else false and why not.
    [[nodiscard]] bool keepSecret(const QString &secretField, const QString &value,
                                  QString *error = nullptr);
    // Adds a profile per OAuth 2.0 block of a Postman collection (PostmanImport::fromJson) and
    // selects the first; their secrets go to the keychain only with `keepSecrets`. Returns what
    // happened, for the person.
    QString importPostman(const PostmanImport::Result &collection, bool keepSecrets);

public slots:
    bool save();
    // Keep refresh token in the results pane: keeps it with the current profile, saying how
    // that went (messageRaised).
    void keepRefreshToken(const QString &refreshToken);

signals:
    void sandboxChosen();
    void profileChosen(const QString &id);
    void messageRaised(const QString &message);

private:
    void onCurrentChanged(int index);
    // The "More" menu's items that ask the person first.
    void askSaveAsNew();
    void askRename();
    void askDelete();
    void askImportProfiles();
    void askImportPostman();
    void askExport();
    void onSecretRead(const SecretStore::Result &result);
    void onSecretWritten(const SecretStore::Result &result);
    // Which secret field of the profile a keychain key belongs to; empty when none.
    static QString secretFieldOf(const Profile &profile, const QString &key);
    void persist();
    void showKeychainProblem(const QString &error, std::function<void()> retry);
    void writeSecret(const QString &key, const QString &value);

    Ui::ProfileBar *m_ui;
    ProfileStore *m_store;
    SecretStore *m_secrets;
    ClientForm *m_form;
    std::function<void()> m_retry;
    ConfigMap m_toProfile = [](const ClientConfig &config) { return config; };
    ConfigMap m_fromProfile = [](const ClientConfig &config) { return config; };
    bool m_reloading = false;
    QHash<QString, QString> m_writing; // keychain key -> value, until the keychain answers
};

} // namespace workbench
