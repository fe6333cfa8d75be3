// Malformed and hostile input: every failure must be a clean InvalidArgument
// (run under ASan/UBSan), never a crash or a partial result.

#include <gtest/gtest.h>

#include "otlp/decode.h"
#include "otlp/proto_wire.h"
#include "otlp_fixtures.h"
#include "otlp_test_util.h"

namespace otelstack::otlp {
namespace {

using namespace testing;  // NOLINT

struct Fixture {
  Signal signal;
  std::string proto;
  std::string json;
};

std::vector<Fixture> AllFixtures() {
  return {
      {Signal::kLogs, LogsRequestProto(), ReadTestData("logs.json")},
      {Signal::kTraces, TraceRequestProto(), ReadTestData("trace.json")},
      {Signal::kMetrics, MetricsRequestProto(), ReadTestData("metrics.json")},
  };
}

void ExpectOkOrInvalid(Signal signal, Encoding encoding, std::string_view body, const std::string& what) {
  DecodeResult r;
  Status st = Decode(signal, encoding, body, kReceiveTime, &r);
  if (st.ok()) {
    ASSERT_NE(r.batch, nullptr) << what;
  } else {
    ASSERT_EQ(st.code(), Status::Code::kInvalidArgument) << what << ": " << st.ToString();
    EXPECT_EQ(r.batch, nullptr) << what;
    EXPECT_FALSE(st.message().empty());
  }
}

TEST(DecodeRobustnessTest, EveryProtobufTruncationIsHandled) {
  for (const Fixture& f : AllFixtures()) {
    // Prefixes that cut the first Resource* message short must fail.
    wire::Reader reader(f.proto);
    wire::Field first;
    ASSERT_TRUE(reader.Next(&first));
    const size_t first_end = first.bytes.data() + first.bytes.size() - f.proto.data();
    for (size_t len = 0; len < f.proto.size(); ++len) {
      // A fresh heap copy so ASan sees reads past the prefix.
      std::string prefix = f.proto.substr(0, len);
      DecodeResult r;
      Status st = Decode(f.signal, Encoding::kProtobuf, prefix, kReceiveTime, &r);
      if (st.ok()) {
        ASSERT_NE(r.batch, nullptr);
        EXPECT_TRUE(len == 0 || len >= first_end) << SignalName(f.signal) << " prefix " << len;
      } else {
        ASSERT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
        EXPECT_EQ(r.batch, nullptr);
      }
    }
  }
}

TEST(DecodeRobustnessTest, EveryJsonTruncationIsHandled) {
  for (const Fixture& f : AllFixtures()) {
    for (size_t len = 0; len < f.json.size(); ++len) {
      ExpectOkOrInvalid(f.signal, Encoding::kJson, f.json.substr(0, len), "json prefix " + std::to_string(len));
    }
  }
}

TEST(DecodeRobustnessTest, ByteCorruptionsAreHandled) {
  for (const Fixture& f : AllFixtures()) {
    for (size_t i = 0; i < f.proto.size(); ++i) {
      for (char c : {'\x00', '\x7f', '\x80', '\xff', '\x0a', '\x0b', '\x1c'}) {
        std::string mutated = f.proto;
        mutated[i] = c;
        ExpectOkOrInvalid(f.signal, Encoding::kProtobuf, mutated, "byte " + std::to_string(i));
      }
    }
  }
}

TEST(DecodeRobustnessTest, EmptyBodiesAreEmptyRequests) {
  for (Signal s : kAllSignals) {
    DecodeResult r = MustDecode(s, Encoding::kProtobuf, "");
    EXPECT_EQ(r.batch->rows(), 0u);
    EXPECT_EQ(r.batch->signal(), s);
    DecodeResult j = MustDecode(s, Encoding::kJson, "{}");
    EXPECT_EQ(j.batch->rows(), 0u);
  }
}

TEST(DecodeRobustnessTest, MalformedJsonIsInvalidArgument) {
  const char* bodies[] = {"", "{", "[]", "null", "{\"resourceLogs\":", "{\"resourceLogs\":[}", "\xff\xfe", "{} {}"};
  for (const char* body : bodies) {
    DecodeResult r;
    Status st = Decode(Signal::kLogs, Encoding::kJson, body, 0, &r);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << body;
  }
}

struct WrongType {
  const char* body;
  const char* field;  // must appear in the error message
};

TEST(DecodeRobustnessTest, WrongJsonTypesNameTheField) {
  const WrongType cases[] = {
      {R"({"resourceLogs":{}})", "resourceLogs"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":true}]}]}]})", "timeUnixNano"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"-1"}]}]}]})", "timeUnixNano"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"18446744073709551616"}]}]}]})",
       "timeUnixNano"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityText":5}]}]}]})", "severityText"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"LOUD"}]}]}]})", "severityNumber"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"flags":4294967296}]}]}]})", "flags"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"spanId":"abc"}]}]}]})", "spanId"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":"text"}]}]}]})", "body"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"intValue":1.5}}]}]}]})", "intValue"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"bytesValue":"!!"}}]}]}]})", "bytesValue"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":1}]}]}]}]})", "key"},
      {R"({"resourceLogs":[{"resource":{"attributes":{}}}]})", "attributes"},
      {R"({"resourceLogs":[{"scopeLogs":[{"scope":{"name":[]}}]}]})", "name"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_WHATEVER"}]}]}]})", "kind"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"status":{"code":[]}}]}]}]})", "code"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"events":[{"timeUnixNano":{}}]}]}]}]})", "events[0]"},
      {R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"sum":{"dataPoints":[{"asInt":"1.5"}]}}]}]}]})", "asInt"},
      {R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":[-1]}]}}]}]}]})",
       "bucketCounts"},
      {R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":[]}]}]}]})", "gauge"},
  };
  for (const WrongType& c : cases) {
    Signal signal = std::string_view(c.body).find("resourceSpans") != std::string_view::npos     ? Signal::kTraces
                    : std::string_view(c.body).find("resourceMetrics") != std::string_view::npos ? Signal::kMetrics
                                                                                                 : Signal::kLogs;
    DecodeResult r;
    Status st = Decode(signal, Encoding::kJson, c.body, 0, &r);
    ASSERT_EQ(st.code(), Status::Code::kInvalidArgument) << c.body;
    EXPECT_NE(st.message().find(c.field), std::string::npos) << st.message();
  }
}

