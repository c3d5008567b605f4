#pragma once

#include "core/storage/RunHistory.h"

#include <QByteArray>
#include <QStringList>
#include <optional>

namespace workbench {

// A browser's (or a proxy's) HAR 1.2 capture read as a run: the OAuth and OpenID Connect
// exchanges found in it (StepRole, by URL shapes, parameters and answers, whatever the host), in
// the order they started. Chromium's and Firefox's exports, Playwright's and mitmproxy's are
// read alike: HTTP/2 pseudo-headers are dropped, a form body given only as `params` is rebuilt,
// base64 bodies decoded, a redirect's `redirectURL` kept as its Location. The exchanges keep
// their values: callers mask them on screen and redact them when saving.
struct CaptureImport
{
    RunRecord run;      // grant "capture", result from what the capture shows
    QString creator;    // "Firefox 133.0", "WebInspector 537.36", ...
    int entries = 0;    // entries in the file
    QStringList notes;  // what the capture cannot show (a sanitized export, missing bodies)
    QList<int> entryOf; // the file's entry index of each exchange kept
    // Per exchange: the capture holds no body for its answer (a browser records only the bodies
    // a page read, and an export may leave all out); an empty body says nothing then.
    QList<bool> bodyMissing;

    static constexpr qsizetype kMaxBytes = 256 * 1024 * 1024;
};

namespace HarImport {
// Whether the bytes look like a HAR (a JSON object with log.entries).
bool looksLikeHar(const QByteArray &bytes);
// Empty (and `error`) when the bytes are not a HAR with entries.
[[nodiscard]] std::optional<CaptureImport> read(const QByteArray &bytes, QString *error);
} // namespace HarImport

} // namespace workbench
