// HttpServer: serves a Router over HTTP/1.1 (optionally TLS) with Boost.Beast.
//
// Connections: keep-alive (unless disabled or the client asks to close), one
// request at a time per connection. Reading is bounded: a connection may sit
// idle `idle_timeout` before a request starts, then has `read_timeout` to
// deliver the whole request (slowloris protection); header and body sizes are
// capped (431, 413; the connection is then closed). "Expect: 100-continue" is
// honoured.
//
// Dispatch: the Router picks the handler. No route is 404, a route for another
// method is 405 with Allow, a ".." path or a malformed target is 400.
// AsyncHandlers run on the I/O thread and respond from any thread. Blocking
// Handlers run on a worker pool; when its threads are busy and its queue is
// full the request is answered 503 with Retry-After instead of waiting.
// While any handler runs, the connection is watched: if the client closes it,
// Request::cancelled is set (and notified, so atomic::wait works).
//
// Responses the server generates itself (400, 404, 405, 413, 431, 500, 503)
// are built by ServerOptions::error_response, {"error": ...} JSON by default;
// a listener with its own error format (OTLP) supplies its own. Every
// response carries "X-Content-Type-Options: nosniff" and "Cache-Control:
// no-store" unless the handler set those headers.
//
// Stop(): stops accepting, lets requests in flight finish (their responses
// are sent with "Connection: close"), closes idle connections, then returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/listen_address.h"
#include "http/message.h"
#include "http/router.h"
#include "http/tls.h"

namespace otelstack::http {

struct ServerOptions {
  std::string name = "http";  // log prefix and thread names (at most ~10 characters)
  int io_threads = 2;
  int worker_threads = 4;          // for blocking Handlers; must be >= 1 if the router has any
  size_t worker_queue_limit = 64;  // requests waiting for a worker beyond the busy ones
  TlsOptions tls;                  // enabled(): TLS only, no plaintext on the same port (tls_context.h)
  // With TLS: every response carries Strict-Transport-Security (two years,
  // subdomains included), so browsers never fall back to plaintext.
  bool hsts = false;
  uint64_t max_body_bytes = 8u << 20;      // as received (before any Content-Encoding)
  uint32_t max_header_bytes = 16u << 10;   // request line and headers
  std::chrono::seconds idle_timeout{120};  // waiting for the first byte of a request
  std::chrono::seconds read_timeout{30};   // first byte to complete request; also the TLS handshake
  std::chrono::seconds write_timeout{60};  // sending one response
  bool keep_alive = true;
  unsigned retry_after_seconds = 1;  // on the 503 for a full worker pool
  // Builds the responses the server generates itself; `message` explains the
  // status in English. Default: Response::Error(status, message).
  std::function<Response(unsigned status, std::string_view message)> error_response;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Router router);
  ~HttpServer();  // Stop()

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O and worker threads; returns the bound
  // address (port 0 resolved). Call once. InvalidArgument for a bad host,
  // unreadable TLS files or blocking routes without worker threads; IOError
  // when the address cannot be bound.
  StatusOr<ListenAddress> Start(const ListenAddress& address);
  // Re-reads the TLS certificate, key and client CA files (SIGHUP): new
  // connections use them, established ones keep theirs. On error the current
  // certificate stays. OK without TLS.
  Status ReloadTls();
  // Graceful stop, see above. Blocks until every connection is closed and
  // every handler has returned (async handlers have responded). Idempotent.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelstack::http
