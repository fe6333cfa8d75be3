// Search and trace assembly on ClickHouse (engine.h).
#include "query/clickhouse/engine.h"
#include "query/clickhouse/statement.h"
#include "query/trace.h"

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

Status AssembleTrace(const ClickHouseSource& traces, const ClickHouseSource& logs, std::string_view raw_trace_id,
                     const QueryLimits& limits, TraceResult* out) {
  auto search = [&](const SearchRequest& req, const std::function<void(const RowBatch&, size_t)>& emit) {
    return Search(req.signal == Signal::kTraces ? traces : logs, req, emit);
  };
  return AssembleTraceWith(search, /*with_logs=*/logs.mapping != nullptr, raw_trace_id, limits, out);
}

}  // namespace otelstack::query::ch
