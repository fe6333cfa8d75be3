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

// The request's filters with their columns resolved once, not per row.
class RowFilter {
 public:
  explicit RowFilter(const SearchRequest& req)
      : req_(req),
        service_col_(ColumnIndex(req.signal, "ServiceName")),
        trace_id_col_(ColumnIndex(req.signal, "TraceId")),
        contains_col_(ContainsColumn(req.signal)) {}

  bool Matches(const RowBatch& b, size_t row) const {
    uint64_t t = b.Time(row);
    if (t < req_.from_ns || t > req_.to_ns) return false;
    if (!req_.service.empty() && b.Bytes(service_col_, row) != req_.service) return false;
    if (!req_.trace_id.empty() && (trace_id_col_ < 0 || b.Bytes(trace_id_col_, row) != req_.trace_id)) return false;
    return req_.contains.empty() || ContainsIgnoreCase(b.Bytes(contains_col_, row), req_.contains);
  }

 private:
  static size_t ContainsColumn(Signal s) {
    switch (s) {
      case Signal::kLogs:
        return logs_col::kBody;
      case Signal::kTraces:
        return traces_col::kSpanName;
      case Signal::kMetrics:
        return metrics_col::kMetricName;
    }
    return 0;
  }

  const SearchRequest& req_;
  const int service_col_;
  const int trace_id_col_;  // -1 for metrics
  const size_t contains_col_;
};

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
  const RowFilter filter(req);
  for (const auto& batch : snapshot.unflushed) {
    if (batch->signal() != req.signal) continue;
    for (size_t r = 0; r < batch->rows(); ++r) {
      if (filter.Matches(*batch, r)) top.Offer(batch, r);
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
      if (filter.Matches(*shared, r)) top.Offer(shared, r);
    }
  }
  for (const Hit& hit : top.TakeNewestFirst()) emit(*hit.batch, hit.row);
  return Status::OK();
}

}  // namespace otelstack::query
