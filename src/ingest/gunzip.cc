#include "ingest/gunzip.h"

#include <zlib.h>

namespace otelstack::ingest {

Status GunzipBounded(std::string_view input, size_t max_output, std::string* out) {
  out->clear();
  z_stream zs{};
  // 15 + 32: accept both gzip and zlib headers.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::Internal("inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  size_t chunk = std::min<size_t>(std::max<size_t>(input.size() * 4, 64 * 1024), max_output + 1);
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (out->size() > max_output) {
      inflateEnd(&zs);
      return Status::ResourceExhausted("decompressed body exceeds " + std::to_string(max_output) + " bytes");
    }
    size_t old = out->size();
    size_t grow = std::min(chunk, max_output + 1 - old);
    if (grow == 0) grow = 1;
    out->resize(old + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + old);
    zs.avail_out = static_cast<uInt>(grow);
    rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(old + grow - zs.avail_out);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) {
      inflateEnd(&zs);
      if (rc == Z_BUF_ERROR && zs.avail_in == 0) return Status::InvalidArgument("gzip body is truncated");
      return Status::InvalidArgument(std::string("gzip body is corrupt: ") + (zs.msg ? zs.msg : "inflate error"));
    }
    chunk = std::min<size_t>(chunk * 2, 16u << 20);
  }
  inflateEnd(&zs);
  if (out->size() > max_output) {
    return Status::ResourceExhausted("decompressed body exceeds " + std::to_string(max_output) + " bytes");
  }
  return Status::OK();
}

}  // namespace otelstack::ingest
