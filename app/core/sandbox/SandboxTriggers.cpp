#include "core/sandbox/SandboxTriggers.h"

#include "core/diagnosis/ProviderIdentifier.h"

namespace workbench {

QString SandboxTrigger::whereName(Where where)
{
    switch (where) {
    case Where::Authorize:
        return QStringLiteral("authorization redirect");
    case Where::Token:
        return QStringLiteral("token endpoint");
    case Where::Refresh:
        return QStringLiteral("refresh");
    case Where::UserInfo:
        return QStringLiteral("UserInfo");
    case Where::Password:
        return QStringLiteral("password grant");
    }
    return {};
}

QString SandboxTrigger::input() const
{
    return isScope() ? scope() : QStringLiteral("token endpoint ") + tokenEndpoint;
}

QUrl SandboxTrigger::tokenEndpointFor(const QString &sandboxIssuer) const
{
    if (isScope())
        return {};
    return QUrl(QString(tokenEndpoint)
                    .replace(QLatin1String("{sandbox}"), QUrl(sandboxIssuer).authority()));
}

namespace SandboxTriggers {

namespace {
using Where = SandboxTrigger::Where;

// The pack an entry belongs to ("bank-gateway" for "bank-gateway.invalid_code"): the trigger
// imitates that provider's answer, and says so with it.
QString packOf(const char *entry)
{
    const QString pack = QString::fromLatin1(entry).section(QLatin1Char('.'), 0, 0);
    return KnowledgeBase::builtIn().provider(pack) ? pack : QString();
}

SandboxTrigger redirect(const char *name, const char *error, const char *description,
                        const char *shows, const char *entry)
{
    SandboxTrigger t;
    t.imitates = packOf(entry);
    t.name = QString::fromLatin1(name);
    t.where = Where::Authorize;
    t.redirectError = QString::fromLatin1(error);
    t.redirectDescription = QString::fromLatin1(description);
    t.description = QString::fromUtf8(shows);
    t.expectedEntry = QString::fromLatin1(entry);
    return t;
}

SandboxTrigger answer(const char *name, Where where, int status, const QByteArray &contentType,
                      const QByteArray &body, const char *shows, const char *entry,
                      HttpHeaders extra = {})
{
    SandboxTrigger t;
    t.imitates = packOf(entry);
    if (!t.imitates.isEmpty())
        extra.append({ProviderIdentifier::kSandboxImitatesHeader, t.imitates.toLatin1()});
    t.name = QString::fromLatin1(name);
    t.where = where;
    t.status = status;
    if (!contentType.isEmpty())
        t.headers.append({"Content-Type", contentType});
    t.headers.append(extra);
    t.body = body;
    t.description = QString::fromUtf8(shows);
    t.expectedEntry = QString::fromLatin1(entry);
    return t;
}

SandboxTrigger connection(const char *name, SandboxTrigger::Delivery delivery,
                          const char *tokenEndpoint, const char *shows, const char *entry)
{
    SandboxTrigger t;
    t.name = QString::fromLatin1(name);
    t.where = Where::Token;
    t.delivery = delivery;
    t.status = 0;
    t.tokenEndpoint = QString::fromLatin1(tokenEndpoint);
    t.description = QString::fromUtf8(shows);
    t.expectedEntry = QString::fromLatin1(entry);
    return t;
}

QList<SandboxTrigger> build()
{
    using Delivery = SandboxTrigger::Delivery;
    const QByteArray json = "application/json";
    return {
        redirect("access_denied", "access_denied", "The user denied the request",
                 "The person said no on the consent page.", "oauth.access_denied"),
        redirect("invalid_scope", "invalid_scope",
                 "A requested scope is unknown to this server, or "
                 "malformed",
                 "A scope the server does not know.", "oauth.invalid_scope"),
        redirect("unsupported_response_type", "unsupported_response_type",
                 "response_type must be code", "Only response_type=code is allowed.",
                 "business-listing.response_type_code_only"),
        redirect("pkce_s256_only", "invalid_request", "code_challenge_method must be S256",
                 "The server accepts S256 PKCE only.", "business-listing.pkce_s256_only"),
        redirect("server_error_redirect", "server_error", "Unexpected condition",
                 "The authorization server failed while handling the request.",
                 "oauth.server_error"),
        redirect("temporarily_unavailable", "temporarily_unavailable",
                 "The server is overloaded, try later", "Maintenance or overload.",
                 "oauth.temporarily_unavailable"),

        answer("invalid_client", Where::Token, 401, json,
               R"({"error":"invalid_client","error_description":"Client authentication failed"})",
               "401 with a Basic challenge: the credentials were refused.", "oauth.invalid_client",
               {{"WWW-Authenticate", R"(Basic realm="sandbox")"}}),
        answer(
            "invalid_grant", Where::Token, 400, json,
            R"({"error":"invalid_grant","error_description":"Authorization code doesn't exist or is invalid for the client"})",
            "The code is refused (already used, expired, another client's).",
            "marketplace.code_invalid"),
        answer(
            "unauthorized_client", Where::Token, 400, json,
            R"({"error":"unauthorized_client","error_description":"The client is not authorized to use this grant type"})",
            "The grant is not enabled for this client.", "oauth.unauthorized_client"),
        answer("unsupported_grant_type", Where::Token, 400, json,
               R"({"error":"unsupported_grant_type"})", "The server does not know the grant.",
               "oauth.unsupported_grant_type"),
        answer(
            "invalid_request", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"The request is missing a required parameter"})",
            "A parameter is missing or repeated.", "oauth.invalid_request"),
        answer("server_error", Where::Token, 500, json,
               R"({"error":"server_error","error_description":"An_Unknown_Error_Occurred"})",
               "500 from the token endpoint.", "business-listing.unknown_server_error"),
        answer("temporarily_unavailable_503", Where::Token, 503, json,
               R"({"error":"temporarily_unavailable"})", "503 with Retry-After: 30.",
               "oauth.temporarily_unavailable", {{"Retry-After", "30"}}),
        answer(
            "rate_limited", Where::Token, 429, json,
            R"({"httpCode":"429","httpMessage":"Too Many Requests","moreInformation":"Rate Limit exceeded"})",
            "429 with Retry-After, in an API gateway's body.", "bank-gateway.rate_limit",
            {{"Retry-After", "60"}}),
        answer(
            "gateway_unauthorized", Where::Token, 401, json,
            R"({"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Invalid client id or secret."})",
            "An API gateway refusing the client (gateway-style body).",
            "bank-gateway.unsubscribed_client"),
        answer(
            "nested_error", Where::Token, 401, json,
            R"({"error":{"status":401,"title":"Unauthorized","detail":"Invalid owner in token"}})",
            "An error as a nested object.", "marketplace.invalid_owner"),
        answer("html_login_page", Where::Token, 200, "text/html; charset=utf-8",
               "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form "
               "method=\"post\"><input name=\"username\"><input type=\"password\" "
               "name=\"password\"><button>Sign in</button></form></body></html>",
               "A sign-in page where JSON was expected (a proxy or SSO in the way).",
               "shape.login_page"),
        answer("no_access_token", Where::Token, 200, json, R"({"token_type":"Bearer"})",
               "A 200 without an access_token.", "token.no_access_token"),

