#include <gtest/gtest.h>

#include "otlp/decode.h"
#include "otlp_fixtures.h"
#include "otlp_test_util.h"

namespace otelstack::otlp {
namespace {

using namespace testing;  // NOLINT

constexpr uint64_t kT1 = 1544712660300000000ull;

void ExpectFixtureRows(const RowBatch& b) {
  ASSERT_EQ(b.rows(), 3u);
  // Row 0: every field set.
  EXPECT_EQ(U64(b, "Timestamp", 0), kT1);
  EXPECT_EQ(U64(b, "ObservedTimestamp", 0), kT1 + 1);
  EXPECT_EQ(Str(b, "TraceId", 0), Hex("5B8EFFF798038103D269B633813FC60C"));
  EXPECT_EQ(Str(b, "SpanId", 0), Hex("EEE19B7EC3C1B174"));
  EXPECT_EQ(U64(b, "TraceFlags", 0), 1u);
  EXPECT_EQ(Str(b, "SeverityText", 0), "Information");
  EXPECT_EQ(I64(b, "SeverityNumber", 0), 10);
  EXPECT_EQ(Str(b, "ServiceName", 0), "my.service");
  EXPECT_EQ(Any(b, "Body", 0), "\"Example log record\"");
  EXPECT_EQ(Str(b, "ResourceSchemaUrl", 0), "https://opentelemetry.io/schemas/1.24.0");
  EXPECT_EQ(Any(b, "ResourceAttributes", 0), R"({"service.name":"my.service","host.cpus":8})");
  EXPECT_EQ(U64(b, "ResourceDroppedAttributesCount", 0), 1u);
  EXPECT_EQ(Str(b, "ScopeSchemaUrl", 0), "https://opentelemetry.io/schemas/1.21.0");
  EXPECT_EQ(Str(b, "ScopeName", 0), "my.library");
  EXPECT_EQ(Str(b, "ScopeVersion", 0), "1.0.0");
  EXPECT_EQ(Any(b, "ScopeAttributes", 0), R"({"my.scope.attribute":"some scope attribute"})");
  EXPECT_EQ(U64(b, "ScopeDroppedAttributesCount", 0), 2u);
  EXPECT_EQ(Any(b, "LogAttributes", 0),
            R"({"string.attribute":"some string","boolean.attribute":true,"int.attribute":10,)"
            R"("double.attribute":637.704,"array.attribute":["many","values",3,[false]],)"
            R"("map.attribute":{"some.map.key":"some value","nested":{"deep":-1.5}},)"
            R"("bytes.attribute":0x00010203ff,"empty.attribute":null})");
  EXPECT_EQ(U64(b, "DroppedAttributesCount", 0), 3u);
  EXPECT_EQ(Str(b, "EventName", 0), "app.started");

  // Row 1: no time_unix_nano -> observed time; empty ids allowed.
  EXPECT_EQ(U64(b, "Timestamp", 1), 1544712660400000000ull);
  EXPECT_EQ(U64(b, "ObservedTimestamp", 1), 1544712660400000000ull);
  EXPECT_EQ(I64(b, "SeverityNumber", 1), 17);
  EXPECT_EQ(Str(b, "TraceId", 1), "");
  EXPECT_EQ(Str(b, "SpanId", 1), "");
  EXPECT_EQ(Any(b, "Body", 1), R"({"message":"structured","code":-42})");
  EXPECT_EQ(Any(b, "LogAttributes", 1), "{}");
  EXPECT_EQ(Str(b, "ServiceName", 1), "my.service");

  // Row 2: no timestamps at all -> receive time; bytes body.
  EXPECT_EQ(U64(b, "Timestamp", 2), kReceiveTime);
  EXPECT_EQ(U64(b, "ObservedTimestamp", 2), 0u);
  EXPECT_EQ(Any(b, "Body", 2), "0x68656c6c6f");
  EXPECT_EQ(Str(b, "EventName", 2), "");
}

TEST(DecodeLogsTest, JsonFixtureMapsEveryColumn) {
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kJson, ReadTestData("logs.json"));
  EXPECT_EQ(r.rejected, 0u);
  ExpectFixtureRows(*r.batch);
}

TEST(DecodeLogsTest, ProtobufMapsEveryColumnAndSkipsUnknownFields) {
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kProtobuf, LogsRequestProto());
  EXPECT_EQ(r.rejected, 0u);
  ExpectFixtureRows(*r.batch);
}

TEST(DecodeLogsTest, ProtobufAndJsonGiveIdenticalBatches) {
  DecodeResult json = MustDecode(Signal::kLogs, Encoding::kJson, ReadTestData("logs.json"));
  DecodeResult proto = MustDecode(Signal::kLogs, Encoding::kProtobuf, LogsRequestProto());
  ExpectBatchesEqual(*json.batch, *proto.batch);
}

