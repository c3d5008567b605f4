#include "core/sandbox/SandboxPages.h"

#include <QCoreApplication>

namespace workbench::SandboxPages {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("workbench::SandboxProvider", text);
}

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString scopeList(const QString &scope)
{
    QString items;
    for (const QString &item : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        items += QStringLiteral("<li><code>%1</code></li>").arg(esc(item));
    return items;
}

// The login fields and the two buttons both sign-in pages share.
QString credentialsAndDecision()
{
    return tr("<p><label>Password <input type=\"password\" name=\"password\" "
              "placeholder=\"anything\"></label></p>"
              "<p><button type=\"submit\" name=\"decision\" value=\"approve\">Sign in and allow"
              "</button> <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></p>"
              "</form>");
}
} // namespace

SandboxResponse page(int status, const QString &title, const QString &bodyHtml)
{
    const QString html =
        QStringLiteral("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<title>%1</title><style>body{font-family:sans-serif;max-width:32em;"
                       "margin:3em auto;line-height:1.4}code{background:#f3f3f3;padding:0 .2em}"
                       "button{padding:.4em 1em}</style></head><body data-sandbox-page>"
                       "<h1>%1</h1>%2<p><small>OAuth Workbench sandbox · %3</small></p>"
                       "</body></html>")
            .arg(esc(title), bodyHtml, tr("runs inside the app, on 127.0.0.1 only"));
    return {status,
            {{"Content-Type", "text/html; charset=utf-8"},
             {"Cache-Control", "no-store"},
             {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"},
             {"Referrer-Policy", "no-referrer"}},
            html.toUtf8()};
}

SandboxResponse signIn(const QString &clientId, const QString &scope, const QString &requestId)
{
    return page(200, tr("Sign in to the sandbox"),
                tr("<p>This is OAuth Workbench's built-in test provider. Any user name works; the "
                   "password is ignored.</p>"
                   "<p><b>%1</b> asks for:</p><ul>%2</ul>"
                   "<form method=\"post\" action=\"/authorize\">"
                   "<input type=\"hidden\" name=\"request\" value=\"%3\">"
                   "<p><label>User name <input name=\"login\" value=\"demo\" autofocus></label>"
                   "</p>")
                        .arg(esc(clientId), scopeList(scope), requestId) +
                    credentialsAndDecision());
}

SandboxResponse unknownClient(const QString &clientId, const QString &publicId,
                              const QString &confidentialId)
{
    return page(400, tr("Unknown client"),
                tr("<p>The sandbox knows the clients <code>%1</code> and <code>%2</code>; "
                   "<code>%3</code> is neither.</p>")
                    .arg(publicId, confidentialId, esc(clientId)));
}

SandboxResponse redirectNotAllowed(const QString &redirectUri)
{
    return page(400, tr("redirect_uri not allowed"),
                tr("<p>The sandbox's clients are registered with the redirect URI "
                   "<code>http://127.0.0.1:PORT/callback</code> (or <code>[::1]</code>), any "
                   "port, compared exactly otherwise; it got <code>%1</code>.</p>")
                    .arg(esc(redirectUri)));
}

SandboxResponse unknownSignIn()
{
    return page(400, tr("Unknown sign-in"),
                tr("<p>This sign-in request is unknown or was already answered. Start the flow "
                   "again from the app.</p>"));
}

SandboxResponse device(const QString &userCode, const QString &clientId, const QString &scope)
{
    const QString asks =
        clientId.isEmpty()
            ? QString()
            : tr("<p><b>%1</b> asks for:</p><ul>%2</ul>").arg(esc(clientId), scopeList(scope));
    return page(200, tr("Connect a device to the sandbox"),
                tr("<p>Enter the code your device shows. Any user name works; the password is "
                   "ignored.</p>%1"
                   "<form method=\"post\" action=\"/device\">"
                   "<p><label>Code <input name=\"user_code\" value=\"%2\" autofocus></label></p>"
                   "<p><label>User name <input name=\"login\" value=\"demo\"></label></p>")
                        .arg(asks, esc(userCode)) +
                    credentialsAndDecision());
}

SandboxResponse unknownDeviceCode()
{
    return page(400, tr("Unknown code"),
                tr("<p>This code is unknown, expired or already used. Check the code on your "
                   "device, or start again there.</p>"));
}

SandboxResponse deviceDecided(bool approved)
{
    return page(200, approved ? tr("Device connected") : tr("Request denied"),
                approved ? tr("<p>Done: you can go back to your device (OAuth Workbench), which "
                              "receives its tokens at its next poll.</p>")
                         : tr("<p>The device was refused; it learns so at its next poll.</p>"));
}

SandboxResponse authenticationDevice(const QList<BackchannelRequest> &requests)
{
    QString items;
    for (const BackchannelRequest &request : requests) {
        const QString message =
            request.bindingMessage.isEmpty()
                ? tr("<p>No binding message was sent.</p>")
                : tr("<p>Check that the app shows the same message: <b data-binding-message>%1"
                     "</b></p>")
                      .arg(esc(request.bindingMessage));
        items += tr("<section><p><b>%1</b> asks <b>%2</b> for:</p><ul>%3</ul>%4"
                    "<form method=\"post\" action=\"/ciba\">"
                    "<input type=\"hidden\" name=\"request\" value=\"%5\">"
                    "<p><button type=\"submit\" name=\"decision\" value=\"approve\">Approve"
                    "</button> <button type=\"submit\" name=\"decision\" value=\"deny\">Deny"
                    "</button></p></form></section>")
                     .arg(esc(request.clientId), esc(request.loginHint), scopeList(request.scope),
                          message, esc(request.id));
    }
    if (items.isEmpty())
        items = tr("<p>No request is waiting. Start the CIBA flow in the app, then reload this "
                   "page.</p>");
    return page(200, tr("Sandbox authentication device"),
                tr("<p>This page plays the phone of the person a CIBA request names: approve "
                   "or deny each request here.</p>") +
                    items);
}

SandboxResponse backchannelDecided(bool approved)
{
    return page(200, approved ? tr("Request approved") : tr("Request denied"),
                approved ? tr("<p>Done: the app receives its tokens at its next poll.</p>")
                         : tr("<p>The app learns of the refusal at its next poll.</p>"));
}

} // namespace workbench::SandboxPages
