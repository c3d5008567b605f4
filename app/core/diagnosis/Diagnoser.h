#pragma once

#include "diagnosis/Diagnosis.h"
#include "diagnosis/DiagnosisContext.h"

#include <optional>

namespace workbench {

// Turns an exchange and its flow context into a Diagnosis, using the knowledge base for the
// guidance and the flow's own data to rank the causes.
class Diagnoser
{
public:
    explicit Diagnoser(const KnowledgeBase &kb = KnowledgeBase::builtIn()) : m_kb(kb) {}

    // Nothing when the exchange shows no problem.
    std::optional<Diagnosis> diagnose(const HttpExchange &exchange,
                                      const DiagnosisContext &context) const;
    std::optional<Diagnosis> diagnose(const QList<HttpExchange> &run, qsizetype index) const
    {
        return diagnose(run.at(index), DiagnosisContext::fromRun(run, index));
    }
    std::optional<Diagnosis> diagnose(const HttpExchange &exchange) const
    {
        return diagnose(exchange, DiagnosisContext::fromExchange(exchange));
    }

private:
    const KnowledgeBase &m_kb;
};

} // namespace workbench
