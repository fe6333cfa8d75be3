#include <gtest/gtest.h>

#include "otlp/decode.h"
#include "otlp_fixtures.h"
#include "otlp_test_util.h"

namespace otelstack::otlp {
namespace {

using namespace testing;  // NOLINT

void ExpectFixtureRows(const RowBatch& b) {
  ASSERT_EQ(b.rows(), 2u);
  EXPECT_EQ(U64(b, "Timestamp", 0), 1544712660000000000ull);
  EXPECT_EQ(Str(b, "TraceId", 0), Hex("5B8EFFF798038103D269B633813FC60C"));
  EXPECT_EQ(Str(b, "SpanId", 0), Hex("EEE19B7EC3C1B174"));
  EXPECT_EQ(Str(b, "ParentSpanId", 0), Hex("EEE19B7EC3C1B173"));
  EXPECT_EQ(Str(b, "TraceState", 0), "rojo=00f067aa0ba902b7");
  EXPECT_EQ(Str(b, "SpanName", 0), "I'm a server span");
  EXPECT_EQ(Str(b, "SpanKind", 0), "Server");
  EXPECT_EQ(Str(b, "ServiceName", 0), "my.service");
  EXPECT_EQ(Str(b, "ResourceSchemaUrl", 0), "");
  EXPECT_EQ(Any(b, "ResourceAttributes", 0), R"({"service.name":"my.service"})");
  EXPECT_EQ(U64(b, "ResourceDroppedAttributesCount", 0), 0u);
  EXPECT_EQ(Str(b, "ScopeName", 0), "my.library");
  EXPECT_EQ(Str(b, "ScopeVersion", 0), "1.0.0");
  EXPECT_EQ(Any(b, "ScopeAttributes", 0), R"({"my.scope.attribute":"some scope attribute"})");
  EXPECT_EQ(Any(b, "SpanAttributes", 0), R"({"my.span.attr":"some value","http.status":200})");
  EXPECT_EQ(U64(b, "DroppedAttributesCount", 0), 1u);
  EXPECT_EQ(U64(b, "Duration", 0), 1000000000u);
  EXPECT_EQ(Str(b, "StatusCode", 0), "Error");
  EXPECT_EQ(Str(b, "StatusMessage", 0), "it failed");
  EXPECT_EQ(U64(b, "Flags", 0), 257u);
  EXPECT_EQ(Any(b, "Events", 0), R"([{"Timestamp":1544712660500000000,"Name":"exception",)"
                                 R"("Attributes":{"exception.message":"boom"},"DroppedAttributesCount":2}])");
  EXPECT_EQ(U64(b, "DroppedEventsCount", 0), 3u);
  EXPECT_EQ(Any(b, "Links", 0),
            R"([{"TraceId":"0102030405060708090a0b0c0d0e0f10","SpanId":"0102030405060708","TraceState":"a=b",)"
            R"("Attributes":{"link.attr":true},"DroppedAttributesCount":4,"Flags":1}])");
  EXPECT_EQ(U64(b, "DroppedLinksCount", 0), 5u);

  EXPECT_EQ(Str(b, "SpanId", 1), Hex("EEE19B7EC3C1B175"));
  EXPECT_EQ(Str(b, "ParentSpanId", 1), "");
  EXPECT_EQ(Str(b, "SpanKind", 1), "Client");
  EXPECT_EQ(U64(b, "Duration", 1), 0u);  // end before start
  EXPECT_EQ(Str(b, "StatusCode", 1), "Ok");
  EXPECT_EQ(Str(b, "StatusMessage", 1), "");
  EXPECT_EQ(Any(b, "Events", 1), "[]");
  EXPECT_EQ(Any(b, "Links", 1), "[]");
  EXPECT_EQ(Any(b, "SpanAttributes", 1), "{}");
}

TEST(DecodeTracesTest, JsonFixtureMapsEveryColumn) {
  DecodeResult r = MustDecode(Signal::kTraces, Encoding::kJson, ReadTestData("trace.json"));
  EXPECT_EQ(r.rejected, 0u);
  ExpectFixtureRows(*r.batch);
}

TEST(DecodeTracesTest, ProtobufMapsEveryColumn) {
  DecodeResult r = MustDecode(Signal::kTraces, Encoding::kProtobuf, TraceRequestProto());
  EXPECT_EQ(r.rejected, 0u);
  ExpectFixtureRows(*r.batch);
}

TEST(DecodeTracesTest, ProtobufAndJsonGiveIdenticalBatches) {
  DecodeResult json = MustDecode(Signal::kTraces, Encoding::kJson, ReadTestData("trace.json"));
  DecodeResult proto = MustDecode(Signal::kTraces, Encoding::kProtobuf, TraceRequestProto());
  ExpectBatchesEqual(*json.batch, *proto.batch);
}

TEST(DecodeTracesTest, EnumNamesAndUnknownEnumValues) {
  auto span = [](int kind, int code) {
    return Pb()
        .Bytes(1, std::string(16, '\1'))
        .Bytes(2, std::string(8, '\2'))
        .Varint(6, static_cast<uint64_t>(static_cast<int64_t>(kind)))
        .Msg(15, Pb().Varint(3, static_cast<uint64_t>(static_cast<int64_t>(code))));
  };
  Pb scope_spans;
  const int kinds[] = {0, 1, 2, 3, 4, 5, 9, -1};
  for (int k : kinds) scope_spans.Msg(2, span(k, k));
  DecodeResult r = MustDecode(Signal::kTraces, Encoding::kProtobuf, Pb().Msg(1, Pb().Msg(2, scope_spans)).str());
  ASSERT_EQ(r.batch->rows(), 8u);
  const char* kind_names[] = {"Unspecified", "Internal", "Server", "Client", "Producer", "Consumer", "9", "-1"};
  const char* code_names[] = {"Unset", "Ok", "Error", "3", "4", "5", "9", "-1"};
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(Str(*r.batch, "SpanKind", i), kind_names[i]);
    EXPECT_EQ(Str(*r.batch, "StatusCode", i), code_names[i]);
  }
}

TEST(DecodeTracesTest, InvalidIdsAreRejected) {
  const char* json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
    {"traceId":"","spanId":"0102030405060708"},
    {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":""},
    {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","parentSpanId":"01"},
    {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"good"}]}]}]})";
  DecodeResult r = MustDecode(Signal::kTraces, Encoding::kJson, json);
  EXPECT_EQ(r.rejected, 3u);
  EXPECT_EQ(r.rejection_message, "span trace_id must be 16 bytes, got 0");
  ASSERT_EQ(r.batch->rows(), 1u);
  EXPECT_EQ(Str(*r.batch, "SpanName", 0), "good");
}

TEST(DecodeTracesTest, InvalidHexIsAnError) {
  DecodeResult r;
  Status st = Decode(Signal::kTraces, Encoding::kJson,
                     R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]})", 0, &r);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("traceId"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("spans[0]"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace otelstack::otlp
