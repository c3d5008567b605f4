#pragma once

// Plays the person at the browser against the built-in sandbox with a scripted HTTP client:
// used where a real browser would only slow a test down (tests/e2e drive real Chromium).

#include "core/flows/AuthorizationCodeFlow.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QUrl>

namespace sandboxbrowser {

struct Page
{
    int status = 0;
    QByteArray location;
    QByteArray body;
};

inline Page fetch(QNetworkAccessManager &network, const QUrl &url, const QByteArray &form = {})
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = nullptr;
    if (form.isNull()) {
        reply = network.get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
        reply = network.post(request, form);
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Page page{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
              reply->rawHeader("Location"), reply->readAll()};
    reply->deleteLater();
    return page;
}

// Plays the person: opens the authorization URL, signs in on the sandbox's page (or denies),
// and follows the redirect back to the app's listener. Returns the page the app showed.
inline Page signIn(const QUrl &authorizationUrl, const QString &decision = "approve")
{
    QNetworkAccessManager network;
    Page page = fetch(network, authorizationUrl);
    if (page.status == 200) {
        const QRegularExpressionMatch request =
            QRegularExpression("name=\"request\" value=\"([^\"]+)\"")
                .match(QString::fromUtf8(page.body));
        if (!request.hasMatch())
            return page;
        page = fetch(network, authorizationUrl.resolved(QUrl("/authorize")),
                     "request=" + request.captured(1).toLatin1() +
                         "&login=demo&password=x&decision=" + decision.toLatin1());
    }
    if (page.status != 302)
        return page;
    return fetch(network, QUrl(QString::fromUtf8(page.location)));
}

// Runs `flow` on `config` with the person signing in (or denying) and returns how it ended; a
// flow that never finishes ends as Cancelled, "timed out". `browser`, when given, receives the
// page the app showed the browser at the end.
inline workbench::FlowOutcome completeFlow(workbench::AuthorizationCodeFlow &flow,
                                           const workbench::ClientConfig &config,
                                           const QString &decision = "approve",
                                           Page *browser = nullptr)
{
    QSignalSpy finished(&flow, &workbench::AuthorizationCodeFlow::finished);
    if (flow.start(config)) { // when it does not start, it has already finished, saying why
        const Page page = signIn(flow.authorizationUrl(), decision);
        if (browser)
            *browser = page;
        if (finished.isEmpty() && !finished.wait(10000))
            return {workbench::FlowOutcome::Result::Cancelled, "timed out"};
    }
    return finished.first().first().value<workbench::FlowOutcome>();
}

} // namespace sandboxbrowser
