#include "cli/facets_command.h"

#include <iostream>

#include "query/facets.h"
#include "query/planner/binder.h"
#include "query/result_json.h"

namespace otelstack::cli {

FacetsCommand::FacetsCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("facets", "Top values of fields among matching records (JSON)");
  args_.Register(cmd_, /*with_shortcuts=*/false);
  cmd_->add_option("--field", fields_, "Field to count values of, repeatable")->required();
  cmd_->add_option("--limit", limit_, "Values per field")->capture_default_str();
}

int FacetsCommand::Run() {
  ResolvedQuery q;
  Status s = args_.Resolve(&q);
  if (!s.ok()) return FailCommand("facets", s);
  query::FacetsRequest req;
  req.signal = q.signal;
  req.from_ns = q.from_ns;
  req.to_ns = q.to_ns;
  req.query = q.root.get();
  req.limits = q.limits;
  req.limit = limit_;
  for (const std::string& text : fields_) {
    query::ast::Field field;
    s = query::ParseFieldRef(text, &field);
    if (!s.ok()) return FailCommand("facets", s.WithContext("--field"));
    req.fields.push_back(std::move(field));
  }
  std::unique_ptr<query::QueryBackend> backend;
  s = args_.OpenBackend(q.signal, &backend);
  if (!s.ok()) return FailCommand("facets", s);
  std::vector<query::Facet> facets;
  query::ScanStats stats;
  s = backend->Facets(req, &facets, &stats);
  if (!s.ok()) return FailCommand("facets", s);
  std::cout << query::FacetsJson(facets, stats) << "\n";
  return 0;
}

}  // namespace otelstack::cli
