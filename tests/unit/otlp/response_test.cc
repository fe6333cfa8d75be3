#include <gtest/gtest.h>

#include "otlp/decode.h"
#include "otlp/proto_wire.h"

namespace otelstack::otlp {
namespace {

TEST(ResponseTest, FullSuccessIsEmpty) {
  for (Signal s : kAllSignals) {
    EXPECT_EQ(EncodeExportResponse(s, Encoding::kProtobuf, 0, ""), "");
    EXPECT_EQ(EncodeExportResponse(s, Encoding::kJson, 0, "ignored"), "{}");
  }
}

TEST(ResponseTest, PartialSuccessJson) {
  EXPECT_EQ(EncodeExportResponse(Signal::kLogs, Encoding::kJson, 2, "bad \"id\""),
            R"({"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad \"id\""}})");
  EXPECT_EQ(EncodeExportResponse(Signal::kTraces, Encoding::kJson, 1, "x"),
            R"({"partialSuccess":{"rejectedSpans":"1","errorMessage":"x"}})");
  EXPECT_EQ(EncodeExportResponse(Signal::kMetrics, Encoding::kJson, 3, ""),
            R"({"partialSuccess":{"rejectedDataPoints":"3"}})");
}

TEST(ResponseTest, PartialSuccessProtobuf) {
  std::string body = EncodeExportResponse(Signal::kTraces, Encoding::kProtobuf, 300, "too short");
  wire::Reader outer(body);
  wire::Field f;
  ASSERT_TRUE(outer.Next(&f));
  EXPECT_EQ(f.number, 1u);
  ASSERT_EQ(f.type, wire::WireType::kLen);
  EXPECT_FALSE(outer.Next(&f));
  EXPECT_EQ(outer.error(), nullptr);

  wire::Reader inner(std::string_view(body).substr(body.size() - f.bytes.size()));
  ASSERT_TRUE(inner.Next(&f));
  EXPECT_EQ(f.number, 1u);
  EXPECT_EQ(f.type, wire::WireType::kVarint);
  EXPECT_EQ(f.value, 300u);
  ASSERT_TRUE(inner.Next(&f));
  EXPECT_EQ(f.number, 2u);
  EXPECT_EQ(f.bytes, "too short");
  EXPECT_FALSE(inner.Next(&f));
  // Exact bytes: 0a 0e (08 ac 02) (12 09 "too short").
  EXPECT_EQ(body, std::string("\x0a\x0e\x08\xac\x02\x12\x09too short", 16));
}

TEST(ResponseTest, RpcStatus) {
  EXPECT_EQ(EncodeRpcStatus(Encoding::kJson, 3, "bad body"), R"({"code":3,"message":"bad body"})");
  EXPECT_EQ(EncodeRpcStatus(Encoding::kProtobuf, 3, "bad"), std::string("\x08\x03\x12\x03"
                                                                        "bad",
                                                                        7));
  EXPECT_EQ(EncodeRpcStatus(Encoding::kProtobuf, 14, ""), std::string("\x08\x0e", 2));
}

}  // namespace
}  // namespace otelstack::otlp
