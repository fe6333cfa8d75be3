#include "store/store.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cinttypes>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "common/file_util.h"
#include "store/part_merge.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/retention.h"
#include "store/wal_format.h"
#include "store/wal_reader.h"
#include "store/wal_writer.h"

namespace otelstack {

namespace fs = std::filesystem;

namespace {

std::string FileIdName(const char* prefix, uint64_t id, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%012" PRIu64 "%s", prefix, id, suffix);
  return buf;
}

// Parses the numeric id out of "<prefix><digits><suffix>"; 0 when not of that form.
uint64_t ParseFileId(const std::string& name, std::string_view prefix, std::string_view suffix) {
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return 0;
  }
  std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoull(digits);
}

}  // namespace

std::string WalSegmentPath(const std::string& store_dir, uint64_t id) {
  return store_dir + "/wal/" + FileIdName("", id, ".wal");
}

std::vector<uint64_t> ListWalSegments(const std::string& store_dir) {
  std::vector<uint64_t> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(store_dir + "/wal", ec)) {
    uint64_t id = ParseFileId(entry.path().filename().string(), "", ".wal");
    if (id != 0) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Store::Store(StoreOptions options) : options_(std::move(options)) {}

Store::~Store() { Close(); }

Status Store::Open(StoreOptions options, std::unique_ptr<Store>* out) {
  if (!options.decoder) return Status::InvalidArgument("store: a payload decoder is required");
  std::unique_ptr<Store> store(new Store(std::move(options)));
  OTELSTACK_RETURN_IF_ERROR(store->Recover());
  store->last_sync_ = std::chrono::steady_clock::now();
  store->writer_ = std::thread([s = store.get()] {
    pthread_setname_np(pthread_self(), "store-wal");
    s->WriterLoop();
  });
  store->flusher_ = std::thread([s = store.get()] {
    pthread_setname_np(pthread_self(), "store-flush");
    s->FlusherLoop();
  });
  store->merger_ = std::thread([s = store.get()] {
    pthread_setname_np(pthread_self(), "store-merge");
    s->MergerLoop();
  });
  *out = std::move(store);
  return Status::OK();
}

Status Store::Recover() {
  const std::string& dir = options_.dir;
  OTELSTACK_RETURN_IF_ERROR(EnsureDir(dir, 0700));
  OTELSTACK_RETURN_IF_ERROR(EnsureDir(dir + "/wal", 0700));
  OTELSTACK_RETURN_IF_ERROR(Manifest::Load(dir, &manifest_));
  uint64_t max_id = manifest_.next_file_id > 0 ? manifest_.next_file_id - 1 : 0;

  // A manifest save interrupted before its rename leaves MANIFEST.tmp behind
  // (common/file_util.h WriteFileAtomic); the live MANIFEST is unaffected.
  {
    std::error_code ec;
    fs::remove(dir + "/MANIFEST.tmp", ec);
  }
  // WAL segments below the checkpoint are already in parts; a crash between
  // the manifest commit and their deletion leaves them behind.
  DeleteWalBefore(manifest_.wal_checkpoint);

  // Part files not in the manifest were left by a flush or merge that did not
  // commit: delete them so they can never be mistaken for live data.
  std::set<std::string> live;
  for (const PartEntry& p : manifest_.parts) {
    live.insert(p.RelativePath());
    max_id = std::max(max_id, ParseFileId(p.file_name, "p-", ".part"));
  }
  for (Signal signal : kAllSignals) {
    fs::path signal_dir = fs::path(dir) / SignalName(signal);
    std::error_code ec;
    for (const auto& day : fs::directory_iterator(signal_dir, ec)) {
      if (!day.is_directory()) continue;
      for (const auto& file : fs::directory_iterator(day.path(), ec)) {
        std::string rel = std::string(SignalName(signal)) + "/" + day.path().filename().string() + "/" +
                          file.path().filename().string();
        if (!live.count(rel)) {
          spdlog::info("store: removing uncommitted file {}", rel);
          fs::remove(file.path(), ec);
        }
      }
      if (fs::is_empty(day.path(), ec)) fs::remove(day.path(), ec);
    }
  }

  // Replay WAL segments not yet covered by parts.
  size_t replayed = 0;
  for (uint64_t id : ListWalSegments(dir)) {
    max_id = std::max(max_id, id);
    if (id < manifest_.wal_checkpoint) continue;
    std::string path = WalSegmentPath(dir, id);
    std::unique_ptr<WalReader> reader;
    OTELSTACK_RETURN_IF_ERROR(WalReader::Open(path, wal::LogNumberOf(id), &reader));
    std::string record;
    while (reader->ReadRecord(&record)) {
      WalEntry entry;
      std::shared_ptr<const RowBatch> batch;
      Status s = WalEntry::Parse(record, &entry);
      if (s.ok()) s = options_.decoder(entry, &batch);
      if (!s.ok()) {
        spdlog::error("store: skipping undecodable WAL record in {}: {}", path, s.ToString());
        continue;
      }
      if (memtable_.empty()) memtable_.first_append = std::chrono::steady_clock::now();
      memtable_.bytes += batch->ByteSize();
      memtable_.batches.push_back(std::move(batch));
      memtable_.batch_ids.push_back(WalRecordId(id, reader->end_of_last_record()));
      memtable_.replayed = true;
      ++replayed;
    }
    if (!reader->status().ok()) {
      spdlog::warn("store: WAL segment {} is damaged, {} bytes skipped: {}", path, reader->dropped_bytes(),
                   reader->status().ToString());
    }
  }
  if (replayed > 0) spdlog::info("store: replayed {} requests from the write-ahead log", replayed);
  stats_.parts = manifest_.parts.size();
  if (!memtable_.empty()) {
    // The replayed rows count as request 1, so Flush() covers them.
    accepted_seq_ = 1;
    memtable_.last_seq = 1;
  }
  next_file_id_ = max_id + 1;
  return OpenNewSegment();
}

Status Store::OpenNewSegment() {
  uint64_t id;
  std::optional<uint64_t> reused;
  {
    std::lock_guard<std::mutex> lk(mu_);
    id = next_file_id_++;
    first_own_segment_ = std::min(first_own_segment_, id);
    reused = std::exchange(reusable_segment_, std::nullopt);
  }
  if (wal_) {
    OTELSTACK_RETURN_IF_ERROR(wal_->Sync());
    OTELSTACK_RETURN_IF_ERROR(wal_->Close());
  }
  const std::string path = WalSegmentPath(options_.dir, id);
  std::unique_ptr<WalWriter> wal;
  if (reused) {
    // A flushed segment's file, rewritten: cheaper for the file system than
    // a new file (blocks and cached pages are kept, fdatasync need not
    // update the file's size). See wal_format.h.
    const std::string old_path = WalSegmentPath(options_.dir, *reused);
    Status s = WalWriter::Reuse(old_path, path, wal::LogNumberOf(id), &wal);
    if (!s.ok()) {
      spdlog::warn("store: cannot reuse WAL segment {}, creating one: {}", *reused, s.ToString());
      std::error_code ec;
      fs::remove(old_path, ec);
      fs::remove(path, ec);
    }
  }
  if (!wal) OTELSTACK_RETURN_IF_ERROR(WalWriter::Create(path, wal::LogNumberOf(id), &wal));
  wal_ = std::move(wal);
  wal_segment_id_ = id;
  unsynced_ = false;
  return Status::OK();
}

void Store::Append(const WalEntry& entry, std::shared_ptr<const RowBatch> batch, DoneCallback done,
                   std::shared_ptr<const void> payload_owner) {
  const size_t record_size = WalEntry::kHeaderSize + entry.payload.size();
  // Rejected here because WalWriter::Append would fail the whole group and
  // WAL failures are sticky: one oversized request must not stop the store.
  if (record_size > wal::kMaxRecordSize) {
    done(Status::ResourceExhausted("store: request of " + std::to_string(record_size) +
                                   " bytes exceeds the write-ahead log record limit"));
    return;
  }
  // Made before taking the lock: copying a payload takes a while.
  Pending pending;
  pending.header = entry.SerializeHeader();
  pending.payload = entry.payload;
  if (!payload_owner) {
    auto copy = std::make_shared<const std::string>(entry.payload);
    pending.payload = *copy;
    payload_owner = std::move(copy);
  }
  pending.payload_owner = std::move(payload_owner);
  std::unique_lock<std::mutex> lk(mu_);
  if (stopping_) {
    lk.unlock();
    done(Status::Unavailable("store is shutting down"));
    return;
  }
  if (!failed_.ok()) {
    Status s = failed_;
    lk.unlock();
    done(s);
    return;
  }
  size_t unflushed = memtable_.bytes + (immutable_ ? immutable_->bytes : 0) + queued_bytes_;
  if (unflushed > options_.max_unflushed_bytes) {
    ++stats_.rejected_busy;
    lk.unlock();
    done(Status::Unavailable("store is busy flushing; retry later"));
    return;
  }
  queued_bytes_ += batch->ByteSize() + record_size;
  pending.batch = std::move(batch);
  pending.done = std::move(done);
  pending.seq = ++accepted_seq_;
  queue_.push_back(std::move(pending));
  lk.unlock();
  writer_cv_.notify_one();
}

Status Store::WriteGroup(std::vector<Pending>* group) {
  for (Pending& p : *group) {
    const std::string_view parts[] = {p.header, p.payload};
    OTELSTACK_RETURN_IF_ERROR(wal_->AppendParts(parts));
    p.wal_id = WalRecordId(wal_segment_id_, wal_->size());
  }
  if (options_.fsync == FsyncPolicy::kAlways) {
    OTELSTACK_RETURN_IF_ERROR(wal_->Sync());
  } else {
    OTELSTACK_RETURN_IF_ERROR(wal_->Flush());
    unsynced_ = true;
  }
  return Status::OK();
}

void Store::WriterLoop() {
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    // After a WAL failure the old segment cannot be synced, so OpenNewSegment
    // would fail every time (and this loop would spin): the memtable's rows
    // stay in the WAL and are replayed at the next open instead.
    auto rotation_due = [&] {
      return failed_.ok() && !memtable_.empty() && !immutable_ &&
             (rotate_requested_ || stopping_ || memtable_.bytes >= options_.memtable_flush_bytes);
    };
    auto has_work = [&] {
      return !queue_.empty() || rotation_due() || (stopping_ && (memtable_.empty() || !failed_.ok()));
    };
    if (unsynced_) {
      writer_cv_.wait_for(lk, options_.fsync_interval, has_work);
    } else {
      writer_cv_.wait(lk, has_work);
    }

    if (!queue_.empty()) {
      std::vector<Pending> group;
      group.swap(queue_);
      queued_bytes_ = 0;
      Status s = failed_;
      lk.unlock();
      if (s.ok()) s = WriteGroup(&group);
      lk.lock();
      if (s.ok()) {
        for (Pending& p : group) {
          if (memtable_.empty()) memtable_.first_append = std::chrono::steady_clock::now();
          memtable_.bytes += p.batch->ByteSize();
          stats_.appended_rows += p.batch->rows();
          memtable_.batches.push_back(p.batch);
          memtable_.batch_ids.push_back(p.wal_id);
        }
        memtable_.last_seq = group.back().seq;
        stats_.appended_requests += group.size();
      } else if (failed_.ok()) {
        failed_ = s;
        spdlog::error("store: write-ahead log failed, refusing further writes: {}", s.ToString());
      }
      lk.unlock();
      for (Pending& p : group) p.done(s);
      lk.lock();
    }

    if (unsynced_ && std::chrono::steady_clock::now() - last_sync_ >= options_.fsync_interval) {
      lk.unlock();
      Status s = wal_->Sync();
      lk.lock();
      unsynced_ = false;
      last_sync_ = std::chrono::steady_clock::now();
      if (!s.ok() && failed_.ok()) failed_ = s;
    }

    if (rotation_due()) {
      lk.unlock();
      Status s = OpenNewSegment();
      lk.lock();
      if (s.ok()) {
        immutable_ = std::make_unique<Memtable>(std::move(memtable_));
        memtable_ = Memtable();
        immutable_checkpoint_ = wal_segment_id_;
        flusher_cv_.notify_one();
      } else if (failed_.ok()) {
        failed_ = s;
        spdlog::error("store: cannot start a new WAL segment: {}", s.ToString());
      }
      rotate_requested_ = false;
    }
    if (stopping_ && queue_.empty() && (memtable_.empty() || !failed_.ok())) break;
  }
  writer_done_ = true;
  flusher_cv_.notify_one();
}

