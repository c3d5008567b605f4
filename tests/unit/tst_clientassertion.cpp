// JWTs the client signs: RFC 7523 client assertions, JWT bearer assertions and RFC 9101 request
// objects, checked with the app's own verifier against keys made here with OpenSSL.
#include "core/client/ClientAssertion.h"
#include "core/client/TokenRequest.h"
#include "core/jose/Jwe.h"
#include "core/jose/JwsVerifier.h"
#include "core/jose/Jwt.h"

#include "TestJose.h"

#include <QCryptographicHash>
#include <QTest>

#include <openssl/pem.h>

using namespace workbench;

namespace {
// The private half of a test key as PEM, optionally encrypted with `passphrase`.
QByteArray pemOf(const testjose::TestKey &key, const QByteArray &passphrase = {})
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (passphrase.isEmpty())
        PEM_write_bio_PrivateKey(bio.get(), key.pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
    else
        PEM_write_bio_PKCS8PrivateKey(bio.get(), key.pkey.get(), EVP_aes_256_cbc(), nullptr, 0,
                                      nullptr, const_cast<char *>(passphrase.constData()));
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(length));
}

ClientConfig clientWithKey(const testjose::TestKey &key, const QString &alg)
{
    ClientConfig config;
    config.issuer = QUrl("https://id.example.test");
    config.tokenEndpoint = QUrl("https://id.example.test/oauth/token");
    config.authorizationEndpoint = QUrl("https://id.example.test/oauth/authorize");
    config.clientId = "client-1";
    config.authMethod = ClientAuthMethod::PrivateKeyJwt;
    config.privateKeyPem = QString::fromLatin1(pemOf(key));
    config.signingAlgorithm = alg;
    config.keyId = key.kid;
    return config;
}

DecodedJwt decoded(const QByteArray &jwt)
{
    QString error;
    const auto result = Jwt::decode(jwt, &error);
    if (!result)
        qFatal("not a JWS: %s", qPrintable(error));
    return *result;
}
} // namespace

