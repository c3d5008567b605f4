// JSON Web Encryption with OpenSSL: the RFC 7520 §5 vectors (tests/data/jwe, from the authors'
// published JSON), RFC 7516 Appendix A.3 and RFC 7518 Appendix C decrypt to their plaintext; every
// supported alg/enc pair round-trips with generated keys; and a token for another key, a changed
// token, a key of the wrong type and what the client does not support each fail with a reason that
// names the fault.
#include "core/jose/Jwe.h"
#include "core/util/Base64Url.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

using namespace workbench;

namespace {

QJsonObject vector(const QString &prefix)
{
    const QDir dir(QStringLiteral(WORKBENCH_TEST_DATA "/jwe"));
    const QStringList files = dir.entryList({prefix + QStringLiteral(".*.json")}, QDir::Files);
    if (files.size() != 1)
        return {};
    QFile file(dir.filePath(files.first()));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray flipLastByteOf(const QByteArray &compact, int part)
{
    QList<QByteArray> parts = compact.split('.');
    QByteArray raw = QByteArray::fromBase64(parts.at(part), QByteArray::Base64UrlEncoding);
    raw[raw.size() - 1] = char(raw.at(raw.size() - 1) ^ 0x01);
    parts[part] = base64Url(raw);
    return parts.join('.');
}

} // namespace

class TestJwe : public QObject
{
    Q_OBJECT

private slots:
    void rfc7520Vectors_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::newRow("5.2 RSA-OAEP, A256GCM") << "5_2"
                                               << "RSA-OAEP"
                                               << "A256GCM";
        QTest::newRow("5.4 ECDH-ES+A128KW (P-384), A128GCM") << "5_4"
                                                             << "ECDH-ES+A128KW"
                                                             << "A128GCM";
        QTest::newRow("5.5 ECDH-ES (P-256), A128CBC-HS256") << "5_5"
                                                            << "ECDH-ES"
                                                            << "A128CBC-HS256";
        QTest::newRow("5.6 dir, A128GCM") << "5_6"
                                          << "dir"
                                          << "A128GCM";
        QTest::newRow("5.8 A128KW, A128GCM") << "5_8"
                                             << "A128KW"
                                             << "A128GCM";
    }
    void rfc7520Vectors()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        const QJsonObject example = vector(prefix);
        QVERIFY2(!example.isEmpty(), qPrintable(prefix));
        const QJsonObject input = example.value("input").toObject();
        QCOMPARE(input.value("alg").toString(), alg);
        QCOMPARE(input.value("enc").toString(), enc);
        QString error;
        const DecryptionKey key = DecryptionKey::fromJwk(input.value("key").toObject(), &error);
        QVERIFY2(key.isValid(), qPrintable(error));
        QVERIFY(key.algorithms().contains(alg));

        const QByteArray compact =
            example.value("output").toObject().value("compact").toString().toLatin1();
        const Jwe::Decrypted opened = Jwe::decrypt(compact, key);
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(QString::fromUtf8(opened.plaintext), input.value("plaintext").toString());
        QCOMPARE(opened.header.value("alg").toString(), alg);
        QCOMPARE(opened.header.value("enc").toString(), enc);

