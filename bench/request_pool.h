// RequestPool: pre-generated request bodies replayed as an endless stream.
//
// Generating realistic records costs far more CPU than sending them, so the
// load generator builds a pool of requests before the timed phase and then
// renders request k of the stream from pool entry k % size(): a copy whose
// timestamps move forward by (k / size()) * period_ns (so time keeps
// advancing across passes) and, from the second pass on, whose trace and span
// ids are XOR-masked with a value derived from k (so ids stay unique while
// parent/child links inside a request stay intact). Patching touches only
// fixed-size fields in place, so it costs one memcpy plus a few stores per
// record. The first pass is sent byte-for-byte as generated.
//
// Limitation: texts and attribute values repeat every pool pass; use a pool
// at least as large as a storage part to keep compression figures honest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/synth.h"

namespace otelstack::bench {

class RequestPool {
 public:
  // REQUIRES: !requests.empty(). `period_ns` is the time span one pass covers.
  RequestPool(std::vector<GeneratedRequest> requests, uint64_t period_ns);

  size_t size() const { return requests_.size(); }
  uint64_t total_bytes() const { return total_bytes_; }
  uint32_t records(uint64_t k) const { return requests_[k % requests_.size()].records; }

  // Writes the body of request k of the stream into *body (reusing its capacity).
  void Render(uint64_t k, std::string* body) const;

 private:
  std::vector<GeneratedRequest> requests_;
  uint64_t period_ns_;
  uint64_t total_bytes_ = 0;
};

}  // namespace otelstack::bench
