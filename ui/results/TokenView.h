#pragma once

#include "core/tokens/IdTokenValidator.h"
#include "core/util/Clock.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace workbench::TokenView {
// HTML describing every token in a token response: each field, expires_in as a time, and each
// JWT decoded (header, claims explained, warnings); opaque tokens are said to be opaque.
// Empty when the body holds no token.
// `requestedScope` and `publicClient` come from the flow, for the scope and refresh checks.
// `idTokenChecks`, when the ID token was validated, are shown as a passed/failed table.
QString html(const QJsonObject &tokenResponse, const QDateTime &receivedAt,
             const QString &requestedScope, bool publicClient,
             const QList<TokenCheck> &idTokenChecks = {}, const QDateTime &now = Clock::utcNow());
// The checks alone, as an HTML table.
QString checksHtml(const QList<TokenCheck> &checks);
} // namespace workbench::TokenView
