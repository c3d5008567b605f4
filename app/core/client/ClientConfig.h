#pragma once

#include "core/client/Pkce.h"
#include "core/http/TlsOptions.h"
#include "core/jose/Jwe.h"
#include "core/util/FormEncoding.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace workbench {

enum class ClientAuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    ClientSecretJwt, // RFC 7523 §2.2 assertion signed with the secret (HS256)
    PrivateKeyJwt,   // RFC 7523 §2.2 assertion signed with the client's private key
    TlsClientAuth,   // RFC 8705 §2: the TLS client certificate authenticates the client
    None,
};

QString clientAuthMethodName(ClientAuthMethod method);
// Accepts the RFC 7591 names; returns false for anything else.
bool clientAuthMethodFromName(const QString &name, ClientAuthMethod *method);
QList<ClientAuthMethod> allClientAuthMethods();

// How the client gets its tokens.
enum class GrantType {
    AuthorizationCode, // RFC 6749 §4.1 (+ PKCE)
    ClientCredentials, // RFC 6749 §4.4
    DeviceCode,        // RFC 8628
    RefreshToken,      // RFC 6749 §6, with a refresh token the person pastes
    Password,          // RFC 6749 §4.3, legacy
    TokenExchange,     // RFC 8693
    JwtBearer,         // RFC 7523 §2.1
    Implicit,          // RFC 6749 §4.2, legacy: tokens in the redirect fragment
    Hybrid,            // OIDC Core §3.3: code and ID token from the redirect
    Ciba,              // OpenID Connect CIBA Core 1.0, poll mode
};

// "authorization_code", "client_credentials", ... and the URNs of the extension grants.
QString grantTypeName(GrantType grant);
bool grantTypeFromName(const QString &name, GrantType *grant);
QList<GrantType> allGrantTypes();
// Grants that go through the browser and the loopback listener.
bool usesBrowser(GrantType grant);
// The decoupled grants (the device grant, CIBA): a first request, then polling the token
// endpoint while the person approves elsewhere.
bool isDecoupled(GrantType grant);
// Grants the OAuth 2.0 Security BCP (RFC 9700) advises against.
bool isLegacy(GrantType grant);

// Everything a person types into the client form.
struct ClientConfig
{
    GrantType grant = GrantType::AuthorizationCode;
    QUrl issuer; // optional; where discovery starts
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl deviceAuthorizationEndpoint;        // RFC 8628 §3.1
    QUrl pushedAuthorizationRequestEndpoint; // RFC 9126
    QUrl backchannelAuthenticationEndpoint;  // CIBA Core §7
    QString clientId;
    QString clientSecret;
    ClientAuthMethod authMethod = ClientAuthMethod::ClientSecretBasic;
    // private_key_jwt and signed request objects: a PEM private key, its passphrase, the JWS
    // algorithm (RS256, PS256, ES256) and the key id the server knows it by.
    QString privateKeyPem;
    QString privateKeyPassphrase;
    QString signingAlgorithm = QStringLiteral("RS256");
    QString keyId;
    // JWE (RFC 7516): the private key (PEM, a secret) that opens ID tokens, UserInfo and JARM
    // responses the server encrypts to the client, and the kid its public half is registered
    // under. Empty: encrypted answers fail their "decryption" check.
    QString decryptionKeyPem;
    QString decryptionKeyId;
    QString scope;

    // Authorization request options (OIDC Core §3.1.2.1, RFC 8707, RFC 9126, RFC 9101).
    QString responseType; // implicit/hybrid only; empty: what the grant implies
    // Empty (the server's default), query, fragment or form_post; or a JWT-secured mode (JARM):
    // jwt, query.jwt, fragment.jwt, form_post.jwt.
    QString responseMode;
    QString prompt;
    QString loginHint;
    QString maxAge; // seconds, as typed; empty: not sent
    QString acrValues;
    QString claims; // a JSON object, sent as typed
    // RFC 9396: a JSON array of objects with a "type", sent on the authorization request (and
    // so PAR and request objects), the client credentials and CIBA requests.
    QString authorizationDetails;
    QStringList resources;
    QString audience;
    bool usePar = false;           // push the request first; the browser gets a request_uri
    bool useRequestObject = false; // send the parameters as a signed JWT (JAR)
    // The request object encrypted to the server (RFC 9101 §4, OIDC Core §6.1): the key
    // management alg (empty: signed only) and the content encryption. RSA-OAEP* and ECDH-ES*
    // encrypt to the server's "enc" key from its JWKS; dir and A*KW to a key derived from the
    // client secret (OIDC Core §10.2).
    QString requestObjectEncryptionAlg;
    QString requestObjectEncryptionEnc = QStringLiteral("A128CBC-HS256");
    // DPoP (RFC 9449): proofs of possession with the client's own key on every token and
    // resource request, dpop_jkt on the authorization request. The key's algorithm (ES256,
    // RS256, PS256 or EdDSA) and its PEM (a secret; empty: a new key is made for the run).
    bool useDpop = false;
    QString dpopAlgorithm = QStringLiteral("ES256");
    QString dpopKeyPem;
    // Set by discovery: the server puts iss on its redirects (RFC 9207), so a missing or wrong
    // one means a mix-up.
    bool issuerInAuthorizationResponse = false;