void Store::FlusherLoop() {
  std::unique_lock<std::mutex> lk(mu_);
  int failed_attempts = 0;  // of the current immutable_
  for (;;) {
    // Wakes at least as often as the memtable age limit, so a short limit
    // (the ClickHouse backend's flush interval) is kept.
    const auto wake = std::min<std::chrono::milliseconds>(std::chrono::seconds(1), options_.memtable_max_age);
    flusher_cv_.wait_for(lk, wake, [&] { return immutable_ || writer_done_; });
    if (immutable_) {
      const Memtable* mem = immutable_.get();
      uint64_t checkpoint = immutable_checkpoint_;
      lk.unlock();
      Status s = FlushImmutable(*mem, checkpoint, failed_attempts > 0 || mem->replayed);
      lk.lock();
      if (!s.ok()) {
        if (stopping_) {
          // Close() must not wait forever on a flush that keeps failing
          // (e.g. a full disk). The rows are still in the WAL, which is
          // replayed at the next open; failed_ lets the writer stop too.
          spdlog::error("store: flush failed while closing; the WAL keeps the rows: {}", s.ToString());
          if (failed_.ok()) failed_ = s;
          writer_cv_.notify_one();
          flushed_cv_.notify_all();
          break;
        }
        // The rows are still in the WAL: retry later; writers get
        // back-pressure meanwhile, Flush() callers the error.
        ++failed_attempts;
        auto backoff = options_.flush_retry_min * (1 << std::min(failed_attempts - 1, 16));
        backoff = std::min<std::chrono::milliseconds>(backoff, options_.flush_retry_max);
        spdlog::error("store: flush failed (attempt {}, retrying in {} ms): {}", failed_attempts, backoff.count(),
                      s.ToString());
        flush_error_ = s;
        flushed_cv_.notify_all();
        flusher_cv_.wait_for(lk, backoff, [&] { return stopping_; });
        continue;
      }
      failed_attempts = 0;
      flushed_seq_ = std::max(flushed_seq_, mem->last_seq);
      flush_error_ = Status::OK();
      immutable_.reset();
      ++stats_.flushes;
      flushed_cv_.notify_all();
      writer_cv_.notify_one();
      // Falls through: a store that flushes more often than the wait above
      // times out must still get its merges.
    }
    if (writer_done_) break;
    if (!memtable_.empty() && std::chrono::steady_clock::now() - memtable_.first_append >= options_.memtable_max_age) {
      rotate_requested_ = true;
      writer_cv_.notify_one();
    }
    merger_cv_.notify_one();  // a new part may make a merge due
  }
}

