#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "store/wal_format.h"
#include "store/wal_reader.h"
#include "store/wal_writer.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

using wal::kBlockSize;
// The writer's fragment header (recyclable format); hand-built first-format
// fragments (Fragment()) have wal::kHeaderSize bytes.
constexpr size_t kHeaderSize = wal::kRecyclableHeaderSize;
// The segment the tests write: 000001.wal.
constexpr uint32_t kLogNumber = 1;

std::string RandomBytes(std::mt19937_64* rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>((*rng)() & 0xff);
  return s;
}

// A recognizable record: `n` bytes derived from `seed`.
std::string Pattern(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + static_cast<size_t>(seed) * 13) % 26);
  return s;
}

struct ReadResult {
  std::vector<std::string> records;
  std::vector<uint64_t> ends;  // end_of_last_record() after each record
  Status status;
  uint64_t dropped = 0;
  bool torn = false;
};

// Reads until ReadRecord() returns false.
void Drain(WalReader* reader, ReadResult* out) {
  std::string record;
  while (reader->ReadRecord(&record)) {
    out->records.push_back(record);
    out->ends.push_back(reader->end_of_last_record());
  }
  out->status = reader->status();
  out->dropped = reader->dropped_bytes();
  out->torn = reader->torn_tail();
}

// Reads segment file `path` (of segment `log_number`) to its end.
ReadResult ReadSegment(const std::string& path, uint32_t log_number) {
  ReadResult result;
  std::unique_ptr<WalReader> reader;
  Status s = WalReader::Open(path, log_number, &reader);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (s.ok()) Drain(reader.get(), &result);
  return result;
}

class WalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    dir_ = tmp_.path();
    path_ = dir_ + "/000001.wal";
  }
  test::TempDir tmp_;

  void WriteLog(const std::vector<std::string>& records) {
    std::unique_ptr<WalWriter> writer;
    ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
    for (const std::string& r : records) ASSERT_TRUE(writer->Append(r).ok());
    ASSERT_TRUE(writer->Sync().ok());
    EXPECT_EQ(writer->size(), FileSize());
    ASSERT_TRUE(writer->Close().ok());
  }

  ReadResult ReadLog() { return ReadSegment(path_, kLogNumber); }

  uint64_t FileSize() {
    struct stat st;
    EXPECT_EQ(::stat(path_.c_str(), &st), 0);
    return static_cast<uint64_t>(st.st_size);
  }

  std::string Contents() {
    std::string data(FileSize(), '\0');
    const int fd = ::open(path_.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::pread(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
    ::close(fd);
    return data;
  }

  void SetContents(const std::string& data) {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
    ::close(fd);
  }

  // Records written with the real writer, then the log they produced, and
  // the offset at which each record ends.
  void WriteAndIndex(const std::vector<std::string>& records, std::string* contents, std::vector<uint64_t>* ends) {
    WriteLog(records);
    ReadResult full = ReadLog();
    ASSERT_EQ(full.records, records);
    *contents = Contents();
    *ends = full.ends;
  }

  std::string dir_;
  std::string path_;
};

// Raw first-format fragment bytes: segments of earlier versions, and logs
// the writer would never produce.
std::string Fragment(wal::FragmentType type, std::string_view payload) {
  std::string out(wal::kHeaderSize, '\0');
  out.append(payload);
  wal::EncodeFragmentHeader(out.data(), type, payload.size());
  return out;
}

// Records i whose byte range [ends[i-1], ends[i]) does not meet [a, b).
std::vector<std::string> Survivors(const std::vector<std::string>& records, const std::vector<uint64_t>& ends,
                                   uint64_t a, uint64_t b) {
  std::vector<std::string> out;
  for (size_t i = 0; i < records.size(); ++i) {
    const uint64_t start = i == 0 ? 0 : ends[i - 1];
    if (!(start < b && ends[i] > a)) out.push_back(records[i]);
  }
  return out;
}

TEST_F(WalTest, EmptyLog) {
  WriteLog({});
  EXPECT_EQ(FileSize(), 0u);
  ReadResult r = ReadLog();
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.status.ok());
  EXPECT_FALSE(r.torn);
  EXPECT_EQ(r.dropped, 0u);
}

