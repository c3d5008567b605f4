#include "core/storage/ApiRequestStore.h"

#include "core/storage/PrivateFiles.h"
#include "core/util/Failure.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

namespace workbench {

namespace {
QJsonObject toJson(const ApiRequestStore::Saved &saved)
{
    QJsonArray headers;
    for (const auto &[name, value] : saved.request.headers) {
        if (!ApiRequestStore::isCredentialHeader(name))
            headers.append(QJsonArray{QString::fromLatin1(name), QString::fromUtf8(value)});
    }
    const auto scheme = [](ApiCaller::Scheme s) {
        return s == ApiCaller::Scheme::Bearer ? QStringLiteral("bearer")
               : s == ApiCaller::Scheme::Dpop ? QStringLiteral("dpop")
                                              : QStringLiteral("auto");
    };
    return {{"name", saved.name},
            {"method", QString::fromLatin1(saved.request.method)},
            {"url", saved.request.url.toString()},
            {"headers", headers},
            {"body", QString::fromUtf8(saved.request.body)},
            {"scheme", scheme(saved.request.scheme)}};
}

ApiRequestStore::Saved fromJson(const QJsonObject &object)
{
    ApiRequestStore::Saved saved;
    saved.name = object.value(QLatin1String("name")).toString();
    saved.request.method =
        object.value(QLatin1String("method")).toString(QStringLiteral("GET")).toLatin1();
    saved.request.url = QUrl(object.value(QLatin1String("url")).toString());
    for (const QJsonValue &header : object.value(QLatin1String("headers")).toArray()) {
        const QJsonArray pair = header.toArray();
        const QByteArray name = pair.at(0).toString().toLatin1();
        if (!name.isEmpty() && !ApiRequestStore::isCredentialHeader(name))
            saved.request.headers.append({name, pair.at(1).toString().toUtf8()});
    }
    saved.request.body = object.value(QLatin1String("body")).toString().toUtf8();
    const QString scheme = object.value(QLatin1String("scheme")).toString();
    saved.request.scheme = scheme == QLatin1String("bearer") ? ApiCaller::Scheme::Bearer
                           : scheme == QLatin1String("dpop") ? ApiCaller::Scheme::Dpop
                                                             : ApiCaller::Scheme::Auto;
    return saved;
}
} // namespace

ApiRequestStore::ApiRequestStore(QString directory) : m_directory(std::move(directory))
{
    if (m_directory.isEmpty())
        m_directory = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
}

QString ApiRequestStore::filePath() const
{
    return QDir(m_directory).filePath(QStringLiteral("api-requests.json"));
}

bool ApiRequestStore::isCredentialHeader(const QByteArray &name)
{
    static const QRegularExpression credential(
        QStringLiteral("^(authorization|proxy-authorization|cookie|dpop)$|key|token|secret|"
                       "password|auth|session|signature"),
        QRegularExpression::CaseInsensitiveOption);
    return credential.match(QString::fromLatin1(name)).hasMatch();
}

QJsonObject ApiRequestStore::read() const
{
    QFile file(filePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.read(4 * 1024 * 1024)).object();
}

bool ApiRequestStore::write(const QJsonObject &root, QString *error) const
{
    if (!PrivateFiles::makeFolder(m_directory))
        return Failure::report(error, QStringLiteral("cannot create %1").arg(m_directory));
    return PrivateFiles::write(filePath(), QJsonDocument(root).toJson(QJsonDocument::Indented),
                               error);
}

QList<ApiRequestStore::Saved> ApiRequestStore::requests(const QString &profile) const
{
    QList<Saved> list;
    for (const QJsonValue &value : read().value(profile).toArray())
        list << fromJson(value.toObject());
    return list;
}

bool ApiRequestStore::save(const QString &profile, const Saved &saved, QString *error)
{
    return replace(profile, saved.name, toJson(saved), error);
}

bool ApiRequestStore::remove(const QString &profile, const QString &name, QString *error)
{
    return replace(profile, name, {}, error);
}

bool ApiRequestStore::replace(const QString &profile, const QString &name,
                              const QJsonObject &request, QString *error) const
{
    QJsonObject root = read();
    QJsonArray list = root.value(profile).toArray();
    for (qsizetype i = list.size() - 1; i >= 0; --i) {
        if (list.at(i).toObject().value(QLatin1String("name")).toString() == name)
            list.removeAt(i);
    }
    if (!request.isEmpty())
        list.append(request);
    root.insert(profile, list);
    return write(root, error);
}

} // namespace workbench