TEST(DecodeLogsTest, SnakeCaseJsonKeysAreAccepted) {
  const char* body =
      R"({"resource_logs":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"s"}}],
    "dropped_attributes_count":4},"schema_url":"r","scope_logs":[{"schema_url":"u","log_records":[{
    "time_unix_nano":"5","observed_time_unix_nano":6,"severity_number":"SEVERITY_NUMBER_WARN2","severity_text":"W",
    "trace_id":"00000000000000000000000000000001","span_id":"0000000000000002","event_name":"e",
    "dropped_attributes_count":1,"body":{"int_value":"-9"},
    "attributes":[{"key":"b","value":{"bytes_value":"_-8"}},{"key":"kv","value":{"kvlist_value":{"values":[]}}},
                  {"key":"a","value":{"array_value":{"values":[{"double_value":"Infinity"},{"bool_value":false}]}}}]}]}]}]})";
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kJson, body);
  const RowBatch& b = *r.batch;
  ASSERT_EQ(b.rows(), 1u);
  EXPECT_EQ(U64(b, "Timestamp", 0), 5u);
  EXPECT_EQ(U64(b, "ObservedTimestamp", 0), 6u);
  EXPECT_EQ(I64(b, "SeverityNumber", 0), 14);
  EXPECT_EQ(Str(b, "ServiceName", 0), "s");
  EXPECT_EQ(U64(b, "ResourceDroppedAttributesCount", 0), 4u);
  EXPECT_EQ(Str(b, "ResourceSchemaUrl", 0), "r");
  EXPECT_EQ(Str(b, "ScopeSchemaUrl", 0), "u");
  EXPECT_EQ(Str(b, "TraceId", 0).size(), 16u);
  EXPECT_EQ(Str(b, "EventName", 0), "e");
  EXPECT_EQ(Any(b, "Body", 0), "-9");
  EXPECT_EQ(Any(b, "LogAttributes", 0), R"({"b":0xffef,"kv":{},"a":[inf,false]})");
}

TEST(DecodeLogsTest, MissingResourceAndScopeGiveDefaults) {
  std::string proto = Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, Pb().Fixed64(1, 42)))).str();
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kProtobuf, proto);
  const RowBatch& b = *r.batch;
  ASSERT_EQ(b.rows(), 1u);
  EXPECT_EQ(Str(b, "ServiceName", 0), "");
  EXPECT_EQ(Any(b, "ResourceAttributes", 0), "{}");
  EXPECT_EQ(Any(b, "ScopeAttributes", 0), "{}");
  EXPECT_EQ(Any(b, "LogAttributes", 0), "{}");
  EXPECT_EQ(Any(b, "Body", 0), "null");
  EXPECT_EQ(Str(b, "ScopeName", 0), "");

  DecodeResult j = MustDecode(Signal::kLogs, Encoding::kJson,
                              R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"42"}]}]}]})");
  ExpectBatchesEqual(*j.batch, b);
}

TEST(DecodeLogsTest, ServiceNameMustBeAString) {
  const char* body = R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"intValue":1}}]},
    "scopeLogs":[{"logRecords":[{}]}]}]})";
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kJson, body);
  ASSERT_EQ(r.batch->rows(), 1u);
  EXPECT_EQ(Str(*r.batch, "ServiceName", 0), "");
  EXPECT_EQ(Any(*r.batch, "ResourceAttributes", 0), R"({"service.name":1})");
}

TEST(DecodeLogsTest, BadIdLengthsAreRejectedAndCounted) {
  Pb scope_logs;
  scope_logs.Msg(2, Pb().Bytes(12, "ok"))
      .Msg(2, Pb().Bytes(9, "short"))                                // bad trace id
      .Msg(2, Pb().Bytes(9, std::string(16, 'a')).Bytes(10, "xyz"))  // bad span id
      .Msg(2, Pb().Bytes(9, std::string(16, 'a')).Bytes(10, std::string(8, 'b')));
  std::string proto = Pb().Msg(1, Pb().Msg(2, scope_logs)).str();
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kProtobuf, proto);
  EXPECT_EQ(r.batch->rows(), 2u);
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_NE(r.rejection_message.find("trace_id"), std::string::npos) << r.rejection_message;
  EXPECT_EQ(Str(*r.batch, "EventName", 0), "ok");
  EXPECT_EQ(Str(*r.batch, "SpanId", 1), std::string(8, 'b'));

  const char* json = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
    {"eventName":"ok"},{"traceId":"73686F7274"},{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"010203"},
    {"traceId":"61616161616161616161616161616161","spanId":"6262626262626262"}]}]}]})";
  DecodeResult j = MustDecode(Signal::kLogs, Encoding::kJson, json);
  EXPECT_EQ(j.rejected, 2u);
  EXPECT_EQ(j.rejection_message, r.rejection_message);
  ExpectBatchesEqual(*j.batch, *r.batch);
}

}  // namespace
}  // namespace otelstack::otlp
