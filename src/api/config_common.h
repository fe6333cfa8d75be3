// What the configuration routes (config_routes.h) share: size bounds, name
// and tag fields, and the team's sources as a caller may see them.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/connection_model.h"
#include "api/json_out.h"
#include "api/route.h"
#include "api/services.h"
#include "api/source_model.h"
#include "common/status.h"

namespace otelstack::api {

inline constexpr size_t kMaxConfigBodyBytes = 1 << 20;  // one document
inline constexpr size_t kMaxConfigNameBytes = 200;
inline constexpr size_t kMaxConfigTextBytes = 16 * 1024;  // where clauses, expressions
inline constexpr size_t kMaxTags = 50;
inline constexpr size_t kMaxTagBytes = 100;

// Parses the request body as one JSON object: 413 when it is larger than
// kMaxConfigBodyBytes, 400 when it is not an object. nullopt on success.
std::optional<http::Response> ReadConfigBody(const http::Request& request, rapidjson::Document* out);

// A required, non-empty name of at most kMaxConfigNameBytes.
StatusOr<std::string> RequiredName(const rapidjson::Value& object, const char* field);
// An optional string of at most kMaxConfigTextBytes ("" when missing).
StatusOr<std::string> OptionalText(const rapidjson::Value& object, const char* field);
// "lucene" (the default when missing) or "sql".
StatusOr<std::string> OptionalQueryLanguage(const rapidjson::Value& object, const char* field);
// An optional array of strings, bounded by kMaxTags and kMaxTagBytes.
StatusOr<std::vector<std::string>> OptionalTags(const rapidjson::Value& object, const char* field);
void WriteTags(JsonWriter& w, const std::vector<std::string>& tags);
void WriteStringField(JsonWriter& w, const char* key, const std::string& value);

// The :id path parameter ("<what>: not a valid id" otherwise).
StatusOr<int64_t> PathId(const Call& call, std::string_view what);

// The team's connections by id.
StatusOr<std::map<int64_t, Connection>> TeamConnections(const ApiServices& services, int64_t team_id);

// True for a source reading the audit log: the Embedded connection's
// otelstack_audit table. Only admins see those.
bool IsAuditSource(const Source& source, const std::map<int64_t, Connection>& connections);

// The team's sources the caller may see (audit sources only for admins), by
// ascending id. Documents that no longer parse are skipped (and logged).
StatusOr<std::vector<Source>> VisibleSources(const ApiServices& services, const Caller& caller);

// Source `id` if the caller may see it; NotFound ("source <id> not found")
// otherwise, also for an audit source and a non-admin.
StatusOr<Source> VisibleSource(const ApiServices& services, const Caller& caller, int64_t id);

// {"data":[...]} with `write_item` called for each element.
template <class T, class WriteItem>
std::string RenderList(const std::vector<T>& items, WriteItem write_item) {
  return RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("data");
    w.StartArray();
    for (const T& item : items) write_item(w, item);
    w.EndArray();
    w.EndObject();
  });
}

// 200 {} — what DELETE returns.
http::Response DeletedResponse();

// A Route whose handler calls `handler` with `services`.
using ConfigHandler = http::Response (*)(const ApiServices& services, Call& call);
Route MakeConfigRoute(const ApiServices& services, http::Method method, std::string pattern, Access access,
                      meta::Role role, std::string summary, ConfigHandler handler);

}  // namespace otelstack::api
