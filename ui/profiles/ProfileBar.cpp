#include "ui/profiles/ProfileBar.h"

#include "core/util/Failure.h"

#include "ui/ExportPaths.h"
#include "ui/forms/ClientForm.h"
#include "ui_ProfileBar.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QShortcut>

namespace workbench {

ProfileBar::ProfileBar(ProfileStore *store, SecretStore *secrets, ClientForm *form, QWidget *parent)
    : QWidget(parent), m_ui(new Ui::ProfileBar), m_store(store), m_secrets(secrets), m_form(form)
{
    m_ui->setupUi(this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Save as new profile…"), this, &ProfileBar::askSaveAsNew);
    menu->addAction(tr("Duplicate"), this, &ProfileBar::duplicateCurrent);
    menu->addAction(tr("Rename…"), this, &ProfileBar::askRename);
    menu->addAction(tr("Delete"), this, &ProfileBar::askDelete);
    menu->addAction(tr("Move up"), this, [this] { moveCurrent(-1); });
    menu->addAction(tr("Move down"), this, [this] { moveCurrent(1); });
    menu->addSeparator();
    menu->addAction(tr("Import profiles…"), this, &ProfileBar::askImportProfiles);
    menu->addAction(tr("Import a Postman collection's OAuth 2.0 settings…"), this,
                    &ProfileBar::askImportPostman);
    menu->addAction(tr("Export this profile (no secrets)…"), this, &ProfileBar::askExport);
    m_ui->moreButton->setMenu(menu);

    connect(m_ui->saveButton, &QPushButton::clicked, this, &ProfileBar::save);
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    saveShortcut->setContext(Qt::WindowShortcut);
    connect(saveShortcut, &QShortcut::activated, this, &ProfileBar::save);
    connect(m_ui->profileCombo, &QComboBox::currentIndexChanged, this,
            &ProfileBar::onCurrentChanged);
    connect(m_ui->keychainNote, &QLabel::linkActivated, this, [this] {
        if (m_retry)
            m_retry();
    });
    connect(m_secrets, &SecretStore::secretRead, this, &ProfileBar::onSecretRead);
    connect(m_secrets, &SecretStore::secretWritten, this, &ProfileBar::onSecretWritten);
    reload();
}

ProfileBar::~ProfileBar()
{
    delete m_ui;
}

void ProfileBar::askSaveAsNew()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New profile"), tr("Name:"),
                                               QLineEdit::Normal, m_form->config().clientId, &ok);
    if (ok && !name.trimmed().isEmpty())
        saveAsNew(name.trimmed());
}

void ProfileBar::askRename()
{
    const Profile *profile = m_store->find(currentId());
    if (!profile)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename profile"), tr("Name:"),
                                               QLineEdit::Normal, profile->name, &ok);
    if (ok)
        renameCurrent(name);
}

void ProfileBar::askDelete()
{
    const Profile *profile = m_store->find(currentId());
    if (profile && QMessageBox::question(this, tr("Delete profile"),
                                         tr("Delete the profile \"%1\" and the secrets it "
                                            "keeps in the keychain?")
                                             .arg(profile->name)) == QMessageBox::Yes)
        removeCurrent();
}

void ProfileBar::askImportProfiles()
{
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Import profiles"), {}, tr("JSON (*.json)"));
    QFile input(file);
    if (file.isEmpty() || !input.open(QIODevice::ReadOnly))
        return;
    QString error;
    const int count = m_store->importJson(input.read(16 * 1024 * 1024), &error);
    persist();
    reload();
    emit messageRaised(error.isEmpty()
                           ? tr("Imported %n profile(s).", nullptr, count)
                           : tr("Imported %n profile(s); %1", nullptr, count).arg(error));
}

void ProfileBar::askImportPostman()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Import a Postman collection"), {},
                                                      tr("Postman collection (*.json)"));
    QFile input(file);
    if (file.isEmpty() || !input.open(QIODevice::ReadOnly))
        return;
    const PostmanImport::Result result = PostmanImport::fromJson(input.read(16 * 1024 * 1024));
    int secrets = 0;
    for (const auto &imported : result.profiles)
        secrets += int(imported.secrets.size());
    const bool keep =
        secrets > 0 &&
        QMessageBox::question(
            this, tr("Secrets in the collection"),
            tr("The collection holds %n secret(s) (client secrets, passwords). Keep them in "
               "the system keychain with the imported profiles? If not, they are left out "
               "and you type them when needed.",
               nullptr, secrets)) == QMessageBox::Yes;
    const QString message = importPostman(result, keep);
    if (!result.warnings.isEmpty())
        QMessageBox::information(this, tr("Imported, with notes"),
                                 message + QStringLiteral("\n\n• ") +
                                     result.warnings.join(QStringLiteral("\n• ")));
    emit messageRaised(message);
}

