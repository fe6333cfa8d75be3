// ThreadCpuSeconds: the calling thread's CPU time (user + system), which the
// in-process benchmarks time their passes with: unlike wall time, it leaves
// out the moments another process had the core.
#pragma once

#include <ctime>

namespace otelstack::bench {

inline double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace otelstack::bench
