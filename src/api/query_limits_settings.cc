#include "api/query_limits_settings.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "api/json_body.h"
#include "api/respond.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

constexpr meta::Role kRoles[] = {meta::Role::kViewer, meta::Role::kEditor, meta::Role::kAdmin};

StatusOr<query::OverflowMode> ParseMode(const rapidjson::Value& v, const std::string& field) {
  if (v.IsString()) {
    std::string_view s(v.GetString(), v.GetStringLength());
    if (s == "throw") return query::OverflowMode::kThrow;
    if (s == "break") return query::OverflowMode::kBreak;
  }
  return Status::InvalidArgument(field + ": must be \"throw\" or \"break\"");
}

StatusOr<query::QueryLimits> ParseRoleLimits(const rapidjson::Value& object, const std::string& role) {
  if (!object.IsObject()) return Status::InvalidArgument(role + ": must be an object");
  query::QueryLimits limits;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    std::string field = role + "." + name;
    const rapidjson::Value& v = it->value;
    if (v.IsNull()) continue;  // same as absent
    if (name == "max_rows_to_read") {
      if (!v.IsUint64()) return Status::InvalidArgument(field + ": must be a non-negative integer");
      limits.max_rows_to_read = v.GetUint64();
    } else if (name == "max_execution_time") {
      if (!v.IsNumber() || !std::isfinite(v.GetDouble()) || v.GetDouble() < 0 ||
          v.GetDouble() > kMaxExecutionTimeSeconds) {
        return Status::InvalidArgument(field + ": must be a number of seconds from 0 to " +
                                       std::to_string(static_cast<int64_t>(kMaxExecutionTimeSeconds)));
      }
      limits.max_execution_time = std::chrono::milliseconds(std::llround(v.GetDouble() * 1000));
    } else if (name == "read_overflow_mode") {
      auto mode = ParseMode(v, field);
      if (!mode.ok()) return mode.status();
      limits.read_overflow_mode = *mode;
    } else if (name == "timeout_overflow_mode") {
      auto mode = ParseMode(v, field);
      if (!mode.ok()) return mode.status();
      limits.timeout_overflow_mode = *mode;
    } else {
      return Status::InvalidArgument(field +
                                     ": unknown setting (known: max_rows_to_read, read_overflow_mode, "
                                     "max_execution_time, timeout_overflow_mode)");
    }
  }
  return limits;
}

void WriteLimits(const query::QueryLimits& limits, rapidjson::Writer<rapidjson::StringBuffer>* w) {
  auto mode = [](query::OverflowMode m) { return m == query::OverflowMode::kBreak ? "break" : "throw"; };
  w->StartObject();
  w->Key("max_rows_to_read");
  w->Uint64(limits.max_rows_to_read);
  w->Key("read_overflow_mode");
  w->String(mode(limits.read_overflow_mode));
  w->Key("max_execution_time");
  int64_t ms = limits.max_execution_time.count();
  if (ms % 1000 == 0) {
    w->Int64(ms / 1000);
  } else {
    w->Double(static_cast<double>(ms) / 1000.0);
  }
  w->Key("timeout_overflow_mode");
  w->String(mode(limits.timeout_overflow_mode));
  w->EndObject();
}

// {"settings":..., "effective":...} for GET and PUT.
StatusOr<std::string> SettingsResponseJson(const ApiServices& services, int64_t team_id,
                                           const QueryLimitsSettings& settings) {
  std::string out = "{\"settings\":" + QueryLimitsSettingsJson(settings) + ",\"effective\":{";
  bool first = true;
  for (meta::Role role : kRoles) {
    auto limits = LimitsFor(services, team_id, role);
    if (!limits.ok()) return limits.status();
    if (!first) out += ",";
    first = false;
    out.append(1, '"').append(meta::RoleName(role)).append("\":").append(QueryLimitsJson(*limits));
  }
  out += "}}";
  return out;
}

}  // namespace

