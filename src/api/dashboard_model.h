// Dashboards: HyperDX's shape, parsed into a normalized form with bounded
// sizes, and rendered back (unknown members are dropped).
//
//   {"id","name","tags":[...],
//    "tiles":[{"id","x","y","w","h",
//              "config":{"name","source","select":[{"aggFn","valueExpression","aggCondition",
//                                                    "aggConditionLanguage","alias"?,"level"?}],
//                        "where","whereLanguage","groupBy","displayType","granularity"?,
//                        "markdown"?}}]}
//
// "select" may also be a string (a search tile's column list). A tile's
// "source" is kept as text: a source id in dashboards, a source name in
// exports ({"version":1,"name","tiles","tags"}); the routes resolve it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/json_out.h"
#include "common/status.h"

namespace otelstack::api {

inline constexpr size_t kMaxTiles = 200;
inline constexpr size_t kMaxTileSelects = 20;
inline constexpr int64_t kDashboardExportVersion = 1;

struct TileSelect {
  std::string agg_fn;
  std::string value_expression;
  std::string agg_condition;
  std::string agg_condition_language;  // lucene | sql
  std::string alias;                   // empty: none
  std::optional<double> level;         // quantile level
};

struct TileConfig {
  std::string name;
  std::string source;  // id text (dashboards) or name (exports); empty: none
  bool select_is_text = false;
  std::string select_text;
  std::vector<TileSelect> select;
  std::string where;
  std::string where_language;
  std::string group_by;
  std::string display_type;  // line | stacked_bar | table | number | search | markdown
  std::string granularity;   // empty: not set (auto)
  std::string markdown;      // markdown tiles
};

struct Tile {
  std::string id;
  int64_t x = 0, y = 0, w = 6, h = 4;
  TileConfig config;
};

struct Dashboard {
  int64_t id = 0;  // 0: left out of the rendering (stored json, exports)
  std::string name;
  std::vector<Tile> tiles;
  std::vector<std::string> tags;
};

// InvalidArgument naming the field ("tiles[3].config.displayType: ...").
StatusOr<Dashboard> ParseDashboard(const rapidjson::Value& object);

// The API (and stored) representation.
void WriteDashboard(JsonWriter& w, const Dashboard& dashboard);
std::string DashboardJson(const Dashboard& dashboard);

// The export document; tiles' `source` must already hold source names.
std::string DashboardExportJson(const Dashboard& dashboard);
// Parses an export document (checks "version"); tiles' `source` holds names.
StatusOr<Dashboard> ParseDashboardExport(const rapidjson::Value& object);

}  // namespace otelstack::api