void Store::MergerLoop() {
  // Merges run on their own thread so that a long merge never holds up a
  // flush (which would push writers into back-pressure).
  std::unique_lock<std::mutex> lk(mu_);
  while (!stopping_) {
    lk.unlock();
    Status s = MaybeMerge();
    if (!s.ok() && !stop_merges_) spdlog::error("store: merge failed: {}", s.ToString());
    lk.lock();
    if (s.ok() && merged_last_round_) continue;  // more may be due right away
    merger_cv_.wait_for(lk, std::chrono::seconds(1), [&] { return stopping_; });
  }
}

Status Store::FlushToSink(const Memtable& mem, uint64_t checkpoint, bool retry) {
  std::vector<SinkBatch> batches;
  batches.reserve(mem.batches.size());
  for (size_t i = 0; i < mem.batches.size(); ++i) batches.push_back(SinkBatch{mem.batches[i], mem.batch_ids[i]});
  OTELSTACK_RETURN_IF_ERROR(options_.sink->Write(batches, retry));
  OTELSTACK_RETURN_IF_ERROR(CommitManifestChange({}, {}, checkpoint));
  DeleteWalBefore(checkpoint);
  return Status::OK();
}

Status Store::FlushImmutable(const Memtable& mem, uint64_t checkpoint, bool retry) {
  if (options_.sink) return FlushToSink(mem, checkpoint, retry);
  // Rows below the retention floor were dropped (or arrived already that
  // old): they must not reach a part. floor_mu_ keeps the floors fixed until
  // the commit below.
  std::lock_guard<std::mutex> floor_lock(floor_mu_);
  RetentionFloors floors;
  {
    std::lock_guard<std::mutex> lk(mu_);
    floors = manifest_.retention_floor;
  }
  // Group rows by (signal, day): each group becomes one part.
  std::map<std::pair<Signal, uint64_t>, std::vector<TimedRowRef>> groups;
  std::vector<const RowBatch*> batches;
  batches.reserve(mem.batches.size());
  RetentionFloors expired{};  // rows dropped per signal
  for (uint32_t b = 0; b < mem.batches.size(); ++b) {
    const RowBatch& batch = *mem.batches[b];
    batches.push_back(&batch);
    const size_t signal_index = static_cast<size_t>(batch.signal());
    for (uint32_t r = 0; r < batch.rows(); ++r) {
      uint64_t t = batch.Time(r);
      if (t < floors[signal_index]) {
        ++expired[signal_index];
        continue;
      }
      groups[{batch.signal(), t / kDayNanos}].push_back(TimedRowRef{t, RowRef{b, r}});
    }
  }
  std::vector<PartEntry> added;
  auto discard_added = [&] {
    // Nothing refers to the parts of this attempt yet; without this, every
    // retry of a failing flush would leave more of them until the next open.
    for (const PartEntry& p : added) {
      std::error_code ec;
      fs::remove(PartPath(p), ec);
    }
  };
  for (auto& [key, rows] : groups) {
    SortByTime(&rows);
    PartEntry entry;
    Status s = NewPartEntry(key.first, rows.front().time, &entry);
    PartInfo info;
    if (s.ok()) s = WriteRowsAsPart(PartPath(entry), key.first, batches, rows, PartOptions(), &info);
    if (!s.ok()) {
      discard_added();
      return s;
    }
    entry.SetInfo(info);
    added.push_back(std::move(entry));
    std::lock_guard<std::mutex> lk(mu_);
    last_flush_to_[{key.first, added.back().day}] = std::chrono::steady_clock::now();
  }
  // A failed commit may still have replaced MANIFEST (e.g. the directory
  // fsync after the rename failed), so its parts are left for Recover().
  OTELSTACK_RETURN_IF_ERROR(CommitManifestChange(added, {}, checkpoint));
  DeleteWalBefore(checkpoint);
  uint64_t expired_total = 0;
  for (Signal signal : kAllSignals) {
    uint64_t n = expired[static_cast<size_t>(signal)];
    if (n == 0) continue;
    expired_total += n;
    spdlog::debug("store: flush dropped {} {} rows older than the retention floor {}", n, SignalName(signal),
                  DayOf(floors[static_cast<size_t>(signal)]));
  }
  if (expired_total > 0) {
    std::lock_guard<std::mutex> lk(mu_);
    stats_.expired_rows_dropped += expired_total;
  }
  return Status::OK();
}

