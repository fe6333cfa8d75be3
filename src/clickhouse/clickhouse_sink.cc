#include "clickhouse/clickhouse_sink.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <string_view>
#include <unordered_map>

namespace otelstack::clickhouse {

namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;

std::string Quote(std::string_view identifier) { return std::string(1, '`').append(identifier).append(1, '`'); }

// The table a metrics row goes to, by its MetricType ("" for unknown types,
// which EncodeInserts skips too).
std::string MetricTableOfRow(const RowBatch& batch, size_t row, const TableNames& names) {
  static const std::pair<std::string_view, MetricTable> kTypes[] = {
      {"Gauge", MetricTable::kGauge},         {"Sum", MetricTable::kSum},
      {"Histogram", MetricTable::kHistogram}, {"ExponentialHistogram", MetricTable::kExponentialHistogram},
      {"Summary", MetricTable::kSummary},
  };
  std::string_view type = batch.Bytes(metrics_col::kMetricType, row);
  for (const auto& [name, table] : kTypes) {
    if (type == name) return names.Metric(table);
  }
  return "";
}

bool RowGoesTo(const RowBatch& batch, size_t row, const std::string& table, const TableNames& names) {
  switch (batch.signal()) {
    case Signal::kLogs:
      return table == names.logs;
    case Signal::kTraces:
      return table == names.traces;
    case Signal::kMetrics:
      return table == MetricTableOfRow(batch, row, names);
  }
  return false;
}

// The DateTime (or DateTime64) column every layout partitions a signal's
// tables by, and the expression of its exact nanoseconds.
std::string_view TimeColumn(Signal signal) { return signal == Signal::kMetrics ? "TimeUnix" : "Timestamp"; }
std::string TimeNsExpression(Signal signal, Layout layout) {
  std::string column(TimeColumn(signal));
  return layout == Layout::kCompat ? column + "Ns" : "toUnixTimestamp64Nano(" + column + ")";
}

// Parses a TabSeparated answer of `columns` unsigned integers per line.
Status ParseUnsignedRows(std::string_view body, size_t columns, std::vector<std::vector<uint64_t>>* out) {
  for (const auto& fields : SplitTabSeparated(body)) {
    if (fields.size() != columns) return Status::Corruption("unexpected answer from ClickHouse: wrong field count");
    std::vector<uint64_t> row;
    for (std::string_view field : fields) {
      uint64_t v = 0;
      auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
      if (field.empty() || ec != std::errc() || end != field.data() + field.size()) {
        return Status::Corruption("unexpected answer from ClickHouse: '" + std::string(field) + "'");
      }
      row.push_back(v);
    }
    out->push_back(std::move(row));
  }
  return Status::OK();
}

}  // namespace

namespace {
// Statements name their tables fully; a `database` parameter would make every
// request fail until the database exists (and EnsureSchema creates it).
ConnectionOptions WithoutDefaultDatabase(ConnectionOptions options) {
  options.database.clear();
  return options;
}
}  // namespace

ClickHouseSink::ClickHouseSink(SinkOptions options)
    : options_(std::move(options)), client_(WithoutDefaultDatabase(options_.connection)) {}

std::optional<Layout> ClickHouseSink::layout() const {
  std::lock_guard<std::mutex> lk(mu_);
  return layout_;
}

SinkStats ClickHouseSink::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  return stats_;
}

Status ClickHouseSink::Prepare() {
  if (prepared_) return Status::OK();
  Layout layout;
  if (options_.force_layout) {
    layout = *options_.force_layout;
  } else {
    auto version_text = client_.Version();
    if (!version_text.ok()) return version_text.status().WithContext("ClickHouse server version");
    auto version = ServerVersion::Parse(*version_text);
    if (!version.ok()) return version.status();
    layout = FeaturesOf(*version).modern_schema() ? Layout::kModern : Layout::kCompat;
    spdlog::info("clickhouse: server {} at {}, using the {} table layout", version->ToString(),
                 UrlToString(options_.connection.url), layout == Layout::kModern ? "modern" : "compatible");
  }
  options_.schema.layout = layout;
  OTELSTACK_RETURN_IF_ERROR(EnsureSchema(client_, options_.schema).WithContext("creating the otel tables"));
  prepared_ = true;
  std::lock_guard<std::mutex> lk(mu_);
  layout_ = layout;
  return Status::OK();
}

