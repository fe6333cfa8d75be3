// Store engine tests: write path, crash recovery, partitions, merges,
// back-pressure and failure handling. Rows come from the text payloads of
// store_test_util.h and are identified by their unique text.
#include "store/store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/manifest.h"
#include "store/part_reader.h"
#include "store/snapshot.h"
#include "store/wal_entry.h"
#include "store_test_util.h"

namespace otelstack {
namespace {

namespace fs = std::filesystem;
using namespace store_test;

#define ASSERT_OK(expr)                                     \
  do {                                                      \
    ::otelstack::Status _s = (expr);                        \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.ToString(); \
  } while (0)
#define EXPECT_OK(expr)                                     \
  do {                                                      \
    ::otelstack::Status _s = (expr);                        \
    EXPECT_TRUE(_s.ok()) << #expr << ": " << _s.ToString(); \
  } while (0)

std::string RowText(int a, int b, int c) {
  return "row-" + std::to_string(a) + "-" + std::to_string(b) + "-" + std::to_string(c);
}

// Request `req` of writer `writer`: `lines` rows of day 0, distinct times.
std::vector<Line> RequestLines(int writer, int req, int lines) {
  std::vector<Line> out;
  for (int l = 0; l < lines; ++l) {
    out.emplace_back(kDay0 + (static_cast<uint64_t>(writer) * 1'000'000 + req * 100 + l) * 1000,
                     RowText(writer, req, l));
  }
  return out;
}

std::vector<std::string> ExpectedTexts(int writers, int requests, int lines) {
  std::vector<std::string> out;
  for (int w = 0; w < writers; ++w)
    for (int r = 0; r < requests; ++r)
      for (int l = 0; l < lines; ++l) out.push_back(RowText(w, r, l));
  return out;
}

uint64_t SumRows(const Manifest& m) {
  uint64_t rows = 0;
  for (const PartEntry& p : m.parts) rows += p.rows;
  return rows;
}

uint64_t FileId(const std::string& name) {
  std::string digits;
  for (char c : name)
    if (c >= '0' && c <= '9') digits += c;
  return digits.empty() ? 0 : std::stoull(digits);
}

// Largest id of any WAL segment or part file in the directory.
uint64_t MaxFileIdOnDisk(const std::string& dir) {
  uint64_t max_id = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".wal") || name.ends_with(".part")) max_id = std::max(max_id, FileId(name));
  }
  return max_id;
}

// Child body: opens the store and appends requests [0, count) of writer 0
// synchronously (each acknowledged before the next), then returns without
// closing.
int AppendWithoutClose(const StoreOptions& options, int count, int lines) {
  std::unique_ptr<Store> store;
  if (!Store::Open(options, &store).ok()) return 1;
  for (int r = 0; r < count; ++r) {
    std::string payload = MakePayload(RequestLines(0, r, lines));
    WalEntry entry;
    entry.payload = payload;
    std::shared_ptr<const RowBatch> batch;
    if (!DecodeTestPayload(entry, &batch).ok()) return 2;
    std::promise<Status> done;
    store->Append(entry, batch, [&](const Status& s) { done.set_value(s); });
    if (!done.get_future().get().ok()) return 3;
  }
  (void)store.release();  // never closed: the process exits next
  return 0;
}

TEST(WalEntryTest, RoundTripAndRejects) {
  WalEntry entry;
  entry.signal = Signal::kMetrics;
  entry.format = 7;
  entry.receive_time_ns = 0x0102030405060708ull;
  entry.payload = "hello";
  const std::string record = entry.SerializeHeader() + std::string(entry.payload);
  ASSERT_EQ(record.size(), WalEntry::kHeaderSize + 5);
  WalEntry parsed;
  ASSERT_OK(WalEntry::Parse(record, &parsed));
  EXPECT_EQ(parsed.signal, Signal::kMetrics);
  EXPECT_EQ(parsed.format, 7);
  EXPECT_EQ(parsed.receive_time_ns, 0x0102030405060708ull);
  EXPECT_EQ(parsed.payload, "hello");

  EXPECT_EQ(WalEntry::Parse(record.substr(0, WalEntry::kHeaderSize - 1), &parsed).code(), Status::Code::kCorruption);
  std::string bad_version = record;
  bad_version[0] = 9;
  EXPECT_EQ(WalEntry::Parse(bad_version, &parsed).code(), Status::Code::kCorruption);
  std::string bad_signal = record;
  bad_signal[1] = 3;
  EXPECT_EQ(WalEntry::Parse(bad_signal, &parsed).code(), Status::Code::kCorruption);
  WalEntry empty;
  ASSERT_OK(WalEntry::Parse(empty.SerializeHeader(), &parsed));
  EXPECT_TRUE(parsed.payload.empty());
}

