// The chart and scan fast paths give the general path's answers.
//
// Each case charts the same rows twice: from a part (small granules, string
// columns dictionary-coded, so Aggregator's per-code path runs and units
// wholly inside the range are read without their time column) and from an
// unflushed batch (no codes, time always read: the general per-row path).
// The rows have several groups, missing values, NaN doubles and time ranges
// that cut granules in half.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <map>

#include "common/any_value.h"
#include "query/aggregate.h"
#include "query/execution/row_value.h"
#include "query/execution/scan.h"
#include "query/parser/lucene_parser.h"
#include "query/planner/binder.h"
#include "store/part_writer.h"
#include "test_util/temp_dir.h"

namespace otelstack::query {
namespace {

constexpr size_t kRows = 700;
constexpr size_t kGranuleRows = 64;

std::string PodMap(size_t i) {
  std::string out;
  size_t h = anyvalue::BeginKvList(&out);
  uint32_t n = 0;
  if (i % 7 != 0) {  // some rows have no pod: a missing attribute groups as ""
    anyvalue::AppendKey(&out, "k8s.pod.name");
    anyvalue::AppendString(&out, "pod-" + std::to_string(i % 3));
    ++n;
  }
  anyvalue::EndList(&out, h, n);
  return out;
}

const char* Service(size_t i) {
  static const char* kServices[] = {"api", "db", "web", "", "worker"};
  return kServices[(i * 7 + i / 50) % 5];
}

void AppendSpan(RowBatch* b, size_t i) {
  b->SetU64(traces_col::kTimestamp, 1000 + i * 10);
  b->SetBytes(traces_col::kServiceName, Service(i));
  b->SetBytes(traces_col::kSpanName, i % 2 ? "GET" : "POST");
  b->SetBytes(traces_col::kResourceAttributes, PodMap(i));
  b->SetBytes(traces_col::kSpanAttributes, anyvalue::EmptyKvList());
  // Ties, a wide range and values beyond 2^53 (not exact as doubles).
  uint64_t duration = (i * 7919) % 1000;
  if (i % 97 == 0) duration = (uint64_t{1} << 60) + i;
  b->SetU64(traces_col::kDuration, duration);
  // Slots above INT64_MAX read as negative integers on both paths.
  b->SetU64(traces_col::kDroppedEventsCount, i % 5 == 0 ? UINT64_MAX - i : i % 4);
  b->FinishRow();
}

void AppendPoint(RowBatch* b, size_t i) {
  b->SetU64(metrics_col::kTimeUnix, 1000 + i * 10);
  b->SetBytes(metrics_col::kServiceName, Service(i));
  b->SetBytes(metrics_col::kMetricName, "latency");
  b->SetBytes(metrics_col::kAttributes, PodMap(i));
  double v = static_cast<double>((i * 31) % 101) / 4;
  if (i % 11 == 0) v = std::numeric_limits<double>::quiet_NaN();
  if (i % 13 == 0) v = -v;
  b->SetF64(metrics_col::kValue, v);
  b->FinishRow();
}

class ChartFastPathsTest : public ::testing::Test {
 protected:
  // Builds the part snapshot and the unflushed snapshot of one signal.
  void Load(Signal signal) {
    RowBatch rows(signal);
    for (size_t i = 0; i < kRows; ++i) signal == Signal::kTraces ? AppendSpan(&rows, i) : AppendPoint(&rows, i);
    PartWriteOptions options;
    options.granule_rows = kGranuleRows;
    std::string path = dir_.Sub(std::string(SignalName(signal)) + ".part");
    PartInfo info;
    ASSERT_TRUE(WritePart(path, rows, options, &info).ok());
    std::unique_ptr<PartReader> reader;
    ASSERT_TRUE(PartReader::Open(path, &reader).ok());
    // The fast paths need the group-by column in dictionary form.
    RowBatch granule(signal);
    const size_t service =
        signal == Signal::kTraces ? size_t{traces_col::kServiceName} : size_t{metrics_col::kServiceName};
    const size_t columns[] = {service};
    ASSERT_TRUE(reader->ReadGranule(0, columns, &granule, /*keep_dictionaries=*/true).ok());
    ASSERT_FALSE(granule.Codes(service).empty());
    StoreSnapshot::Part part;
    part.entry.signal = signal;
    part.entry.SetInfo(info);
    part.reader = std::move(reader);
    parts_.parts.push_back(std::move(part));
    unflushed_.unflushed.push_back(std::make_shared<RowBatch>(std::move(rows)));
  }

