// Connections routes (see config_routes.h).
#include <utility>

#include "api/clickhouse_ping.h"
#include "api/config_common.h"
#include "api/config_routes.h"
#include "api/json_body.h"
#include "api/respond.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

using meta::DocumentKind;

constexpr auto kPingTimeout = std::chrono::seconds(2);
constexpr size_t kMaxCredentialBytes = 1024;

// What a POST or PUT body says.
struct ConnectionInput {
  std::string name;
  std::string url;
  std::string username;
  std::optional<std::string> password;  // nullopt: not given
};

StatusOr<std::string> UrlField(const rapidjson::Value& body) {
  // HyperDX calls the URL "host"; either is accepted, "url" wins.
  StatusOr<std::optional<std::string>> url = OptionalString(body, "url");
  if (!url.ok()) return url.status();
  if (!url->has_value()) {
    StatusOr<std::optional<std::string>> host = OptionalString(body, "host");
    if (!host.ok()) return host.status();
    if (!host->has_value()) return Status::InvalidArgument("url: is required");
    url = std::move(host);
  }
  StatusOr<ClickHouseUrl> parsed = ParseClickHouseUrl(**url);
  if (!parsed.ok()) return parsed.status();
  return std::move(**url);
}

StatusOr<std::optional<std::string>> Credential(const rapidjson::Value& body, const char* field) {
  StatusOr<std::optional<std::string>> value = OptionalString(body, field);
  if (!value.ok()) return value.status();
  if (value->has_value() && (*value)->size() > kMaxCredentialBytes) {
    return Status::InvalidArgument(std::string(field) + ": longer than 1024 bytes");
  }
  return value;
}

StatusOr<ConnectionInput> ParseConnectionInput(const rapidjson::Value& body) {
  ConnectionInput input;
  StatusOr<std::optional<std::string>> kind = OptionalString(body, "kind");
  if (!kind.ok()) return kind.status();
  if (kind->has_value() && **kind != kConnectionKindClickHouse) {
    return Status::InvalidArgument("kind: only clickhouse connections can be created");
  }
  StatusOr<std::string> name = RequiredName(body, "name");
  if (!name.ok()) return name.status();
  input.name = std::move(*name);
  StatusOr<std::string> url = UrlField(body);
  if (!url.ok()) return url.status();
  input.url = std::move(*url);
  StatusOr<std::optional<std::string>> username = Credential(body, "username");
  if (!username.ok()) return username.status();
  input.username = username->value_or("");
  StatusOr<std::optional<std::string>> password = Credential(body, "password");
  if (!password.ok()) return password.status();
  input.password = std::move(*password);
  return input;
}

// AlreadyExists if another connection of the team (not `except_id`) has `name`.
Status CheckNameFree(const std::map<int64_t, Connection>& connections, const std::string& name, int64_t except_id) {
  for (const auto& [id, c] : connections) {
    if (id != except_id && c.name == name) {
      return Status::AlreadyExists("name: a connection named \"" + name + "\" already exists");
    }
  }
  return Status::OK();
}

http::Response ConnectionResponse(const Connection& c) {
  return Ok(RenderJson([&](JsonWriter& w) { WriteConnection(w, c); }));
}

// Loads connection :id of the caller's team; NotFound says which.
StatusOr<meta::Document> GetConnectionDoc(const ApiServices& s, const Caller& caller, int64_t id) {
  StatusOr<meta::Document> doc = s.meta->documents().Get(caller.user.team_id, DocumentKind::kConnection, id);
  if (!doc.ok() && doc.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("connection " + std::to_string(id) + " not found");
  }
  return doc;
}

http::Response List(const ApiServices& s, Call& call) {
  StatusOr<std::map<int64_t, Connection>> connections = TeamConnections(s, call.caller->user.team_id);
  if (!connections.ok()) return ErrorResponse(connections.status());
  std::vector<Connection> items;
  for (auto& [id, c] : *connections) items.push_back(c);
  return Ok(RenderList(items, [](JsonWriter& w, const Connection& c) { WriteConnection(w, c); }));
}