TEST(StoreTest, OpenRequiresDecoder) {
  TempDir dir;
  StoreOptions options;
  options.dir = dir.path();
  std::unique_ptr<Store> store;
  EXPECT_EQ(Store::Open(options, &store).code(), Status::Code::kInvalidArgument);
}

TEST(StoreTest, ConcurrentAppendsAckedOnceAndSurviveReopen) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.memtable_flush_bytes = 32 << 10;  // several rotations and flushes while appending
  constexpr int kWriters = 4, kRequests = 150, kLines = 3;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));

  std::vector<std::atomic<int>> calls(kWriters * kRequests);
  std::atomic<int> not_ok{0};
  std::atomic<int> done_total{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int r = 0; r < kRequests; ++r) {
        std::string payload = MakePayload(RequestLines(w, r, kLines));
        WalEntry entry;
        entry.payload = payload;
        std::shared_ptr<const RowBatch> batch;
        ASSERT_TRUE(DecodeTestPayload(entry, &batch).ok());
        int index = w * kRequests + r;
        store->Append(entry, batch, [&, index](const Status& s) {
          if (!s.ok()) ++not_ok;
          ++calls[index];
          ++done_total;
        });
        // A flush mid-way, whatever the flusher's speed: its own second half
        // then goes to a later one.
        if (w == 0 && r == kRequests / 2) {
          ASSERT_TRUE(store->Flush().ok());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(WaitFor([&] { return done_total.load() >= kWriters * kRequests; }, std::chrono::seconds(60)));
  ASSERT_OK(store->Flush());
  EXPECT_EQ(not_ok.load(), 0);
  for (int i = 0; i < kWriters * kRequests; ++i) ASSERT_EQ(calls[i].load(), 1) << "request " << i;
  StoreStats stats = store->stats();
  EXPECT_EQ(stats.appended_requests, static_cast<uint64_t>(kWriters * kRequests));
  EXPECT_EQ(stats.appended_rows, static_cast<uint64_t>(kWriters * kRequests * kLines));
  EXPECT_GT(stats.flushes, 1u);
  EXPECT_EQ(stats.memtable_bytes, 0u);
  EXPECT_EQ(SumRows(store->manifest()), static_cast<uint64_t>(kWriters * kRequests * kLines));
  ASSERT_OK(store->Close());
  ASSERT_OK(store->Close());  // idempotent
  store.reset();

  const auto expected = ExpectedTexts(kWriters, kRequests, kLines);
  RowCounts parts;
  ASSERT_OK(CountParts(dir.path(), &parts));
  ExpectExactlyOnce(parts, expected);
  StoreSnapshot snapshot;
  ASSERT_OK(LoadSnapshot(dir.path(), DecodeTestPayload, std::nullopt, &snapshot));
  EXPECT_TRUE(snapshot.unflushed.empty()) << "everything was flushed before Close";

  ASSERT_OK(Store::Open(options, &store));
  EXPECT_EQ(SumRows(store->manifest()), static_cast<uint64_t>(kWriters * kRequests * kLines));
  EXPECT_EQ(store->stats().memtable_bytes, 0u) << "nothing to replay";
  ASSERT_OK(store->Close());
  RowCounts again;
  ASSERT_OK(CountDir(dir.path(), &again));
  ExpectExactlyOnce(again, expected);
}

TEST(StoreTest, AppendAfterCloseIsRejectedOnce) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  ASSERT_OK(store->Close());
  EXPECT_EQ(AppendAndWait(store.get(), RequestLines(0, 0, 1)).code(), Status::Code::kUnavailable);
  EXPECT_EQ(store->Flush().code(), Status::Code::kOk) << "nothing was accepted, so nothing to flush";
}

