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

}  // namespace

ZSTD_CCtx_s* ThreadZstdCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  return ctx.get();
}

ZSTD_DCtx_s* ThreadZstdDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

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
Status ZstdDictionary::Compress(std::string_view raw, int level, std::string* out) const {
  std::call_once(cdict_once_, [&] { cdict_ = ZSTD_createCDict_byReference(content_.data(), content_.size(), level); });
  const ZSTD_CDict* cdict = cdict_;
  if (cdict == nullptr) return Status::Internal("zstd: cannot create a compression dictionary");
  ZSTD_CCtx* c = ThreadZstdCCtx();
  ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
  size_t r = ZSTD_CCtx_refCDict(c, cdict);
  if (!ZSTD_isError(r)) r = ZSTD_CCtx_setParameter(c, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
  if (ZSTD_isError(r)) return Status::Internal(std::string("zstd dictionary: ") + ZSTD_getErrorName(r));
  out->resize(ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress2(c, out->data(), out->size(), raw.data(), raw.size());
  // The context is shared: it must not keep a dictionary that may go away,
  // nor parameters other users do not expect.
  ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
  if (ZSTD_isError(n)) return Status::Internal(std::string("zstd compress: ") + ZSTD_getErrorName(n));
  out->resize(n);
  return Status::OK();
}

Status ZstdDictionary::Decompress(std::string_view frame, size_t raw_size, std::string* out) const {
  std::call_once(ddict_once_, [&] { ddict_ = ZSTD_createDDict_byReference(content_.data(), content_.size()); });
  const ZSTD_DDict* ddict = ddict_;
  if (ddict == nullptr) return Status::Internal("zstd: cannot create a decompression dictionary");
  if (ZSTD_getFrameContentSize(frame.data(), frame.size()) != raw_size) {
    return Status::Corruption("zstd frame size disagrees with the block");
  }
  out->resize(raw_size);
  const size_t n =
      ZSTD_decompress_usingDDict(ThreadZstdDCtx(), out->data(), raw_size, frame.data(), frame.size(), ddict);
  if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != raw_size) return Status::Corruption("decompressed size mismatch");
  return Status::OK();
}

}  // namespace otelstack
