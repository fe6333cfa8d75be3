#include "store/part_merge.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace otelstack {

namespace {

bool RefLess(const RowRef& a, const RowRef& b) { return a.batch != b.batch ? a.batch < b.batch : a.row < b.row; }

bool InRefOrder(std::span<const TimedRowRef> rows) {
  for (size_t i = 1; i < rows.size(); ++i) {
    if (!RefLess(rows[i - 1].ref, rows[i].ref)) return false;
  }
  return true;
}

// A stable LSD radix sort on time, one byte per pass. Passes over bytes that
// every row shares (the high bytes of times within one flush) are skipped, so
// a flush spanning minutes takes about five passes of a few instructions per
// row, where a comparison sort takes log2(rows) comparisons per row.
void RadixSortByTime(std::vector<TimedRowRef>* rows) {
  const size_t n = rows->size();
  std::vector<std::array<uint32_t, 256>> counts(8);  // value-initialized: zeros
  for (const TimedRowRef& r : *rows) {
    for (int b = 0; b < 8; ++b) ++counts[b][(r.time >> (8 * b)) & 0xff];
  }
  std::vector<TimedRowRef> scratch(n);
  for (int b = 0; b < 8; ++b) {
    std::array<uint32_t, 256>& count = counts[b];
    if (count[((*rows)[0].time >> (8 * b)) & 0xff] == n) continue;  // every row has this byte
    uint32_t offset = 0;
    for (uint32_t& c : count) offset += std::exchange(c, offset);  // counts -> first positions
    for (const TimedRowRef& r : *rows) scratch[count[(r.time >> (8 * b)) & 0xff]++] = r;
    rows->swap(scratch);
  }
}

// Below this many rows the comparison sort is as fast.
constexpr size_t kMinRadixSortRows = 1024;

}  // namespace

void SortByTime(std::vector<TimedRowRef>* rows) {
  // Being stable, the radix sort leaves equal times in input order, which is
  // (batch, row) order when the caller listed the rows that way (as the
  // flush and the merge do).
  if (rows->size() >= kMinRadixSortRows && rows->size() <= UINT32_MAX && InRefOrder(*rows)) {
    return RadixSortByTime(rows);
  }
  std::sort(rows->begin(), rows->end(), [](const TimedRowRef& a, const TimedRowRef& b) {
    if (a.time != b.time) return a.time < b.time;
    return RefLess(a.ref, b.ref);
  });
}

Status WriteRowsAsPart(const std::string& path, Signal signal, std::span<const RowBatch* const> sources,
                       std::span<const TimedRowRef> rows, const PartWriteOptions& options, PartInfo* info) {
  if (rows.empty()) return Status::InvalidArgument("write part " + path + ": no rows");
  if (sources[rows[0].ref.batch]->signal() != signal) {
    return Status::InvalidArgument("write part " + path + ": rows of another signal");
  }
  std::unique_ptr<PartWriter> writer;
  OTELSTACK_RETURN_IF_ERROR(PartWriter::Create(path, signal, options, &writer));
  std::vector<RowRef> refs;
  for (size_t first = 0; first < rows.size(); first += options.granule_rows) {
    size_t n = std::min(options.granule_rows, rows.size() - first);
    refs.clear();
    for (size_t i = first; i < first + n; ++i) refs.push_back(rows[i].ref);
    RowBatch granule(signal);
    granule.AppendRows(sources, refs);
    OTELSTACK_RETURN_IF_ERROR(writer->AddGranule(granule, 0, n));
  }
  return writer->Finish({}, info);
}

