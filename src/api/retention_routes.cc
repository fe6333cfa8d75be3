#include "api/retention_routes.h"

#include <optional>

#include "api/json_body.h"
#include "api/json_out.h"
#include "api/respond.h"
#include "meta/meta_store.h"
#include "store/schema/schema.h"

namespace otelstack::api {

namespace {

StatusOr<std::string> SignalParam(const Call& call) {
  std::string_view name = call.request.PathParam("signal");
  for (Signal signal : kAllSignals) {
    if (SignalName(signal) == name) return std::string(name);
  }
  return Status::NotFound("no such signal: use logs, traces or metrics");
}

http::Response GetRetention(const ApiServices& services, Call&) {
  meta::RetentionSettingsRepository& settings = services.meta->retention_settings();
  auto configured = settings.ListServerRetention();
  if (!configured.ok()) return ErrorResponse(configured.status());
  auto overrides = settings.ListOverrides();
  if (!overrides.ok()) return ErrorResponse(overrides.status());
  return Ok(RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("signals");
    w.StartArray();
    for (Signal signal : kAllSignals) {
      std::string name(SignalName(signal));
      // What the server was started with (recorded at its start), else the default.
      std::chrono::seconds configured_value = meta::kDefaultRetention;
      std::string source = "default";
      for (const meta::ServerRetention& c : *configured) {
        if (c.signal == name) configured_value = c.retention, source = c.source;
      }
      std::optional<std::chrono::seconds> override_value;
      for (const meta::RetentionOverride& o : *overrides) {
        if (o.signal == name) override_value = o.retention;
      }
      w.StartObject();
      w.Key("signal");
      w.String(name.c_str());
      w.Key("configuredSeconds");
      w.Int64(configured_value.count());
      w.Key("configuredSource");
      w.String(source.c_str());
      w.Key("overrideSeconds");
      if (override_value) {
        w.Int64(override_value->count());
      } else {
        w.Null();
      }
      w.Key("effectiveSeconds");
      w.Int64(override_value.value_or(configured_value).count());
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }));
}

http::Response SetRetention(const ApiServices& services, Call& call) {
  auto signal = SignalParam(call);
  if (!signal.ok()) return ErrorResponse(signal.status());
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  auto seconds = OptionalInt(body, "seconds");
  if (!seconds.ok()) return ErrorResponse(seconds.status());
  if (!*seconds || **seconds < 0) return http::Response::Error(400, "seconds: required, 0 (keep forever) or >= 60");
  std::chrono::seconds retention(**seconds);
  s = meta::ValidateRetention(retention);
  if (!s.ok()) return ErrorResponse(s);
  s = services.meta->retention_settings().SetOverride(*signal, retention, services.clock());
  if (!s.ok()) return ErrorResponse(s);
  return GetRetention(services, call);
}

http::Response ClearRetention(const ApiServices& services, Call& call) {
  auto signal = SignalParam(call);
  if (!signal.ok()) return ErrorResponse(signal.status());
  Status s = services.meta->retention_settings().ClearOverride(*signal);
  if (!s.ok()) return ErrorResponse(s);
  return GetRetention(services, call);
}

}  // namespace

void AddRetentionRoutes(const ApiServices& services, Routes* routes) {
  using meta::Role;
  routes->push_back(ServiceRoute(http::Method::kGet, "/api/team/retention", Access::kSession, Role::kAdmin,
                                 "Retention per signal: configured, override, effective", services, GetRetention));
  routes->push_back(ServiceRoute(http::Method::kPut, "/api/team/retention/:signal", Access::kSession, Role::kAdmin,
                                 "Override a signal's retention (0 keeps forever)", services, SetRetention));
  routes->push_back(ServiceRoute(http::Method::kDelete, "/api/team/retention/:signal", Access::kSession, Role::kAdmin,
                                 "Remove a signal's retention override", services, ClearRetention));
}

}  // namespace otelstack::api
