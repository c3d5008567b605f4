#include "core/http/TlsLibrary.h"

#include <QSslSocket>

namespace workbench {

QString tlsLibraryVersion()
{
    return QSslSocket::sslLibraryVersionString();
}

} // namespace workbench
