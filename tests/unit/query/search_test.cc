#include "query/search.h"

#include <gtest/gtest.h>

#include "common/any_value.h"
#include "query/row_json.h"

namespace otelstack::query {
namespace {

std::shared_ptr<const RowBatch> Logs(std::initializer_list<std::tuple<uint64_t, const char*, const char*>> rows) {
  auto b = std::make_shared<RowBatch>(Signal::kLogs);
  for (const auto& [t, service, body] : rows) {
    b->SetU64(logs_col::kTimestamp, t);
    b->SetBytes(logs_col::kServiceName, service);
    std::string encoded;
    anyvalue::AppendString(&encoded, body);
    b->SetBytes(logs_col::kBody, encoded);
    b->FinishRow();
  }
  return b;
}

std::vector<uint64_t> Times(const StoreSnapshot& snap, const SearchRequest& req) {
  std::vector<uint64_t> out;
  EXPECT_TRUE(Search(snap, req, [&](const RowBatch& b, size_t r) { out.push_back(b.Time(r)); }).ok());
  return out;
}

TEST(SearchTest, NewestFirstWithLimitAndFilters) {
  StoreSnapshot snap;
  snap.unflushed.push_back(Logs({{10, "api", "GET /a ok"}, {30, "db", "slow query"}, {20, "api", "Payment FAILED"}}));
  snap.unflushed.push_back(Logs({{40, "api", "payment ok"}, {5, "api", "boot"}}));
  SearchRequest req;
  EXPECT_EQ(Times(snap, req), (std::vector<uint64_t>{40, 30, 20, 10, 5}));
  req.limit = 2;
  EXPECT_EQ(Times(snap, req), (std::vector<uint64_t>{40, 30}));
  req.limit = 100;
  req.service = "api";
  EXPECT_EQ(Times(snap, req), (std::vector<uint64_t>{40, 20, 10, 5}));
  req.contains = "PAYMENT";
  EXPECT_EQ(Times(snap, req), (std::vector<uint64_t>{40, 20}));
  req.from_ns = 21;
  EXPECT_EQ(Times(snap, req), (std::vector<uint64_t>{40}));
  req.to_ns = 39;
  EXPECT_TRUE(Times(snap, req).empty());
}

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