void ProfileBar::askExport()
{
    if (currentId().isEmpty())
        return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export profile"),
        ExportPaths::suggest(m_ui->profileCombo->currentText(), {}, "json"), tr("JSON (*.json)"));
    ExportPaths::remember(file);
    QSaveFile output(file);
    if (file.isEmpty() || !output.open(QIODevice::WriteOnly))
        return;
    output.write(m_store->exportJson({currentId()}));
    output.commit();
}

// A secret the keychain read for the current profile goes into the form; a problem is shown
// with a way to retry.
void ProfileBar::onSecretRead(const SecretStore::Result &result)
{
    const Profile *profile = m_store->find(currentId());
    const QString field = profile ? secretFieldOf(*profile, result.key) : QString();
    if (field.isEmpty())
        return;
    if (result.ok() || !result.secret.isEmpty())
        m_form->setSecret(field, result.secret);
    if (result.status == SecretStore::Status::Unavailable ||
        result.status == SecretStore::Status::Failed)
        showKeychainProblem(result.error, [this, key = result.key] { m_secrets->read(key); });
    else if (result.status == SecretStore::Status::NotFound)
        showKeychainProblem(tr("The keychain has no %1 for this profile any more; enter it "
                               "again and save.")
                                .arg(field),
                            {});
    else
        m_ui->keychainNote->hide();
}

void ProfileBar::onSecretWritten(const SecretStore::Result &result)
{
    const QString written = m_writing.take(result.key);
    if (result.ok()) {
        m_ui->keychainNote->hide();
        const Profile *profile = m_store->find(currentId());
        emit messageRaised(tr("Saved; the %1 is in the keychain.")
                               .arg(profile ? secretFieldOf(*profile, result.key) : tr("secret")));
        return;
    }
    showKeychainProblem(result.error,
                        [this, key = result.key, secret = written] { writeSecret(key, secret); });
}

void ProfileBar::setConfigMaps(ConfigMap toProfile, ConfigMap fromProfile)
{
    m_toProfile = std::move(toProfile);
    m_fromProfile = std::move(fromProfile);
}

void ProfileBar::reload()
{
    const QString keep = currentId();
    m_reloading = true;
    m_ui->profileCombo->clear();
    m_ui->profileCombo->addItem(tr("Built-in sandbox"), QString());
    for (const Profile &profile : m_store->profiles())
        m_ui->profileCombo->addItem(profile.name, profile.id);
    const int index = m_ui->profileCombo->findData(keep);
    m_ui->profileCombo->setCurrentIndex(index < 0 ? 0 : index);
    m_reloading = false;
}

QString ProfileBar::currentId() const
{
    return m_ui->profileCombo->currentData().toString();
}

void ProfileBar::selectSandbox()
{
    // Only shows the choice: whoever calls this has set the sandbox up already.
    m_reloading = true;
    m_ui->profileCombo->setCurrentIndex(0);
    m_reloading = false;
    m_ui->keychainNote->hide();
}

bool ProfileBar::select(const QString &id)
{
    const int index = m_ui->profileCombo->findData(id);
    if (index <= 0)
        return false;
    if (index == m_ui->profileCombo->currentIndex())
        onCurrentChanged(index);
    else
        m_ui->profileCombo->setCurrentIndex(index);
    return true;
}

void ProfileBar::onCurrentChanged(int index)
{
    if (m_reloading || index < 0)
        return;
    m_ui->keychainNote->hide();
    const Profile *profile = m_store->find(currentId());
    if (!profile) {
        emit sandboxChosen();
        return;
    }
    m_form->setConfig(m_fromProfile(profile->config));
    for (const QString &field : ClientConfig::secretFieldNames())
        m_form->setRemembered(field, profile->remembers(field));
    for (const QString &field : profile->rememberedSecrets)
        m_secrets->read(profile->secretKey(field));
    m_store->setLastUsed(profile->id);
    persist();
    emit profileChosen(profile->id);
}

bool ProfileBar::save()
{
    const Profile *existing = m_store->find(currentId());
    if (!existing) {
        saveAsNew(m_store->uniqueName(
            m_form->config().clientId.isEmpty() ? tr("My client") : m_form->config().clientId));
        return true;
    }
    Profile profile = *existing;
    const QStringList rememberedBefore = existing->rememberedSecrets;
    const ClientConfig config = m_form->config();
    profile.config = m_toProfile(config).withoutSecrets();
    profile.rememberedSecrets.clear();
    for (const QString &field : ClientConfig::secretFieldNames()) {
        if (m_form->remembers(field) && !config.secretField(field).isEmpty())
            profile.rememberedSecrets << field;
    }
    m_store->update(profile);
    persist();
    for (const QString &field : ClientConfig::secretFieldNames()) {
        const QString key = profile.secretKey(field);
        if (profile.remembers(field))
            writeSecret(key, config.secretField(field));
        else if (rememberedBefore.contains(field))
            m_secrets->remove(key); // switched off: the keychain forgets it too
    }
    if (profile.rememberedSecrets.isEmpty())
        emit messageRaised(tr("Saved \"%1\" (no secret kept).").arg(profile.name));
    return true;
}

