#include "query/search.h"

#include <algorithm>
#include <mutex>
#include <queue>

#include "query/execution/filter.h"
#include "query/execution/row_gather.h"
#include "query/execution/scan.h"
#include "query/planner/binder.h"

namespace otelstack::query {

namespace {

struct Hit {
  uint64_t time;
  uint32_t row;
  ScanUnit unit;  // a copy: the scan's units are gone when phase two runs
  // The scan's batch of the unit: phase two takes the filter's columns from
  // it instead of decoding them again. Held only while a hit of the unit is
  // kept, so at most `limit` batches of the filter's columns stay alive.
  std::shared_ptr<const RowBatch> scanned;
};
struct NewerFirst {  // heap comparator: the top is the oldest hit kept
  bool operator()(const Hit& a, const Hit& b) const { return a.time > b.time; }
};

// The newest `limit` hits offered so far; safe to use from scan workers.
class TopN {
 public:
  explicit TopN(size_t limit) : limit_(limit) {}

  // True when no row of `unit` can enter the result any more.
  bool CannotImprove(const ScanUnit& unit) {
    std::lock_guard<std::mutex> lock(mu_);
    return limit_ == 0 || (heap_.size() >= limit_ && unit.max_time <= heap_.top().time);
  }
  void Offer(const ScanUnit& unit, const std::shared_ptr<const RowBatch>& batch, const std::vector<uint32_t>& rows) {
    std::lock_guard<std::mutex> lock(mu_);
    for (uint32_t row : rows) {
      uint64_t t = batch->Time(row);
      if (heap_.size() >= limit_) {
        if (t <= heap_.top().time) continue;
        heap_.pop();
      }
      heap_.push(Hit{t, row, unit, batch});
    }
  }
  std::vector<Hit> TakeNewestFirst() {
    std::vector<Hit> out;
    while (!heap_.empty()) {
      out.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  const size_t limit_;
  std::mutex mu_;
  std::priority_queue<Hit, std::vector<Hit>, NewerFirst> heap_;
};

}  // namespace

Status Search(const StoreSnapshot& snapshot, const SearchRequest& req,
              const std::function<void(const RowBatch& batch, size_t row)>& emit, ScanStats* stats) {
  PreparedScan prepared;
  OTELSTACK_RETURN_IF_ERROR(
      PrepareScan(req.signal, req.from_ns, req.to_ns, req.query, req.limits, req.threads, &prepared));
  ScanRequest& scan = prepared.request;
  TopN top(req.limit);
  ScanStats local_stats;
  OTELSTACK_RETURN_IF_ERROR(Scan(
      snapshot, scan, [&](const ScanUnit& unit) { return top.CannotImprove(unit); },
      [&](const ScanUnit& unit, const std::shared_ptr<const RowBatch>& batch, const std::vector<uint32_t>& rows) {
        top.Offer(unit, batch, rows);
        return Status::OK();
      },
      &local_stats));
  if (stats != nullptr) *stats = local_stats;

  // Phase two: whole rows for the hits (row_gather.h). The scan's batches
  // hold the filter's columns and the time whole, except attribute maps it
  // decoded only by key or left in the part.
  std::vector<size_t> scanned_columns = prepared.filter->columns();
  scanned_columns.push_back(kTimeColumn);
  for (const ColumnKeys& p : scan.filter_key_projections) std::erase(scanned_columns, p.column);
  for (size_t map : scan.filter_text_only_maps) std::erase(scanned_columns, map);
  std::vector<GatherRow> wanted;
  for (Hit& hit : top.TakeNewestFirst()) wanted.push_back(GatherRow{hit.unit, hit.row, std::move(hit.scanned)});
  RowBatch rows(req.signal);
  OTELSTACK_RETURN_IF_ERROR(GatherRows(req.signal, wanted, scanned_columns, req.threads, &rows));
  wanted.clear();  // frees the scan's batches before the rows are emitted
  for (size_t i = 0; i < rows.rows(); ++i) emit(rows, i);
  return Status::OK();
}

}  // namespace otelstack::query
