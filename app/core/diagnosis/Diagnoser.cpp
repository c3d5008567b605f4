#include "core/diagnosis/Diagnoser.h"

#include "core/diagnosis/FlowEvidence.h"
#include "core/diagnosis/ProviderIdentifier.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>

namespace workbench {

namespace {
using Evidence = Diagnosis::Evidence;
using Source = Evidence::Source;
using Status = Diagnosis::Cause::Status;

QString transportName(HttpExchange::Transport transport)
{
    switch (transport) {
    case HttpExchange::Transport::ConnectionRefused:
        return QStringLiteral("connection_refused");
    case HttpExchange::Transport::HostNotFound:
        return QStringLiteral("host_not_found");
    case HttpExchange::Transport::Timeout:
        return QStringLiteral("timeout");
    case HttpExchange::Transport::Tls:
        return QStringLiteral("tls");
    case HttpExchange::Transport::Other:
        return QStringLiteral("other");
    case HttpExchange::Transport::Ok:
        return {};
    }
    return {};
}

// The words around a match, as a quote a person can find in the raw response.
QString quoteAround(const QString &text, qsizetype start, qsizetype length)
{
    constexpr qsizetype kContext = 60;
    qsizetype from = qMax<qsizetype>(0, start - kContext);
    qsizetype to = qMin(text.size(), start + length + kContext);
    const qsizetype lineStart = text.lastIndexOf(QLatin1Char('\n'), start);
    const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), start + length);
    from = qMax(from, lineStart + 1);
    if (lineEnd >= 0)
        to = qMin(to, lineEnd);
    QString quote = text.mid(from, to - from).simplified();
    if (from > lineStart + 1)
        quote.prepend(QStringLiteral("…"));
    if (to < (lineEnd >= 0 ? lineEnd : text.size()))
        quote.append(QStringLiteral("…"));
    return quote;
}

int rankOf(const Diagnosis::Cause &cause)
{
    switch (cause.status) {
    case Status::Confirmed: {
        // The server's own words and codes outrank what the app infers.
        const bool fromServer =
            std::any_of(cause.evidence.begin(), cause.evidence.end(), [](const Evidence &e) {
                return e.supports && e.decisive && !e.context &&
                       (e.source == Source::ServerWords || e.source == Source::ProviderCode);
            });
        // More independent sources (the server's words and this run) make a likelier cause.
        QSet<int> sources;
        for (const Evidence &e : cause.evidence) {
            if (e.supports && e.decisive && !e.context)
                sources.insert(int(e.source));
        }
        return (fromServer ? 400 : 300) + 10 * int(sources.size());
    }
    case Status::Supported:
        return 200;
    case Status::Unknown: {
        const bool weakened =
            std::any_of(cause.evidence.begin(), cause.evidence.end(),
                        [](const Evidence &e) { return !e.context && !e.supports; });
        return weakened ? 50 : 100;
    }
    case Status::Contradicted:
        return 0;
    }
    return 0;
}

Status statusOf(const QList<Evidence> &evidence)
{
    auto any = [&evidence](bool supports, bool decisive) {
        return std::any_of(evidence.begin(), evidence.end(), [&](const Evidence &e) {
            return !e.context && e.supports == supports && e.decisive == decisive;
        });
    };
    // Decisive evidence on both sides (the server's generic words against what this run shows)
    // leaves the cause possible, not proven.
    if (any(true, true))
        return any(false, true) ? Status::Supported : Status::Confirmed;
    if (any(false, true))
        return Status::Contradicted;
    if (any(true, false))
        return Status::Supported;
    return Status::Unknown;
}

// Builds the cause list of one diagnosis.
class CauseList
{
public:
    CauseList(const KnowledgeBase &kb, const QString &pack, Diagnosis &diagnosis)
        : m_kb(kb), m_pack(pack), m_causes(diagnosis.causes)
    {
    }

    Diagnosis::Cause *find(const QString &id)
    {
        auto it = std::find_if(m_causes.begin(), m_causes.end(),
                               [&](const Diagnosis::Cause &c) { return c.id == id; });
        return it == m_causes.end() ? nullptr : &*it;
    }