PartWriteOptions Store::PartOptions() const {
  PartWriteOptions write_options;
  write_options.zstd_level = options_.zstd_level;
  return write_options;
}

Status Store::NewPartEntry(Signal signal, uint64_t time_ns, PartEntry* entry) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lk(mu_);
    id = next_file_id_++;
  }
  entry->signal = signal;
  entry->day = DayOf(time_ns);
  entry->file_name = FileIdName("p-", id, ".part");
  std::string signal_dir = options_.dir + "/" + std::string(SignalName(signal));
  OTELSTACK_RETURN_IF_ERROR(EnsureDir(signal_dir, 0700));
  return EnsureDir(signal_dir + "/" + entry->day, 0700);
}

Status Store::CommitManifestChange(const std::vector<PartEntry>& added, const std::vector<PartEntry>& removed,
                                   uint64_t new_checkpoint) {
  // Flusher, merger and retention all change the manifest: serialize the
  // whole read-modify-write-install; mu_ guards the in-memory copy for readers.
  std::lock_guard<std::mutex> change(manifest_change_mu_);
  Manifest next = manifest();
  std::set<std::string> live;
  for (const PartEntry& p : next.parts) live.insert(p.RelativePath());
  std::set<std::string> gone;
  for (const PartEntry& p : removed) {
    // Without this check a merge of a partition that retention dropped while
    // the merge ran would bring the partition's rows back.
    if (!live.count(p.RelativePath())) {
      return Status::FailedPrecondition("store: part " + p.RelativePath() + " is no longer live");
    }
    gone.insert(p.RelativePath());
  }
  for (const PartEntry& p : added) {
    if (p.rows > 0 && p.min_time < next.RetentionFloor(p.signal)) {
      return Status::FailedPrecondition("store: part " + p.RelativePath() + " holds rows below the retention floor");
    }
  }
  std::erase_if(next.parts, [&](const PartEntry& p) { return gone.count(p.RelativePath()) > 0; });
  next.parts.insert(next.parts.end(), added.begin(), added.end());
  next.wal_checkpoint = std::max(next.wal_checkpoint, new_checkpoint);
  return InstallManifest(std::move(next));
}