TEST_F(WalTest, CreateIsExclusiveAndPrivate) {
  WriteLog({"x"});
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::unique_ptr<WalWriter> writer;
  EXPECT_EQ(WalWriter::Create(path_, kLogNumber, &writer).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(WalWriter::Create(dir_ + "/no/such/dir.wal", kLogNumber, &writer).code(), Status::Code::kIOError);
  std::unique_ptr<WalReader> reader;
  EXPECT_EQ(WalReader::Open(dir_ + "/missing.wal", kLogNumber, &reader).code(), Status::Code::kNotFound);
}

TEST_F(WalTest, FragmentLayout) {
  WriteLog({"hello"});
  const std::string data = Contents();
  ASSERT_EQ(data.size(), kHeaderSize + 5);
  // Length 5, type recyclable Full, log number 1, payload.
  EXPECT_EQ(data.substr(4), std::string("\x05\x00\x05\x01\x00\x00\x00hello", 12));
  const uint32_t expected = static_cast<uint32_t>(XXH3_64bits("\x05\x01\x00\x00\x00hello", 10));
  EXPECT_EQ(wal::DecodeFixed32(data.data()), expected);
}

TEST_F(WalTest, SmallRecords) {
  const std::vector<std::string> records = {"foo", "bar", "", "xxxx"};
  WriteLog(records);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, records);
  EXPECT_TRUE(r.status.ok());
  EXPECT_FALSE(r.torn);
  EXPECT_EQ(r.ends.back(), FileSize());
}

TEST_F(WalTest, BlockTailsShorterAndLongerThanAHeader) {
  for (size_t leftover = 0; leftover <= kHeaderSize + 1; ++leftover) {
    SCOPED_TRACE(leftover);
    std::filesystem::remove(path_);
    const std::vector<std::string> records = {Pattern(kBlockSize - kHeaderSize - leftover, 1), "next"};
    WriteLog(records);
    ReadResult r = ReadLog();
    EXPECT_EQ(r.records, records);
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_FALSE(r.torn);
    EXPECT_EQ(r.ends[0], kBlockSize - leftover);
    const std::string data = Contents();
    if (leftover < kHeaderSize) {
      // Zero padding, then "next" as one fragment at the start of block 1.
      EXPECT_EQ(data.substr(kBlockSize - leftover, leftover), std::string(leftover, '\0'));
      EXPECT_EQ(data.size(), kBlockSize + kHeaderSize + 4);
      EXPECT_EQ(data[kBlockSize + 6], wal::kRecyclableFullType);
    } else {
      // "next" starts in block 0 (leftover == kHeaderSize: an empty first
      // fragment).
      EXPECT_EQ(data[kBlockSize - leftover + 6], wal::kRecyclableFirstType);
      EXPECT_EQ(data[kBlockSize + 6], wal::kRecyclableLastType);
    }
  }
}

TEST_F(WalTest, BigRecords) {
  std::mt19937_64 rng(42);
  const std::vector<std::string> records = {"small",
                                            RandomBytes(&rng, 1 << 20),
                                            Pattern(3 * kBlockSize, 2),
                                            Pattern(3 * (kBlockSize - kHeaderSize), 3),
                                            RandomBytes(&rng, 100000),
                                            "tail"};
  WriteLog(records);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records.size(), records.size());
  EXPECT_TRUE(r.records == records);
  EXPECT_TRUE(r.status.ok());
  EXPECT_FALSE(r.torn);
}

TEST_F(WalTest, ManyRandomRecordsWithFlushesAndSyncs) {
  std::mt19937_64 rng(7);
  std::vector<std::string> records;
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  for (int i = 0; i < 3000; ++i) {
    const uint64_t bucket = rng() % 100;
    const size_t size = bucket < 70 ? rng() % 300 : bucket < 95 ? rng() % 5000 : rng() % 200000;
    records.push_back(RandomBytes(&rng, size));
    ASSERT_TRUE(writer->Append(records.back()).ok());
    if (rng() % 50 == 0) {
      ASSERT_TRUE(writer->Flush().ok());
    }
    if (rng() % 500 == 0) {
      ASSERT_TRUE(writer->Sync().ok());
    }
  }
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->size(), FileSize());
  ASSERT_TRUE(writer->Close().ok());
  ReadResult r = ReadLog();
  ASSERT_EQ(r.records.size(), records.size());
  EXPECT_TRUE(r.records == records);
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.ends.back(), FileSize());
}

