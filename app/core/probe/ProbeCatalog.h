#pragma once

#include "core/client/ClientConfig.h"
#include "core/discovery/ProviderMetadata.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <optional>

namespace workbench {

// One negative test of an authorization server: what it sends, what a server that follows the
// RFCs does with it, where that is written, and what it may cost (browser sign-ins, requests).
struct ProbeDefinition
{
    QString id;
    QString title;
    QString sends;       // what goes to the server, for the person to read before it runs
    QString mustDo;      // what a server that follows the RFCs does
    QString reference;   // the sections that say so
    int signIns = 0;     // browser sign-ins it may need
    int maxRequests = 0; // requests from the app to the server, at most
};

// The probes the app runs (ServerProbe), in the order they run, and which apply to a client.
namespace ProbeCatalog {
const QList<ProbeDefinition> &all();
const ProbeDefinition *find(const QString &id);
// Why `probe` does not apply to this client; empty when it applies.
QString notApplicable(const ProbeDefinition &probe, const ClientConfig &config);
// What a probe run needs from the client's settings; empty when it can run.
QStringList missingSettings(const ClientConfig &config);
// How old a code must be when the expired-code probe redeems it for an acceptance to count as
// a failure: RFC 6749 §4.1.2 recommends codes live at most 10 minutes.
constexpr int kCodeLifetimeLimitSeconds = 600;
} // namespace ProbeCatalog

// What will run, before anything runs: the probes that apply, those that do not and why, and the
// bounds (sign-ins, requests, the longest wait), for the person to confirm.
struct ProbePlan
{
    QList<ProbeDefinition> probes;
    QList<QPair<ProbeDefinition, QString>> skipped; // with the reason
    QStringList unknownIds;
    int codeWaitSeconds = ProbeCatalog::kCodeLifetimeLimitSeconds;
    // A DPoP client's requests may each be sent twice: once more with the nonce a server asks
    // for (RFC 9449 §8), so the bound doubles.
    bool dpopRetries = false;

    // Empty `ids`: every probe.
    static ProbePlan make(const QStringList &ids, const ClientConfig &config,
                          int codeWaitSeconds = ProbeCatalog::kCodeLifetimeLimitSeconds);
    int maxRequests() const;
    int maxSignIns() const;
    bool waitsForCodeExpiry() const;
    QString toText(const ClientConfig &config) const;
    QJsonObject toJson() const;
};

} // namespace workbench
