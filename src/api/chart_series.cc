#include "api/chart_series.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/json_body.h"
#include "api/query_support.h"
#include "api/respond.h"
#include "query/aggregate.h"
#include "query/planner/binder.h"
#include "query/query_builders.h"
#include "store/store.h"

namespace otelstack::api {

namespace {

constexpr uint64_t kSecondNs = 1'000'000'000;

// One series of the request, validated.
struct SeriesSpec {
  int64_t source_id = 0;
  query::AggSpec agg;
  std::string where;
  std::string language = "lucene";
  std::optional<std::string> metric_name;
  std::vector<std::string> group_by;  // as written
};

StatusOr<uint64_t> UnitNs(std::string_view unit) {
  if (unit == "s" || unit == "second" || unit == "seconds") return kSecondNs;
  if (unit == "m" || unit == "minute" || unit == "minutes") return 60 * kSecondNs;
  if (unit == "h" || unit == "hour" || unit == "hours") return 3600 * kSecondNs;
  if (unit == "d" || unit == "day" || unit == "days") return 86400 * kSecondNs;
  return Status::InvalidArgument("granularity: unknown unit \"" + std::string(unit) +
                                 "\" (use second, minute, hour or day, or s, m, h, d)");
}

Status ParseAggFn(std::string_view name, const rapidjson::Value& series, const std::string& where,
                  query::AggSpec* out) {
  using query::AggFunction;
  bool needs_field = true;
  if (name == "count") {
    out->function = AggFunction::kCount;
    needs_field = false;
  } else if (name == "sum") {
    out->function = AggFunction::kSum;
  } else if (name == "avg") {
    out->function = AggFunction::kAvg;
  } else if (name == "min") {
    out->function = AggFunction::kMin;
  } else if (name == "max") {
    out->function = AggFunction::kMax;
  } else if (name == "count_distinct") {
    out->function = AggFunction::kCountDistinct;
  } else if (name == "p50" || name == "p90" || name == "p95" || name == "p99") {
    out->function = AggFunction::kQuantile;
    out->level = ((name[1] - '0') * 10 + (name[2] - '0')) / 100.0;
  } else if (name == "quantile") {
    out->function = AggFunction::kQuantile;
    auto level = OptionalNumber(series, "level");
    if (!level.ok()) return level.status().WithContext(where);
    if (!level->has_value() || **level < 0 || **level > 1) {
      return Status::InvalidArgument(where + ".level: quantile needs a level from 0 to 1");
    }
    out->level = **level;
  } else {
    return Status::InvalidArgument(where + ".aggFn: \"" + std::string(name) +
                                   "\" is not supported (count, sum, avg, min, max, count_distinct, p50, p90, p95, "
                                   "p99, quantile)");
  }
  auto field = OptionalString(series, "field");
  if (!field.ok()) return field.status().WithContext(where);
  if (needs_field) {
    if (!field->has_value() || (*field)->empty()) {
      return Status::InvalidArgument(where + ".field: is required for aggFn " + std::string(name));
    }
    Status s = query::ParseFieldRef(**field, &out->field);
    if (!s.ok()) return s.WithContext(where + ".field");
  }
  return Status::OK();
}

Status ParseSeries(const rapidjson::Value& series, size_t index, SeriesSpec* out) {
  std::string where = "series[" + std::to_string(index) + "]";
  if (!series.IsObject()) return Status::InvalidArgument(where + ": must be an object");
  auto id = SourceIdField(series, "sourceId");
  if (!id.ok()) return id.status().WithContext(where);
  out->source_id = *id;
  auto agg_fn = RequiredString(series, "aggFn");
  if (!agg_fn.ok()) return agg_fn.status().WithContext(where);
  Status s = ParseAggFn(*agg_fn, series, where, &out->agg);
  if (!s.ok()) return s;
  out->agg.name = "series_" + std::to_string(index);
  auto text = OptionalString(series, "where");
  if (!text.ok()) return text.status().WithContext(where);
  out->where = text->value_or("");
  auto language = OptionalString(series, "whereLanguage");
  if (!language.ok()) return language.status().WithContext(where);
  out->language = language->value_or("lucene");
  auto metric = OptionalString(series, "metricName");
  if (!metric.ok()) return metric.status().WithContext(where);
  out->metric_name = *metric;
  auto group_by = series.FindMember("groupBy");
  if (group_by != series.MemberEnd() && !group_by->value.IsNull()) {
    if (!group_by->value.IsArray()) return Status::InvalidArgument(where + ".groupBy: must be an array of fields");
    for (const rapidjson::Value& g : group_by->value.GetArray()) {
      if (!g.IsString()) return Status::InvalidArgument(where + ".groupBy: must be an array of fields");
      out->group_by.emplace_back(g.GetString(), g.GetStringLength());
    }
  }
  return Status::OK();
}

// A (bucket, group) point of the response, joined across series.
struct Point {
  uint64_t bucket_ns = 0;
  std::vector<query::Cell> group;
  std::vector<std::optional<query::Cell>> values;  // per series
};

void AppendKeyPart(const query::Cell& cell, std::string* key) {
  key->push_back(static_cast<char>('0' + static_cast<int>(cell.kind)));
  switch (cell.kind) {
    case query::Cell::Kind::kNull:
      break;
    case query::Cell::Kind::kInt:
      key->append(std::to_string(cell.i));
      break;
    case query::Cell::Kind::kDouble:
      key->append(std::to_string(cell.d));
      break;
    case query::Cell::Kind::kString:
      key->append(std::to_string(cell.s.size()) + ":" + cell.s);
      break;
  }
  key->push_back('\x1f');
}

void WriteCell(const query::Cell& cell, rapidjson::Writer<rapidjson::StringBuffer>* w) {
  switch (cell.kind) {
    case query::Cell::Kind::kNull:
      w->Null();
      break;
    case query::Cell::Kind::kInt:
      w->Int64(cell.i);
      break;
    case query::Cell::Kind::kDouble:
      if (std::isfinite(cell.d)) {
        w->Double(cell.d);
      } else {
        w->Null();
      }
      break;
    case query::Cell::Kind::kString:
      w->String(cell.s.data(), static_cast<rapidjson::SizeType>(cell.s.size()));
      break;
  }
}

// Runs one series and merges its rows into *points (index: key -> position).
Status RunSeries(const ApiServices& services, Call& call, const SeriesSpec& spec, size_t index, size_t series_count,
                 const TimeRange& range, uint64_t granularity_ns, std::vector<Point>* points,
                 std::unordered_map<std::string, size_t>* point_index, query::ScanStats* total) {
  QueryRecorder recorder(services, call, audit::QueryEvent::Kind::kChart);
  recorder.SetQuery(spec.where, spec.language);
  query::ChartResult result;
  auto run = [&]() -> Status {
    auto target = ResolveQueryTarget(services, *call.caller, spec.source_id);
    if (!target.ok()) return target.status();
    recorder.SetSource(target->resolved.source);
    std::string where = "series[" + std::to_string(index) + "]";
    query::ast::NodePtr root;
    Status s = ParseWhere(spec.where, spec.language, where + ".where", &root);
    if (!s.ok()) return s;
    if (spec.metric_name) {
      query::ast::NodePtr metric = query::FieldEquals("MetricName", *spec.metric_name);
      if (root) {
        auto both = std::make_unique<query::ast::Node>(query::ast::Node::Kind::kAnd);
        both->children.push_back(std::move(root));
        both->children.push_back(std::move(metric));
        root = std::move(both);
      } else {
        root = std::move(metric);
      }
    }
    auto limits = RequestLimits(services, call);
    if (!limits.ok()) return limits.status();
    query::ChartRequest request;
    request.signal = target->signal;
    request.from_ns = range.from_ns;
    request.to_ns = range.to_ns;
    request.query = root.get();
    request.aggregates.push_back(spec.agg);
    for (const std::string& text : spec.group_by) {
      query::ast::Field field;
      s = query::ParseFieldRef(text, &field);
      if (!s.ok()) return s.WithContext(where + ".groupBy");
      request.group_by.push_back(std::move(field));
    }
    request.granularity_ns = granularity_ns;
    request.top_k = 0;  // every group, as HyperDX returns them
    request.limits = *limits;
    std::shared_ptr<const query::QueryBackend> backend;  // the store's snapshot or ClickHouse
    s = OpenQueryBackend(*target, target->signal, &backend);
    if (!s.ok()) return s;
    return backend->Chart(request, &result);
  };
  Status s = run();
  recorder.Finish(s, result.stats);
  if (!s.ok()) return s;

  total->rows_read += result.stats.rows_read;
  if (result.stats.partial && !total->partial) {
    total->partial = true;
    total->partial_reason = "series_" + std::to_string(index) + ": " + result.stats.partial_reason;
  }
  for (query::ChartRow& row : result.rows) {
    uint64_t bucket = row.bucket.value_or(range.from_ns);
    std::string key = std::to_string(bucket) + "|";
    for (const query::Cell& cell : row.group) AppendKeyPart(cell, &key);
    auto [it, inserted] = point_index->emplace(key, points->size());
    if (inserted) {
      Point point;
      point.bucket_ns = bucket;
      point.group = std::move(row.group);
      point.values.resize(series_count);
      points->push_back(std::move(point));
    }
    if (!row.values.empty()) (*points)[it->second].values[index] = std::move(row.values[0]);
  }
  return Status::OK();
}

std::string SeriesResponseJson(const std::vector<Point>& points, const query::ScanStats& stats, int64_t duration_ms) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("data");
  w.StartArray();
  for (const Point& point : points) {
    w.StartObject();
    w.Key("ts_bucket");
    w.Uint64(point.bucket_ns / 1'000'000);
    w.Key("group");
    w.StartArray();
    for (const query::Cell& cell : point.group) WriteCell(cell, &w);
    w.EndArray();
    for (size_t i = 0; i < point.values.size(); ++i) {
      if (!point.values[i]) continue;
      std::string key = "series_" + std::to_string(i) + ".data";
      w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      WriteCell(*point.values[i], &w);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string json(buffer.GetString(), buffer.GetSize());
  json.pop_back();  // reopen the object for "meta"
  return json + ",\"meta\":" + QueryMetaJson(stats, duration_ms) + "}";
}

}  // namespace

StatusOr<uint64_t> ParseGranularity(std::string_view text, uint64_t from_ns, uint64_t to_ns) {
  uint64_t granularity = 0;
  if (text.empty() || text == "auto") {
    granularity = query::AutoGranularity(from_ns, to_ns);
  } else {
    uint64_t count = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (ec != std::errc() || end == text.data() || count == 0) {
      return Status::InvalidArgument("granularity: \"" + std::string(text) +
                                     "\" is not \"auto\" or a positive duration like \"1 minute\" or \"30s\"");
    }
    std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
    if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    auto unit_ns = UnitNs(unit);
    if (!unit_ns.ok()) return unit_ns.status();
    if (count > UINT64_MAX / *unit_ns) return Status::InvalidArgument("granularity: too large");
    granularity = count * *unit_ns;
  }
  if (granularity == 0) return Status::InvalidArgument("granularity: must be positive");
  uint64_t buckets = (to_ns - from_ns) / granularity + 1;
  if (buckets > kMaxChartBuckets) {
    return Status::InvalidArgument("granularity: \"" + std::string(text) + "\" gives " + std::to_string(buckets) +
                                   " buckets over the time range; at most " + std::to_string(kMaxChartBuckets));
  }
  return granularity;
}

http::Response HandleChartSeries(const ApiServices& services, Call& call) {
  auto started = std::chrono::steady_clock::now();
  rapidjson::Document body;
  Status s = ParseJsonObject(call.request.body, &body);
  if (!s.ok()) return ErrorResponse(s);
  TimeRange range;
  s = ParseTimeRange(body, &range);
  if (!s.ok()) return ErrorResponse(s);
  auto granularity_text = OptionalString(body, "granularity");
  if (!granularity_text.ok()) return ErrorResponse(granularity_text.status());
  auto granularity = ParseGranularity(granularity_text->value_or("auto"), range.from_ns, range.to_ns);
  if (!granularity.ok()) return ErrorResponse(granularity.status());

  auto series_it = body.FindMember("series");
  if (series_it == body.MemberEnd() || !series_it->value.IsArray() || series_it->value.Empty() ||
      series_it->value.Size() > kMaxChartSeries) {
    return ErrorResponse(
        Status::InvalidArgument("series: must be an array of 1 to " + std::to_string(kMaxChartSeries) + " series"));
  }
  std::vector<SeriesSpec> specs(series_it->value.Size());
  for (size_t i = 0; i < specs.size(); ++i) {
    s = ParseSeries(series_it->value[static_cast<rapidjson::SizeType>(i)], i, &specs[i]);
    if (!s.ok()) return ErrorResponse(s);
    if (specs[i].group_by != specs[0].group_by) {
      return ErrorResponse(Status::InvalidArgument("series: all series must have the same groupBy fields"));
    }
  }

  std::vector<Point> points;
  std::unordered_map<std::string, size_t> point_index;
  query::ScanStats stats;
  for (size_t i = 0; i < specs.size(); ++i) {
    s = RunSeries(services, call, specs[i], i, specs.size(), range, *granularity, &points, &point_index, &stats);
    if (!s.ok()) return ErrorResponse(s);
  }
  // Series 0 gave its points in (bucket, group) order; later series append
  // theirs, so a stable sort by bucket keeps each bucket's first-seen order.
  std::stable_sort(points.begin(), points.end(),
                   [](const Point& a, const Point& b) { return a.bucket_ns < b.bucket_ns; });
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return Ok(SeriesResponseJson(points, stats, ms));
}

}  // namespace otelstack::api
