// ClickHouseSink: the store's FlushSink (store/flush_sink.h) for the
// ClickHouse backend — `otelstack serve --storage clickhouse`.
//
// The store keeps its WAL in front: an OTLP request is acknowledged once it
// is in the WAL, and the store hands each flushed memtable to Write, retrying
// with backoff while ClickHouse is down (and refusing new requests with 503 /
// UNAVAILABLE once its unflushed-data bound is reached). Write sends one
// RowBinary INSERT per destination table (clickhouse/table_layout.h
// EncodeInserts); every row carries its WAL record's id in `InsertId`.
//
// Exactly once: a retried or replayed Write (retry == true) may follow an
// INSERT whose outcome is unknown (ClickHouse or otelstack died mid-request).
// Before sending, it asks each table which of the batch's InsertIds it holds
// and how many rows of each (time-pruned so the lookup reads few granules):
//   - all of an id's rows present: that id is not sent again;
//   - none: the id's rows are sent;
//   - some (an INSERT split into several parts, one per partition, was cut
//     short): the rows already present are matched by their nanosecond time
//     and only the others are sent.
// ClickHouse writes each part of an INSERT atomically, so a row is either
// fully present or absent.
//
// With a cluster (SchemaOptions::cluster) the INSERTs go to the Distributed
// tables with insert_distributed_sync=1, so they return once every shard
// stored its rows.
//
// The layout (modern or compat) is chosen from the server's version on the
// first Write that reaches the server, unless forced, and the tables are
// created then (EnsureSchema) — so otelstack starts, and accepts data, while
// ClickHouse is still down.
//
// Thread safety: Write is called from the store's flusher thread only;
// layout() may be called from any thread.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clickhouse/http_client.h"
#include "clickhouse/table_layout.h"
#include "store/flush_sink.h"

namespace otelstack::clickhouse {

struct SinkOptions {
  ConnectionOptions connection;
  SchemaOptions schema;                // schema.layout is ignored unless force_layout
  std::optional<Layout> force_layout;  // unset: from the server version
  bool compress = true;                // gzip INSERT bodies
};

struct SinkStats {
  uint64_t inserts = 0;          // INSERT statements that succeeded
  uint64_t rows = 0;             // rows inserted
  uint64_t skipped_present = 0;  // rows not resent because a retry found them stored
  uint64_t failed_writes = 0;    // Write calls that returned an error
};

class ClickHouseSink : public FlushSink {
 public:
  explicit ClickHouseSink(SinkOptions options);

  Status Write(const std::vector<SinkBatch>& batches, bool retry) override;

  // Detects the layout and creates missing tables, once (Write does it too
  // when it has not succeeded yet). The server calls it at startup so that
  // queries find the tables before the first flush.
  Status Prepare();

  // The layout in use, once the first Write reached the server.
  std::optional<Layout> layout() const;
  SinkStats stats() const;

 private:
  Status WriteSignal(Signal signal, const std::vector<SinkBatch>& batches, bool retry);
  // The rows of `batches` that `table` still lacks, as new batches (only
  // batches with missing rows are kept).
  Status MissingRows(const InsertBatch& insert, Signal signal, const std::vector<SinkBatch>& batches,
                     std::vector<SinkBatch>* missing);

  SinkOptions options_;
  Client client_;
  bool prepared_ = false;  // flusher thread only
  mutable std::mutex mu_;  // guards layout_ and stats_
  std::optional<Layout> layout_;
  SinkStats stats_;
};

}  // namespace otelstack::clickhouse
