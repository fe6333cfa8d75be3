// Manifest: the single source of truth for which parts are live and how much
// of the write-ahead log they already contain.
//
// The store changes its set of parts only by writing a whole new manifest
// (temp file, fsync, rename, fsync dir), so a flush, a merge or a retention
// drop takes effect atomically: after a crash either the old or the new set
// of parts is live, never a mix. Part files that the manifest does not list
// are leftovers of an interrupted change and are deleted at open.
//
// Invariant: every record in WAL segments with id < wal_checkpoint is stored
// in the listed parts; records in segments >= wal_checkpoint are not (they
// are replayed into the memtable at open).
//
// Retention floors (store/retention.h): rows of a signal with time < its
// floor have been dropped and must never be visible again. No listed part
// holds such rows; the store discards them from the memtable and WAL replay
// at flush, and snapshots skip them in unflushed WAL records. A floor only
// grows. It is a whole UTC day boundary.
//
// Text format, one item per line, with a checksum of everything before it:
//   otelstack-manifest 1
//   next_file_id <n>
//   wal_checkpoint <segment id>
//   retention_floor <signal> <time_ns>       (only for floors > 0)
//   part <signal> <YYYY-MM-DD> <file name> <rows> <min_time> <max_time> <bytes>
//   checksum <16 hex digits of XXH3-64 of the lines above>
// A manifest without retention_floor lines (written before retention
// existed) loads with every floor at 0.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/part_format.h"
#include "store/schema/schema.h"

namespace otelstack {

struct PartEntry {
  Signal signal;
  std::string day;        // partition, "YYYY-MM-DD" (UTC) of the rows' time column
  std::string file_name;  // e.g. "p-000000000042.part", inside <signal>/<day>/
  uint64_t rows = 0;
  uint64_t min_time = 0;
  uint64_t max_time = 0;
  uint64_t bytes = 0;

  // Copies rows, time range and size from a written part.
  void SetInfo(const PartInfo& info) {
    rows = info.rows;
    min_time = info.min_time;
    max_time = info.max_time;
    bytes = info.file_bytes;
  }

  // Path relative to the store directory: "<signal>/<day>/<file_name>".
  std::string RelativePath() const;
};

// Per signal, indexed by the Signal's enum value.
using RetentionFloors = std::array<uint64_t, std::size(kAllSignals)>;

struct Manifest {
  uint64_t next_file_id = 1;    // ids for new WAL segments and part files
  uint64_t wal_checkpoint = 0;  // see invariant above
  std::vector<PartEntry> parts;
  // Rows of a signal with time < its floor are gone (see above).
  RetentionFloors retention_floor{};

  uint64_t RetentionFloor(Signal signal) const { return retention_floor[static_cast<size_t>(signal)]; }
  void SetRetentionFloor(Signal signal, uint64_t floor) { retention_floor[static_cast<size_t>(signal)] = floor; }

  std::string Serialize() const;
  static Status Parse(std::string_view text, Manifest* out);

  // Loads <dir>/MANIFEST; a missing file yields an empty manifest.
  static Status Load(const std::string& dir, Manifest* out);
  // Atomically replaces <dir>/MANIFEST.
  Status Save(const std::string& dir) const;
};

// "YYYY-MM-DD" (UTC) of a nanosecond timestamp.
std::string DayOf(uint64_t time_ns);

}  // namespace otelstack
