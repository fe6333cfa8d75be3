// HttpConnection: one keep-alive HTTP/1.1 client connection (Boost.Beast,
// synchronous) used by one load-generator thread.
//
// Post() sends one request and reads the whole response. It connects lazily,
// reconnects once if a kept-alive connection turns out to be closed before
// the request could be written, and closes the connection when the server
// asks to (Connection: close). Not thread-safe: one connection per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace otelstack::bench {

struct HttpResult {
  int status = 0;            // HTTP status; 0 when the exchange failed at the transport level
  std::string error;         // transport error text when status == 0
  double retry_after_s = 0;  // Retry-After header in seconds, 0 when absent
};

class HttpConnection {
 public:
  HttpConnection(std::string host, std::string port, std::string authorization);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // POSTs *body to `target` with the given content type. The body is moved
  // into the request and handed back afterwards (no copy); its content is
  // unchanged.
  HttpResult Post(std::string_view target, std::string_view content_type, std::string* body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otelstack::bench
