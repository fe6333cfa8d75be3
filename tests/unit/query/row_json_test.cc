#include "query/row_json.h"

#include <gtest/gtest.h>

#include "common/any_value.h"

namespace otelstack::query {
namespace {

TEST(RowJsonTest, RendersTypesPerContract) {
  RowBatch b(Signal::kLogs);
  b.SetU64(logs_col::kTimestamp, 1763765000'000000001ULL);
  b.SetBytes(logs_col::kTraceId, std::string("\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c", 16));
  b.SetI64(logs_col::kSeverityNumber, -3);
  std::string attrs;
  size_t h = anyvalue::BeginKvList(&attrs);
  anyvalue::AppendKey(&attrs, "i");
  anyvalue::AppendInt(&attrs, 500);
  anyvalue::AppendKey(&attrs, "d");
  anyvalue::AppendDouble(&attrs, 1.0);
  anyvalue::AppendKey(&attrs, "b");
  anyvalue::AppendBytes(&attrs, "hi");
  anyvalue::AppendKey(&attrs, "a");
  size_t ha = anyvalue::BeginArray(&attrs);
  anyvalue::AppendBool(&attrs, true);
  anyvalue::AppendEmpty(&attrs);
  anyvalue::EndList(&attrs, ha, 2);
  anyvalue::EndList(&attrs, h, 4);
  b.SetBytes(logs_col::kLogAttributes, attrs);
  b.FinishRow();
  std::string json;
  ASSERT_TRUE(AppendRowJson(b, 0, &json).ok());
  EXPECT_NE(json.find(R"("Timestamp":"2025-11-21T22:43:20.000000001Z")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("TraceId":"5b8efff798038103d269b633813fc60c")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("SpanId":"")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("SeverityNumber":-3)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("LogAttributes":{"i":500,"d":1.0,"b":"aGk=","a":[true,null]})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("Body":null)"), std::string::npos) << json;
}

}  // namespace
}  // namespace otelstack::query
