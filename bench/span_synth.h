// SpanSynth: a deterministic stream of ExportTraceServiceRequest bodies.
//
// Each request carries `batch` spans made of whole traces of 1-10 spans (the
// last trace of a request is cut short to fit). A trace is a tree rooted at
// a SERVER span; children are INTERNAL spans, database CLIENT spans, HTTP
// CLIENT spans followed by the callee's SERVER span in another service, and
// kafka PRODUCER spans followed by a CONSUMER span. Child intervals nest in
// their parent's. ~3% of spans fail (status ERROR + an "exception" event);
// ~10% carry another event; ~1% of roots link to another trace. Spans are
// grouped by fleet instance (one ResourceSpans + ScopeSpans each).
//
// Trace n of the stream starts near base_time_ns + (spans before it) *
// time_step_ns. Same options, same bytes.
#pragma once

#include <memory>

#include "bench/fleet.h"
#include "bench/random.h"
#include "bench/synth.h"

namespace otelstack::bench {

class SpanSynth {
 public:
  SpanSynth(const SynthOptions& options, std::shared_ptr<const Fleet> fleet);

  GeneratedRequest Next();

 private:
  // Appends one trace of `size` spans: each span's encoded Span message goes
  // to (*by_instance)[instance].
  void AppendTrace(int size, uint64_t start_ns, std::vector<ProtoWriter>* by_instance);

  SynthOptions options_;
  std::shared_ptr<const Fleet> fleet_;
  Rng rng_;
  uint64_t next_seq_ = 0;
};

}  // namespace otelstack::bench
