#include "api/guard.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "api/respond.h"
#include "audit/audit_log.h"
#include "auth/cookie_signer.h"
#include "auth/csrf.h"
#include "auth/personal_keys.h"
#include "auth/rate_limiter.h"
#include "auth/sessions.h"
#include "common/ascii.h"

namespace otelstack::api {

namespace {

bool ChangesState(http::Method method) {
  return method == http::Method::kPost || method == http::Method::kPut || method == http::Method::kPatch ||
         method == http::Method::kDelete;
}

bool IsBearer(std::string_view header) {
  return header.size() >= 7 && EqualsIgnoreAsciiCase(header.substr(0, 7), "bearer ");
}

// Records a personal key's use in the session log at most once a minute per
// key: the query log already has every query; this shows which keys are live.
class KeyUseRecorder {
 public:
  bool ShouldRecord(int64_t key_id, std::chrono::steady_clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (last_.size() > 10000) last_.clear();  // bounded; worst case a few extra records
    auto [it, inserted] = last_.try_emplace(key_id, now);
    if (!inserted && now - it->second < std::chrono::minutes(1)) return false;
    it->second = now;
    return true;
  }

 private:
  std::mutex mu_;
  std::map<int64_t, std::chrono::steady_clock::time_point> last_;
};

void RecordDenied(const ApiServices& services, const http::Request& request, const Caller* caller, std::string detail) {
  if (!services.audit) return;
  audit::SessionEvent event;
  event.kind = audit::SessionEvent::Kind::kAccessDenied;
  if (caller) {
    event.user_email = caller->user.email;
    event.user_id = caller->user.id;
    event.team_id = caller->user.team_id;
  }
  event.client_address = ClientAddress(request);
  event.user_agent = UserAgent(request);
  event.detail = std::move(detail);
  services.audit->Record(event);
}

http::Response Unauthenticated(const Route& route, std::string_view message) {
  http::Response response = http::Response::Error(401, message);
  if (route.access == Access::kSessionOrKey) response.WithHeader("WWW-Authenticate", "Bearer");
  return response;
}

}  // namespace

std::string ClientAddress(const http::Request& request) { return request.client_address; }

std::string UserAgent(const http::Request& request) {
  auto ua = request.Header("user-agent");
  return ua ? std::string(*ua) : std::string();
}

http::Handler GuardedHandler(const Route& route, const ApiServices& services) {
  if (route.access == Access::kPublic) {
    return [handler = route.handler](http::Request& request) {
      Call call{request, nullptr};
      return handler(call);
    };
  }
  auto key_uses = std::make_shared<KeyUseRecorder>();
  return [route, &services, key_uses](http::Request& request) -> http::Response {
    Caller caller;
    std::optional<std::string> refreshed_cookie;  // Set-Cookie value when the expiry slid
    auto authorization = request.Header("authorization");
    if (route.access == Access::kSessionOrKey && authorization && IsBearer(*authorization)) {
      auto key = services.personal_keys->Authenticate(*authorization);
      if (!key.ok()) return Unauthenticated(route, "invalid or expired personal access key");
      if (auto retry = services.key_rate_limiter->Acquire(key->key.id)) {
        return http::Response::Error(429, "rate limit exceeded for this key; retry later")
            .WithHeader("Retry-After", std::to_string(retry->count()));
      }
      caller.user = std::move(key->user);
      caller.via = Caller::Via::kPersonalKey;
      caller.key_id = key->key.id;
      if (services.audit && key_uses->ShouldRecord(caller.key_id, std::chrono::steady_clock::now())) {
        audit::SessionEvent event;
        event.kind = audit::SessionEvent::Kind::kPersonalKeyUsed;
        event.user_email = caller.user.email;
        event.user_id = caller.user.id;
        event.team_id = caller.user.team_id;
        event.client_address = ClientAddress(request);
        event.user_agent = UserAgent(request);
        event.detail = "key " + std::to_string(caller.key_id) + " (" + key->key.name + ")";
        services.audit->Record(event);
      }
    } else {
      auto cookie = request.Cookie(auth::kSessionCookieName);
      if (!cookie) return Unauthenticated(route, "not logged in");
      auto session = services.sessions->Authenticate(*cookie);
      if (!session.ok()) return Unauthenticated(route, "session expired or invalid; log in again");
      if (ChangesState(request.method)) {
        auto token = request.Header(auth::kCsrfHeaderName);
        if (!token || !services.sessions->CheckCsrf(*session, *token)) {
          Caller denied;
          denied.user = session->user;
          RecordDenied(services, request, &denied, "missing or invalid CSRF token on " + route.pattern);
          return http::Response::Error(403, "missing or invalid X-CSRF-Token header");
        }
      }
      if (session->touched) {
        refreshed_cookie =
            auth::SessionCookieHeader(*cookie, services.options.secure_cookies, services.sessions->options().ttl);
      }
      caller.user = std::move(session->user);
      caller.via = Caller::Via::kSession;
      caller.session_id_digest = std::move(session->id_digest_hex);
      caller.csrf_token = std::move(session->csrf_token);
    }
    if (caller.user.role < route.role) {
      RecordDenied(services, request, &caller,
                   std::string(http::MethodName(route.method)) + " " + route.pattern + " requires role " +
                       std::string(meta::RoleName(route.role)));
      return http::Response::Error(403, "this requires the " + std::string(meta::RoleName(route.role)) + " role");
    }
    Call call{request, &caller};
    http::Response response = route.handler(call);
    if (refreshed_cookie) response.WithHeader("Set-Cookie", *refreshed_cookie);
    return response;
  };
}

void MountRoutes(const Routes& routes, const ApiServices& services, http::Router* router) {
  for (const Route& route : routes) router->Add(route.method, route.pattern, GuardedHandler(route, services));
}

}  // namespace otelstack::api
