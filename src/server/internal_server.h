// InternalServer: the operator's endpoints, on --internal-listen
// (127.0.0.1:8888 by default, never published with the product ports):
//
//   GET /health   200 "ok" while the process serves requests (liveness)
//   GET /ready    200 "ready" when the server accepts data, else 503 with the
//                 reason (readiness: before startup completes, during
//                 shutdown, while the store refuses appends)
//   GET /metrics  Prometheus text exposition (server_metrics.h)
//
// No authentication: what it shows is operational (counts and sizes, no
// data, no names of users or keys), and it is bound to loopback unless the
// operator says otherwise (OTELSTACK_ENV=production refuses a plaintext
// non-loopback bind without --tls-terminated-upstream). Plain HTTP/1.1, one
// I/O thread; handlers run on it and do not block.
#pragma once

#include <functional>
#include <memory>

#include "common/status.h"
#include "http/listen_address.h"
#include "server/server_metrics.h"

namespace otelstack::http {
class HttpServer;
}

namespace otelstack::server {

class InternalServer {
 public:
  // OK when ready, else a status whose message says why not. Called per
  // /ready request, from the I/O thread; must be cheap and thread-safe.
  using Readiness = std::function<Status()>;

  // `metrics` must outlive the server.
  InternalServer(const ServerMetrics* metrics, Readiness readiness);
  ~InternalServer();

  StatusOr<http::ListenAddress> Start(const http::ListenAddress& address);
  void Stop();

 private:
  std::unique_ptr<http::HttpServer> http_;
};

}  // namespace otelstack::server
