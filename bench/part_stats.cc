// otelstack-part-stats: where the bytes of part files go. For every signal
// found among the given part files (or under the given data directories),
// prints each column's stored bytes (compressed blocks over all granules),
// its bytes per row and share of the files, the encodings its blocks use,
// and what is left outside the column blocks (skip-index filters, footer).
//
// Usage: otelstack-part-stats PATH...   (part files or directories, searched
// recursively for *.part)
//
// A measuring tool for bench/ and docs/benchmarks.md, not a test.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/part_reader.h"
#include "store/schema/schema.h"

namespace otelstack {
namespace {

struct ColumnTotals {
  uint64_t stored = 0;
  uint64_t raw = 0;
  std::map<int, uint64_t> blocks_by_encoding;
};

struct SignalTotals {
  uint64_t parts = 0, rows = 0, file_bytes = 0;
  std::vector<ColumnTotals> columns;
};

void CollectParts(const std::filesystem::path& p, std::vector<std::string>* out) {
  if (std::filesystem::is_regular_file(p)) {
    out->push_back(p.string());
    return;
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(p))
    if (e.is_regular_file() && e.path().extension() == ".part") out->push_back(e.path().string());
}

Status AddPart(const std::string& path, std::map<Signal, SignalTotals>* totals) {
  std::unique_ptr<PartReader> reader;
  if (Status s = PartReader::Open(path, &reader); !s.ok()) return s;
  const PartInfo& info = reader->info();
  SignalTotals& t = (*totals)[info.signal];
  const size_t columns = SchemaOf(info.signal).size();
  t.columns.resize(columns);
  ++t.parts;
  t.rows += info.rows;
  t.file_bytes += info.file_bytes;
  for (size_t g = 0; g < reader->granule_count(); ++g) {
    for (size_t c = 0; c < columns; ++c) {
      part_format::BlockEntry entry;
      std::string_view bytes;
      if (!reader->StoredBlock(g, c, &entry, &bytes).ok()) continue;  // a column the part does not store
      t.columns[c].stored += entry.stored_size;
      t.columns[c].raw += entry.raw_size;
      ++t.columns[c].blocks_by_encoding[static_cast<int>(entry.encoding)];
    }
  }
  return Status::OK();
}

void Print(Signal signal, const SignalTotals& t) {
  const auto schema = SchemaOf(signal);
  const double rows = t.rows == 0 ? 1.0 : static_cast<double>(t.rows);
  std::printf("%s: %" PRIu64 " parts, %" PRIu64 " rows, %" PRIu64 " bytes, %.2f B/row\n",
              std::string(SignalName(signal)).c_str(), t.parts, t.rows, t.file_bytes, t.file_bytes / rows);
  std::printf("  %-32s %14s %9s %7s %14s  %s\n", "column", "stored", "B/row", "share", "raw", "blocks by encoding");
  uint64_t in_columns = 0;
  for (size_t c = 0; c < schema.size(); ++c) {
    const ColumnTotals& col = t.columns[c];
    in_columns += col.stored;
    if (col.stored == 0) continue;
    std::string encodings;
    for (const auto& [e, n] : col.blocks_by_encoding) encodings += std::to_string(e) + "x" + std::to_string(n) + " ";
    std::printf("  %-32s %14" PRIu64 " %9.3f %6.1f%% %14" PRIu64 "  %s\n", std::string(schema[c].name).c_str(),
                col.stored, col.stored / rows, 100.0 * col.stored / t.file_bytes, col.raw, encodings.c_str());
  }
  const uint64_t rest = t.file_bytes - in_columns;
  std::printf("  %-32s %14" PRIu64 " %9.3f %6.1f%%\n", "(filters, footer, header)", rest, rest / rows,
              100.0 * rest / t.file_bytes);
}

}  // namespace
}  // namespace otelstack

int main(int argc, char** argv) {
  using namespace otelstack;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PART_OR_DIR...\n", argv[0]);
    return 2;
  }
  std::vector<std::string> parts;
  for (int i = 1; i < argc; ++i) CollectParts(argv[i], &parts);
  std::map<Signal, SignalTotals> totals;
  for (const std::string& p : parts) {
    if (Status s = AddPart(p, &totals); !s.ok()) {
      std::fprintf(stderr, "%s: %s\n", p.c_str(), s.ToString().c_str());
      return 1;
    }
  }
  for (const auto& [signal, t] : totals) Print(signal, t);
  return 0;
}
