#pragma once

#include "core/client/ClientConfig.h"
#include "core/listener/HttpRequestParser.h"
#include "core/sandbox/SandboxDeviceCodes.h"
#include "core/sandbox/SandboxGrants.h"
#include "core/sandbox/SandboxHttpServer.h"
#include "core/sandbox/SandboxSigner.h"
#include "core/sandbox/SandboxTriggers.h"
#include "core/sandbox/SandboxWeaknesses.h"
#include "core/util/Clock.h"

#include <QDateTime>
#include <QHash>

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <map>

namespace workbench {

// The built-in sandbox: a small OpenID provider on 127.0.0.1 (ephemeral port), in the app's own
// process. This class is the authorization server's logic and state (clients, codes, grants,
// tokens, the error triggers); SandboxHttpServer carries its HTTP, SandboxPages its pages and
// SandboxSigner its keys and JWTs. In the app's own process, so a flow works the moment the app
// starts, with no account anywhere. It serves discovery, JWKS (a key made on first use), a login
// and consent page, the token endpoint (authorization code with PKCE, refresh with rotation, client
// credentials, device flow with its verification page), UserInfo, introspection and revocation, and
// signs JWT ID and access tokens. Scopes "sandbox:NAME" make it answer with the errors in
// SandboxTriggers.
class SandboxProvider : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kPublicClientId = "sandbox-public";
    static constexpr const char *kConfidentialClientId = "sandbox-confidential";
    static constexpr const char *kConfidentialSecret = "sandbox-secret";
    static constexpr const char *kSigningAlgorithm = SandboxSigner::kAlgorithm;

    explicit SandboxProvider(QObject *parent = nullptr);
    ~SandboxProvider() override;

    // Listens on 127.0.0.1 with a free port; false (see errorString()) when it cannot.
    [[nodiscard]] bool start() { return m_http->start(); }
    void stop() { m_http->stop(); }
    bool isRunning() const { return m_http->isRunning(); }
    QString errorString() const { return m_http->errorString(); }
    QHostAddress boundAddress() const { return m_http->boundAddress(); }

    QString issuer() const;
    QUrl endpoint(const QString &path) const;
    // The form filled in for the public client (PKCE) or the confidential one.
    ClientConfig clientConfig(bool confidential = false) const;
    // The sandbox keeps the most recent kKeptGrants grants (with their tokens) and codes; older
    // ones are forgotten, so a sandbox left running does not grow.
    static constexpr qsizetype kKeptGrants = 200;

    // Lifetimes, shortened by tests.
    void setCodeLifetimeSeconds(int seconds) { m_codeLifetime = seconds; }
    // The time codes, tokens and device codes are issued and judged by (tests move their own).
    // nullptr: the core's clock (Clock::current()).
    void setClock(const Clock *clock) { m_clock = clock; }
    void setAccessTokenLifetimeSeconds(int seconds) { m_accessLifetime = seconds; }
    // The device flow's codes: interval and lifetime, shortened by tests.
    SandboxDeviceCodes &deviceCodes() { return m_devices; }
    // Weak behaviour on purpose, for the server probe to find (none by default).
    void setWeaknesses(const SandboxWeaknesses &weak) { m_weak = weak; }
    const SandboxWeaknesses &weaknesses() const { return m_weak; }
    // The redirect URI the sandbox's clients are registered with: 127.0.0.1 or [::1], any port
    // (RFC 8252 §7.3), this path, no query.
    static constexpr const char *kRegisteredRedirectPath = "/callback";
    // The post-logout redirect URI they are registered with: the same hosts, any port, this path.
    static constexpr const char *kRegisteredLogoutPath = "/logged-out";

signals:
    void requestHandled(const QByteArray &method, const QByteArray &path, int status);

private:
    using Response = SandboxResponse;
    struct Client
    {
        QString id;
        QString secret; // empty: public
    };
    using PendingAuthorization = SandboxGrants::PendingAuthorization;
    using Grant = SandboxGrants::Grant;
    using IssuedToken = SandboxGrants::IssuedToken;

    Response route(const HttpRequestParser::Request &request);
    bool redirectAllowed(const QUrl &redirect) const;
    // `uri` is one the sandbox's clients registered: http on 127.0.0.1 or [::1], any port, this
    // path exactly, no query, fragment or user info.
    static bool registeredLoopbackUri(const QUrl &uri, const char *path);
    Response discovery() const;
    Response authorize(const FormFields &query);
    Response decide(const FormFields &form);
    // The authorization response's parameters on the redirect URI: as they are, or (JARM) as one
    // signed JWT in `response`.
    Response redirectBack(const QString &redirectUri, const QString &clientId, bool jwtResponse,
                          const FormFields &parameters);
    Response token(const HttpRequestParser::Request &request, const FormFields &form);
    Response codeGrant(const Client &client, const FormFields &form);
    Response refreshGrant(const Client &client, const FormFields &form);
    Response clientCredentialsGrant(const Client &client, const QString &scope,
                                    const QString &details);
    Response deviceAuthorization(const HttpRequestParser::Request &request, const FormFields &form);
    Response devicePage(const FormFields &query);
    Response deviceDecide(const FormFields &form);
    // device_code, or CIBA's auth_req_id when `ciba`.
    Response deviceToken(const Client &client, const FormFields &form, bool ciba = false);
    // CIBA (SandboxBackchannel.cpp): the backchannel authentication endpoint and the person's
    // "authentication device", a page that lists the requests waiting for them.
    Response backchannelAuthentication(const HttpRequestParser::Request &request,
                                       const FormFields &form);
    Response authenticationDevice();
    Response authenticationDeviceDecide(const FormFields &form);
    Response userInfo(const HttpRequestParser::Request &request);
    Response introspect(const HttpRequestParser::Request &request, const FormFields &form);
    Response revoke(const HttpRequestParser::Request &request, const FormFields &form);
    Response endSession(const FormFields &query) const;

    // Client authentication at the token, introspection and revocation endpoints: the client, or
    // the error response to send.
    const Client *authenticate(const HttpRequestParser::Request &request, const FormFields &form,
                               Response *error) const;
    Response issueTokens(int grant, const QString &clientId, const QString &scope,
                         const QString &nonce, bool withRefresh);
    SandboxHttpServer *m_http;
    SandboxSigner m_signer;
    QList<Client> m_clients;
    SandboxGrants m_state{kKeptGrants};
    SandboxDeviceCodes m_devices;
    int m_codeLifetime = 60;
    const Clock &clock() const { return m_clock ? *m_clock : Clock::current(); }
    const Clock *m_clock = nullptr;
    int m_accessLifetime = 3600;
    SandboxWeaknesses m_weak;
};

} // namespace workbench
