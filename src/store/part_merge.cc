#include "store/part_merge.h"

#include <algorithm>
#include <queue>

namespace otelstack {

void SortByTime(std::vector<TimedRowRef>* rows) {
  std::sort(rows->begin(), rows->end(), [](const TimedRowRef& a, const TimedRowRef& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.ref.batch != b.ref.batch) return a.ref.batch < b.ref.batch;
    return a.ref.row < b.ref.row;
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

// The input side of a k-way merge: one part, read a granule at a time.
struct MergeInput {
  explicit MergeInput(const PartReader* r) : reader(r) {}
  const PartReader* reader;
  size_t next_granule = 0;
  std::shared_ptr<RowBatch> current;  // decoded granule being consumed
  size_t row = 0;

  // Loads the next granule; false when the part is exhausted.
  StatusOr<bool> Advance(const std::vector<size_t>& columns) {
    if (next_granule >= reader->granule_count()) {
      current.reset();
      return false;
    }
    auto batch = std::make_shared<RowBatch>(reader->info().signal);
    OTELSTACK_RETURN_IF_ERROR(reader->ReadGranule(next_granule++, columns, batch.get()));
    current = std::move(batch);
    row = 0;
    return true;
  }
  uint64_t time() const { return current->Time(row); }
};

}  // namespace

Status MergeParts(std::span<const PartReader* const> inputs, const std::string& path,
                  const PartWriteOptions& options, PartInfo* info, const std::atomic<bool>* cancel) {
  if (inputs.empty()) return Status::InvalidArgument("merge into " + path + ": no inputs");
  Signal signal = inputs[0]->info().signal;
  std::vector<size_t> columns(SchemaOf(signal).size());
  for (size_t c = 0; c < columns.size(); ++c) columns[c] = c;

  std::vector<MergeInput> sources;
  for (const PartReader* reader : inputs) {
    if (reader->info().signal != signal) return Status::InvalidArgument("merge into " + path + ": mixed signals");
    MergeInput in(reader);
    auto loaded = in.Advance(columns);
    if (!loaded.ok()) return loaded.status();
    if (*loaded) sources.push_back(std::move(in));
  }
  // Min-heap of input indexes by their current row's time (ties: input order).
  auto later = [&](size_t a, size_t b) {
    uint64_t ta = sources[a].time(), tb = sources[b].time();
    return ta != tb ? ta > tb : a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < sources.size(); ++i) heap.push(i);

  std::unique_ptr<PartWriter> writer;
  OTELSTACK_RETURN_IF_ERROR(PartWriter::Create(path, signal, options, &writer));
  // Granules referenced by the output granule being assembled; an input's
  // exhausted granule stays here until that output granule is written.
  std::vector<std::shared_ptr<RowBatch>> pinned;
  std::vector<const RowBatch*> pinned_ptrs;
  std::vector<RowRef> refs;
  std::vector<uint32_t> pin_of(sources.size());
  auto pin_current = [&](size_t i) {
    pin_of[i] = static_cast<uint32_t>(pinned.size());
    pinned.push_back(sources[i].current);
    pinned_ptrs.push_back(sources[i].current.get());
  };
  for (size_t i = 0; i < sources.size(); ++i) pin_current(i);

  auto write_granule = [&]() -> Status {
    if (cancel && cancel->load(std::memory_order_relaxed)) return Status::Unavailable("merge into " + path + " cancelled");
    RowBatch granule(signal);
    granule.AppendRows(pinned_ptrs, refs);
    OTELSTACK_RETURN_IF_ERROR(writer->AddGranule(granule, 0, refs.size()));
    refs.clear();
    pinned.clear();
    pinned_ptrs.clear();
    for (size_t i = 0; i < sources.size(); ++i) {
      if (sources[i].current) pin_current(i);
    }
    return Status::OK();
  };

  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    MergeInput& in = sources[i];
    refs.push_back(RowRef{pin_of[i], static_cast<uint32_t>(in.row)});
    if (++in.row >= in.current->rows()) {
      auto loaded = in.Advance(columns);
      if (!loaded.ok()) return loaded.status();
      if (*loaded) pin_current(i);
    }
    if (in.current) heap.push(i);
    if (refs.size() == options.granule_rows) OTELSTACK_RETURN_IF_ERROR(write_granule());
  }
  if (!refs.empty()) OTELSTACK_RETURN_IF_ERROR(write_granule());
  return writer->Finish({}, info);
}

}  // namespace otelstack
