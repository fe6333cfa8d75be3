#include "server/server_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <filesystem>
#include <sstream>

namespace otelstack::server {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// Query durations from 5 ms to 60 s: interactive searches sit in the low
// buckets, heavy charts and time-outs in the high ones.
const prometheus::Histogram::BucketBoundaries kQueryBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                               1,     2.5,  5,     10,   30,  60};

MetricFamily Family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

void Add(MetricFamily* family, std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (family->type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family->metric.push_back(std::move(metric));
}

std::string_view SignalLabel(Signal signal) {
  switch (signal) {
    case Signal::kLogs:
      return "logs";
    case Signal::kTraces:
      return "traces";
    case Signal::kMetrics:
      return "metrics";
  }
  return "unknown";
}

void CollectIngest(const ingest::IngestCounters& counters, std::vector<MetricFamily>* out) {
  auto requests =
      Family("otelstack_otlp_requests_total", "OTLP export requests received, by signal", MetricType::Counter);
  auto records = Family("otelstack_otlp_records_total", "Records acknowledged (durable in the WAL), by signal",
                        MetricType::Counter);
  for (Signal signal : kAllSignals) {
    const size_t i = static_cast<size_t>(signal);
    std::string label(SignalLabel(signal));
    Add(&requests, {{"signal", label}}, static_cast<double>(counters.requests[i].load(std::memory_order_relaxed)));
    Add(&records, {{"signal", label}}, static_cast<double>(counters.rows[i].load(std::memory_order_relaxed)));
  }
  auto rejected = Family("otelstack_otlp_rejected_requests_total",
                         "OTLP export requests refused, by reason (unauthenticated, invalid, busy, too_large, "
                         "unsupported_encoding)",
                         MetricType::Counter);
  for (ingest::RejectReason reason : ingest::kAllRejectReasons) {
    Add(&rejected, {{"reason", std::string(ingest::RejectReasonName(reason))}},
        static_cast<double>(counters.rejected[static_cast<size_t>(reason)].load(std::memory_order_relaxed)));
  }
  out->push_back(std::move(requests));
  out->push_back(std::move(records));
  out->push_back(std::move(rejected));
}

}  // namespace

uint64_t WalBytes(const std::string& store_dir) {
  std::error_code ec;
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(store_dir + "/wal", ec)) {
    if (entry.path().extension() != ".wal") continue;
    std::error_code size_ec;
    uint64_t size = entry.file_size(size_ec);
    if (!size_ec) total += size;
  }
  return total;
}

ServerMetrics::ServerMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  query_seconds_ = &prometheus::BuildHistogram()
                        .Name("otelstack_query_duration_seconds")
                        .Help("API query latency (search, chart, facets, trace), by kind")
                        .Register(*registry_);
  queries_ = &prometheus::BuildCounter()
                  .Name("otelstack_queries_total")
                  .Help("API queries, by kind and outcome (ok, partial, error, cancelled)")
                  .Register(*registry_);
  session_events_ = &prometheus::BuildCounter()
                         .Name("otelstack_session_events_total")
                         .Help("Session log events (logins, failed logins, logouts, key uses, ...), by event")
                         .Register(*registry_);
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::WatchIngest(const ingest::IngestService* ingest) {
  std::lock_guard<std::mutex> lock(mu_);
  ingest_ = ingest;
}

void ServerMetrics::WatchStore(std::string name, const Store* store) {
  std::lock_guard<std::mutex> lock(mu_);
  stores_.push_back(WatchedStore{std::move(name), store});
}

void ServerMetrics::Unwatch() {
  std::lock_guard<std::mutex> lock(mu_);
  ingest_ = nullptr;
  stores_.clear();
}

void ServerMetrics::OnSessionEvent(const audit::SessionEvent& event) {
  session_events_->Add({{"event", std::string(audit::EventName(event.kind))}}).Increment();
}

void ServerMetrics::OnQueryEvent(const audit::QueryEvent& event) {
  std::string kind(audit::KindName(event.kind));
  query_seconds_->Add({{"kind", kind}}, kQueryBuckets).Observe(event.duration_ms / 1000.0);
  queries_->Add({{"kind", kind}, {"outcome", std::string(audit::OutcomeName(event.outcome))}}).Increment();
}

std::string ServerMetrics::Render() const {
  std::vector<MetricFamily> families = registry_->Collect();
  auto ready_family = Family("otelstack_ready", "1 while the server accepts data", MetricType::Gauge);
  Add(&ready_family, {}, ready() ? 1 : 0);
  families.push_back(std::move(ready_family));
  std::lock_guard<std::mutex> lock(mu_);
  if (ingest_) CollectIngest(ingest_->counters(), &families);

  auto unflushed =
      Family("otelstack_store_unflushed_bytes",
             "Acknowledged data not yet in parts (or in ClickHouse): the backlog that 503s bound", MetricType::Gauge);
  auto memtable = Family("otelstack_store_memtable_bytes", "Rows in the memtable", MetricType::Gauge);
  auto wal = Family("otelstack_store_wal_bytes", "Size of the write-ahead log segments", MetricType::Gauge);
  auto parts = Family("otelstack_store_parts", "Live parts", MetricType::Gauge);
  auto flushes = Family("otelstack_store_flushes_total", "Memtable flushes", MetricType::Counter);
  auto merges = Family("otelstack_store_merges_total", "Part merges", MetricType::Counter);
  auto busy = Family("otelstack_store_rejected_busy_total", "Appends refused by back-pressure", MetricType::Counter);
  for (const WatchedStore& watched : stores_) {
    StoreStats stats = watched.store->stats();
    std::vector<ClientMetric::Label> label = {{"store", watched.name}};
    Add(&unflushed, label, static_cast<double>(stats.unflushed_bytes));
    Add(&memtable, label, static_cast<double>(stats.memtable_bytes));
    Add(&wal, label, static_cast<double>(WalBytes(watched.store->dir())));
    Add(&parts, label, static_cast<double>(stats.parts));
    Add(&flushes, label, static_cast<double>(stats.flushes));
    Add(&merges, label, static_cast<double>(stats.merges));
    Add(&busy, label, static_cast<double>(stats.rejected_busy));
  }
  for (auto* family : {&unflushed, &memtable, &wal, &parts, &flushes, &merges, &busy}) {
    families.push_back(std::move(*family));
  }

  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace otelstack::server
