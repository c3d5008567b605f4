#pragma once

#include "core/storage/ApiRequestStore.h"
#include "core/tokens/ApiCaller.h"

#include <QDialog>

namespace Ui {
class ApiConsole;
}

namespace workbench {

// The API console: a request to any URL with the run's access token (Bearer or DPoP), sent
// through the run's ApiCaller so it is recorded, refreshed when needed and diagnosed in the
// results; requests can be kept per profile.
class ApiConsole : public QDialog
{
    Q_OBJECT
public:
    ApiConsole(ApiCaller *caller, ApiRequestStore *store, QWidget *parent = nullptr);
    ~ApiConsole() override;

    // The profile whose saved requests are listed (a name; empty: none can be saved).
    void setProfile(const QString &profile);
    // The request as the fields say; `problem` set when they cannot make one.
    ApiCaller::Request request(QString *problem) const;
    void setRequest(const ApiCaller::Request &request);
    // Sends the request the fields make; false when it cannot be sent (the status says why).
    bool send();

private:
    void listSaved();
    void saveCurrent();
    void showOutcome(const ApiCaller::Outcome &outcome);
    void updateState();

    Ui::ApiConsole *m_ui;
    ApiCaller *m_caller;
    ApiRequestStore *m_store;
    QString m_profile;
    QList<ApiRequestStore::Saved> m_saved;
};

} // namespace workbench
