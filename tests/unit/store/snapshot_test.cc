// LoadSnapshot tests: what a reader of a store directory sees, alone and
// while a Store is writing, flushing and merging in the same directory.
#include "store/snapshot.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store_test_util.h"

namespace otelstack {
namespace {

using namespace store_test;

std::string Text(int req, int line) { return "req" + std::to_string(req) + "-line" + std::to_string(line); }

std::vector<Line> Request(int req, int lines) {
  std::vector<Line> out;
  for (int l = 0; l < lines; ++l) out.emplace_back(kDay0 + static_cast<uint64_t>(req) * 10 + l, Text(req, l));
  return out;
}

TEST(SnapshotTest, MissingDirectoryIsEmpty) {
  StoreSnapshot snapshot;
  Status s = LoadSnapshot("/nonexistent/otelstack-snapshot-test", DecodeTestPayload, std::nullopt, &snapshot);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(snapshot.parts.empty());
  EXPECT_TRUE(snapshot.unflushed.empty());
}

TEST(SnapshotTest, SeesPartsAndUnflushedRowsAndFiltersBySignal) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::Open(TestOptions(dir.path()), &store).ok());
  ASSERT_TRUE(AppendAndWait(store.get(), Request(0, 3)).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(AppendAndWait(store.get(), Request(1, 2)).ok());
  ASSERT_TRUE(AppendAndWait(store.get(), {{kDay0, "a span"}}, Signal::kTraces).ok());

  StoreSnapshot snapshot;
  ASSERT_TRUE(LoadSnapshot(dir.path(), DecodeTestPayload, std::nullopt, &snapshot).ok());
  ASSERT_EQ(snapshot.parts.size(), 1u);
  EXPECT_EQ(snapshot.parts[0].entry.rows, 3u);
  ASSERT_EQ(snapshot.unflushed.size(), 2u) << "two acknowledged requests are only in the WAL";
  RowCounts all;
  ASSERT_TRUE(CountSnapshot(snapshot, &all).ok());
  ExpectExactlyOnce(all, {Text(0, 0), Text(0, 1), Text(0, 2), Text(1, 0), Text(1, 1), "a span"});

  RowCounts logs;
  ASSERT_TRUE(CountDir(dir.path(), &logs, Signal::kLogs).ok());
  ExpectExactlyOnce(logs, {Text(0, 0), Text(0, 1), Text(0, 2), Text(1, 0), Text(1, 1)});
  RowCounts traces;
  ASSERT_TRUE(CountDir(dir.path(), &traces, Signal::kTraces).ok());
  ExpectExactlyOnce(traces, {"a span"});
  ASSERT_TRUE(store->Close().ok());
}

// Takes a snapshot of the logs of `store` (whose directory is `dir`).
using TakeSnapshot = std::function<Status(Store* store, const std::string& dir, StoreSnapshot* out)>;

// Snapshots taken while one thread appends and another flushes (and merges
// run) never miss an acknowledged row, never show a row twice and never show
// rows that were not appended.
void ExpectConsistentWhileStoreWritesFlushesAndMerges(const TakeSnapshot& take) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.memtable_flush_bytes = 8 << 10;
  options.merge_min_parts = 2;
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::Open(options, &store).ok());

  constexpr int kLines = 4;
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};  // requests [0, acked) are acknowledged
  std::atomic<int> append_failures{0};
  std::thread appender([&] {
    for (int r = 0; !stop; ++r) {
      if (!AppendAndWait(store.get(), Request(r, kLines)).ok()) {
        ++append_failures;
        return;
      }
      acked = r + 1;
    }
  });
  std::thread flusher([&] {
    while (!stop) {
      Status s = store->Flush();
      if (!s.ok()) ADD_FAILURE() << s.ToString();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // pacing, not waiting for a state
    }
  });

  int loaded = 0, gave_up = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < deadline || loaded < 10) {
    if (std::chrono::steady_clock::now() > deadline + std::chrono::seconds(60)) break;
    const int acked_before = acked.load();
    StoreSnapshot snapshot;
    Status s = take(store.get(), dir.path(), &snapshot);
    if (s.code() == Status::Code::kUnavailable) {
      ++gave_up;  // allowed: the store kept changing; never a wrong answer
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.ToString();
    RowCounts rows;
    ASSERT_TRUE(CountSnapshot(snapshot, &rows).ok());
    ++loaded;
    for (const auto& [text, n] : rows) ASSERT_EQ(n, 1) << text << " duplicated in snapshot " << loaded;
    for (int r = 0; r < acked_before; ++r) {
      for (int l = 0; l < kLines; ++l) {
        ASSERT_TRUE(rows.count(Text(r, l))) << "acknowledged row " << Text(r, l) << " missing from snapshot " << loaded
                                            << " (" << acked_before << " requests acknowledged)";
      }
    }
    // Nothing beyond what was appended (at most the request in flight).
    EXPECT_LE(rows.size(), static_cast<size_t>(acked.load() + 1) * kLines);
  }
  stop = true;
  appender.join();
  flusher.join();
  EXPECT_EQ(append_failures.load(), 0);
  EXPECT_GE(loaded, 10) << gave_up << " attempts gave up";
  StoreStats stats = store->stats();
  EXPECT_GT(stats.flushes, 2u);
  ASSERT_TRUE(store->Close().ok());
  std::vector<std::string> expected;
  for (int r = 0; r < acked.load(); ++r)
    for (int l = 0; l < kLines; ++l) expected.push_back(Text(r, l));
  RowCounts final_rows;
  ASSERT_TRUE(CountDir(dir.path(), &final_rows).ok());
  ExpectExactlyOnce(final_rows, expected);
  std::printf("snapshots: %d loaded, %d gave up; %d requests, %llu flushes, %llu merges\n", loaded, gave_up,
              acked.load(), static_cast<unsigned long long>(stats.flushes),
              static_cast<unsigned long long>(stats.merges));
}

