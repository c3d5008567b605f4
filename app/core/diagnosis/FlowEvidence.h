#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/diagnosis/DiagnosisContext.h"

namespace workbench {

// Evidence for and against causes, keyed by cause id.
struct Finding
{
    QString causeId;
    Diagnosis::Evidence evidence;
    bool addsCause = false; // the cause is worth listing even when no entry names it
};

class Findings
{
public:
    using Source = Diagnosis::Evidence::Source;
    // Shows the cause happened; it is listed even when no entry names it.
    void confirm(const QString &id, Source source, const QString &text)
    {
        m_list << Finding{id, {source, true, true, text}, true};
    }
    // Points at the cause without proving it; only for causes already listed.
    void support(const QString &id, Source source, const QString &text)
    {
        m_list << Finding{id, {source, true, false, text}, false};
    }
    // Rules the cause out (decisive) or makes it less likely.
    void contradict(const QString &id, Source source, const QString &text, bool decisive = true)
    {
        m_list << Finding{id, {source, false, decisive, text}, false};
    }
    // Facts to read beside the cause (what was sent) that speak neither for nor against it.
    void note(const QString &id, Source source, const QString &text)
    {
        m_list << Finding{id, {source, true, false, text, true}, false};
    }
    // `root` explains why the server reports `symptom` (a JSON body explains "grant_type is
    // missing"): when both are listed, the root comes first.
    void explains(const QString &root, const QString &symptom) { m_roots.append({root, symptom}); }
    const QList<QPair<QString, QString>> &roots() const { return m_roots; }
    const QList<Finding> &list() const { return m_list; }

private:
    QList<Finding> m_list;
    QList<QPair<QString, QString>> m_roots;
};

// What this run (what was sent, when, what came before), the discovery document and the
// profile's history say about the causes of a failed exchange.
namespace FlowEvidence {
void gather(const DiagnosisContext &context, const ErrorSignal &signal, Findings &findings);
// The client authentication a token request used: client_secret_basic, client_secret_post,
// private_key_jwt, client_secret_jwt or none.
QString authMethodOf(const DiagnosisContext &context);
} // namespace FlowEvidence

} // namespace workbench