Status Store::InstallManifest(Manifest next) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    next.next_file_id = next_file_id_;
  }
  OTELSTACK_RETURN_IF_ERROR(next.Save(options_.dir));
  std::lock_guard<std::mutex> lk(mu_);
  manifest_ = std::move(next);
  stats_.parts = manifest_.parts.size();
  return Status::OK();
}

void Store::DeletePartFiles(const std::vector<PartEntry>& parts) {
  std::set<std::string> day_dirs;
  for (const PartEntry& p : parts) {
    std::error_code ec;
    fs::remove(PartPath(p), ec);
    if (ec) spdlog::warn("store: cannot delete {}: {}", p.RelativePath(), ec.message());
    day_dirs.insert(fs::path(PartPath(p)).parent_path().string());
  }
  for (const std::string& day_dir : day_dirs) {
    // A flush may be creating a part in this directory right now; remove()
    // of a non-empty directory just fails, and NewPartEntry recreates it.
    std::error_code ec;
    if (fs::is_empty(day_dir, ec)) fs::remove(day_dir, ec);
  }
}

void Store::SetRetention(Signal signal, std::chrono::seconds retention) {
  std::lock_guard<std::mutex> lk(mu_);
  retention_[static_cast<size_t>(signal)] = std::max(retention, std::chrono::seconds(0));
}

