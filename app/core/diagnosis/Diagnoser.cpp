#include "core/diagnosis/Diagnoser.h"

#include "core/diagnosis/CauseList.h"
#include "core/diagnosis/DiagnosisNotes.h"
#include "core/diagnosis/FlowEvidence.h"
#include "core/diagnosis/ProviderIdentifier.h"
#include "core/diagnosis/ServerWords.h"

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

// What identifies an answer's entry, for the evidence of its confirmed causes.
QString matchedBy(const KnowledgeBase::Entry &entry, const Diagnosis &diagnosis,
                  const QString &words)
{
    if (!entry.match.providerCodes.isEmpty())
        return QStringLiteral("%1 documents %2 for this cause.")
            .arg(diagnosis.provider.name, diagnosis.provider.code);
    if (!entry.match.description.pattern().isEmpty()) {
        const auto match = entry.match.description.match(words);
        const QString quote =
            ServerWords::quoteAround(words, match.capturedStart(), match.capturedLength());
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

QString serverTextOf(const ErrorSignal &signal)
{
    QStringList parts{signal.error, signal.rawError, signal.words(), signal.errorUri};
    for (const QString &value : signal.extras)
        parts << value;
    return parts.join(QLatin1Char('\n'));
}

// What the knowledge base matches an answer against.
KnowledgeBase::Facts factsOf(const ErrorSignal &signal, const DiagnosisContext &context,
                             const Diagnosis &diagnosis)
{
    KnowledgeBase::Facts facts;
    facts.error = signal.error;
    facts.status = signal.httpStatus;
    facts.words = signal.words();
    facts.shape = ErrorSignal::shapeName(signal.shape);
    facts.endpoint = DiagnosisContext::endpointName(context.endpoint);
    facts.grant = context.grantType();
    facts.transport = transportName(signal.transport);
    facts.provider = diagnosis.provider.id;
    facts.providerCode = diagnosis.provider.code;
    if (signal.httpStatus >= 200 && signal.httpStatus < 300 && !signal.error.isEmpty())
        facts.status = 400; // errors hidden in a 2xx match like any other error of that code
    return facts;
}

// The entries that explain this answer (at most three, the first leading).
struct Selection
{
    QList<const KnowledgeBase::Entry *> used;
    bool knownCode = false;      // the first is about this very answer
    bool challengeLeads = false; // a code of the server's own in a WWW-Authenticate challenge
};

// An entry about this very answer, not only its status, shape or transport.
bool specific(const KnowledgeBase::Entry *entry)
{
    const KnowledgeBase::Match &m = entry->match;
    const int stated = int(!m.statuses.isEmpty()) + int(!m.shapes.isEmpty()) +
                       int(!m.endpoints.isEmpty()) + int(!m.grants.isEmpty()) +
                       int(!m.transports.isEmpty());
    return !entry->pack.isEmpty() || !m.errors.isEmpty() || !m.description.pattern().isEmpty() ||
           !m.providerCodes.isEmpty() || stated >= 2;
}

Selection select(const QList<KnowledgeBase::Scored> &matches, const ErrorSignal &signal)
{
    Selection selection;
    QList<const KnowledgeBase::Entry *> &used = selection.used;
    for (const auto &scored : matches) {
        if (used.size() == 3)
            break;
        // Once an entry about this error matched, only entries about it add to it; a bare
        // status or shape entry would repeat generalities.
        if (!used.isEmpty() && specific(used.first()) && !specific(scored.entry))
            continue;
        used << scored.entry;
    }
    selection.knownCode = !used.isEmpty() && specific(used.first());
    // A code of the server's own in a WWW-Authenticate challenge with nothing in the body: the
    // entry on that shape leads, since where the server put its explanation is the lead.
    if (signal.error.isEmpty() || selection.knownCode ||
        signal.shape != ErrorSignal::Shape::WwwAuthenticate)
        return selection;
    for (const auto &scored : matches) {
        if (scored.entry->match.shapes.contains(QStringLiteral("www_authenticate"))) {
            used.removeAll(scored.entry);
            used.prepend(scored.entry);
            used = used.mid(0, 3);
            selection.challengeLeads = true;
            break;
        }
    }
    return selection;
}

// The diagnosis's title and meaning: the leading entry's, or "unrecognized" with the provider's
// documentation as the lead for a code of its own.
void describe(Diagnosis &diagnosis, const Selection &selection, CauseList &causes)
{
    const ErrorSignal &signal = diagnosis.signal;
    const QList<const KnowledgeBase::Entry *> &used = selection.used;
    const bool ownCode = !signal.error.isEmpty() && !selection.knownCode;
    const QString providerDocs =
        diagnosis.provider.name.isEmpty()
            ? QStringLiteral("the provider's documentation")
            : QStringLiteral("%1's documentation").arg(diagnosis.provider.name);
    if (selection.challengeLeads || ownCode || used.isEmpty()) {
        causes.addOwn(
            QStringLiteral("provider_specific"),
            selection.challengeLeads
                ? QStringLiteral("\"%1\" is not a standard code (RFC 6750 defines "
                                 "invalid_request, invalid_token and "
                                 "insufficient_scope): it is the provider's own, and %2 "
                                 "explains it.")
                      .arg(signal.error, providerDocs)
                : QStringLiteral("A code of the provider's own; %1 explains it.").arg(providerDocs),
            QStringLiteral("Look the code up in %1; error_uri, when sent, links to it.")
                .arg(providerDocs));
    }
    if (!selection.challengeLeads && (used.isEmpty() || ownCode)) {
        for (const KnowledgeBase::Entry *entry : used)
            diagnosis.relatedEntryIds << entry->id;
        diagnosis.entryId = QStringLiteral("unrecognized");
        diagnosis.category = QStringLiteral("unknown");
        diagnosis.severity = QStringLiteral("error");
        diagnosis.title = signal.error.isEmpty()
                              ? QStringLiteral("An error this app has no guidance for")
                              : QStringLiteral("Unrecognized error code \"%1\"").arg(signal.error);
        diagnosis.meaning = QStringLiteral("This is not a standard OAuth error code; the server's "
                                           "own words below are the best lead.");
        return;
    }
    const KnowledgeBase::Entry &primary = *used.first();
    diagnosis.entryId = primary.id;
    diagnosis.category = primary.category;
    diagnosis.severity = primary.severity;
    diagnosis.title = primary.title;
    diagnosis.meaning = primary.meaning;
    if (!primary.pack.isEmpty())
        diagnosis.source = diagnosis.provider.name;
    for (const KnowledgeBase::Entry *entry : used) {
        if (entry != &primary)
            diagnosis.relatedEntryIds << entry->id;
    }
    if (diagnosis.code.isEmpty())
        diagnosis.code = signal.httpStatus > 0 ? QString::number(signal.httpStatus) : primary.id;
}

// The selected entries' causes (in their order), fixes and references. A matched entry may
// say its answer establishes a cause; a provider's entry for this very code or wording knows
// its own answers better than the generic patterns: its first cause is where that provider's
// documentation points. Returns whether the provider's knowledge leads.
bool addKnowledge(Diagnosis &diagnosis, const Selection &selection, CauseList &causes)
{
    const QList<const KnowledgeBase::Entry *> &used = selection.used;
    const KnowledgeBase::Entry *lead =
        used.isEmpty() || diagnosis.entryId == QLatin1String("unrecognized") ? nullptr
                                                                             : used.first();
    const bool providerKnows =
        lead && !lead->pack.isEmpty() &&
        (!lead->match.providerCodes.isEmpty() || !lead->match.description.pattern().isEmpty());
    const QString words = diagnosis.signal.words();
    for (const KnowledgeBase::Entry *entry : used) {
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
    return providerKnows;
}

// The fixes in order: the leading cause's, then those of the causes the evidence points at,
// then the entries' own; the provider's documentation among the references.
void orderFixesAndReferences(Diagnosis &diagnosis)
{
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
}

// A successful status at the token endpoint must still carry an access token.
bool tokenAnswerWithoutToken(const HttpExchange &exchange, const ErrorSignal &signal,
                             const DiagnosisContext &context)
{
    if (context.endpoint != DiagnosisContext::Endpoint::Token || signal.httpStatus < 200 ||
        signal.httpStatus >= 300 || signal.isError())
        return false;
    const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
    return !body.value(QLatin1String("access_token")).isString();
}
} // namespace

std::optional<Diagnosis> Diagnoser::diagnose(const HttpExchange &exchange,
                                             const DiagnosisContext &context) const
{
    const ErrorSignal signal = ResponseClassifier::classify(exchange, context.hints.decryptionKey);
    if (!signal.isError() && !tokenAnswerWithoutToken(exchange, signal, context))
        return std::nullopt;

    Diagnosis diagnosis;
    diagnosis.signal = signal;
    // The code as the server spelled it (trimmed): "InvalidAuthenticationToken", "E0000011".
    diagnosis.code = signal.rawError.trimmed().isEmpty() ? signal.error : signal.rawError.trimmed();
    diagnosis.provider = ProviderIdentifier::identify(
        m_kb,
        {context.hints.provider, context.url, context.hints.issuer,
         signal.extras.value(QStringLiteral("iss")), exchange.responseHeaders, serverTextOf(signal),
         signal.extras.value(QString::fromLatin1(ProviderIdentifier::kSandboxImitatesParameter))});
    const QString pack = diagnosis.provider.id;
    const KnowledgeBase::Facts facts = factsOf(signal, context, diagnosis);
    const Selection selection = select(m_kb.matching(facts), signal);

    CauseList causes(m_kb, pack, diagnosis);
    describe(diagnosis, selection, causes);
    const bool providerKnows = addKnowledge(diagnosis, selection, causes);

    // The server's own words confirm the causes whose patterns they match; words that list
    // several possibilities only point at each. Where the provider's own entry explains these
    // words, a generic pattern only points; the provider's causes and patterns still decide.
    const ServerWords::Reading reading = ServerWords::read(m_kb, pack, signal.words());
    for (const auto &[id, quote] : reading.found) {
        const KnowledgeBase::Cause *spec = m_kb.cause(id, pack);
        const bool packCause = spec && !spec->pack.isEmpty();
        if (packCause)
            causes.keep(id);
        if (Diagnosis::Cause *cause = causes.add(id))
            cause->evidence << Evidence{Source::ServerWords, true, !providerKnows || packCause,
                                        QStringLiteral("The server said \"%1\".").arg(quote)};
    }
    if (reading.listed)
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

    orderFixesAndReferences(diagnosis);
    DiagnosisNotes::add(diagnosis, exchange);
    return diagnosis;
}

} // namespace workbench
