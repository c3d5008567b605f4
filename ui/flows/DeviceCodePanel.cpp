#include "ui/flows/DeviceCodePanel.h"

#include "core/util/Clock.h"
#include "ui/flows/QrCode.h"
#include "ui_DeviceCodePanel.h"

#include <QClipboard>
#include <QGuiApplication>

namespace workbench {

DeviceCodePanel::DeviceCodePanel(QWidget *parent) : QWidget(parent), m_ui(new Ui::DeviceCodePanel)
{
    m_ui->setupUi(this);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &DeviceCodePanel::updateCountdown);
    connect(m_ui->openButton, &QPushButton::clicked, this, [this] { emit openRequested(m_link); });
    connect(m_ui->linkLabel, &QLabel::linkActivated, this,
            [this](const QString &link) { emit openRequested(QUrl(link)); });
    connect(m_ui->copyCodeButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(userCode());
        emit copied(tr("User code copied."));
    });
}

DeviceCodePanel::~DeviceCodePanel()
{
    delete m_ui;
}

void DeviceCodePanel::showAuthorization(const DeviceAuthorization &authorization)
{
    m_polls = 0;
    m_backchannel = false;
    const QList<QWidget *> parts{m_ui->qrLabel, m_ui->copyCodeButton, m_ui->openButton,
                                 m_ui->linkLabel, m_ui->userCodeLabel};
    for (QWidget *part : parts)
        part->setVisible(true);
    m_ui->instructionLabel->setText(
        tr("On any device, open the link (or scan the code) and enter:"));
    m_ui->userCodeLabel->setAccessibleName(tr("User code"));
    m_expiresAt = authorization.expiresAt;
    // The complete URI carries the code, so a phone that scans it needs no typing.
    m_link = authorization.verificationUriComplete.isValid() &&
                     !authorization.verificationUriComplete.isEmpty()
                 ? authorization.verificationUriComplete
                 : authorization.verificationUri;
    m_ui->userCodeLabel->setText(authorization.userCode);
    m_ui->linkLabel->setText(QStringLiteral("<a href=\"%1\">%2</a>")
                                 .arg(m_link.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                      authorization.verificationUri.toString().toHtmlEscaped()));
    QString error;
    m_qr = QrCode::render(m_link.toString(QUrl::FullyEncoded).toUtf8(), 4, &error);
    if (m_qr.isNull())
        m_ui->qrLabel->setText(error);
    else
        m_ui->qrLabel->setPixmap(QPixmap::fromImage(m_qr));
    m_ui->statusLabel->setText(
        tr("Waiting for the first poll (every %1 s)…").arg(authorization.intervalSeconds));
    m_countdown.start();
    updateCountdown();
    show();
}

void DeviceCodePanel::showBackchannel(const BackchannelAuthorization &authorization,
                                      const QUrl &deviceLink)
{
    m_polls = 0;
    m_backchannel = true;
    m_expiresAt = authorization.expiresAt;
    m_link = deviceLink;
    m_qr = {};
    m_ui->qrLabel->hide();
    m_ui->copyCodeButton->hide();
    const bool withMessage = !authorization.bindingMessage.isEmpty();
    m_ui->instructionLabel->setText(
        withMessage ? tr("The server is asking <b>%1</b> to approve on their own device, which "
                         "should show this message too:")
                          .arg(authorization.loginHint.toHtmlEscaped())
                    : tr("The server is asking <b>%1</b> to approve on their own device.")
                          .arg(authorization.loginHint.toHtmlEscaped()));
    m_ui->userCodeLabel->setText(authorization.bindingMessage);
    m_ui->userCodeLabel->setAccessibleName(tr("Binding message"));
    m_ui->userCodeLabel->setVisible(withMessage);
    const bool here = deviceLink.isValid() && !deviceLink.isEmpty();
    m_ui->linkLabel->setText(
        here ? tr("On the sandbox, <a href=\"%1\">its authentication device page</a> plays "
                  "the person's phone.")
                   .arg(deviceLink.toString(QUrl::FullyEncoded).toHtmlEscaped())
             : QString());
    m_ui->linkLabel->setVisible(here);
    m_ui->openButton->setVisible(here);
    m_ui->statusLabel->setText(
        tr("Waiting for the first poll (every %1 s)…").arg(authorization.intervalSeconds));
    m_countdown.start();
    updateCountdown();
    show();
}

void DeviceCodePanel::showPoll(const QString &error, int nextIntervalSeconds)
{
    ++m_polls;
    m_ui->statusLabel->setText(
        error == QLatin1String("slow_down")
            ? tr("The server asked to slow down: polling every %1 s now (%2 polls so far).")
                  .arg(nextIntervalSeconds)
                  .arg(m_polls)
            : tr("Waiting for approval (%1); next poll in %2 s, %3 so far.")
                  .arg(error)
                  .arg(nextIntervalSeconds)
                  .arg(m_polls));
}

void DeviceCodePanel::showFinished(const QString &summary)
{
    m_countdown.stop();
    m_ui->statusLabel->setText(summary);
    m_ui->expiryLabel->clear();
}

QString DeviceCodePanel::userCode() const
{
    return m_ui->userCodeLabel->text();
}

QString DeviceCodePanel::instruction() const
{
    return m_ui->instructionLabel->text();
}

QString DeviceCodePanel::status() const
{
    return m_ui->statusLabel->text();
}

void DeviceCodePanel::updateCountdown()
{
    const qint64 left = Clock::utcNow().secsTo(m_expiresAt);
    m_ui->expiryLabel->setText(
        left > 0 ? (m_backchannel ? tr("Request expires in %1:%2") : tr("Code expires in %1:%2"))
                       .arg(left / 60)
                       .arg(left % 60, 2, 10, QLatin1Char('0'))
                 : (m_backchannel ? tr("Request expired") : tr("Code expired")));
}

} // namespace workbench
