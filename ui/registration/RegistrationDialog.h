#pragma once

#include "core/client/ClientConfig.h"
#include "core/flows/ClientRegistration.h"
#include "core/http/HttpExchange.h"

#include <QDialog>
#include <functional>
#include <memory>

namespace Ui {
class RegistrationDialog;
}

namespace workbench {

class RunSession;

// Client → Register the client at the server: the RFC 7591 metadata made from the form (editable
// JSON), the registration endpoint from discovery and an optional initial access token; the
// answer becomes a new profile (registered()). A profile of a registered client can read,
// update and delete its registration (RFC 7592); an update's rotated token and a delete go back
// to the profile (registrationChanged()). Each result shows what the server kept and, on a
// refusal, the diagnosis; the exchanges join the results pane as discovery's do.
class RegistrationDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RegistrationDialog(RunSession *session, QWidget *parent = nullptr);
    ~RegistrationDialog() override;

    // The form's client, the profile it is (empty: none) and its registration endpoint (from
    // discovery; empty: the person types it).
    void setClient(const ClientConfig &config, const QString &profileName,
                   const QUrl &registrationEndpoint);
    // Each sends one request; false, with the reason shown, when it cannot be sent.
    bool registerClient();
    bool readRegistration();
    bool updateRegistration();
    bool deleteRegistration(bool confirmed = false);
    bool isBusy() const;
    QString resultText() const;

signals:
    // A new client: its settings with its credentials and registration, for a new profile.
    void registered(const workbench::ClientConfig &config, const QString &profileName);
    // The profile's client after an update (a rotated token) or a delete (no registration).
    void registrationChanged(const workbench::ClientConfig &config);

private:
    void onFinished(const ClientRegistration::Outcome &outcome);
    void showProblem(const QString &problem);
    [[nodiscard]] bool metadata(QJsonObject *object);
    void updateButtons();
    // Runs one operation on the session's registrar, showing `working` while it is under way;
    // false, with the reason shown, when it could not be sent.
    bool send(const std::function<bool(ClientRegistration *, QString *)> &operation,
              const QString &working);

    std::unique_ptr<Ui::RegistrationDialog> m_ui;
    RunSession *m_session;
    ClientConfig m_config;
    QString m_profileName;
    QList<HttpExchange> m_exchanges; // of the operation under way
    bool m_busy = false;
};

} // namespace workbench