http::Response Create(const ApiServices& s, Call& call) {
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<ConnectionInput> input = ParseConnectionInput(body);
  if (!input.ok()) return ErrorResponse(input.status());
  const int64_t team_id = call.caller->user.team_id;
  StatusOr<std::map<int64_t, Connection>> existing = TeamConnections(s, team_id);
  if (!existing.ok()) return ErrorResponse(existing.status());
  Status free = CheckNameFree(*existing, input->name, 0);
  if (!free.ok()) return ErrorResponse(free);

  Connection c;
  c.name = input->name;
  c.url = input->url;
  c.username = input->username;
  meta::Document doc;
  doc.team_id = team_id;
  doc.kind = DocumentKind::kConnection;
  doc.name = c.name;
  doc.json = ConnectionStoredJson(c);
  doc.created_by = call.caller->user.id;
  doc.created_at = doc.updated_at = s.clock();
  StatusOr<meta::Document> inserted = s.meta->documents().Insert(doc);
  if (!inserted.ok()) return ErrorResponse(inserted.status());
  c.id = inserted->id;

  // The sealed password is bound to the document id, known only now.
  if (input->password && !input->password->empty()) {
    StatusOr<std::string> sealed = SealConnectionPassword(s.master_key, team_id, c.id, *input->password);
    Status updated = sealed.status();
    if (sealed.ok()) {
      inserted->sealed_secret = std::move(*sealed);
      updated = s.meta->documents().Update(*inserted);
    }
    if (!updated.ok()) {
      // Do not leave a connection that silently lost its password.
      (void)s.meta->documents().Delete(team_id, DocumentKind::kConnection, c.id);
      return ErrorResponse(updated.WithContext("store the connection password"));
    }
    c.has_password = true;
  }
  return ConnectionResponse(c);
}

http::Response Get(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "connection id");
  if (!id.ok()) return ErrorResponse(id.status());
  StatusOr<meta::Document> doc = GetConnectionDoc(s, *call.caller, *id);
  if (!doc.ok()) return ErrorResponse(doc.status());
  StatusOr<Connection> c = ConnectionFromDocument(*doc);
  if (!c.ok()) return ErrorResponse(c.status());
  return ConnectionResponse(*c);
}

http::Response Update(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "connection id");
  if (!id.ok()) return ErrorResponse(id.status());
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<meta::Document> doc = GetConnectionDoc(s, *call.caller, *id);
  if (!doc.ok()) return ErrorResponse(doc.status());
  StatusOr<Connection> current = ConnectionFromDocument(*doc);
  if (!current.ok()) return ErrorResponse(current.status());
  if (current->embedded) {
    return ErrorResponse(Status::FailedPrecondition("the Embedded connection cannot be changed"));
  }
  StatusOr<ConnectionInput> input = ParseConnectionInput(body);
  if (!input.ok()) return ErrorResponse(input.status());
  StatusOr<std::map<int64_t, Connection>> existing = TeamConnections(s, call.caller->user.team_id);
  if (!existing.ok()) return ErrorResponse(existing.status());
  Status free = CheckNameFree(*existing, input->name, *id);
  if (!free.ok()) return ErrorResponse(free);

  Connection c = *current;
  c.name = input->name;
  c.url = input->url;
  c.username = input->username;
  doc->name = c.name;
  doc->json = ConnectionStoredJson(c);
  doc->updated_at = s.clock();
  if (input->password) {
    if (input->password->empty()) {
      doc->sealed_secret.clear();
    } else {
      StatusOr<std::string> sealed = SealConnectionPassword(s.master_key, doc->team_id, doc->id, *input->password);
      if (!sealed.ok()) return ErrorResponse(sealed.status());
      doc->sealed_secret = std::move(*sealed);
    }
  }
  c.has_password = !doc->sealed_secret.empty();
  Status updated = s.meta->documents().Update(*doc);
  if (!updated.ok()) return ErrorResponse(updated);
  return ConnectionResponse(c);
}

