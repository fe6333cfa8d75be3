// Shared types of the synthetic request generators (log_synth.h, span_synth.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/proto_writer.h"

namespace otelstack::bench {

struct SynthOptions {
  uint64_t seed = 1;
  uint32_t batch = 1000;         // records (log records or spans) per request
  uint64_t base_time_ns = 0;     // timestamp of record #0
  uint64_t time_step_ns = 1000;  // average spacing of consecutive records
};

// One encoded Export*ServiceRequest body. `marks` locate every timestamp and
// id in `body` so that copies can be shifted in time and given fresh ids
// without re-encoding (request_pool.h).
struct GeneratedRequest {
  std::string body;
  std::vector<Mark> marks;
  uint32_t records = 0;
};

}  // namespace otelstack::bench
