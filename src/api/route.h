// Route: one API endpoint and who may call it.
//
// Every route of the app server is declared as a Route; the table of routes
// is the single source for authentication and authorization (guard.h wraps
// each handler before it is mounted), for the OpenAPI document and for the
// route audit test. A handler therefore never checks credentials itself: it
// runs only after the guard admitted the caller, and gets the Caller.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"
#include "meta/identity_repository.h"

namespace otelstack::api {

enum class Access {
  kPublic,        // no credentials: registration, login, invitations, health, openapi.json
  kSession,       // a session cookie (the web UI); state changes also need X-CSRF-Token
  kSessionOrKey,  // also `Authorization: Bearer <personal access key>` (rate limited per key)
};

// Who is calling (set by the guard for non-public routes).
struct Caller {
  enum class Via { kSession, kPersonalKey };
  meta::User user;
  Via via = Via::kSession;
  std::string session_id_digest;  // kSession
  std::string csrf_token;         // kSession: what the client must echo on state changes
  int64_t key_id = 0;             // kPersonalKey
};

struct Call {
  http::Request& request;
  const Caller* caller = nullptr;  // null exactly for kPublic routes
};

using ApiHandler = std::function<http::Response(Call& call)>;

struct Route {
  http::Method method = http::Method::kGet;
  std::string pattern;  // http/router.h syntax, e.g. "/api/sources/:id"
  Access access = Access::kSession;
  meta::Role role = meta::Role::kViewer;  // minimum role; ignored for kPublic
  std::string summary;                    // one line, for openapi.json
  ApiHandler handler;
};

using Routes = std::vector<Route>;

struct ApiServices;

// A handler that needs the services: most route groups' handlers are plain
// functions of this shape.
using ServiceHandler = http::Response (*)(const ApiServices& services, Call& call);

// A route calling `handler` with `services` (which must outlive it).
Route ServiceRoute(http::Method method, std::string pattern, Access access, meta::Role role, std::string summary,
                   const ApiServices& services, ServiceHandler handler);

}  // namespace otelstack::api
