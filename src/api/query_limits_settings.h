// Per-role query limits of a team: how much one query of a viewer, an editor
// or an admin may read and for how long (ClickHouse's setting names, as in
// query/execution/limits.h).
//
// Stored as the team setting "query_limits" (IdentityRepository), JSON:
//   {"viewer":{"max_rows_to_read":1000000,"read_overflow_mode":"break",
//              "max_execution_time":30,"timeout_overflow_mode":"throw"},
//    "editor":{...}, "admin":{...}}
// Every role and every field is optional. A missing role uses the server's
// defaults (ApiOptions::query_defaults); within a role, a missing or zero
// amount falls back to the default amount, a missing mode is "throw".
// max_execution_time is in seconds (fractions allowed). Whatever is stored,
// a query never exceeds ApiOptions::query_ceiling (EffectiveLimits).
//
// Routes (admin, session only):
//   GET /api/team/query-settings  -> {"settings":<stored, as above>,
//                                     "effective":{"viewer":{...},"editor":{...},"admin":{...}}}
//   PUT /api/team/query-settings  body: the settings object; replaces it and
//                                 answers like GET. 400 naming the bad field.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/route.h"
#include "api/services.h"
#include "common/status.h"
#include "meta/identity_repository.h"
#include "query/execution/limits.h"

namespace otelstack::api {

inline constexpr char kQueryLimitsSetting[] = "query_limits";

// Upper bound accepted for max_execution_time, in seconds (one day).
inline constexpr double kMaxExecutionTimeSeconds = 86400;

struct QueryLimitsSettings {
  // Indexed by static_cast<size_t>(meta::Role); nullopt: server defaults.
  std::array<std::optional<query::QueryLimits>, 3> by_role;

  const std::optional<query::QueryLimits>& For(meta::Role role) const { return by_role[static_cast<size_t>(role)]; }
};

// Parses and validates the JSON form. InvalidArgument naming the field
// ("viewer.read_overflow_mode: must be \"throw\" or \"break\"") on error;
// unknown roles and fields are errors (a typo must not silently do nothing).
StatusOr<QueryLimitsSettings> ParseQueryLimitsSettings(std::string_view json);
// The JSON form (only the roles that are set; every field of a set role).
std::string QueryLimitsSettingsJson(const QueryLimitsSettings& settings);
// One QueryLimits as a JSON object (cancel flag excluded).
std::string QueryLimitsJson(const query::QueryLimits& limits);

// The team's stored settings (empty when never set).
StatusOr<QueryLimitsSettings> LoadQueryLimitsSettings(const ApiServices& services, int64_t team_id);

// The limits a query of a `role` member of `team_id` runs with:
// EffectiveLimits(role settings or options.query_defaults,
// options.query_defaults, options.query_ceiling). The cancel flag is left
// null: the caller sets it (e.g. to the request's `cancelled`).
StatusOr<query::QueryLimits> LimitsFor(const ApiServices& services, int64_t team_id, meta::Role role);

// GET and PUT /api/team/query-settings.
void AddQueryLimitsRoutes(const ApiServices& services, Routes* routes);

}  // namespace otelstack::api
