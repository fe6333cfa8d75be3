#include "cli/search_command.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "cli/time_args.h"
#include "common/file_util.h"
#include "ingest/ingest_service.h"
#include "query/row_json.h"
#include "query/search.h"

namespace otelstack::cli {

SearchCommand::SearchCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("search", "Print matching records as JSON lines, newest first");
  cmd_->add_option("--data-dir", data_dir_, "Data directory of the server")
      ->envname("OTELSTACK_DATA_DIR")
      ->capture_default_str();
  cmd_->add_option("--signal", signal_, "logs, traces or metrics")
      ->check(CLI::IsMember({"logs", "traces", "metrics"}))
      ->capture_default_str();
  cmd_->add_option("--from", from_, "Start time (RFC 3339 or Unix seconds), inclusive");
  cmd_->add_option("--to", to_, "End time (RFC 3339 or Unix seconds), inclusive");
  cmd_->add_option("--since", since_, "Only the last DURATION, e.g. 15m, 24h (instead of --from)");
  cmd_->add_option("--contains", contains_,
                   "Case-insensitive text in the log Body / span name / metric name");
  cmd_->add_option("--service", service_, "Exact ServiceName");
  cmd_->add_option("--trace-id", trace_id_, "Trace id (32 hex digits)");
  cmd_->add_option("--limit", limit_, "Maximum number of records")->capture_default_str();
}

int SearchCommand::Run() {
  auto fail = [](const Status& s) {
    std::cerr << "otelstack search: " << s.ToString() << "\n";
    return 1;
  };
  query::SearchRequest req;
  req.signal = *ParseSignal(signal_);
  req.limit = limit_;
  req.contains = contains_;
  req.service = service_;
  if (!trace_id_.empty() && (trace_id_.size() != 32 || !HexDecode(trace_id_, &req.trace_id))) {
    return fail(Status::InvalidArgument("--trace-id must be 32 hex digits"));
  }
  if (!since_.empty() && !from_.empty()) return fail(Status::InvalidArgument("use --since or --from, not both"));
  if (!since_.empty()) {
    auto d = ParseDuration(since_);
    if (!d.ok()) return fail(d.status());
    uint64_t now = ingest::NowNanos();
    uint64_t span = static_cast<uint64_t>(d->count());
    req.from_ns = span > now ? 0 : now - span;
  }
  if (!from_.empty()) {
    auto t = ParseTimeNanos(from_);
    if (!t.ok()) return fail(t.status());
    req.from_ns = *t;
  }
  if (!to_.empty()) {
    auto t = ParseTimeNanos(to_);
    if (!t.ok()) return fail(t.status());
    req.to_ns = *t;
  }

  std::string store_dir = data_dir_ + "/store";
  StoreSnapshot snapshot;
  Status s = LoadSnapshot(store_dir, ingest::DecodeWalEntry, req.signal, &snapshot);
  if (!s.ok()) return fail(s);
  std::string line;
  Status render;
  s = query::Search(snapshot, req, [&](const RowBatch& batch, size_t row) {
    if (!render.ok()) return;
    line.clear();
    render = query::AppendRowJson(batch, row, &line);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stdout);
  });
  if (s.ok()) s = render;
  if (!s.ok()) return fail(s);
  std::fflush(stdout);
  return 0;
}

}  // namespace otelstack::cli
