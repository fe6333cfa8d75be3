// WalEntry: what the store writes into the write-ahead log for one accepted
// export request: the request body as received (after decompression) plus
// what is needed to decode it again deterministically on replay.
//
// Keeping the compact request body instead of decoded rows keeps the log
// small (no per-row copies of resource attributes) and the write cheap. The
// store does not interpret `format` or `payload`; a PayloadDecoder supplied
// by the caller (ingest/) turns an entry back into rows.
//
// Serialized form: u8 version (1), u8 signal, u8 format, u64 LE receive time,
// then the payload bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/schema/row_batch.h"

namespace otelstack {

struct WalEntry {
  Signal signal = Signal::kLogs;
  uint8_t format = 0;  // opaque to the store (otlp::Encoding)
  uint64_t receive_time_ns = 0;
  std::string_view payload;

  static constexpr size_t kHeaderSize = 11;
  // Returns the header: a record is it followed by the payload (the store
  // writes the two without joining them).
  std::string SerializeHeader() const;
  // The returned entry's payload points into `record`.
  static Status Parse(std::string_view record, WalEntry* out);
};

// Decodes a logged entry into rows; must produce the same rows as when the
// request was first accepted.
using PayloadDecoder = std::function<Status(const WalEntry& entry, std::shared_ptr<const RowBatch>* out)>;

}  // namespace otelstack