Status ClickHouseSink::Write(const std::vector<SinkBatch>& batches, bool retry) {
  Status s = Prepare();
  for (Signal signal : kAllSignals) {
    if (!s.ok()) break;
    std::vector<SinkBatch> of_signal;
    for (const SinkBatch& b : batches) {
      if (b.rows->signal() == signal && b.rows->rows() > 0) of_signal.push_back(b);
    }
    if (!of_signal.empty()) s = WriteSignal(signal, of_signal, retry);
  }
  if (!s.ok()) {
    std::lock_guard<std::mutex> lk(mu_);
    ++stats_.failed_writes;
  }
  return s;
}

Status ClickHouseSink::WriteSignal(Signal signal, const std::vector<SinkBatch>& batches, bool retry) {
  auto encode = [&](const std::vector<SinkBatch>& from, std::vector<InsertBatch>* out) {
    std::vector<const RowBatch*> rows;
    std::vector<uint64_t> ids;
    for (const SinkBatch& b : from) {
      rows.push_back(b.rows.get());
      ids.push_back(b.id);
    }
    uint64_t skipped = 0;
    OTELSTACK_RETURN_IF_ERROR(EncodeInserts(signal, rows, ids, options_.schema, out, &skipped));
    if (skipped > 0) spdlog::warn("clickhouse: {} {} rows of unknown kind not stored", skipped, SignalName(signal));
    return Status::OK();
  };
  std::vector<InsertBatch> inserts;
  OTELSTACK_RETURN_IF_ERROR(encode(batches, &inserts));
  for (InsertBatch& insert : inserts) {
    if (retry) {
      std::vector<SinkBatch> missing;
      OTELSTACK_RETURN_IF_ERROR(MissingRows(insert, signal, batches, &missing));
      uint64_t missing_rows = 0;
      for (const SinkBatch& b : missing) missing_rows += b.rows->rows();
      if (missing_rows < insert.rows) {
        std::lock_guard<std::mutex> lk(mu_);
        stats_.skipped_present += insert.rows - missing_rows;
      }
      if (missing_rows == 0) continue;
      if (missing_rows < insert.rows) {
        std::vector<InsertBatch> reencoded;
        OTELSTACK_RETURN_IF_ERROR(encode(missing, &reencoded));
        auto it = std::find_if(reencoded.begin(), reencoded.end(),
                               [&](const InsertBatch& b) { return b.table == insert.table; });
        if (it == reencoded.end()) return Status::Internal("re-encoding the missing rows of " + insert.table);
        insert = std::move(*it);
      }
    }
    // Through a Distributed table the INSERT must return only once every
    // shard has its rows: otherwise an acknowledged flush could still be lost
    // with the node's queue, and the retry check would not see queued rows.
    Settings settings;
    if (!options_.schema.cluster.empty()) settings.emplace_back("insert_distributed_sync", "1");
    Status s = client_.Insert(insert.sql, insert.data, settings, options_.compress);
    if (!s.ok()) {
      return s.WithContext("inserting " + std::to_string(insert.rows) + " rows into " + options_.schema.database + "." +
                           insert.table);
    }
    std::lock_guard<std::mutex> lk(mu_);
    ++stats_.inserts;
    stats_.rows += insert.rows;
  }
  return Status::OK();
}

