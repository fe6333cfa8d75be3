// AppApi: the whole route table of the app server, assembled once.
//
// The table is built in the constructor from every route group and never
// changes afterwards; GET /api/openapi.json renders it, and Mount() adds the
// routes, each behind the guard (guard.h), to a router. Not copyable or
// movable: the OpenAPI route refers to the table it is part of.
#pragma once

#include "api/route.h"
#include "api/services.h"
#include "http/router.h"

namespace otelstack::api {

class AppApi {
 public:
  explicit AppApi(const ApiServices& services);  // `services` must outlive this
  AppApi(const AppApi&) = delete;
  AppApi& operator=(const AppApi&) = delete;

  const Routes& routes() const { return routes_; }
  void Mount(http::Router* router) const;

 private:
  const ApiServices& services_;
  Routes routes_;
};

}  // namespace otelstack::api
