#pragma once

#include "core/flows/DeviceAuthorizationFlow.h"

#include <QTimer>
#include <QWidget>

namespace Ui {
class DeviceCodePanel;
}

namespace workbench {

// What the person needs during the decoupled flows, with the time left and what the last poll
// said. The device flow: the user code, the verification link and its QR code. CIBA: whom the
// server is asking, the binding message their device should show too, and (on the sandbox) a
// link to the page that plays their device.
class DeviceCodePanel : public QWidget
{
    Q_OBJECT
public:
    explicit DeviceCodePanel(QWidget *parent = nullptr);
    ~DeviceCodePanel() override;

    void showAuthorization(const DeviceAuthorization &authorization);
    // `deviceLink`: where the person's device can be opened here (the sandbox's page); empty
    // for a real provider, which reaches the person on its own.
    void showBackchannel(const BackchannelAuthorization &authorization, const QUrl &deviceLink);
    void showPoll(const QString &error, int nextIntervalSeconds);
    void showFinished(const QString &summary);

    QString userCode() const;
    QString instruction() const;
    QUrl verificationLink() const { return m_link; }
    QImage qrImage() const { return m_qr; }
    QString status() const;

signals:
    void openRequested(const QUrl &url);
    void copied(const QString &what);

private:
    void updateCountdown();

    Ui::DeviceCodePanel *m_ui;
    QTimer m_countdown;
    QDateTime m_expiresAt;
    QUrl m_link;
    QImage m_qr;
    int m_polls = 0;
    bool m_backchannel = false;
};

} // namespace workbench
