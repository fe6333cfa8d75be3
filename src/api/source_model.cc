#include "api/source_model.h"

#include <mutex>
#include <utility>
#include <vector>

#include "api/connection_model.h"
#include "api/embedded_tables.h"
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/services.h"
#include "meta/meta_store.h"

namespace otelstack::api {

namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxExpressionBytes = 16 * 1024;

StatusOr<std::optional<int64_t>> OptionalId(const rapidjson::Value& object, const char* field) {
  StatusOr<std::optional<std::string>> text = OptionalString(object, field);
  if (!text.ok()) return text.status();
  if (!text->has_value() || (*text)->empty()) return std::optional<int64_t>();
  StatusOr<int64_t> id = ParseId(**text, field);
  if (!id.ok()) return id.status();
  return std::optional<int64_t>(*id);
}

void WriteString(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), value.size());
}

void WriteId(JsonWriter& w, const char* key, int64_t id) {
  w.Key(key);
  w.String(std::to_string(id).c_str());
}

// The default sources of a team. Expressions are column names of
// store/schema/schema.h (checked by source_model_test).
Source LogsDefaults(std::string name, std::string table) {
  Source s;
  s.name = std::move(name);
  s.kind = SourceKind::kLog;
  s.database = "default";
  s.table = std::move(table);
  s.expressions = {
      {"timestampValueExpression", "Timestamp"},
      {"displayedTimestampValueExpression", "Timestamp"},
      {"defaultTableSelectExpression", "Timestamp, ServiceName, SeverityText, Body"},
      {"implicitColumnExpression", "Body"},
      {"bodyExpression", "Body"},
      {"serviceNameExpression", "ServiceName"},
      {"severityTextExpression", "SeverityText"},
      {"traceIdExpression", "TraceId"},
      {"spanIdExpression", "SpanId"},
      {"eventAttributesExpression", "LogAttributes"},
      {"resourceAttributesExpression", "ResourceAttributes"},
  };
  return s;
}

Source TracesDefaults() {
  Source s;
  s.name = "Traces";
  s.kind = SourceKind::kTrace;
  s.database = "default";
  s.table = kTracesTable;
  s.duration_precision = 9;  // Duration is in nanoseconds
  s.expressions = {
      {"timestampValueExpression", "Timestamp"},
      {"displayedTimestampValueExpression", "Timestamp"},
      {"defaultTableSelectExpression", "Timestamp, ServiceName, StatusCode, Duration, SpanName"},
      {"implicitColumnExpression", "SpanName"},
      {"serviceNameExpression", "ServiceName"},
      {"traceIdExpression", "TraceId"},
      {"spanIdExpression", "SpanId"},
      {"parentSpanIdExpression", "ParentSpanId"},
      {"spanNameExpression", "SpanName"},
      {"spanKindExpression", "SpanKind"},
      {"durationExpression", "Duration"},
      {"statusCodeExpression", "StatusCode"},
      {"statusMessageExpression", "StatusMessage"},
      {"eventAttributesExpression", "SpanAttributes"},
      {"resourceAttributesExpression", "ResourceAttributes"},
  };
  return s;
}

Source MetricsDefaults() {
  Source s;
  s.name = "Metrics";
  s.kind = SourceKind::kMetric;
  s.database = "default";
  s.table = kMetricsTable;
  s.expressions = {
      {"timestampValueExpression", "TimeUnix"},
      {"displayedTimestampValueExpression", "TimeUnix"},
      {"serviceNameExpression", "ServiceName"},
      {"eventAttributesExpression", "Attributes"},
      {"resourceAttributesExpression", "ResourceAttributes"},
  };
  return s;
}

StatusOr<int64_t> InsertSource(meta::DocumentRepository& docs, int64_t team_id, meta::TimePoint now, Source source) {
  meta::Document doc;
  doc.team_id = team_id;
  doc.kind = meta::DocumentKind::kSource;
  doc.name = source.name;
  source.id = 0;
  doc.json = SourceJson(source);
  doc.created_at = doc.updated_at = now;
  StatusOr<meta::Document> inserted = docs.Insert(doc);
  if (!inserted.ok()) return inserted.status().WithContext("insert default source " + source.name);
  return inserted->id;
}

}  // namespace

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kLog:
      return "log";
    case SourceKind::kTrace:
      return "trace";
    case SourceKind::kMetric:
      return "metric";
    case SourceKind::kSession:
      return "session";
  }
  return "unknown";
}

std::optional<SourceKind> ParseSourceKind(std::string_view name) {
  for (SourceKind k : {SourceKind::kLog, SourceKind::kTrace, SourceKind::kMetric, SourceKind::kSession}) {
    if (SourceKindName(k) == name) return k;
  }
  return std::nullopt;
}

