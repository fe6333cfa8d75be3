// otelstack-loadgen: sends synthetic OTLP/HTTP protobuf traffic and reports
// throughput, HTTP status counts and request latency.
//
// Phases: (1) generate a pool of request bodies (not timed); (2) N threads,
// each with one keep-alive connection, take request numbers from a shared
// counter, render the body from the pool (request_pool.h) and POST it until
// the record target or the deadline is reached; (3) print a summary, ending
// with one machine-readable "RESULT key=value ..." line.
//
// 503 and 429 responses and transport errors are retried (after Retry-After
// or 100 ms) up to --max-retries times; other non-200 answers are final and
// their records count as failed. Exit status: 0 when every record was
// acknowledged with 200, 1 otherwise, 2 on usage errors.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/fleet.h"
#include "bench/http_client.h"
#include "bench/log_synth.h"
#include "bench/request_pool.h"
#include "bench/span_synth.h"

namespace otelstack::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string endpoint = "http://127.0.0.1:4318";
  std::string signal = "logs";
  std::string key;
  bool bearer = false;
  int connections = 4;
  uint32_t batch = 1000;
  uint64_t records = 1'000'000;
  double duration_s = 0;
  double rate = 0;  // records per second offered, over all connections; 0: as fast as acknowledged
  uint64_t seed = 1;
  uint64_t pool_records = 200'000;
  uint64_t time_step_ns = 1000;
  uint64_t base_time_ns = 0;
  int services = 50;
  std::string dump_request;
  uint64_t dump_index = 0;
  double progress_s = 5;
  int max_retries = 10;
};

struct ThreadStats {
  uint64_t requests_ok = 0;
  uint64_t records_acked = 0;
  uint64_t records_failed = 0;
  uint64_t bytes_sent = 0;
  uint64_t transport_errors = 0;
  std::map<int, uint64_t> status_counts;
  std::map<std::string, uint64_t> transport_error_texts;
  std::vector<uint32_t> latencies_us;  // one per HTTP exchange that got a response
};

double Percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * (sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

bool ParseEndpoint(const std::string& endpoint, std::string* host, std::string* port) {
  std::string rest = endpoint;
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  if (rest.rfind("https://", 0) == 0) return false;  // no TLS in the load generator
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return false;
  *host = rest.substr(0, colon);
  *port = rest.substr(colon + 1);
  return true;
}

RequestPool BuildPool(const Options& o, uint64_t pool_requests) {
  SynthOptions so;
  so.seed = o.seed;
  so.batch = o.batch;
  so.base_time_ns = o.base_time_ns;
  so.time_step_ns = o.time_step_ns;
  auto fleet = std::make_shared<const Fleet>(o.seed, o.services);
  std::vector<GeneratedRequest> requests;
  requests.reserve(pool_requests);
  uint64_t records = 0;
  if (o.signal == "logs") {
    LogSynth synth(so, fleet);
    for (uint64_t i = 0; i < pool_requests; ++i) requests.push_back(synth.Next());
  } else {
    SpanSynth synth(so, fleet);
    for (uint64_t i = 0; i < pool_requests; ++i) requests.push_back(synth.Next());
  }
  for (const auto& r : requests) records += r.records;
  return RequestPool(std::move(requests), records * o.time_step_ns);
}

int Run(const Options& o) {
  uint64_t total_requests = o.duration_s > 0 ? UINT64_MAX : (o.records + o.batch - 1) / o.batch;
  uint64_t pool_requests = std::max<uint64_t>(1, (o.pool_records + o.batch - 1) / o.batch);
  if (o.dump_request.empty()) pool_requests = std::min(pool_requests, total_requests);

  auto gen_start = Clock::now();
  RequestPool pool = BuildPool(o, pool_requests);
  double gen_s = std::chrono::duration<double>(Clock::now() - gen_start).count();
  std::fprintf(stderr, "loadgen: generated %zu requests x %u %s (%.1f MiB, %.0f B/record) in %.2f s\n", pool.size(),
               o.batch, o.signal == "logs" ? "log records" : "spans", pool.total_bytes() / 1048576.0,
               static_cast<double>(pool.total_bytes()) / (pool.size() * static_cast<double>(o.batch)), gen_s);

  if (!o.dump_request.empty()) {
    std::string body;
    pool.Render(o.dump_index, &body);
    std::ofstream out(o.dump_request, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out) {
      std::fprintf(stderr, "loadgen: cannot write %s\n", o.dump_request.c_str());
      return 2;
    }
    std::fprintf(stderr, "loadgen: wrote request %llu (%zu bytes, %u records) to %s\n",
                 static_cast<unsigned long long>(o.dump_index), body.size(), pool.records(o.dump_index),
                 o.dump_request.c_str());
    return 0;
  }

  std::string host, port;
  if (!ParseEndpoint(o.endpoint, &host, &port)) {
    std::fprintf(stderr, "loadgen: bad --endpoint %s (want http://HOST:PORT)\n", o.endpoint.c_str());
    return 2;
  }
  std::string target = o.signal == "logs" ? "/v1/logs" : "/v1/traces";
  std::string authorization = o.key.empty() ? "" : (o.bearer ? "Bearer " + o.key : o.key);

  std::atomic<uint64_t> next_request{0};
  std::atomic<uint64_t> acked_total{0};
  std::atomic<bool> stop{false};
  std::vector<ThreadStats> stats(o.connections);
  auto start = Clock::now();
  auto deadline = o.duration_s > 0
                      ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s))
                      : Clock::time_point::max();

  // With --rate, request k is sent no earlier than k request intervals after
  // the start (one schedule shared by all connections); a connection that
  // falls behind sends at once, so the offered rate is a ceiling.
  const double request_interval_s = o.rate > 0 ? o.batch / o.rate : 0;

  auto worker = [&](int index) {
    ThreadStats& st = stats[index];
    HttpConnection conn(host, port, authorization);
    std::string body;
    while (!stop.load(std::memory_order_relaxed)) {
      if (Clock::now() >= deadline) break;
      uint64_t k = next_request.fetch_add(1, std::memory_order_relaxed);
      if (k >= total_requests) break;
      if (request_interval_s > 0) {
        const auto due =
            start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(k * request_interval_s));
        std::this_thread::sleep_until(std::min(due, deadline));
        if (Clock::now() >= deadline) break;
      }
      pool.Render(k, &body);
      uint32_t records = pool.records(k);
      bool done = false;
      for (int attempt = 0; attempt <= o.max_retries && !done; ++attempt) {
        auto t0 = Clock::now();
        HttpResult r = conn.Post(target, "application/x-protobuf", &body);
        auto t1 = Clock::now();
        st.bytes_sent += body.size();
        if (r.status == 0) {
          ++st.transport_errors;
          ++st.transport_error_texts[r.error];
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          continue;
        }
        st.latencies_us.push_back(
            static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count()));
        ++st.status_counts[r.status];
        if (r.status == 200) {
          ++st.requests_ok;
          st.records_acked += records;
          acked_total.fetch_add(records, std::memory_order_relaxed);
          done = true;
        } else if (r.status == 503 || r.status == 429) {
          double wait = r.retry_after_s > 0 ? std::min(r.retry_after_s, 5.0) : 0.1;
          std::this_thread::sleep_for(std::chrono::duration<double>(wait));
        } else {
          break;  // final error
        }
      }
      if (!done) st.records_failed += records;
    }
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < o.connections; ++i) threads.emplace_back(worker, i);
  std::thread progress([&] {
    uint64_t last = 0;
    auto last_t = start;
    while (!stop.load()) {
      auto wake = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(o.progress_s > 0 ? o.progress_s : 3600.0));
      while (!stop.load() && Clock::now() < wake) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (stop.load() || o.progress_s <= 0) break;
      uint64_t now_acked = acked_total.load();
      auto now = Clock::now();
      std::fprintf(stderr, "loadgen: %.0f s: %llu records acked, %.0f records/s\n",
                   std::chrono::duration<double>(now - start).count(), static_cast<unsigned long long>(now_acked),
                   (now_acked - last) / std::chrono::duration<double>(now - last_t).count());
      last = now_acked;
      last_t = now;
    }
  });
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  stop.store(true);
  progress.join();

  ThreadStats total;
  for (ThreadStats& st : stats) {
    total.requests_ok += st.requests_ok;
    total.records_acked += st.records_acked;
    total.records_failed += st.records_failed;
    total.bytes_sent += st.bytes_sent;
    total.transport_errors += st.transport_errors;
    for (auto& [code, n] : st.status_counts) total.status_counts[code] += n;
    for (auto& [text, n] : st.transport_error_texts) total.transport_error_texts[text] += n;
    total.latencies_us.insert(total.latencies_us.end(), st.latencies_us.begin(), st.latencies_us.end());
  }
  std::sort(total.latencies_us.begin(), total.latencies_us.end());
  uint64_t exchanges = total.latencies_us.size();
  uint64_t errors = total.transport_errors;
  std::string status_text;
  for (auto& [code, n] : total.status_counts) {
    if (code != 200) errors += n;
    status_text += " " + std::to_string(code) + "=" + std::to_string(n);
  }

  std::printf("signal:            %s (%s%s)\n", o.signal.c_str(), o.endpoint.c_str(), target.c_str());
  std::printf("connections:       %d, batch %u records/request\n", o.connections, o.batch);
  std::printf("elapsed:           %.3f s\n", elapsed);
  std::printf("records acked:     %llu (failed %llu)\n", static_cast<unsigned long long>(total.records_acked),
              static_cast<unsigned long long>(total.records_failed));
  std::printf("throughput:        %.0f records/s, %.1f requests/s, %.1f MiB/s sent\n", total.records_acked / elapsed,
              total.requests_ok / elapsed, total.bytes_sent / 1048576.0 / elapsed);
  std::printf("latency/request:   p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%llu exchanges)\n",
              Percentile(total.latencies_us, 0.5), Percentile(total.latencies_us, 0.9),
              Percentile(total.latencies_us, 0.99), Percentile(total.latencies_us, 1.0),
              static_cast<unsigned long long>(exchanges));
  std::printf("http status:      %s\n", status_text.empty() ? " (none)" : status_text.c_str());
  std::printf("transport errors:  %llu\n", static_cast<unsigned long long>(total.transport_errors));
  for (auto& [text, n] : total.transport_error_texts) {
    std::printf("  %llu x %s\n", static_cast<unsigned long long>(n), text.c_str());
  }
  std::printf(
      "RESULT signal=%s records_acked=%llu records_failed=%llu elapsed_s=%.3f records_per_s=%.0f "
      "requests_per_s=%.1f bytes_sent=%llu p50_ms=%.3f p99_ms=%.3f errors=%llu\n",
      o.signal.c_str(), static_cast<unsigned long long>(total.records_acked),
      static_cast<unsigned long long>(total.records_failed), elapsed, total.records_acked / elapsed,
      total.requests_ok / elapsed, static_cast<unsigned long long>(total.bytes_sent),
      Percentile(total.latencies_us, 0.5), Percentile(total.latencies_us, 0.99),
      static_cast<unsigned long long>(errors));
  std::fflush(stdout);
  return total.records_failed == 0 && total.records_acked > 0 ? 0 : 1;
}

}  // namespace
}  // namespace otelstack::bench

