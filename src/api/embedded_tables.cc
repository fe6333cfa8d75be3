#include "api/embedded_tables.h"

#include <string>

namespace otelstack::api {

StatusOr<SourceTarget> ResolveEmbeddedTable(SourceKind kind, std::string_view table) {
  if (kind == SourceKind::kSession) {
    return Status::InvalidArgument("kind: session sources are not supported on the Embedded connection");
  }
  SourceTarget target;
  SourceKind serves;
  if (table == kLogsTable) {
    target.signal = Signal::kLogs;
    serves = SourceKind::kLog;
  } else if (table == kTracesTable) {
    target.signal = Signal::kTraces;
    serves = SourceKind::kTrace;
  } else if (table == kMetricsTable) {
    target.signal = Signal::kMetrics;
    serves = SourceKind::kMetric;
  } else if (table == kAuditTable) {
    target.backend = SourceTarget::Backend::kAudit;
    target.signal = Signal::kLogs;
    serves = SourceKind::kLog;
  } else {
    return Status::InvalidArgument("from.tableName: the Embedded connection has no table \"" + std::string(table) +
                                   "\" (it has otel_logs, otel_traces, otel_metrics and otelstack_audit)");
  }
  if (serves != kind) {
    return Status::InvalidArgument("from.tableName: table " + std::string(table) + " holds " +
                                   std::string(SourceKindName(serves)) + " data, not " +
                                   std::string(SourceKindName(kind)));
  }
  return target;
}

}  // namespace otelstack::api
