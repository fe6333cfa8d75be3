// Request and Response: what HTTP handlers see and return, free of Beast
// types so that handlers (api/) can be unit-tested without sockets.
//
// Header names are matched case-insensitively. Query parameters and path
// parameters are percent-decoded. A Request is owned by the connection for
// the duration of one handler call; handlers must not keep references to it
// after responding.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otelstack::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view MethodName(Method method);  // "GET", ...

struct Request {
  Method method = Method::kGet;
  std::string target;                                        // as received, e.g. "/api/v2/search?x=1"
  std::string path;                                          // decoded, without the query string
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::map<std::string, std::string> path_params;            // filled by the Router
  std::string body;
  std::string client_address;  // peer IP address, no port
  bool secure = false;         // arrived over TLS

  // Set (by the server) when the client closes the connection while the
  // handler runs; long handlers poll it and stop early. Never null.
  std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);

  // The first header with this name (any case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The value of cookie `name` from the Cookie header(s), or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
  // The first query parameter with this name, or nullopt.
  std::optional<std::string_view> QueryParam(std::string_view name) const;
  // A path parameter captured by the route (":name"); empty if absent.
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra: Set-Cookie, Retry-After, ...
  std::string body;

  // `body` must be a JSON document.
  static Response Json(unsigned status, std::string body);
  // {"error": message} with the given status.
  static Response Error(unsigned status, std::string_view message);
  Response& WithHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// A handler that computes its response synchronously. The server runs it on
// a worker thread (never on an I/O thread), so it may block (queries, SQLite).
using Handler = std::function<Response(Request& request)>;

// A handler that completes later: it must call `respond` exactly once, from
// any thread (e.g. the OTLP ingest callback). It runs on an I/O thread and
// must not block.
using Responder = std::function<void(Response response)>;
using AsyncHandler = std::function<void(Request& request, Responder respond)>;

}  // namespace otelstack::http
