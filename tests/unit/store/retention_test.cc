// Retention: expiry arithmetic, the manifest's retention floors, dropping
// expired day partitions through the store, and that dropped rows never come
// back (WAL replay, crashes, snapshots, late arrivals, concurrent merges).
#include "store/retention.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "store/manifest.h"
#include "store/store.h"
#include "store_test_util.h"

namespace otelstack {
namespace {

namespace fs = std::filesystem;
using namespace store_test;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

#define ASSERT_OK(expr)                                     \
  do {                                                      \
    ::otelstack::Status _s = (expr);                        \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.ToString(); \
  } while (0)

constexpr uint64_t kHour = 3600 * kNanosPerSecond;
// The signal these tests expire, and one that keeps everything.
constexpr Signal kSig = Signal::kTraces;
const std::string kSigDir = "/traces/";
constexpr Signal kOther = Signal::kMetrics;

// Rows "<prefix>-<i>" at `day` (days after kDay0) + i seconds.
std::vector<Line> DayLines(int day, const std::string& prefix, int count) {
  std::vector<Line> lines;
  for (int i = 0; i < count; ++i) {
    lines.emplace_back(kDay0 + day * kNanosPerDay + static_cast<uint64_t>(i) * kNanosPerSecond,
                       prefix + "-" + std::to_string(i));
  }
  return lines;
}

std::vector<std::string> Texts(const std::vector<Line>& lines) {
  std::vector<std::string> texts;
  for (const auto& line : lines) texts.push_back(line.second);
  return texts;
}

template <typename... Vectors>
std::vector<std::string> Concat(const Vectors&... vs) {
  std::vector<std::string> out;
  (out.insert(out.end(), vs.begin(), vs.end()), ...);
  return out;
}

std::vector<std::string> PartPathsOfDay(const Manifest& m, Signal signal, const std::string& day) {
  std::vector<std::string> paths;
  for (const PartEntry& p : m.parts) {
    if (p.signal == signal && p.day == day) paths.push_back(p.RelativePath());
  }
  return paths;
}

// ---- Arithmetic -------------------------------------------------------------

TEST(RetentionFloorTest, ExpiresWholeDaysEndingAtOrBeforeNowMinusRetention) {
  // now - 72h = day 2, 03:00: days 0 and 1 have ended, day 2 has not.
  EXPECT_EQ(RetentionFloorAt(kDay0 + 5 * kNanosPerDay + 3 * kHour, hours(72)), kDay0 + 2 * kNanosPerDay);
  // now - 72h exactly at midnight: the day that ends there is expired.
  EXPECT_EQ(RetentionFloorAt(kDay0 + 3 * kNanosPerDay, hours(72)), kDay0);
  EXPECT_EQ(RetentionFloorAt(kDay0 + 3 * kNanosPerDay - 1, hours(72)), kDay0 - kNanosPerDay);
  // Sub-day retentions work the same way.
  EXPECT_EQ(RetentionFloorAt(kDay0 + 1 * kHour, minutes(90)), kDay0 - kNanosPerDay);
  EXPECT_EQ(RetentionFloorAt(kDay0 + 2 * kHour, minutes(90)), kDay0);
  // So data is kept at least `retention` and less than `retention` + 1 day.
  for (uint64_t now = kDay0; now < kDay0 + 2 * kNanosPerDay; now += kHour) {
    uint64_t floor = RetentionFloorAt(now, hours(72));
    EXPECT_LE(floor, now - 72 * kHour);
    EXPECT_GT(floor + kNanosPerDay, now - 72 * kHour);
    EXPECT_EQ(floor % kNanosPerDay, 0u);
  }
}

TEST(RetentionFloorTest, ZeroKeepsForeverAndHugeRetentionKeepsEverything) {
  EXPECT_EQ(RetentionFloorAt(kDay0, seconds(0)), 0u);
  EXPECT_EQ(RetentionFloorAt(kDay0, seconds(-5)), 0u);
  EXPECT_EQ(RetentionFloorAt(kDay0, hours(24 * 365 * 100)), 0u);
  EXPECT_EQ(RetentionFloorAt(kDay0, seconds(INT64_MAX)), 0u);
}

// ---- Manifest ---------------------------------------------------------------

TEST(RetentionManifestTest, FloorsRoundTripAndOldManifestsLoad) {
  Manifest m;
  m.next_file_id = 7;
  m.SetRetentionFloor(Signal::kTraces, kDay0);
  std::string text = m.Serialize();
  EXPECT_NE(text.find("retention_floor traces " + std::to_string(kDay0) + "\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("retention_floor logs"), std::string::npos) << "zero floors are not written";
  Manifest parsed;
  ASSERT_OK(Manifest::Parse(text, &parsed));
  EXPECT_EQ(parsed.RetentionFloor(Signal::kTraces), kDay0);
  EXPECT_EQ(parsed.RetentionFloor(Signal::kLogs), 0u);

  // A manifest written before retention existed has no floor lines.
  Manifest old;
  old.wal_checkpoint = 3;
  ASSERT_OK(Manifest::Parse(old.Serialize(), &parsed));
  for (Signal s : kAllSignals) EXPECT_EQ(parsed.RetentionFloor(s), 0u);
  EXPECT_EQ(parsed.wal_checkpoint, 3u);
}

TEST(RetentionManifestTest, BadFloorLinesAreCorruption) {
  for (std::string line : {"retention_floor spans 5", "retention_floor logs x", "retention_floor logs"}) {
    std::string body = "otelstack-manifest 1\nnext_file_id 1\nwal_checkpoint 0\n" + line + "\n";
    // Reuse Serialize's checksum by building a manifest text by hand.
    Manifest m;
    std::string good = m.Serialize();
    std::string text = body + good.substr(good.rfind("checksum "));
    Manifest parsed;
    EXPECT_EQ(Manifest::Parse(text, &parsed).code(), Status::Code::kCorruption) << line;
  }
}

// ---- Store ------------------------------------------------------------------

TEST(StoreRetentionTest, DropsExpiredDaysAtomicallyAndDeletesTheirFiles) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  auto day0 = DayLines(0, "d0", 3), day1 = DayLines(1, "d1", 3), day4 = DayLines(4, "d4", 3);
  auto other0 = DayLines(0, "o0", 2);
  for (const auto& lines : {day0, day1, day4}) {
    ASSERT_OK(AppendAndWait(store.get(), lines, kSig));
    ASSERT_OK(store->Flush());  // one part per request
  }
  ASSERT_OK(AppendAndWait(store.get(), other0, kOther));
  ASSERT_OK(store->Flush());
  const Manifest before = store->manifest();
  const auto day0_parts = PartPathsOfDay(before, kSig, DayOf(kDay0));
  ASSERT_EQ(day0_parts.size(), 1u);

  store->SetRetention(kSig, hours(72));
  EXPECT_EQ(store->retention(kSig), hours(72));
  EXPECT_EQ(store->retention(kOther), seconds(0)) << "keep forever by default";
  // now - 72h = day 1, 01:00: day 0 has ended, day 1 has not.
  const uint64_t now = kDay0 + 4 * kNanosPerDay + kHour;
  std::vector<RetentionDrop> drops;
  ASSERT_OK(store->EnforceRetention(now, &drops));
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].signal, kSig);
  EXPECT_EQ(drops[0].old_floor, 0u);
  EXPECT_EQ(drops[0].new_floor, kDay0 + kNanosPerDay);
  EXPECT_EQ(drops[0].days, std::vector<std::string>{DayOf(kDay0)});
  EXPECT_EQ(drops[0].parts, 1u);
  EXPECT_EQ(drops[0].rows, 3u);

