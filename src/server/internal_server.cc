#include "server/internal_server.h"

#include "http/server.h"

namespace otelstack::server {

namespace {

http::Response PlainText(unsigned status, std::string text) {
  http::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(text);
  return response;
}

http::Router Routes(const ServerMetrics* metrics, InternalServer::Readiness readiness) {
  http::Router router;
  router.AddAsync(http::Method::kGet, "/health",
                  [](http::Request&, http::Responder respond) { respond(PlainText(200, "ok\n")); });
  router.AddAsync(http::Method::kGet, "/ready",
                  [readiness = std::move(readiness)](http::Request&, http::Responder respond) {
                    Status s = readiness();
                    respond(s.ok() ? PlainText(200, "ready\n") : PlainText(503, "not ready: " + s.message() + "\n"));
                  });
  router.AddAsync(http::Method::kGet, "/metrics", [metrics](http::Request&, http::Responder respond) {
    http::Response response = PlainText(200, metrics->Render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    respond(std::move(response));
  });
  return router;
}

}  // namespace

InternalServer::InternalServer(const ServerMetrics* metrics, Readiness readiness) {
  http::ServerOptions options;
  options.name = "internal";
  options.io_threads = 1;
  options.worker_threads = 0;
  options.max_body_bytes = 0;
  http_ = std::make_unique<http::HttpServer>(options, Routes(metrics, std::move(readiness)));
}

InternalServer::~InternalServer() { Stop(); }

StatusOr<http::ListenAddress> InternalServer::Start(const http::ListenAddress& address) {
  auto bound = http_->Start(address);
  if (!bound.ok()) return bound.status().WithContext("internal listener (--internal-listen)");
  return bound;
}

void InternalServer::Stop() { http_->Stop(); }

}  // namespace otelstack::server
