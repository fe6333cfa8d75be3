#include "query/execution/scan.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <thread>

#include "query/planner/binder.h"

namespace otelstack::query {

namespace {

// The units whose time range overlaps the request's, newest first. Skip
// indexes are consulted later, per unit, by the worker that reaches it
// (ScanRun::RunUnit): a top-N search that is satisfied by the newest units
// never touches the filters of the older ones, and the checks of a full
// scan run in parallel.
std::vector<ScanUnit> CandidateUnits(const StoreSnapshot& snapshot, const ScanRequest& req, ScanStats* stats) {
  std::vector<ScanUnit> units;
  for (const auto& batch : snapshot.unflushed) {
    if (batch->signal() != req.signal || batch->rows() == 0) continue;
    ScanUnit u;
    u.unflushed = batch;
    u.rows = batch->rows();
    u.min_time = UINT64_MAX;
    for (size_t r = 0; r < batch->rows(); ++r) {
      u.min_time = std::min(u.min_time, batch->Time(r));
      u.max_time = std::max(u.max_time, batch->Time(r));
    }
    if (u.max_time < req.from_ns || u.min_time > req.to_ns) continue;
    ++stats->granules_total;
    units.push_back(std::move(u));
  }
  for (const auto& part : snapshot.parts) {
    if (part.entry.signal != req.signal) continue;
    if (part.entry.max_time < req.from_ns || part.entry.min_time > req.to_ns) continue;
    const PartReader& reader = *part.reader;
    for (size_t g = 0; g < reader.granule_count(); ++g) {
      const GranuleInfo& info = reader.granule(g);
      if (info.max_time < req.from_ns || info.min_time > req.to_ns) continue;
      ++stats->granules_total;
      ScanUnit u;
      u.reader = &reader;
      u.granule = g;
      u.rows = info.rows;
      u.min_time = info.min_time;
      u.max_time = info.max_time;
      units.push_back(std::move(u));
    }
  }
  std::stable_sort(units.begin(), units.end(),
                   [](const ScanUnit& a, const ScanUnit& b) { return a.max_time > b.max_time; });
  return units;
}

// Shared state of one scan's workers.
class ScanRun {
 public:
  // `columns` includes the time column; `inside_columns` is what units wholly
  // inside the time range read.
  ScanRun(const ScanRequest& req, std::vector<ScanUnit> units, std::vector<size_t> columns,
          std::vector<size_t> inside_columns, std::vector<ColumnKeys> key_projections,
          std::vector<size_t> text_only_maps, const ScanSkip& skip, const ScanVisitor& visit)
      : req_(req),
        units_(std::move(units)),
        columns_(std::move(columns)),
        inside_columns_(std::move(inside_columns)),
        key_projections_(std::move(key_projections)),
        text_only_maps_(std::move(text_only_maps)),
        skip_(skip),
        visit_(visit),
        deadline_(std::chrono::steady_clock::now() + req.limits.max_execution_time) {}

  void Work() {
    for (;;) {
      size_t i = next_.fetch_add(1);
      if (i >= units_.size() || stop_.load()) return;
      Status s = RunUnit(units_[i]);
      if (!s.ok()) {
        Fail(s);
        return;
      }
    }
  }

  Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }
  void FillStats(ScanStats* stats) {
    std::lock_guard<std::mutex> lock(mu_);
    stats->rows_read = rows_read_.load();
    stats->granules_read = granules_read_.load();
    stats->granules_skipped = granules_skipped_.load();
    stats->partial = partial_;
    stats->partial_reason = partial_reason_;
  }

 private:
  void Fail(const Status& s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_.ok()) error_ = s;
    stop_ = true;
  }
  // A limit was hit. kThrow: returns the error (which stops the scan).
  // kBreak: flags the result partial, stops the scan and returns OK.
  Status Overflow(OverflowMode mode, const std::string& what) {
    if (mode == OverflowMode::kThrow) return Status::ResourceExhausted(what);
    std::lock_guard<std::mutex> lock(mu_);
    if (!partial_) {
      partial_ = true;
      partial_reason_ = what;
    }
    stop_ = true;
    return Status::OK();
  }