http::Response Delete(const ApiServices& s, Call& call) {
  StatusOr<int64_t> id = PathId(call, "connection id");
  if (!id.ok()) return ErrorResponse(id.status());
  const int64_t team_id = call.caller->user.team_id;
  StatusOr<meta::Document> doc = GetConnectionDoc(s, *call.caller, *id);
  if (!doc.ok()) return ErrorResponse(doc.status());
  StatusOr<Connection> c = ConnectionFromDocument(*doc);
  if (!c.ok()) return ErrorResponse(c.status());
  if (c->embedded) return ErrorResponse(Status::FailedPrecondition("the Embedded connection cannot be deleted"));
  // Sources are checked as stored (also ones the caller could not see).
  StatusOr<std::vector<meta::Document>> sources = s.meta->documents().List(team_id, DocumentKind::kSource);
  if (!sources.ok()) return ErrorResponse(sources.status());
  for (const meta::Document& source_doc : *sources) {
    StatusOr<Source> source = ParseSource(source_doc.json);
    if (source.ok() && source->connection_id == *id) {
      return ErrorResponse(Status::FailedPrecondition("connection " + c->name + " is used by source \"" + source->name +
                                                      "\" (id " + std::to_string(source_doc.id) +
                                                      "); delete or move that source first"));
    }
  }
  Status deleted = s.meta->documents().Delete(team_id, DocumentKind::kConnection, *id);
  if (!deleted.ok()) return ErrorResponse(deleted);
  return DeletedResponse();
}

http::Response Test(const ApiServices& s, Call& call) {
  rapidjson::Document body;
  if (auto error = ReadConfigBody(call.request, &body)) return *error;
  StatusOr<std::string> url_text = UrlField(body);
  if (!url_text.ok()) return ErrorResponse(url_text.status());
  StatusOr<ClickHouseUrl> url = ParseClickHouseUrl(*url_text);
  if (!url.ok()) return ErrorResponse(url.status());
  StatusOr<std::optional<std::string>> username = Credential(body, "username");
  if (!username.ok()) return ErrorResponse(username.status());
  StatusOr<std::optional<std::string>> password = Credential(body, "password");
  if (!password.ok()) return ErrorResponse(password.status());

  PingOptions options;
  options.username = username->value_or("");
  options.password = password->value_or("");
  options.timeout = kPingTimeout;
  Status ping = PingClickHouse(*url, options);
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("ok");
    w.Bool(ping.ok());
    if (!ping.ok()) WriteStringField(w, "error", ping.message());
    w.EndObject();
  }));
}

Route AdminRoute(const ApiServices& services, http::Method method, std::string pattern, std::string summary,
                 ConfigHandler handler) {
  return MakeConfigRoute(services, method, std::move(pattern), Access::kSession, meta::Role::kAdmin, std::move(summary),
                         handler);
}

}  // namespace

void AddConnectionRoutes(const ApiServices& services, Routes* routes) {
  using http::Method;
  routes->push_back(AdminRoute(services, Method::kGet, "/api/connections", "List the team's connections", List));
  routes->push_back(AdminRoute(services, Method::kPost, "/api/connections", "Create a ClickHouse connection", Create));
  routes->push_back(AdminRoute(services, Method::kGet, "/api/connections/:id", "Get a connection", Get));
  routes->push_back(AdminRoute(services, Method::kPut, "/api/connections/:id", "Update a connection", Update));
  routes->push_back(AdminRoute(services, Method::kDelete, "/api/connections/:id", "Delete a connection", Delete));
  routes->push_back(
      AdminRoute(services, Method::kPost, "/api/connections/test", "Test a ClickHouse connection (SELECT 1)", Test));
}

void AddConfigRoutes(const ApiServices& services, Routes* routes) {
  AddConnectionRoutes(services, routes);
  AddSourceRoutes(services, routes);
  AddSavedSearchRoutes(services, routes);
  AddDashboardRoutes(services, routes);
}

}  // namespace otelstack::api
