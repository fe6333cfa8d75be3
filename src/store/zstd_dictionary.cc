#include "store/zstd_dictionary.h"

// For ZSTD_c_forceAttachDict and the dictionaries by reference (the tables
// view content_, which outlives them): zstd's experimental API, which the
// shared library exports (Debian 12: libzstd 1.5.4).
#define ZSTD_STATIC_LINKING_ONLY
#include <xxhash.h>
#include <zstd.h>

#include <memory>

namespace otelstack {

namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

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
    n = ZSTD_compressCCtx(c, out->data(), out->size(), raw.data(), raw.size(), level);
  } else {
    const ZSTD_CDict* cdict = dictionary->CompressionTables(level);
    if (cdict == nullptr) return Status::Internal("zstd: cannot create a compression dictionary");
    ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
    n = ZSTD_CCtx_refCDict(c, cdict);
    if (!ZSTD_isError(n)) n = ZSTD_CCtx_setParameter(c, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
    if (!ZSTD_isError(n)) n = ZSTD_compress2(c, out->data(), out->size(), raw.data(), raw.size());
    // The context is the thread's: it must not keep a dictionary that may
    // go away, nor parameters other calls do not expect.
    ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
  }
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
