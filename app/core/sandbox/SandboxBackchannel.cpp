#include "core/client/AuthorizationDetails.h"
#include "core/sandbox/SandboxHelpers.h"
#include "core/sandbox/SandboxPages.h"
#include "core/sandbox/SandboxProvider.h"

#include <QJsonObject>

// The sandbox's CIBA (Client-Initiated Backchannel Authentication, poll mode): the backchannel
// authentication endpoint, and the page that plays the person's authentication device.
namespace workbench {

using namespace sandbox;

namespace {
// CIBA Core §7.1: a binding message is meant to be read on a phone at a glance.
constexpr int kMaxBindingMessage = 20;
} // namespace

SandboxResponse
SandboxProvider::backchannelAuthentication(const HttpRequestParser::Request &request,
                                           const FormFields &form)
{
    Response error;
    const Client *client = authenticate(request, form, &error);
    if (!client)
        return error;
    if (client->secret.isEmpty())
        return oauthError(401, QStringLiteral("invalid_client"),
                          QStringLiteral("CIBA requests must authenticate the client; %1 is a "
                                         "public client")
                              .arg(client->id));
    const QString scope = value(form, "scope");
    if (!hasScope(scope, "openid"))
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("The scope must include openid"));
    if (const QString unknown = unknownScopeIn(scope); !unknown.isEmpty())
        return oauthError(400, QStringLiteral("invalid_scope"),
                          QStringLiteral("Unknown scope: %1").arg(unknown));
    int hints = 0;
    for (const char *hint : {"login_hint", "id_token_hint", "login_hint_token"})
        hints += FormEncoding::contains(form, QString::fromLatin1(hint)) ? 1 : 0;
    if (hints != 1)
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("Exactly one of login_hint, id_token_hint and "
                                         "login_hint_token is required"));
    const QString loginHint = value(form, "login_hint").trimmed();
    if (loginHint.isEmpty())
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("The sandbox knows its users by login_hint only"));
    const QString bindingMessage = value(form, "binding_message");
    if (FormEncoding::contains(form, QStringLiteral("binding_message")) &&
        (bindingMessage.isEmpty() || bindingMessage.size() > kMaxBindingMessage))
        return oauthError(400, QStringLiteral("invalid_binding_message"),
                          QStringLiteral("The binding_message must be 1 to %1 characters")
                              .arg(kMaxBindingMessage));
    const QString details = value(form, "authorization_details");
    if (const QString problem = authorizationDetailsProblem(details); !problem.isEmpty())
        return oauthError(400, QStringLiteral("invalid_authorization_details"), problem);
    const QString authReqId =
        m_devices.issueBackchannel(client->id, scope, loginHint, bindingMessage,
                                   AuthorizationDetails::parse(details), clock().now());
    return json(200, QJsonObject{{"auth_req_id", authReqId},
                                 {"expires_in", m_devices.lifetimeSeconds()},
                                 {"interval", m_devices.intervalSeconds()}});
}

SandboxResponse SandboxProvider::authenticationDevice()
{
    QList<SandboxPages::BackchannelRequest> requests;
    for (const SandboxDeviceCodes::Entry &entry : m_devices.pendingBackchannel(clock().now()))
        requests.append(
            {entry.userCode, entry.clientId, entry.subject, entry.scope, entry.bindingMessage});
    return SandboxPages::authenticationDevice(requests);
}

SandboxResponse SandboxProvider::authenticationDeviceDecide(const FormFields &form)
{
    const bool approve = value(form, "decision") != QLatin1String("deny");
    if (!m_devices.decide(value(form, "request"), approve, {}, clock().now(), true))
        return SandboxPages::unknownDeviceCode();
    return SandboxPages::backchannelDecided(approve);
}

} // namespace workbench
