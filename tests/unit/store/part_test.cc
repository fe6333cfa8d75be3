#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/any_value.h"
#include "common/varint.h"
#include "store/column_codec.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "test_util/part_file.h"
#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

constexpr uint64_t kBaseTime = 1'700'000'000'000'000'000ull;

// Every column of every signal gets values exercising the codecs: repeated
// and unique strings, empty and binary bytes, constants, huge and negative
// numbers, NaN bits, and unset (zero) values.
RowBatch MakeBatch(Signal signal, size_t rows, uint64_t seed) {
  RowBatch b(signal);
  auto schema = SchemaOf(signal);
  std::mt19937_64 rng(seed);
  const char* pool[] = {"frontend", "checkout", "", "payment", "a much longer repeated value for the dictionary"};
  uint64_t t = kBaseTime;
  for (size_t r = 0; r < rows; ++r) {
    t += rng() % 3'000'000;
    b.SetU64(kTimeColumn, t);
    for (size_t c = 1; c < schema.size(); ++c) {
      if (rng() % 10 == 0) continue;  // left unset: zero value
      switch (schema[c].type) {
        case ColumnType::kTimestamp:
          b.SetU64(c, t + rng() % 1000);
          break;
        case ColumnType::kUInt64:
          b.SetU64(c, c % 2 == 0 ? 7 : rng());
          break;
        case ColumnType::kInt64:
          b.SetI64(c, -static_cast<int64_t>(rng() % 100));
          break;
        case ColumnType::kFloat64:
          b.SetU64(c,
                   r % 7 == 0 ? 0x7ff8000000000abcull : std::bit_cast<uint64_t>(static_cast<double>(rng() % 1000) / 3));
          break;
        default:
          if (c % 3 == 0) {
            b.SetBytes(c, pool[rng() % 5]);
          } else if (c % 3 == 1) {
            b.SetBytes(c, "row " + std::to_string(r) + " column " + std::to_string(c) + " " + std::to_string(rng()));
          } else {
            std::string id(rng() % 2 == 0 ? 16 : 0, '\0');
            for (char& ch : id) ch = static_cast<char>(rng());
            b.SetBytes(c, id);
          }
      }
    }
    b.FinishRow();
  }
  return b;
}

// Compares `columns` of `got` (all rows) with rows [first, first + got.rows())
// of `want`; columns not listed must hold zero values.
void ExpectRowsEqual(const RowBatch& want, size_t first, const RowBatch& got, const std::vector<size_t>& columns) {
  ASSERT_EQ(got.signal(), want.signal());
  auto schema = SchemaOf(want.signal());
  ASSERT_EQ(got.columns(), schema.size());
  for (size_t c = 0; c < schema.size(); ++c) {
    bool requested = std::find(columns.begin(), columns.end(), c) != columns.end();
    if (!requested) {  // left empty by ReadGranule (never stale data of an earlier read)
      EXPECT_TRUE(IsFixed(schema[c].type) ? got.FixedColumn(c).empty() : got.BytesEnds(c).empty()) << schema[c].name;
      continue;
    }
    for (size_t r = 0; r < got.rows(); ++r) {
      // Plain comparisons first: gtest assertions per cell are slow.
      if (IsFixed(schema[c].type)) {
        uint64_t expected = want.U64(c, first + r);
        if (got.U64(c, r) != expected) {
          ASSERT_EQ(got.U64(c, r), expected) << schema[c].name << " row " << r;
        }
      } else {
        std::string_view expected = want.Bytes(c, first + r);
        if (got.Bytes(c, r) != expected) {
          ASSERT_EQ(got.Bytes(c, r), expected) << schema[c].name << " row " << r;
        }
      }
    }
  }
}

std::vector<size_t> AllColumns(Signal s) {
  std::vector<size_t> v(SchemaOf(s).size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

class PartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    dir_ = tmp_.path();
  }
  test::TempDir tmp_;
  std::string PathOf(const std::string& name) const { return dir_ + "/" + name; }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  static void ExpectDamagedReferenceFailsTheRead(const std::string& path, std::unique_ptr<PartReader> reader,
                                                 size_t damaged, size_t col);

  std::string dir_;
};