TEST(StoreTest, CrashBeforeFlushReplaysWalExactlyOnce) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  constexpr int kRequests = 60, kLines = 2;
  RunAndCrash([&] { return AppendWithoutClose(options, kRequests, kLines); });
  const auto expected = ExpectedTexts(1, kRequests, kLines);

  Manifest m;
  ASSERT_OK(Manifest::Load(dir.path(), &m));
  EXPECT_TRUE(m.parts.empty()) << "nothing was flushed before the crash";
  RowCounts from_wal;
  ASSERT_OK(CountDir(dir.path(), &from_wal));
  ExpectExactlyOnce(from_wal, expected);
  uint64_t max_id_before = MaxFileIdOnDisk(dir.path());

  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  EXPECT_GT(store->stats().memtable_bytes, 0u) << "the WAL was replayed into the memtable";
  ASSERT_OK(store->Flush());
  m = store->manifest();
  EXPECT_EQ(SumRows(m), static_cast<uint64_t>(kRequests * kLines));
  EXPECT_GT(m.next_file_id, max_id_before) << "file ids must not be reused after a crash";
  for (const PartEntry& p : m.parts) EXPECT_GT(FileId(p.file_name), max_id_before);
  // The replayed segments are deleted; a covered segment this store wrote
  // may be kept for reuse until it closes.
  for (uint64_t id : ListWalSegments(dir.path())) EXPECT_GT(id, max_id_before) << "replayed segment kept";
  ASSERT_OK(store->Close());
  store.reset();
  for (uint64_t id : ListWalSegments(dir.path())) EXPECT_GE(id, m.wal_checkpoint) << "covered segment kept";

  // Reopen twice more: the replayed segments are covered by the checkpoint
  // now and must not come back as duplicates.
  for (int round = 0; round < 2; ++round) {
    ASSERT_OK(Store::Open(options, &store));
    EXPECT_EQ(store->stats().memtable_bytes, 0u);
    ASSERT_OK(store->Flush());
    ASSERT_OK(store->Close());
    store.reset();
    RowCounts rows;
    ASSERT_OK(CountDir(dir.path(), &rows));
    ExpectExactlyOnce(rows, expected);
    RowCounts parts;
    ASSERT_OK(CountParts(dir.path(), &parts));
    ExpectExactlyOnce(parts, expected);
  }
}

TEST(StoreTest, CrashDuringFlushesLosesAndDuplicatesNothing) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.memtable_flush_bytes = 4 << 10;  // flushes are running when the child dies
  options.merge_min_parts = 2;             // and merges
  constexpr int kRequests = 300, kLines = 3;
  RunAndCrash([&] { return AppendWithoutClose(options, kRequests, kLines); });
  const auto expected = ExpectedTexts(1, kRequests, kLines);

  RowCounts before;
  ASSERT_OK(CountDir(dir.path(), &before));
  ExpectExactlyOnce(before, expected);
  uint64_t max_id_before = MaxFileIdOnDisk(dir.path());

  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  // Append more after recovery: new ids must not collide with old files.
  for (int r = 0; r < 20; ++r) ASSERT_OK(AppendAndWait(store.get(), RequestLines(1, r, kLines)));
  ASSERT_OK(store->Flush());
  EXPECT_GT(store->manifest().next_file_id, max_id_before);
  ASSERT_OK(store->Close());
  store.reset();

  auto all = expected;
  for (const auto& t : ExpectedTexts(2, 20, kLines))
    if (t.starts_with("row-1-")) all.push_back(t);
  RowCounts parts;
  ASSERT_OK(CountParts(dir.path(), &parts));
  ExpectExactlyOnce(parts, all);
}