TEST_F(WalTest, AppendMany) {
  const std::vector<std::string> records = {"a", Pattern(70000, 4), "", "b"};
  std::vector<std::string_view> views(records.begin(), records.end());
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  ASSERT_TRUE(writer->AppendMany(views).ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(ReadLog().records, records);
}

// A record given in parts is logged as their concatenation, byte for byte
// the same file as the joined record: parts that end inside a fragment, at
// a fragment's end, empty parts, and parts longer than a block.
TEST_F(WalTest, AppendPartsWritesTheConcatenation) {
  const std::string header = Pattern(11, 7);
  const std::vector<std::vector<std::string>> records = {
      {header, Pattern(100, 1)},
      {header, ""},
      {"", "", ""},
      // Ends exactly at the first block's end: the three records before
      // take 3 fragment headers and 111 + 11 bytes.
      {header, Pattern(kBlockSize - 3 * kHeaderSize - 111 - 11 - kHeaderSize - 11, 2)},
      {header, Pattern(3 * kBlockSize + 17, 3), "", Pattern(5, 4)},
      {Pattern(kBlockSize, 5), Pattern(kBlockSize, 6)},
  };
  std::vector<std::string> joined;
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  for (const auto& parts : records) {
    std::vector<std::string_view> views(parts.begin(), parts.end());
    ASSERT_TRUE(writer->AppendParts(views).ok());
    joined.emplace_back();
    for (const std::string& p : parts) joined.back() += p;
  }
  ASSERT_TRUE(writer->Close().ok());
  const ReadResult read = ReadLog();
  EXPECT_EQ(read.records, joined);
  ASSERT_GE(read.ends.size(), 4u);
  EXPECT_EQ(read.ends[3], kBlockSize) << "the fourth record should end at the block's end";
  const std::string parts_file = Contents();

  ASSERT_EQ(::unlink(path_.c_str()), 0);
  std::string joined_file;
  std::vector<uint64_t> ends;
  WriteAndIndex(joined, &joined_file, &ends);
  EXPECT_TRUE(parts_file == joined_file) << "the file differs from the one of the joined records";
}

// The bytes the recyclable format prescribes (wal_format.h) for `records`
// written from the start of segment `log_number`, built fragment by fragment
// without the writer.
std::string ExpectedLog(const std::vector<std::string>& records, uint32_t log_number) {
  std::string out;
  for (const std::string& record : records) {
    size_t pos = 0;
    do {
      size_t room = kBlockSize - out.size() % kBlockSize;
      if (room < kHeaderSize) {
        out.append(room, '\0');
        room = kBlockSize;
      }
      const size_t length = std::min(record.size() - pos, room - kHeaderSize);
      const bool first = pos == 0, last = pos + length == record.size();
      const wal::FragmentType type = first ? (last ? wal::kRecyclableFullType : wal::kRecyclableFirstType)
                                           : (last ? wal::kRecyclableLastType : wal::kRecyclableMiddleType);
      std::string fragment(kHeaderSize, '\0');
      fragment.append(record, pos, length);
      wal::EncodeRecyclableFragmentHeader(fragment.data(), type, log_number, length);
      out += fragment;
      pos += length;
    } while (pos < record.size());
  }
  return out;
}

// Records of 64 KiB and more are written straight from the caller's memory
// (writev), the others through the buffer: the file is the format's bytes
// either way. Direct records here follow buffered ones, begin where a block
// has less room left than a header (so padding comes first), come in parts,
// and in more parts than one writev() takes.
TEST_F(WalTest, DirectlyWrittenRecordsHaveTheFormatsBytes) {
  std::mt19937_64 rng(11);
  std::vector<std::vector<std::string>> records = {
      {"small"},
      {Pattern(11, 1), RandomBytes(&rng, 100000)},
      {RandomBytes(&rng, 64 * 1024 - 1)},
      {RandomBytes(&rng, 64 * 1024)},
  };
  auto joined = [&records] {
    std::vector<std::string> out;
    for (const auto& parts : records) {
      out.emplace_back();
      for (const std::string& p : parts) out.back() += p;
    }
    return out;
  };
  // A buffered record that leaves 5 bytes in its block, then a direct one.
  const size_t room = kBlockSize - ExpectedLog(joined(), kLogNumber).size() % kBlockSize;
  ASSERT_GT(room, kHeaderSize + 5);
  records.push_back({Pattern(room - kHeaderSize - 5, 2)});
  records.push_back({RandomBytes(&rng, 200000)});
  std::vector<std::string> many_parts;
  for (int i = 0; i < 3000; ++i) many_parts.push_back(Pattern(i % 7 == 0 ? 0 : 100, i));
  records.push_back(many_parts);
  records.push_back({RandomBytes(&rng, 1 << 20), "", "end"});
  records.push_back({"last"});

  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  for (const auto& parts : records) {
    std::vector<std::string_view> views(parts.begin(), parts.end());
    ASSERT_TRUE(writer->AppendParts(views).ok());
  }
  ASSERT_TRUE(writer->Sync().ok());
  EXPECT_EQ(writer->size(), FileSize());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_TRUE(Contents() == ExpectedLog(joined(), kLogNumber)) << "the file is not the format's bytes";
  EXPECT_EQ(ReadLog().records, joined());
}

// Layout: block 0 ends with a 3-byte zero trailer, a record spans blocks 1-2.
std::vector<std::string> TruncationRecords() {
  std::vector<std::string> records = {Pattern(10, 1), "", Pattern(200, 2)};
  const size_t used = 3 * kHeaderSize + 210;
  records.push_back(Pattern(kBlockSize - 3 - used - kHeaderSize, 3));
  records.push_back(Pattern(5000, 4));
  records.push_back(Pattern(30000, 5));
  records.push_back("xyz");
  records.push_back(Pattern(7, 6));
  return records;
}

TEST_F(WalTest, TruncationAtEveryOffsetYieldsAPrefix) {
  const std::vector<std::string> records = TruncationRecords();
  std::string contents;
  std::vector<uint64_t> ends;
  WriteAndIndex(records, &contents, &ends);
  ASSERT_EQ(ends[3], kBlockSize - 3);

  const int fd = ::open(path_.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  for (uint64_t size = contents.size() + 1; size-- > 0;) {
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(size)), 0);
    const size_t complete = std::upper_bound(ends.begin(), ends.end(), size) - ends.begin();
    const uint64_t intact = complete == 0 ? 0 : ends[complete - 1];
    const bool expect_torn =
        std::any_of(contents.begin() + static_cast<ptrdiff_t>(intact), contents.begin() + static_cast<ptrdiff_t>(size),
                    [](char c) { return c != 0; });
    ReadResult r = ReadLog();
    ASSERT_EQ(r.records.size(), complete) << "size " << size;
    for (size_t i = 0; i < complete; ++i) ASSERT_EQ(r.records[i], records[i]) << "size " << size;
    ASSERT_TRUE(r.status.ok()) << "size " << size << ": " << r.status.ToString();
    ASSERT_EQ(r.dropped, 0u) << "size " << size;
    ASSERT_EQ(r.torn, expect_torn) << "size " << size;
  }
  ::close(fd);
}

