#pragma once

#include "core/http/HttpExchange.h"

namespace workbench {

// What an exchange was in an OAuth/OIDC flow, read from its URL shape, parameters and answer
// (whatever the host), so two runs' steps can be matched.
enum class StepRole {
    LoginRedirect, // the client's answer sending the browser to the authorization endpoint
    Discovery,
    Jwks,
    PushedAuthorization,
    Authorization,
    Callback,
    Token,
    DeviceAuthorization,
    UserInfo,
    Introspection,
    Revocation,
    Resource,
    Other,
};

namespace StepRoles {
StepRole of(const HttpExchange &exchange);
// "token request", "authorization request", ... as the comparison names a step.
QString name(StepRole role);
} // namespace StepRoles

} // namespace workbench
