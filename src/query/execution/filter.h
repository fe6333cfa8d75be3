// CompiledFilter: a bound filter (planner/bound_query.h) ready to run over
// granules.
//
// Evaluation is a column-at-a-time style over a selection vector: a batch's
// candidate rows (ascending row numbers) are narrowed by each node, AND by
// successive narrowing, OR by evaluating each branch on the rows not matched
// yet, NOT by set difference. Leaves test one row at a time with patterns,
// literals and the token hashes prepared once at compile time.
//
// MayMatch consults a part's skip indexes (store/skip_index/skip_index.h) to
// rule out whole granules: free text and string equality on indexed text need
// their whole tokens in the granule's token filter; TraceId equality needs
// the id in the trace-id filter. Anything else may match.
//
// Free text against an attribute map that a part granule's batch lacks
// (UnreadMaps) reads the map's shredded fields from the part: each value of
// a field is tested (each distinct one once, for a field stored with a
// dictionary), giving each row's result for the whole granule at once.
//
// Thread safety: after Compile, all const methods may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "query/planner/bound_query.h"
#include "store/part_reader.h"
#include "store/schema/row_batch.h"
#include "store/skip_index/skip_index.h"

namespace otelstack::query {

// The attribute maps that a part granule's batch lacks because the scan left
// them in the part (ScanRequest::filter_text_only_maps): the filter reads
// them from there, field by field (PartReader::ReadGranuleMapFields).
struct UnreadMaps {
  const PartReader* reader = nullptr;
  size_t granule = 0;
  std::vector<size_t> columns;
};

class CompiledFilter {
 public:
  // Keeps a pointer to `bound`, which must outlive the filter.
  static Status Compile(const BoundFilter& bound, std::unique_ptr<CompiledFilter>* out);
  ~CompiledFilter();

  // Narrows *rows (ascending row numbers of `batch`) to the matching ones.
  // `unread` (may be null): maps `batch` lacks, read by the filter instead;
  // only maps the filter reads for free text alone may be among them.
  Status Filter(const RowBatch& batch, std::vector<uint32_t>* rows, const UnreadMaps* unread = nullptr) const;
  // False only when granule `g` of a part with `index` certainly holds no match.
  bool MayMatch(const SkipIndex& index, size_t g) const;
  // The columns evaluation reads.
  const std::vector<size_t>& columns() const { return bound_->columns; }
  bool matches_everything() const { return root_ == nullptr; }

  struct Node;

 private:
  CompiledFilter() = default;
  const BoundFilter* bound_ = nullptr;
  std::unique_ptr<Node> root_;
  size_t slots_ = 0;  // scalar value slots per evaluation
  size_t memos_ = 0;  // per-dictionary-code result slots per evaluation
};

}  // namespace otelstack::query
