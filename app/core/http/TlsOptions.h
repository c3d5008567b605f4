#pragma once

#include <QString>

namespace workbench {

// TLS settings for the back channel to the server.
struct TlsOptions
{
    QString caBundlePath;          // PEM file of extra trusted CAs; empty: the system's
    bool skipVerification = false; // accept any certificate; shown with a warning
    QString clientCertificatePath; // PEM, for tls_client_auth (RFC 8705)
    QString clientKeyPath;         // PEM private key of that certificate

    bool isDefault() const
    {
        return caBundlePath.isEmpty() && !skipVerification && clientCertificatePath.isEmpty() &&
               clientKeyPath.isEmpty();
    }
};

} // namespace workbench