std::chrono::seconds Store::retention(Signal signal) const {
  std::lock_guard<std::mutex> lk(mu_);
  return retention_[static_cast<size_t>(signal)];
}

Status Store::EnforceRetention(uint64_t now_ns, std::vector<RetentionDrop>* drops) {
  if (drops) drops->clear();
  std::lock_guard<std::mutex> floor_lock(floor_mu_);
  std::vector<PartEntry> removed;
  std::vector<RetentionDrop> changes;
  {
    std::lock_guard<std::mutex> change(manifest_change_mu_);
    Manifest next = manifest();
    std::array<std::chrono::seconds, std::size(kAllSignals)> retention;
    {
      std::lock_guard<std::mutex> lk(mu_);
      retention = retention_;
    }
    for (Signal signal : kAllSignals) {
      const uint64_t target = RetentionFloorAt(now_ns, retention[static_cast<size_t>(signal)]);
      if (target <= next.RetentionFloor(signal)) continue;
      RetentionDrop drop;
      drop.signal = signal;
      drop.old_floor = next.RetentionFloor(signal);
      drop.new_floor = target;
      changes.push_back(std::move(drop));
      next.SetRetentionFloor(signal, target);
    }
    if (changes.empty()) return Status::OK();
    // Parts are per day, so a part wholly below the floor is a dropped day's.
    auto expired = [&](const PartEntry& p) { return p.max_time < next.RetentionFloor(p.signal); };
    for (const PartEntry& p : next.parts) {
      if (expired(p)) removed.push_back(p);
    }
    std::erase_if(next.parts, expired);
    OTELSTACK_RETURN_IF_ERROR(InstallManifest(std::move(next)).WithContext("retention"));
  }
  for (const PartEntry& p : removed) {
    auto it =
        std::find_if(changes.begin(), changes.end(), [&](const RetentionDrop& d) { return d.signal == p.signal; });
    if (it == changes.end()) continue;  // below an older floor: cannot happen, still dropped
    if (std::find(it->days.begin(), it->days.end(), p.day) == it->days.end()) it->days.push_back(p.day);
    ++it->parts;
    it->rows += p.rows;
    it->bytes += p.bytes;
  }
  for (RetentionDrop& d : changes) std::sort(d.days.begin(), d.days.end());
  DeletePartFiles(removed);
  {
    std::lock_guard<std::mutex> lk(mu_);
    stats_.retention_parts_dropped += removed.size();
    std::erase_if(last_flush_to_, [&](const auto& entry) {
      for (const RetentionDrop& d : changes) {
        if (d.signal == entry.first.first && entry.first.second < DayOf(d.new_floor)) return true;
      }
      return false;
    });
  }
  if (drops) *drops = std::move(changes);
  return Status::OK();
}