namespace {

// One granule of a merge's output, and where it comes from.
struct PlannedGranule {
  enum Kind {
    kCopy,     // granule `granule` of `source`, copied as stored
    kRewrite,  // that granule decoded and re-encoded alone (its part stores another schema)
    kRows,     // rows [first, first + rows) of the sorted small rows, encoded as one granule
  };
  Kind kind;
  uint64_t min_time;
  const PartReader* source = nullptr;
  size_t granule = 0;
  size_t first = 0;
  size_t rows = 0;
};

// The granules of the output, in min_time order (ties keep input order, so
// the output is deterministic). Small granules are decoded into *small and
// their rows sorted into *small_rows.
Status PlanMerge(std::span<const PartReader* const> inputs, const PartWriteOptions& options,
                 std::span<const size_t> all_columns, std::vector<std::unique_ptr<RowBatch>>* small,
                 std::vector<TimedRowRef>* small_rows, std::vector<PlannedGranule>* plan) {
  const size_t min_copied_rows = std::max<size_t>(1, options.granule_rows / 2);
  for (const PartReader* reader : inputs) {
    const bool same_schema = reader->StoresCurrentSchema();
    for (size_t g = 0; g < reader->granule_count(); ++g) {
      const GranuleInfo& gi = reader->granule(g);
      if (gi.rows >= min_copied_rows && gi.rows <= options.granule_rows) {
        plan->push_back({same_schema ? PlannedGranule::kCopy : PlannedGranule::kRewrite, gi.min_time, reader, g});
        continue;
      }
      auto batch = std::make_unique<RowBatch>(reader->info().signal);
      OTELSTACK_RETURN_IF_ERROR(reader->ReadGranule(g, all_columns, batch.get()));
      reader->ReleaseGranulePages(g);
      auto source = static_cast<uint32_t>(small->size());
      for (size_t r = 0; r < batch->rows(); ++r) {
        small_rows->push_back({batch->Time(r), {source, static_cast<uint32_t>(r)}});
      }
      small->push_back(std::move(batch));
    }
  }
  SortByTime(small_rows);
  for (size_t first = 0; first < small_rows->size(); first += options.granule_rows) {
    size_t rows = std::min(options.granule_rows, small_rows->size() - first);
    plan->push_back({PlannedGranule::kRows, (*small_rows)[first].time, nullptr, 0, first, rows});
  }
  std::stable_sort(plan->begin(), plan->end(),
                   [](const PlannedGranule& a, const PlannedGranule& b) { return a.min_time < b.min_time; });
  return Status::OK();
}

}  // namespace

Status MergeParts(std::span<const PartReader* const> inputs, const std::string& path, const PartWriteOptions& options,
                  PartInfo* info, const std::atomic<bool>* cancel) {
  if (inputs.empty()) return Status::InvalidArgument("merge into " + path + ": no inputs");
  const Signal signal = inputs[0]->info().signal;
  for (const PartReader* reader : inputs) {
    if (reader->info().signal != signal) return Status::InvalidArgument("merge into " + path + ": mixed signals");
  }
  std::vector<size_t> all_columns(SchemaOf(signal).size());
  for (size_t c = 0; c < all_columns.size(); ++c) all_columns[c] = c;

  std::vector<std::unique_ptr<RowBatch>> small;
  std::vector<TimedRowRef> small_rows;
  std::vector<PlannedGranule> plan;
  OTELSTACK_RETURN_IF_ERROR(
      PlanMerge(inputs, options, all_columns, &small, &small_rows, &plan).WithContext("merge into " + path));
  std::vector<const RowBatch*> small_ptrs;
  for (const auto& b : small) small_ptrs.push_back(b.get());

  std::unique_ptr<PartWriter> writer;
  OTELSTACK_RETURN_IF_ERROR(PartWriter::Create(path, signal, options, &writer));
  std::vector<RowRef> refs;
  for (const PlannedGranule& p : plan) {
    if (cancel && cancel->load(std::memory_order_relaxed))
      return Status::Unavailable("merge into " + path + " cancelled");
    switch (p.kind) {
      case PlannedGranule::kCopy:
        OTELSTACK_RETURN_IF_ERROR(writer->CopyGranule(*p.source, p.granule));
        p.source->ReleaseGranulePages(p.granule);
        break;
      case PlannedGranule::kRewrite: {
        RowBatch granule(signal);
        OTELSTACK_RETURN_IF_ERROR(p.source->ReadGranule(p.granule, all_columns, &granule));
        p.source->ReleaseGranulePages(p.granule);
        OTELSTACK_RETURN_IF_ERROR(writer->AddGranule(granule, 0, granule.rows()));
        break;
      }
      case PlannedGranule::kRows: {
        refs.clear();
        for (size_t i = p.first; i < p.first + p.rows; ++i) refs.push_back(small_rows[i].ref);
        RowBatch granule(signal);
        granule.AppendRows(small_ptrs, refs);
        OTELSTACK_RETURN_IF_ERROR(writer->AddGranule(granule, 0, refs.size()));
        break;
      }
    }
  }
  return writer->Finish({}, info);
}

}  // namespace otelstack
