// FlushSink: where a store without parts sends its flushed memtables (the
// ClickHouse backend: clickhouse/clickhouse_sink.h).
//
// With StoreOptions::sink set, the store keeps its write-ahead log, group
// commit, memtable and back-pressure exactly as without one, but a flush
// hands the memtable's batches to the sink instead of writing parts, and the
// WAL checkpoint advances only once the sink has returned OK. So an
// acknowledged request is in the WAL until the sink has stored it, and a
// failing sink (the server down) makes the store retry the same batches and,
// once the unflushed data reaches max_unflushed_bytes, refuse new requests
// with Unavailable.
//
// Every batch carries an id that identifies its WAL record: the same id when
// the record is replayed after a restart, different for different records.
// A sink uses it to store each batch at most once even when a flush is
// retried or replayed after a crash (the sink may have stored some or all of
// the batches before the failure).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "store/schema/row_batch.h"

namespace otelstack {

// (WAL segment id << kWalOffsetBits) | end offset of the record in its
// segment. Unique because segments never reuse ids and a record's end offset
// is fixed once written (a damaged earlier record does not move it).
inline constexpr int kWalOffsetBits = 36;  // segments up to 64 GiB
inline uint64_t WalRecordId(uint64_t segment_id, uint64_t end_offset) {
  return (segment_id << kWalOffsetBits) | end_offset;
}

struct SinkBatch {
  std::shared_ptr<const RowBatch> rows;
  uint64_t id = 0;  // WalRecordId
};

class FlushSink {
 public:
  virtual ~FlushSink() = default;

  // Stores every row of `batches` (any signals, in WAL order) durably and
  // returns OK, or returns an error after which the store calls Write again
  // later with the same batches (possibly more). `retry` is true when some of
  // these batches may already have been stored by an earlier call or before
  // a restart (a retried or replayed flush): the sink must then not store
  // them twice. Called from one thread at a time.
  virtual Status Write(const std::vector<SinkBatch>& batches, bool retry) = 0;
};

}  // namespace otelstack
