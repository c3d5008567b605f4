#pragma once

// Test-only: self-signed certificates made with OpenSSL 3 and a one-request HTTPS server
// (QSslServer), so TLS settings are checked against a real handshake.

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace testtls {

struct Identity
{
    QByteArray certificatePem;
    QByteArray keyPem;
    QSslCertificate certificate() const { return QSslCertificate(certificatePem, QSsl::Pem); }
    QSslKey key() const { return QSslKey(keyPem, QSsl::Ec, QSsl::Pem); }
};

// A P-256 key and a self-signed certificate for `commonName`, valid for 127.0.0.1.
inline Identity makeIdentity(const char *commonName)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert),
                     long(QDateTime::currentMSecsSinceEpoch() % 1000000));
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>(commonName), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    for (const auto &[nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                     std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
        X509_add_ext(cert, extension, -1);
        X509_EXTENSION_free(extension);
    }
    X509_sign(cert, key, EVP_sha256());
    const auto pem = [](auto write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        write(bio.get());
        char *data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        return QByteArray(data, int(length));
    };
    Identity identity;
    identity.certificatePem = pem([&](BIO *bio) { PEM_write_bio_X509(bio, cert); });
    identity.keyPem = pem([&](BIO *bio) {
        PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    });
    X509_free(cert);
    EVP_PKEY_free(key);
    return identity;
}

// An HTTPS server on 127.0.0.1 that answers every request with 200 and a small JSON body. With
// `clientAuthority` it demands a client certificate issued by that authority.
class Server : public QSslServer
{
public:
    explicit Server(const Identity &identity, const Identity *clientAuthority = nullptr)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(identity.certificate());
        tls.setPrivateKey(identity.key());
        if (clientAuthority) {
            tls.setCaCertificates({clientAuthority->certificate()});
            tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        } else {
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        }
        setSslConfiguration(tls);
        connect(this, &QSslServer::pendingConnectionAvailable, this, [this] {
            while (auto *socket = qobject_cast<QSslSocket *>(nextPendingConnection())) {
                connect(socket, &QSslSocket::readyRead, socket, [this, socket] {
                    m_buffer += socket->readAll();
                    if (!m_buffer.contains("\r\n\r\n"))
                        return;
                    peerCertificate = socket->peerCertificate();
                    ++requests;
                    const QByteArray body = "{\"ok\":true}";
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Connection: close\r\nContent-Length: " +
                                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
                    socket->disconnectFromHost();
                    m_buffer.clear();
                });
            }
        });
        listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("https://127.0.0.1:%1/token").arg(serverPort()));
    }
    int requests = 0;
    QSslCertificate peerCertificate;

private:
    QByteArray m_buffer;
};

// Writes `bytes` to `name` in `dir` and returns the path.
inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile file(dir.filePath(name));
    file.open(QIODevice::WriteOnly);
    file.write(bytes);
    return file.fileName();
}

} // namespace testtls
