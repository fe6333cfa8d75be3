// A small blocking HTTP/1.1 client (Boost.Beast, OpenSSL) for one-shot
// requests from the command line, e.g. `otelstack doctor` probing a running
// instance. Not for the server's hot paths: no pooling, no redirects, one
// request per connection.
//
// Contract:
//   - `url` is absolute http:// or https:// with a host and an optional
//     port (80/443 by default) and path; anything else is InvalidArgument.
//   - The whole exchange (resolve, connect, handshake, write, read) is
//     bounded by `timeout`; past it the call returns Unavailable.
//   - With https the peer certificate is verified against `ca_file` (PEM)
//     when set, else the system trust store, and against the URL's host
//     (DNS name or IP address) unless `verify_certificate` is false. A
//     failed verification is Unavailable whose message starts with
//     "certificate verification failed: " and names OpenSSL's reason.
//   - Any HTTP status is a successful call: the caller reads
//     HttpResponse::status. Headers are returned with lower-case names.
//   - The response body is bounded by `max_body_bytes` (ResourceExhausted).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace otelstack::http {

struct ClientUrl {
  bool https = false;
  std::string host;  // IPv6 literals without brackets
  uint16_t port = 0;
  std::string target = "/";  // path and query, starts with '/'
};

// Parses an absolute http(s) URL as described above.
StatusOr<ClientUrl> ParseClientUrl(std::string_view url);

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  std::string ca_file;
  bool verify_certificate = true;
  size_t max_body_bytes = 4u << 20;
};

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeated headers joined with ", "
  std::string body;
  // https only: the peer certificate's notAfter, when the server sent one.
  std::optional<std::chrono::system_clock::time_point> certificate_not_after;
  std::string certificate_subject;  // https only, one-line form
};

StatusOr<ClientResponse> Fetch(const ClientRequest& request);

}  // namespace otelstack::http