void Store::DeleteWalBefore(uint64_t checkpoint) {
  for (uint64_t id : ListWalSegments(options_.dir)) {
    if (id >= checkpoint) break;
    {
      // One of this store's own segments is kept for OpenNewSegment; a crash
      // leaves it below the checkpoint, so the next open deletes it.
      std::lock_guard<std::mutex> lk(mu_);
      // Once kept, a segment is reusable_segment_'s (or being reused now).
      if (last_kept_segment_ != 0 && id <= last_kept_segment_) continue;
      if (id >= first_own_segment_ && !reusable_segment_) {
        reusable_segment_ = id;
        last_kept_segment_ = id;
        continue;
      }
    }
    std::error_code ec;
    fs::remove(WalSegmentPath(options_.dir, id), ec);
    if (ec) spdlog::warn("store: cannot delete WAL segment {}: {}", id, ec.message());
  }
}

std::vector<PartEntry> Store::PickMergeInputs(bool* idle_partition) const {
  *idle_partition = false;
  // Tiered merging: parts are grouped by size class (each class
  // merge_min_parts times the rows of the one below), and a class with at
  // least merge_min_parts parts in a day partition is merged. Every row is
  // thus rewritten about log_{merge_min_parts}(day rows / flush rows) times.
  // A partition that has not been flushed to for merge_idle_after is merged
  // down to one part whatever the sizes, so that settled days end up compact.
  const auto now = std::chrono::steady_clock::now();
  std::map<std::pair<Signal, std::string>, std::vector<PartEntry>> partitions;
  const Manifest current = manifest();
  for (const PartEntry& p : current.parts) {
    if (p.rows < options_.merge_max_part_rows) partitions[{p.signal, p.day}].push_back(p);
  }
  for (auto& [key, parts] : partitions) {
    if (parts.size() < 2) continue;
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.rows < b.rows; });
    std::map<int, std::vector<PartEntry>> classes;
    for (const PartEntry& p : parts) {
      int size_class = 0;
      for (uint64_t limit = options_.merge_base_rows; p.rows >= limit && size_class < 16;
           limit *= options_.merge_min_parts) {
        ++size_class;
      }
      classes[size_class].push_back(p);
    }
    for (auto& [size_class, members] : classes) {
      if (members.size() >= options_.merge_min_parts) {
        if (members.size() > 2 * options_.merge_min_parts) members.resize(2 * options_.merge_min_parts);
        return members;
      }
    }
    std::lock_guard<std::mutex> lk(mu_);
    auto last = last_flush_to_.find(key);
    bool idle = last == last_flush_to_.end() || now - last->second >= options_.merge_idle_after;
    if (idle) {
      if (parts.size() > 2 * options_.merge_min_parts) parts.resize(2 * options_.merge_min_parts);
      *idle_partition = true;
      return parts;
    }
  }
  return {};
}

