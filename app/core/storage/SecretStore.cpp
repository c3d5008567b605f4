#include "core/storage/SecretStore.h"

#include <QLoggingCategory>
#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcSecrets, "workbench.secrets")

namespace workbench {

SecretStore::SecretStore(QObject *parent) : SecretStore(QStringLiteral("OAuth Workbench"), parent)
{
}

SecretStore::SecretStore(QString service, QObject *parent)
    : QObject(parent), m_service(std::move(service))
{
    qRegisterMetaType<Result>();
}

QString SecretStore::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return QStringLiteral("ok");
    case Status::NotFound:
        return QStringLiteral("not_found");
    case Status::Unavailable:
        return QStringLiteral("unavailable");
    case Status::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

SecretStore::Result SecretStore::resultOf(int error, const QString &errorString, const QString &key)
{
    Result result;
    result.key = key;
    switch (error) {
    case QKeychain::NoError:
        m_reachable = true;
        result.status = Status::Ok;
        return result;
    case QKeychain::EntryNotFound:
        m_reachable = true;
        result.status = Status::NotFound;
        return result;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        result.status = Status::Failed;
        result.error = tr("The keychain refused access: %1").arg(errorString);
        return result;
    default:
        // NoBackendAvailable, OtherError (no D-Bus session, no Secret Service), ...
        m_reachable = false;
        result.status = Status::Unavailable;
        result.error = tr("No keychain is reachable (%1). Secrets are kept for this session "
                          "only; start your keyring (Secret Service) and retry to keep them.")
                           .arg(errorString);
        return result;
    }
}

void SecretStore::write(const QString &key, const QString &secret)
{
    // No parent: a job lives until the keychain answers, then deletes itself (autoDelete). As
    // the store's child it would be deleted with the store in the middle of a call, and the
    // keychain library's callback would then reach a freed job. The connection ends with the
    // store. The same for each job below.
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, key, secret](QKeychain::Job *finished) {
        Result result = resultOf(finished->error(), finished->errorString(), key);
        if (result.status == Status::Unavailable || result.status == Status::Failed)
            m_session.insert(key, secret);
        else
            m_session.remove(key);
        // The key names the entry, never the value.
        qCInfo(lcSecrets) << "write" << key << statusName(result.status);
        emit secretWritten(result);
    });
    job->start();
}

void SecretStore::read(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *finished) {
        Result result = resultOf(finished->error(), finished->errorString(), key);
        if (result.ok())
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
        else if (m_session.contains(key))
            result.secret = m_session.value(key);
        qCInfo(lcSecrets) << "read" << key << statusName(result.status);
        emit secretRead(result);
    });
    job->start();
}

void SecretStore::remove(const QString &key)
{
    m_session.remove(key);
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job *finished) {
        const Result result = resultOf(finished->error(), finished->errorString(), key);
        qCInfo(lcSecrets) << "remove" << key << statusName(result.status);
        emit secretRemoved(result);
    });
    job->start();
}

} // namespace workbench