TEST(SnapshotTest, ConsistentWhileStoreWritesFlushesAndMerges) {
  ExpectConsistentWhileStoreWritesFlushesAndMerges([](Store*, const std::string& dir, StoreSnapshot* out) {
    return LoadSnapshot(dir, DecodeTestPayload, Signal::kLogs, out);
  });
}

TEST(LiveSnapshotTest, ConsistentWhileStoreWritesFlushesAndMerges) {
  ExpectConsistentWhileStoreWritesFlushesAndMerges(
      [](Store* store, const std::string&, StoreSnapshot* out) { return store->Snapshot(Signal::kLogs, out); });
}

TEST(LiveSnapshotTest, SeesPartsAndMemtableFiltersBySignalAndReusesReaders) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::Open(TestOptions(dir.path()), &store).ok());
  ASSERT_TRUE(AppendAndWait(store.get(), Request(0, 3)).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(AppendAndWait(store.get(), Request(1, 2)).ok());
  ASSERT_TRUE(AppendAndWait(store.get(), {{kDay0, "a span"}}, Signal::kTraces).ok());

  StoreSnapshot first;
  ASSERT_TRUE(store->Snapshot(std::nullopt, &first).ok());
  ASSERT_EQ(first.parts.size(), 1u);
  RowCounts all;
  ASSERT_TRUE(CountSnapshot(first, &all).ok());
  ExpectExactlyOnce(all, {Text(0, 0), Text(0, 1), Text(0, 2), Text(1, 0), Text(1, 1), "a span"});

  StoreSnapshot logs;
  ASSERT_TRUE(store->Snapshot(Signal::kLogs, &logs).ok());
  RowCounts log_rows;
  ASSERT_TRUE(CountSnapshot(logs, &log_rows).ok());
  ExpectExactlyOnce(log_rows, {Text(0, 0), Text(0, 1), Text(0, 2), Text(1, 0), Text(1, 1)});
  ASSERT_EQ(logs.parts.size(), 1u);
  EXPECT_EQ(logs.parts[0].reader.get(), first.parts[0].reader.get()) << "the part reader is cached";
  ASSERT_TRUE(store->Close().ok());
}

TEST(LiveSnapshotTest, LeavesOutRowsBelowTheRetentionFloor) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_TRUE(Store::Open(TestOptions(dir.path()), &store).ok());
  ASSERT_TRUE(AppendAndWait(store.get(), {{kDay0, "old"}, {kDay0 + 3 * kNanosPerDay, "new"}}).ok());
  store->SetRetention(Signal::kLogs, std::chrono::hours(24));
  ASSERT_TRUE(store->EnforceRetention(kDay0 + 3 * kNanosPerDay + kNanosPerSecond).ok());
  StoreSnapshot snapshot;
  ASSERT_TRUE(store->Snapshot(Signal::kLogs, &snapshot).ok());
  RowCounts rows;
  ASSERT_TRUE(CountSnapshot(snapshot, &rows).ok());
  ExpectExactlyOnce(rows, {"new"});
  ASSERT_TRUE(store->Close().ok());
}

}  // namespace
}  // namespace otelstack
