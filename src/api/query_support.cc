#include "api/query_support.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "api/connection_model.h"
#include "api/guard.h"
#include "api/json_body.h"
#include "api/query_limits_settings.h"
#include "api/source_mapping.h"
#include "audit/audit_log.h"
#include "meta/meta_store.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "store/store.h"

namespace otelstack::api {

namespace {

StatusOr<int64_t> RequiredTimeMs(const rapidjson::Value& body, const char* field) {
  auto v = OptionalInt(body, field);
  if (!v.ok()) return v.status();
  if (!v->has_value())
    return Status::InvalidArgument(std::string(field) + ": is required (milliseconds since the epoch)");
  int64_t ms = **v;
  if (ms < 0 || ms > kMaxTimeMs) {
    return Status::InvalidArgument(std::string(field) + ": must be milliseconds since the epoch, from 0 to " +
                                   std::to_string(kMaxTimeMs));
  }
  return ms;
}

StatusOr<std::shared_ptr<const query::QueryBackend>> Connect(
    const clickhouse::ConnectionOptions& connection, const clickhouse::SchemaOptions& schema,
    const std::map<Signal, clickhouse::ColumnMapping>& mappings = {}) {
  auto backend = query::ConnectClickHouseBackend(connection, schema, mappings);
  if (!backend.ok()) return backend.status();
  return std::shared_ptr<const query::QueryBackend>(std::move(*backend));
}

// A source on a ClickHouse connection: its connection's server, its
// database and table (metric sources: the five `<table>_<kind>` tables),
// read with the source's column expressions (source_mapping.h).
StatusOr<std::shared_ptr<const query::QueryBackend>> ConnectionBackend(const ApiServices& services, int64_t team_id,
                                                                       const Source& source) {
  if (services.meta == nullptr) return Status::Unavailable("metadata store not available");
  auto signal = SignalOfKind(source.kind);
  if (!signal.ok()) return signal.status();
  // Checked before connecting: a bad expression is the source's fault, not the server's.
  auto mapping = SourceColumnMapping(source);
  if (!mapping.ok()) return mapping.status().WithContext("source \"" + source.name + "\"");
  auto doc = services.meta->documents().Get(team_id, meta::DocumentKind::kConnection, source.connection_id);
  if (!doc.ok()) return doc.status();
  auto connection = ConnectionFromDocument(*doc);
  if (!connection.ok()) return connection.status();
  auto url = clickhouse::ParseClickHouseUrl(connection->url);
  if (!url.ok()) return url.status().WithContext("connection \"" + connection->name + "\"");
  clickhouse::ConnectionOptions options;
  options.url = *url;
  options.user = connection->username;
  if (connection->has_password) {
    auto password = OpenConnectionPassword(services.master_key, *doc);
    if (!password.ok()) return password.status();
    options.password = std::move(*password);
  }
  clickhouse::SchemaOptions schema;
  if (!source.database.empty()) schema.database = source.database;
  switch (source.kind) {
    case SourceKind::kLog:
      schema.tables.logs = source.table;
      break;
    case SourceKind::kTrace:
      schema.tables.traces = source.table;
      break;
    case SourceKind::kMetric:
      if (!source.table.empty()) schema.tables.metrics_prefix = source.table + "_";
      break;
    case SourceKind::kSession:
      return Status::InvalidArgument("session sources cannot be queried");
  }
  auto backend = Connect(options, schema, {{*signal, std::move(*mapping)}});
  if (!backend.ok() && backend.status().code() == Status::Code::kInvalidArgument) {
    return backend.status().WithContext("source \"" + source.name + "\"");
  }
  return backend;
}

}  // namespace

Status ParseTimeRange(const rapidjson::Value& body, TimeRange* out) {
  auto start = RequiredTimeMs(body, "startTime");
  if (!start.ok()) return start.status();
  auto end = RequiredTimeMs(body, "endTime");
  if (!end.ok()) return end.status();
  if (*start > *end) return Status::InvalidArgument("startTime: must not be after endTime");
  out->from_ns = static_cast<uint64_t>(*start) * 1'000'000;
  out->to_ns = static_cast<uint64_t>(*end) * 1'000'000;
  return Status::OK();
}

StatusOr<int64_t> SourceIdField(const rapidjson::Value& object, const char* field) {
  auto it = object.FindMember(field);
  if (it == object.MemberEnd() || it->value.IsNull())
    return Status::InvalidArgument(std::string(field) + ": is required");
  if (it->value.IsInt64()) {
    if (it->value.GetInt64() <= 0) return Status::InvalidArgument(std::string(field) + ": not a valid id");
    return it->value.GetInt64();
  }
  if (!it->value.IsString()) return Status::InvalidArgument(std::string(field) + ": must be a string");
  return ParseId(std::string_view(it->value.GetString(), it->value.GetStringLength()), field);
}

Status ParseWhere(std::string_view text, std::string_view language, std::string_view field_name,
                  query::ast::NodePtr* out) {
  Status s;
  if (language == "lucene") {
    s = query::ParseLucene(text, out);
  } else if (language == "sql") {
    s = query::ParseSqlWhere(text, out);
  } else {
    return Status::InvalidArgument(std::string(field_name) + "Language: must be \"lucene\" or \"sql\"");
  }
  if (!s.ok()) return s.WithContext(field_name);
  return Status::OK();
}

StatusOr<QueryTarget> ResolveQueryTarget(const ApiServices& services, const Caller& caller, int64_t source_id) {
  auto resolved = LoadSource(services, caller.user.team_id, source_id, caller.user.role);
  if (!resolved.ok()) return resolved.status();
  QueryTarget target;
  target.resolved = std::move(*resolved);
  target.signal = target.resolved.target.signal;
  switch (target.resolved.target.backend) {
    case SourceTarget::Backend::kEmbedded:
      if (services.clickhouse_storage) {
        auto backend = Connect(services.clickhouse_storage->connection, services.clickhouse_storage->schema);
        if (!backend.ok()) return backend.status();
        target.clickhouse = std::move(*backend);
        return target;
      }
      target.store = services.store;
      break;
    case SourceTarget::Backend::kAudit:
      target.store = services.audit_store;
      target.signal = Signal::kLogs;
      break;
    case SourceTarget::Backend::kClickHouse: {
      auto backend = ConnectionBackend(services, caller.user.team_id, target.resolved.source);
      if (!backend.ok()) return backend.status();
      target.signal = *SignalOfKind(target.resolved.source.kind);  // ConnectionBackend checked it
      target.clickhouse = std::move(*backend);
      return target;
    }
  }
  if (target.store == nullptr) {
    return Status::Unavailable("source " + std::to_string(source_id) + ": its store is not available");
  }
  return target;
}

Status OpenQueryBackend(const QueryTarget& target, std::optional<Signal> signal,
                        std::shared_ptr<const query::QueryBackend>* out) {
  if (target.clickhouse) {
    *out = target.clickhouse;
    return Status::OK();
  }
  if (target.store == nullptr) return Status::Unavailable("the source's store is not available");
  StoreSnapshot snapshot;
  OTELSTACK_RETURN_IF_ERROR(target.store->Snapshot(signal, &snapshot));
  *out = query::MakeEmbeddedBackend(std::move(snapshot));
  return Status::OK();
}

StatusOr<query::QueryLimits> RequestLimits(const ApiServices& services, const Call& call) {
  auto limits = LimitsFor(services, call.caller->user.team_id, call.caller->user.role);
  if (!limits.ok()) return limits.status();
  limits->cancelled = call.request.cancelled.get();
  return limits;
}

std::string QueryMetaJson(const query::ScanStats& stats, int64_t duration_ms) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("rowsRead");
  w.Uint64(stats.rows_read);
  w.Key("partial");
  w.Bool(stats.partial);
  w.Key("partialReason");
  if (stats.partial) {
    w.String(stats.partial_reason.data(), static_cast<rapidjson::SizeType>(stats.partial_reason.size()));
  } else {
    w.Null();
  }
  w.Key("durationMs");
  w.Int64(duration_ms);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

QueryRecorder::QueryRecorder(const ApiServices& services, const Call& call, audit::QueryEvent::Kind kind)
    : services_(services), start_(std::chrono::steady_clock::now()) {
  event_.kind = kind;
  if (call.caller != nullptr) {
    event_.user_email = call.caller->user.email;
    event_.user_id = call.caller->user.id;
    event_.team_id = call.caller->user.team_id;
  }
  event_.client_address = ClientAddress(call.request);
  event_.user_agent = UserAgent(call.request);
}

void QueryRecorder::SetQuery(std::string text, std::string language) {
  event_.query_text = std::move(text);
  event_.query_language = std::move(language);
}

void QueryRecorder::SetSource(const Source& source) {
  event_.source_id = std::to_string(source.id);
  event_.source_name = source.name;
}

int64_t QueryRecorder::ElapsedMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count();
}

int64_t QueryRecorder::Finish(const Status& status, const query::ScanStats& stats) {
  auto elapsed = std::chrono::steady_clock::now() - start_;
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  if (finished_) return ms;
  finished_ = true;
  if (services_.audit == nullptr) return ms;
  event_.rows_read = stats.rows_read;
  event_.duration_ms = std::chrono::duration<double, std::milli>(elapsed).count();
  if (status.ok()) {
    event_.outcome = stats.partial ? audit::QueryEvent::Outcome::kPartial : audit::QueryEvent::Outcome::kOk;
  } else {
    event_.outcome = status.code() == Status::Code::kCancelled ? audit::QueryEvent::Outcome::kCancelled
                                                               : audit::QueryEvent::Outcome::kError;
    event_.error = status.message();
  }
  services_.audit->Record(event_);
  return ms;
}

}  // namespace otelstack::api
