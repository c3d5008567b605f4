#pragma once

#include <QString>

namespace workbench {

// The TLS library every HTTPS request goes through, as it names itself ("OpenSSL 3.0.x ..."),
// for About; empty when none is loaded.
QString tlsLibraryVersion();

} // namespace workbench
