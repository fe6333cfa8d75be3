#include "api/identity_routes.h"

#include "api/guard.h"
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/respond.h"
#include "api/source_model.h"
#include "audit/audit_log.h"
#include "auth/cookie_signer.h"
#include "auth/login_throttle.h"
#include "auth/password_hash.h"
#include "auth/password_policy.h"
#include "auth/sessions.h"
#include "common/file_util.h"
#include "meta/crypto.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

using Kind = audit::SessionEvent::Kind;

void RecordSession(const ApiServices& services, const http::Request& request, Kind kind, const meta::User* user,
                   std::string email, std::string detail = {}) {
  if (!services.audit) return;
  audit::SessionEvent event;
  event.kind = kind;
  event.user_email = user ? user->email : std::move(email);
  if (user) {
    event.user_id = user->id;
    event.team_id = user->team_id;
  }
  event.client_address = ClientAddress(request);
  event.user_agent = UserAgent(request);
  event.detail = std::move(detail);
  services.audit->Record(event);
}

// The password and its confirmation, checked against the policy.
Status CheckNewPassword(const std::string& password, const std::string& confirm) {
  OTELSTACK_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password));
  if (password != confirm) return Status::InvalidArgument("confirmPassword: does not match password");
  return Status::OK();
}

// Starts a session for `user` and answers {user, csrfToken} with the cookie.
http::Response LoggedIn(const ApiServices& services, const http::Request& request, const meta::User& user,
                        unsigned status = 200) {
  auto session = services.sessions->Create(user.id, ClientAddress(request), UserAgent(request));
  if (!session.ok()) return ErrorResponse(session.status());
  std::string body = RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("user");
    WriteUser(w, user);
    w.Key("csrfToken");
    w.String(session->csrf_token.c_str());
    w.EndObject();
  });
  return http::Response::Json(status, std::move(body))
      .WithHeader("Set-Cookie", auth::SessionCookieHeader(session->cookie_value, services.options.secure_cookies,
                                                          services.sessions->options().ttl));
}

struct NewAccount {
  std::string email;
  std::string name;
  std::string password_hash;
};

// Reads and validates {email, name?, password, confirmPassword}.
StatusOr<NewAccount> ReadNewAccount(const rapidjson::Value& body) {
  auto email = RequiredString(body, "email");
  if (!email.ok()) return email.status();
  auto password = RequiredString(body, "password");
  if (!password.ok()) return password.status();
  auto confirm = RequiredString(body, "confirmPassword");
  if (!confirm.ok()) return confirm.status();
  auto name = OptionalString(body, "name");
  if (!name.ok()) return name.status();
  NewAccount account;
  account.email = auth::NormalizeEmail(*email);
  OTELSTACK_RETURN_IF_ERROR(auth::CheckEmail(account.email).WithContext("email"));
  OTELSTACK_RETURN_IF_ERROR(CheckNewPassword(*password, *confirm));
  account.name = name->value_or("");
  if (account.name.size() > 200) return Status::InvalidArgument("name: at most 200 characters");
  auto hash = auth::HashPassword(*password);
  if (!hash.ok()) return hash.status();
  account.password_hash = std::move(*hash);
  return account;
}

meta::NewUser ToNewUser(const ApiServices& services, NewAccount account, meta::Role role) {
  meta::NewUser user;
  user.email = std::move(account.email);
  user.name = std::move(account.name);
  user.role = role;
  user.password_hash = std::move(account.password_hash);
  user.created_at = services.clock();
  return user;
}

http::Response Register(const ApiServices& services, Call& call) {
  meta::IdentityRepository& identity = services.meta->identity();
  auto any = identity.AnyTeam();
  if (!any.ok()) return ErrorResponse(any.status());
  if (*any) return http::Response::Error(409, "registration is closed: a team exists; ask an admin for an invitation");
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto team_name = OptionalString(body, "teamName");
  if (!team_name.ok()) return ErrorResponse(team_name.status());
  auto account = ReadNewAccount(body);
  if (!account.ok()) return ErrorResponse(account.status());
  auto registered = identity.CreateFirstTeam(team_name->value_or("My Team"),
                                             ToNewUser(services, std::move(*account), meta::Role::kAdmin));
  if (registered.status().code() == Status::Code::kAlreadyExists) {
    return http::Response::Error(409, "registration is closed: a team exists; ask an admin for an invitation");
  }
  if (!registered.ok()) return ErrorResponse(registered.status());
  s = EnsureTeamDefaults(services, registered->team.id);
  if (!s.ok()) return ErrorResponse(s);
  RecordSession(services, call.request, Kind::kRegistered, &registered->admin, {}, "first admin of a new team");
  return LoggedIn(services, call.request, registered->admin);
}

