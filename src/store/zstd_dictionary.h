// Part dictionaries: zstd raw-content dictionaries that a part stores once,
// in its footer, and that the zstd frames of its later granules refer to.
//
// Every granule of a part repeats much of what the others hold: the log
// bodies' message templates, the attribute maps' keys and shapes, the pods'
// resource attributes. A granule is compressed on its own (it is read on its
// own), so it pays for all of that again. With a dictionary made of what the
// part's first granule compressed, zstd codes those repeats in a later
// granule as references into the dictionary. Nothing else changes: a
// dictionary only helps the compressor, and which one a block used is named
// in the block (part_format.h), so blocks copied by a merge keep theirs.
//
// A dictionary is identified by the XXH3-64 of its content. Compressing
// attaches the dictionary's tables to the context rather than copying them
// (a copy per block would cost more than the compression).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace otelstack {

// A dictionary's content is at most this size: granule 0's compressible
// streams beyond it add little.
inline constexpr size_t kMaxZstdDictionaryBytes = 64 * 1024;

class ZstdDictionary {
 public:
  // REQUIRES: content not empty.
  explicit ZstdDictionary(std::string content);
  ~ZstdDictionary();
  ZstdDictionary(const ZstdDictionary&) = delete;
  ZstdDictionary& operator=(const ZstdDictionary&) = delete;

  uint64_t id() const { return id_; }
  const std::string& content() const { return content_; }
  static uint64_t IdOf(std::string_view content);

 private:
  friend Status ZstdCompress(std::string_view, int, const ZstdDictionary*, std::string*);
  friend Status ZstdDecompress(std::string_view, size_t, const ZstdDictionary*, std::string*);
  // zstd's tables for the dictionary, created on first use (null when zstd
  // could not); compression at the level of the first call (ZstdCompress
  // always asks the same one). Thread-safe.
  const ZSTD_CDict_s* CompressionTables(int level) const;
  const ZSTD_DDict_s* DecompressionTables() const;

  const std::string content_;
  const uint64_t id_;
  // Created on first use (null when zstd could not).
  mutable std::once_flag cdict_once_, ddict_once_;
  mutable ZSTD_CDict_s* cdict_ = nullptr;
  mutable ZSTD_DDict_s* ddict_ = nullptr;
};

// The store's zstd calls (on contexts of the calling thread). ZstdCompress
// writes `raw` as one frame at `level` into *out, referring to `dictionary`
// when not null (REQUIRES: its content begins with a zero byte, see the
// .cc); the .cc says how it departs from zstd's parameters for `level`
// (shorter matches; a faster level with a dictionary). ZstdDecompress
// decompresses a frame that must hold exactly `raw_size` bytes, with the
// dictionary it refers to if any, into *out.
Status ZstdCompress(std::string_view raw, int level, const ZstdDictionary* dictionary, std::string* out);
Status ZstdDecompress(std::string_view frame, size_t raw_size, const ZstdDictionary* dictionary, std::string* out);

// How an encoder compresses the streams it compresses itself (text templates,
// shredded attribute maps).
struct StreamCompression {
  int level = 3;
  // When set, every zstd frame written refers to it, and *used_dictionary
  // (when given) becomes true once one was.
  const ZstdDictionary* dictionary = nullptr;
  bool* used_dictionary = nullptr;
  // When set, the raw bytes of streams that zstd compressed well are
  // appended here (up to kMaxZstdDictionaryBytes): a dictionary's content.
  std::string* record = nullptr;
};

}  // namespace otelstack
