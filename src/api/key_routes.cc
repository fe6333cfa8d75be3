#include "api/key_routes.h"

#include "api/guard.h"
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/respond.h"
#include "api/source_model.h"
#include "audit/audit_log.h"
#include "auth/personal_keys.h"
#include "meta/ingestion_keys.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

using Kind = audit::SessionEvent::Kind;
constexpr std::chrono::seconds kMaxGrace = std::chrono::hours(24 * 30);

void Record(const ApiServices& services, const Call& call, Kind kind, std::string detail) {
  if (!services.audit) return;
  audit::SessionEvent event;
  event.kind = kind;
  event.user_email = call.caller->user.email;
  event.user_id = call.caller->user.id;
  event.team_id = call.caller->user.team_id;
  event.client_address = ClientAddress(call.request);
  event.user_agent = UserAgent(call.request);
  event.detail = std::move(detail);
  services.audit->Record(event);
}

void NotifyKeysChanged(const ApiServices& services) {
  if (services.ingestion_keys_changed) services.ingestion_keys_changed();
}

StatusOr<std::string> ReadName(const http::Request& request) {
  rapidjson::Document body;
  OTELSTACK_RETURN_IF_ERROR(ParseJsonObject(request.body, &body));
  auto name = RequiredString(body, "name");
  if (!name.ok()) return name.status();
  if (name->empty() || name->size() > 128) return Status::InvalidArgument("name: 1 to 128 characters");
  return name;
}

// {graceSeconds?} from an optional body; default 24 h, at most 30 days.
StatusOr<std::chrono::seconds> ReadGrace(const http::Request& request) {
  if (request.body.empty()) return std::chrono::seconds(meta::kDefaultRotationGrace);
  rapidjson::Document body;
  OTELSTACK_RETURN_IF_ERROR(ParseJsonObject(request.body, &body));
  auto grace = OptionalInt(body, "graceSeconds");
  if (!grace.ok()) return grace.status();
  if (!*grace) return std::chrono::seconds(meta::kDefaultRotationGrace);
  if (**grace < 0 || std::chrono::seconds(**grace) > kMaxGrace) {
    return Status::InvalidArgument("graceSeconds: 0 to 2592000 (30 days)");
  }
  return std::chrono::seconds(**grace);
}

// The fields every key listing shows, ingestion or personal.
template <typename Info>
void WriteKeyFields(JsonWriter& w, const Info& info, meta::TimePoint now) {
  w.Key("id");
  w.String(std::to_string(info.id).c_str());
  w.Key("name");
  w.String(info.name.c_str());
  WriteTime(w, "createdAt", info.created_at);
  WriteTime(w, "lastUsedAt", info.last_used_at);
  WriteTime(w, "expiresAt", info.expires_at);
  WriteTime(w, "revokedAt", info.revoked_at);
  w.Key("active");
  w.Bool(info.ActiveAt(now));
}

template <typename Info>
std::string KeyJson(const Info& info, meta::TimePoint now) {
  return RenderJson([&](JsonWriter& w) {
    w.StartObject();
    WriteKeyFields(w, info, now);
    w.EndObject();
  });
}

template <typename Info>
http::Response CreatedKey(const Info& info, const std::string& raw, meta::TimePoint now) {
  return http::Response::Json(201, RenderJson([&](JsonWriter& w) {
                                w.StartObject();
                                w.Key("key");
                                w.StartObject();
                                WriteKeyFields(w, info, now);
                                w.EndObject();
                                w.Key("raw");
                                w.String(raw.c_str());
                                w.EndObject();
                              }));
}

template <typename Info>
http::Response KeyList(const std::vector<Info>& keys, meta::TimePoint now) {
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("data");
    w.StartArray();
    for (const Info& info : keys) {
      w.StartObject();
      WriteKeyFields(w, info, now);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }));
}

// --- ingestion keys ---------------------------------------------------------

http::Response ListIngestionKeys(const ApiServices& services, Call& call) {
  auto keys = services.ingestion_keys->List();
  if (!keys.ok()) return ErrorResponse(keys.status());
  return KeyList(*keys, services.clock());
}

http::Response CreateIngestionKey(const ApiServices& services, Call& call) {
  auto name = ReadName(call.request);
  if (!name.ok()) return ErrorResponse(name.status());
  auto created = services.ingestion_keys->Create(*name);
  if (!created.ok()) return ErrorResponse(created.status());
  NotifyKeysChanged(services);
  Record(services, call, Kind::kIngestionKeyCreated, "ingestion key " + std::to_string(created->info.id));
  return CreatedKey(created->info, created->raw, services.clock());
}

http::Response RevealIngestionKey(const ApiServices& services, Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "key id");
  if (!id.ok()) return ErrorResponse(id.status());
  auto raw = services.ingestion_keys->Reveal(*id);
  if (!raw.ok()) return ErrorResponse(raw.status());
  Record(services, call, Kind::kIngestionKeyRevealed, "ingestion key " + std::to_string(*id));
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("raw");
    w.String(raw->c_str());
    w.EndObject();
  }));
}

