// Protobuf twins of the JSON fixtures in tests/data/otlp/ (the same logical
// requests), shared by the decode tests.
#pragma once

#include <string>

#include "otlp_test_util.h"

namespace otelstack::otlp::testing {

inline constexpr uint64_t kFixtureTime = 1544712660300000000ull;

inline std::string PackedFixed64(std::initializer_list<uint64_t> values) {
  std::string out;
  for (uint64_t v : values) PutFixed64(&out, v);
  return out;
}

// The protobuf twin of tests/data/otlp/logs.json, with unknown fields of every
// wire type sprinkled in and schema_url/scope fields after the records.
inline std::string LogsRequestProto() {
  Pb resource;
  resource.Msg(1, KV("service.name", AnyStr("my.service"))).Unknowns().Msg(1, KV("host.cpus", AnyInt(8))).Varint(2, 1);
  Pb scope;
  scope.Bytes(1, "my.library")
      .Bytes(2, "1.0.0")
      .Msg(3, KV("my.scope.attribute", AnyStr("some scope attribute")))
      .Varint(4, 2);
  Pb first;
  first.Fixed64(1, kFixtureTime)
      .Fixed64(11, kFixtureTime + 1)
      .Varint(2, 10)
      .Bytes(3, "Information")
      .Unknowns()
      .Bytes(9, Hex("5B8EFFF798038103D269B633813FC60C"))
      .Bytes(10, Hex("EEE19B7EC3C1B174"))
      .Fixed32(8, 1)
      .Bytes(12, "app.started")
      .Msg(5, AnyStr("Example log record"))
      .Msg(6, KV("string.attribute", AnyStr("some string")))
      .Msg(6, KV("boolean.attribute", AnyBool(true)))
      .Msg(6, KV("int.attribute", AnyInt(10)))
      .Msg(6, KV("double.attribute", AnyDouble(637.704)))
      .Msg(6,
           KV("array.attribute", AnyArray({AnyStr("many"), AnyStr("values"), AnyInt(3), AnyArray({AnyBool(false)})})))
      .Msg(6, KV("map.attribute", AnyKvList({{"some.map.key", AnyStr("some value")},
                                             {"nested", AnyKvList({{"deep", AnyDouble(-1.5)}})}})))
      .Msg(6, KV("bytes.attribute", AnyBytes(std::string("\x00\x01\x02\x03\xff", 5))))
      .Msg(6, KV("empty.attribute", Pb()))
      .Varint(7, 3);
  Pb second;
  second.Fixed64(11, 1544712660400000000ull)
      .Varint(2, 17)
      .Msg(5, AnyKvList({{"message", AnyStr("structured")}, {"code", AnyInt(-42)}}));
  Pb third;
  third.Msg(5, AnyBytes("hello")).Unknowns();
  Pb scope_logs;
  scope_logs.Msg(2, first)
      .Msg(2, second)
      .Msg(2, third)
      .Unknowns()
      .Bytes(3, "https://opentelemetry.io/schemas/1.21.0")
      .Msg(1, scope);
  Pb resource_logs;
  resource_logs.Msg(2, scope_logs).Bytes(3, "https://opentelemetry.io/schemas/1.24.0").Msg(1, resource);
  return Pb().Msg(1, resource_logs).Unknowns().str();
}

// The protobuf twin of tests/data/otlp/trace.json.
inline std::string TraceRequestProto() {
  Pb resource;
  resource.Msg(1, KV("service.name", AnyStr("my.service")));
  Pb scope;
  scope.Bytes(1, "my.library").Bytes(2, "1.0.0").Msg(3, KV("my.scope.attribute", AnyStr("some scope attribute")));
  Pb event;
  event.Fixed64(1, 1544712660500000000ull)
      .Bytes(2, "exception")
      .Msg(3, KV("exception.message", AnyStr("boom")))
      .Varint(4, 2)
      .Unknowns();
  Pb link;
  link.Bytes(1, Hex("0102030405060708090A0B0C0D0E0F10"))
      .Bytes(2, Hex("0102030405060708"))
      .Bytes(3, "a=b")
      .Msg(4, KV("link.attr", AnyBool(true)))
      .Varint(5, 4)
      .Fixed32(6, 1);
  Pb server;
  server.Bytes(1, Hex("5B8EFFF798038103D269B633813FC60C"))
      .Bytes(2, Hex("EEE19B7EC3C1B174"))
      .Bytes(4, Hex("EEE19B7EC3C1B173"))
      .Bytes(3, "rojo=00f067aa0ba902b7")
      .Fixed32(16, 257)
      .Bytes(5, "I'm a server span")
      .Fixed64(7, 1544712660000000000ull)
      .Fixed64(8, 1544712661000000000ull)
      .Varint(6, 2)
      .Msg(9, KV("my.span.attr", AnyStr("some value")))
      .Unknowns()
      .Msg(9, KV("http.status", AnyInt(200)))
      .Varint(10, 1)
      .Msg(11, event)
      .Varint(12, 3)
      .Msg(13, link)
      .Varint(14, 5)
      .Msg(15, Pb().Bytes(2, "it failed").Varint(3, 2).Unknowns());
  Pb client;
  client.Bytes(1, Hex("5B8EFFF798038103D269B633813FC60C"))
      .Bytes(2, Hex("EEE19B7EC3C1B175"))
      .Bytes(4, "")
      .Bytes(5, "client span")
      .Varint(6, 3)
      .Fixed64(7, 1544712662000000000ull)
      .Fixed64(8, 1544712661000000000ull)
      .Msg(15, Pb().Varint(3, 1));
  Pb scope_spans;
  scope_spans.Msg(1, scope).Msg(2, server).Msg(2, client);
  Pb resource_spans;
  resource_spans.Msg(1, resource).Msg(2, scope_spans);
  return Pb().Msg(1, resource_spans).str();
}

// The protobuf twin of tests/data/otlp/metrics.json.
inline std::string MetricsRequestProto() {
  Pb exemplar_int;
  exemplar_int.Fixed64(2, kFixtureTime + 1)
      .Fixed64(6, 7)
      .Bytes(4, Hex("EEE19B7EC3C1B174"))
      .Bytes(5, Hex("5B8EFFF798038103D269B633813FC60C"))
      .Msg(7, KV("f", AnyInt(1)));
  Pb counter;
  counter.Bytes(1, "my.counter")
      .Bytes(3, "1")
      .Bytes(2, "I am a Counter")
      .Msg(7, Pb().Msg(1, Pb().Double(4, 5)
                              .Fixed64(2, kFixtureTime)
                              .Fixed64(3, kFixtureTime)
                              .Msg(7, KV("my.counter.attr", AnyStr("some value")))
                              .Msg(5, exemplar_int)
                              .Unknowns())
                  .Varint(2, 2)
                  .Varint(3, 1))
      .Msg(12, KV("meta.key", AnyStr("meta value")));

  Pb gauge;
  gauge.Bytes(1, "my.gauge")
      .Bytes(3, "1")
      .Bytes(2, "I am a Gauge")
      .Msg(5, Pb().Msg(1, Pb().Double(4, 10.5).Fixed64(3, kFixtureTime).Varint(8, 1))
                  .Msg(1, Pb().Fixed64(6, static_cast<uint64_t>(int64_t{-3})).Fixed64(3, kFixtureTime + 1))
                  .Msg(1, Pb().Fixed64(6, 9007199254740993ull)));

  Pb histogram;
  histogram.Bytes(1, "my.histogram")
      .Bytes(3, "ms")
      .Bytes(2, "I am a Histogram")
      .Msg(9, Pb().Msg(1, Pb().Fixed64(2, kFixtureTime)
                              .Fixed64(3, kFixtureTime)
                              .Fixed64(4, 3)
                              .Double(5, 3.5)
                              .Bytes(6, PackedFixed64({1, 1, 1}))  // packed
                              .Double(7, 1)                        // unpacked
                              .Double(7, 2.5)
                              .Double(11, 0.5)
                              .Double(12, 2.0)
                              .Msg(8, Pb().Fixed64(2, kFixtureTime + 2).Double(3, 1.25)))
                  .Msg(1, Pb().Fixed64(3, kFixtureTime + 3))
                  .Varint(2, 1));

  std::string packed_varints;
  PutVarint64(&packed_varints, 1);
  PutVarint64(&packed_varints, 2);
  Pb exponential;
  exponential.Bytes(1, "my.exponential.histogram")
      .Bytes(3, "s")
      .Bytes(2, "I am an Exponential Histogram")
      .Msg(10, Pb().Msg(1, Pb().Fixed64(2, kFixtureTime)
                               .Fixed64(3, kFixtureTime)
                               .Fixed64(4, 5)
                               .Double(5, 12.5)
                               .Sint(6, -1)
                               .Fixed64(7, 1)
                               .Double(14, 0.001)
                               .Msg(8, Pb().Sint(1, -2).Bytes(2, packed_varints))
                               .Msg(9, Pb().Sint(1, 3).Varint(2, 1))
                               .Double(12, -3)
                               .Double(13, 9.5))
                   .Varint(2, 1));

  Pb summary;
  summary.Bytes(1, "my.summary")
      .Bytes(3, "s")
      .Bytes(2, "I am a Summary")
      .Msg(11, Pb().Msg(1, Pb().Fixed64(2, kFixtureTime)
                               .Fixed64(3, kFixtureTime)
                               .Fixed64(4, 2)
                               .Double(5, 4)
                               .Msg(6, Pb().Double(1, 0.5).Double(2, 1.5))
                               .Msg(6, Pb().Double(1, 0.99).Double(2, 2.5))
                               .Msg(7, KV("q", AnyStr("v")))));

  Pb scope_metrics;
  scope_metrics.Msg(1, Pb().Bytes(1, "my.library").Bytes(2, "1.0.0"))
      .Msg(2, counter)
      .Msg(2, gauge)
      .Msg(2, histogram)
      .Msg(2, exponential)
      .Msg(2, summary)
      .Msg(2, Pb().Bytes(1, "no.data"));
  Pb resource_metrics;
  resource_metrics.Msg(1, Pb().Msg(1, KV("service.name", AnyStr("my.service"))))
      .Msg(2, scope_metrics)
      .Bytes(3, "https://opentelemetry.io/schemas/1.24.0");
  return Pb().Msg(1, resource_metrics).str();
}

}  // namespace otelstack::otlp::testing
