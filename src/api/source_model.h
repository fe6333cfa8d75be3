// Sources and connections: the shapes the API stores as documents
// (meta/document_repository.h) and the rules that make them valid.
//
// A connection says where data lives: the built-in Embedded connection (this
// process's store; one per team, created by the server, not editable or
// deletable) or a ClickHouse server (name, http/https URL, user, password;
// the password is sealed with the master key in Document::sealed_secret and
// never returned by the API, which shows "hasPassword": true instead).
//
// A source is HyperDX's: a kind (log, trace, metric, session), a connection,
// a table (`from.databaseName`, `from.tableName`) and column-mapping
// expressions (timestampValueExpression, bodyExpression, ...), with
// cross-links between a log source and a trace source (traceSourceId,
// logSourceId). On the Embedded connection the tables are ClickStack's names:
// otel_logs, otel_traces and otel_metrics map to the store's signals, and
// otelstack_audit is the audit log (admins only); their expressions are the
// store's column names.
//
// JSON representation (what the API accepts and returns):
//   connection: {"id":"3","name":"Embedded","kind":"embedded"}
//               {"id":"4","name":"prod","kind":"clickhouse","url":"https://ch:8443",
//                "username":"reader","hasPassword":true}
//   source:     {"id":"5","name":"Logs","kind":"log","connection":"3",
//                "from":{"databaseName":"default","tableName":"otel_logs"},
//                "timestampValueExpression":"Timestamp","bodyExpression":"Body", ...,
//                "traceSourceId":"6"}
// Ids are decimal strings (document ids).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "meta/document_repository.h"
#include "meta/identity_repository.h"
#include "store/schema/schema.h"

namespace otelstack::api {

struct ApiServices;

inline constexpr char kEmbeddedConnectionName[] = "Embedded";
inline constexpr char kAuditTable[] = "otelstack_audit";

enum class SourceKind { kLog, kTrace, kMetric, kSession };
std::string_view SourceKindName(SourceKind kind);  // "log", "trace", "metric", "session"
std::optional<SourceKind> ParseSourceKind(std::string_view name);

// Every expression field HyperDX's source form knows, in the order shown.
inline constexpr const char* kSourceExpressionFields[] = {
    "timestampValueExpression",
    "displayedTimestampValueExpression",
    "defaultTableSelectExpression",
    "implicitColumnExpression",
    "bodyExpression",
    "serviceNameExpression",
    "severityTextExpression",
    "traceIdExpression",
    "spanIdExpression",
    "parentSpanIdExpression",
    "spanNameExpression",
    "spanKindExpression",
    "durationExpression",
    "statusCodeExpression",
    "statusMessageExpression",
    "eventAttributesExpression",
    "resourceAttributesExpression",
    "uniqueRowIdExpression",
};

struct Source {
  int64_t id = 0;
  std::string name;
  SourceKind kind = SourceKind::kLog;
  int64_t connection_id = 0;
  std::string database;                            // from.databaseName
  std::string table;                               // from.tableName
  std::map<std::string, std::string> expressions;  // field name -> expression (only those set)
  int64_t duration_precision = 9;                  // digits of the duration expression's unit (9: ns)
  std::optional<int64_t> log_source_id;            // trace sources: where their logs are
  std::optional<int64_t> trace_source_id;          // log sources: where their traces are
};

// Where a source's rows are, once its connection is resolved.
struct SourceTarget {
  enum class Backend { kEmbedded, kAudit, kClickHouse };
  Backend backend = Backend::kEmbedded;
  Signal signal = Signal::kLogs;  // kEmbedded and kAudit (kAudit: always kLogs)
  int64_t connection_id = 0;
};

// Parses and validates a source document's JSON (the API's representation;
// an "id" member is ignored). InvalidArgument naming the field on error.
StatusOr<Source> ParseSource(std::string_view json);
// The JSON representation, with "id".
std::string SourceJson(const Source& source);

// Loads source `id` of `team_id` (NotFound) and resolves its connection:
// InvalidArgument if the Embedded connection is given a table it does not
// have; the audit table requires `caller_role` admin (PermissionDenied).
struct ResolvedSource {
  Source source;
  SourceTarget target;
};
StatusOr<ResolvedSource> LoadSource(const ApiServices& services, int64_t team_id, int64_t id, meta::Role caller_role);

// Creates the team's Embedded connection and the default Logs, Traces and
// Metrics sources (linked to each other) unless the team already has an
// Embedded connection; also an admin-only "Audit" source. Idempotent; run at
// registration and at server start for every team.
Status EnsureTeamDefaults(const ApiServices& services, int64_t team_id);

// "12" -> 12. InvalidArgument ("<what>: not a valid id") otherwise.
StatusOr<int64_t> ParseId(std::string_view text, std::string_view what);

}  // namespace otelstack::api
