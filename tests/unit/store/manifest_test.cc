#include "store/manifest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kNanosPerSecond = 1'000'000'000ull;

Manifest SampleManifest() {
  Manifest m;
  m.next_file_id = 1234;
  m.wal_checkpoint = 1200;
  m.parts.push_back({Signal::kLogs, "2024-01-01", "p-000000000001.part", 10, 5, 50, 4096});
  m.parts.push_back({Signal::kTraces, "2024-02-29", "p-000000000002.part", 1, 7, 7, 100});
  m.parts.push_back(
      {Signal::kMetrics, "1970-01-01", "p-000000001199.part", 18446744073709551615ull, 0, 18446744073709551615ull, 1});
  return m;
}

void ExpectSame(const Manifest& a, const Manifest& b) {
  EXPECT_EQ(a.next_file_id, b.next_file_id);
  EXPECT_EQ(a.wal_checkpoint, b.wal_checkpoint);
  ASSERT_EQ(a.parts.size(), b.parts.size());
  for (size_t i = 0; i < a.parts.size(); ++i) {
    EXPECT_EQ(a.parts[i].signal, b.parts[i].signal);
    EXPECT_EQ(a.parts[i].day, b.parts[i].day);
    EXPECT_EQ(a.parts[i].file_name, b.parts[i].file_name);
    EXPECT_EQ(a.parts[i].rows, b.parts[i].rows);
    EXPECT_EQ(a.parts[i].min_time, b.parts[i].min_time);
    EXPECT_EQ(a.parts[i].max_time, b.parts[i].max_time);
    EXPECT_EQ(a.parts[i].bytes, b.parts[i].bytes);
  }
}

// `body` (lines ending in '\n') with a correct checksum line: lets a test
// reach the line parser with content that passes the checksum.
std::string WithChecksum(const std::string& body) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits(body.data(), body.size())));
  return body + "checksum " + buf + "\n";
}

Status::Code ParseCode(const std::string& text) {
  Manifest m;
  return Manifest::Parse(text, &m).code();
}

using test::TempDir;

TEST(ManifestTest, SerializeParseRoundTrip) {
  Manifest m = SampleManifest();
  std::string text = m.Serialize();
  Manifest parsed;
  ASSERT_TRUE(Manifest::Parse(text, &parsed).ok());
  ExpectSame(m, parsed);
  EXPECT_EQ(parsed.Serialize(), text);

  Manifest empty;
  ASSERT_TRUE(Manifest::Parse(Manifest().Serialize(), &parsed).ok());
  ExpectSame(empty, parsed);
}

TEST(ManifestTest, ParseReplacesPreviousContent) {
  Manifest out = SampleManifest();
  ASSERT_TRUE(Manifest::Parse(Manifest().Serialize(), &out).ok());
  EXPECT_TRUE(out.parts.empty());
  EXPECT_EQ(out.wal_checkpoint, 0u);
}

TEST(ManifestTest, EveryChangedByteIsCorruption) {
  std::string text = SampleManifest().Serialize();
  for (size_t i = 0; i < text.size(); ++i) {
    std::string damaged = text;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    Manifest m;
    Status s = Manifest::Parse(damaged, &m);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "byte " << i << ": " << s.ToString();
  }
}

TEST(ManifestTest, TruncatedOrEmptyIsCorruption) {
  std::string text = SampleManifest().Serialize();
  for (size_t len : {size_t{0}, size_t{1}, text.size() / 2, text.size() - 10}) {
    EXPECT_EQ(ParseCode(text.substr(0, len)), Status::Code::kCorruption) << "length " << len;
  }
}

TEST(ManifestTest, ValidChecksumButBadContentIsCorruption) {
  const std::string header = "otelstack-manifest 1\n";
  EXPECT_EQ(ParseCode(WithChecksum(header + "next_file_id 3\nwal_checkpoint 2\n")), Status::Code::kOk);
  EXPECT_EQ(ParseCode(WithChecksum("")), Status::Code::kCorruption) << "no header";
  EXPECT_EQ(ParseCode(WithChecksum("otelstack-manifest 2\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "frobnicate 1\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "next_file_id x\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "next_file_id -1\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "wal_checkpoint 99999999999999999999999\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "part logs 2024-01-01 p-1.part 1 2 3\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "part spans 2024-01-01 p-1.part 1 2 3 4\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(WithChecksum(header + "part logs 2024-01-01 p-1.part 1 2 3 4x\n")), Status::Code::kCorruption);
  EXPECT_EQ(ParseCode(header + "next_file_id 3\n"), Status::Code::kCorruption) << "no checksum line";
}

TEST(ManifestTest, SaveAndLoad) {
  TempDir dir;
  Manifest loaded = SampleManifest();
  ASSERT_TRUE(Manifest::Load(dir.path(), &loaded).ok());
  ExpectSame(Manifest(), loaded);  // missing file: empty manifest

  Manifest m = SampleManifest();
  ASSERT_TRUE(m.Save(dir.path()).ok());
  ASSERT_TRUE(Manifest::Load(dir.path(), &loaded).ok());
  ExpectSame(m, loaded);
  EXPECT_FALSE(fs::exists(dir.path() + "/MANIFEST.tmp"));

  m.parts.pop_back();
  m.wal_checkpoint = 1300;
  ASSERT_TRUE(m.Save(dir.path()).ok());
  ASSERT_TRUE(Manifest::Load(dir.path(), &loaded).ok());
  ExpectSame(m, loaded);

  std::ofstream(dir.path() + "/MANIFEST", std::ios::trunc) << "garbage";
  Status s = Manifest::Load(dir.path(), &loaded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("MANIFEST"), std::string::npos) << "error names the file: " << s.ToString();
}

TEST(ManifestTest, RelativePath) {
  PartEntry p{Signal::kTraces, "2024-03-01", "p-000000000042.part"};
  EXPECT_EQ(p.RelativePath(), "traces/2024-03-01/p-000000000042.part");
}

TEST(ManifestTest, DayOfBoundaries) {
  constexpr uint64_t kDay = 86'400 * kNanosPerSecond;
  EXPECT_EQ(DayOf(0), "1970-01-01");
  EXPECT_EQ(DayOf(kDay - 1), "1970-01-01");
  EXPECT_EQ(DayOf(kDay), "1970-01-02");
  const uint64_t new_year_2024 = 1'704'067'200ull * kNanosPerSecond;
  EXPECT_EQ(DayOf(new_year_2024 - 1), "2023-12-31");
  EXPECT_EQ(DayOf(new_year_2024), "2024-01-01");
  const uint64_t leap_day_2024 = 1'709'164'800ull * kNanosPerSecond;
  EXPECT_EQ(DayOf(leap_day_2024 - 1), "2024-02-28");
  EXPECT_EQ(DayOf(leap_day_2024), "2024-02-29");
  EXPECT_EQ(DayOf(leap_day_2024 + kDay - 1), "2024-02-29");
  EXPECT_EQ(DayOf(leap_day_2024 + kDay), "2024-03-01");
  // The partition key the store groups by (time / day) agrees with DayOf.
  for (uint64_t t : {new_year_2024 - 1, new_year_2024, leap_day_2024 + kDay - 1}) {
    EXPECT_EQ(DayOf(t), DayOf(t / kDay * kDay));
  }
  EXPECT_EQ(DayOf(~uint64_t{0}), "2554-07-21");  // largest representable time
}

}  // namespace
}  // namespace otelstack
