// otelstack-pipeline-bench: the CPU cost per record of the two stages that
// dominate ingest, measured in one process without HTTP, WAL or scheduling
// noise, so that a change to the decoder or the part writer can be judged in
// seconds instead of by a full run_ingest.sh.
//
//   decode: otlp::Decode of synthetic OTLP/protobuf requests (what an
//           OTLP/HTTP thread does with a request body);
//   flush:  sort by time and WriteRowsAsPart, one part per `--flush-records`
//           rows (what the store's flush thread does with a memtable).
//
// The requests come from the load generator's LogSynth/SpanSynth, so the data
// is the ingest benchmark's. Times are the thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID); the best of `--repeat` passes is reported, which
// filters out the machine's background noise. Parts go to a fresh directory
// under /dev/shm, removed at exit, so disk speed does not count; with `--dir`
// and `--base-time-ns` they are kept, and two builds can be checked for
// writing the same bytes. Not a test: nothing here asserts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/cpu_time.h"
#include "bench/fleet.h"
#include "bench/log_synth.h"
#include "bench/scratch_dir.h"
#include "bench/span_synth.h"
#include "otlp/decode.h"
#include "store/part_merge.h"
#include "store/part_writer.h"

namespace otelstack::bench {
namespace {

struct Options {
  std::string signal = "logs";
  uint64_t records = 1'000'000;
  uint64_t flush_records = 400'000;
  uint32_t batch = 1000;
  int repeat = 3;
  uint64_t seed = 1;
  std::string dir;
  uint64_t base_time_ns = 0;  // 0: now
  uint64_t time_step_ns = SynthOptions{}.time_step_ns;
  bool skip_indexes = true;
  bool shred = true;
  size_t granule_rows = PartWriteOptions{}.granule_rows;
};

std::vector<GeneratedRequest> Generate(const Options& o, Signal signal) {
  SynthOptions so;
  so.seed = o.seed;
  so.batch = o.batch;
  so.time_step_ns = o.time_step_ns;
  so.base_time_ns =
      o.base_time_ns != 0
          ? o.base_time_ns
          : static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch() / std::chrono::nanoseconds(1));
  auto fleet = std::make_shared<const Fleet>(o.seed, 50);
  std::vector<GeneratedRequest> requests;
  uint64_t count = (o.records + o.batch - 1) / o.batch;
  requests.reserve(count);
  if (signal == Signal::kLogs) {
    LogSynth synth(so, fleet);
    for (uint64_t i = 0; i < count; ++i) requests.push_back(synth.Next());
  } else {
    SpanSynth synth(so, fleet);
    for (uint64_t i = 0; i < count; ++i) requests.push_back(synth.Next());
  }
  return requests;
}

// Decodes every request; returns the CPU seconds spent.
double DecodeAll(Signal signal, const std::vector<GeneratedRequest>& requests,
                 std::vector<std::shared_ptr<RowBatch>>* batches) {
  batches->clear();
  batches->reserve(requests.size());
  double start = ThreadCpuSeconds();
  for (const GeneratedRequest& r : requests) {
    otlp::DecodeResult result;
    Status s = otlp::Decode(signal, otlp::Encoding::kProtobuf, r.body, 0, &result);
    if (!s.ok()) {
      std::fprintf(stderr, "pipeline-bench: decode failed: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    batches->push_back(std::move(result.batch));
  }
  return ThreadCpuSeconds() - start;
}

// Writes the batches as parts of `flush_records` rows each, as the store's
// flush thread does; returns the CPU seconds spent and adds the part sizes
// to *bytes.
double FlushAll(const Options& o, Signal signal, const std::vector<std::shared_ptr<RowBatch>>& batches,
                const std::string& dir, bool keep_parts, uint64_t* bytes) {
  PartWriteOptions write_options;
  write_options.build_skip_indexes = o.skip_indexes;
  write_options.shred_attribute_maps = o.shred;
  write_options.granule_rows = o.granule_rows;
  double cpu = 0;
  size_t next = 0;
  int part = 0;
  while (next < batches.size()) {
    std::vector<const RowBatch*> chunk;
    uint64_t rows = 0;
    while (next < batches.size() && rows < o.flush_records) {
      chunk.push_back(batches[next].get());
      rows += batches[next]->rows();
      ++next;
    }
    std::string path = dir + "/p-" + std::to_string(part++) + ".part";
    double start = ThreadCpuSeconds();
    std::vector<TimedRowRef> refs;
    refs.reserve(rows);
    for (uint32_t b = 0; b < chunk.size(); ++b) {
      for (uint32_t r = 0; r < chunk[b]->rows(); ++r) refs.push_back(TimedRowRef{chunk[b]->Time(r), RowRef{b, r}});
    }
    SortByTime(&refs);
    PartInfo info;
    Status s = WriteRowsAsPart(path, signal, chunk, refs, write_options, &info);
    cpu += ThreadCpuSeconds() - start;
    if (!s.ok()) {
      std::fprintf(stderr, "pipeline-bench: flush failed: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    *bytes += std::filesystem::file_size(path);
    if (!keep_parts) std::filesystem::remove(path);
  }
  return cpu;
}

int Run(const Options& o) {
  Signal signal = o.signal == "logs" ? Signal::kLogs : Signal::kTraces;
  ScratchDir dir;
  if (!dir.Open(o.dir, "otelstack-pipeline")) return 1;
  std::vector<GeneratedRequest> requests = Generate(o, signal);
  uint64_t records = 0, wire_bytes = 0;
  for (const GeneratedRequest& r : requests) {
    records += r.records;
    wire_bytes += r.body.size();
  }
  std::printf("%llu %s, %.0f B/record on the wire, parts of %llu rows\n", static_cast<unsigned long long>(records),
              o.signal.c_str(), static_cast<double>(wire_bytes) / records,
              static_cast<unsigned long long>(o.flush_records));
  double best_decode = 1e300, best_flush = 1e300;
  uint64_t part_bytes = 0;
  std::vector<std::shared_ptr<RowBatch>> batches;
  for (int pass = 0; pass < o.repeat; ++pass) {
    best_decode = std::min(best_decode, DecodeAll(signal, requests, &batches));
    part_bytes = 0;
    best_flush = std::min(best_flush, FlushAll(o, signal, batches, dir.path(), !dir.temporary(), &part_bytes));
  }
  double per_m = 1e6 / static_cast<double>(records);
  std::printf("decode: %7.0f ns/record  (%.2f CPU-s per million)\n", best_decode * per_m * 1e3, best_decode * per_m);
  std::printf("flush:  %7.0f ns/record  (%.2f CPU-s per million)\n", best_flush * per_m * 1e3, best_flush * per_m);
  std::printf("part bytes: %.1f B/record (unmerged parts)\n", static_cast<double>(part_bytes) / records);
  return 0;
}

}  // namespace
}  // namespace otelstack::bench

int main(int argc, char** argv) {
  otelstack::bench::Options o;
  CLI::App app{"otelstack-pipeline-bench: CPU per record of OTLP decoding and part writing"};
  app.add_option("--signal", o.signal, "logs | traces")->check(CLI::IsMember({"logs", "traces"}));
  app.add_option("--records", o.records, "records to generate");
  app.add_option("--flush-records", o.flush_records, "rows per part (a memtable's worth)");
  app.add_option("--batch", o.batch, "records per request");
  app.add_option("--repeat", o.repeat, "passes; the fastest is reported")->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "generator seed");
  app.add_option("--dir", o.dir,
                 "where parts are written and kept, to compare builds (default: a temporary directory in /dev/shm, "
                 "removed)");
  app.add_option("--base-time-ns", o.base_time_ns, "timestamp of the first record (default: now)");
  app.add_option("--time-step-ns", o.time_step_ns, "simulated time between consecutive records")->capture_default_str();
  app.add_flag("!--no-skip-indexes", o.skip_indexes, "do not build skip indexes (to attribute their cost)");
  app.add_option("--granule-rows", o.granule_rows, "rows per granule (the store's default unless given)")
      ->check(CLI::PositiveNumber);
  app.add_flag("!--no-shred", o.shred, "do not shred attribute maps (to attribute their cost)");
  CLI11_PARSE(app, argc, argv);
  return otelstack::bench::Run(o);
}
