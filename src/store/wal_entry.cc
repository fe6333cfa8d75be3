#include "store/wal_entry.h"

#include "common/varint.h"

namespace otelstack {

namespace {
constexpr uint8_t kVersion = 1;
}

std::string WalEntry::SerializeHeader() const {
  std::string header;
  header.reserve(kHeaderSize);
  header.push_back(static_cast<char>(kVersion));
  header.push_back(static_cast<char>(signal));
  header.push_back(static_cast<char>(format));
  PutFixed64(&header, receive_time_ns);
  return header;
}

Status WalEntry::Parse(std::string_view record, WalEntry* out) {
  if (record.size() < kHeaderSize) return Status::Corruption("wal entry: shorter than its header");
  if (static_cast<uint8_t>(record[0]) != kVersion) {
    return Status::Corruption("wal entry: unknown version " + std::to_string(static_cast<uint8_t>(record[0])));
  }
  uint8_t signal = static_cast<uint8_t>(record[1]);
  if (signal > static_cast<uint8_t>(Signal::kMetrics)) return Status::Corruption("wal entry: unknown signal");
  out->signal = static_cast<Signal>(signal);
  out->format = static_cast<uint8_t>(record[2]);
  out->receive_time_ns = DecodeFixed64(record.data() + 3);
  out->payload = record.substr(kHeaderSize);
  return Status::OK();
}

}  // namespace otelstack
