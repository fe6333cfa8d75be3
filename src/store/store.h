// Store: the embedded, durable columnar store for one data directory.
//
// Write path (one OTLP request):
//   Append(entry, rows, done)
//     -> queued for the WAL writer thread, which appends every queued entry
//        to the current WAL segment and syncs once for the whole group
//        (group commit), then adds the rows to the memtable and runs `done`
//        with OK. A request is acknowledged only after `done(OK)`, so an
//        acknowledged record survives a crash or (with FsyncPolicy::kAlways)
//        a power loss.
//   memtable full or old -> the writer starts a new WAL segment and hands the
//        memtable to the flusher thread, which sorts rows by time, writes one
//        immutable part per (signal, day), encoded for the long term, and
//        commits them together with the new WAL checkpoint in one manifest
//        change (store/manifest.h); then the covered WAL segments are deleted.
//   the merger thread combines parts of a day partition (tiered by size, and
//   down to one part when the partition goes idle) by copying their granules
//   (store/part_merge.h): rows are not encoded again.
//
// Retention (store/retention.h): EnforceRetention, called by the owner (the
// server, at startup and periodically), drops the parts of every expired day
// partition in one manifest change that also raises the signal's retention
// floor, then deletes their files. Rows below a floor never come back: a
// flush discards memtable rows below it (including rows replayed from the
// WAL and rows that arrive already that old: accepted, then dropped and
// counted in StoreStats::expired_rows_dropped), a merge whose inputs were
// dropped meanwhile does not commit, and snapshots skip unflushed rows below
// it. Retention is off (0, keep forever) for every signal until SetRetention.
//
// Back-pressure: when the memtable plus data waiting to be flushed exceeds
// max_unflushed_bytes, Append fails fast with Unavailable (clients retry).
//
// Directory layout:  <dir>/MANIFEST, <dir>/wal/<id>.wal,
//                    <dir>/<signal>/<YYYY-MM-DD>/p-<id>.part
//
// Thread safety: Append may be called from any thread; `done` runs on the WAL
// writer thread and must not block (a request rejected up front, e.g. for
// back-pressure, gets `done` on the calling thread before Append returns).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "store/flush_sink.h"
#include "store/manifest.h"
#include "store/part_writer.h"
#include "store/schema/row_batch.h"
#include "store/snapshot.h"
#include "store/wal_entry.h"

namespace otelstack {

class WalWriter;

enum class FsyncPolicy {
  kAlways,    // sync before acknowledging (default): survives power loss
  kInterval,  // acknowledge after write(); sync every fsync_interval
};

struct StoreOptions {
  std::string dir;
  PayloadDecoder decoder;  // REQUIRED: decodes WAL entries on replay
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  std::chrono::milliseconds fsync_interval{200};
  size_t memtable_flush_bytes = 128u << 20;
  std::chrono::milliseconds memtable_max_age{30000};
  size_t max_unflushed_bytes = 320u << 20;
  // zstd level of the parts' blocks. Flushes write the blocks that merges
  // then copy, so this is the level data is kept at.
  int zstd_level = 3;
  // Tiered merges (see Store::PickMergeInputs): a size class holds parts of
  // [merge_base_rows * m^(k-1), merge_base_rows * m^k) rows, m = merge_min_parts.
  size_t merge_min_parts = 10;
  uint64_t merge_base_rows = 250'000;
  uint64_t merge_max_part_rows = 50'000'000;  // parts this big are left alone
  std::chrono::seconds merge_idle_after{60};  // then a partition is merged down to one part
  // Set: flushes go to the sink instead of parts (store/flush_sink.h); the
  // store then writes no parts, so merges and retention have nothing to do.
  std::shared_ptr<FlushSink> sink;
  // A failing flush is retried after flush_retry_min, doubling up to
  // flush_retry_max while it keeps failing.
  std::chrono::milliseconds flush_retry_min{1000};
  std::chrono::milliseconds flush_retry_max{30000};
};

struct StoreStats {
  uint64_t appended_requests = 0;
  uint64_t appended_rows = 0;
  uint64_t rejected_busy = 0;
  uint64_t flushes = 0;
  uint64_t merges = 0;
  uint64_t memtable_bytes = 0;
  // Accepted and not yet in parts (or the sink): what max_unflushed_bytes bounds.
  uint64_t unflushed_bytes = 0;
  uint64_t parts = 0;                 // live parts in the manifest
  uint64_t expired_rows_dropped = 0;  // memtable/WAL rows below a retention floor, not written to parts
  uint64_t retention_parts_dropped = 0;
};

// What EnforceRetention dropped for one signal whose floor rose.
struct RetentionDrop {
  Signal signal;
  uint64_t old_floor = 0;
  uint64_t new_floor = 0;
  std::vector<std::string> days;  // dropped day partitions, "YYYY-MM-DD", ascending
  uint64_t parts = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
};

class Store {
 public:
  using DoneCallback = std::function<void(const Status&)>;