Status ClickHouseSink::MissingRows(const InsertBatch& insert, Signal signal, const std::vector<SinkBatch>& batches,
                                   std::vector<SinkBatch>* missing) {
  const TableNames& names = options_.schema.tables;
  // Expected rows per id in this table, and the batch's time range.
  std::map<uint64_t, uint64_t> expected;
  uint64_t min_ns = UINT64_MAX, max_ns = 0;
  for (const SinkBatch& b : batches) {
    const RowBatch& rows = *b.rows;
    for (size_t r = 0; r < rows.rows(); ++r) {
      if (!RowGoesTo(rows, r, insert.table, names)) continue;
      ++expected[b.id];
      min_ns = std::min(min_ns, rows.Time(r));
      max_ns = std::max(max_ns, rows.Time(r));
    }
  }
  if (expected.empty()) return Status::OK();

  std::string table = Quote(options_.schema.database) + "." + Quote(insert.table);
  std::string ids;
  for (const auto& [id, count] : expected) {
    if (!ids.empty()) ids += ",";
    ids += std::to_string(id);
  }
  std::string where = "InsertId IN (" + ids + ")";
  // Prune by time on the partition column when every time fits a DateTime.
  const uint64_t max_seconds = max_ns / kNanosPerSecond + 1;
  if (max_seconds < (uint64_t{1} << 32)) {
    std::string column(TimeColumn(signal));
    where += " AND " + column + " >= toDateTime(" + std::to_string(min_ns / kNanosPerSecond) + ") AND " + column +
             " <= toDateTime(" + std::to_string(max_seconds) + ")";
  }
  std::string body;
  OTELSTACK_RETURN_IF_ERROR(client_
                                .Query("SELECT InsertId, count() FROM " + table + " WHERE " + where +
                                           " GROUP BY InsertId FORMAT TabSeparated",
                                       {}, &body)
                                .WithContext("checking which rows " + insert.table + " already holds"));
  std::vector<std::vector<uint64_t>> present_counts;
  OTELSTACK_RETURN_IF_ERROR(ParseUnsignedRows(body, 2, &present_counts));
  std::map<uint64_t, uint64_t> present;
  for (const auto& row : present_counts) present[row[0]] = row[1];

  for (const SinkBatch& b : batches) {
    auto e = expected.find(b.id);
    if (e == expected.end()) continue;
    const uint64_t have = present.count(b.id) ? present[b.id] : 0;
    if (have >= e->second) continue;  // every row of this id is stored
    // Times of the rows already stored (a cut-short multi-part INSERT): a
    // multiset, so rows with equal times are matched one for one.
    std::unordered_map<uint64_t, uint64_t> stored_times;
    if (have > 0) {
      spdlog::warn("clickhouse: {} holds {} of {} rows of insert {}; sending the rest", insert.table, have, e->second,
                   b.id);
      std::string times;
      OTELSTACK_RETURN_IF_ERROR(client_.Query("SELECT " + TimeNsExpression(signal, options_.schema.layout) + " FROM " +
                                                  table + " WHERE InsertId = " + std::to_string(b.id) +
                                                  " FORMAT TabSeparated",
                                              {}, &times));
      std::vector<std::vector<uint64_t>> rows;
      OTELSTACK_RETURN_IF_ERROR(ParseUnsignedRows(times, 1, &rows));
      for (const auto& row : rows) ++stored_times[row[0]];
    }
    auto kept = std::make_shared<RowBatch>(signal);
    const RowBatch& rows = *b.rows;
    for (size_t r = 0; r < rows.rows(); ++r) {
      if (!RowGoesTo(rows, r, insert.table, names)) continue;
      auto t = stored_times.find(rows.Time(r));
      if (t != stored_times.end() && t->second > 0) {
        --t->second;
        continue;
      }
      kept->AppendRowFrom(rows, r);
    }
    if (kept->rows() > 0) missing->push_back(SinkBatch{std::move(kept), b.id});
  }
  return Status::OK();
}

}  // namespace otelstack::clickhouse
