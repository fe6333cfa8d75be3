#include "cli/trace_command.h"

#include <iostream>

#include "cli/query_args.h"
#include "common/file_util.h"
#include "ingest/ingest_service.h"
#include "query/result_json.h"
#include "query/trace.h"

namespace otelstack::cli {

TraceCommand::TraceCommand(CLI::App& app) {
  cmd_ = app.add_subcommand("trace", "Print a trace's spans and logs (JSON)");
  backend_.Register(cmd_);
  cmd_->add_option("--trace-id,trace-id", trace_id_, "Trace id (32 hex digits)")->required();
}

int TraceCommand::Run() {
  std::string raw;
  if (trace_id_.size() != 32 || !HexDecode(trace_id_, &raw)) {
    return FailCommand("trace", Status::InvalidArgument("--trace-id must be 32 hex digits"));
  }
  std::unique_ptr<query::QueryBackend> backend;
  Status s = backend_.Open(std::nullopt, &backend);
  if (!s.ok()) return FailCommand("trace", s);
  query::TraceResult trace;
  s = backend->AssembleTrace(raw, query::QueryLimits{}, &trace);
  if (!s.ok()) return FailCommand("trace", s);
  std::cout << query::TraceJson(HexEncode(raw), trace) << "\n";
  return 0;
}

}  // namespace otelstack::cli
