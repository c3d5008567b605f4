#include "core/sandbox/SandboxTriggers.h"

#include "core/diagnosis/ProviderIdentifier.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace workbench {

QString SandboxTrigger::whereName(Where where)
{
    switch (where) {
    case Where::Authorize:
        return QStringLiteral("authorization redirect");
    case Where::Token:
        return QStringLiteral("token endpoint");
    case Where::Refresh:
        return QStringLiteral("refresh");
    case Where::UserInfo:
        return QStringLiteral("UserInfo");
    case Where::Password:
        return QStringLiteral("password grant");
    }
    return {};
}

QString SandboxTrigger::input() const
{
    return isScope() ? scope() : QStringLiteral("token endpoint ") + tokenEndpoint;
}

QUrl SandboxTrigger::tokenEndpointFor(const QString &sandboxIssuer) const
{
    if (isScope())
        return {};
    return QUrl(QString(tokenEndpoint)
                    .replace(QLatin1String("{sandbox}"), QUrl(sandboxIssuer).authority()));
}

namespace SandboxTriggers {

namespace {
using Where = SandboxTrigger::Where;

// The pack an entry belongs to ("bank-gateway" for "bank-gateway.invalid_code"): the trigger
// imitates that provider's answer, and says so with it.
QString packOf(const QString &entry)
{
    const QString pack = entry.section(QLatin1Char('.'), 0, 0);
    return KnowledgeBase::builtIn().provider(pack) ? pack : QString();
}

SandboxTrigger redirect(const QJsonObject &item)
{
    SandboxTrigger t;
    t.where = Where::Authorize;
    t.redirectError = item.value(QLatin1String("error")).toString();
    t.redirectDescription = item.value(QLatin1String("error_description")).toString();
    return t;
}

SandboxTrigger answer(const QJsonObject &item, const QString &imitates)
{
    static const QHash<QString, Where> places{{QStringLiteral("authorize"), Where::Authorize},
                                              {QStringLiteral("token"), Where::Token},
                                              {QStringLiteral("refresh"), Where::Refresh},
                                              {QStringLiteral("userinfo"), Where::UserInfo},
                                              {QStringLiteral("password"), Where::Password}};
    SandboxTrigger t;
    t.where = places.value(item.value(QLatin1String("where")).toString(), Where::Token);
    t.status = item.value(QLatin1String("status")).toInt(400);
    for (const QJsonValue &pair : item.value(QLatin1String("headers")).toArray())
        t.headers.append(
            {pair.toArray().at(0).toString().toLatin1(), pair.toArray().at(1).toString().toUtf8()});
    if (!imitates.isEmpty())
        t.headers.append({ProviderIdentifier::kSandboxImitatesHeader, imitates.toLatin1()});
    // A body that is not UTF-8 on purpose is kept in base64.
    t.body =
        item.contains(QLatin1String("body_base64"))
            ? QByteArray::fromBase64(item.value(QLatin1String("body_base64")).toString().toLatin1())
            : item.value(QLatin1String("body")).toString().toUtf8();
    return t;
}

SandboxTrigger connection(const QJsonObject &item)
{
    static const QHash<QString, SandboxTrigger::Delivery> deliveries{
        {QStringLiteral("no_answer"), SandboxTrigger::Delivery::NoAnswer},
        {QStringLiteral("hangup"), SandboxTrigger::Delivery::Hangup}};
    SandboxTrigger t;
    t.where = Where::Token;
    t.delivery = deliveries.value(item.value(QLatin1String("delivery")).toString(),
                                  SandboxTrigger::Delivery::Answer);
    t.status = 0;
    t.tokenEndpoint = item.value(QLatin1String("token_endpoint")).toString();
    return t;
}

// The triggers from resources/sandbox/triggers.json (built in).
QList<SandboxTrigger> load()
{
    QFile file(QStringLiteral(":/sandbox/triggers.json"));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(
        file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray(), &error);
    if (error.error != QJsonParseError::NoError) {
        qCritical("The sandbox's triggers cannot be read: %s", qPrintable(error.errorString()));
        return {};
    }
    QList<SandboxTrigger> triggers;
    for (const QJsonValue &value : document.object().value(QLatin1String("triggers")).toArray()) {
        const QJsonObject item = value.toObject();
        const QString kind = item.value(QLatin1String("kind")).toString();
        const QString entry = item.value(QLatin1String("entry")).toString();
        const QString imitates = kind == QLatin1String("connection") ? QString() : packOf(entry);
        SandboxTrigger trigger = kind == QLatin1String("redirect")     ? redirect(item)
                                 : kind == QLatin1String("connection") ? connection(item)
                                                                       : answer(item, imitates);
        trigger.name = item.value(QLatin1String("name")).toString();
        trigger.imitates = imitates;
        trigger.description = item.value(QLatin1String("shows")).toString();
        trigger.expectedEntry = entry;
        triggers << trigger;
    }
    return triggers;
}
} // namespace

const QList<SandboxTrigger> &all()
{
    static const QList<SandboxTrigger> triggers = load();
    return triggers;
}

const SandboxTrigger *find(const QString &scope, SandboxTrigger::Where where)
{
    for (const QString &value : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!value.startsWith(QLatin1String("sandbox:")))
            continue;
        for (const SandboxTrigger &trigger : all()) {
            if (trigger.isScope() && trigger.where == where && trigger.scope() == value)
                return &trigger;
        }
    }
    return nullptr;
}

const SandboxTrigger *named(const QString &name)
{
    for (const SandboxTrigger &trigger : all()) {
        if (trigger.name == name)
            return &trigger;
    }
    return nullptr;
}

QString markdownTable()
{
    QString table = QStringLiteral("| input (a scope to add, or a token endpoint to type) | where "
                                   "| what it shows | diagnosis |\n"
                                   "| --- | --- | --- | --- |\n");
    for (const SandboxTrigger &trigger : all()) {
        const QString input =
            trigger.isScope() ? QStringLiteral("`%1`").arg(trigger.scope())
                              : QStringLiteral("token endpoint `%1`").arg(trigger.tokenEndpoint);
        table += QStringLiteral("| %1 | %2 | %3 | `%4` |\n")
                     .arg(input, SandboxTrigger::whereName(trigger.where), trigger.description,
                          trigger.expectedEntry);
    }
    return table;
}

} // namespace SandboxTriggers
} // namespace workbench
