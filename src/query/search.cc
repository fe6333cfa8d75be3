#include "query/search.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <queue>

#include "query/execution/filter.h"
#include "query/execution/scan.h"
#include "query/planner/binder.h"

namespace otelstack::query {

namespace {

struct Hit {
  uint64_t time;
  uint32_t row;
  ScanUnit unit;  // a copy: the scan's units are gone when phase two runs
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
  void Offer(const ScanUnit& unit, const RowBatch& batch, const std::vector<uint32_t>& rows) {
    std::lock_guard<std::mutex> lock(mu_);
    for (uint32_t row : rows) {
      uint64_t t = batch.Time(row);
      if (heap_.size() >= limit_) {
        if (t <= heap_.top().time) continue;
        heap_.pop();
      }
      heap_.push(Hit{t, row, unit});
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
        top.Offer(unit, *batch, rows);
        return Status::OK();
      },
      &local_stats));
  if (stats != nullptr) *stats = local_stats;

  // Phase two: whole rows for the hits, each granule read once.
  std::vector<Hit> hits = top.TakeNewestFirst();
  using UnitKey = std::pair<const void*, size_t>;
  auto key_of = [](const ScanUnit& u) {
    return u.unflushed ? UnitKey{u.unflushed.get(), 0} : UnitKey{u.reader, u.granule};
  };
  std::map<UnitKey, std::shared_ptr<const RowBatch>> whole;
  for (const Hit& hit : hits) {
    auto& batch = whole[key_of(hit.unit)];
    if (!batch) OTELSTACK_RETURN_IF_ERROR(ReadWholeUnit(hit.unit, &batch));
  }
  for (const Hit& hit : hits) emit(*whole[key_of(hit.unit)], hit.row);
  return Status::OK();
}

}  // namespace otelstack::query
