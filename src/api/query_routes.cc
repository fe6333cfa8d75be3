#include "api/query_routes.h"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "api/chart_series.h"
#include "api/json_body.h"
#include "api/query_support.h"
#include "api/respond.h"
#include "api/row_projection.h"
#include "common/file_util.h"
#include "meta/meta_store.h"
#include "query/facets.h"
#include "query/planner/binder.h"
#include "query/result_json.h"
#include "query/row_json.h"
#include "query/search.h"
#include "query/trace.h"
#include "store/store.h"

namespace otelstack::api {

namespace {

using QueryKind = audit::QueryEvent::Kind;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string TimestampExpression(const Source& source) {
  auto it = source.expressions.find("timestampValueExpression");
  return it == source.expressions.end() || it->second.empty() ? "Timestamp" : it->second;
}

// Results always come newest first; orderBy may only say so.
Status CheckOrderBy(std::string_view order_by, const Source& source) {
  std::string ts = TimestampExpression(source);
  std::string_view text = Trim(order_by);
  if (text.empty()) return Status::OK();
  size_t space = text.find_last_of(" \t");
  if (space != std::string_view::npos && Trim(text.substr(0, space)) == ts &&
      EqualsIgnoreCase(text.substr(space + 1), "DESC")) {
    return Status::OK();
  }
  return Status::InvalidArgument("orderBy: only \"" + ts + " DESC\" is supported (results come newest first); got \"" +
                                 std::string(text) + "\"");
}

// The request fields shared by search and facets.
struct FilteredQuery {
  int64_t source_id = 0;
  std::string text;
  std::string language = "lucene";
  TimeRange range;
};

Status ReadFilteredQuery(const rapidjson::Value& body, FilteredQuery* out) {
  auto id = SourceIdField(body, "sourceId");
  if (!id.ok()) return id.status();
  out->source_id = *id;
  auto text = OptionalString(body, "query");
  if (!text.ok()) return text.status();
  out->text = text->value_or("");
  auto language = OptionalString(body, "whereLanguage");
  if (!language.ok()) return language.status();
  out->language = language->value_or("lucene");
  if (out->language != "lucene" && out->language != "sql") {
    return Status::InvalidArgument("whereLanguage: must be \"lucene\" or \"sql\"");
  }
  return ParseTimeRange(body, &out->range);
}

// Parses the request body into *body and its common fields into *out.
Status ReadFilteredRequest(const http::Request& request, rapidjson::Document* body, FilteredQuery* out) {
  OTELSTACK_RETURN_IF_ERROR(ParseJsonObject(request.body, body));
  return ReadFilteredQuery(*body, out);
}

// One query's outcome before it becomes a response.
struct Outcome {
  Status status;
  std::string json;     // the body when status is OK
  bool record = false;  // the request was valid enough to be a query worth logging
};

http::Response Finish(const Outcome& outcome) {
  if (!outcome.status.ok()) return ErrorResponse(outcome.status);
  return Ok(outcome.json);
}

// Reads an optional integer field bounded to [1, max], `fallback` when absent.
StatusOr<int64_t> CountField(const rapidjson::Value& body, const char* field, int64_t fallback, int64_t max) {
  auto value = OptionalInt(body, field);
  if (!value.ok()) return value.status();
  int64_t n = value->value_or(fallback);
  if (n < 1 || n > max) {
    return Status::InvalidArgument(std::string(field) + ": must be from 1 to " + std::to_string(max));
  }
  return n;
}

// What search and facets do between reading their fields and running the
// engine: note the query for the query log, resolve the source, parse the
// where clause, take the caller's limits and a snapshot of the source's store.
struct PreparedQuery {
  QueryTarget target;
  query::ast::NodePtr root;
  query::QueryLimits limits;
  std::shared_ptr<const query::QueryBackend> backend;  // the store's snapshot or ClickHouse
};

// False when *out is final (an error).
bool PrepareFilteredQuery(const ApiServices& services, Call& call, const FilteredQuery& q, QueryRecorder* recorder,
                          Outcome* out, PreparedQuery* prepared) {
  recorder->SetQuery(q.text, q.language);
  out->record = true;
  auto target = ResolveQueryTarget(services, *call.caller, q.source_id);
  if (!target.ok()) return out->status = target.status(), false;
  recorder->SetSource(target->resolved.source);
  prepared->target = std::move(*target);
  out->status = ParseWhere(q.text, q.language, "query", &prepared->root);
  if (!out->status.ok()) return false;
  auto limits = RequestLimits(services, call);
  if (!limits.ok()) return out->status = limits.status(), false;
  prepared->limits = *limits;
  out->status = OpenQueryBackend(prepared->target, prepared->target.signal, &prepared->backend);
  return out->status.ok();
}

// --- search --------------------------------------------------------------

Outcome RunSearch(const ApiServices& services, Call& call, QueryRecorder* recorder) {
  Outcome out;
  query::ScanStats stats;
  rapidjson::Document body;
  FilteredQuery q;
  out.status = ReadFilteredRequest(call.request, &body, &q);
  if (!out.status.ok()) return out;
  auto max_rows = CountField(body, "limit", 100, kMaxSearchLimit);
  if (!max_rows.ok()) return out.status = max_rows.status(), out;
  auto select = OptionalString(body, "select");
  if (!select.ok()) return out.status = select.status(), out;
  auto order_by = OptionalString(body, "orderBy");
  if (!order_by.ok()) return out.status = order_by.status(), out;

  PreparedQuery prepared;
  if (!PrepareFilteredQuery(services, call, q, recorder, &out, &prepared)) return out;
  out.status = CheckOrderBy(order_by->value_or(""), prepared.target.resolved.source);
  if (!out.status.ok()) return out;
  RowProjection projection;
  if (select->has_value()) {
    out.status = ParseRowProjection(**select, prepared.target.signal, &projection);
    if (!out.status.ok()) return out;
  }
  query::SearchRequest request;
  request.signal = prepared.target.signal;
  request.from_ns = q.range.from_ns;
  request.to_ns = q.range.to_ns;
  request.query = prepared.root.get();
  request.limit = static_cast<size_t>(*max_rows);
  request.limits = prepared.limits;
  std::string rows;
  Status render;
  bool first = true;
  out.status = prepared.backend->Search(
      request,
      [&](const RowBatch& batch, size_t row) {
        if (!render.ok()) return;
        if (!first) rows.push_back(',');
        first = false;
        render = projection.empty() ? query::AppendRowJson(batch, row, &rows)
                                    : AppendProjectedRow(projection, batch, row, &rows);
      },
      &stats);
  if (out.status.ok()) out.status = render;
  int64_t ms = recorder->Finish(out.status, stats);
  if (out.status.ok()) out.json = "{\"data\":[" + rows + "],\"meta\":" + QueryMetaJson(stats, ms) + "}";
  return out;
}

// --- facets --------------------------------------------------------------

Outcome RunFacets(const ApiServices& services, Call& call, QueryRecorder* recorder) {
  Outcome out;
  query::ScanStats stats;
  rapidjson::Document body;
  FilteredQuery q;
  out.status = ReadFilteredRequest(call.request, &body, &q);
  if (!out.status.ok()) return out;
  auto per_field = CountField(body, "limit", 10, kMaxFacetValues);
  if (!per_field.ok()) return out.status = per_field.status(), out;
  auto fields_it = body.FindMember("fields");
  if (fields_it == body.MemberEnd() || !fields_it->value.IsArray() || fields_it->value.Empty() ||
      fields_it->value.Size() > kMaxFacetFields) {
    out.status =
        Status::InvalidArgument("fields: must be an array of 1 to " + std::to_string(kMaxFacetFields) + " field names");
    return out;
  }
  query::FacetsRequest request;
  for (const rapidjson::Value& f : fields_it->value.GetArray()) {
    if (!f.IsString()) return out.status = Status::InvalidArgument("fields: must contain strings"), out;
    query::ast::Field field;
    out.status = query::ParseFieldRef(std::string_view(f.GetString(), f.GetStringLength()), &field);
    if (!out.status.ok()) return out.status = out.status.WithContext("fields"), out;
    request.fields.push_back(std::move(field));
  }

  PreparedQuery prepared;
  if (!PrepareFilteredQuery(services, call, q, recorder, &out, &prepared)) return out;
  request.signal = prepared.target.signal;
  request.from_ns = q.range.from_ns;
  request.to_ns = q.range.to_ns;
  request.query = prepared.root.get();
  request.limit = static_cast<size_t>(*per_field);
  request.limits = prepared.limits;
  std::vector<query::Facet> facets;
  out.status = prepared.backend->Facets(request, &facets, &stats);
  recorder->Finish(out.status, stats);
  if (out.status.ok()) out.json = query::FacetsJson(facets, stats);
  return out;
}

// --- traces --------------------------------------------------------------

// The team's first trace source on the Embedded connection.
StatusOr<QueryTarget> DefaultTraceSource(const ApiServices& services, const Caller& caller) {
  if (services.meta == nullptr) return Status::Unavailable("metadata store not available");
  auto docs = services.meta->documents().List(caller.user.team_id, meta::DocumentKind::kSource);
  if (!docs.ok()) return docs.status();
  for (const meta::Document& doc : *docs) {
    // Resolving a ClickHouse connection's source would ask its server:
    // look at the source first.
    auto source = LoadSource(services, caller.user.team_id, doc.id, caller.user.role);
    if (!source.ok() || source->source.kind != SourceKind::kTrace ||
        source->target.backend != SourceTarget::Backend::kEmbedded) {
      continue;  // unreadable, not ours to query, or elsewhere
    }
    auto target = ResolveQueryTarget(services, caller, doc.id);
    if (target.ok()) return target;
  }
  return Status::NotFound("no trace source on the Embedded connection; pass sourceId");
}

Outcome RunTrace(const ApiServices& services, Call& call, QueryRecorder* recorder) {
  Outcome out;
  query::ScanStats stats;
  std::string trace_id(call.request.PathParam("traceId"));
  std::string raw;
  if (trace_id.size() != 32 || !HexDecode(trace_id, &raw)) {
    out.status = Status::InvalidArgument("traceId: must be 32 hex digits");
    return out;
  }
  std::string hex = HexEncode(raw);  // lower case, as stored and rendered
  recorder->SetQuery(hex, "");
  out.record = true;

  StatusOr<QueryTarget> target = Status::Internal("unset");
  if (auto param = call.request.QueryParam("sourceId")) {
    auto id = ParseId(*param, "sourceId");
    if (!id.ok()) return out.status = id.status(), out;
    target = ResolveQueryTarget(services, *call.caller, *id);
  } else {
    target = DefaultTraceSource(services, *call.caller);
  }
  if (!target.ok()) return out.status = target.status(), out;
  recorder->SetSource(target->resolved.source);
  if (target->resolved.source.kind != SourceKind::kTrace || target->signal != Signal::kTraces) {
    out.status =
        Status::InvalidArgument("sourceId: source \"" + target->resolved.source.name + "\" is not a trace source");
    return out;
  }
  // Logs come along only when the trace source links a log source in the
  // same store (the caller must be allowed to read it, too).
  bool with_logs = false;
  if (target->resolved.source.log_source_id) {
    auto logs = ResolveQueryTarget(services, *call.caller, *target->resolved.source.log_source_id);
    with_logs = logs.ok() && logs->signal == Signal::kLogs &&
                (target->clickhouse ? logs->clickhouse != nullptr : logs->store == target->store);
  }
  auto limits = RequestLimits(services, call);
  if (!limits.ok()) return out.status = limits.status(), out;

  std::shared_ptr<const query::QueryBackend> backend;
  out.status = OpenQueryBackend(*target, std::nullopt, &backend);
  if (!out.status.ok()) return out;
  query::TraceResult trace;
  out.status = backend->AssembleTrace(raw, *limits, &trace);
  if (!with_logs) trace.logs.clear();
  stats.rows_read = trace.spans.size() + trace.logs.size();
  recorder->Finish(out.status, stats);
  if (out.status.ok()) {
    if (trace.spans.empty() && trace.logs.empty()) {
      out.status = Status::NotFound("trace " + hex + ": no spans or logs");
    } else {
      out.json = query::TraceJson(hex, trace);
    }
  }
  return out;
}

// Runs `run` and records it when the request got as far as naming a query
// (a Finish already done by `run` is not repeated).
template <typename Run>
ApiHandler QueryHandler(const ApiServices& services, QueryKind kind, Run run) {
  const ApiServices* svc = &services;
  return [svc, kind, run](Call& call) {
    QueryRecorder recorder(*svc, call, kind);
    Outcome outcome = run(*svc, call, &recorder);
    if (outcome.record) recorder.Finish(outcome.status, query::ScanStats{});
    return Finish(outcome);
  };
}

}  // namespace

void AddQueryRoutes(const ApiServices& services, Routes* routes) {
  routes->push_back(Route{http::Method::kPost, "/api/v2/search", Access::kSessionOrKey, meta::Role::kViewer,
                          "Search a source: matching rows, newest first",
                          QueryHandler(services, QueryKind::kSearch, RunSearch)});
  routes->push_back(Route{http::Method::kPost, "/api/v2/charts/series", Access::kSessionOrKey, meta::Role::kViewer,
                          "Chart series: aggregates of 1 to 5 series by time bucket and group",
                          [svc = &services](Call& call) { return HandleChartSeries(*svc, call); }});
  routes->push_back(Route{http::Method::kGet, "/api/v2/traces/:traceId", Access::kSessionOrKey, meta::Role::kViewer,
                          "A trace's spans and the logs that carry its id, oldest first",
                          QueryHandler(services, QueryKind::kTrace, RunTrace)});
  routes->push_back(Route{http::Method::kPost, "/api/v2/facets", Access::kSessionOrKey, meta::Role::kViewer,
                          "Most frequent values of fields among matching rows",
                          QueryHandler(services, QueryKind::kFacets, RunFacets)});
}

}  // namespace otelstack::api