// A caller that hands the store its payload's owner drops its own
// reference at once: the store keeps the payload until it is logged (a
// use-after-free under ASan otherwise), logs it whole, and lets it go.
TEST(StoreTest, PayloadOwnersAreKeptUntilLoggedThenReleased) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  constexpr int kRequests = 40, kLines = 3;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  std::vector<std::weak_ptr<std::string>> owners;
  std::atomic<int> done_ok{0}, done_total{0};
  for (int r = 0; r < kRequests; ++r) {
    auto payload = std::make_shared<std::string>(MakePayload(RequestLines(0, r, kLines)));
    WalEntry entry;
    entry.payload = *payload;
    std::shared_ptr<const RowBatch> batch;
    ASSERT_OK(DecodeTestPayload(entry, &batch));
    owners.push_back(payload);
    store->Append(
        entry, batch,
        [&](const Status& s) {
          if (s.ok()) ++done_ok;
          ++done_total;
        },
        std::move(payload));
  }
  ASSERT_TRUE(WaitFor([&] { return done_total.load() == kRequests; }, std::chrono::seconds(30)));
  EXPECT_EQ(done_ok.load(), kRequests);
  ASSERT_OK(store->Close());
  store.reset();
  for (size_t i = 0; i < owners.size(); ++i) EXPECT_TRUE(owners[i].expired()) << "payload " << i << " still held";

  // What was logged replays as the rows sent.
  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, ExpectedTexts(1, kRequests, kLines));
}

// A flushed segment's file is reused for a later segment (a created one is
// empty when it starts, a reused one still holds the old bytes), the store
// reopens with every row exactly once, and closing leaves neither a covered
// segment nor old bytes behind.
TEST(StoreTest, FlushedWalSegmentsAreReused) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  for (int round = 0; round < 4; ++round) {
    for (int r = 0; r < 20; ++r) ASSERT_OK(AppendAndWait(store.get(), RequestLines(round, r, 3)));
    ASSERT_OK(store->Flush());  // starts a new segment
    const uint64_t newest = ListWalSegments(dir.path()).back();
    const uint64_t size = fs::file_size(WalSegmentPath(dir.path(), newest));
    if (round == 0) {
      EXPECT_EQ(size, 0u) << "the first new segment is created";
    } else {
      EXPECT_GT(size, 0u) << "round " << round << ": the new segment is not a reused file";
    }
  }
  for (int r = 0; r < 5; ++r) ASSERT_OK(AppendAndWait(store.get(), RequestLines(4, r, 3)));
  ASSERT_OK(store->Close());  // flushes them into a last reused segment
  const uint64_t checkpoint = store->manifest().wal_checkpoint;
  store.reset();
  const std::vector<uint64_t> left = ListWalSegments(dir.path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], checkpoint);
  EXPECT_EQ(fs::file_size(WalSegmentPath(dir.path(), left[0])), 0u) << "old bytes left in the last segment";

  ASSERT_OK(Store::Open(options, &store));
  EXPECT_EQ(store->stats().memtable_bytes, 0u) << "nothing to replay";
  ASSERT_OK(store->Close());
  store.reset();
  std::vector<std::string> expected = ExpectedTexts(4, 20, 3);
  for (const auto& t : ExpectedTexts(5, 5, 3))
    if (t.starts_with("row-4-")) expected.push_back(t);
  RowCounts parts;
  ASSERT_OK(CountParts(dir.path(), &parts));
  ExpectExactlyOnce(parts, expected);
}

TEST(StoreTest, CoveredWalSegmentsLeftByACrashAreNotReplayed) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  for (int r = 0; r < 10; ++r) ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, r, 2)));
  // Keep copies of the segments as they are before the flush deletes them.
  std::string saved = dir.path() + "-saved";
  fs::remove_all(saved);
  fs::create_directories(saved);
  for (uint64_t id : ListWalSegments(dir.path())) {
    fs::copy_file(WalSegmentPath(dir.path(), id),
                  saved + "/" + fs::path(WalSegmentPath(dir.path(), id)).filename().string());
  }
  ASSERT_OK(store->Flush());
  uint64_t checkpoint = store->manifest().wal_checkpoint;
  ASSERT_OK(store->Close());
  store.reset();

  // As if the process had died between the manifest commit and the WAL
  // deletion.
  std::vector<std::string> restored;
  for (const auto& entry : fs::directory_iterator(saved)) {
    fs::path target = fs::path(dir.path()) / "wal" / entry.path().filename();
    if (!fs::exists(target)) {
      fs::copy_file(entry.path(), target);
      restored.push_back(target.string());
      EXPECT_LT(FileId(target.filename().string()), checkpoint);
    }
  }
  fs::remove_all(saved);
  ASSERT_FALSE(restored.empty());
  const auto expected = ExpectedTexts(1, 10, 2);
  RowCounts snapshot_rows;
  ASSERT_OK(CountDir(dir.path(), &snapshot_rows));
  ExpectExactlyOnce(snapshot_rows, expected);

  ASSERT_OK(Store::Open(options, &store));
  EXPECT_EQ(store->stats().memtable_bytes, 0u) << "covered segments were replayed";
  for (const auto& path : restored) EXPECT_FALSE(fs::exists(path)) << path << " not deleted at open";
  ASSERT_OK(store->Close());
  RowCounts parts;
  ASSERT_OK(CountDir(dir.path(), &parts));
  ExpectExactlyOnce(parts, expected);
}

