#include "query/trace.h"

#include <algorithm>

#include "common/file_util.h"
#include "query/query_builders.h"
#include "query/row_json.h"
#include "query/search.h"

namespace otelstack::query {

namespace {

Status CollectOldestFirst(const TraceSearch& search, Signal signal, const ast::Node& query, const QueryLimits& limits,
                          std::vector<std::string>* rows, bool* truncated) {
  SearchRequest req;
  req.signal = signal;
  req.query = &query;
  req.limit = kMaxTraceRows + 1;
  req.limits = limits;
  Status render;
  OTELSTACK_RETURN_IF_ERROR(search(req, [&](const RowBatch& batch, size_t row) {
    if (!render.ok()) return;
    std::string json;
    render = AppendRowJson(batch, row, &json);
    rows->push_back(std::move(json));
  }));
  OTELSTACK_RETURN_IF_ERROR(render);
  if (rows->size() > kMaxTraceRows) {
    *truncated = true;
    rows->resize(kMaxTraceRows);  // keeps the newest; the reversal below makes them oldest first
  }
  std::reverse(rows->begin(), rows->end());
  return Status::OK();
}

}  // namespace

Status AssembleTraceWith(const TraceSearch& search, bool with_logs, std::string_view raw_trace_id,
                         const QueryLimits& limits, TraceResult* out) {
  *out = TraceResult();
  if (raw_trace_id.size() != 16) return Status::InvalidArgument("a trace id has 16 bytes (32 hex digits)");
  ast::NodePtr query = FieldEquals("TraceId", HexEncode(raw_trace_id));
  OTELSTACK_RETURN_IF_ERROR(CollectOldestFirst(search, Signal::kTraces, *query, limits, &out->spans, &out->truncated));
  if (!with_logs) return Status::OK();
  return CollectOldestFirst(search, Signal::kLogs, *query, limits, &out->logs, &out->truncated);
}

Status AssembleTrace(const StoreSnapshot& snapshot, std::string_view raw_trace_id, const QueryLimits& limits,
                     TraceResult* out) {
  auto search = [&](const SearchRequest& req, const std::function<void(const RowBatch&, size_t)>& emit) {
    return Search(snapshot, req, emit);
  };
  return AssembleTraceWith(search, /*with_logs=*/true, raw_trace_id, limits, out);
}

}  // namespace otelstack::query
