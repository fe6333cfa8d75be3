// LogSynth: a deterministic stream of ExportLogsServiceRequest bodies.
//
// Each request carries `batch` log records from 4-12 fleet instances (one
// ResourceLogs + ScopeLogs per instance, as an OpenTelemetry Collector batch
// would). Records have a realistic severity mix (~70% INFO, 14% DEBUG, 10%
// WARN, ~5% ERROR/FATAL), a body from ~40 message templates filled with
// varying values (paths, durations, user ids, order ids, error messages),
// 3-8 attributes (http.method, http.route, http.status_code as int,
// duration_ms as double, user.id, ...), and ~60% carry a trace/span id.
//
// Record n of the stream has a timestamp near base_time_ns + n * time_step_ns.
// Same options, same bytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/fleet.h"
#include "bench/random.h"
#include "bench/synth.h"

namespace otelstack::bench {

class LogSynth {
 public:
  LogSynth(const SynthOptions& options, std::shared_ptr<const Fleet> fleet);

  GeneratedRequest Next();

 private:
  struct InstanceTraceState {
    std::string trace_id;
    std::string span_id;
    int records_left = 0;  // records that still share trace_id
  };

  void AppendRecord(size_t instance, uint64_t time_ns, ProtoWriter* scope_logs);
  std::string FillTemplate(const char* text, const struct LogContext& ctx);

  SynthOptions options_;
  std::shared_ptr<const Fleet> fleet_;
  Rng rng_;
  uint64_t next_seq_ = 0;
  std::vector<InstanceTraceState> trace_state_;
};

}  // namespace otelstack::bench
