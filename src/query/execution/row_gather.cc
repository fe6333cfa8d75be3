#include "query/execution/row_gather.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace otelstack::query {

namespace {

// Granules decoded at once: enough to keep the workers busy, few enough that
// a search whose hits lie in many granules does not hold them all decoded.
constexpr size_t kUnitsPerWindow = 8;

// A unit with hits and the positions (in GatherRows' `rows`) of its hits.
struct UnitHits {
  const ScanUnit* unit;
  const RowBatch* scanned;  // may be null
  std::vector<size_t> positions;
  std::vector<uint32_t> selection;  // the rows of its hits, sorted, each once: what its decodes hold
};

// One column of one granule's hit rows (row k is the unit's selection[k]),
// decoded into its own batch (a batch is not safe to fill from several
// threads).
struct ColumnDecode {
  size_t unit;  // index into the window's UnitHits
  size_t column;
  RowBatch batch;
};

Status RunDecodes(std::span<const UnitHits> units, std::vector<ColumnDecode>* decodes, unsigned threads) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first_error;
  auto work = [&] {
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= decodes->size() || failed.load()) return;
      ColumnDecode& d = (*decodes)[i];
      const UnitHits& hits = units[d.unit];
      Status s = hits.unit->reader->ReadGranuleRows(hits.unit->granule, d.column, hits.selection, &d.batch);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = s;
        failed = true;
        return;
      }
    }
  };
  size_t workers = std::min<size_t>(threads, decodes->size());
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < workers; ++t) helpers.emplace_back(work);
  work();  // this thread is a worker too
  for (auto& h : helpers) h.join();
  return first_error;
}

}  // namespace

Status GatherRows(Signal signal, std::span<const GatherRow> rows, std::span<const size_t> scanned_columns,
                  unsigned threads, RowBatch* out) {
  *out = RowBatch(signal);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  auto schema = SchemaOf(signal);
  std::vector<bool> from_scan(schema.size(), false);
  for (size_t c : scanned_columns) {
    if (c < schema.size()) from_scan[c] = true;
  }

  // Units in order of their first hit; each unit's hits share its scan batch.
  using UnitKey = std::pair<const void*, size_t>;
  std::map<UnitKey, size_t> unit_of;
  std::vector<UnitHits> units;
  for (size_t i = 0; i < rows.size(); ++i) {
    const ScanUnit& u = rows[i].unit;
    if (u.unflushed == nullptr && u.reader == nullptr) return Status::InvalidArgument("gather: a row without a unit");
    if (u.unflushed == nullptr && u.reader->info().signal != signal) {
      return Status::InvalidArgument("gather: a row of another signal");
    }
    UnitKey key = u.unflushed ? UnitKey{u.unflushed.get(), 0} : UnitKey{u.reader, u.granule};
    auto [it, inserted] = unit_of.try_emplace(key, units.size());
    if (inserted) units.push_back(UnitHits{&u, rows[i].scanned.get(), {}, {}});
    units[it->second].positions.push_back(i);
  }
  for (UnitHits& u : units) {
    for (size_t position : u.positions) u.selection.push_back(rows[position].row);
    std::sort(u.selection.begin(), u.selection.end());
    u.selection.erase(std::unique(u.selection.begin(), u.selection.end()), u.selection.end());
  }

  RowBatch gathered(signal);               // the rows, unit by unit
  std::vector<RowRef> order(rows.size());  // rows[i] is gathered row order[i].row
  for (size_t begin = 0; begin < units.size(); begin += kUnitsPerWindow) {
    std::span<const UnitHits> window(units.data() + begin, std::min(kUnitsPerWindow, units.size() - begin));
    // Where each column of each unit comes from: the unflushed batch, the
    // scan's batch, or a decode of its own.
    std::vector<std::vector<const RowBatch*>> source(window.size(),
                                                     std::vector<const RowBatch*>(schema.size(), nullptr));
    std::vector<ColumnDecode> decodes;
    std::vector<std::vector<bool>> decoded(window.size(), std::vector<bool>(schema.size(), false));
    for (size_t w = 0; w < window.size(); ++w) {
      const UnitHits& u = window[w];
      for (size_t c = 0; c < schema.size(); ++c) {
        if (u.unit->unflushed) {
          source[w][c] = u.unit->unflushed.get();
        } else if (u.scanned != nullptr && from_scan[c]) {
          source[w][c] = u.scanned;
        } else {
          decodes.push_back(ColumnDecode{w, c, RowBatch(signal)});
          decoded[w][c] = true;
        }
      }
    }
    OTELSTACK_RETURN_IF_ERROR(RunDecodes(window, &decodes, threads));
    for (const ColumnDecode& d : decodes) source[d.unit][d.column] = &d.batch;

    for (size_t w = 0; w < window.size(); ++w) {
      const std::vector<uint32_t>& selection = window[w].selection;
      for (size_t position : window[w].positions) {
        const uint32_t unit_row = rows[position].row;
        const auto selected_row =
            static_cast<uint32_t>(std::lower_bound(selection.begin(), selection.end(), unit_row) - selection.begin());
        for (size_t c = 0; c < schema.size(); ++c) {
          const RowBatch& from = *source[w][c];
          const uint32_t row = decoded[w][c] ? selected_row : unit_row;
          if (row >= from.rows()) return Status::InvalidArgument("gather: row out of range");
          if (IsFixed(schema[c].type)) {
            gathered.SetU64(c, from.U64(c, row));  // the raw 64-bit slot, whatever the fixed type
          } else {
            gathered.SetBytes(c, from.Bytes(c, row));
          }
        }
        gathered.FinishRow();
        order[position] = RowRef{0, static_cast<uint32_t>(gathered.rows() - 1)};
      }
    }
  }
  const RowBatch* from = &gathered;
  out->AppendRows(std::span<const RowBatch* const>(&from, 1), order);
  return Status::OK();
}

}  // namespace otelstack::query
