// The tables of the Embedded connection and which source kind each serves:
//   otel_logs -> log (the store's logs), otel_traces -> trace,
//   otel_metrics -> metric, otelstack_audit -> log (the audit log, admins only).
// Session sources (HyperDX's session replay) have no table on Embedded.
#pragma once

#include <string_view>

#include "api/source_model.h"
#include "common/status.h"

namespace otelstack::api {

inline constexpr char kLogsTable[] = "otel_logs";
inline constexpr char kTracesTable[] = "otel_traces";
inline constexpr char kMetricsTable[] = "otel_metrics";

// Where a source of `kind` on table `table` of the Embedded connection reads
// (backend kEmbedded or kAudit, and the signal). InvalidArgument naming
// from.tableName or kind when the table does not exist or serves another kind.
StatusOr<SourceTarget> ResolveEmbeddedTable(SourceKind kind, std::string_view table);

}  // namespace otelstack::api
