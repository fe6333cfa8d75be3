#include "query/result_json.h"

#include "common/any_value_json.h"
#include "query/row_json.h"

namespace otelstack::query {

namespace {

using anyvalue::JsonWriter;

void WriteCell(JsonWriter& w, const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kNull:
      w.Null();
      break;
    case Cell::Kind::kInt:
      w.Int64(c.i);
      break;
    case Cell::Kind::kDouble:
      anyvalue::WriteJsonDouble(w, c.d);
      break;
    case Cell::Kind::kString:
      anyvalue::WriteJsonString(w, c.s);
      break;
  }
}

void WriteStats(JsonWriter& w, const ScanStats& stats) {
  w.Key("partial");
  w.Bool(stats.partial);
  if (stats.partial) {
    w.Key("partial_reason");
    anyvalue::WriteJsonString(w, stats.partial_reason);
  }
  w.Key("rows_read");
  w.Uint64(stats.rows_read);
  w.Key("granules_read");
  w.Uint64(stats.granules_read);
  w.Key("granules_skipped");
  w.Uint64(stats.granules_skipped);
}

}  // namespace

std::string FormatBucket(uint64_t time_ns) {
  std::string t = FormatTimestamp(time_ns);                            // "...:SS.fffffffffZ"
  if (time_ns % 1000000000ULL == 0) t.replace(t.size() - 11, 10, "");  // drop ".000000000"
  return t;
}

std::string ChartJson(const ChartResult& result, uint64_t granularity_ns) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  if (granularity_ns > 0) {
    w.Key("granularity_seconds");
    if (granularity_ns % 1000000000ULL == 0) {
      w.Uint64(granularity_ns / 1000000000ULL);
    } else {
      w.Double(static_cast<double>(granularity_ns) / 1e9);
    }
  }
  w.Key("columns");
  w.StartArray();
  for (const std::string& c : result.columns) anyvalue::WriteJsonString(w, c);
  w.EndArray();
  bool any_unit = false;
  for (const std::string& u : result.units) any_unit = any_unit || !u.empty();
  if (any_unit) {
    w.Key("units");
    w.StartObject();
    for (size_t i = 0; i < result.columns.size() && i < result.units.size(); ++i) {
      if (result.units[i].empty()) continue;
      anyvalue::WriteJsonString(w, result.columns[i]);
      anyvalue::WriteJsonString(w, result.units[i]);
    }
    w.EndObject();
  }
  w.Key("rows");
  w.StartArray();
  for (const ChartRow& row : result.rows) {
    w.StartArray();
    if (row.bucket) anyvalue::WriteJsonString(w, FormatBucket(*row.bucket));
    for (const Cell& c : row.group) WriteCell(w, c);
    for (const Cell& c : row.values) WriteCell(w, c);
    w.EndArray();
  }
  w.EndArray();
  WriteStats(w, result.stats);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string FacetsJson(const std::vector<Facet>& facets, const ScanStats& stats) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("facets");
  w.StartArray();
  for (const Facet& f : facets) {
    w.StartObject();
    w.Key("field");
    anyvalue::WriteJsonString(w, f.field);
    w.Key("values");
    w.StartArray();
    for (const FacetValue& v : f.values) {
      w.StartObject();
      w.Key("value");
      WriteCell(w, v.value);
      w.Key("count");
      w.Uint64(v.count);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  WriteStats(w, stats);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string TraceJson(std::string_view trace_id_hex, const TraceResult& trace) {
  // Rows are already JSON objects; splice them in.
  std::string out = "{\"trace_id\":\"";
  out.append(trace_id_hex);
  out.append("\",\"spans\":[");
  for (size_t i = 0; i < trace.spans.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(trace.spans[i]);
  }
  out.append("],\"logs\":[");
  for (size_t i = 0; i < trace.logs.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(trace.logs[i]);
  }
  out.append("],\"truncated\":");
  out.append(trace.truncated ? "true" : "false");
  out.push_back('}');
  return out;
}

}  // namespace otelstack::query
