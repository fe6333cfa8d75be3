#include "api/app_api.h"

#include "api/config_routes.h"
#include "api/guard.h"
#include "api/identity_routes.h"
#include "api/key_routes.h"
#include "api/openapi.h"
#include "api/query_limits_settings.h"
#include "api/query_routes.h"
#include "api/retention_routes.h"
#include "api/team_routes.h"

namespace otelstack::api {

AppApi::AppApi(const ApiServices& services) : services_(services) {
  routes_.push_back({http::Method::kGet, "/api/health", Access::kPublic, meta::Role::kViewer,
                     "Liveness: 200 while the server runs",
                     [](Call&) { return http::Response::Json(200, R"({"status":"ok"})"); }});
  AddIdentityRoutes(services, &routes_);
  AddTeamRoutes(services, &routes_);
  AddKeyRoutes(services, &routes_);
  AddConfigRoutes(services, &routes_);
  AddQueryLimitsRoutes(services, &routes_);
  AddRetentionRoutes(services, &routes_);
  AddQueryRoutes(services, &routes_);
  AddOpenApiRoute(&routes_);
}

void AppApi::Mount(http::Router* router) const { MountRoutes(routes_, services_, router); }

}  // namespace otelstack::api
