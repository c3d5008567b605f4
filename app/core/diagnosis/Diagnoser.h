#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/diagnosis/DiagnosisContext.h"

#include <optional>

namespace workbench {

// Turns an exchange and its flow context into a Diagnosis: identifies the provider, finds the
// knowledge that applies, and ranks the causes by the evidence for and against each (the
// server's words, the provider's code, what this run sent, discovery, history).
class Diagnoser
{
public:
    explicit Diagnoser(const KnowledgeBase &kb = KnowledgeBase::builtIn()) : m_kb(kb) {}

    // Nothing when the exchange shows no problem.
    std::optional<Diagnosis> diagnose(const HttpExchange &exchange,
                                      const DiagnosisContext &context) const;
    std::optional<Diagnosis> diagnose(const QList<HttpExchange> &run, qsizetype index,
                                      const DiagnosisHints &hints = {}) const
    {
        DiagnosisContext context = DiagnosisContext::fromRun(run, index);
        context.hints = hints;
        return diagnose(run.at(index), context);
    }
    std::optional<Diagnosis> diagnose(const HttpExchange &exchange) const
    {
        return diagnose(exchange, DiagnosisContext::fromExchange(exchange));
    }
    // The diagnosis of the newest step of `run` that shows a problem; nothing when none does.
    std::optional<Diagnosis> lastProblem(const QList<HttpExchange> &run,
                                         const DiagnosisHints &hints = {}) const
    {
        for (qsizetype row = run.size() - 1; row >= 0; --row) {
            if (auto diagnosis = diagnose(run, row, hints))
                return diagnosis;
        }
        return std::nullopt;
    }

private:
    const KnowledgeBase &m_kb;
};

} // namespace workbench
