// Bounded gzip decompression for request bodies.
//
// A request body is inflated into memory only up to `max_output` bytes: a
// "gzip bomb" (a small body that inflates to gigabytes) is cut off as soon as
// the limit is crossed, with ResourceExhausted, never inflated in full.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace otelstack::ingest {

// Decompresses gzip (or zlib) `input` into *out. Errors: InvalidArgument for
// corrupt input, ResourceExhausted when the output would exceed max_output.
Status GunzipBounded(std::string_view input, size_t max_output, std::string* out);

}  // namespace otelstack::ingest
