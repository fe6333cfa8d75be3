// Router: maps (method, path) to a handler.
//
// Patterns are '/'-separated segments; a segment is a literal, ":name" (one
// non-empty segment, captured into Request::path_params) or, as the last
// segment only, "*name" (the rest of the path, possibly empty, captured).
// Literal segments win over ":name" ones which win over "*name", whatever
// the order of Add calls. Paths are matched after percent-decoding; a
// trailing slash is significant ("/api/me/" does not match "/api/me"), and
// "*name" needs the '/' before it ("/ui/*path" matches "/ui/" and "/ui/a/b",
// not "/ui"). Paths containing a ".." segment or a NUL byte (after decoding)
// match nothing: Find reports them as bad_path (the server answers 400).
//
// Routes are added before the server starts; Match is then thread-safe.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "http/message.h"

namespace otelstack::http {

class Router {
 public:
  struct Route {
    Method method;
    std::string pattern;
    std::variant<Handler, AsyncHandler> handler;
  };

  // Adds a route. Adding the same (method, pattern) twice replaces the first.
  void Add(Method method, std::string pattern, Handler handler);
  void AddAsync(Method method, std::string pattern, AsyncHandler handler);

  struct Match {
    const Route* route = nullptr;       // null: no route for this method and path
    bool other_method_matches = false;  // the path exists with another method (405)
    std::vector<std::string> allowed;   // methods for the Allow header when 405, sorted
    bool bad_path = false;              // traversal ("..") or NUL: reject with 400
  };
  // Matches request.method and request.path; on success fills
  // request.path_params.
  Match Find(Request& request) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace otelstack::http
