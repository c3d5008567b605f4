#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace workbench {

// Secrets (client secrets, refresh tokens, private keys, passwords) in the OS keychain through
// QtKeychain: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows. There is
// no insecure fallback: when no keychain answers, the result says so plainly and the secret is
// kept for this session only, in memory, until a retry succeeds.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound,    // read or removed: the keychain has no such entry
        Unavailable, // no keychain reachable; a write is kept for this session only
        Failed,      // the keychain answered with an error (access denied, ...)
    };
    struct Result
    {
        Status status = Status::Ok;
        QString key;
        QString secret; // for reads (also from the session copy when Unavailable)
        QString error;  // what went wrong, for the person
        bool ok() const { return status == Status::Ok; }
    };

    explicit SecretStore(QObject *parent = nullptr);
    // `service` names the entries in the keychain ("OAuth Workbench"); tests use their own.
    explicit SecretStore(QString service, QObject *parent = nullptr);

    void write(const QString &key, const QString &secret);
    void read(const QString &key);
    void remove(const QString &key);

    QString service() const { return m_service; }
    bool hasSessionSecret(const QString &key) const { return m_session.contains(key); }
    // False once an operation found no keychain; true again after one succeeds.
    bool keychainReachable() const { return m_reachable; }
    static QString statusName(Status status);

signals:
    void secretWritten(const workbench::SecretStore::Result &result);
    void secretRead(const workbench::SecretStore::Result &result);
    void secretRemoved(const workbench::SecretStore::Result &result);

private:
    Result resultOf(int error, const QString &errorString, const QString &key);

    QString m_service;
    QHash<QString, QString> m_session; // only what could not be stored in a keychain
    bool m_reachable = true;
};

} // namespace workbench

Q_DECLARE_METATYPE(workbench::SecretStore::Result)
