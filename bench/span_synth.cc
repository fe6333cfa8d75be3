#include "bench/span_synth.h"

#include <algorithm>

#include "bench/otlp_fields.h"
#include "bench/vocab.h"

namespace otelstack::bench {

namespace f = otlp_fields;

namespace {

enum SpanKind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };
enum StatusCode { kUnset = 0, kOk = 1, kError = 2 };

struct DbSystem {
  const char* system;
  int port;
};
const DbSystem kDbSystems[] = {
    {"postgresql", 5432}, {"postgresql", 5432}, {"mysql", 3306}, {"redis", 6379}, {"mongodb", 27017}};
const char* const kSqlOps[] = {"SELECT", "SELECT", "SELECT", "INSERT", "UPDATE", "DELETE"};
const char* const kRedisOps[] = {"GET", "GET", "SET", "HGETALL", "EXPIRE"};
const char* const kEventNames[] = {"cache.miss", "retry", "message", "validation.completed"};

// A span being built; `writer` gets the encoded fields once the span is final.
struct Node {
  size_t instance;
  std::string span_id;
  int parent;  // index into the trace's nodes, -1 for the root
  int kind;
  uint64_t start;
  uint64_t end;
  bool can_have_children;
  ProtoWriter writer;
};

}  // namespace

SpanSynth::SpanSynth(const SynthOptions& options, std::shared_ptr<const Fleet> fleet)
    : options_(options), fleet_(std::move(fleet)), rng_(options.seed ^ 0x5bd1e995ULL) {}