    Diagnosis::Cause *add(const QString &id, const QString &packOfEntry = {},
                          const KnowledgeBase::CauseRef *ref = nullptr)
    {
        if (Diagnosis::Cause *existing = find(id))
            return existing;
        const KnowledgeBase::Cause *spec =
            m_kb.cause(id, packOfEntry.isEmpty() ? m_pack : packOfEntry);
        if (!spec)
            return nullptr;
        Diagnosis::Cause cause;
        cause.id = id;
        cause.text = ref && !ref->text.isEmpty() ? ref->text : spec->text;
        cause.fix = ref && !ref->fix.isEmpty() ? ref->fix : spec->fix;
        cause.order = m_nextOrder++;
        m_causes << cause;
        return &m_causes.last();
    }

    void addOwn(const QString &id, const QString &text, const QString &fix)
    {
        if (find(id))
            return;
        m_causes << Diagnosis::Cause{id, text, fix, Status::Unknown, {}, m_nextOrder++};
    }

    // The provider's own knowledge establishes this cause here, whatever the generic scope.
    void keep(const QString &id) { m_keep.insert(id); }

    // Drops the causes that cannot happen with this grant or at this endpoint (unless the
    // provider's own knowledge establishes them all the same).
    void dropOutOfScope(const QString &grant, const QString &endpoint)
    {
        m_causes.erase(std::remove_if(m_causes.begin(), m_causes.end(),
                                      [&](const Diagnosis::Cause &cause) {
                                          const KnowledgeBase::Cause *spec =
                                              m_kb.cause(cause.id, m_pack);
                                          if (!spec || m_keep.contains(cause.id))
                                              return false;
                                          return (!grant.isEmpty() && !spec->grants.isEmpty() &&
                                                  !spec->grants.contains(grant)) ||
                                                 (endpoint != QLatin1String("unknown") &&
                                                  !spec->endpoints.isEmpty() &&
                                                  !spec->endpoints.contains(endpoint));
                                      }),
                       m_causes.end());
    }

    // The root cause of a symptom goes before it (with its own status and evidence).
    void putBefore(const QString &root, const QString &symptom)
    {
        const auto index = [this](const QString &id) {
            for (qsizetype i = 0; i < m_causes.size(); ++i) {
                if (m_causes.at(i).id == id)
                    return i;
            }
            return qsizetype(-1);
        };
        const qsizetype from = index(root);
        const qsizetype to = index(symptom);
        if (from > to && to >= 0)
            m_causes.move(from, to);
    }

    void rank()
    {
        for (Diagnosis::Cause &cause : m_causes)
            cause.status = statusOf(cause.evidence);
        std::stable_sort(m_causes.begin(), m_causes.end(),
                         [](const Diagnosis::Cause &a, const Diagnosis::Cause &b) {
                             const int ra = rankOf(a), rb = rankOf(b);
                             return ra != rb ? ra > rb : a.order < b.order;
                         });
    }

private:
    const KnowledgeBase &m_kb;
    QString m_pack;
    QList<Diagnosis::Cause> &m_causes;
    QSet<QString> m_keep;
    int m_nextOrder = 0;
};

// What identifies an answer's entry, for the evidence of its confirmed causes.
QString matchedBy(const KnowledgeBase::Entry &entry, const Diagnosis &diagnosis,
                  const QString &words)
{
    if (!entry.match.providerCodes.isEmpty())
        return QStringLiteral("%1 documents %2 for this cause.")
            .arg(diagnosis.provider.name, diagnosis.provider.code);
    if (!entry.match.description.pattern().isEmpty()) {
        const auto match = entry.match.description.match(words);
        const QString quote = quoteAround(words, match.capturedStart(), match.capturedLength());
        return diagnosis.provider.name.isEmpty()
                   ? QStringLiteral("The server said \"%1\".").arg(quote)
                   : QStringLiteral("The server said \"%1\", %2's wording for this cause.")
                         .arg(quote, diagnosis.provider.name);
    }
    const QString what = !diagnosis.signal.error.isEmpty()
                             ? QStringLiteral("\"%1\"").arg(diagnosis.signal.error)
                             : QStringLiteral("HTTP %1").arg(diagnosis.signal.httpStatus);
    return diagnosis.provider.name.isEmpty()
               ? QStringLiteral("The answer %1 means this cause.").arg(what)
               : QStringLiteral("%1 answers %2 for this cause.").arg(diagnosis.provider.name, what);
}