int main(int argc, char** argv) {
  otelstack::bench::Options o;
  if (const char* key = std::getenv("OTELSTACK_INGESTION_KEY")) o.key = key;
  CLI::App app{"otelstack-loadgen: synthetic OTLP/HTTP protobuf load"};
  app.add_option("--endpoint", o.endpoint, "OTLP/HTTP base URL, http://HOST:PORT")->capture_default_str();
  app.add_option("--signal", o.signal, "logs or traces")
      ->check(CLI::IsMember({"logs", "traces"}))
      ->capture_default_str();
  app.add_option("--key", o.key, "ingestion key sent as the authorization header (default: $OTELSTACK_INGESTION_KEY)");
  app.add_flag("--bearer", o.bearer, "send 'authorization: Bearer <key>'");
  app.add_option("-c,--connections", o.connections, "connections (one thread each)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("-b,--batch", o.batch, "records per request")->check(CLI::Range(1, 1'000'000))->capture_default_str();
  app.add_option("-n,--records", o.records, "records to send (rounded up to whole requests)")->capture_default_str();
  app.add_option("-d,--duration", o.duration_s, "send for this many seconds instead of a record count");
  app.add_option("--rate", o.rate,
                 "records per second to offer over all connections (default: as fast as acknowledged)")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "random seed of the synthetic data")->capture_default_str();
  app.add_option("--pool-records", o.pool_records, "records pre-generated before sending (bodies are then replayed)")
      ->capture_default_str();
  app.add_option("--time-step-ns", o.time_step_ns, "simulated time between consecutive records")->capture_default_str();
  app.add_option("--base-time-ns", o.base_time_ns, "timestamp of the first record (default: now, whole seconds)");
  app.add_option("--services", o.services, "number of simulated services")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  app.add_option("--dump-request", o.dump_request, "write the body of one request to FILE and exit (no network)");
  app.add_option("--dump-index", o.dump_index, "which request --dump-request writes")->capture_default_str();
  app.add_option("--progress", o.progress_s, "progress line on stderr every N seconds (0: off)")->capture_default_str();
  app.add_option("--max-retries", o.max_retries, "retries of a request after 503/429/transport errors")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (o.base_time_ns == 0) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    o.base_time_ns =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()) * 1'000'000'000ULL;
  }
  return otelstack::bench::Run(o);
}
