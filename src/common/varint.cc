#include "common/varint.h"

namespace otelstack::internal {

void PutVarint64Long(std::string* out, uint64_t v) {
  if (v < (uint64_t{1} << 14)) {  // two bytes (template numbers, most deltas): no copy through a buffer
    out->push_back(static_cast<char>(v | 0x80));
    out->push_back(static_cast<char>(v >> 7));
    return;
  }
  char buf[kMaxVarint64Bytes];
  out->append(buf, EncodeVarint64(buf, v) - buf);
}

size_t ReadVarint64Long(std::string_view in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < in.size() && i < 10; ++i) {
    const uint64_t byte = static_cast<unsigned char>(in[i]);
    result |= (byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) {
      *v = result;
      return i + 1;
    }
  }
  return 0;
}

}  // namespace otelstack::internal
