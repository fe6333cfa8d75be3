#include "api/team_routes.h"

#include "api/json_body.h"
#include "api/json_out.h"
#include "api/respond.h"
#include "api/source_model.h"
#include "auth/password_policy.h"
#include "common/file_util.h"
#include "meta/crypto.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

StatusOr<meta::Role> ReadRole(const rapidjson::Value& body) {
  auto name = RequiredString(body, "role");
  if (!name.ok()) return name.status();
  auto role = meta::ParseRole(*name);
  if (!role) return Status::InvalidArgument("role: must be admin, editor or viewer");
  return *role;
}

// The member `id` of the caller's team; NotFound for other teams' users.
StatusOr<meta::User> TeamMember(const ApiServices& services, const Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "member id");
  if (!id.ok()) return id.status();
  auto user = services.meta->identity().GetUser(*id);
  if (!user.ok() || user->team_id != call.caller->user.team_id) {
    return user.ok() || user.status().code() == Status::Code::kNotFound ? Status::NotFound("no such member")
                                                                        : user.status();
  }
  return user;
}

void WriteInvitation(JsonWriter& w, const meta::Invitation& invitation) {
  w.StartObject();
  w.Key("id");
  w.String(std::to_string(invitation.id).c_str());
  w.Key("email");
  w.String(invitation.email.c_str());
  w.Key("role");
  w.String(std::string(meta::RoleName(invitation.role)).c_str());
  w.Key("createdBy");
  w.String(std::to_string(invitation.created_by).c_str());
  WriteTime(w, "createdAt", invitation.created_at);
  WriteTime(w, "expiresAt", invitation.expires_at);
  WriteTime(w, "usedAt", invitation.used_at);
  w.EndObject();
}

http::Response GetTeam(const ApiServices& services, Call& call) {
  auto team = services.meta->identity().GetTeam(call.caller->user.team_id);
  if (!team.ok()) return ErrorResponse(team.status());
  return Ok(RenderJson([&](JsonWriter& w) { WriteTeam(w, *team); }));
}

http::Response RenameTeam(const ApiServices& services, Call& call) {
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto name = RequiredString(body, "name");
  if (!name.ok()) return ErrorResponse(name.status());
  if (name->empty() || name->size() > 200) return http::Response::Error(400, "name: 1 to 200 characters");
  s = services.meta->identity().RenameTeam(call.caller->user.team_id, *name);
  if (!s.ok()) return ErrorResponse(s);
  return GetTeam(services, call);
}

http::Response ListMembers(const ApiServices& services, Call& call) {
  auto users = services.meta->identity().ListUsers(call.caller->user.team_id);
  if (!users.ok()) return ErrorResponse(users.status());
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("data");
    w.StartArray();
    for (const meta::User& user : *users) WriteUser(w, user);
    w.EndArray();
    w.EndObject();
  }));
}

http::Response SetMemberRole(const ApiServices& services, Call& call) {
  auto member = TeamMember(services, call);
  if (!member.ok()) return ErrorResponse(member.status());
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto role = ReadRole(body);
  if (!role.ok()) return ErrorResponse(role.status());
  s = services.meta->identity().SetRole(member->id, *role);
  if (!s.ok()) return ErrorResponse(s);
  member->role = *role;
  return Ok(RenderJson([&](JsonWriter& w) { WriteUser(w, *member); }));
}

http::Response RemoveMember(const ApiServices& services, Call& call) {
  auto member = TeamMember(services, call);
  if (!member.ok()) return ErrorResponse(member.status());
  Status s = services.meta->identity().DeleteUser(member->id);
  if (!s.ok()) return ErrorResponse(s);
  return Ok("{}");
}

http::Response ListInvitations(const ApiServices& services, Call& call) {
  auto invitations = services.meta->identity().ListInvitations(call.caller->user.team_id);
  if (!invitations.ok()) return ErrorResponse(invitations.status());
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("data");
    w.StartArray();
    for (const meta::Invitation& invitation : *invitations) WriteInvitation(w, invitation);
    w.EndArray();
    w.EndObject();
  }));
}

http::Response CreateInvitation(const ApiServices& services, Call& call) {
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto role = ReadRole(body);
  if (!role.ok()) return ErrorResponse(role.status());
  auto email = OptionalString(body, "email");
  if (!email.ok()) return ErrorResponse(email.status());
  meta::Invitation invitation;
  if (*email && !(*email)->empty()) {
    invitation.email = auth::NormalizeEmail(**email);
    s = auth::CheckEmail(invitation.email).WithContext("email");
    if (!s.ok()) return ErrorResponse(s);
  }
  std::string raw;
  s = RandomBytes(32, &raw);
  if (!s.ok()) return ErrorResponse(s);
  std::string token = HexEncode(raw);
  invitation.team_id = call.caller->user.team_id;
  invitation.token_digest_hex = HexEncode(meta::Sha256(token));
  invitation.role = *role;
  invitation.created_by = call.caller->user.id;
  invitation.created_at = services.clock();
  invitation.expires_at = invitation.created_at + kInvitationLifetime;
  auto created = services.meta->identity().CreateInvitation(invitation);
  if (!created.ok()) return ErrorResponse(created.status());
  std::string url = services.options.public_url + "/join-team?token=" + token;
  return http::Response::Json(201, RenderJson([&](JsonWriter& w) {
                                w.StartObject();
                                w.Key("invitation");
                                WriteInvitation(w, *created);
                                w.Key("token");
                                w.String(token.c_str());
                                w.Key("url");
                                w.String(url.c_str());
                                w.EndObject();
                              }));
}

http::Response DeleteInvitation(const ApiServices& services, Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "invitation id");
  if (!id.ok()) return ErrorResponse(id.status());
  Status s = services.meta->identity().DeleteInvitation(call.caller->user.team_id, *id);
  if (!s.ok()) return ErrorResponse(s);
  return Ok("{}");
}

}  // namespace

void AddTeamRoutes(const ApiServices& services, Routes* routes) {
  using meta::Role;
  auto add = [&](http::Method method, const char* pattern, Role role, const char* summary, ServiceHandler handler) {
    routes->push_back(ServiceRoute(method, pattern, Access::kSession, role, summary, services, handler));
  };
  add(http::Method::kGet, "/api/team", Role::kViewer, "Your team", GetTeam);
  add(http::Method::kPatch, "/api/team", Role::kAdmin, "Rename the team", RenameTeam);
  add(http::Method::kGet, "/api/team/members", Role::kViewer, "Members of your team", ListMembers);
  add(http::Method::kPatch, "/api/team/members/:id", Role::kAdmin, "Change a member's role", SetMemberRole);
  add(http::Method::kDelete, "/api/team/members/:id", Role::kAdmin, "Remove a member", RemoveMember);
  add(http::Method::kGet, "/api/team/invitations", Role::kAdmin, "Pending and used invitations", ListInvitations);
  add(http::Method::kPost, "/api/team/invitations", Role::kAdmin, "Create a single-use invitation link",
      CreateInvitation);
  add(http::Method::kDelete, "/api/team/invitations/:id", Role::kAdmin, "Withdraw an invitation", DeleteInvitation);
}

}  // namespace otelstack::api