  // Opens (creating if needed) the store in options.dir: loads the manifest,
  // deletes files left by interrupted flushes/merges, replays the WAL.
  static Status Open(StoreOptions options, std::unique_ptr<Store>* out);
  ~Store();  // Close()s

  // REQUIRES: batch->signal() == entry.signal, and `batch` is what the
  // decoder produces for `entry`. `entry.payload` need only live for the
  // call, and the store copies it; unless `payload_owner` is given: then the
  // store keeps that (which must keep `entry.payload` valid) until the
  // record is written, and writes the payload from where it is.
  void Append(const WalEntry& entry, std::shared_ptr<const RowBatch> batch, DoneCallback done,
              std::shared_ptr<const void> payload_owner = nullptr);

  // Blocks until every request accepted before the call (and everything
  // replayed from the WAL at open) is in parts; requests appended meanwhile
  // may or may not be (so a busy store cannot starve the caller). Returns
  // the error of a failing flush instead of waiting for its retries. Used by
  // shutdown and tests.
  Status Flush();

  // Stops accepting, makes everything durable in parts, stops threads.
  Status Close();

  // Sets how long rows of `signal` are kept; 0 keeps them forever. Takes
  // effect at the next EnforceRetention. Thread-safe.
  void SetRetention(Signal signal, std::chrono::seconds retention);
  std::chrono::seconds retention(Signal signal) const;

  // Drops every day partition expired at `now_ns` (unix nanoseconds) under
  // the current retention settings, atomically (one manifest change raising
  // the floors), then deletes the dropped files and emptied day directories.
  // A crash after the commit leaves files that the next Open deletes. Floors
  // never go down: lengthening the retention later does not bring data back.
  // Fills *drops (if given) with one entry per signal whose floor rose.
  // Serialized with flushes; safe to call concurrently with everything else.
  Status EnforceRetention(uint64_t now_ns, std::vector<RetentionDrop>* drops = nullptr);

  // A consistent read-only view of `signal` (every signal when nullopt) for
  // queries in this process: the live parts (readers are cached across
  // calls, so a snapshot costs no file opens for parts seen before) and the
  // acknowledged rows not yet in parts, without reading the WAL. Every
  // request acknowledged before the call is visible, and no row is visible
  // twice (a memtable being flushed is left out once its parts are in the
  // manifest). Rows below a retention floor are left out. Thread-safe.
  Status Snapshot(std::optional<Signal> signal, StoreSnapshot* out);

  StoreStats stats() const;
  Manifest manifest() const;
  const std::string& dir() const { return options_.dir; }

 private:
  struct Pending {
    std::string header;                         // WalEntry::SerializeHeader: the record is header + payload
    std::shared_ptr<const void> payload_owner;  // keeps `payload` valid (the caller's, or the store's copy)
    std::string_view payload;
    std::shared_ptr<const RowBatch> batch;
    DoneCallback done;
    uint64_t seq;         // order of acceptance, see accepted_seq_
    uint64_t wal_id = 0;  // WalRecordId, set once logged
  };
  struct Memtable {
    std::vector<std::shared_ptr<const RowBatch>> batches;
    std::vector<uint64_t> batch_ids;  // WalRecordId of each batch's WAL record
    bool replayed = false;            // holds rows replayed from the WAL at open
    size_t bytes = 0;
    uint64_t last_seq = 0;  // highest request sequence number among `batches`
    std::chrono::steady_clock::time_point first_append;
    bool empty() const { return batches.empty(); }
  };