class TestClientAssertion : public QObject
{
    Q_OBJECT

private slots:
    void privateKeyJwtAssertionVerifies_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::newRow("RS256") << "RS256";
        QTest::newRow("PS256") << "PS256";
        QTest::newRow("ES256") << "ES256";
    }
    void privateKeyJwtAssertionVerifies()
    {
        QFETCH(QString, alg);
        const auto key = testjose::makeKey(alg, "k1");
        const ClientConfig config = clientWithKey(key, alg);
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
        QString error;
        const QByteArray jwt =
            ClientAssertion::clientAssertion(config, config.tokenEndpoint, &error, now);
        QVERIFY2(!jwt.isEmpty(), qPrintable(error));
        const DecodedJwt jws = decoded(jwt);
        QCOMPARE(jws.algorithm(), alg);
        QCOMPARE(jws.keyId(), QStringLiteral("k1"));
        QCOMPARE(jws.header.value("typ").toString(), QStringLiteral("JWT"));
        const auto verdict = JwsVerifier::verify(jws, Jwk{key.publicJwk});
        QVERIFY2(verdict.valid, qPrintable(verdict.reason));
        // RFC 7523 §3: iss = sub = client_id, aud the server, exp after iat, a jti.
        QCOMPARE(jws.claims.value("iss").toString(), config.clientId);
        QCOMPARE(jws.claims.value("sub").toString(), config.clientId);
        QCOMPARE(jws.claims.value("aud").toString(), QStringLiteral("https://id.example.test"));
        QCOMPARE(jws.claims.value("iat").toInteger(), 1800000000);
        QCOMPARE(jws.claims.value("exp").toInteger(), 1800000060);
        QVERIFY(jws.claims.value("jti").toString().size() >= 20);
        // Every assertion is new: a server rejects a replayed jti.
        const QByteArray again =
            ClientAssertion::clientAssertion(config, config.tokenEndpoint, &error, now);
        QVERIFY(decoded(again).claims.value("jti") != jws.claims.value("jti"));
    }

    void withoutIssuerTheAudienceIsTheEndpoint()
    {
        const auto key = testjose::makeKey("ES256", "k");
        ClientConfig config = clientWithKey(key, "ES256");
        config.issuer.clear();
        const QUrl par("https://id.example.test/par");
        const QByteArray jwt = ClientAssertion::clientAssertion(config, par, nullptr);
        QCOMPARE(decoded(jwt).claims.value("aud").toString(), par.toString());
    }

    void clientSecretJwtIsHs256WithTheSecret()
    {
        ClientConfig config;
        config.clientId = "client-2";
        config.clientSecret = "a-long-enough-shared-secret-for-hs256!";
        config.authMethod = ClientAuthMethod::ClientSecretJwt;
        config.tokenEndpoint = QUrl("https://as.example.test/token");
        const QByteArray jwt =
            ClientAssertion::clientAssertion(config, config.tokenEndpoint, nullptr);
        const DecodedJwt jws = decoded(jwt);
        QCOMPARE(jws.algorithm(), QStringLiteral("HS256"));
        QVERIFY(!jws.header.contains("kid"));
        QVERIFY(JwsVerifier::verifyWithSecret(jws, config.clientSecret.toUtf8()).valid);
        QVERIFY(!JwsVerifier::verifyWithSecret(jws, "another secret").valid);
    }

    void tokenRequestCarriesTheAssertion()
    {
        const auto key = testjose::makeKey("RS256", "k");
        ClientConfig config = clientWithKey(key, "RS256");
        config.grant = GrantType::ClientCredentials;
        const HttpRequestSpec request = TokenRequest::clientCredentials(config);
        const FormFields form = FormEncoding::decode(request.body);
        QCOMPARE(FormEncoding::value(form, "client_assertion_type"),
                 QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        QCOMPARE(FormEncoding::value(form, "client_id"), config.clientId);
        QVERIFY(request.header("Authorization").isEmpty());
        const DecodedJwt jws = decoded(FormEncoding::value(form, "client_assertion").toLatin1());
        QVERIFY(JwsVerifier::verify(jws, Jwk{key.publicJwk}).valid);
    }

    void encryptedKeyNeedsItsPassphrase()
    {
        const auto key = testjose::makeKey("ES256", "k");
        ClientConfig config = clientWithKey(key, "ES256");
        config.privateKeyPem = QString::fromLatin1(pemOf(key, "open sesame"));
        QVERIFY(config.privateKeyPem.contains("ENCRYPTED"));
        QVERIFY(config.validate().join(' ').contains("passphrase"));
        config.privateKeyPassphrase = "wrong";
        QVERIFY(config.validate().join(' ').contains("passphrase"));
        config.privateKeyPassphrase = "open sesame";
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));
        const QByteArray jwt =
            ClientAssertion::clientAssertion(config, config.tokenEndpoint, nullptr);
        QVERIFY(JwsVerifier::verify(decoded(jwt), Jwk{key.publicJwk}).valid);
    }

    void unsuitableKeysAreExplained_data()
    {
        QTest::addColumn<QString>("keyAlg");
        QTest::addColumn<QString>("configuredAlg");
        QTest::addColumn<QString>("pem");
        QTest::addColumn<QString>("expected");
        QTest::newRow("RSA key for ES256") << "RS256"
                                           << "ES256"
                                           << ""
                                           << "P-256";
        QTest::newRow("EC key for RS256") << "ES256"
                                          << "RS256"
                                          << ""
                                          << "needs an RSA key";
        QTest::newRow("P-384 key for ES256") << "ES384"
                                             << "ES256"
                                             << ""
                                             << "P-256";
        QTest::newRow("HS256 is no private key alg") << "RS256"
                                                     << "HS256"
                                                     << ""
                                                     << "not an algorithm";
        QTest::newRow("not PEM") << "RS256"
                                 << "RS256"
                                 << "hello"
                                 << "not a PEM private key";
        QTest::newRow("a certificate, not a key")
            << "RS256"
            << "RS256"
            << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
            << "not a PEM private key";
    }
    void unsuitableKeysAreExplained()
    {
        QFETCH(QString, keyAlg);
        QFETCH(QString, configuredAlg);
        QFETCH(QString, pem);
        QFETCH(QString, expected);
        const auto key = testjose::makeKey(keyAlg, "k");
        ClientConfig config = clientWithKey(key, configuredAlg);
        if (!pem.isEmpty())
            config.privateKeyPem = pem;
        const QString problems = config.validate().join('\n');
        QVERIFY2(problems.contains(expected), qPrintable(problems));
        QString error;
        QVERIFY(ClientAssertion::clientAssertion(config, config.tokenEndpoint, &error).isEmpty());
        QVERIFY(error.contains(expected));
    }

    void weakRsaKeyIsRefused()
    {
        const auto key = testjose::makeKey("RS256", "k", 1024);
        const QString problems = clientWithKey(key, "RS256").validate().join('\n');
        QVERIFY2(problems.contains("2048"), qPrintable(problems));
    }

    void bearerAssertionForTheJwtBearerGrant()
    {
        const auto key = testjose::makeKey("RS256", "k");
        ClientConfig config = clientWithKey(key, "RS256");
        config.grant = GrantType::JwtBearer;
        config.authMethod = ClientAuthMethod::None;
        config.assertionSubject = "service-account@example.test";
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));
        const HttpRequestSpec request = TokenRequest::jwtBearer(config);
        const FormFields form = FormEncoding::decode(request.body);
        QCOMPARE(FormEncoding::value(form, "grant_type"),
                 QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer"));
        const DecodedJwt jws = decoded(FormEncoding::value(form, "assertion").toLatin1());
        QVERIFY(JwsVerifier::verify(jws, Jwk{key.publicJwk}).valid);
        QCOMPARE(jws.claims.value("iss").toString(), config.clientId);
        QCOMPARE(jws.claims.value("sub").toString(), config.assertionSubject);
        QCOMPARE(jws.claims.value("aud").toString(), config.issuerIdentifier());

        // A pasted assertion goes as it is.
        config.assertion = "eyJhbGciOiJub25lIn0.e30.";
        QCOMPARE(FormEncoding::value(FormEncoding::decode(TokenRequest::jwtBearer(config).body),
                                     "assertion"),
                 config.assertion);
    }

    void requestObjectCarriesTheParameters()
    {
        const auto key = testjose::makeKey("PS256", "k");
        const ClientConfig config = clientWithKey(key, "PS256");
        const FormFields parameters{
            {"response_type", "code"},
            {"client_id", "client-1"},
            {"state", "s1"},
            {"max_age", "600"},
            {"claims", R"({"userinfo":{"email":null}})"},
            {"resource", "https://api.one"},
            {"resource", "https://api.two"},
            {"authorization_details", "[{\"type\":\"payment_initiation\"}]"}};
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
        const QByteArray jwt = ClientAssertion::requestObject(config, parameters, nullptr, now);
        const DecodedJwt jws = decoded(jwt);
        QCOMPARE(jws.header.value("typ").toString(), QStringLiteral("oauth-authz-req+jwt"));
        QVERIFY(JwsVerifier::verify(jws, Jwk{key.publicJwk}).valid);
        QCOMPARE(jws.claims.value("iss").toString(), QStringLiteral("client-1"));
        QCOMPARE(jws.claims.value("aud").toString(), QStringLiteral("https://id.example.test"));
        QCOMPARE(jws.claims.value("state").toString(), QStringLiteral("s1"));
        QCOMPARE(jws.claims.value("max_age").toInteger(), 600);
        QVERIFY(jws.claims.value("claims").toObject().value("userinfo").isObject());
        QCOMPARE(jws.claims.value("resource").toArray().size(), 2);
        // RFC 9396 §3: the details are a JSON array in the request object, not a string.
        QCOMPARE(jws.claims.value("authorization_details").toArray().first()["type"].toString(),
                 QStringLiteral("payment_initiation"));
        QCOMPARE(jws.claims.value("exp").toInteger(), 1800000300);
    }

    // RFC 9101 §4: a nested JWT encrypted to the server's "enc" key from its JWKS; its signing
    // key and an "enc" key of the wrong type are passed over.
    void requestObjectIsEncryptedToTheServersKey_data()
    {
        QTest::addColumn<QString>("keyType");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::newRow("RSA-OAEP-256") << "RSA"
                                      << "RSA-OAEP-256"
                                      << "A256GCM";
        QTest::newRow("RSA-OAEP") << "RSA"
                                  << "RSA-OAEP"
                                  << "A128CBC-HS256";
        QTest::newRow("ECDH-ES") << "EC"
                                 << "ECDH-ES"
                                 << "A256GCM";
        QTest::newRow("ECDH-ES+A128KW") << "EC"
                                        << "ECDH-ES+A128KW"
                                        << "A128GCM";
    }
    void requestObjectIsEncryptedToTheServersKey()
    {
        QFETCH(QString, keyType);
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        const auto signingKey = testjose::makeKey("PS256", "client-sig");
        ClientConfig config = clientWithKey(signingKey, "PS256");
        config.requestObjectEncryptionAlg = alg;
        config.requestObjectEncryptionEnc = enc;
        const DecryptionKey server = DecryptionKey::generate(keyType, "server-enc");
        const DecryptionKey other =
            DecryptionKey::generate(keyType == "RSA" ? "EC" : "RSA", "server-enc-other-type");
        const auto serverSigning = testjose::makeKey("RS256", "server-sig");
        JwkSet keys;
        keys.keys = {Jwk{serverSigning.publicJwk}, Jwk{other.publicJwk()}, Jwk{server.publicJwk()}};

        const QByteArray signedObject =
            ClientAssertion::requestObject(config, {{"state", "s1"}}, nullptr);
        QString error;
        QString recipient;
        const QByteArray token =
            ClientAssertion::encryptRequestObject(config, signedObject, keys, &error, &recipient);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        QVERIFY2(recipient.contains("kid \"server-enc\""), qPrintable(recipient));
        const Jwe::Decrypted opened = Jwe::decrypt(token, server);
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(opened.header.value("cty").toString(), QStringLiteral("JWT"));
        QCOMPARE(opened.header.value("alg").toString(), alg);
        QCOMPARE(opened.header.value("enc").toString(), enc);
        QCOMPARE(opened.plaintext, signedObject);
        QVERIFY(JwsVerifier::verify(decoded(opened.plaintext), Jwk{signingKey.publicJwk}).valid);
    }

    void requestObjectEncryptionWithoutAKeyIsExplained()
    {
        const auto signingKey = testjose::makeKey("PS256", "client-sig");
        ClientConfig config = clientWithKey(signingKey, "PS256");
        config.requestObjectEncryptionAlg = "RSA-OAEP-256";
        JwkSet onlySigning;
        onlySigning.keys = {Jwk{testjose::makeKey("RS256", "server-sig").publicJwk}};
        QString error;
        QVERIFY(
            ClientAssertion::encryptRequestObject(config, "a.b.c", onlySigning, &error).isEmpty());
        QCOMPARE(error, QStringLiteral("The server's JWKS has no RSA key for encryption (use "
                                       "\"enc\" or none, alg RSA-OAEP-256 or none) to encrypt the "
                                       "request object to."));

        config.requestObjectEncryptionAlg = "A256KW";
        config.clientSecret.clear();
        QVERIFY(ClientAssertion::encryptRequestObject(config, "a.b.c", {}, &error).isEmpty());
        QVERIFY2(error.contains("needs the client secret"), qPrintable(error));
    }

    // What an encrypted request object needs is named before a run starts: algorithms the app
    // has, the server's JWKS URI for RSA/EC, the client secret for dir and A*KW.
    void requestObjectEncryptionNeedsItsKeySource()
    {
        const auto signingKey = testjose::makeKey("PS256", "client-sig");
        ClientConfig config = clientWithKey(signingKey, "PS256");
        config.redirectUri = QUrl("http://127.0.0.1/callback");
        config.scope = "openid";
        config.useRequestObject = true;
        config.requestObjectEncryptionAlg = "RSA-OAEP-256";
        QVERIFY(config.encryptsRequestObject());
        QVERIFY2(config.validate().join('\n').contains(
                     "Encrypting the request object with RSA-OAEP-256 needs the server's JWKS URI"),
                 qPrintable(config.validate().join('\n')));
        config.jwksUri = QUrl("https://id.example.test/jwks");
        QVERIFY2(config.validate().isEmpty(), qPrintable(config.validate().join('\n')));

        config.requestObjectEncryptionAlg = "A128KW";
        QVERIFY(config.validate().join('\n').contains("needs the client secret"));
        config.clientSecret = "s";
        QVERIFY(config.validate().isEmpty());

        config.requestObjectEncryptionAlg = "RSA1_5";
        config.requestObjectEncryptionEnc = "A128CTR";
        const QString problems = config.validate().join('\n');
        QVERIFY2(problems.contains("encryption alg must be one of") &&
                     problems.contains("encryption enc must be one of"),
                 qPrintable(problems));

        // Discovery's lists: a choice the server does not list is warned about.
        config.requestObjectEncryptionAlg = "RSA-OAEP-256";
        config.requestObjectEncryptionEnc = "A256GCM";
        config.requestObjectEncryptionAlgorithms = {"RSA-OAEP-256", "ECDH-ES"};
        config.requestObjectEncryptionEncodings = {"A128CBC-HS256"};
        QCOMPARE(config.warnings(),
                 QStringList{"The server lists A128CBC-HS256 for encrypted request objects; "
                             "A256GCM is not among them, so expect invalid_request_object."});
        config.requestObjectEncryptionEncodings << "A256GCM";
        QVERIFY(config.warnings().isEmpty());

        // Without the request object there is nothing to encrypt.
        config.useRequestObject = false;
        QVERIFY(!config.encryptsRequestObject());
        QVERIFY(config.validate().isEmpty());
    }

    // dir and A*KW need no JWKS: the key comes from the client secret (OIDC Core §10.2).
    void requestObjectIsEncryptedWithTheClientSecret()
    {
        ClientConfig config;
        config.clientId = "client-1";
        config.clientSecret = "a-client-secret-jwt-secret-longer-than-32-bytes";
        config.requestObjectEncryptionAlg = "dir";
        config.requestObjectEncryptionEnc = "A128CBC-HS256";
        QString error;
        QString recipient;
        const QByteArray token =
            ClientAssertion::encryptRequestObject(config, "a.b.c", {}, &error, &recipient);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        QCOMPARE(recipient, QStringLiteral("a key derived from the client secret"));
        const Jwe::Decrypted opened =
            Jwe::decrypt(token, DecryptionKey::sharedSecret(QCryptographicHash::hash(
                                    config.clientSecret.toUtf8(), QCryptographicHash::Sha256)));
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(opened.plaintext, QByteArray("a.b.c"));
    }
};

QTEST_GUILESS_MAIN(TestClientAssertion)
#include "tst_clientassertion.moc"