  const Manifest after = store->manifest();
  EXPECT_EQ(after.RetentionFloor(kSig), kDay0 + kNanosPerDay);
  EXPECT_EQ(after.RetentionFloor(kOther), 0u);
  EXPECT_TRUE(PartPathsOfDay(after, kSig, DayOf(kDay0)).empty());
  EXPECT_EQ(after.parts.size(), before.parts.size() - 1);
  EXPECT_FALSE(fs::exists(dir.path() + "/" + day0_parts[0]));
  EXPECT_FALSE(fs::exists(dir.path() + kSigDir + DayOf(kDay0))) << "the emptied day directory is removed";
  EXPECT_TRUE(fs::exists(dir.path() + "/metrics/" + DayOf(kDay0)));
  EXPECT_EQ(store->stats().retention_parts_dropped, 1u);

  Manifest on_disk;
  ASSERT_OK(Manifest::Load(dir.path(), &on_disk));
  EXPECT_EQ(on_disk.RetentionFloor(kSig), kDay0 + kNanosPerDay);

  // Enforcing again at the same time changes nothing.
  ASSERT_OK(store->EnforceRetention(now, &drops));
  EXPECT_TRUE(drops.empty());

  RowCounts rows;
  ASSERT_OK(CountDir(dir.path(), &rows));
  ExpectExactlyOnce(rows, Concat(Texts(day1), Texts(day4), Texts(other0)));
  ASSERT_OK(store->Close());
}

TEST(StoreRetentionTest, FloorRisesWithoutPartsAndNeverGoesDown) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  store->SetRetention(kOther, hours(24));
  std::vector<RetentionDrop> drops;
  ASSERT_OK(store->EnforceRetention(kDay0 + 10 * kNanosPerDay, &drops));
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].parts, 0u);
  EXPECT_EQ(store->manifest().RetentionFloor(kOther), kDay0 + 9 * kNanosPerDay);

  // A longer retention (or 0) later does not lower the floor.
  store->SetRetention(kOther, hours(24 * 30));
  ASSERT_OK(store->EnforceRetention(kDay0 + 10 * kNanosPerDay, &drops));
  EXPECT_TRUE(drops.empty());
  store->SetRetention(kOther, seconds(0));
  ASSERT_OK(store->EnforceRetention(kDay0 + 11 * kNanosPerDay, &drops));
  EXPECT_TRUE(drops.empty());
  EXPECT_EQ(store->manifest().RetentionFloor(kOther), kDay0 + 9 * kNanosPerDay);
  ASSERT_OK(store->Close());
}

