#include "http/router.h"

#include <algorithm>
#include <string_view>

namespace otelstack::http {

namespace {

// Splits "/a/b/" into {"a", "b", ""}; "/" into {""}.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

// Lower ranks are more specific; compared segment by segment, so the first
// segment where two matching routes differ decides.
enum SegmentRank : char { kLiteral = 0, kParam = 1, kRest = 2 };

// Matches `pattern` against `path`; on success returns the rank string and
// fills `params`.
bool MatchPattern(std::string_view pattern, const std::vector<std::string_view>& path, std::string* rank,
                  std::map<std::string, std::string>* params) {
  std::vector<std::string_view> pattern_segments = Segments(pattern);
  rank->clear();
  params->clear();
  for (size_t i = 0; i < pattern_segments.size(); ++i) {
    std::string_view segment = pattern_segments[i];
    if (!segment.empty() && segment.front() == '*') {
      // "*rest" is only meaningful last; it needs the '/' before it to be
      // present, so "/static/*p" matches "/static/" but not "/static".
      if (i + 1 != pattern_segments.size() || i >= path.size()) return false;
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) {
        if (j > i) rest.push_back('/');
        rest.append(path[j]);
      }
      (*params)[std::string(segment.substr(1))] = std::move(rest);
      rank->push_back(kRest);
      return true;
    }
    if (i >= path.size()) return false;
    if (!segment.empty() && segment.front() == ':') {
      if (path[i].empty()) return false;
      (*params)[std::string(segment.substr(1))] = std::string(path[i]);
      rank->push_back(kParam);
    } else {
      if (segment != path[i]) return false;
      rank->push_back(kLiteral);
    }
  }
  return pattern_segments.size() == path.size();
}

}  // namespace

void Router::Add(Method method, std::string pattern, Handler handler) {
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      route.handler = std::move(handler);
      return;
    }
  }
  routes_.push_back(Route{method, std::move(pattern), std::move(handler)});
}

void Router::AddAsync(Method method, std::string pattern, AsyncHandler handler) {
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      route.handler = std::move(handler);
      return;
    }
  }
  routes_.push_back(Route{method, std::move(pattern), std::move(handler)});
}

Router::Match Router::Find(Request& request) const {
  Match match;
  if (request.path.empty() || request.path.front() != '/' || request.path.find('\0') != std::string::npos) {
    match.bad_path = true;
    return match;
  }
  std::vector<std::string_view> path = Segments(request.path);
  for (std::string_view segment : path) {
    if (segment == "..") {
      match.bad_path = true;
      return match;
    }
  }

  std::string best_rank;
  std::map<std::string, std::string> best_params;
  std::string rank;
  std::map<std::string, std::string> params;
  for (const Route& route : routes_) {
    if (!MatchPattern(route.pattern, path, &rank, &params)) continue;
    if (route.method != request.method) {
      match.other_method_matches = true;
      std::string name(MethodName(route.method));
      if (std::find(match.allowed.begin(), match.allowed.end(), name) == match.allowed.end()) {
        match.allowed.push_back(std::move(name));
      }
      continue;
    }
    if (match.route == nullptr || rank < best_rank) {
      match.route = &route;
      best_rank = rank;
      best_params = params;
    }
  }
  if (match.route != nullptr) {
    request.path_params = std::move(best_params);
    match.other_method_matches = false;
    match.allowed.clear();
  } else {
    std::sort(match.allowed.begin(), match.allowed.end());
  }
  return match;
}

}  // namespace otelstack::http