TEST_F(PartTest, RoundTripEverySignal) {
  struct Case {
    size_t rows, granule_rows;
  };
  for (Signal signal : kAllSignals) {
    for (Case k : {Case{20000, 8192}, Case{4500, 1000}, Case{50, 7}, Case{5, 1}, Case{1, 8192}}) {
      SCOPED_TRACE(std::string(SignalName(signal)) + " rows " + std::to_string(k.rows) + " granule " +
                   std::to_string(k.granule_rows));
      RowBatch batch = MakeBatch(signal, k.rows, k.rows + k.granule_rows);
      std::string path = PathOf(std::string(SignalName(signal)) + "-" + std::to_string(k.granule_rows) + ".part");
      PartWriteOptions options;
      options.granule_rows = k.granule_rows;
      PartInfo written;
      ASSERT_TRUE(WritePart(path, batch, options, &written).ok());
      EXPECT_EQ(written.signal, signal);
      EXPECT_EQ(written.rows, k.rows);
      EXPECT_EQ(written.min_time, batch.Time(0));
      EXPECT_EQ(written.max_time, batch.Time(k.rows - 1));
      EXPECT_EQ(written.file_bytes, std::filesystem::file_size(path));

      std::unique_ptr<PartReader> reader;
      ASSERT_TRUE(PartReader::Open(path, &reader).ok());
      const PartInfo& info = reader->info();
      EXPECT_EQ(info.signal, signal);
      EXPECT_EQ(info.rows, written.rows);
      EXPECT_EQ(info.min_time, written.min_time);
      EXPECT_EQ(info.max_time, written.max_time);
      EXPECT_EQ(info.file_bytes, written.file_bytes);

      ASSERT_EQ(reader->granule_count(), (k.rows + k.granule_rows - 1) / k.granule_rows);
      for (size_t g = 0; g < reader->granule_count(); ++g) {
        const GranuleInfo& gi = reader->granule(g);
        EXPECT_EQ(gi.first_row, g * k.granule_rows);
        EXPECT_EQ(gi.rows, std::min(k.granule_rows, k.rows - gi.first_row));
        EXPECT_EQ(gi.min_time, batch.Time(gi.first_row));
        EXPECT_EQ(gi.max_time, batch.Time(gi.first_row + gi.rows - 1));
      }

      RowBatch all(Signal::kLogs);  // ReadAll switches it to the part's signal
      ASSERT_TRUE(reader->ReadAll(&all).ok());
      ASSERT_EQ(all.rows(), k.rows);
      ExpectRowsEqual(batch, 0, all, AllColumns(signal));
    }
  }
}

TEST_F(PartTest, ReadGranuleWithColumnSubset) {
  RowBatch batch = MakeBatch(Signal::kLogs, 3000, 9);
  std::string path = PathOf("logs.part");
  PartWriteOptions options;
  options.granule_rows = 1024;
  ASSERT_TRUE(WritePart(path, batch, options, nullptr).ok());
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  ASSERT_EQ(reader->granule_count(), 3u);

  RowBatch out(Signal::kLogs);
  std::vector<size_t> first = {logs_col::kBody, logs_col::kTimestamp, logs_col::kSeverityNumber};
  ASSERT_TRUE(reader->ReadGranule(1, first, &out).ok());
  ASSERT_EQ(out.rows(), 1024u);
  ExpectRowsEqual(batch, 1024, out, first);

  // Reusing the batch: columns from the previous read must not leak through.
  std::vector<size_t> second = {logs_col::kServiceName, logs_col::kTraceId};
  ASSERT_TRUE(reader->ReadGranule(2, second, &out).ok());
  ASSERT_EQ(out.rows(), 3000u - 2048);
  ExpectRowsEqual(batch, 2048, out, second);

  ASSERT_TRUE(reader->ReadGranule(0, {}, &out).ok());
  ExpectRowsEqual(batch, 0, out, {});

  EXPECT_EQ(reader->ReadGranule(3, first, &out).code(), Status::Code::kInvalidArgument);
  std::vector<size_t> bad_column = {logs_col::kCount};
  EXPECT_EQ(reader->ReadGranule(0, bad_column, &out).code(), Status::Code::kInvalidArgument);
}