http::Response RotateIngestionKey(const ApiServices& services, Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "key id");
  if (!id.ok()) return ErrorResponse(id.status());
  auto grace = ReadGrace(call.request);
  if (!grace.ok()) return ErrorResponse(grace.status());
  auto created = services.ingestion_keys->Rotate(*id, *grace);
  if (!created.ok()) return ErrorResponse(created.status());
  NotifyKeysChanged(services);
  Record(services, call, Kind::kIngestionKeyCreated,
         "ingestion key " + std::to_string(created->info.id) + " replaces " + std::to_string(*id));
  return CreatedKey(created->info, created->raw, services.clock());
}

http::Response RevokeIngestionKey(const ApiServices& services, Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "key id");
  if (!id.ok()) return ErrorResponse(id.status());
  Status s = services.ingestion_keys->Revoke(*id);
  if (!s.ok()) return ErrorResponse(s);
  NotifyKeysChanged(services);
  Record(services, call, Kind::kIngestionKeyRevoked, "ingestion key " + std::to_string(*id));
  return Ok("{}");
}

// --- where to send ------------------------------------------------------------

http::Response GetIngestEndpoints(const ApiServices& services, Call&) {
  std::optional<IngestEndpoints> endpoints;
  if (services.ingest_endpoints) endpoints = services.ingest_endpoints();
  if (!endpoints) return http::Response::Error(503, "the OTLP listeners are not running");
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("otlpHttpPort");
    w.Int(endpoints->otlp_http_port);
    w.Key("otlpGrpcPort");
    w.Int(endpoints->otlp_grpc_port);
    w.Key("tls");
    w.Bool(endpoints->tls);
    w.EndObject();
  }));
}

// --- personal keys ----------------------------------------------------------

http::Response ListPersonalKeys(const ApiServices& services, Call& call) {
  auto keys = services.meta->identity().ListPersonalKeys(call.caller->user.id);
  if (!keys.ok()) return ErrorResponse(keys.status());
  return KeyList(*keys, services.clock());
}

http::Response CreatePersonalKey(const ApiServices& services, Call& call) {
  auto name = ReadName(call.request);
  if (!name.ok()) return ErrorResponse(name.status());
  auto created = services.personal_keys->Create(call.caller->user.id, *name);
  if (!created.ok()) return ErrorResponse(created.status());
  Record(services, call, Kind::kPersonalKeyCreated, "personal key " + std::to_string(created->key.id));
  return CreatedKey(created->key, created->raw, services.clock());
}

http::Response RotatePersonalKey(const ApiServices& services, Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "key id");
  if (!id.ok()) return ErrorResponse(id.status());
  auto grace = ReadGrace(call.request);
  if (!grace.ok()) return ErrorResponse(grace.status());
  auto created = services.personal_keys->Rotate(call.caller->user.id, *id, *grace);
  if (!created.ok()) return ErrorResponse(created.status());
  Record(services, call, Kind::kPersonalKeyCreated,
         "personal key " + std::to_string(created->key.id) + " replaces " + std::to_string(*id));
  return CreatedKey(created->key, created->raw, services.clock());
}

http::Response RevokePersonalKey(const ApiServices& services, Call& call) {
  auto id = ParseId(call.request.PathParam("id"), "key id");
  if (!id.ok()) return ErrorResponse(id.status());
  Status s = services.personal_keys->Revoke(call.caller->user.id, *id);
  if (!s.ok()) return ErrorResponse(s);
  Record(services, call, Kind::kPersonalKeyRevoked, "personal key " + std::to_string(*id));
  return Ok("{}");
}

}  // namespace

void AddKeyRoutes(const ApiServices& services, Routes* routes) {
  using meta::Role;
  auto add = [&](http::Method method, const char* pattern, Role role, const char* summary, ServiceHandler handler) {
    routes->push_back(ServiceRoute(method, pattern, Access::kSession, role, summary, services, handler));
  };
  add(http::Method::kGet, "/api/ingestion-keys", Role::kAdmin, "Ingestion keys (never the keys themselves)",
      ListIngestionKeys);
  add(http::Method::kPost, "/api/ingestion-keys", Role::kAdmin, "Create an ingestion key", CreateIngestionKey);
  add(http::Method::kPost, "/api/ingestion-keys/:id/reveal", Role::kAdmin, "Show an ingestion key", RevealIngestionKey);
  add(http::Method::kPost, "/api/ingestion-keys/:id/rotate", Role::kAdmin,
      "Replace an ingestion key; the old one works for a grace period", RotateIngestionKey);
  add(http::Method::kDelete, "/api/ingestion-keys/:id", Role::kAdmin, "Revoke an ingestion key now",
      RevokeIngestionKey);
  add(http::Method::kGet, "/api/ingest-endpoints", Role::kViewer,
      "The OTLP ports senders connect to (and whether they use TLS)", GetIngestEndpoints);
  add(http::Method::kGet, "/api/me/keys", Role::kViewer, "Your personal access keys", ListPersonalKeys);
  add(http::Method::kPost, "/api/me/keys", Role::kViewer, "Create a personal access key", CreatePersonalKey);
  add(http::Method::kPost, "/api/me/keys/:id/rotate", Role::kViewer,
      "Replace a personal access key; the old one works for a grace period", RotatePersonalKey);
  add(http::Method::kDelete, "/api/me/keys/:id", Role::kViewer, "Revoke a personal access key now", RevokePersonalKey);
}

}  // namespace otelstack::api