TEST(StoreTest, OrphanFilesAreDeletedAtOpen) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, 0, 3)));
  ASSERT_OK(store->Close());
  store.reset();
  Manifest m;
  ASSERT_OK(Manifest::Load(dir.path(), &m));
  ASSERT_EQ(m.parts.size(), 1u);
  const std::string live = dir.path() + "/" + m.parts[0].RelativePath();
  const std::string day_dir = fs::path(live).parent_path().string();

  auto touch = [](const std::string& path) { std::ofstream(path) << "leftover"; };
  const std::string orphan_part = day_dir + "/p-000000999999.part";
  const std::string orphan_tmp = day_dir + "/p-000000999998.part.tmp";
  const std::string orphan_day = dir.path() + "/logs/2030-01-01";
  const std::string manifest_tmp = dir.path() + "/MANIFEST.tmp";
  fs::create_directories(orphan_day);
  touch(orphan_part);
  touch(orphan_tmp);
  touch(orphan_day + "/p-000000999997.part");
  touch(manifest_tmp);

  ASSERT_OK(Store::Open(options, &store));
  EXPECT_FALSE(fs::exists(orphan_part));
  EXPECT_FALSE(fs::exists(orphan_tmp));
  EXPECT_FALSE(fs::exists(orphan_day)) << "an emptied day directory is removed";
  EXPECT_FALSE(fs::exists(manifest_tmp));
  EXPECT_TRUE(fs::exists(live));
  ASSERT_OK(store->Close());
  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, ExpectedTexts(1, 1, 3));
}

TEST(StoreTest, CorruptManifestFailsOpenAndKeepsParts) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, 0, 3)));
  ASSERT_OK(store->Close());
  store.reset();
  Manifest m;
  ASSERT_OK(Manifest::Load(dir.path(), &m));
  ASSERT_EQ(m.parts.size(), 1u);
  const std::string part = dir.path() + "/" + m.parts[0].RelativePath();

  std::string text;
  {
    std::ifstream in(dir.path() + "/MANIFEST");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string damaged = text;
  size_t pos = damaged.find("wal_checkpoint ") + 15;
  damaged[pos] = damaged[pos] == '9' ? '8' : '9';
  std::ofstream(dir.path() + "/MANIFEST", std::ios::trunc) << damaged;
  Status s = Store::Open(options, &store);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_TRUE(fs::exists(part)) << "a failed open must not delete parts";

  std::ofstream(dir.path() + "/MANIFEST", std::ios::trunc) << text.substr(0, text.size() / 2);
  EXPECT_EQ(Store::Open(options, &store).code(), Status::Code::kCorruption);
  std::ofstream(dir.path() + "/MANIFEST", std::ios::trunc) << "";
  EXPECT_EQ(Store::Open(options, &store).code(), Status::Code::kCorruption) << "an empty MANIFEST is not 'no data'";
  EXPECT_TRUE(fs::exists(part));

  std::ofstream(dir.path() + "/MANIFEST", std::ios::trunc) << text;
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(store->Close());
  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, ExpectedTexts(1, 1, 3));
}