// Whether registration is still open, for the sign-in page (as HyperDX's
// installation check): reveals only whether a team exists.
http::Response Installation(const ApiServices& services, Call&) {
  auto any = services.meta->identity().AnyTeam();
  if (!any.ok()) return ErrorResponse(any.status());
  return Ok(*any ? R"({"teamExists":true})" : R"({"teamExists":false})");
}

http::Response Login(const ApiServices& services, Call& call) {
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto email = RequiredString(body, "email");
  if (!email.ok()) return ErrorResponse(email.status());
  auto password = RequiredString(body, "password");
  if (!password.ok()) return ErrorResponse(password.status());
  std::string account = auth::NormalizeEmail(*email);
  std::string address = ClientAddress(call.request);
  if (auto retry = services.login_throttle->RetryAfter(account, address)) {
    RecordSession(services, call.request, Kind::kLoginFailed, nullptr, account, "throttled");
    return http::Response::Error(429, "too many failed logins; try again later")
        .WithHeader("Retry-After", std::to_string(std::max<int64_t>(1, retry->count())));
  }
  auto user = services.meta->identity().FindUserByEmail(account);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) return ErrorResponse(user.status());
  bool verified = false;
  if (user.ok()) {
    verified = auth::VerifyPassword(user->password_hash, *password);
  } else {
    auth::SpendVerifyTime();  // an unknown account takes as long as a wrong password
  }
  if (!verified) {
    services.login_throttle->RecordFailure(account, address);
    RecordSession(services, call.request, Kind::kLoginFailed, user.ok() ? &*user : nullptr, account,
                  user.ok() ? "wrong password" : "unknown account");
    return http::Response::Error(401, "wrong email or password");
  }
  services.login_throttle->RecordSuccess(account, address);
  RecordSession(services, call.request, Kind::kLoginSucceeded, &*user, {});
  return LoggedIn(services, call.request, *user);
}

http::Response Logout(const ApiServices& services, Call& call) {
  if (auto cookie = call.request.Cookie(auth::kSessionCookieName)) {
    Status s = services.sessions->Revoke(*cookie);
    if (!s.ok()) return ErrorResponse(s);
  }
  RecordSession(services, call.request, Kind::kLogout, &call.caller->user, {});
  return Ok("{}").WithHeader("Set-Cookie", auth::ClearSessionCookieHeader(services.options.secure_cookies));
}

http::Response Me(const ApiServices& services, Call& call) {
  auto team = services.meta->identity().GetTeam(call.caller->user.team_id);
  if (!team.ok()) return ErrorResponse(team.status());
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("user");
    WriteUser(w, call.caller->user);
    w.Key("team");
    WriteTeam(w, *team);
    w.Key("authenticatedWith");
    w.String(call.caller->via == Caller::Via::kSession ? "session" : "personal_key");
    if (call.caller->via == Caller::Via::kSession) {
      w.Key("csrfToken");
      w.String(call.caller->csrf_token.c_str());
    }
    w.EndObject();
  }));
}

http::Response ChangePassword(const ApiServices& services, Call& call) {
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto current = RequiredString(body, "currentPassword");
  if (!current.ok()) return ErrorResponse(current.status());
  auto next = RequiredString(body, "newPassword");
  if (!next.ok()) return ErrorResponse(next.status());
  auto confirm = RequiredString(body, "confirmPassword");
  if (!confirm.ok()) return ErrorResponse(confirm.status());
  const meta::User& user = call.caller->user;
  if (!auth::VerifyPassword(user.password_hash, *current)) {
    return http::Response::Error(403, "currentPassword: wrong password");
  }
  s = CheckNewPassword(*next, *confirm);
  if (!s.ok()) return ErrorResponse(s);
  auto hash = auth::HashPassword(*next);
  if (!hash.ok()) return ErrorResponse(hash.status());
  s = services.meta->identity().SetPassword(user.id, *hash, services.clock());
  if (!s.ok()) return ErrorResponse(s);
  RecordSession(services, call.request, Kind::kPasswordChanged, &user, {}, "every session revoked");
  return LoggedIn(services, call.request, user);
}

