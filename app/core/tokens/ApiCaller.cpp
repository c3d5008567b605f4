#include "core/tokens/ApiCaller.h"

#include "core/http/ExchangeClient.h"
#include "core/tokens/TokenActions.h"
#include "core/util/Clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <memory>

namespace workbench {

ApiCaller::ApiCaller(ExchangeClient *client, TokenActions *actions, QObject *parent)
    : QObject(parent), m_client(client), m_actions(actions)
{
    qRegisterMetaType<ApiCaller::Outcome>();
}

ApiCaller::~ApiCaller()
{
    if (m_pending)
        m_pending->abort();
}

QString ApiCaller::unavailableReason(const Request &request) const
{
    if (busy() || m_actions->busy())
        return tr("Another request on the tokens is still running.");
    if (!request.url.isValid() || (request.url.scheme() != QLatin1String("https") &&
                                   request.url.scheme() != QLatin1String("http")))
        return tr("The request needs an http(s) URL.");
    const TokenSet &tokens = m_actions->tokens();
    if (tokens.accessToken.isEmpty() && tokens.refreshToken.isEmpty())
        return tr("No access token: run a flow first.");
    if (tokens.accessToken.isEmpty() && !canRefresh())
        return tr("No access token, and no way to refresh one.");
    if (request.scheme == Scheme::Dpop && !m_client->dpop())
        return tr("DPoP needs the profile's DPoP key: turn DPoP on and run a flow.");
    return {};
}

bool ApiCaller::canRefresh() const
{
    return m_actions->unavailableReason(TokenActions::Action::Refresh).isEmpty();
}

QByteArray ApiCaller::scheme() const
{
    if (m_request.scheme == Scheme::Dpop)
        return "DPoP";
    if (m_request.scheme == Scheme::Bearer)
        return "Bearer";
    return m_actions->tokens().tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0
               ? "DPoP"
               : "Bearer";
}

bool ApiCaller::call(const Request &request)
{
    if (!unavailableReason(request).isEmpty())
        return false;
    m_request = request;
    m_outcome = {};
    const TokenSet &tokens = m_actions->tokens();
    const QDateTime expiresAt = tokens.accessTokenExpiresAt;
    if (tokens.accessToken.isEmpty() || tokens.accessTokenRevoked ||
        (expiresAt.isValid() && expiresAt <= Clock::utcNow())) {
        const QString why =
            tokens.accessToken.isEmpty() ? tr("There is no access token")
            : tokens.accessTokenRevoked
                ? tr("The access token was revoked")
                : tr("The access token expired at %1").arg(expiresAt.toString(Qt::ISODate));
        if (refreshThenSend(why))
            return true;
        m_outcome.details << tr("%1, and it cannot be refreshed: sent as it is.").arg(why);
    }
    send();
    return true;
}

void ApiCaller::send()
{
    HttpRequestSpec spec;
    spec.method = m_request.method.toUpper();
    spec.url = m_request.url;
    spec.headers = m_request.headers;
    spec.body = m_request.body;
    const QByteArray how = scheme();
    spec.setHeader("Authorization", how + ' ' + m_actions->tokens().accessToken);
    spec.dpopProof = how == "DPoP";
    if (spec.header("Accept").isEmpty())
        spec.setHeader("Accept", "application/json, */*;q=0.5");
    const QString label = tr("API call (%1 %2)")
                              .arg(QString::fromLatin1(spec.method),
                                   spec.url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo));
    m_pending = m_client->send(spec, label);
    connect(m_pending, &PendingExchange::attemptRecorded, this, [this](const HttpExchange &first) {
        m_outcome.details << tr("The API asked for its DPoP nonce (use_dpop_nonce): sent again "
                                "with the nonce it gave.");
        emit exchangeRecorded(first);
    });
    connect(m_pending, &PendingExchange::finished, this, [this](const HttpExchange &exchange) {
        m_pending.clear();
        onAnswer(exchange);
    });
}

bool ApiCaller::refreshThenSend(const QString &why)
{
    if (m_outcome.refreshed || !canRefresh())
        return false;
    m_outcome.refreshed = true;
    m_refreshing = true;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_actions, &TokenActions::finished, this,
                          [this, why, connection](const TokenActions::Outcome &refresh) {
                              if (refresh.action != TokenActions::Action::Refresh)
                                  return;
                              disconnect(*connection);
                              m_refreshing = false;
                              if (!refresh.succeeded) {
                                  m_outcome.summary =
                                      tr("%1; the refresh failed: %2").arg(why, refresh.summary);
                                  m_outcome.details << refresh.details;
                                  emit finished(m_outcome);
                                  return;
                              }
                              m_outcome.details << tr("%1: refreshed it and sent the request "
                                                      "again with the new one.")
                                                       .arg(why);
                              send();
                          });
    if (!m_actions->run(TokenActions::Action::Refresh)) {
        disconnect(*connection);
        m_refreshing = false;
        m_outcome.refreshed = false;
        return false;
    }
    return true;
}

void ApiCaller::onAnswer(const HttpExchange &exchange)
{
    emit exchangeRecorded(exchange);
    m_outcome.status = exchange.status;
    const QByteArray challenge = exchange.responseHeader("WWW-Authenticate");
    if (exchange.status == 401 && challenge.contains("invalid_token") &&
        refreshThenSend(tr("The resource refused the access token (invalid_token)")))
        return;
    if (!exchange.hasResponse()) {
        m_outcome.summary = tr("The API call got no HTTP response: %1").arg(exchange.networkError);
    } else if (exchange.status >= 200 && exchange.status < 300) {
        m_outcome.succeeded = true;
        m_outcome.summary = tr("The resource answered HTTP %1.").arg(exchange.status);
    } else {
        const QJsonObject body = QJsonDocument::fromJson(exchange.responseBody).object();
        const QString error = body.value(QLatin1String("error")).toString();
        m_outcome.summary =
            tr("The resource answered HTTP %1%2.")
                .arg(exchange.status)
                .arg(error.isEmpty() ? QString() : QStringLiteral(" with \"%1\"").arg(error));
        if (!challenge.isEmpty())
            m_outcome.details << QStringLiteral("WWW-Authenticate: ") +
                                     QString::fromLatin1(challenge);
    }
    emit finished(m_outcome);
}

} // namespace workbench
