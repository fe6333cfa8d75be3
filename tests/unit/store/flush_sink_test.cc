// The store with a FlushSink (store/flush_sink.h): flushes go to the sink,
// the WAL checkpoint advances only after the sink succeeded, failures are
// retried with the same batch ids, replayed batches keep their ids, and a
// sink that stays down turns into back-pressure.
#include "store/flush_sink.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "store/store.h"
#include "store_test_util.h"

namespace otelstack {
namespace {

using namespace store_test;

#define ASSERT_OK(expr)                                     \
  do {                                                      \
    ::otelstack::Status _s = (expr);                        \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.ToString(); \
  } while (0)

// Records every call; fails while `failing` is set. Rows "stored" by a
// successful call are kept by batch id, like a sink that dedups by id.
class FakeSink : public FlushSink {
 public:
  struct Call {
    std::vector<uint64_t> ids;
    bool retry = false;
    bool ok = false;
  };

  Status Write(const std::vector<SinkBatch>& batches, bool retry) override {
    std::lock_guard<std::mutex> lk(mu);
    Call call;
    call.retry = retry;
    for (const SinkBatch& b : batches) call.ids.push_back(b.id);
    call.ok = !failing;
    calls.push_back(call);
    if (failing) return Status::Unavailable("sink down");
    for (const SinkBatch& b : batches) {
      RowCounts& rows = stored[b.id];
      rows.clear();  // idempotent per id
      CountBatch(*b.rows, &rows);
    }
    return Status::OK();
  }

  RowCounts AllRows() {
    std::lock_guard<std::mutex> lk(mu);
    RowCounts all;
    for (const auto& [id, rows] : stored)
      for (const auto& [text, n] : rows) all[text] += n;
    return all;
  }
  size_t CallCount() {
    std::lock_guard<std::mutex> lk(mu);
    return calls.size();
  }

  std::mutex mu;
  bool failing = false;
  std::vector<Call> calls;
  std::map<uint64_t, RowCounts> stored;
};

StoreOptions SinkOptions(const std::string& dir, std::shared_ptr<FakeSink> sink) {
  StoreOptions options = TestOptions(dir);
  options.sink = std::move(sink);
  options.flush_retry_min = std::chrono::milliseconds(20);
  options.flush_retry_max = std::chrono::milliseconds(50);
  return options;
}

std::vector<Line> Lines(int request, int n) {
  std::vector<Line> out;
  for (int i = 0; i < n; ++i) {
    out.emplace_back(kDay0 + (request * 100 + i) * 1000, "r" + std::to_string(request) + "-" + std::to_string(i));
  }
  return out;
}

std::vector<std::string> Texts(int requests, int n) {
  std::vector<std::string> out;
  for (int r = 0; r < requests; ++r)
    for (int i = 0; i < n; ++i) out.push_back("r" + std::to_string(r) + "-" + std::to_string(i));
  return out;
}

TEST(FlushSinkTest, FlushesGoToTheSinkWithDistinctIdsAndNoParts) {
  TempDir dir;
  auto sink = std::make_shared<FakeSink>();
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(SinkOptions(dir.path(), sink), &store));
  for (int r = 0; r < 5; ++r)
    ASSERT_OK(AppendAndWait(store.get(), Lines(r, 3), r % 2 ? Signal::kTraces : Signal::kLogs));
  ASSERT_OK(store->Flush());
  ASSERT_EQ(sink->CallCount(), 1u);
  EXPECT_FALSE(sink->calls[0].retry);
  std::set<uint64_t> ids(sink->calls[0].ids.begin(), sink->calls[0].ids.end());
  EXPECT_EQ(ids.size(), 5u) << "one id per WAL record";
  ExpectExactlyOnce(sink->AllRows(), Texts(5, 3));
  EXPECT_TRUE(store->manifest().parts.empty());
  ASSERT_OK(store->Close());
  // Everything was stored by the sink: nothing is replayed.
  auto second = std::make_shared<FakeSink>();
  ASSERT_OK(Store::Open(SinkOptions(dir.path(), second), &store));
  ASSERT_OK(store->Flush());
  EXPECT_EQ(second->CallCount(), 0u);
}

TEST(FlushSinkTest, AFailingSinkIsRetriedWithTheSameIds) {
  TempDir dir;
  auto sink = std::make_shared<FakeSink>();
  sink->failing = true;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(SinkOptions(dir.path(), sink), &store));
  for (int r = 0; r < 3; ++r) ASSERT_OK(AppendAndWait(store.get(), Lines(r, 2)));
  EXPECT_FALSE(store->Flush().ok()) << "Flush reports the sink's error";
  ASSERT_TRUE(WaitFor([&] { return sink->CallCount() >= 3; }, std::chrono::seconds(10)));
  {
    std::lock_guard<std::mutex> lk(sink->mu);
    sink->failing = false;
  }
  // Flush() reports the last failed attempt instead of waiting for retries.
  ASSERT_TRUE(WaitFor([&] { return store->Flush().ok(); }, std::chrono::seconds(10)));
  std::lock_guard<std::mutex> lk(sink->mu);
  ASSERT_GE(sink->calls.size(), 2u);
  EXPECT_FALSE(sink->calls.front().retry);
  for (size_t i = 1; i < sink->calls.size(); ++i) {
    EXPECT_TRUE(sink->calls[i].retry) << "call " << i;
    EXPECT_EQ(sink->calls[i].ids, sink->calls.front().ids) << "call " << i;
  }
  EXPECT_TRUE(sink->calls.back().ok);
}

