// The OpenAPI 3.0 document of the app API, generated from the route table so
// that it cannot drift from what is served.
//
// Each route becomes an operation with its summary, its path parameters
// (":id" in a pattern is "{id}" in the document), its security requirement
// (none for Access::kPublic; the session cookie for kSession; the cookie or
// a bearer personal access key for kSessionOrKey) and the extension
// `x-otelstack-role` with the minimum role ("viewer", "editor", "admin";
// absent for public routes). Request and response bodies are not described
// (docs/api.md has them); every operation lists the JSON error response.
#pragma once

#include <string>

#include "api/route.h"

namespace otelstack::api {

// The document as compact JSON text.
std::string OpenApiJson(const Routes& routes);

// Registers GET /api/openapi.json (public). It renders `*routes` when
// requested, so it shows routes added after it too. `routes` must outlive
// the handler, and must not be modified while a request is served.
void AddOpenApiRoute(Routes* routes);

}  // namespace otelstack::api