StatusOr<QueryLimitsSettings> ParseQueryLimitsSettings(std::string_view json) {
  rapidjson::Document doc;
  Status s = ParseJsonObject(json, &doc);
  if (!s.ok()) return s;
  QueryLimitsSettings settings;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    std::optional<meta::Role> role = meta::ParseRole(name);
    if (!role) return Status::InvalidArgument(name + ": unknown role (known: viewer, editor, admin)");
    if (it->value.IsNull()) continue;
    auto limits = ParseRoleLimits(it->value, name);
    if (!limits.ok()) return limits.status();
    settings.by_role[static_cast<size_t>(*role)] = *limits;
  }
  return settings;
}

std::string QueryLimitsJson(const query::QueryLimits& limits) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  WriteLimits(limits, &writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string QueryLimitsSettingsJson(const QueryLimitsSettings& settings) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  for (meta::Role role : kRoles) {
    if (!settings.For(role)) continue;
    std::string_view name = meta::RoleName(role);
    writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    WriteLimits(*settings.For(role), &writer);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

StatusOr<QueryLimitsSettings> LoadQueryLimitsSettings(const ApiServices& services, int64_t team_id) {
  if (services.meta == nullptr) return Status::Unavailable("metadata store not available");
  auto stored = services.meta->identity().GetTeamSetting(team_id, kQueryLimitsSetting);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return QueryLimitsSettings{};
  auto settings = ParseQueryLimitsSettings(**stored);
  // Only validated settings are ever stored, so a parse failure means the
  // database was edited by hand or a newer version wrote it.
  if (!settings.ok()) return Status::Internal("stored query_limits setting: " + settings.status().message());
  return settings;
}

StatusOr<query::QueryLimits> LimitsFor(const ApiServices& services, int64_t team_id, meta::Role role) {
  auto settings = LoadQueryLimitsSettings(services, team_id);
  if (!settings.ok()) return settings.status();
  const query::QueryLimits& defaults = services.options.query_defaults;
  const std::optional<query::QueryLimits>& own = settings->For(role);
  query::QueryLimits limits = query::EffectiveLimits(own ? *own : defaults, defaults, services.options.query_ceiling);
  limits.cancelled = nullptr;
  return limits;
}

void AddQueryLimitsRoutes(const ApiServices& services, Routes* routes) {
  const ApiServices* svc = &services;
  routes->push_back(Route{http::Method::kGet, "/api/team/query-settings", Access::kSession, meta::Role::kAdmin,
                          "Per-role query limits of the team (stored and effective)", [svc](Call& call) {
                            int64_t team_id = call.caller->user.team_id;
                            auto settings = LoadQueryLimitsSettings(*svc, team_id);
                            if (!settings.ok()) return ErrorResponse(settings.status());
                            auto json = SettingsResponseJson(*svc, team_id, *settings);
                            if (!json.ok()) return ErrorResponse(json.status());
                            return Ok(std::move(*json));
                          }});
  routes->push_back(Route{http::Method::kPut, "/api/team/query-settings", Access::kSession, meta::Role::kAdmin,
                          "Replace the per-role query limits of the team", [svc](Call& call) {
                            int64_t team_id = call.caller->user.team_id;
                            auto settings = ParseQueryLimitsSettings(call.request.body);
                            if (!settings.ok()) return ErrorResponse(settings.status());
                            if (svc->meta == nullptr)
                              return ErrorResponse(Status::Unavailable("metadata store not available"));
                            Status s = svc->meta->identity().SetTeamSetting(team_id, kQueryLimitsSetting,
                                                                            QueryLimitsSettingsJson(*settings));
                            if (!s.ok()) return ErrorResponse(s);
                            auto json = SettingsResponseJson(*svc, team_id, *settings);
                            if (!json.ok()) return ErrorResponse(json.status());
                            return Ok(std::move(*json));
                          }});
}

}  // namespace otelstack::api
