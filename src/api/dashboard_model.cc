#include "api/dashboard_model.h"

#include <utility>

#include "api/config_common.h"
#include "api/json_body.h"

namespace otelstack::api {

namespace {

constexpr size_t kMaxShortText = 200;  // ids, aggregate names, granularity
constexpr int64_t kMaxGridCoordinate = 10000;
constexpr const char* kDisplayTypes[] = {"line", "stacked_bar", "table", "number", "search", "markdown"};

// Field errors carry the path: "tiles[2].config.where: ...".
Status At(const std::string& path, const Status& status) { return status.WithContext(path); }

StatusOr<std::string> ShortText(const rapidjson::Value& object, const char* field) {
  StatusOr<std::optional<std::string>> text = OptionalString(object, field);
  if (!text.ok()) return text.status();
  if (text->has_value() && (*text)->size() > kMaxShortText) {
    return Status::InvalidArgument(std::string(field) + ": longer than 200 bytes");
  }
  return text->value_or("");
}

StatusOr<int64_t> GridNumber(const rapidjson::Value& object, const char* field, int64_t fallback, int64_t min) {
  StatusOr<std::optional<int64_t>> value = OptionalInt(object, field);
  if (!value.ok()) return value.status();
  int64_t v = value->value_or(fallback);
  if (v < min || v > kMaxGridCoordinate) {
    return Status::InvalidArgument(std::string(field) + ": must be " + std::to_string(min) + " to " +
                                   std::to_string(kMaxGridCoordinate));
  }
  return v;
}

StatusOr<TileSelect> ParseSelect(const rapidjson::Value& item) {
  if (!item.IsObject()) return Status::InvalidArgument("must be an object");
  TileSelect select;
  StatusOr<std::string> agg_fn = ShortText(item, "aggFn");
  if (!agg_fn.ok()) return agg_fn.status();
  select.agg_fn = std::move(*agg_fn);
  StatusOr<std::string> value = OptionalText(item, "valueExpression");
  if (!value.ok()) return value.status();
  select.value_expression = std::move(*value);
  StatusOr<std::string> condition = OptionalText(item, "aggCondition");
  if (!condition.ok()) return condition.status();
  select.agg_condition = std::move(*condition);
  StatusOr<std::string> language = OptionalQueryLanguage(item, "aggConditionLanguage");
  if (!language.ok()) return language.status();
  select.agg_condition_language = std::move(*language);
  StatusOr<std::string> alias = ShortText(item, "alias");
  if (!alias.ok()) return alias.status();
  select.alias = std::move(*alias);
  StatusOr<std::optional<double>> level = OptionalNumber(item, "level");
  if (!level.ok()) return level.status();
  if (level->has_value() && !(**level >= 0 && **level <= 1)) {
    return Status::InvalidArgument("level: must be between 0 and 1");
  }
  select.level = *level;
  return select;
}

StatusOr<TileConfig> ParseConfig(const rapidjson::Value& object) {
  TileConfig config;
  StatusOr<std::string> name = ShortText(object, "name");
  if (!name.ok()) return name.status();
  config.name = std::move(*name);
  StatusOr<std::string> source = ShortText(object, "source");
  if (!source.ok()) return source.status();
  config.source = std::move(*source);

  auto select = object.FindMember("select");
  if (select != object.MemberEnd() && select->value.IsString()) {
    StatusOr<std::string> text = OptionalText(object, "select");
    if (!text.ok()) return text.status();
    config.select_is_text = true;
    config.select_text = std::move(*text);
  } else if (select != object.MemberEnd() && select->value.IsArray()) {
    if (select->value.Size() > kMaxTileSelects) return Status::InvalidArgument("select: more than 20 items");
    for (rapidjson::SizeType i = 0; i < select->value.Size(); ++i) {
      StatusOr<TileSelect> item = ParseSelect(select->value[i]);
      if (!item.ok()) return At("select[" + std::to_string(i) + "]", item.status());
      config.select.push_back(std::move(*item));
    }
  } else if (select != object.MemberEnd() && !select->value.IsNull()) {
    return Status::InvalidArgument("select: must be an array or a string");
  }

  StatusOr<std::string> where = OptionalText(object, "where");
  if (!where.ok()) return where.status();
  config.where = std::move(*where);
  StatusOr<std::string> language = OptionalQueryLanguage(object, "whereLanguage");
  if (!language.ok()) return language.status();
  config.where_language = std::move(*language);
  StatusOr<std::string> group_by = OptionalText(object, "groupBy");
  if (!group_by.ok()) return group_by.status();
  config.group_by = std::move(*group_by);

  StatusOr<std::optional<std::string>> display = OptionalString(object, "displayType");
  if (!display.ok()) return display.status();
  config.display_type = display->value_or("line");
  bool known = false;
  for (const char* type : kDisplayTypes) known = known || config.display_type == type;
  if (!known) {
    return Status::InvalidArgument("displayType: must be one of line, stacked_bar, table, number, search, markdown");
  }
  StatusOr<std::string> granularity = ShortText(object, "granularity");
  if (!granularity.ok()) return granularity.status();
  config.granularity = std::move(*granularity);
  StatusOr<std::string> markdown = OptionalText(object, "markdown");
  if (!markdown.ok()) return markdown.status();
  config.markdown = std::move(*markdown);
  return config;
}

StatusOr<Tile> ParseTile(const rapidjson::Value& object, size_t index) {
  if (!object.IsObject()) return Status::InvalidArgument("must be an object");
  Tile tile;
  StatusOr<std::string> id = ShortText(object, "id");
  if (!id.ok()) return id.status();
  tile.id = id->empty() ? "tile-" + std::to_string(index) : std::move(*id);
  StatusOr<int64_t> x = GridNumber(object, "x", 0, 0);
  if (!x.ok()) return x.status();
  StatusOr<int64_t> y = GridNumber(object, "y", 0, 0);
  if (!y.ok()) return y.status();
  StatusOr<int64_t> w = GridNumber(object, "w", 6, 1);
  if (!w.ok()) return w.status();
  StatusOr<int64_t> h = GridNumber(object, "h", 4, 1);
  if (!h.ok()) return h.status();
  tile.x = *x;
  tile.y = *y;
  tile.w = *w;
  tile.h = *h;
  auto config = object.FindMember("config");
  if (config == object.MemberEnd() || config->value.IsNull()) return Status::InvalidArgument("config: is required");
  if (!config->value.IsObject()) return Status::InvalidArgument("config: must be an object");
  StatusOr<TileConfig> parsed = ParseConfig(config->value);
  if (!parsed.ok()) return At("config", parsed.status());
  tile.config = std::move(*parsed);
  return tile;
}

void WriteTile(JsonWriter& w, const Tile& tile) {
  w.StartObject();
  WriteStringField(w, "id", tile.id);
  w.Key("x");
  w.Int64(tile.x);
  w.Key("y");
  w.Int64(tile.y);
  w.Key("w");
  w.Int64(tile.w);
  w.Key("h");
  w.Int64(tile.h);
  w.Key("config");
  w.StartObject();
  const TileConfig& c = tile.config;
  WriteStringField(w, "name", c.name);
  if (!c.source.empty()) WriteStringField(w, "source", c.source);
  if (c.select_is_text) {
    WriteStringField(w, "select", c.select_text);
  } else {
    w.Key("select");
    w.StartArray();
    for (const TileSelect& s : c.select) {
      w.StartObject();
      WriteStringField(w, "aggFn", s.agg_fn);
      WriteStringField(w, "valueExpression", s.value_expression);
      WriteStringField(w, "aggCondition", s.agg_condition);
      WriteStringField(w, "aggConditionLanguage", s.agg_condition_language);
      if (!s.alias.empty()) WriteStringField(w, "alias", s.alias);
      if (s.level) {
        w.Key("level");
        w.Double(*s.level);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  WriteStringField(w, "where", c.where);
  WriteStringField(w, "whereLanguage", c.where_language);
  WriteStringField(w, "groupBy", c.group_by);
  WriteStringField(w, "displayType", c.display_type);
  if (!c.granularity.empty()) WriteStringField(w, "granularity", c.granularity);
  if (!c.markdown.empty()) WriteStringField(w, "markdown", c.markdown);
  w.EndObject();
  w.EndObject();
}

void WriteTiles(JsonWriter& w, const std::vector<Tile>& tiles) {
  w.Key("tiles");
  w.StartArray();
  for (const Tile& tile : tiles) WriteTile(w, tile);
  w.EndArray();
}

}  // namespace

StatusOr<Dashboard> ParseDashboard(const rapidjson::Value& object) {
  Dashboard d;
  StatusOr<std::string> name = RequiredName(object, "name");
  if (!name.ok()) return name.status();
  d.name = std::move(*name);
  auto tiles = object.FindMember("tiles");
  if (tiles != object.MemberEnd() && !tiles->value.IsNull()) {
    if (!tiles->value.IsArray()) return Status::InvalidArgument("tiles: must be an array");
    if (tiles->value.Size() > kMaxTiles) return Status::InvalidArgument("tiles: more than 200 tiles");
    for (rapidjson::SizeType i = 0; i < tiles->value.Size(); ++i) {
      StatusOr<Tile> tile = ParseTile(tiles->value[i], i);
      if (!tile.ok()) return At("tiles[" + std::to_string(i) + "]", tile.status());
      d.tiles.push_back(std::move(*tile));
    }
  }
  StatusOr<std::vector<std::string>> tags = OptionalTags(object, "tags");
  if (!tags.ok()) return tags.status();
  d.tags = std::move(*tags);
  return d;
}

void WriteDashboard(JsonWriter& w, const Dashboard& d) {
  w.StartObject();
  if (d.id != 0) WriteStringField(w, "id", std::to_string(d.id));
  WriteStringField(w, "name", d.name);
  WriteTiles(w, d.tiles);
  WriteTags(w, d.tags);
  w.EndObject();
}

std::string DashboardJson(const Dashboard& d) {
  return RenderJson([&](JsonWriter& w) { WriteDashboard(w, d); });
}

std::string DashboardExportJson(const Dashboard& d) {
  return RenderJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("version");
    w.Int64(kDashboardExportVersion);
    WriteStringField(w, "name", d.name);
    WriteTiles(w, d.tiles);
    WriteTags(w, d.tags);
    w.EndObject();
  });
}

StatusOr<Dashboard> ParseDashboardExport(const rapidjson::Value& object) {
  StatusOr<std::optional<int64_t>> version = OptionalInt(object, "version");
  if (!version.ok()) return version.status();
  if (!version->has_value()) return Status::InvalidArgument("version: is required");
  if (**version != kDashboardExportVersion) {
    return Status::InvalidArgument("version: unsupported export version " + std::to_string(**version) +
                                   " (this server reads version 1)");
  }
  return ParseDashboard(object);
}

}  // namespace otelstack::api
