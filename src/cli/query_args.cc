#include "cli/query_args.h"

#include <iostream>

#include "cli/time_args.h"
#include "common/file_util.h"
#include "common/secrets.h"
#include "ingest/ingest_service.h"
#include "query/parser/lucene_parser.h"
#include "query/parser/sql_parser.h"
#include "query/query_builders.h"

namespace otelstack::cli {

using query::ast::Node;
using query::ast::NodePtr;

void BackendArgs::Register(CLI::App* cmd) {
  cmd->add_option("--data-dir", data_dir_, "Data directory of the server")
      ->envname("OTELSTACK_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--clickhouse-url", clickhouse_url_,
                  "Query this ClickHouse server (http[s]://host:port) instead of the data directory; the password "
                  "comes from OTELSTACK_CLICKHOUSE_PASSWORD or OTELSTACK_CLICKHOUSE_PASSWORD_FILE")
      ->envname("OTELSTACK_CLICKHOUSE_URL");
  cmd->add_option("--clickhouse-user", clickhouse_user_, "ClickHouse user (default: the server's default user)")
      ->envname("OTELSTACK_CLICKHOUSE_USER");
  cmd->add_option("--clickhouse-database", clickhouse_database_, "ClickHouse database holding otelstack's tables")
      ->envname("OTELSTACK_CLICKHOUSE_DATABASE")
      ->capture_default_str();
  cmd->add_option("--clickhouse-ca-file", clickhouse_ca_file_, "PEM file of CAs trusted for https")
      ->envname("OTELSTACK_CLICKHOUSE_CA_FILE");
}

Status BackendArgs::Open(std::optional<Signal> signal, std::unique_ptr<query::QueryBackend>* out) const {
  if (clickhouse_url_.empty()) {
    StoreSnapshot snapshot;
    OTELSTACK_RETURN_IF_ERROR(otelstack::LoadSnapshot(data_dir_ + "/store", ingest::DecodeWalEntry, signal, &snapshot));
    *out = query::MakeEmbeddedBackend(std::move(snapshot));
    return Status::OK();
  }
  auto url = clickhouse::ParseClickHouseUrl(clickhouse_url_);
  if (!url.ok()) return url.status().WithContext("--clickhouse-url");
  clickhouse::ConnectionOptions connection;
  connection.url = *url;
  connection.user = clickhouse_user_;
  connection.ca_file = clickhouse_ca_file_;
  auto password = ReadSecret("OTELSTACK_CLICKHOUSE_PASSWORD");
  if (!password.ok()) return password.status();
  if (password->has_value()) connection.password = **password;
  clickhouse::SchemaOptions schema;
  schema.database = clickhouse_database_;
  auto backend = query::ConnectClickHouseBackend(connection, schema);
  if (!backend.ok()) return backend.status();
  *out = std::move(*backend);
  return Status::OK();
}

void QueryArgs::Register(CLI::App* cmd, bool with_shortcuts) {
  backend_.Register(cmd);
  cmd->add_option("--signal", signal_, "logs, traces or metrics")
      ->check(CLI::IsMember({"logs", "traces", "metrics"}))
      ->capture_default_str();
  cmd->add_option("--from", from_, "Start time (RFC 3339 or Unix seconds), inclusive");
  cmd->add_option("--to", to_, "End time (RFC 3339 or Unix seconds), inclusive");
  cmd->add_option("--since", since_, "Only the last DURATION, e.g. 15m, 24h (instead of --from)");
  auto* q = cmd->add_option("--query,-q", lucene_,
                            "Search in the Lucene-style language, e.g. 'level:error \"timed out\" -service:db' "
                            "(docs/search.md)");
  auto* s = cmd->add_option("--sql", sql_,
                            "Search with a SQL WHERE clause, e.g. \"Duration > 5e8 AND "
                            "SpanAttributes['http.method'] = 'POST'\"");
  q->excludes(s);
  if (with_shortcuts) {
    cmd->add_option("--contains", contains_, "Case-insensitive text anywhere in the record's text or attributes");
    cmd->add_option("--service", service_, "Exact ServiceName");
    cmd->add_option("--trace-id", trace_id_, "Trace id (32 hex digits)");
  }
  cmd->add_option("--max-rows-to-read", max_rows_to_read_, "Stop or fail after reading this many rows (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--read-overflow-mode", read_overflow_mode_,
                  "throw: fail when --max-rows-to-read is reached; break: return a partial result")
      ->check(CLI::IsMember({"throw", "break"}))
      ->capture_default_str();
  cmd->add_option("--max-execution-time", max_execution_time_s_, "Seconds before the query stops (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--timeout-overflow-mode", timeout_overflow_mode_,
                  "throw: fail at --max-execution-time; break: return a partial result")
      ->check(CLI::IsMember({"throw", "break"}))
      ->capture_default_str();
}

Status QueryArgs::Resolve(ResolvedQuery* out) const {
  out->signal = *ParseSignal(signal_);
  if (!since_.empty() && !from_.empty()) return Status::InvalidArgument("use --since or --from, not both");
  if (!since_.empty()) {
    auto d = ParseDuration(since_);
    if (!d.ok()) return d.status();
    uint64_t now = ingest::NowNanos();
    uint64_t span = static_cast<uint64_t>(d->count());
    out->from_ns = span > now ? 0 : now - span;
  }
  if (!from_.empty()) {
    auto t = ParseTimeNanos(from_);
    if (!t.ok()) return t.status().WithContext("--from");
    out->from_ns = *t;
  }
  if (!to_.empty()) {
    auto t = ParseTimeNanos(to_);
    if (!t.ok()) return t.status().WithContext("--to");
    out->to_ns = *t;
  }

  std::vector<NodePtr> terms;
  if (!lucene_.empty() || !sql_.empty()) {
    NodePtr parsed;
    Status s = lucene_.empty() ? query::ParseSqlWhere(sql_, &parsed) : query::ParseLucene(lucene_, &parsed);
    if (!s.ok()) return s.WithContext(lucene_.empty() ? "--sql" : "--query");
    if (parsed) terms.push_back(std::move(parsed));
  }
  if (!contains_.empty()) terms.push_back(query::TextSearch(contains_, query::ast::TextMode::kSubstring));
  if (!service_.empty()) terms.push_back(query::FieldEquals("ServiceName", service_));
  if (!trace_id_.empty()) {
    std::string raw;
    if (trace_id_.size() != 32 || !HexDecode(trace_id_, &raw)) {
      return Status::InvalidArgument("--trace-id must be 32 hex digits");
    }
    terms.push_back(query::FieldEquals("TraceId", HexEncode(raw)));
  }
  if (terms.size() == 1) {
    out->root = std::move(terms[0]);
  } else if (terms.size() > 1) {
    out->root = std::make_unique<Node>(Node::Kind::kAnd);
    for (auto& t : terms) out->root->children.push_back(std::move(t));
  }

  out->limits.max_rows_to_read = max_rows_to_read_;
  out->limits.read_overflow_mode =
      read_overflow_mode_ == "break" ? query::OverflowMode::kBreak : query::OverflowMode::kThrow;
  out->limits.max_execution_time = std::chrono::milliseconds(static_cast<int64_t>(max_execution_time_s_ * 1000));
  out->limits.timeout_overflow_mode =
      timeout_overflow_mode_ == "break" ? query::OverflowMode::kBreak : query::OverflowMode::kThrow;
  return Status::OK();
}

int FailCommand(const char* command, const Status& s) {
  std::cerr << "otelstack " << command << ": " << s.ToString() << "\n";
  return 1;
}

}  // namespace otelstack::cli