void ProfileBar::writeSecret(const QString &key, const QString &value)
{
    m_writing.insert(key, value); // for a retry, should the keychain refuse it
    m_secrets->write(key, value);
}

bool ProfileBar::keepSecret(const QString &secretField, const QString &value, QString *error)
{
    const Profile *existing = m_store->find(currentId());
    if (!existing)
        return Failure::report(
            error, tr("Save this client as a profile first: a kept secret belongs to a profile."));
    if (value.isEmpty() || !ClientConfig::secretFieldNames().contains(secretField))
        return Failure::report(error, tr("There is nothing to keep."));
    Profile profile = *existing;
    if (!profile.remembers(secretField))
        profile.rememberedSecrets << secretField;
    m_store->update(profile);
    persist();
    m_form->setSecret(secretField, value);
    m_form->setRemembered(secretField, true);
    writeSecret(profile.secretKey(secretField), value);
    return true;
}

void ProfileBar::keepRefreshToken(const QString &refreshToken)
{
    QString problem;
    const bool keeping = keepSecret(QStringLiteral("refresh_token"), refreshToken, &problem);
    emit messageRaised(keeping ? tr("Keeping the refresh token in the keychain…") : problem);
}

QString ProfileBar::importPostman(const PostmanImport::Result &result, bool keepSecrets)
{
    if (!result.error.isEmpty())
        return result.error;
    QString first;
    int kept = 0;
    int left = 0;
    for (const PostmanImport::Imported &imported : result.profiles) {
        Profile profile = imported.profile;
        if (keepSecrets)
            profile.rememberedSecrets = imported.secrets.keys();
        const QString id = m_store->add(profile);
        if (first.isEmpty())
            first = id;
        const Profile *added = m_store->find(id);
        for (auto it = imported.secrets.begin(); it != imported.secrets.end(); ++it) {
            if (keepSecrets) {
                writeSecret(added->secretKey(it.key()), it.value());
                ++kept;
            } else {
                ++left;
            }
        }
    }
    persist();
    reload();
    select(first);
    QString message = tr("Imported %n profile(s) from the Postman collection.", nullptr,
                         int(result.profiles.size()));
    if (kept > 0)
        message += QLatin1Char(' ') + tr("%n secret(s) kept in the keychain.", nullptr, kept);
    if (left > 0)
        message += QLatin1Char(' ') + tr("%n secret(s) left out.", nullptr, left);
    if (!result.warnings.isEmpty())
        message += QLatin1Char(' ') + tr("%n note(s) on what did not carry over.", nullptr,
                                         int(result.warnings.size()));
    return message;
}

QString ProfileBar::secretFieldOf(const Profile &profile, const QString &key)
{
    for (const QString &field : ClientConfig::secretFieldNames()) {
        if (profile.secretKey(field) == key)
            return field;
    }
    return {};
}

QString ProfileBar::saveAsNew(const QString &name)
{
    const Profile profile = Profile::create(name, m_toProfile(m_form->config()).withoutSecrets());
    const QString id = m_store->add(profile);
    reload();
    m_reloading = true;
    m_ui->profileCombo->setCurrentIndex(m_ui->profileCombo->findData(id));
    m_reloading = false;
    m_store->setLastUsed(id);
    save();
    return id;
}

bool ProfileBar::renameCurrent(const QString &name)
{
    if (!m_store->rename(currentId(), name))
        return false;
    persist();
    reload();
    return true;
}

QString ProfileBar::duplicateCurrent()
{
    const QString id = m_store->duplicate(currentId(), {});
    if (id.isEmpty())
        return {};
    persist();
    reload();
    select(id);
    return id;
}

bool ProfileBar::removeCurrent()
{
    const Profile *profile = m_store->find(currentId());
    if (!profile)
        return false;
    for (const QString &field : ClientConfig::secretFieldNames())
        m_secrets->remove(profile->secretKey(field));
    m_store->remove(profile->id);
    persist();
    reload();
    selectSandbox();
    return true;
}

bool ProfileBar::moveCurrent(int delta)
{
    const int index = m_store->indexOf(currentId());
    if (index < 0 || !m_store->move(currentId(), index + delta))
        return false;
    persist();
    reload();
    return true;
}

QString ProfileBar::keychainNote() const
{
    return m_ui->keychainNote->isVisible() ? m_ui->keychainNote->text() : QString();
}

void ProfileBar::persist()
{
    if (QString problem; !m_store->save(&problem))
        emit messageRaised(tr("The profiles could not be saved: %1").arg(problem));
}

void ProfileBar::showKeychainProblem(const QString &error, std::function<void()> retry)
{
    m_retry = std::move(retry);
    m_ui->keychainNote->setText(
        QStringLiteral("<span style=\"color:#9a6700\">⚠ %1</span>%2")
            .arg(error.toHtmlEscaped(), m_retry ? tr(" <a href=\"#retry\">Retry</a>") : QString()));
    m_ui->keychainNote->show();
}

} // namespace workbench
