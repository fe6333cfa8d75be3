#include "cli/chart_command.h"

#include <iostream>

#include "cli/time_args.h"
#include "query/aggregate.h"
#include "query/planner/binder.h"
#include "query/result_json.h"

namespace otelstack::cli {

ChartCommand::ChartCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("chart", "Aggregate matching records by time bucket and fields (JSON)");
  args_.Register(cmd_, /*with_shortcuts=*/false);
  cmd_->add_option("--agg", aggregates_,
                   "Aggregate, repeatable: count, sum(F), avg(F), min(F), max(F), p50(F), p90(F), p95(F), p99(F), "
                   "quantile(0.999,F), count_distinct(F)")
      ->required();
  cmd_->add_option("--group-by", group_by_,
                   "Field to group by, repeatable: a column (ServiceName), an attribute (http.route) or "
                   "Map['key']");
  cmd_->add_option("--granularity", granularity_,
                   "Time bucket: a duration (30s, 1m, 1h) or 'auto' (about 120 buckets over the time range); "
                   "none when omitted");
  cmd_->add_option("--top-k", top_k_,
                   "Keep the K groups with the largest first aggregate, fold the rest into null "
                   "(0: keep all)")
      ->capture_default_str();
}

int ChartCommand::Run() {
  ResolvedQuery q;
  Status s = args_.Resolve(&q);
  if (!s.ok()) return FailCommand("chart", s);
  query::ChartRequest req;
  req.signal = q.signal;
  req.from_ns = q.from_ns;
  req.to_ns = q.to_ns;
  req.query = q.root.get();
  req.limits = q.limits;
  req.top_k = top_k_;
  for (const std::string& text : aggregates_) {
    query::AggSpec spec;
    s = query::ParseAggSpec(text, &spec);
    if (!s.ok()) return FailCommand("chart", s);
    req.aggregates.push_back(std::move(spec));
  }
  for (const std::string& text : group_by_) {
    query::ast::Field field;
    s = query::ParseFieldRef(text, &field);
    if (!s.ok()) return FailCommand("chart", s.WithContext("--group-by"));
    req.group_by.push_back(std::move(field));
  }
  if (granularity_ == "auto") {
    if (q.to_ns == UINT64_MAX || q.from_ns == 0) {
      return FailCommand("chart",
                         Status::InvalidArgument("--granularity auto needs a time range (--from/--to or --since)"));
    }
    req.granularity_ns = query::AutoGranularity(q.from_ns, q.to_ns);
  } else if (!granularity_.empty()) {
    auto d = ParseDuration(granularity_);
    if (!d.ok()) return FailCommand("chart", d.status().WithContext("--granularity"));
    if (d->count() <= 0) return FailCommand("chart", Status::InvalidArgument("--granularity must be positive"));
    req.granularity_ns = static_cast<uint64_t>(d->count());
  }

  std::unique_ptr<query::QueryBackend> backend;
  s = args_.OpenBackend(q.signal, &backend);
  if (!s.ok()) return FailCommand("chart", s);
  query::ChartResult result;
  s = backend->Chart(req, &result);
  if (!s.ok()) return FailCommand("chart", s);
  std::cout << query::ChartJson(result, req.granularity_ns) << "\n";
  return 0;
}

}  // namespace otelstack::cli
