#include "query/search.h"

#include <algorithm>
#include <queue>

namespace otelstack::query {

namespace {

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

size_t ContainsColumn(Signal s) {
  switch (s) {
    case Signal::kLogs: return logs_col::kBody;
    case Signal::kTraces: return traces_col::kSpanName;
    case Signal::kMetrics: return metrics_col::kMetricName;
  }
  return 0;
}

int TraceIdColumn(Signal s) {
  if (s == Signal::kLogs) return logs_col::kTraceId;
  if (s == Signal::kTraces) return traces_col::kTraceId;
  return -1;
}

int ServiceColumn(Signal s) { return ColumnIndex(s, "ServiceName"); }

bool Matches(const RowBatch& b, size_t row, const SearchRequest& req) {
  uint64_t t = b.Time(row);
  if (t < req.from_ns || t > req.to_ns) return false;
  if (!req.service.empty() && b.Bytes(ServiceColumn(req.signal), row) != req.service) return false;
  if (!req.trace_id.empty()) {
    int col = TraceIdColumn(req.signal);
    if (col < 0 || b.Bytes(col, row) != req.trace_id) return false;
  }
  if (!req.contains.empty() && !ContainsIgnoreCase(b.Bytes(ContainsColumn(req.signal), row), req.contains)) {
    return false;
  }
  return true;
}

struct Hit {
  uint64_t time;
  std::shared_ptr<const RowBatch> batch;
  size_t row;
};
struct NewerFirst {  // heap comparator: the top is the oldest hit kept
  bool operator()(const Hit& a, const Hit& b) const { return a.time > b.time; }
};

class TopN {
 public:
  explicit TopN(size_t limit) : limit_(limit) {}
  bool full() const { return heap_.size() >= limit_; }
  uint64_t oldest() const { return heap_.top().time; }
  void Offer(const std::shared_ptr<const RowBatch>& batch, size_t row) {
    uint64_t t = batch->Time(row);
    if (limit_ == 0) return;
    if (full()) {
      if (t <= oldest()) return;
      heap_.pop();
    }
    heap_.push(Hit{t, batch, row});
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
  size_t limit_;
  std::priority_queue<Hit, std::vector<Hit>, NewerFirst> heap_;
};

struct GranuleRef {
  const PartReader* reader;
  size_t granule;
  uint64_t max_time;
};

}  // namespace

Status Search(const StoreSnapshot& snapshot, const SearchRequest& req,
              const std::function<void(const RowBatch& batch, size_t row)>& emit) {
  TopN top(req.limit);
  for (const auto& batch : snapshot.unflushed) {
    if (batch->signal() != req.signal) continue;
    for (size_t r = 0; r < batch->rows(); ++r) {
      if (Matches(*batch, r, req)) top.Offer(batch, r);
    }
  }

  std::vector<GranuleRef> granules;
  for (const auto& part : snapshot.parts) {
    if (part.entry.signal != req.signal) continue;
    if (part.entry.max_time < req.from_ns || part.entry.min_time > req.to_ns) continue;
    for (size_t g = 0; g < part.reader->granule_count(); ++g) {
      const GranuleInfo& info = part.reader->granule(g);
      if (info.max_time < req.from_ns || info.min_time > req.to_ns) continue;
      granules.push_back({part.reader.get(), g, info.max_time});
    }
  }
  std::sort(granules.begin(), granules.end(), [](const auto& a, const auto& b) { return a.max_time > b.max_time; });

  std::vector<size_t> all_columns(SchemaOf(req.signal).size());
  for (size_t i = 0; i < all_columns.size(); ++i) all_columns[i] = i;
  for (const GranuleRef& ref : granules) {
    if (top.full() && ref.max_time <= top.oldest()) break;  // nothing newer can be in the remaining granules
    auto batch = std::make_shared<RowBatch>(req.signal);
    OTELSTACK_RETURN_IF_ERROR(ref.reader->ReadGranule(ref.granule, all_columns, batch.get()));
    std::shared_ptr<const RowBatch> shared = batch;
    for (size_t r = 0; r < shared->rows(); ++r) {
      if (Matches(*shared, r, req)) top.Offer(shared, r);
    }
  }
  for (const Hit& hit : top.TakeNewestFirst()) emit(*hit.batch, hit.row);
  return Status::OK();
}

}  // namespace otelstack::query
