#include "core/diagnosis/ProviderIdentifier.h"

namespace workbench::ProviderIdentifier {

namespace {
bool hostMatches(const QString &host, const QString &pattern)
{
    if (host.isEmpty())
        return false;
    if (pattern.startsWith(QLatin1String("*.")))
        return host.endsWith(pattern.mid(1)) && host.size() > pattern.size() - 1;
    return host == pattern;
}

Diagnosis::Provider named(const KnowledgeBase::Provider &pack, const QString &via)
{
    return {pack.id, pack.name, {}, via, pack.docs};
}

const KnowledgeBase::Provider *byHost(const KnowledgeBase &kb, const QUrl &url)
{
    const QString host = url.host().toLower();
    for (const auto &pack : kb.providers()) {
        for (const QString &pattern : pack.hosts) {
            if (hostMatches(host, pattern))
                return &pack;
        }
    }
    return nullptr;
}

const KnowledgeBase::Provider *byPath(const KnowledgeBase &kb, const QUrl &url)
{
    const QString path = url.path();
    if (path.isEmpty())
        return nullptr;
    for (const auto &pack : kb.providers()) {
        for (const QRegularExpression &pattern : pack.paths) {
            if (pattern.match(path).hasMatch())
                return &pack;
        }
    }
    return nullptr;
}
} // namespace

Diagnosis::Provider identify(const KnowledgeBase &kb, const Input &input)
{
    Diagnosis::Provider found;
    auto take = [&found](const KnowledgeBase::Provider *pack, const QString &via) {
        if (!pack || !found.id.isEmpty())
            return;
        found = named(*pack, via);
    };

    if (!input.chosen.isEmpty())
        take(kb.provider(input.chosen), QStringLiteral("chosen for this profile"));
    const QString imitated =
        input.imitated.isEmpty()
            ? QString::fromLatin1(headerValue(input.responseHeaders, kSandboxImitatesHeader))
            : input.imitated;
    if (!imitated.isEmpty())
        take(kb.provider(imitated.trimmed()), QStringLiteral("the built-in sandbox, imitating it"));
    for (const QUrl &url : {input.requestUrl, input.issuer, QUrl(input.issParameter)}) {
        if (const auto *pack = byHost(kb, url))
            take(pack, QStringLiteral("the host %1").arg(url.host()));
    }
    for (const auto &pack : kb.providers()) {
        if (pack.codes.pattern().isEmpty())
            continue;
        const auto match = pack.codes.match(input.serverText);
        if (match.hasMatch())
            take(&pack, QStringLiteral("its code %1").arg(match.captured(0)));
    }
    for (const QUrl &url : {input.requestUrl, input.issuer}) {
        if (const auto *pack = byPath(kb, url))
            take(pack, QStringLiteral("the path %1").arg(url.path()));
    }
    for (const auto &pack : kb.providers()) {
        for (const auto &[name, value] : pack.headers) {
            const QByteArray sent = headerValue(input.responseHeaders, name);
            if (!sent.isEmpty() && value.match(QString::fromLatin1(sent)).hasMatch())
                take(&pack, QStringLiteral("the %1 header").arg(QString::fromLatin1(name)));
        }
    }
    for (const auto &pack : kb.providers()) {
        for (const QRegularExpression &wording : pack.wording) {
            const auto match = wording.match(input.serverText);
            if (match.hasMatch())
                take(&pack, QStringLiteral("its wording \"%1\"").arg(match.captured(0)));
        }
    }
    if (found.id.isEmpty())
        return found;
    const KnowledgeBase::Provider *pack = kb.provider(found.id);
    if (!pack->codes.pattern().isEmpty()) {
        const auto code = pack->codes.match(input.serverText);
        if (code.hasMatch())
            found.code = code.captured(0);
    }
    return found;
}

} // namespace workbench::ProviderIdentifier
