#include "api/config_common.h"

#include <spdlog/spdlog.h>

#include "api/json_body.h"
#include "api/respond.h"
#include "meta/meta_store.h"

namespace otelstack::api {

std::optional<http::Response> ReadConfigBody(const http::Request& request, rapidjson::Document* out) {
  if (request.body.size() > kMaxConfigBodyBytes) {
    return http::Response::Error(413, "request body: larger than 1 MiB");
  }
  Status parsed = ParseJsonObject(request.body, out);
  if (!parsed.ok()) return ErrorResponse(parsed);
  return std::nullopt;
}

StatusOr<std::string> RequiredName(const rapidjson::Value& object, const char* field) {
  StatusOr<std::string> name = RequiredString(object, field);
  if (!name.ok()) return name.status();
  if (name->empty()) return Status::InvalidArgument(std::string(field) + ": must not be empty");
  if (name->size() > kMaxConfigNameBytes)
    return Status::InvalidArgument(std::string(field) + ": longer than 200 bytes");
  return name;
}

StatusOr<std::string> OptionalText(const rapidjson::Value& object, const char* field) {
  StatusOr<std::optional<std::string>> text = OptionalString(object, field);
  if (!text.ok()) return text.status();
  if (text->has_value() && (*text)->size() > kMaxConfigTextBytes) {
    return Status::InvalidArgument(std::string(field) + ": longer than 16 KiB");
  }
  return text->value_or("");
}

StatusOr<std::string> OptionalQueryLanguage(const rapidjson::Value& object, const char* field) {
  StatusOr<std::optional<std::string>> language = OptionalString(object, field);
  if (!language.ok()) return language.status();
  std::string value = language->value_or("lucene");
  if (value != "lucene" && value != "sql")
    return Status::InvalidArgument(std::string(field) + ": must be lucene or sql");
  return value;
}

StatusOr<std::vector<std::string>> OptionalTags(const rapidjson::Value& object, const char* field) {
  std::vector<std::string> tags;
  auto it = object.FindMember(field);
  if (it == object.MemberEnd() || it->value.IsNull()) return tags;
  if (!it->value.IsArray()) return Status::InvalidArgument(std::string(field) + ": must be an array of strings");
  if (it->value.Size() > kMaxTags) return Status::InvalidArgument(std::string(field) + ": more than 50 tags");
  for (const rapidjson::Value& tag : it->value.GetArray()) {
    if (!tag.IsString()) return Status::InvalidArgument(std::string(field) + ": must be an array of strings");
    if (tag.GetStringLength() > kMaxTagBytes) {
      return Status::InvalidArgument(std::string(field) + ": a tag is longer than 100 bytes");
    }
    tags.emplace_back(tag.GetString(), tag.GetStringLength());
  }
  return tags;
}

void WriteTags(JsonWriter& w, const std::vector<std::string>& tags) {
  w.Key("tags");
  w.StartArray();
  for (const std::string& tag : tags) w.String(tag.c_str(), tag.size());
  w.EndArray();
}

void WriteStringField(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), value.size());
}

StatusOr<int64_t> PathId(const Call& call, std::string_view what) {
  return ParseId(call.request.PathParam("id"), what);
}

StatusOr<std::map<int64_t, Connection>> TeamConnections(const ApiServices& services, int64_t team_id) {
  StatusOr<std::vector<meta::Document>> docs =
      services.meta->documents().List(team_id, meta::DocumentKind::kConnection);
  if (!docs.ok()) return docs.status();
  std::map<int64_t, Connection> connections;
  for (const meta::Document& doc : *docs) {
    StatusOr<Connection> connection = ConnectionFromDocument(doc);
    if (!connection.ok()) {
      spdlog::warn("api: skipping {}", connection.status().ToString());
      continue;
    }
    connections.emplace(doc.id, std::move(*connection));
  }
  return connections;
}

bool IsAuditSource(const Source& source, const std::map<int64_t, Connection>& connections) {
  auto it = connections.find(source.connection_id);
  return it != connections.end() && it->second.embedded && source.table == kAuditTable;
}

StatusOr<std::vector<Source>> VisibleSources(const ApiServices& services, const Caller& caller) {
  const int64_t team_id = caller.user.team_id;
  StatusOr<std::map<int64_t, Connection>> connections = TeamConnections(services, team_id);
  if (!connections.ok()) return connections.status();
  StatusOr<std::vector<meta::Document>> docs = services.meta->documents().List(team_id, meta::DocumentKind::kSource);
  if (!docs.ok()) return docs.status();
  std::vector<Source> sources;
  for (const meta::Document& doc : *docs) {
    StatusOr<Source> source = ParseSource(doc.json);
    if (!source.ok()) {
      spdlog::warn("api: skipping source {}: {}", doc.id, source.status().ToString());
      continue;
    }
    source->id = doc.id;
    if (caller.user.role != meta::Role::kAdmin && IsAuditSource(*source, *connections)) continue;
    sources.push_back(std::move(*source));
  }
  return sources;
}

StatusOr<Source> VisibleSource(const ApiServices& services, const Caller& caller, int64_t id) {
  const int64_t team_id = caller.user.team_id;
  StatusOr<meta::Document> doc = services.meta->documents().Get(team_id, meta::DocumentKind::kSource, id);
  if (!doc.ok()) {
    if (doc.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("source " + std::to_string(id) + " not found");
    }
    return doc.status();
  }
  StatusOr<Source> source = ParseSource(doc->json);
  if (!source.ok()) return Status::Corruption("source " + std::to_string(id) + ": " + source.status().message());
  source->id = doc->id;
  if (caller.user.role != meta::Role::kAdmin) {
    StatusOr<std::map<int64_t, Connection>> connections = TeamConnections(services, team_id);
    if (!connections.ok()) return connections.status();
    if (IsAuditSource(*source, *connections)) return Status::NotFound("source " + std::to_string(id) + " not found");
  }
  return source;
}

http::Response DeletedResponse() { return Ok("{}"); }

Route MakeConfigRoute(const ApiServices& services, http::Method method, std::string pattern, Access access,
                      meta::Role role, std::string summary, ConfigHandler handler) {
  Route route;
  route.method = method;
  route.pattern = std::move(pattern);
  route.access = access;
  route.role = role;
  route.summary = std::move(summary);
  const ApiServices* s = &services;
  route.handler = [s, handler](Call& call) { return handler(*s, call); };
  return route;
}

}  // namespace otelstack::api