TEST_F(WalTest, GrowingFileByteByByteReturnsEachRecordOnceWhenComplete) {
  const std::vector<std::string> records = TruncationRecords();
  std::string contents;
  std::vector<uint64_t> ends;
  WriteAndIndex(records, &contents, &ends);
  std::filesystem::remove(path_);

  SetContents("");
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  std::unique_ptr<WalReader> reader;
  ASSERT_TRUE(WalReader::Open(path_, kLogNumber, &reader).ok());
  ReadResult r;
  for (size_t size = 1; size <= contents.size(); ++size) {
    ASSERT_EQ(::write(fd, contents.data() + size - 1, 1), 1);
    Drain(reader.get(), &r);
    const size_t complete = std::upper_bound(ends.begin(), ends.end(), size) - ends.begin();
    ASSERT_EQ(r.records.size(), complete) << "size " << size;
    ASSERT_TRUE(r.status.ok()) << "size " << size << ": " << r.status.ToString();
    const uint64_t intact = complete == 0 ? 0 : ends[complete - 1];
    const bool expect_torn =
        std::any_of(contents.begin() + static_cast<ptrdiff_t>(intact), contents.begin() + static_cast<ptrdiff_t>(size),
                    [](char c) { return c != 0; });
    ASSERT_EQ(r.torn, expect_torn) << "size " << size;
  }
  ::close(fd);
  EXPECT_EQ(r.records, records);
  EXPECT_FALSE(r.torn);
  EXPECT_EQ(r.dropped, 0u);
}

