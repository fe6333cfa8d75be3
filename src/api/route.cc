#include "api/route.h"

namespace otelstack::api {

Route ServiceRoute(http::Method method, std::string pattern, Access access, meta::Role role, std::string summary,
                   const ApiServices& services, ServiceHandler handler) {
  const ApiServices* s = &services;
  return Route{method, std::move(pattern), access,
               role,   std::move(summary), [s, handler](Call& call) { return handler(*s, call); }};
}

}  // namespace otelstack::api