StatusOr<int64_t> ParseId(std::string_view text, std::string_view what) {
  auto invalid = [&] { return Status::InvalidArgument(std::string(what) + ": not a valid id"); };
  if (text.empty() || text.size() > 18) return invalid();
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return invalid();
    value = value * 10 + (c - '0');
  }
  if (value == 0) return invalid();
  return value;
}

StatusOr<Source> ParseSource(std::string_view json) {
  rapidjson::Document doc;
  OTELSTACK_RETURN_IF_ERROR(ParseJsonObject(json, &doc));
  Source s;

  StatusOr<std::string> name = RequiredString(doc, "name");
  if (!name.ok()) return name.status();
  if (name->empty()) return Status::InvalidArgument("name: must not be empty");
  if (name->size() > kMaxNameBytes) return Status::InvalidArgument("name: longer than 200 bytes");
  s.name = std::move(*name);

  StatusOr<std::string> kind = RequiredString(doc, "kind");
  if (!kind.ok()) return kind.status();
  std::optional<SourceKind> parsed_kind = ParseSourceKind(*kind);
  if (!parsed_kind) return Status::InvalidArgument("kind: must be one of log, trace, metric, session");
  s.kind = *parsed_kind;

  StatusOr<std::string> connection = RequiredString(doc, "connection");
  if (!connection.ok()) return connection.status();
  StatusOr<int64_t> connection_id = ParseId(*connection, "connection");
  if (!connection_id.ok()) return connection_id.status();
  s.connection_id = *connection_id;

  auto from = doc.FindMember("from");
  if (from == doc.MemberEnd() || from->value.IsNull()) return Status::InvalidArgument("from: is required");
  if (!from->value.IsObject()) return Status::InvalidArgument("from: must be an object");
  StatusOr<std::optional<std::string>> database = OptionalString(from->value, "databaseName");
  if (!database.ok()) return database.status().WithContext("from");
  s.database = database->value_or("default");
  StatusOr<std::string> table = RequiredString(from->value, "tableName");
  if (!table.ok()) return table.status().WithContext("from");
  if (table->empty()) return Status::InvalidArgument("from.tableName: must not be empty");
  if (s.database.size() > kMaxNameBytes || table->size() > kMaxNameBytes) {
    return Status::InvalidArgument("from: names longer than 200 bytes");
  }
  s.table = std::move(*table);

  for (const char* field : kSourceExpressionFields) {
    StatusOr<std::optional<std::string>> expression = OptionalString(doc, field);
    if (!expression.ok()) return expression.status();
    if (!expression->has_value() || (*expression)->empty()) continue;
    if ((*expression)->size() > kMaxExpressionBytes) {
      return Status::InvalidArgument(std::string(field) + ": longer than 16 KiB");
    }
    s.expressions[field] = std::move(**expression);
  }

  StatusOr<std::optional<int64_t>> precision = OptionalInt(doc, "durationPrecision");
  if (!precision.ok()) return precision.status();
  if (precision->has_value()) {
    if (**precision < 0 || **precision > 9) return Status::InvalidArgument("durationPrecision: must be 0 to 9");
    s.duration_precision = **precision;
  }

  StatusOr<std::optional<int64_t>> log_source = OptionalId(doc, "logSourceId");
  if (!log_source.ok()) return log_source.status();
  s.log_source_id = *log_source;
  StatusOr<std::optional<int64_t>> trace_source = OptionalId(doc, "traceSourceId");
  if (!trace_source.ok()) return trace_source.status();
  s.trace_source_id = *trace_source;
  return s;
}

// Stored documents are rendered with id 0, which leaves "id" out (document
// ids start at 1); the id is the document's, never the json's.
std::string SourceJson(const Source& s) {
  return RenderJson([&](JsonWriter& w) {
    w.StartObject();
    if (s.id != 0) WriteId(w, "id", s.id);
    WriteString(w, "name", s.name);
    w.Key("kind");
    std::string_view kind = SourceKindName(s.kind);
    w.String(kind.data(), kind.size());
    WriteId(w, "connection", s.connection_id);
    w.Key("from");
    w.StartObject();
    WriteString(w, "databaseName", s.database);
    WriteString(w, "tableName", s.table);
    w.EndObject();
    for (const char* field : kSourceExpressionFields) {
      auto it = s.expressions.find(field);
      if (it != s.expressions.end()) WriteString(w, field, it->second);
    }
    w.Key("durationPrecision");
    w.Int64(s.duration_precision);
    if (s.log_source_id) WriteId(w, "logSourceId", *s.log_source_id);
    if (s.trace_source_id) WriteId(w, "traceSourceId", *s.trace_source_id);
    w.EndObject();
  });
}