TEST(StoreTest, RowsArePartitionedByDayAndSortedByTime) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  std::vector<Line> lines;
  std::vector<std::string> expected;
  std::mt19937_64 rng(42);
  for (int i = 0; i < 300; ++i) {
    uint64_t t = kDay0 + rng() % (3 * kNanosPerDay);
    lines.emplace_back(t, "r" + std::to_string(i));
    expected.push_back("r" + std::to_string(i));
  }
  // Exactly on and next to the day boundaries.
  for (uint64_t t : {kDay0, kDay0 + kNanosPerDay - 1, kDay0 + kNanosPerDay, kDay0 + 3 * kNanosPerDay - 1}) {
    lines.emplace_back(t, "edge" + std::to_string(t));
    expected.push_back("edge" + std::to_string(t));
  }
  std::shuffle(lines.begin(), lines.end(), rng);
  size_t half = lines.size() / 2;
  ASSERT_OK(AppendAndWait(store.get(), std::vector<Line>(lines.begin(), lines.begin() + half)));
  ASSERT_OK(AppendAndWait(store.get(), std::vector<Line>(lines.begin() + half, lines.end())));
  ASSERT_OK(store->Flush());
  Manifest m = store->manifest();
  ASSERT_OK(store->Close());

  std::set<std::string> days;
  for (const PartEntry& p : m.parts) {
    EXPECT_TRUE(days.insert(p.day).second) << "two parts for day " << p.day << " from one flush";
    std::unique_ptr<PartReader> reader;
    ASSERT_OK(PartReader::Open(dir.path() + "/" + p.RelativePath(), &reader));
    RowBatch batch(Signal::kLogs);
    ASSERT_OK(reader->ReadAll(&batch));
    ASSERT_EQ(batch.rows(), p.rows);
    ASSERT_GT(batch.rows(), 0u);
    EXPECT_EQ(batch.Time(0), p.min_time);
    EXPECT_EQ(batch.Time(batch.rows() - 1), p.max_time);
    for (size_t r = 0; r < batch.rows(); ++r) {
      EXPECT_EQ(DayOf(batch.Time(r)), p.day);
      if (r > 0) {
        EXPECT_LE(batch.Time(r - 1), batch.Time(r)) << "unsorted at row " << r << " of " << p.day;
      }
    }
  }
  EXPECT_EQ(days, (std::set<std::string>{"2024-01-01", "2024-01-02", "2024-01-03"}));
  RowCounts rows;
  ASSERT_OK(CountParts(dir.path(), &rows));
  ExpectExactlyOnce(rows, expected);
}

TEST(StoreTest, SignalsGoToSeparatePartitions) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  ASSERT_OK(AppendAndWait(store.get(), {{kDay0 + 5, "log"}}, Signal::kLogs));
  ASSERT_OK(AppendAndWait(store.get(), {{kDay0 + 5, "span"}}, Signal::kTraces));
  ASSERT_OK(AppendAndWait(store.get(), {{kDay0 + 5, "metric"}}, Signal::kMetrics));
  ASSERT_OK(store->Close());
  for (Signal signal : kAllSignals) {
    RowCounts rows;
    ASSERT_OK(CountDir(dir.path(), &rows, signal));
    ASSERT_EQ(rows.size(), 1u) << SignalName(signal);
    EXPECT_EQ(rows.begin()->first, signal == Signal::kLogs ? "log" : signal == Signal::kTraces ? "span" : "metric");
  }
}

TEST(StoreTest, SmallPartsAreMergedWithoutLosingRows) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.merge_min_parts = 2;
  options.memtable_flush_bytes = 1;  // every write group becomes its own flush
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  constexpr int kRounds = 20, kLines = 5;
  std::set<std::string> seen_parts;
  for (int r = 0; r < kRounds; ++r) {
    ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, r, kLines)));
    ASSERT_OK(store->Flush());
    for (const PartEntry& p : store->manifest().parts) seen_parts.insert(p.RelativePath());
  }
  EXPECT_GE(store->stats().flushes, static_cast<uint64_t>(kRounds));
  ASSERT_TRUE(WaitFor([&] { return store->manifest().parts.size() == 1; }, std::chrono::seconds(30)))
      << "parts left: " << store->manifest().parts.size();
  Manifest m = store->manifest();
  EXPECT_EQ(SumRows(m), static_cast<uint64_t>(kRounds * kLines));
  // Close() joins the flusher, so the last merge has deleted its inputs and
  // counted itself (both happen after its manifest commit).
  ASSERT_OK(store->Close());
  EXPECT_GT(store->stats().merges, 0u);

  // Merged inputs are gone from disk; only the live part remains.
  for (const std::string& rel : seen_parts) {
    if (rel != m.parts[0].RelativePath()) {
      EXPECT_FALSE(fs::exists(dir.path() + "/" + rel)) << rel;
    }
  }
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(dir.path() + "/" + m.parts[0].RelativePath()).parent_path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u);
  std::unique_ptr<PartReader> reader;
  ASSERT_OK(PartReader::Open(dir.path() + "/" + m.parts[0].RelativePath(), &reader));
  RowBatch batch(Signal::kLogs);
  ASSERT_OK(reader->ReadAll(&batch));
  for (size_t r = 1; r < batch.rows(); ++r) ASSERT_LE(batch.Time(r - 1), batch.Time(r));
  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, ExpectedTexts(1, kRounds, kLines));
}