// 40 rounds of fewer than `max_records` random records (a third of them up
// to `max_large` bytes, the others up to 400) appended to *written and
// flushed; after each, the reader must have returned exactly those, with no
// damage and no torn tail.
void AppendRoundsAndFollow(WalWriter* writer, WalReader* reader, std::mt19937_64* rng, int max_records,
                           size_t max_large, std::vector<std::string>* written, ReadResult* r) {
  for (int round = 0; round < 40; ++round) {
    const int n = static_cast<int>((*rng)() % max_records);
    for (int i = 0; i < n; ++i) {
      written->push_back(RandomBytes(rng, (*rng)() % 3 == 0 ? (*rng)() % max_large : (*rng)() % 400));
      ASSERT_TRUE(writer->Append(written->back()).ok());
    }
    ASSERT_TRUE(writer->Flush().ok());
    Drain(reader, r);
    ASSERT_EQ(r->records.size(), written->size()) << "round " << round;
    ASSERT_TRUE(r->status.ok()) << r->status.ToString();
    ASSERT_FALSE(r->torn);
  }
}

TEST_F(WalTest, ReaderFollowsAWriterInTheSameProcess) {
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  std::unique_ptr<WalReader> reader;
  ASSERT_TRUE(WalReader::Open(path_, kLogNumber, &reader).ok());
  std::mt19937_64 rng(3);
  std::vector<std::string> written;
  ReadResult r;
  ASSERT_NO_FATAL_FAILURE(AppendRoundsAndFollow(writer.get(), reader.get(), &rng, 20, 50000, &written, &r));
  // A record whose fragments do not all fit in what is left of the writer's
  // buffer reaches the file in pieces: the reader sees its first fragments
  // only, and waits for the rest. Records of two fragments, too small to be
  // written directly, fill the buffer until one is split so.
  bool seen_torn = false;
  for (int i = 0; i < 10 && !seen_torn; ++i) {
    written.push_back(RandomBytes(&rng, 60000));
    ASSERT_TRUE(writer->Append(written.back()).ok());
    Drain(reader.get(), &r);
    ASSERT_TRUE(r.status.ok());
    seen_torn = r.torn;
    if (seen_torn) {
      EXPECT_EQ(r.records.size(), written.size() - 1);
    }
  }
  EXPECT_TRUE(seen_torn) << "no record reached the file in pieces";
  // A record written directly (64 KiB or more) goes to the file whole, after
  // the buffered pieces of the one before.
  written.push_back(RandomBytes(&rng, 600000));
  ASSERT_TRUE(writer->Append(written.back()).ok());
  Drain(reader.get(), &r);
  EXPECT_EQ(r.records.size(), written.size());
  EXPECT_FALSE(r.torn);
  EXPECT_TRUE(r.status.ok());
  ASSERT_TRUE(writer->Close().ok());
  Drain(reader.get(), &r);
  EXPECT_FALSE(r.torn);
  EXPECT_TRUE(r.records == written);
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.dropped, 0u);
}

std::vector<std::string> ThousandByteRecords(int n) {
  std::vector<std::string> records;
  for (int i = 0; i < n; ++i) records.push_back(Pattern(1000, i));
  return records;
}

// ---- Reused segment files ----------------------------------------------------

// Segment 1 written with `old_records`, then its file reused as segment 2
// (000002.wal) for `new_records`. Returns segment 2's path.
std::string WriteReused(const std::string& dir, const std::vector<std::string>& old_records,
                        const std::vector<std::string>& new_records) {
  const std::string old_path = dir + "/000001.wal", path = dir + "/000002.wal";
  std::unique_ptr<WalWriter> writer;
  EXPECT_TRUE(WalWriter::Create(old_path, 1, &writer).ok());
  for (const std::string& r : old_records) EXPECT_TRUE(writer->Append(r).ok());
  EXPECT_TRUE(writer->Close().ok());
  EXPECT_TRUE(WalWriter::Reuse(old_path, path, 2, &writer).ok());
  EXPECT_FALSE(std::filesystem::exists(old_path));
  for (const std::string& r : new_records) EXPECT_TRUE(writer->Append(r).ok());
  EXPECT_TRUE(writer->Sync().ok());
  EXPECT_TRUE(writer->Close().ok());
  return path;
}