TEST_F(PartTest, ConcurrentGranuleReads) {
  RowBatch batch = MakeBatch(Signal::kTraces, 4000, 10);
  std::string path = PathOf("traces.part");
  PartWriteOptions options;
  options.granule_rows = 500;
  ASSERT_TRUE(WritePart(path, batch, options, nullptr).ok());
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  std::vector<size_t> columns = AllColumns(Signal::kTraces);
  std::vector<int> failures(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      RowBatch out(Signal::kTraces);
      for (size_t g = 0; g < reader->granule_count(); ++g) {
        if (!reader->ReadGranule(g, columns, &out).ok()) ++failures[t];
        for (size_t r = 0; r < out.rows(); ++r) {
          if (out.Bytes(traces_col::kSpanName, r) != batch.Bytes(traces_col::kSpanName, g * 500 + r)) ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures[0] + failures[1], 0);
}

TEST_F(PartTest, FileModeAndNoTmpLeftBehind) {
  RowBatch batch = MakeBatch(Signal::kMetrics, 100, 11);
  std::string path = PathOf("metrics.part");
  // A stale .tmp from a crashed writer, with a permissive mode.
  WriteFile(path + ".tmp", "stale");
  ::chmod((path + ".tmp").c_str(), 0644);
  ASSERT_TRUE(WritePart(path, batch, PartWriteOptions{}, nullptr).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Overwriting an existing part replaces it.
  RowBatch smaller = MakeBatch(Signal::kMetrics, 10, 12);
  ASSERT_TRUE(WritePart(path, smaller, PartWriteOptions{}, nullptr).ok());
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  EXPECT_EQ(reader->info().rows, 10u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(PartTest, RejectsBadInput) {
  std::string path = PathOf("bad.part");
  RowBatch empty(Signal::kLogs);
  EXPECT_EQ(WritePart(path, empty, PartWriteOptions{}, nullptr).code(), Status::Code::kInvalidArgument);

  RowBatch unsorted(Signal::kLogs);
  for (uint64_t t : {5, 9, 7}) {
    unsorted.SetU64(kTimeColumn, t);
    unsorted.FinishRow();
  }
  Status s = WritePart(path, unsorted, PartWriteOptions{}, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("row 2"), std::string::npos) << s.ToString();

  PartWriteOptions zero_granules;
  zero_granules.granule_rows = 0;
  EXPECT_EQ(WritePart(path, MakeBatch(Signal::kLogs, 3, 1), zero_granules, nullptr).code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));

  // The directory does not exist: IOError, nothing created.
  EXPECT_EQ(WritePart(PathOf("missing/x.part"), MakeBatch(Signal::kLogs, 3, 1), PartWriteOptions{}, nullptr).code(),
            Status::Code::kIOError);
  std::unique_ptr<PartReader> reader;
  EXPECT_EQ(PartReader::Open(PathOf("nope.part"), &reader).code(), Status::Code::kIOError);
}

TEST_F(PartTest, FooterSections) {
  RowBatch batch = MakeBatch(Signal::kLogs, 10, 13);
  std::string path = PathOf("sections.part");
  std::vector<part_format::Section> sections = {{900, "caller's index"}, {1000, std::string("\0\1\2", 3)}};
  ASSERT_TRUE(WritePart(path, batch, PartWriteOptions{}, sections, nullptr).ok());
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  ASSERT_TRUE(reader->section(900).has_value());
  EXPECT_EQ(*reader->section(900), "caller's index");
  ASSERT_TRUE(reader->section(1000).has_value());
  EXPECT_EQ(*reader->section(1000), std::string("\0\1\2", 3));
  EXPECT_FALSE(reader->section(901).has_value());

  std::vector<part_format::Section> duplicate = {{900, "a"}, {900, "b"}};
  EXPECT_EQ(WritePart(path, batch, PartWriteOptions{}, duplicate, nullptr).code(), Status::Code::kInvalidArgument);
}

class PartCorruptionTest : public PartTest {
 protected:
  void SetUp() override {
    PartTest::SetUp();
    batch_ = MakeBatch(Signal::kLogs, 5000, 14);
    path_ = PathOf("logs.part");
    PartWriteOptions options;
    options.granule_rows = 1000;
    options.build_skip_indexes = false;  // the body is column blocks only (filters: SkipIndexTest)
    ASSERT_TRUE(WritePart(path_, batch_, options, nullptr).ok());
    bytes_ = ReadFile(path_);
    std::unique_ptr<PartReader> reader;
    ASSERT_TRUE(PartReader::Open(path_, &reader).ok());
    granules_ = reader->granule_count();
    footer_start_ = bytes_.size() - part_format::kTrailerSize - DecodeFixed64(bytes_.data() + bytes_.size() - 24);
  }

  Status OpenModified(const std::string& bytes, std::unique_ptr<PartReader>* reader) {
    WriteFile(path_, bytes);
    return PartReader::Open(path_, reader);
  }

  RowBatch batch_{Signal::kLogs};
  std::string path_;
  std::string bytes_;
  size_t granules_ = 0;
  size_t footer_start_ = 0;
};

TEST_F(PartCorruptionTest, FlippedBlockByteFailsOnlyThatGranule) {
  for (size_t offset : {part_format::kHeaderSize, (part_format::kHeaderSize + footer_start_) / 2, footer_start_ - 1}) {
    SCOPED_TRACE("offset " + std::to_string(offset));
    std::string bytes = bytes_;
    bytes[offset] ^= 0x20;
    std::unique_ptr<PartReader> reader;
    ASSERT_TRUE(OpenModified(bytes, &reader).ok());  // Open reads the footer only
    std::vector<size_t> all = AllColumns(Signal::kLogs);
    RowBatch out(Signal::kLogs);
    size_t failed = 0;
    for (size_t g = 0; g < granules_; ++g) {
      Status s = reader->ReadGranule(g, all, &out);
      if (s.ok()) {
        ExpectRowsEqual(batch_, g * 1000, out, all);
        continue;
      }
      ++failed;
      EXPECT_EQ(s.code(), Status::Code::kCorruption);
      EXPECT_NE(s.message().find(path_), std::string::npos) << s.ToString();
      EXPECT_NE(s.message().find("granule " + std::to_string(g) + " column "), std::string::npos) << s.ToString();
    }
    EXPECT_EQ(failed, 1u);
    EXPECT_EQ(reader->ReadAll(&out).code(), Status::Code::kCorruption);
  }
  // The first block is granule 0's Timestamp column.
  std::string bytes = bytes_;
  bytes[part_format::kHeaderSize] ^= 1;
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(OpenModified(bytes, &reader).ok());
  RowBatch out(Signal::kLogs);
  std::vector<size_t> time_only = {logs_col::kTimestamp};
  Status s = reader->ReadGranule(0, time_only, &out);
  EXPECT_NE(s.message().find("granule 0 column Timestamp"), std::string::npos) << s.ToString();
  std::vector<size_t> body_only = {logs_col::kBody};
  EXPECT_TRUE(reader->ReadGranule(0, body_only, &out).ok());
}

TEST_F(PartCorruptionTest, DamagedFooterOrTrailerFailsOpen) {
  std::unique_ptr<PartReader> reader;
  for (size_t offset : {footer_start_, footer_start_ + 5, bytes_.size() - 24, bytes_.size() - 17, bytes_.size() - 9,
                        bytes_.size() - 1}) {
    std::string bytes = bytes_;
    bytes[offset] ^= 0x01;
    Status s = OpenModified(bytes, &reader);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "offset " << offset << ": " << s.ToString();
    EXPECT_NE(s.message().find(path_), std::string::npos);
  }
}

TEST_F(PartCorruptionTest, TruncatedFileFailsOpen) {
  std::unique_ptr<PartReader> reader;
  for (size_t size : {size_t{0}, size_t{10}, size_t{30}, bytes_.size() / 2, bytes_.size() - 1}) {
    Status s = OpenModified(bytes_.substr(0, size), &reader);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "size " << size << ": " << s.ToString();
  }
  // Bytes appended after the trailer are caught too.
  EXPECT_EQ(OpenModified(bytes_ + "x", &reader).code(), Status::Code::kCorruption);
}

TEST_F(PartCorruptionTest, WrongMagicFailsOpen) {
  std::unique_ptr<PartReader> reader;
  std::string bytes = bytes_;
  bytes[0] = 'X';
  Status s = OpenModified(bytes, &reader);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("magic"), std::string::npos) << s.ToString();
  bytes = bytes_;
  bytes[bytes.size() - 3] = 'X';
  EXPECT_EQ(OpenModified(bytes, &reader).code(), Status::Code::kCorruption);
  bytes = bytes_;
  bytes[8] = static_cast<char>(part_format::kFormatVersion + 1);  // written by a newer version
  EXPECT_EQ(OpenModified(bytes, &reader).code(), Status::Code::kFailedPrecondition);
  bytes[8] = 1;  // version 1: no overlapping granules, readable as it is
  EXPECT_TRUE(OpenModified(bytes, &reader).ok());
  bytes[8] = 2;  // version 2: no kBytesRecent or kBytesTextTemplate blocks, readable as it is
  EXPECT_TRUE(OpenModified(bytes, &reader).ok());
  bytes[8] = 0;
  EXPECT_EQ(OpenModified(bytes, &reader).code(), Status::Code::kFailedPrecondition);
  ASSERT_TRUE(OpenModified(bytes_, &reader).ok());
}

// ---- Size on realistic logs ------------------------------------------------

std::string Attributes(std::initializer_list<std::pair<std::string, std::string>> kvs) {
  std::string out;
  size_t h = anyvalue::BeginKvList(&out);
  for (const auto& [k, v] : kvs) {
    anyvalue::AppendKey(&out, k);
    anyvalue::AppendString(&out, v);
  }
  anyvalue::EndList(&out, h, static_cast<uint32_t>(kvs.size()));
  return out;
}

// Logs from 12 services interleaved in time: resources, scopes and severities
// repeat; bodies follow a few templates with varying numbers, ids and paths;
// about half the records carry a trace context shared by a few records, a
// span by one to a few of them.
RowBatch MakeRealisticLogs(size_t rows) {
  struct Service {
    std::string name, resource, scope;
  };
  std::vector<Service> services;
  const char* names[] = {"frontend", "checkout", "payment",   "cart",  "shipping", "email",
                         "currency", "ad",       "recommend", "quote", "fraud",    "accounting"};
  for (int i = 0; i < 12; ++i) {
    std::string n = names[i];
    services.push_back({n,
                        Attributes({{"service.name", n},
                                    {"service.version", "1.4." + std::to_string(i)},
                                    {"service.namespace", "opentelemetry-demo"},
                                    {"deployment.environment", "production"},
                                    {"host.name", "ip-10-0-3-" + std::to_string(17 + i) + ".ec2.internal"},
                                    {"k8s.namespace.name", "otel-demo"},
                                    {"k8s.pod.name", n + "-7d9f8b6c5d-" + std::to_string(10000 + i * 37)},
                                    {"k8s.node.name", "node-" + std::to_string(i % 3)},
                                    {"telemetry.sdk.name", "opentelemetry"},
                                    {"telemetry.sdk.language", i % 2 ? "go" : "java"},
                                    {"telemetry.sdk.version", "1.28.0"}}),
                        "io.opentelemetry." + n});
  }
  const char* paths[] = {"/api/cart", "/api/checkout", "/api/products", "/api/recommendations", "/health"};
  const char* severities[] = {"INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
  const int severity_numbers[] = {9, 9, 9, 9, 5, 13, 17};
  std::mt19937_64 rng(42);
  RowBatch b(Signal::kLogs);
  uint64_t t = kBaseTime;
  std::string trace_id(16, '\0'), span_id(8, '\0');
  int trace_left = 0;
  for (size_t r = 0; r < rows; ++r) {
    t += rng() % 2'000'000;  // ~1000 records per second
    const Service& svc = services[rng() % services.size()];
    int sev = static_cast<int>(rng() % 7);
    b.SetU64(logs_col::kTimestamp, t);
    b.SetU64(logs_col::kObservedTimestamp, t + rng() % 5'000'000);
    bool new_span = false;
    if (trace_left == 0 && rng() % 2 == 0) {
      for (char& c : trace_id) c = static_cast<char>(rng());
      trace_left = 1 + rng() % 6;
      new_span = true;
    }
    if (trace_left > 0) {
      --trace_left;
      if (new_span || rng() % 3 == 0) {  // a few lines per span
        for (char& c : span_id) c = static_cast<char>(rng());
      }
      b.SetBytes(logs_col::kTraceId, trace_id);
      b.SetBytes(logs_col::kSpanId, span_id);
      b.SetU64(logs_col::kTraceFlags, 1);
    }
    b.SetBytes(logs_col::kSeverityText, severities[sev]);
    b.SetI64(logs_col::kSeverityNumber, severity_numbers[sev]);
    b.SetBytes(logs_col::kServiceName, svc.name);
    std::string body;
    switch (rng() % 5) {
      case 0:
        body = std::string("GET ") + paths[rng() % 5] + " completed in " + std::to_string(rng() % 900) +
               "ms status=" + (rng() % 10 ? "200" : "503");
        break;
      case 1:
        body = "user " + std::to_string(rng() % 100000) + " added product OLJCESPC" + std::to_string(rng() % 90) +
               " to cart, quantity " + std::to_string(1 + rng() % 5);
        break;
      case 2:
        body = "cache miss for key order:" + std::to_string(rng() % 10'000'000) + ", fetching from database";
        break;
      case 3:
        body = "payment transaction " + std::to_string(rng()) + " charged " + std::to_string(rng() % 500) + "." +
               std::to_string(rng() % 100) + " USD";
        break;
      default:
        body = "connection pool stats: active=" + std::to_string(rng() % 50) + " idle=" + std::to_string(rng() % 20) +
               " waiting=0";
    }
    std::string body_value;
    anyvalue::AppendString(&body_value, body);
    b.SetBytes(logs_col::kBody, body_value);
    b.SetBytes(logs_col::kResourceSchemaUrl, "https://opentelemetry.io/schemas/1.24.0");
    b.SetBytes(logs_col::kResourceAttributes, svc.resource);
    b.SetBytes(logs_col::kScopeName, svc.scope);
    b.SetBytes(logs_col::kScopeVersion, "1.28.0");
    b.SetBytes(logs_col::kScopeAttributes, anyvalue::EmptyKvList());
    b.SetBytes(logs_col::kLogAttributes, Attributes({{"http.method", rng() % 4 ? "GET" : "POST"},
                                                     {"thread.name", "worker-" + std::to_string(rng() % 16)},
                                                     {"code.function", paths[rng() % 5]}}));
    b.FinishRow();
  }
  return b;
}

TEST_F(PartTest, BytesPerRowOnRealisticLogs) {
  const size_t rows = 65536;
  RowBatch batch = MakeRealisticLogs(rows);
  size_t raw_bytes = 0;
  for (size_t c = 0; c < batch.columns(); ++c) {
    raw_bytes += IsFixed(SchemaOf(Signal::kLogs)[c].type) ? rows * 8 : batch.BytesData(c).size() + rows * 4;
  }
  std::string path = PathOf("realistic.part");
  PartInfo info;
  ASSERT_TRUE(WritePart(path, batch, PartWriteOptions{}, &info).ok());
  double per_row = static_cast<double>(info.file_bytes) / rows;
  std::printf("realistic logs: %zu rows, %.1f bytes/row in memory, %.1f bytes/row on disk (%.1fx)\n", rows,
              static_cast<double>(raw_bytes) / rows, per_row, static_cast<double>(raw_bytes) / info.file_bytes);
  std::unique_ptr<PartReader> reader;
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  RowBatch all(Signal::kLogs);
  ASSERT_TRUE(reader->ReadAll(&all).ok());
  ExpectRowsEqual(batch, 0, all, AllColumns(Signal::kLogs));
  EXPECT_LE(per_row, 40.0);
}

// Spans whose parents are mostly a few rows earlier in time.
RowBatch MakeSpansWithParents(size_t rows) {
  std::mt19937_64 rng(8);
  RowBatch b(Signal::kTraces);
  std::vector<std::string> span_ids;
  uint64_t t = kBaseTime;
  for (size_t r = 0; r < rows; ++r) {
    std::string id(8, '\0');
    for (char& c : id) c = static_cast<char>(rng());
    span_ids.push_back(id);
    b.SetU64(traces_col::kTimestamp, t += rng() % 1'000'000);
    b.SetBytes(traces_col::kSpanId, id);
    if (r > 0 && rng() % 10 != 0)
      b.SetBytes(traces_col::kParentSpanId, span_ids[r - 1 - rng() % std::min<size_t>(r, 12)]);
    b.FinishRow();
  }
  return b;
}

ColumnEncoding StoredEncoding(const PartReader& reader, size_t g, size_t col) {
  part_format::BlockEntry entry;
  std::string_view bytes;
  EXPECT_TRUE(reader.StoredBlock(g, col, &entry, &bytes).ok());
  return static_cast<ColumnEncoding>(entry.encoding);
}

// Every granule of the part stores column `col` as `encoding`, and the
// column read alone equals the batch's rows (in dictionary form too, when
// asked, for the encodings that give it): the column its blocks refer to is
// decoded without being requested.
void ExpectStoredAsAndReadAlone(const PartReader& reader, const RowBatch& batch, size_t granule_rows, size_t col,
                                ColumnEncoding encoding) {
  const bool gives_dictionary_form =
      encoding == ColumnEncoding::kBytesDependent || encoding == ColumnEncoding::kBytesConditional;
  const std::vector<size_t> alone = {col};
  for (size_t g = 0; g < reader.granule_count(); ++g) {
    SCOPED_TRACE(std::string(SchemaOf(batch.signal())[col].name) + " granule " + std::to_string(g));
    EXPECT_EQ(StoredEncoding(reader, g, col), encoding);
    for (bool dictionary_form : {false, true}) {
      RowBatch out(batch.signal());
      ASSERT_TRUE(reader.ReadGranule(g, alone, &out, dictionary_form).ok());
      if (gives_dictionary_form) {
        EXPECT_EQ(out.InDictionaryForm(col), dictionary_form);
      }
      ExpectRowsEqual(batch, g * granule_rows, out, alone);
    }
  }
}

constexpr size_t kSmallGranuleRows = 2048;

std::unique_ptr<PartReader> WriteAndOpen(const RowBatch& batch, const std::string& path) {
  return test::WriteAndOpenPart(batch, path, kSmallGranuleRows);
}

// Damages granule 1's block of column `damaged` in the part at `path` (whose
// open reader is given up first), and expects column `col`, read alone, to
// fail in granule 1 with the damaged column named, and to read in granule 0.
void PartTest::ExpectDamagedReferenceFailsTheRead(const std::string& path, std::unique_ptr<PartReader> reader,
                                                  size_t damaged, size_t col) {
  const Signal signal = reader->info().signal;
  part_format::BlockEntry block;
  std::string_view unused;
  ASSERT_TRUE(reader->StoredBlock(1, damaged, &block, &unused).ok());
  reader.reset();
  std::string bytes = ReadFile(path);
  bytes[block.offset + block.stored_size / 2] ^= 0x10;
  WriteFile(path, bytes);
  ASSERT_TRUE(PartReader::Open(path, &reader).ok());
  const std::vector<size_t> alone = {col};
  RowBatch out(signal);
  Status s = reader->ReadGranule(1, alone, &out);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  const std::string named = "granule 1 column " + std::string(SchemaOf(signal)[damaged].name);
  EXPECT_NE(s.message().find(named), std::string::npos) << s.ToString();
  EXPECT_TRUE(reader->ReadGranule(0, alone, &out).ok());
}

TEST_F(PartTest, ParentSpanIdStoredAsRowReferencesReadsAlone) {
  RowBatch batch = MakeSpansWithParents(5000);
  const std::string path = PathOf("spans.part");
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, path);
  ASSERT_NE(reader, nullptr);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, traces_col::kParentSpanId,
                             ColumnEncoding::kBytesRowRef);
  RowBatch all(Signal::kTraces);
  ASSERT_TRUE(reader->ReadAll(&all).ok());
  ExpectRowsEqual(batch, 0, all, AllColumns(Signal::kTraces));

  // A damaged SpanId block fails the ParentSpanId read that needs it.
  ExpectDamagedReferenceFailsTheRead(path, std::move(reader), traces_col::kSpanId, traces_col::kParentSpanId);
}

TEST_F(PartTest, ColumnsDeterminedByAnotherAreStoredPerValueAndReadAlone) {
  // A scope per service, a severity number per severity text.
  RowBatch batch = MakeRealisticLogs(5000);
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, PathOf("dependent.part"));
  ASSERT_NE(reader, nullptr);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kScopeName, ColumnEncoding::kBytesDependent);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kSeverityNumber,
                             ColumnEncoding::kFixedDependent);
  // A resource per service here: a function of it too.
  EXPECT_EQ(StoredEncoding(*reader, 0, logs_col::kResourceAttributes), ColumnEncoding::kBytesDependent);
  // A constant column stays constant (smaller than a value per service).
  EXPECT_EQ(StoredEncoding(*reader, 0, logs_col::kScopeVersion), ColumnEncoding::kBytesConstant);
}

