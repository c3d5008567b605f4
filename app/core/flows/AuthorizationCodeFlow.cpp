#include "AuthorizationCodeFlow.h"

#include "flows/TokenRequest.h"
#include "http/ExchangeClient.h"
#include "listener/LoopbackAddress.h"
#include "listener/LoopbackListener.h"
#include "tokens/IdTokenVerifier.h"
#include "util/SecureRandom.h"

#include <QJsonDocument>
#include <QLoggingCategory>

#include <memory>

Q_LOGGING_CATEGORY(lcFlow, "workbench.flow")

namespace workbench {

QString FlowOutcome::resultName(Result result)
{
    switch (result) {
    case Result::Succeeded:
        return QStringLiteral("succeeded");
    case Result::InvalidConfiguration:
        return QStringLiteral("invalid_configuration");
    case Result::ListenerFailed:
        return QStringLiteral("listener_failed");
    case Result::StateCheckFailed:
        return QStringLiteral("state_check_failed");
    case Result::AuthorizationError:
        return QStringLiteral("authorization_error");
    case Result::NoCodeInRedirect:
        return QStringLiteral("no_code_in_redirect");
    case Result::TokenRequestFailed:
        return QStringLiteral("token_request_failed");
    case Result::TokenErrorResponse:
        return QStringLiteral("token_error_response");
    case Result::UnreadableTokenResponse:
        return QStringLiteral("unreadable_token_response");
    case Result::IdTokenRejected:
        return QStringLiteral("id_token_rejected");
    case Result::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

AuthorizationCodeFlow::AuthorizationCodeFlow(ExchangeClient *client, QObject *parent)
    : QObject(parent), m_client(client), m_verifier(new IdTokenVerifier(client, this))
{
}

bool AuthorizationCodeFlow::isRunning() const
{
    return m_stage == Stage::WaitingForRedirect || m_stage == Stage::ExchangingCode ||
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
    m_exchanges.clear();
    m_pkce.reset();
    m_authorizationUrl.clear();

    const QStringList problems = config.validate();
    if (!problems.isEmpty()) {
        finish({FlowOutcome::Result::InvalidConfiguration,
                QStringLiteral("The client configuration cannot start a flow."),
                problems,
                {}});
        return false;
    }
    for (const QString &warning : config.warnings())
        emit warningRaised(warning);

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
            &AuthorizationCodeFlow::onRedirect);
    connect(m_listener, &LoopbackListener::requestRejected, this,
            &AuthorizationCodeFlow::requestRejected);

    m_redirectUri = m_listener->redirectUri(config.redirectUri);
    m_state = SecureRandom::urlSafeToken(24);
    m_nonce = SecureRandom::urlSafeToken(24);
    if (config.usePkce)
        m_pkce = Pkce::generate(config.pkceMethod);
    m_listener->setExpectedState(m_state);

    const AuthorizationRequest request = AuthorizationRequest::forClient(
        config, m_redirectUri, m_state, m_nonce, m_pkce ? &*m_pkce : nullptr);
    m_authorizationUrl = request.toUrl();

    HttpExchange navigation;
    navigation.kind = HttpExchange::Kind::BrowserNavigation;
    navigation.label = QStringLiteral("Authorization request (opened in the browser)");
    navigation.request.method = "GET";
    navigation.request.url = m_authorizationUrl;
    navigation.startedAt = QDateTime::currentDateTimeUtc();
    record(navigation);

    setStage(Stage::WaitingForRedirect);
    qCInfo(lcFlow) << "waiting for the redirect on" << m_redirectUri.toString();
    emit authorizationUrlReady(m_authorizationUrl);
    return true;
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
    connect(m_pending, &PendingExchange::finished, this, &AuthorizationCodeFlow::onTokenResponse);
}

void AuthorizationCodeFlow::onTokenResponse(const HttpExchange &exchange)
{
    record(exchange);
    if (m_stage != Stage::ExchangingCode)
        return;
    if (!exchange.hasResponse()) {
        finish({FlowOutcome::Result::TokenRequestFailed,
                QStringLiteral("The token request got no HTTP response."),
                QStringList{exchange.networkError} + exchange.tlsErrors,
                {}});
        return;
    }

    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(exchange.responseBody, &parseError);
    const QJsonObject body = document.object();
    const bool isJsonObject = parseError.error == QJsonParseError::NoError && document.isObject();
    const bool ok = exchange.status >= 200 && exchange.status < 300;

    if (ok && isJsonObject && !body.contains(QLatin1String("error")) &&
        body.value(QLatin1String("access_token")).isString()) {
        FlowOutcome outcome{FlowOutcome::Result::Succeeded,
                            QStringLiteral("The code was exchanged for tokens."),
                            {},
                            body};
        outcome.tokensReceivedAt = exchange.receivedAt();
        if (body.value(QLatin1String("id_token")).isString()) {
            validateIdToken(outcome);
            return;
        }
        if (m_config.wantsOpenId())
            emit warningRaised(QStringLiteral("The scope asked for openid, but the token response "
                                              "has no id_token: the server treated the request as "
                                              "plain OAuth."));
        finish(outcome);
        return;
    }
    if (isJsonObject && body.contains(QLatin1String("error"))) {
        QStringList details;
        const QJsonValue error = body.value(QLatin1String("error"));
        details << QStringLiteral("error: ") +
                       (error.isString()
                            ? error.toString()
                            : QString::fromUtf8(
                                  QJsonDocument(error.toObject()).toJson(QJsonDocument::Compact)));
        for (const char *name : {"error_description", "error_uri"}) {
            const QString value = body.value(QLatin1String(name)).toString();
            if (!value.isEmpty())
                details << QString::fromLatin1(name) + QStringLiteral(": ") + value;
        }
        finish({FlowOutcome::Result::TokenErrorResponse,
                QStringLiteral("The token endpoint answered HTTP %1 with an error.")
                    .arg(exchange.status),
                details, body});
        return;
    }
    if (!ok) {
        finish({FlowOutcome::Result::TokenErrorResponse,
                QStringLiteral("The token endpoint answered HTTP %1.").arg(exchange.status),
                {QStringLiteral("Content-Type: ") +
                 QString::fromLatin1(exchange.responseHeader("Content-Type"))},
                body});
        return;
    }
    finish({FlowOutcome::Result::UnreadableTokenResponse,
            isJsonObject ? QStringLiteral("The token response has no access_token.")
                         : QStringLiteral("The token response is not a JSON object."),
            {QStringLiteral("Content-Type: ") +
                 QString::fromLatin1(exchange.responseHeader("Content-Type")),
             isJsonObject ? QString() : parseError.errorString()},
            body});
}

void AuthorizationCodeFlow::validateIdToken(FlowOutcome outcome)
{
    setStage(Stage::ValidatingIdToken);
    IdTokenExpectations expected = IdTokenExpectations::forClient(
        m_config, outcome.tokenResponse.value(QLatin1String("access_token")).toString().toUtf8());
    if (m_config.wantsOpenId())
        expected.nonce = m_nonce; // the authorization request carried it
    expected.code = m_code;
    // One connection per validation; it goes away with its first result, and a result for a
    // validation that was cancelled (a newer one runs) is ignored.
    const quint64 validation = ++m_validation;
    m_verifierRecording = connect(m_verifier, &IdTokenVerifier::exchangeRecorded, this,
                                  &AuthorizationCodeFlow::record);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(m_verifier, &IdTokenVerifier::finished, this,
                [this, outcome, connection, validation](const QList<TokenCheck> &checks) mutable {
                    disconnect(*connection);
                    if (m_stage != Stage::ValidatingIdToken || validation != m_validation)
                        return;
                    disconnect(m_verifierRecording);
                    outcome.idTokenChecks = checks;
                    if (!IdTokenValidator::accepted(checks)) {
                        outcome.result = FlowOutcome::Result::IdTokenRejected;
                        outcome.summary =
                            QStringLiteral("Tokens arrived, but the ID token failed validation.");
                        for (const TokenCheck &check : checks) {
                            if (check.status == TokenCheck::Status::Failed)
                                outcome.details << check.name + QStringLiteral(": ") + check.detail;
                        }
                    }
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