        // The same codes as specific providers word them, and the shapes servers answer in.
        redirect("localhost_refused", "invalid_request", "localhost is not allowed",
                 "A provider that refuses localhost redirect URIs.",
                 "business-listing.localhost_refused"),
        redirect("redirect_uri_mismatch", "redirect_uri_mismatch",
                 "The callback URL is not registered for this application",
                 "The redirect URI is not the registered one.", "oauth.redirect_uri_mismatch"),
        redirect("redirect_uri_invalid", "invalid_request", "Invalid redirect_uri",
                 "The same, reported as invalid_request.", "redirect.mismatch"),
        answer("code_empty_description", Where::Token, 400, json, R"({"error":"invalid_grant"})",
               "invalid_grant with no description, as an API gateway sends it.",
               "bank-gateway.invalid_code"),
        answer("expired_code", Where::Token, 400, json,
               R"({"error":"invalid_grant","error_description":"Expired authorization code"})",
               "The code outlived its lifetime.", "business-listing.expired_code"),
        answer(
            "missing_code", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"Missing parameter: code is required"})",
            "The token request lacks the code.", "marketplace.missing_code"),
        answer(
            "grant_type_missing", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"The grant type was not specified in the request"})",
            "The token request lacks grant_type.", "marketplace.grant_type_missing"),
        answer("grant_type_invalid", Where::Token, 400, json,
               R"({"error":"invalid_grant","error_description":"grant_type is invalid"})",
               "A provider that says invalid_grant for a bad grant_type.",
               "business-listing.grant_type_invalid"),
        answer(
            "scope_invalid_for_client", Where::Token, 400, json,
            R"({"error":"invalid_scope","error_description":"The scope requested is invalid for this client"})",
            "A scope this client may not have.", "marketplace.scope_invalid_for_client"),
        answer("client_not_active", Where::Token, 400, json,
               R"({"error":"invalid_client","error_description":"Client is not active"})",
               "A disabled client.", "marketplace.client_not_active"),
        answer(
            "client_credentials_invalid", Where::Token, 401, json,
            R"({"error":"invalid_client","error_description":"The client credentials are invalid"})",
            "Wrong client credentials, in one provider's words.",
            "marketplace.client_credentials_invalid"),
        answer(
            "grant_unauthorized", Where::Token, 400, json,
            R"({"error":"unauthorized_client","error_description":"The grant type is unauthorized for this client_id"})",
            "A grant this client may not use, in one provider's words.",
            "marketplace.grant_unauthorized"),
        answer("invalid_client_id", Where::Token, 400, json,
               R"({"error":"invalid_request","error_description":"Invalid client_id"})",
               "An unknown client_id reported as invalid_request.",
               "business-listing.invalid_client_id"),
        answer("missing_fields", Where::Token, 400, json,
               R"({"error":"invalid_request","error_description":"Missing fields in post body"})",
               "Required form fields missing.", "business-listing.missing_fields"),
        answer(
            "empty_parameter", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"client_id must not be empty string"})",
            "An empty parameter.", "business-listing.empty_parameter"),
        answer(
            "client_invalid", Where::Token, 401, json,
            R"({"error":"invalid_client","error_description":"Invalid client_id or client_secret"})",
            "Wrong id or secret, in one provider's words.", "business-listing.client_invalid"),
        answer("bad_request", Where::Token, 400, json,
               R"({"error":"invalid_request","error_description":"Bad Request"})",
               "A bare 'Bad Request'.", "business-listing.bad_request"),
        answer(
            "json_only", Where::Token, 415, json,
            R"({"error":"invalid_request","error_description":"Unsupported Media Type: the body must be JSON"})",
            "An endpoint that takes JSON bodies only.", "business-listing.json_only"),
        answer("not_found", Where::Token, 404, json,
               R"({"error":"not_found","error_description":"invalid_request"})",
               "404 from the token endpoint.", "business-listing.not_found"),
        answer("unknown_error", Where::Token, 500, json,
               R"({"error":"unknown","error_description":"Unknown error"})",
               "An API gateway's catch-all error.", "bank-gateway.unknown_error"),
        answer(
            "problem_json", Where::Token, 422, "application/problem+json",
            R"({"type":"about:blank","title":"Unprocessable Content","status":422,"detail":"The request could not be processed"})",
            "RFC 9457 problem details.", "shape.problem_json"),
        answer("html_error_page", Where::Token, 502, "text/html",
               "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad "
               "Gateway</h1></body></html>",
               "A proxy's HTML error page.", "http.502"),
        answer("gateway_timeout", Where::Token, 504, "text/plain", "Gateway Timeout",
               "A proxy timing out.", "http.504"),
        answer("empty_body", Where::Token, 400, {}, {},
               "A 400 with no body at all: the status line is all there is.", "http.400"),
        answer("not_utf8", Where::Token, 400, "application/json", "{\"error\":\"\xff\xfe\"}",
               "A body that is not UTF-8.", "shape.not_utf8"),
        answer("method_not_allowed", Where::Token, 405, "text/plain", "Method Not Allowed",
               "The endpoint refuses the method.", "http.405"),

        answer(
            "access_token_invalid", Where::UserInfo, 401, json,
            R"({"error":"invalid_token","error_description":"The access token provided is invalid"})",
            "An API refusing the token with a JSON body.", "marketplace.access_token_invalid"),
        answer(
            "gateway_token_invalid", Where::UserInfo, 401, json,
            R"({"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Cannot pass the security checks that are required by the target API or operation"})",
            "An API gateway refusing the token.", "bank-gateway.token_invalid"),
        answer(
            "gateway_scope_forbidden", Where::UserInfo, 403, json,
            R"({"httpCode":"403","httpMessage":"Forbidden","moreInformation":"Scope not allowed"})",
            "An API gateway refusing the scope.", "bank-gateway.scope_forbidden"),
        answer(
            "higher_privileges", Where::UserInfo, 403, json,
            R"({"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token"})",
            "A token without the needed scope, with a JSON body.",
            "marketplace.insufficient_scope"),
        // Bare HTTP statuses and body shapes, as proxies and frameworks send them.
        answer("unauthorized_plain", Where::Token, 401, "text/plain", "Unauthorized",
               "A bare 401 in plain text.", "http.401"),
        answer("forbidden_plain", Where::Token, 403, "text/plain", "Forbidden",
               "A bare 403 (a firewall or an IP allow-list).", "http.403"),
        answer("not_found_plain", Where::Token, 404, "text/plain", "Not Found",
               "A bare 404: the endpoint URL is wrong.", "http.404"),
        answer("unsupported_media_type", Where::Token, 415, "text/plain", "Unsupported Media Type",
               "415: the body's content type is refused.", "http.415"),
        answer("too_many_requests", Where::Token, 429, "application/problem+json",
               R"({"type":"about:blank","title":"Too Many Requests","status":429})",
               "429 with Retry-After as RFC 9457 problem details.", "http.429",
               {{"Retry-After", "120"}}),
        answer("internal_error_plain", Where::Token, 500, "text/plain", "Internal Server Error",
               "A bare 500.", "http.500"),
        answer("service_unavailable_plain", Where::Token, 503, "text/plain", "Service Unavailable",
               "A bare 503 with Retry-After.", "http.503", {{"Retry-After", "30"}}),
        answer("html_error", Where::Token, 409, "text/html; charset=utf-8",
               "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Something went "
               "wrong</h1><p>Please try again later.</p></body></html>",
               "An HTML error page (status 409).", "shape.html_page"),
        answer("plain_text_error", Where::Token, 409, "text/plain",
               "client authentication failed: unknown client",
               "An error in plain text, no JSON (status 409).", "shape.plain_text"),
        answer("other_json", Where::Token, 409, json,
               R"({"message":"Request failed","code":40017})",
               "JSON, but no OAuth error member (status 409).", "shape.other_json"),
        answer("empty_409", Where::Token, 409, {}, {}, "A 409 with no body at all.",
               "shape.empty_body"),
        redirect("unsupported_response_type_bare", "unsupported_response_type", "",
                 "unsupported_response_type with no description.",
                 "oauth.unsupported_response_type"),
        answer("invalid_grant_generic", Where::Token, 400, json,
               R"({"error":"invalid_grant","error_description":"The provided grant is not valid"})",
               "invalid_grant in the usual words.", "oauth.invalid_grant"),
        answer("unsupported_token_type", Where::Token, 400, json,
               R"({"error":"unsupported_token_type"})", "A token type the server cannot handle.",
               "oauth.unsupported_token_type"),
        answer(
            "invalid_token", Where::UserInfo, 401, {}, {},
            "UserInfo refuses the token (WWW-Authenticate: Bearer error=\"invalid_token\").",
            "oauth.invalid_token",
            {{"WWW-Authenticate",
              R"(Bearer realm="sandbox", error="invalid_token", error_description="The access token expired")"}}),
        answer("insufficient_scope", Where::UserInfo, 403, {}, {},
               "UserInfo wants a scope the token lacks.", "oauth.insufficient_scope",
               {{"WWW-Authenticate",
                 R"(Bearer realm="sandbox", error="insufficient_scope", scope="openid profile")"}}),
        answer(
            "challenge_only", Where::UserInfo, 401, {}, {},
            "A code of the server's own, in the WWW-Authenticate challenge only.",
            "shape.www_authenticate",
            {{"WWW-Authenticate",
              R"(Bearer realm="sandbox", error="token_expired", error_description="The token's session ended")"}}),
        answer("scope_is_invalid", Where::Token, 400, json,
               R"({"error":"invalid_scope","error_description":"scope is invalid"})",
               "A scope refused in one provider's words.", "business-listing.scope_invalid"),

        // An error page instead of the redirect: the browser never comes back; the flow waits
        // out its time and says why that usually happens.
        answer("no_redirect", Where::Authorize, 400, "text/html; charset=utf-8",
               "<!DOCTYPE html><html><head><title>Sign-in error</title></head><body><h1>We "
               "can't sign you in</h1><p>The redirect URI in the request is not registered for "
               "this application.</p></body></html>",
               "A page instead of the redirect (as for an unregistered redirect URI): the flow "
               "times out.",
               "flow.no_redirect"),
        // Entries RFCs and OpenID Connect add (issue 17): each shown live.
        redirect("pkce_required", "invalid_request", "code_challenge required",
                 "A server that requires PKCE and got no code_challenge.", "pkce.required"),
        redirect("invalid_authorization_details", "invalid_authorization_details",
                 "Unknown authorization_details type",
                 "Rich authorization request details the server refuses (RFC 9396).",
                 "oauth.invalid_authorization_details"),
        redirect("invalid_request_uri", "invalid_request_uri", "request_uri expired",
                 "A pushed request_uri that expired or was used (RFC 9126).",
                 "oauth.invalid_request_uri"),
        redirect("invalid_request_object", "invalid_request_object",
                 "Request object signature invalid",
                 "A signed request object the server refuses (RFC 9101).",
                 "oauth.invalid_request_object"),
        redirect("login_required", "login_required", "", "prompt=none and no session.",
                 "oidc.login_required"),
        redirect("consent_required", "consent_required", "", "prompt=none and no consent.",
                 "oidc.consent_required"),
        redirect("interaction_required", "interaction_required", "",
                 "prompt=none and a step that needs the user.", "oidc.interaction_required"),
        redirect("account_selection_required", "account_selection_required", "",
                 "prompt=none with several accounts signed in.", "oidc.account_selection_required"),
        redirect("unmet_authentication_requirements", "unmet_authentication_requirements", "",
                 "The acr asked for could not be met.", "oauth.step_up"),
        answer(
            "invalid_dpop_proof", Where::Token, 400, json,
            R"({"error":"invalid_dpop_proof","error_description":"DPoP proof htu does not match the request URI"})",
            "A DPoP proof the token endpoint refuses (RFC 9449).", "dpop.invalid_dpop_proof"),
        answer(
            "use_dpop_nonce", Where::UserInfo, 401, {}, {},
            "A resource that wants its DPoP nonce (WWW-Authenticate: DPoP, DPoP-Nonce).",
            "dpop.use_dpop_nonce",
            {{"WWW-Authenticate",
              R"(DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof")"},
             {"DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v"}}),
        answer(
            "invalid_target", Where::Token, 400, json,
            R"({"error":"invalid_target","error_description":"The requested resource is not allowed for this client"})",
            "A resource indicator the server refuses (RFC 8707).", "oauth.invalid_target"),
        answer(
            "mfa_required", Where::Token, 403, json,
            R"({"error":"mfa_required","error_description":"Multifactor authentication required"})",
            "A grant refused until the user completes MFA.", "oauth.mfa_required"),
        answer(
            "clock_skew", Where::Token, 400, json,
            R"({"error":"invalid_client","error_description":"client_assertion iat is in the future"})",
            "A client assertion whose iat lies ahead of the server's clock.", "time.clock_skew"),
        answer("waf_block", Where::Token, 403, "text/html; charset=utf-8",
               "<!DOCTYPE html><html><head><title>Request blocked</title></head><body><h1>Access "
               "denied</h1><p>This request was blocked by the web application firewall. Reference "
               "#18.2c1f5d4</p></body></html>",
               "A web application firewall's block page.", "http.waf_block"),
        answer(
            "content_type", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"Content-Type must be application/x-www-form-urlencoded"})",
            "An endpoint naming the content type it reads.", "http.content_type"),
        answer("code_rejected", Where::Token, 400, json,
               R"({"error":"invalid_request","error_description":"Invalid authorization code"})",
               "A code refused as invalid_request, in the words many servers use.",
               "oauth.code_rejected"),
        answer(
            "insufficient_user_authentication", Where::UserInfo, 401, {}, {},
            "A resource that wants a stronger authentication (RFC 9470).", "oauth.step_up",
            {{"WWW-Authenticate",
              R"(Bearer error="insufficient_user_authentication", acr_values="urn:example:mfa")"}}),
        answer(
            "invalid_redirect_uri", Where::Token, 400, json,
            R"({"error":"invalid_redirect_uri","error_description":"redirect_uris must use https"})",
            "A registration refusing a redirect URI, as a registration endpoint answers.",
            "oauth.invalid_redirect_uri"),
        answer(
            "invalid_client_metadata", Where::Token, 400, json,
            R"({"error":"invalid_client_metadata","error_description":"token_endpoint_auth_method is not supported"})",
            "A registration refusing a metadata value.", "oauth.invalid_client_metadata"),
        answer(
            "invalid_software_statement", Where::Token, 400, json,
            R"({"error":"invalid_software_statement","error_description":"The software statement signature is invalid"})",
            "A registration refusing the software statement.", "oauth.invalid_software_statement"),
        answer("password_refused", Where::Password, 400, json, R"({"error":"invalid_grant"})",
               "The password grant refused (use the password grant with this scope).",
               "oauth.invalid_grant.password"),

        // The seed providers' documented errors, imitating each provider (issue 21).
        redirect("gateway_redirect_mismatch", "invalid_request", "Redirect URI mismatch",
                 "A bank gateway's redirect URI mismatch.", "bank-gateway.redirect_mismatch"),
        answer("gateway_authorization_header", Where::Token, 401, json,
               R"({"error": "invalid_client"})",
               "A bank gateway refusing the Authorization header.",
               "bank-gateway.invalid_auth_header"),
        answer("gateway_grant_mismatch", Where::Token, 400, json, R"({"error": "invalid_request"})",
               "A bank gateway: the inputs do not fit the grant type.",
               "bank-gateway.grant_type_mismatch"),
        answer("listing_expired_code", Where::Token, 400, json,
               R"({"error":"invalid_grant","error_description":"Invalid refresh_token"})",
               "A business-listing API answering an expired code with 'Invalid refresh_token'.",
               "business-listing.code_expired_as_refresh"),
        answer(
            "listing_parameter_missing", Where::Token, 400, json,
            R"({"error":"invalid_request","error_description":"OAuth 2.0 Parameter: scope missing"})",
            "A business-listing API naming a missing parameter.",
            "business-listing.parameter_missing"),
        answer("listing_post_body_empty", Where::Token, 400, json,
               R"({"error":"invalid_request","error_description":"POST body is empty."})",
               "A business-listing API that got no JSON body.", "business-listing.post_body_empty"),
        redirect("listing_redirect_unregistered", "invalid_request",
                 "redirect_uri does not match one of the registered redirect_uri on OAuth app",
                 "A business-listing API: the redirect URI is not registered.",
                 "business-listing.redirect_unregistered"),
        redirect("listing_redirect_invalid", "invalid_request", "redirect_uri is not valid",
                 "A business-listing API: the redirect URI is malformed.",
                 "business-listing.redirect_invalid"),
        redirect("listing_redirect_empty", "invalid_request",
                 "redirect_uri must not be empty string",
                 "A business-listing API: the redirect URI is empty.",
                 "business-listing.redirect_empty"),
        answer("portal_no_token", Where::Token, 401, json, R"({"error":"invalid_client"})",
               "An API portal returning no token: the authorisation string.",
               "api-portal.no_token"),
        answer("portal_unexpected_code", Where::Token, 400, json,
               R"({"error":"err_4711","error_description":"Unexpected failure"})",
               "An API portal's undocumented error code.", "api-portal.unexpected_code"),
        answer("portal_sandbox_live_data", Where::UserInfo, 404, {}, {},
               "An API portal's sandbox called with live data.", "api-portal.sandbox_live_data"),
        answer("portal_product_missing", Where::UserInfo, 403, {}, {},
               "An API portal's app without the API product.", "api-portal.product_missing"),

        // The code is redeemed; the refresh that follows fails.
        answer("refresh_rejected", Where::Refresh, 400, json,
               R"({"error":"invalid_grant","error_description":"The refresh token has expired"})",
               "The refresh token is refused (expired, revoked, rotated away).",
               "oauth.invalid_grant.refresh"),
        answer(
            "refresh_single_use", Where::Refresh, 401, json,
            R"({"error":"invalid_grant","error_description":"Refresh token has already been used"})",
            "An API gateway refusing a refresh token used twice, with 401.",
            "bank-gateway.refresh_single_use"),
        answer("refresh_invalid", Where::Refresh, 400, json,
               R"({"error":"invalid_grant","error_description":"invalid refresh token"})",
               "A refused refresh token, in one provider's words.", "marketplace.refresh_invalid"),
        answer("refresh_token_invalid", Where::Refresh, 400, json,
               R"({"error":"invalid_grant","error_description":"invalid refresh_token"})",
               "A refused refresh token, in another provider's words.",
               "business-listing.refresh_revoked"),

        // No answer at all: the failures before (or instead of) an HTTP response.
        connection("no_answer", Delivery::NoAnswer, "",
                   "The sandbox reads the token request and never answers; the app gives up "
                   "after its request timeout (Connection settings).",
                   "transport.timeout"),
        connection("hang_up", Delivery::Hangup, "",
                   "The sandbox closes the connection without a response.", "transport.other"),
        connection("connection_refused", Delivery::Answer, "http://127.0.0.1:1/token",
                   "A port where nothing listens: the connection is refused.",
                   "transport.connection_refused"),
        connection("host_not_found", Delivery::Answer, "http://sandbox.invalid/token",
                   "A host name that never resolves (.invalid, RFC 6761).",
                   "transport.host_not_found"),
        connection("tls_to_plain_http", Delivery::Answer, "https://{sandbox}/token",
                   "https:// to the sandbox, which speaks plain HTTP: the TLS handshake fails.",
                   "transport.tls"),
    };
}
} // namespace

