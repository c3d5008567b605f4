#include "core/flows/AuthorizationCodeFlow.h"

#include "core/client/ClientAssertion.h"
#include "core/client/TokenRequest.h"
#include "core/http/ExchangeClient.h"
#include "core/jose/Jwe.h"
#include "core/listener/LoopbackAddress.h"
#include "core/listener/LoopbackListener.h"
#include "core/tokens/IdTokenVerifier.h"
#include "core/util/Clock.h"
#include "core/util/SecureRandom.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <memory>

Q_LOGGING_CATEGORY(lcFlow, "workbench.flow")

namespace workbench {

AuthorizationCodeFlow::AuthorizationCodeFlow(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_verifier(new IdTokenVerifier(client, this)),
      m_waitTimer(new QTimer(this))
{
    m_waitTimer->setInterval(1000);
    connect(m_waitTimer, &QTimer::timeout, this, &AuthorizationCodeFlow::onWaitTick);
}

bool AuthorizationCodeFlow::isRunning() const
{
    return m_stage == Stage::PreparingRequest || m_stage == Stage::WaitingForRedirect ||
           m_stage == Stage::ValidatingResponse || m_stage == Stage::ExchangingCode ||
           m_stage == Stage::ValidatingIdToken;
}

AuthorizationCodeFlow::~AuthorizationCodeFlow()
{
    if (m_pending)
        m_pending->abort();
}

bool AuthorizationCodeFlow::start(const ClientConfig &config)
{
    if (isRunning())
        cancel();
    m_config = config;
    m_code.clear();
    m_responseChecks.clear();
    m_exchanges.clear();
    m_timedOut = false;
    m_refused.clear();
    m_pkce.reset();
    m_authorizationUrl.clear();
    m_requestEncryption.clear();
    m_sealedRequestObject.clear();

    const QStringList problems = config.validate();
    if (!problems.isEmpty()) {
        finish(FlowOutcome::invalidConfiguration(problems));
        return false;
    }
    for (const QString &warning : config.warnings())
        emit warningRaised(warning);
    if (!startListener(config))
        return false;
    m_redirectUri = m_listener->redirectUri(config.redirectUri);
    const std::optional<FormFields> parameters = authorizationParameters(config);
    if (!parameters)
        return false;
    if (config.encryptsRequestObject())
        encryptRequestObject(*parameters);
    else
        sendRequest(*parameters);
    return m_stage != Stage::Finished;
}

void AuthorizationCodeFlow::sendRequest(const FormFields &parameters)
{
    setStage(Stage::WaitingForRedirect);
    if (m_config.usePar)
        pushRequest(parameters);
    else
        openBrowserAt(AuthorizationRequest::urlWith(m_config.authorizationEndpoint, parameters));
}

template <typename Answer>
void AuthorizationCodeFlow::onVerifierAnswer(Stage stage,
                                             void (IdTokenVerifier::*signal)(const Answer &),
                                             std::function<void(const Answer &)> then)
{
    // One connection per request; it goes away with its first answer, and an answer to a
    // request that was cancelled (a newer one runs, or the flow moved on) is ignored.
    const quint64 validation = ++m_validation;
    m_verifierRecording = connect(m_verifier, &IdTokenVerifier::exchangeRecorded, this,
                                  &AuthorizationCodeFlow::record);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(
        m_verifier, signal, this,
        [this, stage, then = std::move(then), connection, validation](const Answer &answer) {
            disconnect(*connection);
            if (m_stage != stage || validation != m_validation)
                return;
            disconnect(m_verifierRecording);
            then(answer);
        });
}

QString AuthorizationCodeFlow::stepLabel(const QString &what, const QString &note) const
{
    return m_requestEncryption.isEmpty() ? QStringLiteral("%1 (%2)").arg(what, note)
                                         : QStringLiteral("%1 (%2; request object encrypted %3)")
                                               .arg(what, note, m_requestEncryption);
}

void AuthorizationCodeFlow::encryptRequestObject(const FormFields &parameters)
{
    const auto encryptWith = [this, parameters](const JwkSet &keys) {
        FormFields sent = parameters;
        for (auto &[name, value] : sent) {
            if (name != QLatin1String("request"))
                continue;
            QString error;
            QString recipient;
            const QByteArray encrypted = ClientAssertion::encryptRequestObject(
                m_config, value.toLatin1(), keys, &error, &recipient);
            if (encrypted.isEmpty()) {
                finish({FlowOutcome::Result::InvalidConfiguration,
                        QStringLiteral("The request object could not be encrypted."),
                        {error}});
                return;
            }
            m_sealedRequestObject = value.toLatin1();
            value = QString::fromLatin1(encrypted);
            m_requestEncryption =
                QStringLiteral("%1 + %2 to %3")
                    .arg(m_config.requestObjectEncryptionAlg.trimmed(),
                         m_config.requestObjectEncryptionEnc.trimmed(), recipient);
        }
        sendRequest(sent);
    };
    if (Jwe::keyTypeFor(m_config.requestObjectEncryptionAlg.trimmed()) == QLatin1String("oct")) {
        encryptWith({});
        return;
    }
    setStage(Stage::PreparingRequest);
    onVerifierAnswer<KeySource>(
        Stage::PreparingRequest, &IdTokenVerifier::keysReady,
        [this, encryptWith](const KeySource &source) {
            if (!source.keys) {
                finish({FlowOutcome::Result::InvalidConfiguration,
                        QStringLiteral(
                            "The server's key to encrypt the request object to could not be had."),
                        {source.problem}});
                return;
            }
            encryptWith(*source.keys);
        });
    m_verifier->fetchKeys(m_config.jwksUri, m_config.requestObjectEncryptionAlg.trimmed());
}

// The loopback listener on the redirect URI's port and path (any free port when it has none).
bool AuthorizationCodeFlow::startListener(const ClientConfig &config)
{
    if (m_listener)
        m_listener->deleteLater();
    m_listener = new LoopbackListener(this);
    LoopbackListener::Options options;
    options.port = LoopbackAddress::requestedPort(config.redirectUri);
    options.callbackPath =
        config.redirectUri.path().isEmpty() ? QStringLiteral("/") : config.redirectUri.path();
    options.alsoIpv6 = config.redirectUri.host() != QLatin1String("127.0.0.1");
    if (!m_listener->listen(options)) {
        finish({FlowOutcome::Result::ListenerFailed,
                QStringLiteral("The loopback listener could not start."),
                {m_listener->errorString(),
                 QStringLiteral("Choose another port in the redirect URI, or no port at all to "
                                "let the app pick a free one (the server must then accept any "
                                "loopback port, as RFC 8252 §7.3 asks).")},
                {}});
        return false;
    }
    connect(m_listener, &LoopbackListener::redirectCaptured, this,
            &AuthorizationCodeFlow::onCallback);
    connect(m_listener, &LoopbackListener::requestRejected, this,
            &AuthorizationCodeFlow::requestRejected);
    return true;
}

// The authorization request's parameters with fresh state, nonce and PKCE (inside a signed
// request object when asked); nothing, with the flow finished, when it cannot be signed.
std::optional<FormFields> AuthorizationCodeFlow::authorizationParameters(const ClientConfig &config)
{
    m_state = SecureRandom::urlSafeToken(24);
    m_nonce = SecureRandom::urlSafeToken(24);
    if (config.usePkce && config.grant != GrantType::Implicit)
        m_pkce = Pkce::generate(config.pkceMethod);

    const AuthorizationRequest request = AuthorizationRequest::forClient(
        config, m_redirectUri, m_state, m_nonce, m_pkce ? &*m_pkce : nullptr);
    FormFields parameters = request.parameters();
    // Extra parameters may have replaced state or nonce on purpose: check what is really sent.
    for (const auto &[name, value] : parameters) {
        if (name == QLatin1String("state"))
            m_state = value.toUtf8();
        else if (name == QLatin1String("nonce"))
            m_nonce = value.toUtf8();
    }
    m_nonceSent = std::any_of(parameters.cbegin(), parameters.cend(), [](const auto &field) {
        return field.first == QLatin1String("nonce");
    });
    m_listener->setExpectedState(m_state);
    m_listener->setDecryptionKey(config.decryptionKey());
    warnOnReuse();

    if (config.useRequestObject) {
        QString error;
        const QByteArray requestObject = ClientAssertion::requestObject(config, parameters, &error);
        if (requestObject.isEmpty()) {
            finish({FlowOutcome::Result::InvalidConfiguration,
                    QStringLiteral("The request object could not be signed."),
                    {error}});
            return std::nullopt;
        }
        // RFC 9101 §5: client_id and the JWT; OIDC Core §6.1 also wants response_type and scope
        // outside it.
        FormFields outside{{QStringLiteral("client_id"), config.clientId},
                           {QStringLiteral("response_type"), request.responseType}};
        if (!request.scope.isEmpty())
            outside.append({QStringLiteral("scope"), request.scope});
        outside.append({QStringLiteral("request"), QString::fromLatin1(requestObject)});
        parameters = outside;
    }
    return parameters;
}

void AuthorizationCodeFlow::warnOnReuse()
{
    if (m_usedStates.contains(m_state))
        emit warningRaised(QStringLiteral("This state value was already sent in an earlier run: a "
                                          "state must be fresh and unguessable for each request, "
                                          "or it no longer protects against CSRF (RFC 9700 "
                                          "§4.7)."));
    if (!m_nonce.isEmpty() && m_usedNonces.contains(m_nonce) && m_nonceSent)
        emit warningRaised(QStringLiteral("This nonce was already sent in an earlier run: a "
                                          "replayed ID token would pass the nonce check (OIDC "
                                          "Core §15.5.2)."));
    m_usedStates.insert(m_state);
    if (!m_nonce.isEmpty())
        m_usedNonces.insert(m_nonce);
}

void AuthorizationCodeFlow::pushRequest(const FormFields &parameters)
{
    m_pending = m_client->send(
        TokenRequest::pushedAuthorization(m_config, parameters),
        stepLabel(QStringLiteral("Pushed authorization request"), QStringLiteral("PAR")));
    connect(m_pending, &PendingExchange::attemptRecorded, this,
            &AuthorizationCodeFlow::recordPushed);
    connect(m_pending, &PendingExchange::finished, this, [this](const HttpExchange &exchange) {
        recordPushed(exchange);
        if (m_stage != Stage::WaitingForRedirect || !m_authorizationUrl.isEmpty())
            return;
        const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
        const QString requestUri = body.value(QLatin1String("request_uri")).toString();
        // RFC 9126 §2.2 says 201 Created; some servers answer 200, which works as well.
        if ((exchange.status == 201 || exchange.status == 200) && !requestUri.isEmpty()) {
            openBrowserAt(AuthorizationRequest::urlWith(
                m_config.authorizationEndpoint, {{QStringLiteral("client_id"), m_config.clientId},
                                                 {QStringLiteral("request_uri"), requestUri}}));
            return;
        }
        FlowOutcome outcome = FlowOutcome::fromTokenResponse(exchange, {});
        outcome.result = FlowOutcome::Result::PushedRequestFailed;
        outcome.summary =
            exchange.hasResponse()
                ? QStringLiteral("The pushed authorization request endpoint answered HTTP %1 "
                                 "without a request_uri.")
                      .arg(exchange.status)
                : QStringLiteral("The pushed authorization request got no HTTP response.");
        finish(outcome);
    });
}

void AuthorizationCodeFlow::recordPushed(HttpExchange exchange)
{
    exchange.sealedRequestObject = m_sealedRequestObject;
    record(exchange);
}

void AuthorizationCodeFlow::openBrowserAt(const QUrl &url)
{
    m_authorizationUrl = url;
    HttpExchange navigation;
    navigation.kind = HttpExchange::Kind::BrowserNavigation;
    navigation.label =
        stepLabel(QStringLiteral("Authorization request"), QStringLiteral("opened in the browser"));
    navigation.request.method = "GET";
    navigation.request.url = m_authorizationUrl;
    if (!m_config.usePar) // else the request object went with PAR, and this carries request_uri
        navigation.sealedRequestObject = m_sealedRequestObject;
    navigation.startedAt = Clock::utcNow();
    record(navigation);
    qCInfo(lcFlow) << "waiting for the redirect on" << m_redirectUri.toString();
    m_waitStartedAt = Clock::utcNow();
    m_waitTimer->start();
    emit authorizationUrlReady(m_authorizationUrl);
}

void AuthorizationCodeFlow::cancel()
{
    if (!isRunning())
        return;
    if (m_pending)
        m_pending->abort();
    m_verifier->cancel();
    disconnect(m_verifierRecording);
    finish({FlowOutcome::Result::Cancelled, QStringLiteral("The flow was cancelled."), {}, {}});
}

void AuthorizationCodeFlow::onCallback(const CapturedRedirect &redirect)
{
    const QString refusal = redirect.refusalReason();
    if (m_stage != Stage::WaitingForRedirect || refusal.isEmpty()) {
        onRedirect(redirect);
        return;
    }
    // Any local process, or a web page that finds the port, can send this: it must not end the
    // person's flow. Recorded as refused; the wait goes on for the real redirect.
    HttpExchange refused = redirect.exchange;
    refused.label = QStringLiteral("Refused on the callback: %1").arg(refusal);
    record(refused);
    emit redirectCaptured(redirect);
    m_refused << redirect;
    emit warningRaised(QStringLiteral("A request on the callback was refused (%1); still waiting "
                                      "for the real redirect.")
                           .arg(refusal));
}

void AuthorizationCodeFlow::onRedirect(const CapturedRedirect &redirect)
{
    record(redirect.exchange);
    emit redirectCaptured(redirect);
    if (m_stage != Stage::WaitingForRedirect) {
        emit warningRaised(QStringLiteral("Another redirect arrived after the flow had moved on; "
                                          "it was recorded but not used."));
        return;
    }
    m_listener->close();

    if (!redirect.stateAccepted()) {
        finish({FlowOutcome::Result::StateCheckFailed,
                QStringLiteral("The redirect failed the state check and was not used."),
                {CapturedRedirect::stateCheckDescription(redirect.stateCheck),
                 QStringLiteral("Raw request:\n") + QString::fromUtf8(redirect.rawRequest)},
                {}});
        return;
    }
    if (!redirect.responseJwt.isEmpty()) {
        verifyResponse(redirect);
        return;
    }
    if (m_config.wantsJwtResponse() && !redirect.isError()) {
        finish({FlowOutcome::Result::AuthorizationResponseRejected,
                QStringLiteral("A JWT-secured response was asked for, but the redirect came "
                               "in plain parameters; it was not used."),
                {QStringLiteral("response_mode sent: %1").arg(m_config.responseMode),
                 QStringLiteral("Parameters received: ") +
                     QString::fromUtf8(FormEncoding::encode(redirect.parameters)),
                 QStringLiteral("Without the signed response nothing proves the code came from "
                                "the server (JARM §2.4): a server that ignores the response mode "
                                "does not support JARM for this client, or something on the way "
                                "replaced the response.")}});
        return;
    }
    if (m_config.wantsJwtResponse())
        emit warningRaised(QStringLiteral("The error came in plain parameters although a JWT "
                                          "response was asked for: nothing proves it came from "
                                          "the server."));
    useResponse(redirect);
}

void AuthorizationCodeFlow::verifyResponse(const CapturedRedirect &redirect)
{
    setStage(Stage::ValidatingResponse);
    IdTokenExpectations expected = IdTokenExpectations::forClient(m_config, {});
    expected.allowedAlgorithms = m_config.authorizationSigningAlgorithms;
    onVerifierAnswer<QList<TokenCheck>>(
        Stage::ValidatingResponse, &IdTokenVerifier::finished,
        [this, redirect](const QList<TokenCheck> &checks) {
            m_responseChecks = checks;
            if (IdTokenValidator::accepted(checks)) {
                useResponse(redirect);
                return;
            }
            FlowOutcome rejected{FlowOutcome::Result::AuthorizationResponseRejected,
                                 QStringLiteral("The JWT-secured authorization response failed its "
                                                "checks; nothing in it was used."),
                                 {}};
            for (const TokenCheck &check : checks) {
                if (check.status == TokenCheck::Status::Failed)
                    rejected.details << check.name + QStringLiteral(": ") + check.detail;
            }
            finish(rejected);
        });
    m_verifier->verifyAuthorizationResponse(redirect.responseJwt, expected, m_config.jwksUri);
}

void AuthorizationCodeFlow::useResponse(const CapturedRedirect &redirect)
{
    if (const std::optional<FlowOutcome> mixUp = checkIssuer(redirect)) {
        finish(*mixUp);
        return;
    }
    if (redirect.isError()) {
        QStringList details;
        for (const char *name : {"error", "error_description", "error_uri"}) {
            const QString key = QString::fromLatin1(name);
            if (redirect.has(key))
                details << key + QStringLiteral(": ") + redirect.value(key);
        }
        finish({FlowOutcome::Result::AuthorizationError,
                QStringLiteral("The authorization server returned \"%1\" on the redirect.")
                    .arg(redirect.value(QStringLiteral("error"))),
                details,
                {}});
        return;
    }
    if (m_config.grant == GrantType::Implicit) {
        finishImplicit(redirect);
        return;
    }
    const QString code = redirect.value(QStringLiteral("code"));
    if (code.isEmpty()) {
        finish({FlowOutcome::Result::NoCodeInRedirect,
                QStringLiteral("The redirect carried no authorization code."),
                {QStringLiteral("Parameters received: ") +
                 QString::fromUtf8(FormEncoding::encode(redirect.parameters))},
                {}});
        return;
    }

    setStage(Stage::ExchangingCode);
    m_code = code.toUtf8();
    const HttpRequestSpec request = TokenRequest::authorizationCode(
        m_config, code, m_redirectUri, m_pkce ? m_pkce->verifier : QByteArray());
    m_pending = m_client->send(request, QStringLiteral("Token request (authorization_code)"));
    connect(m_pending, &PendingExchange::attemptRecorded, this, &AuthorizationCodeFlow::record);
    connect(m_pending, &PendingExchange::finished, this, &AuthorizationCodeFlow::onTokenResponse);
}

std::optional<FlowOutcome> AuthorizationCodeFlow::checkIssuer(const CapturedRedirect &redirect)
{
    const QString expected = m_config.issuerIdentifier();
    if (redirect.has(QStringLiteral("iss"))) {
        const QString received = redirect.value(QStringLiteral("iss"));
        if (expected.isEmpty()) {
            emit warningRaised(
                QStringLiteral("The redirect names its issuer (%1), but this profile "
                               "has no issuer to compare it with: set the issuer to "
                               "have mix-ups caught (RFC 9207).")
                    .arg(received));
            return std::nullopt;
        }
        if (received == expected)
            return std::nullopt;
        return FlowOutcome{FlowOutcome::Result::MixUpSuspected,
                           QStringLiteral("The redirect came from another issuer than the one "
                                          "this flow started with; its code was not used."),
                           {QStringLiteral("iss on the redirect: %1").arg(received),
                            QStringLiteral("expected issuer: %1").arg(expected),
                            QStringLiteral("RFC 9207 §2.4: a client must reject a response whose "
                                           "iss differs from the issuer it sent the request to. "
                                           "This is what a mix-up attack looks like, or a "
                                           "profile whose issuer was typed differently from the "
                                           "server's (check the trailing slash).")}};
    }
    if (m_config.issuerInAuthorizationResponse)
        return FlowOutcome{FlowOutcome::Result::MixUpSuspected,
                           QStringLiteral("The server promises iss on its redirects, but this "
                                          "one has none; its code was not used."),
                           {QStringLiteral("The discovery document says "
                                           "authorization_response_iss_parameter_supported: a "
                                           "redirect without iss may come from another server "
                                           "(RFC 9207 §2.4).")}};
    return std::nullopt;
}

void AuthorizationCodeFlow::finishImplicit(const CapturedRedirect &redirect)
{
    // The tokens came in the redirect (RFC 6749 §4.2.2); present them as a token response.
    QJsonObject tokens;
    for (const auto &[name, value] : redirect.parameters) {
        if (name == QLatin1String("state") || name == QLatin1String("iss"))
            continue;
        bool isNumber = false;
        const qint64 number = value.toLongLong(&isNumber);
        tokens.insert(name, name == QLatin1String("expires_in") && isNumber ? QJsonValue(number)
                                                                            : QJsonValue(value));
    }
    if (!tokens.value(QLatin1String("access_token")).isString() &&
        !tokens.value(QLatin1String("id_token")).isString()) {
        finish({FlowOutcome::Result::NoCodeInRedirect,
                QStringLiteral("The redirect carried neither an access token nor an ID token."),
                {QStringLiteral("Parameters received: ") +
                     QString::fromUtf8(FormEncoding::encode(redirect.parameters)),
                 QStringLiteral("With the implicit grant the tokens come in the URL fragment; "
                                "check the response_type and response_mode.")}});
        return;
    }
    FlowOutcome outcome{FlowOutcome::Result::Succeeded,
                        QStringLiteral("The redirect carried the tokens (implicit grant)."),
                        {},
                        tokens};
    outcome.tokensReceivedAt = redirect.exchange.startedAt;
    if (tokens.value(QLatin1String("id_token")).isString()) {
        validateIdToken(outcome);
        return;
    }
    finish(outcome);
}

void AuthorizationCodeFlow::onTokenResponse(const HttpExchange &exchange)
{
    record(exchange);
    if (m_stage != Stage::ExchangingCode)
        return;
    FlowOutcome outcome = FlowOutcome::fromTokenResponse(
        exchange, QStringLiteral("The code was exchanged for tokens."));
    if (!outcome.succeeded()) {
        finish(outcome);
        return;
    }
    if (outcome.tokenResponse.value(QLatin1String("id_token")).isString()) {
        validateIdToken(outcome);
        return;
    }
    if (m_config.wantsOpenId())
        emit warningRaised(QStringLiteral("The scope asked for openid, but the token response has "
                                          "no id_token: the server treated the request as plain "
                                          "OAuth."));
    finish(outcome);
}

void AuthorizationCodeFlow::validateIdToken(FlowOutcome outcome)
{
    setStage(Stage::ValidatingIdToken);
    IdTokenExpectations expected = IdTokenExpectations::forClient(
        m_config, outcome.tokenResponse.value(QLatin1String("access_token")).toString().toUtf8());
    if (m_nonceSent)
        expected.nonce = m_nonce;
    expected.code = m_code;
    onVerifierAnswer<QList<TokenCheck>>(Stage::ValidatingIdToken, &IdTokenVerifier::finished,
                                        [this, outcome](const QList<TokenCheck> &checks) mutable {
                                            outcome.takeIdTokenChecks(checks);
                                            finish(outcome);
                                        });
    m_verifier->verify(outcome.tokenResponse.value(QLatin1String("id_token")).toString().toUtf8(),
                       expected, m_config.jwksUri);
}

void AuthorizationCodeFlow::record(const HttpExchange &exchange)
{
    m_exchanges.append(exchange);
    emit exchangeRecorded(exchange);
}

void AuthorizationCodeFlow::finish(FlowOutcome outcome)
{
    if (outcome.responseChecks.isEmpty())
        outcome.responseChecks = m_responseChecks;
    m_waitTimer->stop();
    if (m_listener)
        m_listener->close();
    setStage(Stage::Finished);
    qCInfo(lcFlow) << "flow finished:" << FlowOutcome::resultName(outcome.result);
    emit finished(outcome);
}

void AuthorizationCodeFlow::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    emit stageChanged(stage);
}

} // namespace workbench
