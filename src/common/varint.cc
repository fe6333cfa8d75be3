#include "common/varint.h"

namespace otelstack::internal {

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
