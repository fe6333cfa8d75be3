#include "store/zstd_dictionary.h"

// For ZSTD_c_forceAttachDict and the dictionaries by reference (the tables
// view content_, which outlives them): zstd's experimental API, which the
// shared library exports (Debian 12: libzstd 1.5.4).
#define ZSTD_STATIC_LINKING_ONLY
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <memory>

namespace otelstack {

namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// The store's frames are small (a granule's stream: a few KB to a few tens
// of KB) and what repeats in them is short: ids, codes, template words. Two
// departures from zstd's parameters for a level follow from that, both
// measured on the synthetic logs (bench/pipeline_bench.cc, 400k records):
//
// - Matches of 4 bytes count. Level 3 asks 5 of frames of 16 KB to 128 KB
//   (4 of smaller ones); 4 makes the frames without a dictionary 0.7 %
//   smaller at the same speed.
// - Frames with a part dictionary are compressed at a level of at most 1.
//   The level of the dictionary's tables is the frame's, and level 3's
//   (double-fast strategy, 2^16 + 2^15 entries for a dictionary of 16 KB
//   or more) cost these small frames twice the time of level 1's (fast
//   strategy, 2^13 entries) for 0.3 % smaller frames.
//
// Together the frames come out about the same size (parts of logs
// +0.004 %, of spans +0.13 %) in about 35 % less zstd time.
constexpr int kMaxMinMatch = 4;
constexpr int kMaxDictionaryLevel = 1;

ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  return ctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

}  // namespace

ZstdDictionary::ZstdDictionary(std::string content) : content_(std::move(content)), id_(IdOf(content_)) {}

ZstdDictionary::~ZstdDictionary() {
  ZSTD_freeCDict(cdict_);
  ZSTD_freeDDict(ddict_);
}

uint64_t ZstdDictionary::IdOf(std::string_view content) { return XXH3_64bits(content.data(), content.size()); }

// zstd reads content that begins with its dictionary magic number as a
// formatted dictionary; a raw-content dictionary must not. Callers build
// contents that begin with a zero byte (the magic's first byte is 0x37), and
// the constructors below then take them as raw content.
const ZSTD_CDict* ZstdDictionary::CompressionTables(int level) const {
  std::call_once(cdict_once_, [&] { cdict_ = ZSTD_createCDict_byReference(content_.data(), content_.size(), level); });
  return cdict_;
}

const ZSTD_DDict* ZstdDictionary::DecompressionTables() const {
  std::call_once(ddict_once_, [&] { ddict_ = ZSTD_createDDict_byReference(content_.data(), content_.size()); });
  return ddict_;
}

Status ZstdCompress(std::string_view raw, int level, const ZstdDictionary* dictionary, std::string* out) {
  ZSTD_CCtx* c = ThreadCCtx();
  out->resize(ZSTD_compressBound(raw.size()));
  size_t n;
  if (dictionary == nullptr) {
    n = ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
    if (!ZSTD_isError(n) && ZSTD_getCParams(level, raw.size(), 0).minMatch > kMaxMinMatch) {
      n = ZSTD_CCtx_setParameter(c, ZSTD_c_minMatch, kMaxMinMatch);
    }
  } else {
    const ZSTD_CDict* cdict = dictionary->CompressionTables(std::min(level, kMaxDictionaryLevel));
    if (cdict == nullptr) return Status::Internal("zstd: cannot create a compression dictionary");
    n = ZSTD_CCtx_refCDict(c, cdict);
    if (!ZSTD_isError(n)) n = ZSTD_CCtx_setParameter(c, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
  }
  if (!ZSTD_isError(n)) n = ZSTD_compress2(c, out->data(), out->size(), raw.data(), raw.size());
  // The context is the thread's: it must not keep a dictionary that may go
  // away, nor parameters the next call does not expect.
  ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
  if (ZSTD_isError(n)) return Status::Internal(std::string("zstd compress: ") + ZSTD_getErrorName(n));
  out->resize(n);
  return Status::OK();
}

Status ZstdDecompress(std::string_view frame, size_t raw_size, const ZstdDictionary* dictionary, std::string* out) {
  const ZSTD_DDict* ddict = dictionary == nullptr ? nullptr : dictionary->DecompressionTables();
  if (dictionary != nullptr && ddict == nullptr)
    return Status::Internal("zstd: cannot create a decompression dictionary");
  out->resize(raw_size);
  const size_t n =
      ddict == nullptr
          ? ZSTD_decompressDCtx(ThreadDCtx(), out->data(), raw_size, frame.data(), frame.size())
          : ZSTD_decompress_usingDDict(ThreadDCtx(), out->data(), raw_size, frame.data(), frame.size(), ddict);
  if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != raw_size) return Status::Corruption("decompressed block size mismatch");
  return Status::OK();
}

}  // namespace otelstack