TEST_F(PartTest, ResourcesOfAServicesPodsAreIndexesAmongThemAndReadAlone) {
  // Three services of two pods each, interleaved.
  std::mt19937_64 rng(12);
  RowBatch batch(Signal::kLogs);
  uint64_t t = kBaseTime;
  for (size_t r = 0; r < 5000; ++r) {
    const int service = static_cast<int>(rng() % 3), pod = static_cast<int>(rng() % 2);
    batch.SetU64(logs_col::kTimestamp, t += rng() % 1'000'000);
    batch.SetBytes(logs_col::kServiceName, "service-" + std::to_string(service));
    batch.SetBytes(logs_col::kResourceAttributes,
                   Attributes({{"service.name", "service-" + std::to_string(service)},
                               {"k8s.pod.name", "pod-" + std::to_string(service) + "-" + std::to_string(pod)}}));
    batch.FinishRow();
  }
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, PathOf("pods.part"));
  ASSERT_NE(reader, nullptr);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kResourceAttributes,
                             ColumnEncoding::kBytesConditional);
}

TEST_F(PartTest, ObservedTimestampStoredRelativeToTimestampReadsAlone) {
  RowBatch batch = MakeRealisticLogs(5000);
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, PathOf("relative.part"));
  ASSERT_NE(reader, nullptr);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kObservedTimestamp,
                             ColumnEncoding::kFixedRelative);
}