    // Grant inputs beyond the code flow.
    QString username;     // password grant
    QString password;     // password grant (a secret)
    QString refreshToken; // refresh_token grant (a secret)
    QString subjectToken; // token exchange
    QString subjectTokenType = QStringLiteral("urn:ietf:params:oauth:token-type:access_token");
    QString actorToken;
    QString actorTokenType;
    QString requestedTokenType;
    QString assertion;        // JWT bearer: a JWT as pasted; empty: signed with the client key
    QString assertionSubject; // JWT bearer: the subject of the assertion the app signs
    // CIBA: whom to ask is loginHint (login_hint); the short message both the client and the
    // person's authentication device show, so the person knows which request to approve.
    QString bindingMessage;

    TlsOptions tls;
    // How long a request may wait for its answer (seconds); then it fails as a timeout.
    int timeoutSeconds = 30;
    static constexpr int kMaxTimeoutSeconds = 600;
    // How long a browser flow waits for the redirect (seconds); then it ends as timed out.
    int redirectWaitSeconds = 300;
    static constexpr int kMaxRedirectWaitSeconds = 3600;
    // The provider pack the diagnosis applies (docs/knowledge.md); empty: identified from what
    // the server sends.
    QString provider;
    // A loopback URI; port 0 or no port means "any free port, chosen when the flow starts".
    QUrl redirectUri = QUrl(QStringLiteral("http://127.0.0.1/callback"));
    bool usePkce = true;
    Pkce::Method pkceMethod = Pkce::Method::S256;
    FormFields extraAuthorizationParameters;
    FormFields extraTokenParameters;

    // For what follows the flow: ID token validation and the follow-up actions on tokens.
    QUrl jwksUri;
    QUrl userinfoEndpoint;
    QUrl introspectionEndpoint; // RFC 7662
    QUrl revocationEndpoint;    // RFC 7009
    // RP-initiated logout: where the browser is sent, and where it comes back (a loopback URI;
    // empty: http://<the redirect URI's host>/logged-out on any free port).
    QUrl endSessionEndpoint;
    QUrl postLogoutRedirectUri;
    QStringList idTokenSigningAlgorithms; // from discovery; empty: any the app supports
    // JARM: authorization_signing_alg_values_supported, from discovery; empty: any supported.
    QStringList authorizationSigningAlgorithms;
    // request_object_encryption_alg/enc_values_supported, from discovery; empty: not listed.
    QStringList requestObjectEncryptionAlgorithms;
    QStringList requestObjectEncryptionEncodings;

    // A client registered from the app (RFC 7591): where and with what token (a secret) its
    // registration is read, updated and deleted (RFC 7592 §3).
    QUrl registrationClientUri;
    QString registrationAccessToken;

    // The secret fields, by the name each is kept under in the keychain: client_secret,
    // private_key, private_key_passphrase, password, refresh_token, subject_token, actor_token,
    // assertion, dpop_key, decryption_key, registration_access_token.
    static QStringList secretFieldNames();
    QString secretField(const QString &name) const;
    void setSecretField(const QString &name, const QString &value);
    // The same configuration with every secret field emptied (for files and exports).
    ClientConfig withoutSecrets() const;

    // Problems that stop a flow from starting; empty when the configuration is usable.
    QStringList validate() const;
    // Things that work but deserve a warning (plain PKCE, no PKCE on a public client, ...).
    QStringList warnings() const;
    bool wantsOpenId() const;
    // The response modes the app knows how to receive: query, fragment, form_post and their
    // JWT-secured forms (JARM).
    static QStringList responseModes();
    // JARM: the response mode asks for the authorization response as a signed JWT.
    bool wantsJwtResponse() const;
    // A request object is sent, encrypted to the server.
    bool encryptsRequestObject() const;
    // The decryption key from decryptionKeyPem and decryptionKeyId; invalid when none is set
    // or it cannot be read (validate() says why).
    DecryptionKey decryptionKey() const;
    // The client's public keys as a JWK Set (RFC 7517 §5), for its registration: the signing
    // key (private_key_jwt, request objects) with use "sig" and the decryption key with use
    // "enc". {"keys": []} when neither is set.
    QJsonObject publicJwks() const;
    // The issuer identifier ID tokens must carry, exactly as entered or discovered.
    QString issuerIdentifier() const { return issuer.toString(); }

private:
    // The parts of validate().
    QStringList endpointProblems() const;
    QStringList authenticationProblems() const;
    QStringList grantProblems() const;
    QStringList requestEncryptionProblems() const;
    QStringList requestOptionProblems() const;
};

// Parses "name=value" lines (blank lines and lines starting with '#' ignored).
FormFields parseParameterLines(const QString &text, QStringList *errors = nullptr);
QString formatParameterLines(const FormFields &fields);

} // namespace workbench