TEST(StoreRetentionTest, RowsArrivingBelowTheFloorAreAcceptedThenDroppedAtFlush) {
  TempDir dir;
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  store->SetRetention(kSig, hours(72));
  ASSERT_OK(store->EnforceRetention(kDay0 + 5 * kNanosPerDay + kHour, nullptr));  // floor: day 2
  auto old_rows = DayLines(1, "old", 4), new_rows = DayLines(2, "new", 3);
  std::vector<Line> mixed = old_rows;
  mixed.insert(mixed.end(), new_rows.begin(), new_rows.end());
  ASSERT_OK(AppendAndWait(store.get(), mixed, kSig));  // old rows are acknowledged, not rejected

  RowCounts unflushed;
  ASSERT_OK(CountDir(dir.path(), &unflushed));
  ExpectExactlyOnce(unflushed, Texts(new_rows));  // the snapshot hides them already

  ASSERT_OK(store->Flush());
  EXPECT_EQ(store->stats().expired_rows_dropped, 4u);
  RowCounts parts;
  ASSERT_OK(CountParts(dir.path(), &parts));
  ExpectExactlyOnce(parts, Texts(new_rows));
  EXPECT_FALSE(fs::exists(dir.path() + kSigDir + DayOf(kDay0 + kNanosPerDay)));

  // A request whose rows are all expired still moves the checkpoint on.
  ASSERT_OK(AppendAndWait(store.get(), DayLines(0, "older", 2), kSig));
  ASSERT_OK(store->Flush());
  EXPECT_EQ(store->stats().expired_rows_dropped, 6u);
  ASSERT_OK(store->Close());
  store.reset();
  ASSERT_OK(Store::Open(TestOptions(dir.path()), &store));
  EXPECT_EQ(store->stats().memtable_bytes, 0u) << "the expired-only WAL segment was covered";
  ASSERT_OK(store->Close());
}

TEST(StoreRetentionTest, WalReplayAfterACrashDoesNotResurrectDroppedRows) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  auto old_rows = DayLines(0, "old", 5), new_rows = DayLines(4, "new", 5);
  // The child appends rows of day 0 and day 4 (only to the WAL), enforces a
  // 72h retention (floor: day 1), and dies without flushing.
  RunAndCrash([&] {
    std::unique_ptr<Store> store;
    if (!Store::Open(options, &store).ok()) return 1;
    if (!AppendAndWait(store.get(), old_rows, kSig).ok()) return 2;
    if (!AppendAndWait(store.get(), new_rows, kSig).ok()) return 3;
    store->SetRetention(kSig, hours(72));
    if (!store->EnforceRetention(kDay0 + 4 * kNanosPerDay + kHour, nullptr).ok()) return 4;
    (void)store.release();
    return 0;
  });
  Manifest m;
  ASSERT_OK(Manifest::Load(dir.path(), &m));
  EXPECT_EQ(m.RetentionFloor(kSig), kDay0 + kNanosPerDay);
  EXPECT_TRUE(m.parts.empty());

  RowCounts seen;
  ASSERT_OK(CountDir(dir.path(), &seen));
  ExpectExactlyOnce(seen, Texts(new_rows));

  // Reopen without any retention setting: the floor alone keeps them gone.
  for (int round = 0; round < 2; ++round) {
    std::unique_ptr<Store> store;
    ASSERT_OK(Store::Open(options, &store));
    ASSERT_OK(store->Flush());
    if (round == 0) {
      EXPECT_EQ(store->stats().expired_rows_dropped, old_rows.size());
    }
    ASSERT_OK(store->Close());
    RowCounts parts;
    ASSERT_OK(CountParts(dir.path(), &parts));
    ExpectExactlyOnce(parts, Texts(new_rows));
    RowCounts all;
    ASSERT_OK(CountDir(dir.path(), &all));
    ExpectExactlyOnce(all, Texts(new_rows));
  }
}