TEST(DecodeRobustnessTest, JsonNullMeansAbsent) {
  const char* body = R"({"resourceLogs":[{"resource":null,"scopeLogs":[{"scope":null,"logRecords":[
    {"timeUnixNano":null,"body":null,"attributes":null,"traceId":null,"severityText":null}]}]}]})";
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kJson, body);
  ASSERT_EQ(r.batch->rows(), 1u);
  EXPECT_EQ(U64(*r.batch, "Timestamp", 0), kReceiveTime);
  EXPECT_EQ(Any(*r.batch, "Body", 0), "null");
}

// A log record whose body is `levels` arrays nested around a string.
Pb NestedBody(int levels) {
  Pb value = AnyStr("x");
  for (int i = 0; i < levels; ++i) value = AnyArray({value});
  return value;
}

std::string NestedBodyJson(int levels) {
  std::string value = R"({"stringValue":"x"})";
  for (int i = 0; i < levels; ++i) value = R"({"arrayValue":{"values":[)" + value + "]}}";
  return R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":)" + value + "}]}]}]}";
}

TEST(DecodeRobustnessTest, AnyValueNestingLimit) {
  auto proto = [](int levels) { return Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, Pb().Msg(5, NestedBody(levels))))).str(); };
  // 31 arrays around a scalar: the scalar is at depth 32, the limit.
  DecodeResult ok = MustDecode(Signal::kLogs, Encoding::kProtobuf, proto(31));
  DecodeResult ok_json = MustDecode(Signal::kLogs, Encoding::kJson, NestedBodyJson(31));
  ExpectBatchesEqual(*ok.batch, *ok_json.batch);

  for (int levels : {32, 200}) {
    DecodeResult r;
    Status st = Decode(Signal::kLogs, Encoding::kProtobuf, proto(levels), 0, &r);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(st.message().find("nested deeper"), std::string::npos) << st.message();
    st = Decode(Signal::kLogs, Encoding::kJson, NestedBodyJson(levels), 0, &r);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(st.message().find("nested deeper"), std::string::npos) << st.message();
  }
  // Beyond the JSON parser's own depth limit.
  DecodeResult r;
  EXPECT_EQ(Decode(Signal::kLogs, Encoding::kJson, NestedBodyJson(5000), 0, &r).code(), Status::Code::kInvalidArgument);
}

