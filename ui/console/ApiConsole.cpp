#include "ui/console/ApiConsole.h"

#include "ui_ApiConsole.h"

#include <QInputDialog>
#include <QMessageBox>

namespace workbench {

ApiConsole::ApiConsole(ApiCaller *caller, ApiRequestStore *store, QWidget *parent)
    : QDialog(parent), m_ui(new Ui::ApiConsole), m_caller(caller), m_store(store)
{
    m_ui->setupUi(this);
    connect(m_ui->sendButton, &QPushButton::clicked, this, [this] { send(); });
    connect(m_ui->urlEdit, &QLineEdit::returnPressed, this, [this] { send(); });
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ApiConsole::saveCurrent);
    connect(m_ui->deleteButton, &QPushButton::clicked, this, [this] {
        const int index = m_ui->savedCombo->currentIndex();
        if (index < 0 || index >= m_saved.size())
            return;
        QString problem;
        if (!m_store->remove(m_profile, m_saved.at(index).name, &problem))
            m_ui->statusLabel->setText(tr("The request could not be deleted: %1").arg(problem));
        listSaved();
    });
    connect(m_ui->savedCombo, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < m_saved.size())
            setRequest(m_saved.at(index).request);
    });
    connect(m_ui->urlEdit, &QLineEdit::textChanged, this, &ApiConsole::updateState);
    connect(m_caller, &ApiCaller::finished, this, &ApiConsole::showOutcome);
    resize(640, 480);
    updateState();
}

ApiConsole::~ApiConsole()
{
    delete m_ui;
}

void ApiConsole::setProfile(const QString &profile)
{
    m_profile = profile;
    listSaved();
}

void ApiConsole::listSaved()
{
    m_saved = m_profile.isEmpty() ? QList<ApiRequestStore::Saved>() : m_store->requests(m_profile);
    m_ui->savedCombo->clear();
    for (const ApiRequestStore::Saved &saved : std::as_const(m_saved))
        m_ui->savedCombo->addItem(saved.name);
    m_ui->savedCombo->setPlaceholderText(m_profile.isEmpty() ? tr("(choose a profile to keep "
                                                                  "requests with it)")
                                                             : tr("(none saved yet)"));
    m_ui->savedCombo->setCurrentIndex(-1);
    updateState();
}

ApiCaller::Request ApiConsole::request(QString *problem) const
{
    ApiCaller::Request request;
    request.method = m_ui->methodCombo->currentText().trimmed().toUpper().toLatin1();
    request.url = QUrl(m_ui->urlEdit->text().trimmed(), QUrl::StrictMode);
    const QStringList lines =
        m_ui->headersEdit->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            if (problem)
                *problem = tr("The header line \"%1\" is not \"Name: value\".").arg(line);
            continue;
        }
        request.headers.append(
            {line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    request.body = m_ui->bodyEdit->toPlainText().toUtf8();
    request.scheme = m_ui->schemeCombo->currentIndex() == 1   ? ApiCaller::Scheme::Bearer
                     : m_ui->schemeCombo->currentIndex() == 2 ? ApiCaller::Scheme::Dpop
                                                              : ApiCaller::Scheme::Auto;
    return request;
}

void ApiConsole::setRequest(const ApiCaller::Request &request)
{
    m_ui->methodCombo->setCurrentText(QString::fromLatin1(request.method));
    m_ui->urlEdit->setText(request.url.toString());
    QStringList lines;
    for (const auto &[name, value] : request.headers)
        lines << QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value);
    m_ui->headersEdit->setPlainText(lines.join(QLatin1Char('\n')));
    m_ui->bodyEdit->setPlainText(QString::fromUtf8(request.body));
    m_ui->schemeCombo->setCurrentIndex(request.scheme == ApiCaller::Scheme::Bearer ? 1
                                       : request.scheme == ApiCaller::Scheme::Dpop ? 2
                                                                                   : 0);
}

bool ApiConsole::send()
{
    QString problem;
    const ApiCaller::Request made = request(&problem);
    if (problem.isEmpty())
        problem = m_caller->unavailableReason(made);
    if (!problem.isEmpty() || !m_caller->call(made)) {
        m_ui->statusLabel->setText(problem);
        return false;
    }
    m_ui->statusLabel->setText(
        tr("%1 %2 sent…")
            .arg(QString::fromLatin1(made.method), made.url.toString(QUrl::RemoveQuery)));
    updateState();
    return true;
}

void ApiConsole::showOutcome(const ApiCaller::Outcome &outcome)
{
    QStringList lines{(outcome.succeeded ? tr("OK: ") : tr("FAILED: ")) + outcome.summary};
    lines << outcome.details;
    if (!outcome.succeeded)
        lines << tr("The results show the answer and its diagnosis.");
    m_ui->statusLabel->setText(lines.join(QLatin1Char('\n')));
    updateState();
}

void ApiConsole::saveCurrent()
{
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Save request"), tr("Name for this request:"),
                              QLineEdit::Normal, m_ui->savedCombo->currentText(), &ok)
            .trimmed();
    if (!ok || name.isEmpty())
        return;
    QString problem;
    if (!m_store->save(m_profile, {name, request(nullptr)}, &problem)) {
        m_ui->statusLabel->setText(tr("The request could not be saved: %1").arg(problem));
        return;
    }
    listSaved();
    m_ui->savedCombo->setCurrentText(name);
}

void ApiConsole::updateState()
{
    m_ui->sendButton->setEnabled(!m_caller->busy() && !m_ui->urlEdit->text().trimmed().isEmpty());
    m_ui->saveButton->setEnabled(!m_profile.isEmpty() &&
                                 !m_ui->urlEdit->text().trimmed().isEmpty());
    m_ui->deleteButton->setEnabled(!m_profile.isEmpty() && !m_saved.isEmpty());
}

} // namespace workbench