TEST(StoreTest, BackPressureRejectsFastAndCallsDoneOnce) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.max_unflushed_bytes = 1;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, 0, 2)));  // the memtable was empty: accepted

  std::string payload = MakePayload(RequestLines(0, 1, 2));
  WalEntry entry;
  entry.payload = payload;
  std::shared_ptr<const RowBatch> batch;
  ASSERT_OK(DecodeTestPayload(entry, &batch));
  int calls = 0;
  Status result;
  store->Append(entry, batch, [&](const Status& s) {
    ++calls;
    result = s;
  });
  // Rejected synchronously: done has run before Append returned.
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(result.code(), Status::Code::kUnavailable) << result.ToString();
  EXPECT_EQ(store->stats().rejected_busy, 1u);

  ASSERT_OK(store->Flush());
  EXPECT_OK(AppendAndWait(store.get(), RequestLines(0, 2, 2)));  // accepted again once flushed
  ASSERT_OK(store->Close());
  EXPECT_EQ(calls, 1);
  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, {RowText(0, 0, 0), RowText(0, 0, 1), RowText(0, 2, 0), RowText(0, 2, 1)});
}

TEST(StoreTest, IdleMemtableIsFlushedAfterMaxAge) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.memtable_max_age = std::chrono::seconds(1);
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, 0, 2)));
  ASSERT_TRUE(WaitFor([&] { return !store->manifest().parts.empty(); }, std::chrono::seconds(20)))
      << "the idle memtable was never flushed";
  Manifest m = store->manifest();
  EXPECT_EQ(SumRows(m), 2u);
  EXPECT_GT(m.wal_checkpoint, 0u);
  EXPECT_EQ(store->stats().memtable_bytes, 0u);
  ASSERT_OK(store->Close());
}

TEST(StoreTest, FlushReturnsWhileOtherThreadsKeepAppending) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.fsync = FsyncPolicy::kInterval;  // fast acknowledgements: the memtable is never empty
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::thread appender([&] {
    for (int r = 0; !stop; ++r) {
      if (AppendAndWait(store.get(), RequestLines(0, r, 1)).ok()) ++acked;
    }
  });
  ASSERT_TRUE(WaitFor([&] { return acked.load() > 10; }, std::chrono::seconds(30)));
  int acked_before = acked.load();
  auto flush = std::async(std::launch::async, [&] { return store->Flush(); });
  bool returned = flush.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  stop = true;
  appender.join();
  EXPECT_TRUE(returned) << "Flush() starved by concurrent appends";
  EXPECT_OK(flush.get());
  EXPECT_GE(SumRows(store->manifest()), static_cast<uint64_t>(acked_before));
  ASSERT_OK(store->Close());
  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, ExpectedTexts(1, acked.load(), 1));
}

TEST(StoreTest, FailingFlushReportsErrorAndCloseDoesNotHang) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  // A file where the logs partition directory must go makes every flush of
  // logs fail.
  std::ofstream(dir.path() + "/logs") << "in the way";
  ASSERT_OK(AppendAndWait(store.get(), RequestLines(0, 0, 2)));
  Status flushed = store->Flush();
  EXPECT_FALSE(flushed.ok()) << "Flush() must report the failing flush";
  Status closed = store->Close();
  EXPECT_FALSE(closed.ok()) << "Close() could not put the rows in parts";
  store.reset();

  // The acknowledged rows are still in the WAL.
  fs::remove(dir.path() + "/logs");
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(store->Flush());
  ASSERT_OK(store->Close());
  RowCounts rows;
  ASSERT_OK(CountParts(dir.path(), &rows));
  ExpectExactlyOnce(rows, ExpectedTexts(1, 1, 2));
}

}  // namespace
}  // namespace otelstack