std::string TokenDigest(std::string_view token) { return HexEncode(meta::Sha256(token)); }

http::Response InvitationInfo(const ApiServices& services, Call& call) {
  auto invitation = services.meta->identity().GetInvitationByToken(TokenDigest(call.request.PathParam("token")));
  if (!invitation.ok()) {
    if (invitation.status().code() == Status::Code::kNotFound) return http::Response::Error(404, "unknown invitation");
    return ErrorResponse(invitation.status());
  }
  if (invitation->used_at) return http::Response::Error(409, "this invitation has already been used");
  if (services.clock() >= invitation->expires_at) return http::Response::Error(409, "this invitation has expired");
  auto team = services.meta->identity().GetTeam(invitation->team_id);
  if (!team.ok()) return ErrorResponse(team.status());
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("teamName");
    w.String(team->name.c_str());
    w.Key("email");
    w.String(invitation->email.c_str());
    w.Key("role");
    w.String(std::string(meta::RoleName(invitation->role)).c_str());
    WriteTime(w, "expiresAt", invitation->expires_at);
    w.EndObject();
  }));
}

http::Response JoinTeam(const ApiServices& services, Call& call) {
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto token = RequiredString(body, "token");
  if (!token.ok()) return ErrorResponse(token.status());
  meta::IdentityRepository& identity = services.meta->identity();
  std::string digest = TokenDigest(*token);
  auto invitation = identity.GetInvitationByToken(digest);
  if (!invitation.ok()) {
    if (invitation.status().code() == Status::Code::kNotFound) return http::Response::Error(404, "unknown invitation");
    return ErrorResponse(invitation.status());
  }
  auto account = ReadNewAccount(body);
  if (!account.ok()) return ErrorResponse(account.status());
  if (!invitation->email.empty() && invitation->email != account->email) {
    return http::Response::Error(403, "this invitation is for another email address");
  }
  auto user = identity.AcceptInvitation(digest, ToNewUser(services, std::move(*account), invitation->role));
  if (!user.ok()) return ErrorResponse(user.status());
  RecordSession(services, call.request, Kind::kRegistered, &*user, {},
                "joined by invitation " + std::to_string(invitation->id));
  return LoggedIn(services, call.request, *user);
}

}  // namespace

void AddIdentityRoutes(const ApiServices& services, Routes* routes) {
  using meta::Role;
  auto add = [&](http::Method method, const char* pattern, Access access, const char* summary, ServiceHandler handler) {
    routes->push_back(ServiceRoute(method, pattern, access, Role::kViewer, summary, services, handler));
  };
  add(http::Method::kPost, "/api/register/password", Access::kPublic,
      "Create the first team and its admin (only while no team exists)", Register);
  add(http::Method::kGet, "/api/installation", Access::kPublic,
      "Whether a team exists yet (registration is open only before)", Installation);
  add(http::Method::kPost, "/api/login/password", Access::kPublic,
      "Log in with email and password; sets the session cookie", Login);
  add(http::Method::kPost, "/api/logout", Access::kSession, "End the current session", Logout);
  add(http::Method::kGet, "/api/me", Access::kSessionOrKey,
      "The current user and team (and the CSRF token for session callers)", Me);
  add(http::Method::kPost, "/api/me/password", Access::kSession, "Change your password; ends every other session",
      ChangePassword);
  add(http::Method::kGet, "/api/join-team/:token", Access::kPublic, "What an invitation link is for", InvitationInfo);
  add(http::Method::kPost, "/api/join-team", Access::kPublic, "Accept an invitation: create your account and log in",
      JoinTeam);
}

}  // namespace otelstack::api