StatusOr<ResolvedSource> LoadSource(const ApiServices& services, int64_t team_id, int64_t id, meta::Role caller_role) {
  meta::DocumentRepository& docs = services.meta->documents();
  StatusOr<meta::Document> doc = docs.Get(team_id, meta::DocumentKind::kSource, id);
  if (!doc.ok()) return doc.status();
  StatusOr<Source> source = ParseSource(doc->json);
  if (!source.ok()) return Status::Corruption("source " + std::to_string(id) + ": " + source.status().message());
  source->id = doc->id;

  StatusOr<meta::Document> connection_doc = docs.Get(team_id, meta::DocumentKind::kConnection, source->connection_id);
  if (!connection_doc.ok()) {
    if (connection_doc.status().code() != Status::Code::kNotFound) return connection_doc.status();
    return Status::FailedPrecondition("source " + source->name + ": its connection " +
                                      std::to_string(source->connection_id) + " no longer exists");
  }
  StatusOr<Connection> connection = ConnectionFromDocument(*connection_doc);
  if (!connection.ok()) return connection.status();

  ResolvedSource resolved{std::move(*source), SourceTarget{}};
  resolved.target.connection_id = connection->id;
  if (!connection->embedded) {
    resolved.target.backend = SourceTarget::Backend::kClickHouse;
    return resolved;
  }
  StatusOr<SourceTarget> target = ResolveEmbeddedTable(resolved.source.kind, resolved.source.table);
  if (!target.ok()) return target.status().WithContext("source " + resolved.source.name);
  if (target->backend == SourceTarget::Backend::kAudit && caller_role != meta::Role::kAdmin) {
    return Status::PermissionDenied("source " + resolved.source.name + ": the audit log is for admins only");
  }
  resolved.target.backend = target->backend;
  resolved.target.signal = target->signal;
  return resolved;
}

Status EnsureTeamDefaults(const ApiServices& services, int64_t team_id) {
  // Serialises the check-then-insert within this process (registration and
  // server start may both call it); another process writing the same team's
  // documents at once is not expected.
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);

  meta::DocumentRepository& docs = services.meta->documents();
  StatusOr<std::vector<meta::Document>> connections = docs.List(team_id, meta::DocumentKind::kConnection);
  if (!connections.ok()) return connections.status().WithContext("team defaults");
  for (const meta::Document& doc : *connections) {
    StatusOr<Connection> c = ConnectionFromDocument(doc);
    if (c.ok() && c->embedded) return Status::OK();
  }

  const meta::TimePoint now = services.clock();
  Connection embedded;
  embedded.name = kEmbeddedConnectionName;
  embedded.embedded = true;
  meta::Document connection_doc;
  connection_doc.team_id = team_id;
  connection_doc.kind = meta::DocumentKind::kConnection;
  connection_doc.name = embedded.name;
  connection_doc.json = ConnectionStoredJson(embedded);
  connection_doc.created_at = connection_doc.updated_at = now;
  StatusOr<meta::Document> inserted = docs.Insert(connection_doc);
  if (!inserted.ok()) return inserted.status().WithContext("insert the Embedded connection");
  const int64_t connection_id = inserted->id;

  Source logs = LogsDefaults("Logs", kLogsTable);
  logs.connection_id = connection_id;
  StatusOr<int64_t> logs_id = InsertSource(docs, team_id, now, logs);
  if (!logs_id.ok()) return logs_id.status();

  Source traces = TracesDefaults();
  traces.connection_id = connection_id;
  traces.log_source_id = *logs_id;
  StatusOr<int64_t> traces_id = InsertSource(docs, team_id, now, traces);
  if (!traces_id.ok()) return traces_id.status();

  // Now that the trace source has an id, link the logs to it.
  logs.trace_source_id = *traces_id;
  meta::Document logs_doc;
  logs_doc.id = *logs_id;
  logs_doc.team_id = team_id;
  logs_doc.kind = meta::DocumentKind::kSource;
  logs_doc.name = logs.name;
  logs_doc.json = SourceJson(logs);
  logs_doc.updated_at = now;
  OTELSTACK_RETURN_IF_ERROR(docs.Update(logs_doc).WithContext("link the default Logs source"));

  Source metrics = MetricsDefaults();
  metrics.connection_id = connection_id;
  StatusOr<int64_t> metrics_id = InsertSource(docs, team_id, now, metrics);
  if (!metrics_id.ok()) return metrics_id.status();

  Source audit = LogsDefaults("Audit", kAuditTable);
  audit.connection_id = connection_id;
  audit.expressions.erase("traceIdExpression");
  audit.expressions.erase("spanIdExpression");
  StatusOr<int64_t> audit_id = InsertSource(docs, team_id, now, audit);
  if (!audit_id.ok()) return audit_id.status();
  return Status::OK();
}

}  // namespace otelstack::api
