#include "cli/search_command.h"

#include <cstdio>
#include <iostream>

#include "query/row_json.h"
#include "query/search.h"

namespace otelstack::cli {

SearchCommand::SearchCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("search", "Print matching records as JSON lines, newest first");
  args_.Register(cmd_, /*with_shortcuts=*/true);
  cmd_->add_option("--limit", limit_, "Maximum number of records")->capture_default_str();
}

int SearchCommand::Run() {
  ResolvedQuery q;
  Status s = args_.Resolve(&q);
  if (!s.ok()) return FailCommand("search", s);
  std::unique_ptr<query::QueryBackend> backend;
  s = args_.OpenBackend(q.signal, &backend);
  if (!s.ok()) return FailCommand("search", s);

  query::SearchRequest req;
  req.signal = q.signal;
  req.from_ns = q.from_ns;
  req.to_ns = q.to_ns;
  req.query = q.root.get();
  req.limit = limit_;
  req.limits = q.limits;
  std::string line;
  Status render;
  query::ScanStats stats;
  s = backend->Search(
      req,
      [&](const RowBatch& batch, size_t row) {
        if (!render.ok()) return;
        line.clear();
        render = query::AppendRowJson(batch, row, &line);
        line.push_back('\n');
        std::fwrite(line.data(), 1, line.size(), stdout);
      },
      &stats);
  if (s.ok()) s = render;
  if (!s.ok()) return FailCommand("search", s);
  std::fflush(stdout);
  if (stats.partial) std::cerr << "otelstack search: partial result: " << stats.partial_reason << "\n";
  return 0;
}

}  // namespace otelstack::cli
