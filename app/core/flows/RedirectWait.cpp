#include "core/flows/AuthorizationCodeFlow.h"

#include "core/util/Clock.h"
#include "core/util/Failure.h"

// The code flow's wait for the redirect: its progress and timeout, and what the person pastes
// from a browser that never came back (the redirect URL, another URL, or the page's text).
namespace workbench {

void AuthorizationCodeFlow::onWaitTick()
{
    if (m_stage != Stage::WaitingForRedirect) {
        m_waitTimer->stop();
        return;
    }
    const int elapsed = int(m_waitStartedAt.secsTo(Clock::utcNow()));
    const int limit = m_config.redirectWaitSeconds;
    emit waitProgressed(elapsed, limit);
    if (elapsed < limit)
        return;
    // Nothing came back: a step of its own, diagnosed like any other (docs/knowledge.md,
    // flow.no_redirect), with the redirect URI that was waited on.
    const HttpExchange wait = CapturedRedirect::nothingArrived(
        QStringLiteral("No redirect came back"), m_redirectUri, m_waitStartedAt, limit);
    m_timedOut = true;
    if (!m_refused.isEmpty()) {
        // Only refused requests came: the likelier story is a server that returns another (or
        // no) state than was sent, which the person should see as such.
        const CapturedRedirect &last = m_refused.last();
        finish({FlowOutcome::Result::StateCheckFailed,
                QStringLiteral("No usable redirect came back within %1 s: %2 request(s) on the "
                               "callback were refused.")
                    .arg(limit)
                    .arg(m_refused.size()),
                {last.refusalReason(),
                 QStringLiteral("Raw request:\n") + QString::fromUtf8(last.rawRequest)},
                {}});
        return;
    }
    record(wait);
    finish({FlowOutcome::Result::TimedOut,
            QStringLiteral("Timed out after %1 s: no redirect came back to %2.")
                .arg(limit)
                .arg(m_redirectUri.toString()),
            {QStringLiteral("The provider most likely showed its own error page instead of "
                            "redirecting: most often because this redirect URI is not "
                            "registered for the client: %1")
                 .arg(m_redirectUri.toString()),
             QStringLiteral("Paste the URL or the text of the page the browser shows to have it "
                            "diagnosed in this run.")}});
}

bool AuthorizationCodeFlow::acceptsBrowserPage() const
{
    return m_stage == Stage::WaitingForRedirect || (m_stage == Stage::Finished && m_timedOut);
}

bool AuthorizationCodeFlow::submitBrowserPage(const QString &pasted, QString *error)
{
    if (!acceptsBrowserPage())
        return Failure::report(error, QStringLiteral("No flow is waiting for its redirect."));
    const QString text = pasted.trimmed();
    if (text.isEmpty())
        return Failure::report(error, QStringLiteral("Nothing was pasted."));
    const QUrl url(text, QUrl::StrictMode);
    const bool isUrl =
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char(' ')) && url.isValid() &&
        (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
    if (isUrl)
        return submitPastedUrl(url, error);
    // The page's text (or its HTML), as the authorization endpoint's answer to the browser.
    HttpExchange page;
    page.kind = HttpExchange::Kind::BackChannel;
    page.label = QStringLiteral("Page the browser showed (pasted)");
    page.request.method = "GET";
    page.request.url = m_authorizationUrl;
    page.startedAt = Clock::utcNow();
    page.status = 200;
    page.reasonPhrase = "OK (as pasted)";
    page.responseHeaders = {{"Content-Type", "text/html; charset=utf-8"}};
    page.responseBody =
        text.startsWith(QLatin1Char('<'))
            ? text.toUtf8()
            : "<html><body><pre>" + text.toHtmlEscaped().toUtf8() + "</pre></body></html>";
    record(page);
    return true;
}

// A URL from the browser's address bar: the redirect itself (used as if it had arrived), or
// another page's URL with a code or an error (recorded as a step to diagnose).
bool AuthorizationCodeFlow::submitPastedUrl(const QUrl &url, QString *error)
{
    const auto carriesAResponse = [](const FormFields &fields) {
        return FormEncoding::contains(fields, QStringLiteral("code")) ||
               FormEncoding::contains(fields, QStringLiteral("error")) ||
               CapturedRedirect::jwtResponse(fields).has_value();
    };
    FormFields parameters = FormEncoding::queryOf(url);
    if (!carriesAResponse(parameters))
        parameters = FormEncoding::decode(url.fragment(QUrl::FullyEncoded).toLatin1());
    if (!carriesAResponse(parameters))
        return Failure::report(error, QStringLiteral("This URL carries neither a code, an error "
                                                     "nor a JWT response; paste the text of the "
                                                     "page instead."));
    HttpExchange exchange;
    exchange.kind = HttpExchange::Kind::LoopbackCallback;
    exchange.request.method = "GET";
    exchange.request.url = url;
    exchange.startedAt = Clock::utcNow();
    const bool ourRedirect = url.host() == m_redirectUri.host() &&
                             url.port() == m_redirectUri.port() &&
                             url.path() == m_redirectUri.path();
    if (ourRedirect && m_stage == Stage::WaitingForRedirect) {
        // The redirect itself, copied from the address bar: used as if it had arrived.
        CapturedRedirect redirect =
            CapturedRedirect::fromParameters(parameters, m_config.decryptionKey());
        redirect.mode = url.hasQuery() ? CapturedRedirect::ResponseMode::Query
                                       : CapturedRedirect::ResponseMode::Fragment;
        redirect.receivedAt = exchange.startedAt;
        redirect.stateCheck = CapturedRedirect::checkState(redirect.parameters, m_state);
        exchange.label = QStringLiteral("Redirect URL pasted by hand");
        if (!url.hasQuery()) {
            exchange.request.url.setQuery(url.fragment(QUrl::FullyEncoded), QUrl::StrictMode);
            exchange.request.url.setFragment(QString());
        }
        redirect.exchange = exchange;
        onRedirect(redirect);
        return true;
    }
    exchange.label = QStringLiteral("URL the browser showed (pasted)");
    record(exchange);
    return true;
}

} // namespace workbench
