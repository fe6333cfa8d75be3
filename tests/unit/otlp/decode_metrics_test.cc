#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "otlp/decode.h"
#include "otlp_fixtures.h"
#include "otlp_test_util.h"

namespace otelstack::otlp {
namespace {

using namespace testing;  // NOLINT

constexpr uint64_t kT = 1544712660300000000ull;

void ExpectFixtureRows(const RowBatch& b) {
  ASSERT_EQ(b.rows(), 8u);
  for (size_t row = 0; row < b.rows(); ++row) {
    EXPECT_EQ(Str(b, "ServiceName", row), "my.service");
    EXPECT_EQ(Str(b, "ScopeName", row), "my.library");
    EXPECT_EQ(Str(b, "ScopeVersion", row), "1.0.0");
    EXPECT_EQ(Str(b, "ResourceSchemaUrl", row), "https://opentelemetry.io/schemas/1.24.0");
  }
  // Row 0: monotonic cumulative sum with an int exemplar.
  EXPECT_EQ(Str(b, "MetricType", 0), "Sum");
  EXPECT_EQ(Str(b, "MetricName", 0), "my.counter");
  EXPECT_EQ(Str(b, "MetricDescription", 0), "I am a Counter");
  EXPECT_EQ(Str(b, "MetricUnit", 0), "1");
  EXPECT_EQ(Any(b, "MetricMetadata", 0), R"({"meta.key":"meta value"})");
  EXPECT_EQ(U64(b, "TimeUnix", 0), kT);
  EXPECT_EQ(U64(b, "StartTimeUnix", 0), kT);
  EXPECT_EQ(F64(b, "Value", 0), 5.0);
  EXPECT_EQ(U64(b, "IsIntValue", 0), 0u);
  EXPECT_EQ(I64(b, "AggregationTemporality", 0), 2);
  EXPECT_EQ(U64(b, "IsMonotonic", 0), 1u);
  EXPECT_EQ(Any(b, "Attributes", 0), R"({"my.counter.attr":"some value"})");
  EXPECT_EQ(Any(b, "Exemplars", 0), R"([{"FilteredAttributes":{"f":1},"TimeUnix":1544712660300000001,"Value":7,)"
                                    R"("SpanId":"eee19b7ec3c1b174","TraceId":"5b8efff798038103d269b633813fc60c"}])");
  EXPECT_EQ(Str(b, "Sum", 0), "");  // not applicable to a Sum metric's point

  // Rows 1-3: gauge points.
  EXPECT_EQ(Str(b, "MetricType", 1), "Gauge");
  EXPECT_EQ(Any(b, "MetricMetadata", 1), "{}");
  EXPECT_EQ(F64(b, "Value", 1), 10.5);
  EXPECT_EQ(U64(b, "Flags", 1), 1u);
  EXPECT_EQ(I64(b, "AggregationTemporality", 1), 0);
  EXPECT_EQ(F64(b, "Value", 2), -3.0);
  EXPECT_EQ(I64(b, "IntValue", 2), -3);
  EXPECT_EQ(U64(b, "IsIntValue", 2), 1u);
  EXPECT_EQ(U64(b, "TimeUnix", 2), kT + 1);
  EXPECT_EQ(I64(b, "IntValue", 3), 9007199254740993);  // exact beyond 2^53
  EXPECT_EQ(U64(b, "TimeUnix", 3), kReceiveTime);      // no time: receive time
  EXPECT_EQ(Any(b, "Exemplars", 3), "[]");

  // Rows 4-5: histogram points.
  EXPECT_EQ(Str(b, "MetricType", 4), "Histogram");
  EXPECT_EQ(I64(b, "AggregationTemporality", 4), 1);
  EXPECT_EQ(U64(b, "Count", 4), 3u);
  EXPECT_EQ(Any(b, "Sum", 4), "3.5");
  EXPECT_EQ(Any(b, "Min", 4), "0.5");
  EXPECT_EQ(Any(b, "Max", 4), "2.0");
  EXPECT_EQ(Any(b, "BucketCounts", 4), "[1,1,1]");
  EXPECT_EQ(Any(b, "ExplicitBounds", 4), "[1.0,2.5]");
  EXPECT_EQ(Any(b, "Exemplars", 4),
            R"([{"FilteredAttributes":{},"TimeUnix":1544712660300000002,"Value":1.25,"SpanId":"","TraceId":""}])");
  EXPECT_EQ(U64(b, "Count", 5), 0u);
  EXPECT_EQ(Any(b, "Sum", 5), "null");
  EXPECT_EQ(Any(b, "Min", 5), "null");
  EXPECT_EQ(Any(b, "Max", 5), "null");
  EXPECT_EQ(Any(b, "BucketCounts", 5), "[]");

  // Row 6: exponential histogram.
  EXPECT_EQ(Str(b, "MetricType", 6), "ExponentialHistogram");
  EXPECT_EQ(I64(b, "AggregationTemporality", 6), 1);
  EXPECT_EQ(U64(b, "Count", 6), 5u);
  EXPECT_EQ(Any(b, "Sum", 6), "12.5");
  EXPECT_EQ(Any(b, "Min", 6), "-3.0");
  EXPECT_EQ(Any(b, "Max", 6), "9.5");
  EXPECT_EQ(I64(b, "Scale", 6), -1);
  EXPECT_EQ(U64(b, "ZeroCount", 6), 1u);
  EXPECT_EQ(F64(b, "ZeroThreshold", 6), 0.001);
  EXPECT_EQ(I64(b, "PositiveOffset", 6), -2);
  EXPECT_EQ(Any(b, "PositiveBucketCounts", 6), "[1,2]");
  EXPECT_EQ(I64(b, "NegativeOffset", 6), 3);
  EXPECT_EQ(Any(b, "NegativeBucketCounts", 6), "[1]");

  // Row 7: summary.
  EXPECT_EQ(Str(b, "MetricType", 7), "Summary");
  EXPECT_EQ(U64(b, "Count", 7), 2u);
  EXPECT_EQ(Any(b, "Sum", 7), "4.0");
  EXPECT_EQ(Any(b, "ValueAtQuantiles", 7), R"([{"Quantile":0.5,"Value":1.5},{"Quantile":0.99,"Value":2.5}])");
  EXPECT_EQ(Any(b, "Attributes", 7), R"({"q":"v"})");
}

TEST(DecodeMetricsTest, JsonFixtureMapsEveryColumn) {
  DecodeResult r = MustDecode(Signal::kMetrics, Encoding::kJson, ReadTestData("metrics.json"));
  EXPECT_EQ(r.rejected, 0u);
  ExpectFixtureRows(*r.batch);
}

TEST(DecodeMetricsTest, ProtobufMapsEveryColumn) {
  DecodeResult r = MustDecode(Signal::kMetrics, Encoding::kProtobuf, MetricsRequestProto());
  EXPECT_EQ(r.rejected, 0u);
  ExpectFixtureRows(*r.batch);
}

TEST(DecodeMetricsTest, ProtobufAndJsonGiveIdenticalBatches) {
  DecodeResult json = MustDecode(Signal::kMetrics, Encoding::kJson, ReadTestData("metrics.json"));
  DecodeResult proto = MustDecode(Signal::kMetrics, Encoding::kProtobuf, MetricsRequestProto());
  ExpectBatchesEqual(*json.batch, *proto.batch);
}

TEST(DecodeMetricsTest, SpecialDoublesInJson) {
  const char* body = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[
    {"asDouble":"NaN"},{"asDouble":"-Infinity"},{"asDouble":"2.5"},{"asDouble":1e300}]}}]}]}]})";
  DecodeResult r = MustDecode(Signal::kMetrics, Encoding::kJson, body);
  ASSERT_EQ(r.batch->rows(), 4u);
  EXPECT_TRUE(std::isnan(F64(*r.batch, "Value", 0)));
  EXPECT_EQ(F64(*r.batch, "Value", 1), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(F64(*r.batch, "Value", 2), 2.5);
  EXPECT_EQ(F64(*r.batch, "Value", 3), 1e300);
}

TEST(DecodeMetricsTest, PackedBucketCountsMustBeWholeFixed64s) {
  Pb metric;
  metric.Bytes(1, "h").Msg(9, Pb().Msg(1, Pb().Bytes(6, std::string(7, '\0'))));
  std::string body = Pb().Msg(1, Pb().Msg(2, Pb().Msg(2, metric))).str();
  DecodeResult r;
  Status st = Decode(Signal::kMetrics, Encoding::kProtobuf, body, 0, &r);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("bucket_counts"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace otelstack::otlp