void addNotes(Diagnosis &diagnosis, const HttpExchange &exchange)
{
    const ErrorSignal &signal = diagnosis.signal;
    QStringList &notes = diagnosis.notes;
    if (!signal.error.isEmpty())
        notes << QStringLiteral("error: %1")
                     .arg(signal.rawError.isEmpty()
                              ? signal.error
                              : QStringLiteral("\"%1\"").arg(signal.rawError));
    if (!signal.errorFoundIn.isEmpty())
        notes << QStringLiteral("The error came in %1.").arg(signal.errorFoundIn);
    if (!signal.humanTitle.isEmpty())
        notes << QStringLiteral("title: %1").arg(signal.humanTitle);
    if (!signal.description.isEmpty())
        notes << QStringLiteral("description: %1").arg(signal.description);
    if (!signal.hint.isEmpty())
        notes << QStringLiteral("hint: %1").arg(signal.hint);
    if (!signal.debug.isEmpty())
        notes << QStringLiteral("debug: %1").arg(signal.debug);
    if (!signal.errorUri.isEmpty())
        notes << QStringLiteral("error_uri: %1").arg(signal.errorUri);
    for (const char *key : {"trace_id", "correlation_id", "error_codes", "timestamp", "status",
                            "errorId", "request-id", "fbtrace_id", "error_subcode"}) {
        const QString value = signal.extras.value(QString::fromLatin1(key));
        if (!value.isEmpty())
            notes << QStringLiteral("%1: %2").arg(QString::fromLatin1(key), value);
    }
    if (!signal.wwwAuthenticateScheme.isEmpty()) {
        QStringList params;
        for (auto it = signal.wwwAuthenticate.begin(); it != signal.wwwAuthenticate.end(); ++it)
            params << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
        notes << QStringLiteral("WWW-Authenticate: %1 %2")
                     .arg(signal.wwwAuthenticateScheme, params.join(QStringLiteral(", ")));
    }
    if (!exchange.responseHeader("DPoP-Nonce").isEmpty())
        notes << QStringLiteral("DPoP-Nonce: the server sent a nonce for the next proof.");
    if (signal.retryAfterSeconds >= 0)
        notes << QStringLiteral("Retry-After: wait %1 s before the next attempt.")
                     .arg(signal.retryAfterSeconds);
    if (signal.error == QLatin1String("slow_down"))
        notes << QStringLiteral("Polling interval: add 5 s to it (RFC 8628 §3.5).");
    if (!signal.redirectedTo.isEmpty())
        notes << QStringLiteral("redirected to: %1").arg(signal.redirectedTo);
    if (!signal.htmlTitle.isEmpty())
        notes << QStringLiteral("page title: %1").arg(signal.htmlTitle);
    for (const QString &heading : signal.htmlHeadings)
        notes << QStringLiteral("page heading: %1").arg(heading);
    if (!signal.htmlText.isEmpty()) {
        QString text = signal.htmlText;
        text.replace(QLatin1Char('\n'), QStringLiteral(" · "));
        notes << QStringLiteral("page text: %1")
                     .arg(text.size() > 600 ? text.left(600) + QStringLiteral("…") : text);
    }
    if (!signal.notStrictJson.isEmpty())
        notes << QStringLiteral("The body is not strict JSON (%1); it was read leniently.")
                     .arg(signal.notStrictJson.join(QStringLiteral("; ")));
    if (signal.httpStatus >= 200 && signal.httpStatus < 300 && !signal.error.isEmpty() &&
        signal.shape != ErrorSignal::Shape::RedirectError)
        notes << QStringLiteral("HTTP %1 carried an error in its body: check the body, not only "
                                "the status.")
                     .arg(signal.httpStatus);
    if (signal.bodyTruncated)
        notes << QStringLiteral("The body was cut off at the size limit; the end of the response "
                                "is not shown.");
    if (!signal.transportMessage.isEmpty())
        notes << QStringLiteral("network: %1").arg(signal.transportMessage);
    if (exchange.kind == HttpExchange::Kind::LoopbackCallback &&
        exchange.transport == HttpExchange::Transport::Ok)
        notes << QStringLiteral("Delivered on the redirect URI (front channel).");
    for (const QString &tlsError : exchange.tlsErrors)
        notes << QStringLiteral("TLS: %1").arg(tlsError);
}

QString serverTextOf(const ErrorSignal &signal)
{
    QStringList parts{signal.error, signal.rawError, signal.words(), signal.errorUri};
    for (const QString &value : signal.extras)
        parts << value;
    return parts.join(QLatin1Char('\n'));
}
} // namespace