const QList<SandboxTrigger> &all()
{
    static const QList<SandboxTrigger> triggers = build();
    return triggers;
}

const SandboxTrigger *find(const QString &scope, SandboxTrigger::Where where)
{
    for (const QString &value : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!value.startsWith(QLatin1String("sandbox:")))
            continue;
        for (const SandboxTrigger &trigger : all()) {
            if (trigger.isScope() && trigger.where == where && trigger.scope() == value)
                return &trigger;
        }
    }
    return nullptr;
}

const SandboxTrigger *named(const QString &name)
{
    for (const SandboxTrigger &trigger : all()) {
        if (trigger.name == name)
            return &trigger;
    }
    return nullptr;
}

QString markdownTable()
{
    QString table = QStringLiteral("| input (a scope to add, or a token endpoint to type) | where "
                                   "| what it shows | diagnosis |\n"
                                   "| --- | --- | --- | --- |\n");
    for (const SandboxTrigger &trigger : all()) {
        const QString input =
            trigger.isScope() ? QStringLiteral("`%1`").arg(trigger.scope())
                              : QStringLiteral("token endpoint `%1`").arg(trigger.tokenEndpoint);
        table += QStringLiteral("| %1 | %2 | %3 | `%4` |\n")
                     .arg(input, SandboxTrigger::whereName(trigger.where), trigger.description,
                          trigger.expectedEntry);
    }
    return table;
}

} // namespace SandboxTriggers
} // namespace workbench
