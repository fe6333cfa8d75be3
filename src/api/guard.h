// The guard: who may call a route, applied to every route from its
// declaration (route.h) so that no handler can forget a check.
//
// For a non-public route, in order:
//   1. credentials: `Authorization: Bearer <personal key>` where the route is
//      kSessionOrKey, else the session cookie. None, or invalid: 401 (with
//      `WWW-Authenticate: Bearer` on key routes).
//   2. key callers: the per-key rate limit; over it, 429 with Retry-After.
//   3. cookie callers changing state (POST, PUT, PATCH, DELETE): the
//      X-CSRF-Token header must match the session's token; else 403. (A
//      cross-site form can carry the cookie but cannot read or set the token.)
//   4. the caller's role must be at least Route::role; else 403, recorded in
//      the audit log (session_log, access_denied).
// Public routes run as they are, with Call::caller null.
//
// The session cookie is re-sent with a fresh Max-Age when the session's
// rolling expiry moved, so the browser keeps it as long as the server does.
#pragma once

#include "api/route.h"
#include "api/services.h"
#include "http/router.h"

namespace otelstack::api {

http::Handler GuardedHandler(const Route& route, const ApiServices& services);

// Adds every route, guarded, to `router`. `services` must outlive the router.
void MountRoutes(const Routes& routes, const ApiServices& services, http::Router* router);

// The caller's client address and user agent, as recorded in audit logs.
std::string ClientAddress(const http::Request& request);
std::string UserAgent(const http::Request& request);

}  // namespace otelstack::api
