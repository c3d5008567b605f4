#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace workbench::TokenView {
// HTML describing every token in a token response: each field, expires_in as a time, and each
// JWT decoded (header, claims explained, warnings); opaque tokens are said to be opaque.
// Empty when the body holds no token.
// `requestedScope` and `publicClient` come from the flow, for the scope and refresh checks.
QString html(const QJsonObject &tokenResponse, const QDateTime &receivedAt,
             const QString &requestedScope, bool publicClient,
             const QDateTime &now = QDateTime::currentDateTimeUtc());
} // namespace workbench::TokenView