// The new segment's records and nothing of the old one, wherever the new
// ones end: mid-block, exactly at a block's end, before anything was written.
TEST_F(WalTest, ReusedFileHoldsOnlyTheNewSegment) {
  std::vector<std::string> old_records;
  for (int i = 0; i < 300; ++i) old_records.push_back(Pattern(700 + i % 13, i));  // ~6.5 blocks
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"one"},
      {Pattern(1000, 1), Pattern(5000, 2), Pattern(40000, 3), "x"},
      {Pattern(kBlockSize - kHeaderSize, 4)},                              // ends at block 0's end
      {Pattern(kBlockSize - kHeaderSize, 5), Pattern(2 * kBlockSize, 6)},  // the next one spans blocks
  };
  for (const auto& new_records : cases) {
    SCOPED_TRACE(new_records.size());
    const std::string path = WriteReused(dir_, old_records, new_records);
    ReadResult r = ReadSegment(path, 2);
    EXPECT_EQ(r.records, new_records);
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.dropped, 0u);
    EXPECT_FALSE(r.torn);
    std::filesystem::remove(path);
  }
}

// A reader following the writer of a reused file (a snapshot while the
// server runs) sees each new record once, never an old one, and no damage.
TEST_F(WalTest, ReaderFollowsAWriterInAReusedFile) {
  std::vector<std::string> old_records;
  for (int i = 0; i < 200; ++i) old_records.push_back(Pattern(900, i));
  const std::string path = WriteReused(dir_, old_records, {});
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Reuse(path, dir_ + "/000003.wal", 3, &writer).ok());
  std::unique_ptr<WalReader> reader;
  ASSERT_TRUE(WalReader::Open(dir_ + "/000003.wal", 3, &reader).ok());
  std::mt19937_64 rng(9);
  std::vector<std::string> written;
  ReadResult r;
  ASSERT_NO_FATAL_FAILURE(AppendRoundsAndFollow(writer.get(), reader.get(), &rng, 10, 20000, &written, &r));
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_TRUE(r.records == written);
  EXPECT_EQ(r.dropped, 0u);
}

// Damage with records of the segment after it is still skipped and
// reported in a reused file.
TEST_F(WalTest, DamageInsideAReusedSegmentIsSkipped) {
  std::vector<std::string> old_records;
  for (int i = 0; i < 300; ++i) old_records.push_back(Pattern(1000, i + 50));
  const std::vector<std::string> records = ThousandByteRecords(140);  // about 4.3 blocks
  const std::string path = WriteReused(dir_, old_records, records);
  ReadResult full = ReadSegment(path, 2);
  ASSERT_EQ(full.records, records);
  const uint64_t victim_start = full.ends[4];  // record 5, inside block 0
  std::string contents(std::filesystem::file_size(path), '\0');
  {
    const int fd = ::open(path.c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pread(fd, contents.data(), contents.size(), 0), static_cast<ssize_t>(contents.size()));
    const char flipped = static_cast<char>(contents[victim_start + kHeaderSize + 500] ^ 0x20);
    ASSERT_EQ(::pwrite(fd, &flipped, 1, static_cast<off_t>(victim_start + kHeaderSize + 500)), 1);
    ::close(fd);
  }
  ReadResult r = ReadSegment(path, 2);
  EXPECT_TRUE(r.records == Survivors(records, full.ends, victim_start, kBlockSize));
  EXPECT_EQ(r.records[5], records[33]);  // first record that starts in block 1
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_FALSE(r.torn);
}

TEST_F(WalTest, ChecksumMismatchDropsRestOfBlockOnly) {
  const std::vector<std::string> records = ThousandByteRecords(140);  // about 4.3 blocks
  std::string contents;
  std::vector<uint64_t> ends;
  WriteAndIndex(records, &contents, &ends);
  const uint64_t victim_start = ends[4];  // record 5, inside block 0
  contents[victim_start + kHeaderSize + 500] ^= 0x20;
  SetContents(contents);

  ReadResult r = ReadLog();
  const std::vector<std::string> expected = Survivors(records, ends, victim_start, kBlockSize);
  EXPECT_EQ(r.records.size(), expected.size());
  EXPECT_TRUE(r.records == expected);
  EXPECT_GT(r.records.size(), 100u);
  EXPECT_EQ(r.records[5], records[33]);  // first record that starts in block 1
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_GE(r.dropped, kBlockSize - victim_start);
  EXPECT_FALSE(r.torn);
}

