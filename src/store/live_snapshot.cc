// Store::Snapshot: the in-process snapshot (see store.h for the contract).
//
// What makes it consistent: under mu_ the manifest, the memtable and the
// memtable being flushed (immutable_) are copied together. A flush installs
// its parts (manifest_.wal_checkpoint becomes immutable_checkpoint_) before
// it drops immutable_, so in between both hold the same rows; the immutable
// memtable is taken only while the manifest's checkpoint is below its own.
// Part files are opened after mu_ is released: a merge or retention may
// delete one meanwhile, and then the whole snapshot is taken again.

#include <set>
#include <thread>

#include "store/store.h"

namespace otelstack {

namespace {
constexpr int kMaxAttempts = 20;

bool Wanted(std::optional<Signal> wanted, Signal signal) { return !wanted || *wanted == signal; }
}  // namespace

Status Store::Snapshot(std::optional<Signal> signal, StoreSnapshot* out) {
  Status last;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt - 1, 6)));
    *out = StoreSnapshot();
    std::vector<PartEntry> parts;
    std::set<std::string> live;  // every live part, for the reader cache
    RetentionFloors floors;
    {
      std::lock_guard<std::mutex> lk(mu_);
      floors = manifest_.retention_floor;
      for (const PartEntry& p : manifest_.parts) {
        live.insert(p.RelativePath());
        if (Wanted(signal, p.signal)) parts.push_back(p);
      }
      auto take = [&](const Memtable& mem) {
        for (const auto& batch : mem.batches) {
          if (Wanted(signal, batch->signal())) out->unflushed.push_back(batch);
        }
      };
      if (immutable_ && manifest_.wal_checkpoint < immutable_checkpoint_) take(*immutable_);
      take(memtable_);
    }
    for (auto& batch : out->unflushed) {
      uint64_t floor = floors[static_cast<size_t>(batch->signal())];
      batch = RowsAtOrAbove(std::move(batch), floor);
    }
    std::erase_if(out->unflushed, [](const auto& batch) { return batch->rows() == 0; });

    std::lock_guard<std::mutex> cache_lock(reader_cache_mu_);
    std::erase_if(reader_cache_, [&](const auto& entry) { return !live.count(entry.first); });
    last = Status::OK();
    for (const PartEntry& p : parts) {
      if (p.max_time < floors[static_cast<size_t>(p.signal)]) continue;
      std::string key = p.RelativePath();
      auto it = reader_cache_.find(key);
      if (it == reader_cache_.end()) {
        std::unique_ptr<PartReader> reader;
        last = PartReader::Open(PartPath(p), &reader);
        if (!last.ok()) break;
        it = reader_cache_.emplace(key, std::move(reader)).first;
      }
      out->parts.push_back({p, it->second});
    }
    if (last.ok()) return Status::OK();
    // else a part went away after the manifest was copied: take it again.
  }
  return last.WithContext("store: parts kept changing while taking a snapshot");
}

}  // namespace otelstack
