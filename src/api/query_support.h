// What every /api/v2 query route does around the query engine: reading the
// common request fields (time range, where clause, source), finding the store
// a source lives in, applying the caller's limits, and recording the query in
// the audit log's query_log.
//
// Requests are JSON objects (api/json_body.h); every error is an
// InvalidArgument naming the field, so the route answers 400 with it.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/route.h"
#include "api/services.h"
#include "api/source_model.h"
#include "audit/audit_event.h"
#include "common/status.h"
#include "query/backend.h"
#include "query/execution/limits.h"
#include "query/parser/ast.h"

namespace otelstack::api {

// The largest millisecond time accepted (year 2500): its nanoseconds fit in
// 64 bits.
inline constexpr int64_t kMaxTimeMs = 16'725'225'600'000;

// An inclusive time range, from the request's startTime/endTime (ms since
// the epoch, both required, 0 <= startTime <= endTime <= kMaxTimeMs).
struct TimeRange {
  uint64_t from_ns = 0;
  uint64_t to_ns = 0;
};
Status ParseTimeRange(const rapidjson::Value& body, TimeRange* out);

// A source id given as a decimal string ("12") or a JSON integer.
StatusOr<int64_t> SourceIdField(const rapidjson::Value& object, const char* field);

// Parses `text` in `language` ("lucene" or "sql"; InvalidArgument naming
// `field_name` otherwise). Parse errors keep the parser's "at position N"
// and get `field_name` as context. An empty text gives a null *out.
Status ParseWhere(std::string_view text, std::string_view language, std::string_view field_name,
                  query::ast::NodePtr* out);

// A source ready to query: where its rows are.
struct QueryTarget {
  ResolvedSource resolved;
  Store* store = nullptr;  // services.store, or services.audit_store for the Audit source
  Signal signal = Signal::kLogs;
  // Set instead of `store` for sources read from ClickHouse: a ClickHouse
  // connection's source (its database.table), or an Embedded telemetry
  // source while services.clickhouse_storage is set.
  std::shared_ptr<const query::QueryBackend> clickhouse;
};

// LoadSource for the caller (NotFound, PermissionDenied for the audit
// source below admin), then where it lives: the store (Unavailable if that
// store is not configured) or ClickHouse (the connection's password is
// opened with the master key; the server is asked its version to pick the
// table layout, Unavailable if it cannot be reached).
// A ClickHouse connection's source is read with its column expressions
// (source_mapping.h): InvalidArgument naming the field for one that its kind
// lacks or that is not a single SQL expression.
StatusOr<QueryTarget> ResolveQueryTarget(const ApiServices& services, const Caller& caller, int64_t source_id);

// The backend to run a query of `target` on: its ClickHouse backend, or a
// snapshot of its store holding `signal` (every signal when nullopt).
Status OpenQueryBackend(const QueryTarget& target, std::optional<Signal> signal,
                        std::shared_ptr<const query::QueryBackend>* out);

// The caller's limits (query_limits_settings.h) with the request's cancel
// flag attached. `request` must outlive the query.
StatusOr<query::QueryLimits> RequestLimits(const ApiServices& services, const Call& call);

// {"rowsRead":N,"partial":bool,"partialReason":"..."|null,"durationMs":N}
std::string QueryMetaJson(const query::ScanStats& stats, int64_t duration_ms);

// Times one query and records it in the query_log when Finish is called
// (services.audit may be null: then nothing is recorded). Status mapping:
// OK -> "ok" (or "partial" when the stats say so), Cancelled ->
// "cancelled", others -> "error"; the status message goes to query.error.
class QueryRecorder {
 public:
  QueryRecorder(const ApiServices& services, const Call& call, audit::QueryEvent::Kind kind);

  void SetQuery(std::string text, std::string language);
  void SetSource(const Source& source);

  int64_t ElapsedMs() const;
  // Records the event (once; later calls do nothing) and returns the elapsed
  // milliseconds.
  int64_t Finish(const Status& status, const query::ScanStats& stats);

 private:
  const ApiServices& services_;
  audit::QueryEvent event_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

}  // namespace otelstack::api
