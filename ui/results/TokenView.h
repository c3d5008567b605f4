#pragma once

#include "core/jose/Jwe.h"
#include "core/tokens/IdTokenValidator.h"
#include "core/tokens/TokenActions.h"
#include "core/util/Clock.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace workbench::TokenView {
// HTML describing every token in a token response: each field, expires_in as a time, and each
// JWT decoded (header, claims explained, warnings); opaque tokens are said to be opaque.
// Empty when the body holds no token.
// `requestedScope` and `publicClient` come from the flow, for the scope and refresh checks.
// `idTokenChecks`, when the ID token was validated, are shown as a passed/failed table. An
// encrypted ID token is shown opened when `key` (the run's decryption key) opens it.
QString html(const QJsonObject &tokenResponse, const QDateTime &receivedAt,
             const QString &requestedScope, bool publicClient,
             const QList<TokenCheck> &idTokenChecks = {}, const QDateTime &now = Clock::utcNow(),
             const DecryptionKey &key = {});
// The checks alone, as an HTML table (an ID token's, or a JWT authorization response's).
QString checksHtml(const QList<TokenCheck> &checks, bool authorizationResponse = false);
// A JWT-secured authorization response (JARM): decoded, with its checks when it was checked.
QString authorizationResponseHtml(const QString &response, const QList<TokenCheck> &checks,
                                  const QDateTime &now = Clock::utcNow(),
                                  const DecryptionKey &key = {});
// The header and claims of each JWT in a token response, named "id_token header", ... in the
// order the text shows them: the ID token first, then the access and refresh tokens, then any
// other.
QList<QPair<QString, QJsonValue>> claimRoots(const QJsonObject &tokenResponse);
// The session bar's line: when the access token expires (or that it was revoked) and whether a
// refresh token is held.
QString sessionText(const TokenSet &tokens, const QDateTime &now);
} // namespace workbench::TokenView