std::optional<Diagnosis> Diagnoser::diagnose(const HttpExchange &exchange,
                                             const DiagnosisContext &context) const
{
    const ErrorSignal signal = ResponseClassifier::classify(exchange);
    const DiagnosisContext::Endpoint endpoint = context.endpoint;

    // A successful status at the token endpoint must still carry an access token.
    bool noAccessToken = false;
    if (endpoint == DiagnosisContext::Endpoint::Token && signal.httpStatus >= 200 &&
        signal.httpStatus < 300 && !signal.isError()) {
        const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
        noAccessToken = !body.value(QLatin1String("access_token")).isString();
    }
    if (!signal.isError() && !noAccessToken)
        return std::nullopt;

    Diagnosis diagnosis;
    diagnosis.signal = signal;
    // The code as the server spelled it (trimmed): "InvalidAuthenticationToken", "E0000011".
    diagnosis.code = signal.rawError.trimmed().isEmpty() ? signal.error : signal.rawError.trimmed();
    const QString serverText = serverTextOf(signal);
    diagnosis.provider = ProviderIdentifier::identify(
        m_kb,
        {context.hints.provider, context.url, context.hints.issuer,
         signal.extras.value(QStringLiteral("iss")), exchange.responseHeaders, serverText,
         signal.extras.value(QString::fromLatin1(ProviderIdentifier::kSandboxImitatesParameter))});
    const QString pack = diagnosis.provider.id;
    const QString words = signal.words();

    KnowledgeBase::Facts facts;
    facts.error = signal.error;
    facts.status = signal.httpStatus;
    facts.words = words;
    facts.shape = ErrorSignal::shapeName(signal.shape);
    facts.endpoint = DiagnosisContext::endpointName(endpoint);
    facts.grant = context.grantType();
    facts.transport = transportName(signal.transport);
    facts.provider = pack;
    facts.providerCode = diagnosis.provider.code;
    if (signal.httpStatus >= 200 && signal.httpStatus < 300 && !signal.error.isEmpty())
        facts.status = 400; // errors hidden in a 2xx match like any other error of that code

    const QList<KnowledgeBase::Scored> matches = m_kb.matching(facts);
    // An entry about this very answer, not only its status, shape or transport.
    auto specific = [](const KnowledgeBase::Entry *entry) {
        const KnowledgeBase::Match &m = entry->match;
        const int stated = int(!m.statuses.isEmpty()) + int(!m.shapes.isEmpty()) +
                           int(!m.endpoints.isEmpty()) + int(!m.grants.isEmpty()) +
                           int(!m.transports.isEmpty());
        return !entry->pack.isEmpty() || !m.errors.isEmpty() ||
               !m.description.pattern().isEmpty() || !m.providerCodes.isEmpty() || stated >= 2;
    };
    QList<const KnowledgeBase::Entry *> used;
    for (const auto &scored : matches) {
        if (used.size() == 3)
            break;
        // Once an entry about this error matched, only entries about it add to it; a bare
        // status or shape entry would repeat generalities.
        if (!used.isEmpty() && specific(used.first()) && !specific(scored.entry))
            continue;
        used << scored.entry;
    }
    const bool knownCode = !used.isEmpty() && specific(used.first());
    // A code of the server's own in a WWW-Authenticate challenge with nothing in the body: the
    // entry on that shape leads, since where the server put its explanation is the lead.
    bool challengeLeads = false;
    if (!signal.error.isEmpty() && !knownCode &&
        signal.shape == ErrorSignal::Shape::WwwAuthenticate) {
        for (const auto &scored : matches) {
            if (scored.entry->match.shapes.contains(QStringLiteral("www_authenticate"))) {
                used.removeAll(scored.entry);
                used.prepend(scored.entry);
                used = used.mid(0, 3);
                challengeLeads = true;
                break;
            }
        }
    }

    CauseList causes(m_kb, pack, diagnosis);
    const QString providerDocs =
        diagnosis.provider.name.isEmpty()
            ? QStringLiteral("the provider's documentation")
            : QStringLiteral("%1's documentation").arg(diagnosis.provider.name);
    if (challengeLeads || (!signal.error.isEmpty() && !knownCode) || used.isEmpty()) {
        causes.addOwn(
            QStringLiteral("provider_specific"),
            challengeLeads
                ? QStringLiteral("\"%1\" is not a standard code (RFC 6750 defines "
                                 "invalid_request, invalid_token and "
                                 "insufficient_scope): it is the provider's own, and %2 "
                                 "explains it.")
                      .arg(signal.error, providerDocs)
                : QStringLiteral("A code of the provider's own; %1 explains it.").arg(providerDocs),
            QStringLiteral("Look the code up in %1; error_uri, when sent, links to it.")
                .arg(providerDocs));
    }
    if (!challengeLeads && (used.isEmpty() || (!signal.error.isEmpty() && !knownCode))) {
        for (const KnowledgeBase::Entry *entry : std::as_const(used))
            diagnosis.relatedEntryIds << entry->id;
        diagnosis.entryId = QStringLiteral("unrecognized");
        diagnosis.category = QStringLiteral("unknown");
        diagnosis.severity = QStringLiteral("error");
        diagnosis.title = signal.error.isEmpty()
                              ? QStringLiteral("An error this app has no guidance for")
                              : QStringLiteral("Unrecognized error code \"%1\"").arg(signal.error);
        diagnosis.meaning = QStringLiteral("This is not a standard OAuth error code; the server's "
                                           "own words below are the best lead.");
    } else {
        const KnowledgeBase::Entry &primary = *used.first();
        diagnosis.entryId = primary.id;
        diagnosis.category = primary.category;
        diagnosis.severity = primary.severity;
        diagnosis.title = primary.title;
        diagnosis.meaning = primary.meaning;
        if (!primary.pack.isEmpty())
            diagnosis.source = diagnosis.provider.name;
        for (const KnowledgeBase::Entry *entry : std::as_const(used)) {
            if (entry != &primary)
                diagnosis.relatedEntryIds << entry->id;
        }
        if (diagnosis.code.isEmpty())
            diagnosis.code =
                signal.httpStatus > 0 ? QString::number(signal.httpStatus) : primary.id;
    }

    // The knowledge's causes, in its order; a matched entry may say its answer establishes one.
    // A provider's entry for this very code or wording knows its own answers better than the
    // generic patterns do: its first cause is where that provider's documentation points.
    const KnowledgeBase::Entry *lead =
        used.isEmpty() || diagnosis.entryId == QLatin1String("unrecognized") ? nullptr
                                                                             : used.first();
    const bool providerKnows =
        lead && !lead->pack.isEmpty() &&
        (!lead->match.providerCodes.isEmpty() || !lead->match.description.pattern().isEmpty());
    for (const KnowledgeBase::Entry *entry : std::as_const(used)) {
        for (const KnowledgeBase::CauseRef &ref : entry->causes) {
            Diagnosis::Cause *cause = causes.add(ref.id, entry->pack, &ref);
            if (!cause || entry != lead)
                continue;
            const Source source =
                !entry->match.providerCodes.isEmpty() ? Source::ProviderCode : Source::ServerWords;
            if (ref.confirmed) {
                cause->evidence << Evidence{source, true, true,
                                            matchedBy(*entry, diagnosis, words)};
                if (!entry->pack.isEmpty())
                    causes.keep(ref.id);
            } else if (providerKnows && &ref == &entry->causes.first())
                cause->evidence << Evidence{source, true, false,
                                            QStringLiteral("%1 lists this first for this answer.")
                                                .arg(diagnosis.provider.name)};
        }
        for (const QString &fix : entry->fixes) {
            if (!diagnosis.fixes.contains(fix))
                diagnosis.fixes << fix;
        }
        for (const auto &reference : entry->references) {
            const bool seen = std::any_of(
                diagnosis.references.begin(), diagnosis.references.end(),
                [&](const KnowledgeBase::Reference &r) { return r.url == reference.url; });
            if (!seen)
                diagnosis.references << reference;
        }
    }

    // The server's own words confirm the causes whose patterns they match; words that list
    // several possibilities (RFC 6749's "invalid, expired, revoked, ... or issued to another
    // client") only point at each.
    const QString &spoken = words;
    // Each sentence on its own: a pattern must not join the end of one sentence to the next.
    static const QRegularExpression sentenceEnd(QStringLiteral("(?<=[.!?])\\s+|\\n"));
    const QStringList sentences = spoken.split(sentenceEnd, Qt::SkipEmptyParts);
    // A sentence that lists several causes ("invalid, expired, revoked, ... or issued to another
    // client") names possibilities, not a finding.
    static const QRegularExpression list(
        QStringLiteral(",.*,.*\\bor\\b|\\be\\.g\\.|,.*\\bor\\b.*,"),
        QRegularExpression::CaseInsensitiveOption);
    const auto packCause = [&](const QString &id) {
        const KnowledgeBase::Cause *spec = m_kb.cause(id, pack);
        return spec && !spec->pack.isEmpty();
    };
    QSet<QString> read;
    QList<QPair<QString, QString>> found; // cause id, quote
    bool listed = false;
    for (const QString &sentence : sentences) {
        QList<QPair<QString, QString>> here;
        bool inTheList = false; // a match among the items of a list ("..., or X")
        const qsizetype firstComma = sentence.indexOf(QLatin1Char(','));
        read.clear();
        for (const KnowledgeBase::Cause *spec : m_kb.causesFor(pack)) {
            if (read.contains(spec->id))
                continue;
            read.insert(spec->id); // a pack's version comes first and stands for the catalog's
            for (const QRegularExpression &says : spec->says) {
                const auto match = says.match(sentence);
                if (match.hasMatch()) {
                    here.append({spec->id, quoteAround(sentence, match.capturedStart(),
                                                       match.capturedLength())});
                    inTheList =
                        inTheList || (firstComma >= 0 && match.capturedStart() > firstComma);
                    break;
                }
            }
        }
        if ((here.size() >= 2 || inTheList) && list.match(sentence).hasMatch()) {
            listed = true;
            continue;
        }
        for (const auto &item : std::as_const(here)) {
            if (std::none_of(found.begin(), found.end(),
                             [&](const auto &f) { return f.first == item.first; }))
                found << item;
        }
    }
    for (const auto &[id, quote] : std::as_const(found)) {
        // Where the provider's own entry explains these words, a generic pattern only points;
        // the provider's causes and patterns still decide.
        const bool decisive = !providerKnows || packCause(id);
        if (packCause(id))
            causes.keep(id);
        if (Diagnosis::Cause *cause = causes.add(id))
            cause->evidence << Evidence{Source::ServerWords, true, decisive,
                                        QStringLiteral("The server said \"%1\".").arg(quote)};
    }
    if (listed)
        diagnosis.notes << QStringLiteral("The server's description lists several possible causes "
                                          "without saying which one applies.");

    // What this run, the discovery document and the profile's history show.
    Findings findings;
    FlowEvidence::gather(context, signal, findings);
    for (const Finding &finding : findings.list()) {
        Diagnosis::Cause *cause =
            finding.addsCause ? causes.add(finding.causeId) : causes.find(finding.causeId);
        if (cause)
            cause->evidence << finding.evidence;
    }
    causes.dropOutOfScope(context.grantType(), facts.endpoint);
    causes.rank();
    for (const auto &[root, symptom] : findings.roots())
        causes.putBefore(root, symptom);

    // The leading cause's fix, then those of the causes the evidence points at.
    QStringList fixes;
    if (!diagnosis.causes.isEmpty() && !diagnosis.causes.first().fix.isEmpty())
        fixes << diagnosis.causes.first().fix;
    for (const Diagnosis::Cause &cause : std::as_const(diagnosis.causes)) {
        if ((cause.status == Status::Confirmed || cause.status == Status::Supported) &&
            !cause.fix.isEmpty() && !fixes.contains(cause.fix))
            fixes << cause.fix;
    }
    for (const QString &fix : std::as_const(diagnosis.fixes)) {
        if (!fixes.contains(fix))
            fixes << fix;
    }
    if (fixes.isEmpty() && !diagnosis.causes.isEmpty())
        fixes << diagnosis.causes.first().fix;
    diagnosis.fixes = fixes;
    if (!diagnosis.provider.docs.isEmpty() &&
        std::none_of(diagnosis.references.begin(), diagnosis.references.end(),
                     [&](const auto &r) { return r.url == diagnosis.provider.docs; }))
        diagnosis.references << KnowledgeBase::Reference{
            QStringLiteral("%1: documentation").arg(diagnosis.provider.name),
            diagnosis.provider.docs};
    if (diagnosis.references.isEmpty())
        diagnosis.references << KnowledgeBase::Reference{
            QStringLiteral("RFC 6749 §5.2 Error response"),
            QStringLiteral("https://www.rfc-editor.org/rfc/rfc6749#section-5.2")};
    addNotes(diagnosis, exchange);
    return diagnosis;
}

} // namespace workbench
