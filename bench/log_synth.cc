#include "bench/log_synth.h"

#include <algorithm>
#include <cstring>

#include "bench/otlp_fields.h"
#include "bench/vocab.h"

namespace otelstack::bench {

namespace f = otlp_fields;

namespace {

enum SeverityClass { kInfo = 0, kDebug = 1, kWarn = 2, kError = 3 };

struct Template {
  SeverityClass severity;
  const char* text;
};

// Placeholders are {name}; see LogSynth::FillTemplate for the names.
const Template kTemplates[] = {
    {kInfo, "{method} {path} {status} {ms}ms"},
    {kInfo, "Request completed method={method} path={path} status={status} duration={ms}ms"},
    {kInfo, "User {user} logged in successfully from {ip}"},
    {kInfo, "Order {order} created for user {user} with {qty} items, total {amount} {currency}"},
    {kInfo, "Payment {txn} authorized for order {order}: {amount} {currency}"},
    {kInfo, "Shipment {id} dispatched to {region} via {carrier}"},
    {kInfo, "Cache hit for key {key}"},
    {kInfo, "Published message to {topic} partition {partition} offset {offset}"},
    {kInfo, "Consumed {n} messages from {topic} in {ms}ms"},
    {kInfo, "Scheduled job {job} finished in {ms}ms, processed {n} items"},
    {kInfo, "Health check passed ({ms}ms)"},
    {kInfo, "Sent email {id} to {email}"},
    {kInfo, "Inventory updated for SKU {sku}: {qty} units remaining"},
    {kInfo, "Feature flag {flag} evaluated to {bool} for user {user}"},
    {kInfo, "Session {hex} refreshed for user {user}"},
    {kDebug, "SQL: SELECT * FROM {table} WHERE id = $1 [{id}] took {ms}ms"},
    {kDebug, "Cache miss for key {key}, loading from database"},
    {kDebug, "Resolved {host} to {ip}"},
    {kDebug, "Acquired connection from pool (active={n}, idle={n2})"},
    {kDebug, "Parsed request body: {bytes} bytes"},
    {kDebug, "Entering {function} with args=[{id}]"},
    {kDebug, "Serialized response: {bytes} bytes in {ms}ms"},
    {kDebug, "Token validated for subject {user}, expires in {n}s"},
    {kWarn, "Slow query detected: {ms}ms for SELECT ... FROM {table}"},
    {kWarn, "Retrying request to {host} (attempt {n}/5) after error: {err}"},
    {kWarn, "Rate limit approaching for client {ip}: {n} requests in last minute"},
    {kWarn, "{method} {path} returned {status} in {ms}ms"},
    {kWarn, "Connection pool nearly exhausted: {n} active, {n2} idle"},
    {kWarn, "Deprecated API {path} called by {user}"},
    {kWarn, "Message processing delayed on {topic}: lag={offset}"},
    {kWarn, "Circuit breaker for {host} is half-open"},
    {kError, "Failed to process order {order}: {err}"},
    {kError, "Payment {txn} declined: {err}"},
    {kError, "Unhandled exception in {function}: {err}"},
    {kError, "Database query failed on {table}: {err}"},
    {kError, "{method} {path} failed with status {status}: {err}"},
    {kError, "Failed to publish message to {topic}: {err}"},
    {kError, "Circuit breaker opened for {host} after {n} consecutive failures"},
    {kError, "Cannot start listener on port {port}: {err}"},
    {kError, "Out of memory while processing batch {id}"},
};

struct Severity {
  int number;
  const char* text;
  SeverityClass template_class;
  double weight;
};

const Severity kSeverities[] = {
    {1, "TRACE", kDebug, 1.0}, {5, "DEBUG", kDebug, 14.0}, {9, "INFO", kInfo, 70.0},
    {13, "WARN", kWarn, 10.0}, {17, "ERROR", kError, 4.5}, {21, "FATAL", kError, 0.5},
};

const char* const kCurrencies[] = {"USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY", "CAD"};
const char* const kCarriers[] = {"UPS", "FedEx", "DHL", "USPS"};
const char* const kJobs[] = {"cleanup-expired-sessions", "rebuild-search-index", "send-abandoned-cart-emails",
                             "reconcile-payments", "sync-warehouse-stock"};
const int kPorts[] = {5432, 6379, 8080, 9092, 443, 3306, 27017};

std::string Hex(Rng* rng, int bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    uint64_t b = rng->Uniform(256);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

}  // namespace

// Values that must agree between a record's body and its attributes.
struct LogContext {
  const Route* route;
  std::string path;
  int status;
  double duration_ms;
  std::string user;
  std::string error;
  const Fleet* fleet;
};

LogSynth::LogSynth(const SynthOptions& options, std::shared_ptr<const Fleet> fleet)
    : options_(options), fleet_(std::move(fleet)), rng_(options.seed), trace_state_(fleet_->instances().size()) {}

std::string LogSynth::FillTemplate(const char* text, const LogContext& ctx) {
  std::string out;
  out.reserve(128);
  for (const char* p = text; *p;) {
    if (*p != '{') {
      out.push_back(*p++);
      continue;
    }
    const char* end = std::strchr(p, '}');
    std::string_view name(p + 1, end - p - 1);
    p = end + 1;
    Rng* r = &rng_;
    if (name == "method") {
      out += ctx.route->method;
    } else if (name == "path") {
      out += ctx.path;
    } else if (name == "status") {
      out += std::to_string(ctx.status);
    } else if (name == "ms") {
      out += FormatFixed(ctx.duration_ms, 1);
    } else if (name == "user") {
      out += ctx.user;
    } else if (name == "ip") {
      out += RandomIp(r);
    } else if (name == "order") {
      out += "ORD-" + std::to_string(r->Range(10000000, 99999999));
    } else if (name == "txn") {
      out += "txn_" + Hex(r, 8);
    } else if (name == "hex") {
      out += Hex(r, 12);
    } else if (name == "amount") {
      out += Money(r);
    } else if (name == "currency") {
      out += kCurrencies[r->Uniform(std::size(kCurrencies))];
    } else if (name == "qty") {
      out += std::to_string(r->Range(1, 12));
    } else if (name == "id") {
      out += std::to_string(r->Range(1000, 9999999));
    } else if (name == "region") {
      out += r->Pick(Regions());
    } else if (name == "carrier") {
      out += kCarriers[r->Uniform(std::size(kCarriers))];
    } else if (name == "key") {
      static const char* const kPrefixes[] = {"product:", "session:", "cart:", "price:", "user:"};
      out += kPrefixes[r->Uniform(std::size(kPrefixes))];
      out += std::to_string(r->Range(1, 500000));
    } else if (name == "topic") {
      out += r->Pick(Topics());
    } else if (name == "partition") {
      out += std::to_string(r->Range(0, 11));
    } else if (name == "offset") {
      out += std::to_string(r->Range(1000000, 90000000));
    } else if (name == "n") {
      out += std::to_string(r->Range(1, 50));
    } else if (name == "n2") {
      out += std::to_string(r->Range(0, 20));
    } else if (name == "job") {
      out += kJobs[r->Uniform(std::size(kJobs))];
    } else if (name == "table") {
      out += r->Pick(Tables());
    } else if (name == "host") {
      out += ctx.fleet->service_name(r->Uniform(ctx.fleet->num_services())) + ".svc.cluster.local";
    } else if (name == "port") {
      out += std::to_string(kPorts[r->Uniform(std::size(kPorts))]);
    } else if (name == "email") {
      out += "customer" + std::to_string(r->Range(1, 100000)) + "@example.com";
    } else if (name == "sku") {
      out += "SKU-" + std::to_string(r->Range(100000, 999999));
    } else if (name == "flag") {
      out += r->Pick(FeatureFlags());
    } else if (name == "bool") {
      out += r->Chance(0.5) ? "true" : "false";
    } else if (name == "function") {
      out += r->Pick(Functions());
    } else if (name == "bytes") {
      out += std::to_string(static_cast<int64_t>(r->LogNormal(2048, 1.2)));
    } else if (name == "err") {
      out += ctx.error;
    } else {
      out.append(name);  // unknown placeholder: visible in the output rather than silently dropped
    }
  }
  return out;
}

void LogSynth::AppendRecord(size_t instance, uint64_t time_ns, ProtoWriter* scope_logs) {
  static const std::vector<double> severity_weights = [] {
    std::vector<double> w;
    for (const Severity& s : kSeverities) w.push_back(s.weight);
    return w;
  }();
  const Severity& sev = kSeverities[rng_.Weighted(severity_weights)];

  // Template of the severity's class.
  const Template* tmpl;
  do {
    tmpl = &kTemplates[rng_.Uniform(std::size(kTemplates))];
  } while (tmpl->severity != sev.template_class);

  LogContext ctx;
  ctx.fleet = fleet_.get();
  ctx.route = &rng_.Pick(Routes());
  ctx.path = FillPath(ctx.route->pattern, &rng_);
  ctx.status = StatusForSeverity(sev.number, &rng_);
  ctx.duration_ms = rng_.LogNormal(sev.template_class == kWarn ? 400.0 : 18.0, 1.0);
  ctx.user = UserId(&rng_);
  ctx.error = sev.template_class >= kWarn ? rng_.Pick(ErrorMessages()) : std::string();

  ProtoWriter rec;
  rec.Time(f::kLogTimeUnixNano, time_ns);
  rec.Time(f::kLogObservedTimeUnixNano, time_ns + rng_.Range(100'000, 5'000'000));
  rec.Varint(f::kLogSeverityNumber, sev.number);
  rec.String(f::kLogSeverityText, sev.text);
  {
    ProtoWriter body;
    body.String(f::kAnyString, FillTemplate(tmpl->text, ctx));
    rec.Message(f::kLogBody, body);
  }

  // 3-8 attributes: three always, the rest optional, capped at 8.
  constexpr uint32_t kAttr = f::kLogAttributes;
  AddStringAttr(&rec, kAttr, "http.method", ctx.route->method);
  AddStringAttr(&rec, kAttr, "http.route", ctx.route->pattern);
  AddIntAttr(&rec, kAttr, "http.status_code", ctx.status);
  int count = 3;
  auto room = [&count] { return count < 8; };
  if (rng_.Chance(0.85)) {
    AddDoubleAttr(&rec, kAttr, "duration_ms", ctx.duration_ms);
    ++count;
  }
  if (rng_.Chance(0.7)) {
    AddStringAttr(&rec, kAttr, "user.id", ctx.user);
    ++count;
  }
  if (sev.template_class == kError && room()) {
    AddStringAttr(&rec, kAttr, "error.type", rng_.Pick(ErrorTypes()));
    ++count;
  }
  if (sev.template_class == kWarn && rng_.Chance(0.3) && room()) {
    AddIntAttr(&rec, kAttr, "retry.count", rng_.Range(1, 5));
    ++count;
  }
  if (rng_.Chance(0.4) && room()) {
    AddStringAttr(&rec, kAttr, "thread.name", "http-nio-8080-exec-" + std::to_string(rng_.Range(1, 50)));
    ++count;
  }
  if (rng_.Chance(0.3) && room()) {
    AddStringAttr(&rec, kAttr, "code.function", rng_.Pick(Functions()));
    ++count;
  }
  if (rng_.Chance(0.25) && room()) {
    AddStringAttr(&rec, kAttr, "request.id", Hex(&rng_, 16));
    ++count;
  }
  if (rng_.Chance(0.15) && room()) {
    AddBoolAttr(&rec, kAttr, "cache.hit", rng_.Chance(0.8));
    ++count;
  }

  // ~60% of records belong to a trace; consecutive records of an instance
  // often share one (several log lines per request).
  if (rng_.Chance(0.6)) {
    InstanceTraceState& ts = trace_state_[instance];
    if (ts.records_left <= 0) {
      ts.trace_id = rng_.Id(16);
      ts.span_id = rng_.Id(8);
      ts.records_left = static_cast<int>(rng_.Range(1, 8));
    } else if (rng_.Chance(0.3)) {
      ts.span_id = rng_.Id(8);
    }
    --ts.records_left;
    rec.Fixed32(f::kLogFlags, 1);
    rec.Id(f::kLogTraceId, ts.trace_id, MarkKind::kTraceId);
    rec.Id(f::kLogSpanId, ts.span_id, MarkKind::kSpanId);
  }
  scope_logs->Message(f::kScopeItems, rec);
}

GeneratedRequest LogSynth::Next() {
  const Fleet& fleet = *fleet_;
  // A collector batch: records of a handful of instances, interleaved in time.
  size_t num_sources = std::min<size_t>(rng_.Range(4, 12), fleet.instances().size());
  std::vector<size_t> sources;
  std::vector<double> weights;
  while (sources.size() < num_sources) {
    size_t inst = rng_.Weighted(fleet.instance_weights());
    if (std::find(sources.begin(), sources.end(), inst) != sources.end()) continue;
    sources.push_back(inst);
    weights.push_back(fleet.instance_weights()[inst] * (0.5 + rng_.Unit()));
  }
  std::vector<std::vector<uint64_t>> times(num_sources);
  for (uint32_t i = 0; i < options_.batch; ++i) {
    uint64_t seq = next_seq_++;
    uint64_t jitter = rng_.Uniform(options_.time_step_ns * 4 + 1);
    times[rng_.Weighted(weights)].push_back(options_.base_time_ns + seq * options_.time_step_ns + jitter);
  }

  ProtoWriter request;
  for (size_t s = 0; s < num_sources; ++s) {
    if (times[s].empty()) continue;
    const Instance& inst = fleet.instances()[sources[s]];
    ProtoWriter scope_logs;
    scope_logs.Message(f::kScopeScope, inst.scope);
    for (uint64_t t : times[s]) AppendRecord(sources[s], t, &scope_logs);
    ProtoWriter resource_logs;
    resource_logs.Message(f::kResourceResource, inst.resource);
    resource_logs.Message(f::kResourceScopeItems, scope_logs);
    resource_logs.String(f::kResourceSchemaUrl, "https://opentelemetry.io/schemas/1.24.0");
    request.Message(f::kRequestResourceLogs, resource_logs);
  }
  GeneratedRequest out;
  out.body = request.bytes();
  out.marks = request.marks();
  out.records = options_.batch;
  return out;
}

}  // namespace otelstack::bench