TEST_F(WalTest, BadLengthDropsRestOfBlockOnly) {
  const std::vector<std::string> records = ThousandByteRecords(140);
  std::string contents;
  std::vector<uint64_t> ends;
  WriteAndIndex(records, &contents, &ends);
  const uint64_t victim_start = ends[4];
  contents[victim_start + 4] = '\xff';
  contents[victim_start + 5] = '\xff';
  SetContents(contents);

  ReadResult r = ReadLog();
  EXPECT_TRUE(r.records == Survivors(records, ends, victim_start, kBlockSize));
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_GT(r.dropped, 0u);
}

// A first-format segment (earlier versions) reports a damaged last record.
TEST_F(WalTest, CorruptionInLastBlockOfAFirstFormatLogIsReportedNotTorn) {
  std::string log;
  for (int i = 0; i < 10; ++i) log += Fragment(wal::kFullType, Pattern(1000, i));
  log[9 * (wal::kHeaderSize + 1000) + wal::kHeaderSize + 10] ^= 1;  // payload of the last record
  SetContents(log);
  ReadResult r = ReadLog();
  ASSERT_EQ(r.records.size(), 9u);
  EXPECT_EQ(r.records[8], Pattern(1000, 8));
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_EQ(r.dropped, wal::kHeaderSize + 1000);
  EXPECT_FALSE(r.torn);
}

// In the recyclable format a damaged fragment that nothing of the segment
// follows cannot be told from a reused file's old bytes: the log ends there.
TEST_F(WalTest, DamagedLastFragmentEndsARecyclableLog) {
  const std::vector<std::string> records = ThousandByteRecords(10);
  std::string contents;
  std::vector<uint64_t> ends;
  WriteAndIndex(records, &contents, &ends);
  contents[ends[8] + kHeaderSize + 10] ^= 1;  // payload of the last record
  SetContents(contents);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, std::vector<std::string>(records.begin(), records.begin() + 9));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.dropped, 0u);
  EXPECT_FALSE(r.torn);
}

TEST_F(WalTest, UnknownFragmentTypeIsSkipped) {
  std::string log = Fragment(wal::kFullType, "one");
  log += Fragment(static_cast<wal::FragmentType>(9), "mystery");
  log += Fragment(wal::kFullType, "two");
  SetContents(log);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_EQ(r.dropped, wal::kHeaderSize + 7);
}

TEST_F(WalTest, FirstWithoutLastFollowedByFull) {
  std::string log = Fragment(wal::kFirstType, "abc");
  log += Fragment(wal::kFullType, "xyz");
  log += Fragment(wal::kFirstType, "de");
  log += Fragment(wal::kLastType, "f");
  SetContents(log);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, (std::vector<std::string>{"xyz", "def"}));
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_EQ(r.dropped, 3u);
  EXPECT_FALSE(r.torn);
}

TEST_F(WalTest, ContinuationWithoutFirstIsDropped) {
  std::string log = Fragment(wal::kMiddleType, "m");
  log += Fragment(wal::kLastType, "l");
  log += Fragment(wal::kFullType, "ok");
  SetContents(log);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, std::vector<std::string>{"ok"});
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_EQ(r.dropped, 2u);
}

TEST_F(WalTest, FirstWithoutLastAtEndIsATornTail) {
  std::string log = Fragment(wal::kFullType, "a");
  log += Fragment(wal::kFirstType, "partial");
  log += Fragment(wal::kMiddleType, "more");
  SetContents(log);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, std::vector<std::string>{"a"});
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.torn);
  EXPECT_EQ(r.dropped, 0u);
}

TEST_F(WalTest, ZeroFilledTailIsEndOfLog) {
  const std::vector<std::string> records = ThousandByteRecords(40);
  for (size_t zeros : {size_t{3}, size_t{100}, size_t{100000}}) {
    SCOPED_TRACE(zeros);
    std::filesystem::remove(path_);
    std::string contents;
    std::vector<uint64_t> ends;
    WriteAndIndex(records, &contents, &ends);
    SetContents(contents + std::string(zeros, '\0'));
    ReadResult r = ReadLog();
    EXPECT_TRUE(r.records == records);
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_FALSE(r.torn);
    EXPECT_EQ(r.dropped, 0u);
  }
}

