#pragma once

#include <QString>
#include <QUrl>

namespace workbench::LoopbackAddress {
bool isLoopbackHost(const QString &host);
// True when the app can capture a redirect to this URI on its own listener (RFC 8252 §7.3).
[[nodiscard]] bool isCapturable(const QUrl &redirectUri, QString *whyNot = nullptr);
// 0 when the URI names no port (or port 0): the listener then takes any free port.
quint16 requestedPort(const QUrl &redirectUri);
} // namespace workbench::LoopbackAddress