TEST(FlushSinkTest, ReplayedBatchesKeepTheirIdsAndAreMarkedRetry) {
  TempDir dir;
  std::vector<uint64_t> first_ids;
  {
    auto sink = std::make_shared<FakeSink>();
    sink->failing = true;
    std::unique_ptr<Store> store;
    ASSERT_OK(Store::Open(SinkOptions(dir.path(), sink), &store));
    for (int r = 0; r < 4; ++r) ASSERT_OK(AppendAndWait(store.get(), Lines(r, 2)));
    EXPECT_FALSE(store->Flush().ok());
    EXPECT_FALSE(store->Close().ok()) << "the rows stay in the WAL";
    std::lock_guard<std::mutex> lk(sink->mu);
    ASSERT_FALSE(sink->calls.empty());
    first_ids = sink->calls.front().ids;
  }
  auto sink = std::make_shared<FakeSink>();
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(SinkOptions(dir.path(), sink), &store));
  ASSERT_OK(store->Flush());
  ASSERT_EQ(sink->CallCount(), 1u);
  EXPECT_TRUE(sink->calls[0].retry);
  EXPECT_EQ(sink->calls[0].ids, first_ids);
  ExpectExactlyOnce(sink->AllRows(), Texts(4, 2));
}

TEST(FlushSinkTest, ASinkThatStaysDownTurnsIntoBackPressure) {
  TempDir dir;
  auto sink = std::make_shared<FakeSink>();
  sink->failing = true;
  StoreOptions options = SinkOptions(dir.path(), sink);
  options.memtable_flush_bytes = 4 << 10;
  options.max_unflushed_bytes = 64 << 10;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  Status last;
  int accepted = 0;
  for (int r = 0; r < 2000 && last.ok(); ++r) {
    last = AppendAndWait(store.get(), Lines(r, 20));
    if (last.ok()) ++accepted;
  }
  EXPECT_EQ(last.code(), Status::Code::kUnavailable) << last.ToString();
  {
    std::lock_guard<std::mutex> lk(sink->mu);
    sink->failing = false;
  }
  // Also the memtable that waited behind the stuck one.
  ASSERT_TRUE(WaitFor([&] { return store->Flush().ok(); }, std::chrono::seconds(10)));
  ExpectExactlyOnce(sink->AllRows(), Texts(accepted, 20));
}

}  // namespace
}  // namespace otelstack