TEST(StoreRetentionTest, CrashBetweenCommitAndFileDeletionLeavesOrphansThatOpenDeletes) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  auto old_rows = DayLines(0, "old", 3), new_rows = DayLines(4, "new", 3);
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(AppendAndWait(store.get(), old_rows, kSig));
  ASSERT_OK(AppendAndWait(store.get(), new_rows, kSig));
  ASSERT_OK(store->Flush());
  auto old_parts = PartPathsOfDay(store->manifest(), kSig, DayOf(kDay0));
  ASSERT_EQ(old_parts.size(), 1u);
  const std::string old_part = dir.path() + "/" + old_parts[0];
  const std::string saved = dir.path() + "-saved.part";
  fs::copy_file(old_part, saved, fs::copy_options::overwrite_existing);

  store->SetRetention(kSig, hours(72));
  ASSERT_OK(store->EnforceRetention(kDay0 + 4 * kNanosPerDay + kHour, nullptr));
  ASSERT_OK(store->Close());
  store.reset();
  ASSERT_FALSE(fs::exists(old_part));

  // As if the process had died after the manifest commit, before the delete.
  fs::create_directories(fs::path(old_part).parent_path());
  fs::rename(saved, old_part);
  RowCounts seen;
  ASSERT_OK(CountDir(dir.path(), &seen));
  ExpectExactlyOnce(seen, Texts(new_rows));

  ASSERT_OK(Store::Open(options, &store));
  EXPECT_FALSE(fs::exists(old_part)) << "the dropped part is an orphan now";
  EXPECT_FALSE(fs::exists(fs::path(old_part).parent_path()));
  ASSERT_OK(store->Close());
  RowCounts parts;
  ASSERT_OK(CountParts(dir.path(), &parts));
  ExpectExactlyOnce(parts, Texts(new_rows));
}

TEST(StoreRetentionTest, ConcurrentFlushesMergesAndDropsNeverKeepRowsBelowTheFloor) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.memtable_flush_bytes = 2 << 10;  // many small flushes
  options.merge_min_parts = 2;             // and merges of them
  options.merge_idle_after = seconds(0);
  std::unique_ptr<Store> store;
  ASSERT_OK(Store::Open(options, &store));
  store->SetRetention(kSig, hours(24));

  constexpr int kDays = 8, kPerDay = 40;
  std::atomic<int> appended{0};
  std::atomic<bool> appending{true};
  std::thread enforcer([&] {
    // "now" moves forward with the appends, so days are dropped while they
    // are still being flushed to and merged.
    while (appending) {
      uint64_t day = 1 + static_cast<uint64_t>(appended.load()) * kDays / (kDays * kPerDay);
      Status s = store->EnforceRetention(kDay0 + day * kNanosPerDay + kHour, nullptr);
      if (!s.ok()) ADD_FAILURE() << s.ToString();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  for (int i = 0; i < kPerDay; ++i) {
    for (int d = 0; d < kDays; ++d) {
      ASSERT_OK(AppendAndWait(
          store.get(),
          {{kDay0 + d * kNanosPerDay + i * kNanosPerSecond, "r-" + std::to_string(d) + "-" + std::to_string(i)}},
          kSig));
      ++appended;
    }
  }
  appending = false;
  enforcer.join();
  ASSERT_OK(store->EnforceRetention(kDay0 + kDays * kNanosPerDay + kHour, nullptr));
  ASSERT_OK(store->Flush());
  // Let merges that raced with drops finish or give up.
  ASSERT_OK(store->Close());
  store.reset();

  Manifest m;
  ASSERT_OK(Manifest::Load(dir.path(), &m));
  const uint64_t floor = m.RetentionFloor(kSig);
  EXPECT_EQ(floor, kDay0 + (kDays - 1) * kNanosPerDay);
  std::vector<std::string> expected;
  for (int i = 0; i < kPerDay; ++i) expected.push_back("r-" + std::to_string(kDays - 1) + "-" + std::to_string(i));
  RowCounts parts;
  ASSERT_OK(CountParts(dir.path(), &parts));
  ExpectExactlyOnce(parts, expected);
  for (const PartEntry& p : m.parts) EXPECT_GE(p.min_time, floor) << p.RelativePath();
  // Nothing below the floor is left on disk either, after a reopen.
  ASSERT_OK(Store::Open(options, &store));
  ASSERT_OK(store->Close());
  for (const auto& entry : fs::directory_iterator(dir.path() + "/traces")) {
    EXPECT_GE(entry.path().filename().string(), DayOf(floor)) << entry.path();
  }
}

}  // namespace
}  // namespace otelstack