TEST_F(PartTest, LogTraceContextStoredByServiceAndTraceAndReadsAlone) {
  RowBatch batch = MakeRealisticLogs(5000);
  const std::string path = PathOf("trace-context.part");
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, path);
  ASSERT_NE(reader, nullptr);
  // TraceId among its service's latest ids; SpanId among its trace's (a chain:
  // reading it decodes TraceId, which decodes ServiceName); TraceFlags a
  // value per trace.
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kTraceId,
                             ColumnEncoding::kBytesRecentByClass);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kSpanId, ColumnEncoding::kBytesRecentByClass);
  ExpectStoredAsAndReadAlone(*reader, batch, kSmallGranuleRows, logs_col::kTraceFlags, ColumnEncoding::kFixedDependent);
  RowBatch all(Signal::kLogs);
  ASSERT_TRUE(reader->ReadAll(&all).ok());
  ExpectRowsEqual(batch, 0, all, AllColumns(Signal::kLogs));

  // A damaged ServiceName block fails the SpanId read at the end of the chain.
  ExpectDamagedReferenceFailsTheRead(path, std::move(reader), logs_col::kServiceName, logs_col::kSpanId);
}

// Columns coded by another column's classes, read alone from several
// threads in an order that moves between granules: each read gets its own
// granule's classes of the referenced column, whether computed anew or
// remembered from an earlier read (PartReader keeps the last few).
TEST_F(PartTest, ColumnsReadByReferenceClassesInAnyGranuleOrderFromSeveralThreads) {
  RowBatch batch = MakeRealisticLogs(7000);
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, PathOf("classes.part"));
  ASSERT_NE(reader, nullptr);
  ASSERT_GE(reader->granule_count(), 3u);
  const size_t dependent[] = {logs_col::kTraceId, logs_col::kSpanId, logs_col::kTraceFlags, logs_col::kScopeName,
                              logs_col::kSeverityNumber};
  std::vector<int> mismatches(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (size_t k = 0; k < 4 * reader->granule_count(); ++k) {
        const size_t g = (k * (t + 1) + t) % reader->granule_count();
        for (size_t col : dependent) {
          const std::vector<size_t> alone = {col};
          RowBatch out(Signal::kLogs);
          if (!reader->ReadGranule(g, alone, &out).ok() || out.rows() != reader->granule(g).rows) {
            ++mismatches[t];
            continue;
          }
          for (size_t r = 0; r < out.rows(); ++r) {
            const size_t row = g * kSmallGranuleRows + r;
            const bool same = IsFixed(SchemaOf(Signal::kLogs)[col].type) ? out.U64(col, r) == batch.U64(col, row)
                                                                         : out.Bytes(col, r) == batch.Bytes(col, row);
            mismatches[t] += same ? 0 : 1;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches[0] + mismatches[1], 0);
}

// ReadGranuleRows gives the selected rows of each column exactly as a whole
// granule's read has them: columns stored by themselves, as references to
// another (row references, values per or among another column's values,
// recent ids by class) and fixed ones, from granules whose part dictionary
// the blocks refer to. A bad selection is refused.
TEST_F(PartTest, SelectedRowsOfEveryColumnAreTheGranulesRows) {
  for (const RowBatch& batch : {MakeRealisticLogs(5000), MakeSpansWithParents(5000)}) {
    const Signal signal = batch.signal();
    std::unique_ptr<PartReader> reader = WriteAndOpen(batch, PathOf("selected.part"));
    ASSERT_NE(reader, nullptr);
    const std::vector<size_t> columns = AllColumns(signal);
    for (size_t g : {size_t{0}, reader->granule_count() - 1}) {
      RowBatch whole(signal);
      ASSERT_TRUE(reader->ReadGranule(g, columns, &whole).ok());
      const auto rows = static_cast<uint32_t>(whole.rows());
      for (const std::vector<uint32_t>& selected :
           std::vector<std::vector<uint32_t>>{{}, {0}, {3, 4, 90}, {rows - 1}}) {
        for (size_t col : columns) {
          SCOPED_TRACE("granule " + std::to_string(g) + " column " + std::string(SchemaOf(signal)[col].name));
          RowBatch got(signal);
          ASSERT_TRUE(reader->ReadGranuleRows(g, col, selected, &got).ok());
          ASSERT_EQ(got.rows(), selected.size());
          for (size_t k = 0; k < selected.size(); ++k) {
            if (IsFixed(SchemaOf(signal)[col].type)) {
              EXPECT_EQ(got.U64(col, k), whole.U64(col, selected[k]));
            } else {
              EXPECT_EQ(got.Bytes(col, k), whole.Bytes(col, selected[k]));
            }
          }
        }
      }
      RowBatch out(signal);
      const std::vector<uint32_t> unsorted = {5, 2};
      EXPECT_EQ(reader->ReadGranuleRows(g, columns.back(), unsorted, &out).code(), Status::Code::kInvalidArgument);
      const std::vector<uint32_t> beyond = {rows};
      EXPECT_EQ(reader->ReadGranuleRows(g, columns.back(), beyond, &out).code(), Status::Code::kInvalidArgument);
    }
  }
}

// A part's first granule is compressed alone and gives each column whose
// blocks compressed well a part dictionary; the later granules' blocks refer
// to it: their own zstd streams (Body's text templates) or their whole zstd
// frame (ResourceAttributes). Everything reads back, column by column too.
TEST_F(PartTest, LaterGranulesReferToTheirColumnsPartDictionary) {
  RowBatch batch = MakeRealisticLogs(10000);
  std::unique_ptr<PartReader> reader = WriteAndOpen(batch, PathOf("dictionaries.part"));
  ASSERT_NE(reader, nullptr);
  ASSERT_GE(reader->granule_count(), 3u);
  ASSERT_TRUE(reader->section(part_format::kDictionarySection).has_value());
  auto compression_of = [&](size_t g, size_t col) {
    part_format::BlockEntry entry;
    std::string_view bytes;
    EXPECT_TRUE(reader->StoredBlock(g, col, &entry, &bytes).ok());
    return static_cast<part_format::BlockCompression>(entry.compression);
  };
  EXPECT_TRUE(IsTextTemplateEncoding(StoredEncoding(*reader, 0, logs_col::kBody)));
  EXPECT_EQ(compression_of(0, logs_col::kBody), part_format::BlockCompression::kNone);
  EXPECT_EQ(compression_of(0, logs_col::kResourceAttributes), part_format::BlockCompression::kZstd);
  for (size_t g = 1; g < reader->granule_count(); ++g) {
    SCOPED_TRACE("granule " + std::to_string(g));
    EXPECT_EQ(compression_of(g, logs_col::kBody), part_format::BlockCompression::kDictionaryStreams);
    EXPECT_EQ(compression_of(g, logs_col::kResourceAttributes), part_format::BlockCompression::kZstdDictionary);
  }
  RowBatch all(Signal::kLogs);
  ASSERT_TRUE(reader->ReadAll(&all).ok());
  ExpectRowsEqual(batch, 0, all, AllColumns(Signal::kLogs));
  for (size_t col : {logs_col::kBody, logs_col::kResourceAttributes, logs_col::kLogAttributes}) {
    for (size_t g = 0; g < reader->granule_count(); ++g) {
      RowBatch out(Signal::kLogs);
      const std::vector<size_t> alone = {col};
      ASSERT_TRUE(reader->ReadGranule(g, alone, &out).ok());
      ExpectRowsEqual(batch, g * kSmallGranuleRows, out, alone);
    }
  }
}

}  // namespace
}  // namespace otelstack
