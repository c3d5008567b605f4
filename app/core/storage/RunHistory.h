#pragma once

#include "core/diagnosis/Diagnosis.h"
#include "core/http/HttpExchange.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace workbench {

// One run as the history keeps it: what was run, how it ended, and its exchanges, redacted
// (secrets, tokens, codes and verifiers replaced by "REDACTED:" and a short hash, see Redaction).
struct RunRecord
{
    QString id; // made by RunHistory::newId(); also the file name
    QDateTime startedAt;
    QString profile; // the profile's name, or "Sandbox"
    QString grant;   // grant_type as sent, e.g. "authorization_code"
    QString result;  // FlowOutcome::resultName
    QString summary; // the outcome's one line
    QList<HttpExchange> exchanges;
    // Each exchange's diagnosis as the live run had it (made from the unredacted values, then
    // redacted): a saved run shows what it showed. Empty for runs saved without them.
    QList<std::optional<Diagnosis>> diagnoses;
    // Each exchange's TokenFacts (what its tokens were, without them), made before redaction and
    // kept when a saved run is saved again. Empty objects for exchanges without tokens.
    QList<QJsonObject> tokenFacts;
};

// The run history: one file per run under the app's data location ("history/ID.jsonl": a line of
// JSON with the run's summary, then a line with its exchanges), so runs can be browsed after a
// restart and listed without reading every body. Exchanges are redacted as they are written;
// nothing secret reaches the disk. The newest kKeptRuns runs are kept. Bodies are cut at
// kMaxBodyBytes (and marked so).
class RunHistory
{
public:
    static constexpr int kKeptRuns = 200;
    static constexpr qsizetype kMaxBodyBytes = 256 * 1024;

    // Empty directory: QStandardPaths::AppDataLocation + "/history".
    explicit RunHistory(QString directory = {});
    QString directory() const { return m_directory; }

    static QString newId(const QDateTime &startedAt);
    // Writes (or rewrites) the run; false, with the reason, when it cannot.
    [[nodiscard]] bool save(const RunRecord &run, QString *error = nullptr);
    // Every readable run, newest first, without their exchanges (cheap to list).
    QList<RunRecord> list(QStringList *unreadable = nullptr) const;
    [[nodiscard]] std::optional<RunRecord> load(const QString &id, QString *error = nullptr) const;
    // The newest run of this profile that succeeded, with its exchanges; what the diagnosis of a
    // failing run compares with.
    std::optional<RunRecord> lastSuccess(const QString &profile) const;
    bool remove(const QString &id);
    void clear();

    static QJsonObject exchangeToJson(const HttpExchange &exchange);
    static HttpExchange exchangeFromJson(const QJsonObject &json);

private:
    QString pathOf(const QString &id) const;
    void forgetOldest();

    QString m_directory;
};

} // namespace workbench