// Attributes in the layout SDKs write take a fast path; any other layout of
// the same KeyValue (unknown fields, value before key, a member given twice)
// takes the general one. Both must give the same stored bytes.
TEST(DecodeRobustnessTest, AttributeLayoutsDecodeAlike) {
  auto logs_with = [](const Pb& key_value) {
    Pb record;
    record.Fixed64(1, 5).Msg(6, key_value);
    return Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, record))).str();
  };
  auto attributes = [](const std::string& body) {
    DecodeResult r = MustDecode(Signal::kLogs, Encoding::kProtobuf, body);
    EXPECT_EQ(r.batch->rows(), 1u);
    return std::string(r.batch->Bytes(logs_col::kLogAttributes, 0));
  };
  const Pb values[] = {AnyStr("GET"),
                       AnyStr(""),
                       AnyBool(true),
                       Pb().Varint(2, 7),
                       AnyInt(-5),
                       AnyInt(1LL << 62),
                       AnyDouble(2.5),
                       Pb(),
                       AnyBytes("\x01"),
                       AnyArray({AnyInt(1)}),
                       AnyKvList({{"k", AnyStr("v")}})};
  for (const Pb& value : values) {
    const std::string canonical = attributes(logs_with(KV("key", value)));
    EXPECT_EQ(attributes(logs_with(KV("key", value).Varint(900, 1))), canonical);
    EXPECT_EQ(attributes(logs_with(Pb().Msg(2, value).Bytes(1, "key"))), canonical);
    EXPECT_EQ(attributes(logs_with(Pb().Bytes(1, "key").Msg(2, AnyStr("first")).Msg(2, value))), canonical);
    EXPECT_EQ(attributes(logs_with(Pb().Bytes(1, "key").Msg(2, Pb(value).Varint(900, 1)))), canonical);
  }
  // A member given twice: the last one counts.
  EXPECT_EQ(attributes(logs_with(KV("key", Pb().Varint(3, 1).Varint(3, 2)))),
            attributes(logs_with(KV("key", AnyInt(2)))));
}

// A body that is one string_value takes a fast path; a string body in any
// other layout (unknown fields, a member given twice) takes the general one.
// Both must give the same stored bytes; the last member on the wire counts.
TEST(DecodeRobustnessTest, StringBodyLayoutsDecodeAlike) {
  auto body_of = [](const Pb& any_value) {
    Pb record;
    record.Fixed64(1, 5).Msg(5, any_value);
    DecodeResult r =
        MustDecode(Signal::kLogs, Encoding::kProtobuf, Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, record))).str());
    EXPECT_EQ(r.batch->rows(), 1u);
    return std::string(r.batch->Bytes(logs_col::kBody, 0));
  };
  for (const std::string& text : {std::string(), std::string("GET /api/v1/orders 200 12ms"), std::string(300, 'x')}) {
    const std::string canonical = body_of(AnyStr(text));
    EXPECT_EQ(body_of(Pb(AnyStr(text)).Varint(900, 1)), canonical);
    EXPECT_EQ(body_of(Pb().Varint(900, 1).Bytes(1, text)), canonical);
    EXPECT_EQ(body_of(Pb(AnyStr("first")).Bytes(1, text)), canonical);
    EXPECT_EQ(body_of(Pb(AnyInt(7)).Bytes(1, text)), canonical);
  }
  EXPECT_EQ(body_of(Pb(AnyStr("a string, then")).Varint(3, 7)), body_of(AnyInt(7)));
}

// The nesting limit holds for attribute values too: a scalar at depth 32
// inside kvlists is fine, at depth 33 it is rejected.
TEST(DecodeRobustnessTest, AttributeNestingLimit) {
  auto body = [](int levels) {
    Pb value = AnyStr("x");
    for (int i = 0; i < levels; ++i) value = AnyKvList({{"k", value}});
    Pb record;
    record.Msg(6, KV("a", value));
    return Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, record))).str();
  };
  MustDecode(Signal::kLogs, Encoding::kProtobuf, body(31));
  DecodeResult r;
  Status st = Decode(Signal::kLogs, Encoding::kProtobuf, body(32), 0, &r);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("nested deeper"), std::string::npos) << st.message();
}

TEST(DecodeRobustnessTest, KnownFieldWithWrongWireTypeIsSkipped) {
  // severity_text (3) as a varint and time_unix_nano (1) as a varint.
  Pb record;
  record.Varint(3, 7).Varint(1, 99).Bytes(12, "kept");
  DecodeResult r = MustDecode(Signal::kLogs, Encoding::kProtobuf, Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, record))).str());
  ASSERT_EQ(r.batch->rows(), 1u);
  EXPECT_EQ(Str(*r.batch, "SeverityText", 0), "");
  EXPECT_EQ(U64(*r.batch, "Timestamp", 0), kReceiveTime);
  EXPECT_EQ(Str(*r.batch, "EventName", 0), "kept");
}

TEST(DecodeRobustnessTest, ErrorsNameTheirLocation) {
  // Second log record's attribute value is truncated.
  Pb scope_logs;
  scope_logs.Msg(2, Pb()).Msg(2, Pb().Msg(6, Pb().Bytes(1, "k").Bytes(2,
                                                                      "\x0a\x05"
                                                                      "ab")));
  DecodeResult r;
  Status st = Decode(Signal::kLogs, Encoding::kProtobuf, Pb().Msg(1, Pb().Msg(2, scope_logs)).str(), 0, &r);
  ASSERT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "ExportLogsServiceRequest: resource_logs[0]: scope_logs[0]: log_records[1]: attributes[0]: k: "
            "malformed protobuf: length-delimited field runs past the end");
}

}  // namespace
}  // namespace otelstack::otlp