TEST_F(WalTest, ZeroFilledTailInsideARecordIsTorn) {
  std::string log = Fragment(wal::kFullType, "a") + Fragment(wal::kFirstType, Pattern(100, 1));
  SetContents(log + std::string(kBlockSize, '\0'));
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, std::vector<std::string>{"a"});
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.torn);
}

TEST_F(WalTest, ZeroFilledHoleFollowedByDataIsCorruption) {
  const std::vector<std::string> records = ThousandByteRecords(140);
  std::string contents;
  std::vector<uint64_t> ends;
  WriteAndIndex(records, &contents, &ends);
  std::fill(contents.begin() + kBlockSize, contents.begin() + 2 * kBlockSize, '\0');
  SetContents(contents);
  ReadResult r = ReadLog();
  const std::vector<std::string> expected = Survivors(records, ends, kBlockSize, 2 * kBlockSize);
  EXPECT_EQ(r.records.size(), expected.size());
  EXPECT_TRUE(r.records == expected);
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
  EXPECT_GE(r.dropped, kBlockSize);
}

TEST_F(WalTest, ZerosThenDataInsideOneBlockIsCorruption) {
  std::string log = Fragment(wal::kFullType, "a") + std::string(50, '\0') + Fragment(wal::kFullType, "b");
  log.resize(kBlockSize, '\0');
  log += Fragment(wal::kFullType, "c");
  SetContents(log);
  ReadResult r = ReadLog();
  EXPECT_EQ(r.records, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(r.status.code(), Status::Code::kCorruption);
}

TEST_F(WalTest, WriterErrorsAreSticky) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "/dev/full not available";
  std::unique_ptr<WalWriter> writer = WalWriter::WrapFdForTesting(fd, "/dev/full", kLogNumber);
  ASSERT_TRUE(writer->Append("buffered only").ok());
  const Status error = writer->Flush();
  ASSERT_EQ(error.code(), Status::Code::kIOError);
  EXPECT_NE(error.message().find("/dev/full"), std::string::npos);
  EXPECT_EQ(writer->Append("more").code(), Status::Code::kIOError);
  EXPECT_EQ(writer->Flush().code(), Status::Code::kIOError);
  EXPECT_EQ(writer->Sync().code(), Status::Code::kIOError);
  EXPECT_EQ(writer->Close().code(), Status::Code::kIOError);
  EXPECT_FALSE(writer->Append("after close").ok());
}

TEST_F(WalTest, WriterErrorInsideAppendOfBigRecord) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "/dev/full not available";
  std::unique_ptr<WalWriter> writer = WalWriter::WrapFdForTesting(fd, "/dev/full", kLogNumber);
  EXPECT_EQ(writer->Append(Pattern(1 << 20, 1)).code(), Status::Code::kIOError);
  EXPECT_EQ(writer->Append("x").code(), Status::Code::kIOError);
}

TEST_F(WalTest, OversizedRecordIsRejectedWithoutFailingTheWriter) {
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  const std::string huge(wal::kMaxRecordSize + 1, 'h');
  EXPECT_EQ(writer->Append(huge).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(writer->size(), 0u);
  ASSERT_TRUE(writer->Append("fine").ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(ReadLog().records, std::vector<std::string>{"fine"});
}

TEST_F(WalTest, CallsAfterCloseFail) {
  std::unique_ptr<WalWriter> writer;
  ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
  ASSERT_TRUE(writer->Append("x").ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(writer->Append("y").code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(writer->Sync().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(ReadLog().records, std::vector<std::string>{"x"});
}

TEST_F(WalTest, DestructorFlushesBufferedRecords) {
  {
    std::unique_ptr<WalWriter> writer;
    ASSERT_TRUE(WalWriter::Create(path_, kLogNumber, &writer).ok());
    ASSERT_TRUE(writer->Append("kept").ok());
  }
  EXPECT_EQ(ReadLog().records, std::vector<std::string>{"kept"});
}

}  // namespace
}  // namespace otelstack
