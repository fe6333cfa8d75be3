// Search and trace assembly on ClickHouse (engine.h).
#include <algorithm>

#include "common/file_util.h"
#include "query/clickhouse/engine.h"
#include "query/clickhouse/statement.h"
#include "query/query_builders.h"
#include "query/row_json.h"

namespace otelstack::query::ch {

Status Search(const ClickHouseSource& source, const SearchRequest& req,
              const std::function<void(const RowBatch& batch, size_t row)>& emit, ScanStats* stats) {
  OTELSTACK_RETURN_IF_ERROR(CheckSource(source, req.signal));
  if (stats != nullptr) *stats = ScanStats();
  if (req.limit == 0) return Status::OK();
  std::string where;
  OTELSTACK_RETURN_IF_ERROR(WhereSql(source, req.signal, req.from_ns, req.to_ns, req.query, &where));
  const clickhouse::ReadMapping& m = *source.mapping;
  std::string sql = "SELECT " + m.RowSelectList() + "\nFROM " + m.From() + "\nWHERE " + where + "\nORDER BY " +
                    m.TimeNs() + " DESC\nLIMIT " + std::to_string(req.limit);
  std::string body;
  OTELSTACK_RETURN_IF_ERROR(RunRowBinary(source, sql, req.limits, &body).WithContext("search on ClickHouse"));
  RowBatch batch(req.signal);
  OTELSTACK_RETURN_IF_ERROR(m.DecodeRows(body, &batch).WithContext("search on ClickHouse"));
  if (stats != nullptr) stats->rows_read = batch.rows();
  for (size_t r = 0; r < batch.rows(); ++r) emit(batch, r);
  return Status::OK();
}

namespace {

Status CollectOldestFirst(const ClickHouseSource& source, Signal signal, const ast::Node& query,
                          const QueryLimits& limits, std::vector<std::string>* rows, bool* truncated) {
  SearchRequest req;
  req.signal = signal;
  req.query = &query;
  req.limit = kMaxTraceRows + 1;
  req.limits = limits;
  Status render;
  OTELSTACK_RETURN_IF_ERROR(Search(source, req, [&](const RowBatch& batch, size_t row) {
    if (!render.ok()) return;
    std::string json;
    render = AppendRowJson(batch, row, &json);
    rows->push_back(std::move(json));
  }));
  OTELSTACK_RETURN_IF_ERROR(render);
  if (rows->size() > kMaxTraceRows) {
    *truncated = true;
    rows->resize(kMaxTraceRows);  // keeps the newest; reversed below to oldest first
  }
  std::reverse(rows->begin(), rows->end());
  return Status::OK();
}

}  // namespace

Status AssembleTrace(const ClickHouseSource& traces, const ClickHouseSource& logs, std::string_view raw_trace_id,
                     const QueryLimits& limits, TraceResult* out) {
  *out = TraceResult();
  if (raw_trace_id.size() != 16) return Status::InvalidArgument("a trace id has 16 bytes (32 hex digits)");
  ast::NodePtr query = FieldEquals("TraceId", HexEncode(raw_trace_id));
  OTELSTACK_RETURN_IF_ERROR(CollectOldestFirst(traces, Signal::kTraces, *query, limits, &out->spans, &out->truncated));
  if (logs.mapping == nullptr) return Status::OK();
  return CollectOldestFirst(logs, Signal::kLogs, *query, limits, &out->logs, &out->truncated);
}

}  // namespace otelstack::query::ch
