#pragma once

#include "core/flows/DeviceAuthorizationFlow.h"

#include <QTimer>
#include <QWidget>

namespace Ui {
class DeviceCodePanel;
}

namespace workbench {

// What the person needs during the device flow: the user code, the verification link and its QR
// code, the time left, and what the last poll said.
class DeviceCodePanel : public QWidget
{
    Q_OBJECT
public:
    explicit DeviceCodePanel(QWidget *parent = nullptr);
    ~DeviceCodePanel() override;

    void showAuthorization(const DeviceAuthorization &authorization);
    void showPoll(const QString &error, int nextIntervalSeconds);
    void showFinished(const QString &summary);

    QString userCode() const;
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
};

} // namespace workbench