void SpanSynth::AppendTrace(int size, uint64_t start_ns, std::vector<ProtoWriter>* by_instance) {
  const Fleet& fleet = *fleet_;
  std::string trace_id = rng_.Id(16);
  std::vector<Node> nodes;
  nodes.reserve(size);
  constexpr uint32_t kAttr = f::kSpanAttributes;

  auto new_node = [&](size_t instance, int parent, int kind, uint64_t start, uint64_t end, bool can_have_children,
                      std::string_view name) -> Node& {
    Node n{instance, rng_.Id(8), parent, kind, start, end, can_have_children, {}};
    n.writer.Id(f::kSpanTraceId, trace_id, MarkKind::kTraceId);
    n.writer.Id(f::kSpanSpanId, n.span_id, MarkKind::kSpanId);
    if (parent >= 0) n.writer.Id(f::kSpanParentSpanId, nodes[parent].span_id, MarkKind::kSpanId);
    n.writer.Fixed32(f::kSpanFlags, 1);
    n.writer.String(f::kSpanName, name);
    n.writer.Varint(f::kSpanKind, kind);
    n.writer.Time(f::kSpanStartTimeUnixNano, start);
    n.writer.Time(f::kSpanEndTimeUnixNano, end);
    nodes.push_back(std::move(n));
    return nodes.back();
  };
  // A child interval inside the parent's.
  auto child_interval = [&](const Node& parent, uint64_t* start, uint64_t* end) {
    uint64_t parent_duration = parent.end - parent.start;
    *start = parent.start + static_cast<uint64_t>(rng_.Unit() * 0.6 * parent_duration);
    uint64_t room = parent.end - *start;
    *end = *start + std::max<uint64_t>(1000, static_cast<uint64_t>((0.05 + 0.85 * rng_.Unit()) * room));
    if (*end > parent.end) *end = parent.end;
  };
  auto server_attrs = [&](Node& n, const Route& route, int status) {
    AddStringAttr(&n.writer, kAttr, "http.request.method", route.method);
    AddStringAttr(&n.writer, kAttr, "http.route", route.pattern);
    AddStringAttr(&n.writer, kAttr, "url.path", FillPath(route.pattern, &rng_));
    AddIntAttr(&n.writer, kAttr, "http.response.status_code", status);
    AddStringAttr(&n.writer, kAttr, "client.address", RandomIp(&rng_));
    if (rng_.Chance(0.5)) AddStringAttr(&n.writer, kAttr, "user.id", UserId(&rng_));
  };

  // Root: an incoming HTTP request.
  {
    size_t inst = rng_.Weighted(fleet.instance_weights());
    const Route& route = rng_.Pick(Routes());
    uint64_t duration = static_cast<uint64_t>(rng_.LogNormal(60e6, 0.8));
    Node& root = new_node(inst, -1, kServer, start_ns, start_ns + duration, true,
                          std::string(route.method) + " " + route.pattern);
    server_attrs(root, route, StatusForSeverity(rng_.Chance(0.03) ? 17 : 9, &rng_));
    if (rng_.Chance(0.01)) {
      ProtoWriter link;
      link.Id(f::kLinkTraceId, rng_.Id(16), MarkKind::kTraceId);
      link.Id(f::kLinkSpanId, rng_.Id(8), MarkKind::kSpanId);
      root.writer.Message(f::kSpanLinks, link);
    }
  }

  while (static_cast<int>(nodes.size()) < size) {
    int parent;
    do {
      parent = static_cast<int>(rng_.Uniform(nodes.size()));
    } while (!nodes[parent].can_have_children);
    size_t inst = nodes[parent].instance;
    uint64_t start, end;
    child_interval(nodes[parent], &start, &end);
    double op = rng_.Unit();
    bool room_for_pair = static_cast<int>(nodes.size()) + 2 <= size;
    if (op < 0.3) {
      Node& n = new_node(inst, parent, kInternal, start, end, true, rng_.Pick(Functions()));
      AddStringAttr(&n.writer, kAttr, "code.function", rng_.Pick(Functions()));
      AddIntAttr(&n.writer, kAttr, "thread.id", rng_.Range(1, 200));
    } else if (op < 0.55 || !room_for_pair) {
      const DbSystem& db = kDbSystems[rng_.Uniform(std::size(kDbSystems))];
      const std::string& table = rng_.Pick(Tables());
      bool is_redis = std::string_view(db.system) == "redis";
      std::string operation =
          is_redis ? kRedisOps[rng_.Uniform(std::size(kRedisOps))] : kSqlOps[rng_.Uniform(std::size(kSqlOps))];
      Node& n = new_node(inst, parent, kClient, start, end, false, is_redis ? operation : operation + " " + table);
      AddStringAttr(&n.writer, kAttr, "db.system", db.system);
      AddStringAttr(&n.writer, kAttr, "db.name", is_redis ? "cache" : "shop");
      AddStringAttr(&n.writer, kAttr, "db.operation", operation);
      AddStringAttr(&n.writer, kAttr, "db.statement",
                    is_redis ? operation + " " + table + ":" + std::to_string(rng_.Range(1, 500000))
                             : operation + " * FROM " + table + " WHERE id = $1");
      AddStringAttr(&n.writer, kAttr, "server.address", std::string(db.system) + ".db.svc.cluster.local");
      AddIntAttr(&n.writer, kAttr, "server.port", db.port);
    } else if (op < 0.85) {
      // Outgoing HTTP call and the callee's server span.
      size_t callee_service = rng_.Uniform(fleet.num_services());
      size_t callee = fleet.PickInstanceOf(callee_service, &rng_);
      const Route& route = rng_.Pick(Routes());
      int status = StatusForSeverity(rng_.Chance(0.03) ? 17 : 9, &rng_);
      std::string host = fleet.service_name(callee_service) + ".svc.cluster.local";
      Node& client = new_node(inst, parent, kClient, start, end, false, route.method);
      AddStringAttr(&client.writer, kAttr, "http.request.method", route.method);
      AddStringAttr(&client.writer, kAttr, "url.full", "http://" + host + FillPath(route.pattern, &rng_));
      AddStringAttr(&client.writer, kAttr, "server.address", host);
      AddIntAttr(&client.writer, kAttr, "server.port", 8080);
      AddIntAttr(&client.writer, kAttr, "http.response.status_code", status);
      int client_index = static_cast<int>(nodes.size()) - 1;
      uint64_t network = std::min<uint64_t>(200'000, (end - start) / 4);
      Node& server = new_node(callee, client_index, kServer, start + network, end - network, true,
                              std::string(route.method) + " " + route.pattern);
      server_attrs(server, route, status);
    } else {
      const std::string& topic = rng_.Pick(Topics());
      Node& producer =
          new_node(inst, parent, kProducer, start, start + (end - start) / 10 + 1000, false, topic + " publish");
      AddStringAttr(&producer.writer, kAttr, "messaging.system", "kafka");
      AddStringAttr(&producer.writer, kAttr, "messaging.destination.name", topic);
      AddStringAttr(&producer.writer, kAttr, "messaging.operation", "publish");
      AddIntAttr(&producer.writer, kAttr, "messaging.kafka.destination.partition", rng_.Range(0, 11));
      int producer_index = static_cast<int>(nodes.size()) - 1;
      size_t consumer = fleet.PickInstanceOf(rng_.Uniform(fleet.num_services()), &rng_);
      uint64_t consume_start = end + static_cast<uint64_t>(rng_.LogNormal(2e6, 1.0));
      Node& n = new_node(consumer, producer_index, kConsumer, consume_start,
                         consume_start + static_cast<uint64_t>(rng_.LogNormal(5e6, 1.0)), true, topic + " process");
      AddStringAttr(&n.writer, kAttr, "messaging.system", "kafka");
      AddStringAttr(&n.writer, kAttr, "messaging.destination.name", topic);
      AddStringAttr(&n.writer, kAttr, "messaging.operation", "process");
      AddStringAttr(&n.writer, kAttr, "messaging.consumer.group.name", fleet.instances()[consumer].service_name);
    }
  }

  // Status and events, then hand each span to its instance's ScopeSpans.
  for (Node& n : nodes) {
    ProtoWriter status;
    if (rng_.Chance(0.03)) {
      const std::string& message = rng_.Pick(ErrorMessages());
      status.String(f::kStatusMessage, message);
      status.Varint(f::kStatusCode, kError);
      ProtoWriter event;
      event.Time(f::kEventTimeUnixNano, n.end - (n.end - n.start) / 8);
      event.String(f::kEventName, "exception");
      AddStringAttr(&event, f::kEventAttributes, "exception.type", rng_.Pick(ErrorTypes()));
      AddStringAttr(&event, f::kEventAttributes, "exception.message", message);
      AddStringAttr(&event, f::kEventAttributes, "exception.stacktrace",
                    "at " + rng_.Pick(Functions()) + "\nat " + rng_.Pick(Functions()) + "\nat main");
      n.writer.Message(f::kSpanEvents, event);
    } else if (n.kind == kServer && rng_.Chance(0.3)) {
      status.Varint(f::kStatusCode, kOk);
    }
    if (status.size() > 0) n.writer.Message(f::kSpanStatus, status);
    if (rng_.Chance(0.1)) {
      ProtoWriter event;
      event.Time(f::kEventTimeUnixNano, n.start + (n.end - n.start) / 2);
      const char* name = kEventNames[rng_.Uniform(std::size(kEventNames))];
      event.String(f::kEventName, name);
      AddIntAttr(&event, f::kEventAttributes, "attempt", rng_.Range(1, 3));
      AddStringAttr(&event, f::kEventAttributes, "detail", rng_.Pick(Tables()));
      n.writer.Message(f::kSpanEvents, event);
    }
    (*by_instance)[n.instance].Message(f::kScopeItems, n.writer);
  }
}

GeneratedRequest SpanSynth::Next() {
  const Fleet& fleet = *fleet_;
  std::vector<ProtoWriter> by_instance(fleet.instances().size());
  uint32_t spans = 0;
  while (spans < options_.batch) {
    int size = static_cast<int>(std::min<int64_t>(rng_.Range(1, 10), options_.batch - spans));
    uint64_t start = options_.base_time_ns + next_seq_ * options_.time_step_ns;
    AppendTrace(size, start, &by_instance);
    spans += size;
    next_seq_ += size;
  }

  ProtoWriter request;
  for (size_t i = 0; i < by_instance.size(); ++i) {
    if (by_instance[i].size() == 0) continue;
    const Instance& inst = fleet.instances()[i];
    // ScopeSpans = scope + the repeated `spans` fields collected in by_instance[i].
    ProtoWriter scope_spans;
    scope_spans.Message(f::kScopeScope, inst.scope);
    scope_spans.Append(by_instance[i]);
    ProtoWriter resource_spans;
    resource_spans.Message(f::kResourceResource, inst.resource);
    resource_spans.String(f::kResourceSchemaUrl, "https://opentelemetry.io/schemas/1.24.0");
    resource_spans.Message(f::kResourceScopeItems, scope_spans);
    request.Message(f::kRequestResourceSpans, resource_spans);
  }
  GeneratedRequest out;
  out.body = request.bytes();
  out.marks = request.marks();
  out.records = spans;
  return out;
}

}  // namespace otelstack::bench
