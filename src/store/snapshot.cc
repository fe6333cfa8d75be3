#include "store/snapshot.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "store/store.h"
#include "store/wal_format.h"
#include "store/wal_reader.h"

namespace otelstack {

namespace {
constexpr int kMaxAttempts = 20;

bool SameParts(const Manifest& a, const Manifest& b) {
  if (a.wal_checkpoint != b.wal_checkpoint || a.parts.size() != b.parts.size()) return false;
  if (a.retention_floor != b.retention_floor) return false;
  for (size_t i = 0; i < a.parts.size(); ++i) {
    if (a.parts[i].RelativePath() != b.parts[i].RelativePath()) return false;
  }
  return true;
}

// One attempt; returns Unavailable when the directory changed underneath.
Status TryLoad(const std::string& dir, const PayloadDecoder& decoder, std::optional<Signal> signal,
               StoreSnapshot* out) {
  *out = StoreSnapshot();
  Manifest before;
  OTELSTACK_RETURN_IF_ERROR(Manifest::Load(dir, &before));
  for (const PartEntry& p : before.parts) {
    if (signal && p.signal != *signal) continue;
    if (p.max_time < before.RetentionFloor(p.signal)) continue;  // never listed by a store; be safe
    std::unique_ptr<PartReader> reader;
    Status s = PartReader::Open(dir + "/" + p.RelativePath(), &reader);
    if (!s.ok()) return Status::Unavailable("part changed while loading: " + s.ToString());
    out->parts.push_back({p, std::move(reader)});
  }
  for (uint64_t id : ListWalSegments(dir)) {
    if (id < before.wal_checkpoint) continue;
    std::unique_ptr<WalReader> reader;
    Status s = WalReader::Open(WalSegmentPath(dir, id), wal::LogNumberOf(id), &reader);
    if (!s.ok()) return Status::Unavailable("WAL changed while loading: " + s.ToString());
    std::string record;
    while (reader->ReadRecord(&record)) {
      WalEntry entry;
      // Like Store::Recover(), skip a record it cannot use instead of failing
      // every snapshot until the store flushes past it.
      s = WalEntry::Parse(record, &entry);
      if (s.ok() && signal && entry.signal != *signal) continue;
      std::shared_ptr<const RowBatch> batch;
      if (s.ok()) s = decoder(entry, &batch);
      if (!s.ok()) {
        spdlog::warn("snapshot: skipping undecodable WAL record: {}", s.ToString());
        continue;
      }
      // Rows below the retention floor were dropped (or arrived that old and
      // will be dropped at flush): they must not show up here either.
      batch = RowsAtOrAbove(std::move(batch), before.RetentionFloor(entry.signal));
      if (batch->rows() > 0) out->unflushed.push_back(std::move(batch));
    }
  }
  Manifest after;
  OTELSTACK_RETURN_IF_ERROR(Manifest::Load(dir, &after));
  if (!SameParts(before, after)) return Status::Unavailable("store changed while loading");
  return Status::OK();
}
}  // namespace

std::shared_ptr<const RowBatch> RowsAtOrAbove(std::shared_ptr<const RowBatch> batch, uint64_t floor) {
  if (floor == 0) return batch;
  std::vector<RowRef> keep;
  for (uint32_t r = 0; r < batch->rows(); ++r) {
    if (batch->Time(r) >= floor) keep.push_back(RowRef{0, r});
  }
  if (keep.size() == batch->rows()) return batch;
  auto kept = std::make_shared<RowBatch>(batch->signal());
  const RowBatch* source = batch.get();
  kept->AppendRows(std::span<const RowBatch* const>(&source, 1), keep);
  return kept;
}

Status LoadSnapshot(const std::string& store_dir, const PayloadDecoder& decoder, std::optional<Signal> signal,
                    StoreSnapshot* out) {
  Status s;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (attempt > 0) {
      // Back off (1, 2, 4 ... 64 ms) so that a store flushing in quick
      // succession does not use up every attempt within a few milliseconds.
      std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt - 1, 6)));
    }
    s = TryLoad(store_dir, decoder, signal, out);
    if (s.code() != Status::Code::kUnavailable) return s;
  }
  return s.WithContext("store kept changing while loading a snapshot");
}

}  // namespace otelstack