Status Store::MaybeMerge() {
  merged_last_round_ = false;
  bool idle_partition = false;
  std::vector<PartEntry> inputs = PickMergeInputs(&idle_partition);
  if (inputs.size() < 2) return Status::OK();

  // Retention may drop the partition (and delete its files) while this runs:
  // then a failure is expected and the merge is simply abandoned.
  auto unless_dropped = [&](const Status& s) {
    if (s.ok()) return s;
    const Manifest current = manifest();
    for (const PartEntry& p : inputs) {
      if (p.max_time < current.RetentionFloor(p.signal)) return Status::OK();
    }
    return s;
  };
  std::vector<std::unique_ptr<PartReader>> readers;
  std::vector<const PartReader*> reader_ptrs;
  for (const PartEntry& p : inputs) {
    std::unique_ptr<PartReader> reader;
    Status s = PartReader::Open(PartPath(p), &reader);
    if (!s.ok()) return unless_dropped(s);
    reader_ptrs.push_back(reader.get());
    readers.push_back(std::move(reader));
  }
  PartEntry output;
  Status s = NewPartEntry(inputs[0].signal, inputs[0].min_time, &output);
  if (!s.ok()) return unless_dropped(s);
  PartInfo info;
  s = MergeParts(reader_ptrs, PartPath(output), PartOptions(), &info, &stop_merges_);
  if (!s.ok()) return unless_dropped(s);
  output.SetInfo(info);
  s = CommitManifestChange({output}, inputs, 0);
  if (s.code() == Status::Code::kFailedPrecondition) {
    // Retention dropped the partition meanwhile; nothing was committed.
    spdlog::debug("store: merge into {} abandoned: {}", output.RelativePath(), s.ToString());
    DeletePartFiles({output});
    return Status::OK();
  }
  if (!s.ok()) return s;  // the output may or may not be live; Recover() decides
  readers.clear();
  for (const PartEntry& p : inputs) {
    std::error_code ec;
    fs::remove(PartPath(p), ec);
  }
  merged_last_round_ = true;
  std::lock_guard<std::mutex> lk(mu_);
  ++stats_.merges;
  return Status::OK();
}

Status Store::Flush() {
  std::unique_lock<std::mutex> lk(mu_);
  // Waiting for "queue, memtable and immutable all empty" instead would never
  // return while other threads keep appending.
  const uint64_t target = accepted_seq_;
  while (flushed_seq_ < target) {
    if (!failed_.ok()) return failed_;
    if (!flush_error_.ok()) return flush_error_;
    // Once the writer is done, only a flush already handed over can complete.
    if (writer_done_ && !immutable_) return Status::FailedPrecondition("store is closed");
    rotate_requested_ = true;
    writer_cv_.notify_one();
    flushed_cv_.wait_for(lk, std::chrono::milliseconds(50));
  }
  return failed_;
}

Status Store::Close() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (closed_) return failed_;
    closed_ = true;
    stopping_ = true;
    stop_merges_ = true;
  }
  writer_cv_.notify_all();
  flusher_cv_.notify_all();
  merger_cv_.notify_all();
  if (merger_.joinable()) merger_.join();
  if (writer_.joinable()) writer_.join();
  if (flusher_.joinable()) flusher_.join();
  if (wal_) {
    Status s = wal_->Sync();
    if (s.ok()) s = wal_->Close();
    // A reused segment file still holds old bytes past what was written:
    // not worth keeping on disk while the store is closed.
    std::error_code ec;
    if (s.ok() && fs::file_size(wal_->path(), ec) > wal_->size()) fs::resize_file(wal_->path(), wal_->size(), ec);
    if (!s.ok() && failed_.ok()) failed_ = s;
    wal_.reset();
  }
  // The segment kept for reuse is flushed: no use after the store closes.
  if (reusable_segment_) {
    std::error_code ec;
    fs::remove(WalSegmentPath(options_.dir, *reusable_segment_), ec);
    reusable_segment_.reset();
  }
  return failed_;
}

StoreStats Store::stats() const {
  std::lock_guard<std::mutex> lk(mu_);
  StoreStats s = stats_;
  s.memtable_bytes = memtable_.bytes;
  s.unflushed_bytes = memtable_.bytes + (immutable_ ? immutable_->bytes : 0) + queued_bytes_;
  s.parts = manifest_.parts.size();
  return s;
}

Manifest Store::manifest() const {
  std::lock_guard<std::mutex> lk(mu_);
  return manifest_;
}

}  // namespace otelstack