  explicit Store(StoreOptions options);
  Status Recover();
  Status OpenNewSegment();  // REQUIRES: called by the writer thread or before threads start
  void WriterLoop();
  void FlusherLoop();
  void MergerLoop();
  Status WriteGroup(std::vector<Pending>* group);
  // `retry`: an earlier attempt at this memtable failed (or it was replayed).
  Status FlushImmutable(const Memtable& mem, uint64_t checkpoint, bool retry);
  Status FlushToSink(const Memtable& mem, uint64_t checkpoint, bool retry);
  // Allocates a file id for a new part of `signal` in the day of `time_ns`
  // and creates its directory.
  Status NewPartEntry(Signal signal, uint64_t time_ns, PartEntry* entry);
  PartWriteOptions PartOptions() const;
  // Sets *idle_partition when the inputs are a settled partition's parts.
  std::vector<PartEntry> PickMergeInputs(bool* idle_partition) const;
  Status MaybeMerge();
  // Fails with FailedPrecondition (and changes nothing) when a part of
  // `removed` is no longer live (e.g. dropped by retention while a merge ran)
  // or a part of `added` holds rows below its signal's retention floor.
  Status CommitManifestChange(const std::vector<PartEntry>& added, const std::vector<PartEntry>& removed,
                              uint64_t new_checkpoint);
  // Saves `next` as the manifest and makes it current.
  // REQUIRES: manifest_change_mu_ held.
  Status InstallManifest(Manifest next);
  // Deletes the files of parts no longer in the manifest, then their day
  // directories if empty.
  void DeletePartFiles(const std::vector<PartEntry>& parts);
  void DeleteWalBefore(uint64_t checkpoint);
  std::string PartPath(const PartEntry& p) const { return options_.dir + "/" + p.RelativePath(); }

  const StoreOptions options_;

  mutable std::mutex mu_;  // guards everything below except wal_ (writer thread only)
  std::condition_variable writer_cv_;
  std::condition_variable flusher_cv_;
  std::condition_variable merger_cv_;
  // Held by a flush from reading the retention floors until its commit, and
  // by EnforceRetention: a flush never commits parts filtered with a floor
  // that has risen since. Lock order: floor_mu_, manifest_change_mu_, mu_.
  std::mutex floor_mu_;
  std::mutex manifest_change_mu_;  // serializes manifest changes (flusher, merger, retention)
  std::condition_variable flushed_cv_;
  std::vector<Pending> queue_;
  size_t queued_bytes_ = 0;
  Memtable memtable_;
  std::unique_ptr<Memtable> immutable_;  // being flushed
  uint64_t immutable_checkpoint_ = 0;    // WAL checkpoint once immutable_ is in parts
  bool rotate_requested_ = false;
  // Requests get increasing sequence numbers when accepted (replayed WAL data
  // counts as request 1); Flush() waits for flushed_seq_ to reach the number
  // current at its call. Every logged request <= flushed_seq_ is in parts.
  uint64_t accepted_seq_ = 0;
  uint64_t flushed_seq_ = 0;
  bool stopping_ = false;
  bool writer_done_ = false;
  std::atomic<bool> stop_merges_{false};  // set by Close: a merge in progress gives up
  bool closed_ = false;
  Status failed_;       // sticky WAL failure, or a flush that failed while closing
  Status flush_error_;  // the last flush attempt's error; OK once one succeeds
  Manifest manifest_;
  uint64_t next_file_id_ = 1;
  StoreStats stats_;
  std::array<std::chrono::seconds, std::size(kAllSignals)> retention_{};  // 0: keep forever
  // When each day partition last got a flushed part (merges of idle days).
  std::map<std::pair<Signal, std::string>, std::chrono::steady_clock::time_point> last_flush_to_;

  // Part readers reused by Snapshot(), by RelativePath(); entries of parts
  // no longer live are dropped at the next Snapshot().
  std::mutex reader_cache_mu_;
  std::map<std::string, std::shared_ptr<const PartReader>> reader_cache_;

  // A flushed WAL segment that OpenNewSegment reuses instead of creating a
  // file: only a segment this store created, which is in the recyclable
  // format from its start. One suffices: each rotation reuses the segment
  // the previous flush freed. Guarded by mu_, like the two below.
  std::optional<uint64_t> reusable_segment_;
  uint64_t first_own_segment_ = UINT64_MAX;  // the first segment this store created
  uint64_t last_kept_segment_ = 0;           // the last segment kept in reusable_segment_

  // Owned by the writer thread once started.
  std::unique_ptr<WalWriter> wal_;
  uint64_t wal_segment_id_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
  bool unsynced_ = false;

  std::thread writer_;
  std::thread flusher_;
  std::thread merger_;
  bool merged_last_round_ = false;  // merger thread only
};

// Path of WAL segment `id` inside a store directory.
std::string WalSegmentPath(const std::string& store_dir, uint64_t id);
// Ids of the WAL segments present, ascending.
std::vector<uint64_t> ListWalSegments(const std::string& store_dir);

}  // namespace otelstack