  Status RunUnit(const ScanUnit& unit) {
    const QueryLimits& limits = req_.limits;
    if (limits.cancelled != nullptr && limits.cancelled->load()) return Status::Cancelled("query cancelled");
    if (limits.max_execution_time.count() > 0 && std::chrono::steady_clock::now() > deadline_) {
      return Overflow(limits.timeout_overflow_mode, "max_execution_time (" +
                                                        std::to_string(limits.max_execution_time.count()) +
                                                        " ms) exceeded; narrow the time range or the query");
    }
    if (skip_ && skip_(unit)) return Status::OK();
    if (unit.reader != nullptr && !req_.filter->MayMatch(unit.reader->skip_index(), unit.granule)) {
      ++granules_skipped_;
      return Status::OK();
    }
    uint64_t read = rows_read_.fetch_add(unit.rows) + unit.rows;
    if (limits.max_rows_to_read > 0 && read > limits.max_rows_to_read) {
      rows_read_.fetch_sub(unit.rows);
      return Overflow(limits.read_overflow_mode, "the query would read more than max_rows_to_read (" +
                                                     std::to_string(limits.max_rows_to_read) +
                                                     ") rows; narrow the time range or the query");
    }
    const bool inside = unit.min_time >= req_.from_ns && unit.max_time <= req_.to_ns;
    std::shared_ptr<const RowBatch> batch = unit.unflushed;
    UnreadMaps unread;
    if (!batch) {
      std::vector<size_t> columns = inside ? inside_columns_ : columns_;
      unread.reader = unit.reader;
      unread.granule = unit.granule;
      for (size_t map : text_only_maps_) {
        if (unit.reader->StoresShredded(unit.granule, map)) {
          std::erase(columns, map);
          unread.columns.push_back(map);
        }
      }
      auto fresh = std::make_shared<RowBatch>(req_.signal);
      OTELSTACK_RETURN_IF_ERROR(unit.reader->ReadGranule(unit.granule, columns, fresh.get(),
                                                         /*keep_dictionaries=*/true, key_projections_));
      batch = std::move(fresh);
    }
    ++granules_read_;
    std::vector<uint32_t> rows(batch->rows());
    if (inside) {
      std::iota(rows.begin(), rows.end(), 0u);  // the whole unit is in range
    } else {
      size_t kept = 0;
      for (size_t r = 0; r < batch->rows(); ++r) {
        uint64_t t = batch->Time(r);
        if (t >= req_.from_ns && t <= req_.to_ns) rows[kept++] = static_cast<uint32_t>(r);
      }
      rows.resize(kept);
    }
    OTELSTACK_RETURN_IF_ERROR(req_.filter->Filter(*batch, &rows, &unread));
    if (rows.empty()) return Status::OK();
    return visit_(unit, batch, rows);
  }

  const ScanRequest& req_;
  const std::vector<ScanUnit> units_;
  const std::vector<size_t> columns_;
  const std::vector<size_t> inside_columns_;
  const std::vector<ColumnKeys> key_projections_;
  const std::vector<size_t> text_only_maps_;  // those the visitor does not read
  const ScanSkip& skip_;
  const ScanVisitor& visit_;
  const std::chrono::steady_clock::time_point deadline_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> rows_read_{0};
  std::atomic<uint64_t> granules_read_{0};
  std::atomic<uint64_t> granules_skipped_{0};
  std::mutex mu_;
  Status error_;
  bool partial_ = false;
  std::string partial_reason_;
};

}  // namespace

Status Scan(const StoreSnapshot& snapshot, const ScanRequest& req, const ScanSkip& skip, const ScanVisitor& visit,
            ScanStats* stats) {
  *stats = ScanStats();
  if (req.filter == nullptr) return Status::InvalidArgument("scan without a filter");
  std::vector<ScanUnit> units = CandidateUnits(snapshot, req, stats);
  auto sorted_unique = [](std::vector<size_t> columns) {
    std::sort(columns.begin(), columns.end());
    columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
    return columns;
  };
  std::vector<size_t> needed = req.filter->columns();
  needed.insert(needed.end(), req.extra_columns.begin(), req.extra_columns.end());
  // Units wholly inside the range need the time column only for the visitor.
  std::vector<size_t> inside_columns = needed;
  if (req.visitor_reads_time) inside_columns.push_back(kTimeColumn);
  needed.push_back(kTimeColumn);  // the others: to narrow their rows to the range

  unsigned threads = req.threads != 0 ? req.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, units.size()));
  auto visitor_reads = [&](size_t column) {
    return std::find(req.extra_columns.begin(), req.extra_columns.end(), column) != req.extra_columns.end();
  };
  std::vector<ColumnKeys> key_projections;
  for (const ColumnKeys& p : req.filter_key_projections) {
    if (!visitor_reads(p.column)) key_projections.push_back(p);
  }
  std::vector<size_t> text_only_maps;
  for (size_t map : req.filter_text_only_maps) {
    if (!visitor_reads(map)) text_only_maps.push_back(map);
  }
  ScanRun run(req, std::move(units), sorted_unique(std::move(needed)), sorted_unique(std::move(inside_columns)),
              std::move(key_projections), std::move(text_only_maps), skip, visit);
  if (threads <= 1) {
    run.Work();
  } else {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back([&run] { run.Work(); });
    for (auto& w : workers) w.join();
  }
  run.FillStats(stats);
  return run.status();
}

Status PrepareScan(Signal signal, uint64_t from_ns, uint64_t to_ns, const ast::Node* query, const QueryLimits& limits,
                   unsigned threads, PreparedScan* out) {
  OTELSTACK_RETURN_IF_ERROR(BindFilter(signal, query, &out->bound));
  OTELSTACK_RETURN_IF_ERROR(CompiledFilter::Compile(out->bound, &out->filter));
  ScanRequest& scan = out->request;
  scan.signal = signal;
  scan.from_ns = from_ns;
  scan.to_ns = to_ns;
  scan.filter = out->filter.get();
  scan.filter_key_projections = KeyOnlyAttributeMaps(out->bound);
  scan.filter_text_only_maps = TextOnlyAttributeMaps(out->bound);
  scan.limits = limits;
  scan.threads = threads;
  return Status::OK();
}

}  // namespace otelstack::query
