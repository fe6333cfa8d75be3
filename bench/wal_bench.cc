// otelstack-wal-bench: the CPU cost of writing OTLP requests to the
// write-ahead log, in one process, so that a change to the WAL writer can be
// judged without a full run_ingest.sh.
//
// Each record is what the store appends for a request: a small entry header
// and the request's body (random bytes: the writer does not look at them),
// given as two parts. Records are appended `--group` at a time, and each
// group is handed to the kernel (Flush) as the store's group commit does; with
// `--sync` it is also fdatasynced. The segment goes to a fresh file under
// /dev/shm by default, so that disk speed does not count; the kernel's copy
// into the page cache does. Times are the thread's CPU time (user + system:
// the writer runs on the calling thread); the best of `--repeat` passes is
// reported. Not a test: nothing here
// asserts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/cpu_time.h"
#include "bench/scratch_dir.h"
#include "store/wal_writer.h"

namespace otelstack::bench {
namespace {

struct Options {
  uint64_t records = 4000;
  size_t record_bytes = 282'000;  // a request of 1000 synthetic log records
  size_t group = 1;
  bool sync = false;
  int repeat = 5;
  std::string dir;
};

// One pass: a new segment file `path` with o.records records; the CPU seconds
// it took, or a negative value when the writer failed.
double WriteSegment(const Options& o, const std::string& path, const std::vector<std::string>& bodies) {
  std::filesystem::remove(path);
  const std::string header(40, 'h');
  std::unique_ptr<WalWriter> writer;
  Status s = WalWriter::Create(path, 1, &writer);
  const double start = ThreadCpuSeconds();
  for (uint64_t i = 0; s.ok() && i < o.records; ++i) {
    const std::string_view parts[] = {header, bodies[i % bodies.size()]};
    s = writer->AppendParts(parts);
    if (s.ok() && (i + 1) % o.group == 0) s = o.sync ? writer->Sync() : writer->Flush();
  }
  if (s.ok()) s = writer->Close();
  const double cpu = ThreadCpuSeconds() - start;
  if (!s.ok()) {
    std::fprintf(stderr, "wal-bench: %s\n", s.ToString().c_str());
    return -1;
  }
  return cpu;
}

int Run(const Options& o) {
  ScratchDir dir;
  if (!dir.Open(o.dir, "otelstack-wal-bench")) return 1;
  std::mt19937_64 rng(1);
  std::vector<std::string> bodies(16);  // distinct, so no pass reads one body only from the cache
  for (std::string& body : bodies) {
    body.resize(o.record_bytes);
    for (char& c : body) c = static_cast<char>(rng());
  }
  double best = 1e300;
  for (int pass = 0; pass < o.repeat && best >= 0; ++pass) {
    const double cpu = WriteSegment(o, dir.path() + "/000001.wal", bodies);
    best = cpu < 0 ? cpu : std::min(best, cpu);
  }
  if (best < 0) return 1;
  const double bytes = static_cast<double>(o.records) * static_cast<double>(o.record_bytes);
  std::printf("%llu records of %zu bytes, %zu per group%s\n", static_cast<unsigned long long>(o.records),
              o.record_bytes, o.group, o.sync ? ", fdatasync per group" : "");
  std::printf("wal: %.2f us/record, %.3f CPU-s per GB\n", best / static_cast<double>(o.records) * 1e6,
              best / bytes * 1e9);
  return 0;
}

}  // namespace
}  // namespace otelstack::bench

int main(int argc, char** argv) {
  otelstack::bench::Options o;
  CLI::App app{"otelstack-wal-bench: CPU per record of writing requests to the write-ahead log"};
  app.add_option("--records", o.records, "records per pass")->check(CLI::PositiveNumber);
  app.add_option("--record-bytes", o.record_bytes, "bytes of each record's body")->capture_default_str();
  app.add_option("--group", o.group, "records per group commit (Flush, or Sync with --sync)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--sync", o.sync, "fdatasync each group (counts the file system's work too)");
  app.add_option("--repeat", o.repeat, "passes; the fastest is reported")->check(CLI::PositiveNumber);
  app.add_option("--dir", o.dir, "where the segment is written (default: a temporary directory in /dev/shm, removed)");
  CLI11_PARSE(app, argc, argv);
  return otelstack::bench::Run(o);
}