  static std::string Text(const ChartResult& r) {
    std::string out;
    for (const std::string& c : r.columns) out += c + "\t";
    out += "\n";
    for (const ChartRow& row : r.rows) {
      if (row.bucket) out += std::to_string(*row.bucket) + "\t";
      for (const auto* cells : {&row.group, &row.values}) {
        for (const Cell& c : *cells) {
          switch (c.kind) {
            case Cell::Kind::kNull:
              out += "null";
              break;
            case Cell::Kind::kInt:
              out += "i" + std::to_string(c.i);
              break;
            case Cell::Kind::kDouble:
              out += "d" + std::to_string(c.d);
              break;
            case Cell::Kind::kString:
              out += "s'" + c.s + "'";
              break;
          }
          out += "\t";
        }
      }
      out += "\n";
    }
    return out;
  }

  // Charts both snapshots and expects the same rows; returns them.
  std::string ExpectSame(Signal signal, const std::vector<std::string>& aggs, const std::string& group_by,
                         uint64_t from, uint64_t to, size_t top_k = 0, const std::string& query = "") {
    ast::NodePtr root;
    if (!query.empty()) {
      EXPECT_TRUE(ParseLucene(query, &root).ok()) << query;
    }
    ChartRequest req;
    req.signal = signal;
    req.from_ns = from;
    req.to_ns = to;
    req.query = root.get();
    for (const std::string& a : aggs) {
      AggSpec spec;
      EXPECT_TRUE(ParseAggSpec(a, &spec).ok()) << a;
      req.aggregates.push_back(spec);
    }
    ast::Field field;
    EXPECT_TRUE(ParseFieldRef(group_by, &field).ok());
    req.group_by.push_back(field);
    req.top_k = top_k;
    req.threads = 2;
    ChartResult from_parts, from_unflushed;
    Status s = Chart(parts_, req, &from_parts);
    EXPECT_TRUE(s.ok()) << s.ToString();
    s = Chart(unflushed_, req, &from_unflushed);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::string want = Text(from_unflushed);
    EXPECT_EQ(Text(from_parts), want) << "by " << group_by << " in [" << from << ", " << to << "]";
    return want;
  }