        // One changed bit in the tag, or in the ciphertext, and nothing comes out.
        for (int part : {3, 4}) {
            const Jwe::Decrypted changed = Jwe::decrypt(flipLastByteOf(compact, part), key);
            QVERIFY(!changed.ok);
            QVERIFY(changed.plaintext.isEmpty());
            QVERIFY2(changed.reason.contains("authentication tag does not match"),
                     qPrintable(changed.reason));
        }
    }

    void everyPairRoundTrips_data()
    {
        QTest::addColumn<QString>("keyType");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        for (const QString &enc : Jwe::contentEncryptionAlgorithms()) {
            for (const char *alg : {"RSA-OAEP", "RSA-OAEP-256"})
                QTest::newRow(qPrintable(QString(alg) + " " + enc)) << "RSA" << QString(alg) << enc;
            for (const char *alg :
                 {"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"})
                QTest::newRow(qPrintable(QString(alg) + " " + enc)) << "EC" << QString(alg) << enc;
        }
    }
    void everyPairRoundTrips()
    {
        QFETCH(QString, keyType);
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        static const DecryptionKey rsa = DecryptionKey::generate("RSA", "client-rsa");
        static const DecryptionKey ec = DecryptionKey::generate("EC", "client-ec");
        const DecryptionKey &key = keyType == "RSA" ? rsa : ec;
        QVERIFY(key.isValid());
        const QJsonObject jwk = key.publicJwk();
        QCOMPARE(jwk.value("use").toString(), QString("enc"));
        QVERIFY(!jwk.contains("d"));

        const QByteArray plaintext = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
        QString error;
        const QByteArray compact =
            Jwe::encrypt(plaintext, Jwk{jwk}, alg, enc, {{"cty", "JWT"}}, &error);
        QVERIFY2(!compact.isEmpty(), qPrintable(error));
        QCOMPARE(compact.count('.'), 4);
        const QJsonObject header = Jwe::header(compact);
        QCOMPARE(header.value("kid").toString(), key.keyId());
        QCOMPARE(header.value("cty").toString(), QString("JWT"));
        QCOMPARE(header.contains("epk"), keyType == "EC");
        QVERIFY(!header.value("epk").toObject().contains("d"));

        const Jwe::Decrypted opened = Jwe::decrypt(compact, key);
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(opened.plaintext, plaintext);
    }

    void sharedSecretsRoundTrip_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::addColumn<int>("secretBytes");
        QTest::newRow("dir A256GCM") << "dir"
                                     << "A256GCM" << 32;
        QTest::newRow("dir A128CBC-HS256") << "dir"
                                           << "A128CBC-HS256" << 32;
        QTest::newRow("A128KW A128GCM") << "A128KW"
                                        << "A128GCM" << 16;
        QTest::newRow("A256KW A256CBC-HS512") << "A256KW"
                                              << "A256CBC-HS512" << 32;
    }
    void sharedSecretsRoundTrip()
    {
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        QFETCH(int, secretBytes);
        const QByteArray secret(secretBytes, 'k');
        const Jwk jwk{{{"kty", "oct"}, {"k", QString::fromLatin1(base64Url(secret))}}};
        QString error;
        const QByteArray compact = Jwe::encrypt("hello", jwk, alg, enc, {}, &error);
        QVERIFY2(!compact.isEmpty(), qPrintable(error));
        const Jwe::Decrypted opened = Jwe::decrypt(compact, DecryptionKey::sharedSecret(secret));
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(opened.plaintext, QByteArray("hello"));
    }

    void anotherKeyOpensNothing_data()
    {
        QTest::addColumn<QString>("keyType");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::newRow("RSA-OAEP-256") << "RSA"
                                      << "RSA-OAEP-256"
                                      << "A256GCM";
        QTest::newRow("ECDH-ES+A256KW") << "EC"
                                        << "ECDH-ES+A256KW"
                                        << "A128CBC-HS256";
        QTest::newRow("ECDH-ES") << "EC"
                                 << "ECDH-ES"
                                 << "A256GCM";
    }
    void anotherKeyOpensNothing()
    {
        QFETCH(QString, keyType);
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        const DecryptionKey intended = DecryptionKey::generate(keyType, "someone-else");
        const DecryptionKey ours = DecryptionKey::generate(keyType, "client-key");
        QString error;
        const QByteArray compact =
            Jwe::encrypt("secret claims", Jwk{intended.publicJwk()}, alg, enc, {}, &error);
        QVERIFY2(!compact.isEmpty(), qPrintable(error));
        const Jwe::Decrypted opened = Jwe::decrypt(compact, ours);
        QVERIFY(!opened.ok);
        QVERIFY(opened.plaintext.isEmpty());
        QVERIFY2(opened.reason.contains("encrypted to another key"), qPrintable(opened.reason));
        // The header names the key it was meant for, and the reason says so.
        QVERIFY2(opened.reason.contains("\"someone-else\""), qPrintable(opened.reason));
        QCOMPARE(opened.header.value("alg").toString(), alg);
    }

    void faultsAreNamed_data()
    {
        QTest::addColumn<QByteArray>("compact");
        QTest::addColumn<QString>("reason");
        const auto header = [](const QJsonObject &head) {
            return base64Url(QJsonDocument(head).toJson(QJsonDocument::Compact));
        };
        QTest::newRow("a JWS, not a JWE") << QByteArray("eyJhbGciOiJub25lIn0.e30.") << "five parts";
        QTest::newRow("RSA1_5 is not offered")
            << header({{"alg", "RSA1_5"}, {"enc", "A128GCM"}}) + "....AA"
            << "\"RSA1_5\" is not supported";
        QTest::newRow("unknown enc")
            << header({{"alg", "RSA-OAEP"}, {"enc", "A128CTR"}}) + ".a.b.c.d"
            << "\"A128CTR\" is not supported";
        QTest::newRow("compressed")
            << header({{"alg", "RSA-OAEP"}, {"enc", "A128GCM"}, {"zip", "DEF"}}) + ".a.b.c.d"
            << "zip \"DEF\"";
        QTest::newRow("critical extension")
            << header({{"alg", "RSA-OAEP"}, {"enc", "A128GCM"}, {"crit", QJsonArray{"exp"}}}) +
                   ".a.b.c.d"
            << "critical extensions";
        QTest::newRow("wrong key type")
            << header({{"alg", "ECDH-ES"}, {"enc", "A128GCM"}}) + ".a.b.c.d"
            << "ECDH-ES needs an EC key; the decryption key is RSA 2048";
        QTest::newRow("no epk") << header({{"alg", "ECDH-ES"}, {"enc", "A128GCM"}}) + ".a.b.c.d"
                                << "ephemeral key (epk)";
    }
    void faultsAreNamed()
    {
        QFETCH(QByteArray, compact);
        QFETCH(QString, reason);
        static const DecryptionKey rsa = DecryptionKey::generate("RSA", "k");
        static const DecryptionKey ec = DecryptionKey::generate("EC", "k");
        const bool wantsEc = QString(QTest::currentDataTag()) == "no epk";
        const Jwe::Decrypted opened = Jwe::decrypt(compact, wantsEc ? ec : rsa);
        QVERIFY(!opened.ok);
        QVERIFY2(opened.reason.contains(reason), qPrintable(opened.reason));
    }

    void noKeySaysSo()
    {
        const DecryptionKey key = DecryptionKey::generate("EC", "k");
        QString error;
        const QByteArray compact =
            Jwe::encrypt("x", Jwk{key.publicJwk()}, "ECDH-ES", "A128GCM", {}, &error);
        const Jwe::Decrypted opened = Jwe::decrypt(compact, DecryptionKey());
        QVERIFY(!opened.ok);
        QVERIFY2(opened.reason.contains("no decryption key is set"), qPrintable(opened.reason));
        QCOMPARE(opened.header.value("alg").toString(), QString("ECDH-ES"));
    }

    void pemRoundTripAndRefusals()
    {
        const DecryptionKey key = DecryptionKey::generate("RSA", "pem-key");
        QString error;
        const DecryptionKey again = DecryptionKey::fromPem(key.privatePem(), {}, "pem-key", &error);
        QVERIFY2(again.isValid(), qPrintable(error));
        QCOMPARE(again.publicJwk(), key.publicJwk());
        QCOMPARE(again.describe(), QString("RSA 2048"));

        const QByteArray compact =
            Jwe::encrypt("x", Jwk{key.publicJwk()}, "RSA-OAEP-256", "A128CBC-HS256", {}, &error);
        QVERIFY(Jwe::decrypt(compact, again).ok);

        QVERIFY(!DecryptionKey::fromPem("not a key", {}, {}, &error).isValid());
        QVERIFY2(error.contains("not a PEM private key"), qPrintable(error));
        std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> small(EVP_RSA_gen(1024), EVP_PKEY_free);
        QVERIFY(small);
        const DecryptionKey weak = DecryptionKey::fromPem(pemOf(small.get()), {}, {}, &error);
        QVERIFY(!weak.isValid());
        QVERIFY2(error.contains("1024 bits"), qPrintable(error));
    }

    void recipientIsAnEncryptionKey()
    {
        const QByteArray jwks = R"({"keys":[
            {"kty":"RSA","use":"sig","kid":"signing","n":"AQAB","e":"AQAB"},
            {"kty":"EC","use":"enc","kid":"ec-enc","crv":"P-256","x":"AA","y":"AA"},
            {"kty":"RSA","use":"enc","kid":"rsa-enc","alg":"RSA-OAEP-256","n":"AQAB","e":"AQAB"}]})";
        QString error;
        const JwkSet keys = *JwkSet::fromJson(jwks, &error);
        QCOMPARE(Jwe::recipientFor(keys, "RSA-OAEP-256")->kid(), QString("rsa-enc"));
        QVERIFY(!Jwe::recipientFor(keys, "RSA-OAEP").has_value()); // alg says otherwise
        QCOMPARE(Jwe::recipientFor(keys, "ECDH-ES+A128KW")->kid(), QString("ec-enc"));
        QVERIFY(!Jwe::recipientFor(keys, "dir").has_value());
    }

    // RFC 7516 Appendix A.3: A128KW with A128CBC-HS256, the RFC's key and token.
    void rfc7516AppendixA3()
    {
        const DecryptionKey key = DecryptionKey::sharedSecret(
            QByteArray::fromBase64("GawgguFyGrWKav7AX4VKUg", QByteArray::Base64UrlEncoding));
        const Jwe::Decrypted opened =
            Jwe::decrypt("eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
                         "6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ."
                         "AxY8DCtDaGlsbGljb3RoZQ.KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY."
                         "U0m_YmjN04DJvceFICbCVQ",
                         key);
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(opened.plaintext, QByteArray("Live long and prosper."));
    }

    // RFC 7518 Appendix C: ECDH-ES between Alice's ephemeral key and Bob's, with apu "Alice",
    // apv "Bob" and enc A128GCM, derives the key VqqN6vgjbSBcIijNcacQGg. A token sealed here
    // with that key under Alice's epk opens with Bob's key only when the app derives the same.
    void rfc7518AppendixC_data()
    {
        QTest::addColumn<QByteArray>("sealingKey");
        QTest::addColumn<bool>("opens");
        QTest::newRow("the RFC's derived key") << QByteArray("VqqN6vgjbSBcIijNcacQGg") << true;
        QTest::newRow("one bit off") << QByteArray("VqqN6vgjbSBcIijNcacQGw") << false;
    }
    void rfc7518AppendixC()
    {
        QFETCH(QByteArray, sealingKey);
        QFETCH(bool, opens);
        QString error;
        const DecryptionKey bob =
            DecryptionKey::fromJwk({{"kty", "EC"},
                                    {"crv", "P-256"},
                                    {"x", "weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ"},
                                    {"y", "e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck"},
                                    {"d", "VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw"}},
                                   &error);
        QVERIFY2(bob.isValid(), qPrintable(error));
        const QJsonObject alice{{"kty", "EC"},
                                {"crv", "P-256"},
                                {"x", "gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0"},
                                {"y", "SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps"}};
        const QJsonObject header{{"alg", "ECDH-ES"},
                                 {"enc", "A128GCM"},
                                 {"apu", "QWxpY2U"},
                                 {"apv", "Qm9i"},
                                 {"epk", alice}};
        const QByteArray protectedHeader =
            base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact));
        const QByteArray key = QByteArray::fromBase64(sealingKey, QByteArray::Base64UrlEncoding);
        const QByteArray iv(12, '\x07');
        const QByteArray plaintext = "sealed with the RFC 7518 Appendix C key";

        std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                            EVP_CIPHER_CTX_free);
        QByteArray ciphertext(plaintext.size(), '\0');
        QByteArray tag(16, '\0');
        int length = 0;
        const auto bytes = [](const QByteArray &data) {
            return reinterpret_cast<const unsigned char *>(data.constData());
        };
        QVERIFY(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, bytes(key), bytes(iv)));
        QVERIFY(EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(protectedHeader),
                                  int(protectedHeader.size())));
        QVERIFY(EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(ciphertext.data()),
                                  &length, bytes(plaintext), int(plaintext.size())));
        QVERIFY(EVP_EncryptFinal_ex(ctx.get(), nullptr, &length));
        QVERIFY(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag.data()));
        const QByteArray token = protectedHeader + ".." + base64Url(iv) + '.' +
                                 base64Url(ciphertext) + '.' + base64Url(tag);

        const Jwe::Decrypted opened = Jwe::decrypt(token, bob);
        QCOMPARE(opened.ok, opens);
        if (opens)
            QCOMPARE(opened.plaintext, plaintext);
    }

    // OIDC Core §10.2: the key for dir and A*KW is the leftmost bytes of the client secret's
    // SHA-256 (SHA-384/512 when more is needed). Expected values from Python's hashlib.
    void keysDerivedFromTheClientSecret_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::addColumn<QString>("k");
        QTest::newRow("dir A128CBC-HS256") << "dir"
                                           << "A128CBC-HS256"
                                           << "lxGe469J8IY4NDd1T7Q6cd3NqCNf3GCsDij1zh-XVxo";
        QTest::newRow("dir A192CBC-HS384")
            << "dir"
            << "A192CBC-HS384"
            << "0jNjh9xEGJqqdknQozF_u0xiXg6XSEAhUtJlwLW-pH9meg4dnicmVnbRnyxEKqpR";
        QTest::newRow("dir A256CBC-HS512") << "dir"
                                           << "A256CBC-HS512"
                                           << "9Z7MnMdFKx6fTDIpLrpqxb3O4ZRTlGcCU0z7YS5pquENKnhuzKxl"
                                              "8gYg0ze-_3PEa9POPW7X51aBwocW30PsRA";
        QTest::newRow("dir A128GCM") << "dir"
                                     << "A128GCM"
                                     << "lxGe469J8IY4NDd1T7Q6cQ";
        QTest::newRow("A192KW") << "A192KW"
                                << "A256GCM"
                                << "lxGe469J8IY4NDd1T7Q6cd3NqCNf3GCs";
        QTest::newRow("A256KW") << "A256KW"
                                << "A128CBC-HS256"
                                << "lxGe469J8IY4NDd1T7Q6cd3NqCNf3GCsDij1zh-XVxo";
    }
    void keysDerivedFromTheClientSecret()
    {
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        QFETCH(QString, k);
        const QByteArray secret = "a-client-secret-jwt-secret-longer-than-32-bytes";
        const std::optional<Jwk> key = Jwe::secretRecipient(secret, alg, enc);
        QVERIFY(key);
        QCOMPARE(key->json.value("k").toString(), k);
        QCOMPARE(key->kty(), QStringLiteral("oct"));

        // What is encrypted to it opens with the same bytes as a shared secret.
        QString error;
        const QByteArray token = Jwe::encrypt("inside", *key, alg, enc, {}, &error);
        QVERIFY2(!token.isEmpty(), qPrintable(error));
        const DecryptionKey shared = DecryptionKey::sharedSecret(
            QByteArray::fromBase64(k.toLatin1(), QByteArray::Base64UrlEncoding));
        const Jwe::Decrypted opened = Jwe::decrypt(token, shared);
        QVERIFY2(opened.ok, qPrintable(opened.reason));
        QCOMPARE(opened.plaintext, QByteArray("inside"));
    }

    void noSecretKeyForOtherAlgorithms()
    {
        QVERIFY(!Jwe::secretRecipient("secret", "RSA-OAEP-256", "A256GCM"));
        QVERIFY(!Jwe::secretRecipient("secret", "ECDH-ES", "A256GCM"));
        QVERIFY(!Jwe::secretRecipient("secret", "dir", "A999GCM"));
        QVERIFY(!Jwe::secretRecipient({}, "A128KW", "A128GCM"));
    }

private:
    static QByteArray pemOf(EVP_PKEY *key)
    {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
        char *data = nullptr;
        const long length = BIO_get_mem_data(bio.get(), &data);
        return QByteArray(data, qsizetype(length));
    }
};

QTEST_GUILESS_MAIN(TestJwe)
#include "tst_jwe.moc"