  test::TempDir dir_;
  StoreSnapshot parts_, unflushed_;
};

// From mid-granule to mid-granule, from a granule boundary, and everything.
const std::pair<uint64_t, uint64_t> kRanges[] = {
    {0, std::numeric_limits<uint64_t>::max()},
    {1000 + 100 * 10 + 5, 1000 + 555 * 10},
    {1000 + 128 * 10, 1000 + 300 * 10},
    {1000 + 130 * 10, 1000 + 131 * 10},  // inside one granule
};

TEST_F(ChartFastPathsTest, IntegerColumnAggregatesByCodedColumn) {
  Load(Signal::kTraces);
  for (const auto& [from, to] : kRanges) {
    for (const char* group_by : {"ServiceName", "ResourceAttributes.k8s.pod.name", "SpanName"}) {
      ExpectSame(Signal::kTraces,
                 {"p99(Duration)", "p50(Duration)", "p0(Duration)", "quantile(1,Duration)", "count", "sum(Duration)",
                  "avg(Duration)", "min(DroppedEventsCount)", "max(DroppedEventsCount)", "sum(DroppedEventsCount)",
                  "avg(DroppedEventsCount)"},
                 group_by, from, to);
      ExpectSame(Signal::kTraces, {"p90(Duration)", "count"}, group_by, from, to, /*top_k=*/2);
    }
    ExpectSame(Signal::kTraces, {"p99(Duration)"}, "ServiceName", from, to, 0, "SpanName:GET");
    ExpectSame(Signal::kTraces, {"max(Duration)", "p75(Timestamp)"}, "ServiceName", from, to, 0,
               "NOT DroppedEventsCount:0");
  }
  // A hand-checked answer, so that both paths being wrong the same way fails.
  std::string all = ExpectSame(Signal::kTraces, {"count"}, "SpanName", 0, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(all, "SpanName\tcount\t\ns'GET'\ti350\t\ns'POST'\ti350\t\n");
}

TEST_F(ChartFastPathsTest, DoubleColumnAggregatesSkipNaN) {
  Load(Signal::kMetrics);
  for (const auto& [from, to] : kRanges) {
    for (const char* group_by : {"ServiceName", "Attributes.k8s.pod.name"}) {
      ExpectSame(Signal::kMetrics,
                 {"p99(Value)", "p50(Value)", "count", "sum(Value)", "avg(Value)", "min(Value)", "max(Value)"},
                 group_by, from, to);
    }
  }
  // NaN is skipped: 700 rows, 64 of them NaN (i % 11 == 0).
  std::string p = ExpectSame(Signal::kMetrics, {"count", "p100(Value)", "min(Value)"}, "MetricName", 0,
                             std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(p, "MetricName\tcount\tp100(Value)\tmin(Value)\t\ns'latency'\ti700\td25.000000\td-25.000000\t\n");
}

// Units wholly inside the range come without the time column when the
// visitor does not read it; the others still have it (to narrow their rows).
TEST_F(ChartFastPathsTest, ScanReadsTimeOnlyWhereNeeded) {
  Load(Signal::kTraces);
  for (bool reads_time : {false, true}) {
    PreparedScan prepared;
    const uint64_t from = 1000 + 100 * 10 + 5, to = 1000 + 555 * 10;
    ASSERT_TRUE(PrepareScan(Signal::kTraces, from, to, nullptr, QueryLimits(), 1, &prepared).ok());
    prepared.request.extra_columns = {traces_col::kDuration};
    prepared.request.visitor_reads_time = reads_time;
    size_t rows = 0, without_time = 0, units = 0;
    ScanStats stats;
    Status s = Scan(
        parts_, prepared.request, nullptr,
        [&](const ScanUnit& unit, const std::shared_ptr<const RowBatch>& batch, const std::vector<uint32_t>& hits) {
          ++units;
          rows += hits.size();
          const bool inside = unit.min_time >= from && unit.max_time <= to;
          const bool has_time = batch->FixedColumn(kTimeColumn).size() == batch->rows();
          EXPECT_EQ(has_time, reads_time || !inside);
          if (!has_time) ++without_time;
          EXPECT_EQ(batch->FixedColumn(traces_col::kDuration).size(), batch->rows());
          return Status::OK();
        },
        &stats);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(rows, 555u - 101u + 1u);
    EXPECT_EQ(without_time, reads_time ? 0u : units - 2u);  // all but the two cut granules
  }
}

// Count histograms count runs of rows per bucket: the buckets and counts
// are those computed row by row, from parts (sorted granules), from the
// unflushed batch and from an unflushed batch in shuffled order.
TEST_F(ChartFastPathsTest, CountHistogramsCountEveryRowInItsBucket) {
  Load(Signal::kTraces);
  RowBatch shuffled(Signal::kTraces);
  for (size_t k = 0; k < kRows; ++k) AppendSpan(&shuffled, (k * 389) % kRows);  // 389 is prime to 700
  StoreSnapshot shuffled_snapshot;
  shuffled_snapshot.unflushed.push_back(std::make_shared<RowBatch>(std::move(shuffled)));
  for (uint64_t width : {uint64_t{35}, uint64_t{640}, uint64_t{1}, uint64_t{100000}}) {
    for (const auto& [from, to] : kRanges) {
      std::map<uint64_t, int64_t> expected;
      for (size_t i = 0; i < kRows; ++i) {
        uint64_t t = 1000 + i * 10;
        if (t >= from && t <= to) expected[t - t % width] += 1;
      }
      ChartRequest req;
      req.signal = Signal::kTraces;
      req.from_ns = from;
      req.to_ns = to;
      req.granularity_ns = width;
      AggSpec count;
      ASSERT_TRUE(ParseAggSpec("count", &count).ok());
      req.aggregates = {count, count};
      req.threads = 2;
      for (const StoreSnapshot* snapshot : {&parts_, &unflushed_, &shuffled_snapshot}) {
        ChartResult result;
        Status s = Chart(*snapshot, req, &result);
        ASSERT_TRUE(s.ok()) << s.ToString();
        std::map<uint64_t, int64_t> got;
        for (const ChartRow& row : result.rows) {
          ASSERT_TRUE(row.bucket.has_value());
          ASSERT_EQ(row.values.size(), 2u);
          EXPECT_EQ(row.values[0].i, row.values[1].i);
          got[*row.bucket] += row.values[0].i;
        }
        EXPECT_EQ(got, expected) << "width " << width << " in [" << from << ", " << to << "]";
      }
    }
  }
}

std::string Map(const std::vector<std::pair<std::string, std::string>>& encoded_values) {
  std::string out;
  size_t h = anyvalue::BeginKvList(&out);
  for (const auto& [k, v] : encoded_values) {
    anyvalue::AppendKey(&out, k);
    out += v;
  }
  anyvalue::EndList(&out, h, static_cast<uint32_t>(encoded_values.size()));
  return out;
}

// FindAttribute answers as anyvalue::FindKey, also on every truncation and
// corruption of the bytes.
TEST(FindAttributeTest, AgreesWithFindKey) {
  std::string s, b, i, d, t, e, arr, kv;
  anyvalue::AppendString(&s, "GET");
  anyvalue::AppendBytes(&b, std::string("\x01\x02", 2));
  anyvalue::AppendInt(&i, -500);
  anyvalue::AppendDouble(&d, 2.5);
  anyvalue::AppendBool(&t, true);
  anyvalue::AppendEmpty(&e);
  size_t h = anyvalue::BeginArray(&arr);
  anyvalue::AppendInt(&arr, 1);
  anyvalue::AppendString(&arr, "x");
  anyvalue::EndList(&arr, h, 2);
  kv = Map({{"inner", s}});
  std::vector<std::string> maps = {
      Map({}),
      Map({{"a", s}, {"b", b}, {"c", i}, {"d", d}, {"e", t}, {"f", e}, {"g", arr}, {"h", kv}, {"key", i}}),
      Map({{"key", s}, {"key", i}}),              // duplicates: the first wins
      Map({{"ke", s}, {"keyy", i}, {"kez", d}}),  // near misses
      Map({{"g", arr}, {"h", kv}, {"x", e}, {"key", d}}),
      s,  // not a map
      "",
  };
  std::vector<std::string> keys = {"key", "a", "b", "c", "d", "e", "f", "g", "h", "inner", "", "missing"};
  auto same = [&](std::string_view bytes, const std::string& key) {
    anyvalue::Value want, got;
    bool want_found = anyvalue::FindKey(bytes, key, &want);
    bool got_found = FindAttribute(bytes, key, &got);
    EXPECT_EQ(got_found, want_found) << "key " << key << " in " << bytes.size() << " bytes";
    if (!want_found || !got_found) return;
    EXPECT_EQ(got.tag, want.tag);
    EXPECT_EQ(got.str, want.str);
    EXPECT_EQ(got.i, want.i);
    EXPECT_EQ(got.b, want.b);
    EXPECT_EQ(std::bit_cast<uint64_t>(got.d), std::bit_cast<uint64_t>(want.d));
    EXPECT_EQ(got.count, want.count);
    EXPECT_EQ(got.body, want.body);
  };
  for (const std::string& m : maps) {
    for (const std::string& key : keys) {
      for (size_t len = 0; len <= m.size(); ++len) same(std::string_view(m).substr(0, len), key);
      for (size_t at = 0; at < m.size(); ++at) {  // one corrupted byte anywhere
        for (char c : {'\x00', '\x07', '\x09', '\x7f', '\xff'}) {
          std::string bad = m;
          bad[at] = c;
          same(bad, key);
        }
      }
    }
  }
  anyvalue::Value v;
  ASSERT_TRUE(FindAttribute(maps[2], "key", &v));
  EXPECT_EQ(v.tag, anyvalue::Tag::kString);
  EXPECT_EQ(v.str, "GET");
}

}  // namespace
}  // namespace otelstack::query
