#include "store/column_codec.h"

#include <zstd.h>

#include <algorithm>
#include <bit>
#include <memory>
#include <unordered_map>

#include "common/varint.h"

namespace otelstack {

namespace {

using part_format::BlockCompression;

// Below this size a zstd frame header costs more than it could save.
constexpr size_t kMinCompressibleBytes = 16;

size_t VarintLength(uint64_t v) { return v < 0x80 ? 1 : (static_cast<size_t>(std::bit_width(v)) + 6) / 7; }

// Smallest number of bytes (1..8) that holds v.
int BytesNeeded(uint64_t v) { return v == 0 ? 1 : (std::bit_width(v) + 7) / 8; }

uint64_t DeltaCode(uint64_t prev, uint64_t cur) { return ZigZagEncode(static_cast<int64_t>(cur - prev)); }

Status Malformed(ColumnEncoding e, std::string_view what) {
  return Status::Corruption(std::string("malformed ") + std::string(ColumnEncodingName(e)) +
                            " block: " + std::string(what));
}

// ---- Fixed columns -------------------------------------------------------

void EncodeFrame(std::span<const uint64_t> values, uint64_t min, int width, std::string* out) {
  PutVarint64(out, min);
  out->push_back(static_cast<char>(width));
  size_t start = out->size();
  out->resize(start + values.size() * width);
  char* p = out->data() + start;
  for (uint64_t v : values) {
    uint64_t d = v - min;
    for (int b = 0; b < width; ++b) *p++ = static_cast<char>(d >> (8 * b));
  }
}

Status DecodeFrame(std::string_view in, size_t rows, std::vector<uint64_t>* out) {
  constexpr ColumnEncoding e = ColumnEncoding::kFixedFrame;
  uint64_t min;
  if (!GetVarint64(&in, &min) || in.empty()) return Malformed(e, "truncated header");
  int width = static_cast<unsigned char>(in[0]);
  in.remove_prefix(1);
  if (width < 1 || width > 8) return Malformed(e, "bad width");
  if (in.size() != rows * width) return Malformed(e, "size does not match row count");
  const char* p = in.data();
  size_t start = out->size();
  out->resize(start + rows);
  uint64_t* dst = out->data() + start;
  for (size_t i = 0; i < rows; ++i) {
    uint64_t d = 0;
    for (int b = 0; b < width; ++b) d |= static_cast<uint64_t>(static_cast<unsigned char>(*p++)) << (8 * b);
    dst[i] = min + d;
  }
  return Status::OK();
}

Status DecodeDelta(std::string_view in, size_t rows, std::vector<uint64_t>* out) {
  constexpr ColumnEncoding e = ColumnEncoding::kFixedDelta;
  size_t start = out->size();
  out->resize(start + rows);
  uint64_t* dst = out->data() + start;
  uint64_t prev = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint64_t code;
    if (!GetVarint64(&in, &code)) {
      out->resize(start);
      return Malformed(e, "truncated");
    }
    prev = i == 0 ? code : prev + static_cast<uint64_t>(ZigZagDecode(code));
    dst[i] = prev;
  }
  if (!in.empty()) {
    out->resize(start);
    return Malformed(e, "trailing bytes");
  }
  return Status::OK();
}

// ---- Bytes columns -------------------------------------------------------

// Reads `count` varint lengths from the front of *in and returns their sum.
bool ReadLengths(std::string_view* in, size_t count, std::vector<uint32_t>* lengths, uint64_t* total) {
  lengths->resize(count);
  *total = 0;
  for (size_t i = 0; i < count; ++i) {
    uint64_t len;
    if (!GetVarint64(in, &len) || len > part_format::kMaxBlockRawBytes) return false;
    (*lengths)[i] = static_cast<uint32_t>(len);
    *total += len;
  }
  return true;
}

bool FitsIn32(const std::string& data, uint64_t more) { return data.size() + more <= 0xFFFFFFFFull; }

Status DecodeBytesPlain(std::string_view in, size_t rows, std::vector<uint32_t>* ends, std::string* data) {
  constexpr ColumnEncoding e = ColumnEncoding::kBytesPlain;
  std::vector<uint32_t> lengths;
  uint64_t total;
  if (!ReadLengths(&in, rows, &lengths, &total)) return Malformed(e, "truncated lengths");
  if (total != in.size()) return Malformed(e, "lengths do not match data size");
  if (!FitsIn32(*data, total)) return Status::ResourceExhausted("bytes column exceeds 4 GiB");
  uint32_t end = static_cast<uint32_t>(data->size());
  data->append(in.data(), in.size());
  size_t start = ends->size();
  ends->resize(start + rows);
  for (size_t i = 0; i < rows; ++i) (*ends)[start + i] = end += lengths[i];
  return Status::OK();
}

Status DecodeBytesDict(std::string_view in, size_t rows, std::vector<uint32_t>* ends, std::string* data) {
  constexpr ColumnEncoding e = ColumnEncoding::kBytesDict;
  uint64_t count;
  if (!GetVarint64(&in, &count) || count == 0 || count > kMaxDictEntries) return Malformed(e, "bad dictionary size");
  std::vector<uint32_t> lengths;
  uint64_t dict_bytes;
  if (!ReadLengths(&in, count, &lengths, &dict_bytes) || dict_bytes > in.size()) {
    return Malformed(e, "truncated dictionary");
  }
  // Dictionary entry k spans [starts[k], starts[k] + lengths[k]) of `dict`.
  std::string_view dict = in.substr(0, dict_bytes);
  in.remove_prefix(dict_bytes);
  std::vector<uint32_t> starts(count);
  for (size_t k = 1; k < count; ++k) starts[k] = starts[k - 1] + lengths[k - 1];

  std::vector<uint32_t> indexes(rows);
  uint64_t total = 0;
  for (size_t i = 0; i < rows; ++i) {
    uint64_t index;
    if (!GetVarint64(&in, &index) || index >= count) return Malformed(e, "bad index");
    indexes[i] = static_cast<uint32_t>(index);
    total += lengths[index];
  }
  if (!in.empty()) return Malformed(e, "trailing bytes");
  if (!FitsIn32(*data, total)) return Status::ResourceExhausted("bytes column exceeds 4 GiB");

  size_t start = ends->size();
  ends->resize(start + rows);
  size_t pos = data->size();
  data->resize(pos + total);
  char* dst = data->data();
  for (size_t i = 0; i < rows; ++i) {
    uint32_t k = indexes[i];
    std::copy_n(dict.data() + starts[k], lengths[k], dst + pos);
    pos += lengths[k];
    (*ends)[start + i] = static_cast<uint32_t>(pos);
  }
  return Status::OK();
}

// ---- zstd contexts, one per thread ----------------------------------------

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

std::string_view ColumnEncodingName(ColumnEncoding e) {
  switch (e) {
    case ColumnEncoding::kFixedConstant:
      return "fixed-constant";
    case ColumnEncoding::kFixedPlain:
      return "fixed-plain";
    case ColumnEncoding::kFixedDelta:
      return "fixed-delta";
    case ColumnEncoding::kFixedFrame:
      return "fixed-frame";
    case ColumnEncoding::kBytesConstant:
      return "bytes-constant";
    case ColumnEncoding::kBytesPlain:
      return "bytes-plain";
    case ColumnEncoding::kBytesDict:
      return "bytes-dict";
  }
  return "unknown-encoding";
}

ColumnEncoding EncodeFixedColumn(std::span<const uint64_t> values, std::string* out) {
  out->clear();
  const size_t n = values.size();
  uint64_t min = values[0], max = values[0];
  size_t delta_bytes = VarintLength(values[0]);
  for (size_t i = 1; i < n; ++i) {
    min = std::min(min, values[i]);
    max = std::max(max, values[i]);
    delta_bytes += VarintLength(DeltaCode(values[i - 1], values[i]));
  }
  if (min == max) {
    PutFixed64(out, min);
    return ColumnEncoding::kFixedConstant;
  }
  const int width = BytesNeeded(max - min);
  const size_t frame_bytes = VarintLength(min) + 1 + n * width;
  const size_t plain_bytes = n * 8;
  // Ties go to the encoding that decodes fastest: plain, then frame.
  if (plain_bytes <= frame_bytes && plain_bytes <= delta_bytes) {
    out->reserve(plain_bytes);
    for (uint64_t v : values) PutFixed64(out, v);
    return ColumnEncoding::kFixedPlain;
  }
  if (frame_bytes <= delta_bytes) {
    out->reserve(frame_bytes);
    EncodeFrame(values, min, width, out);
    return ColumnEncoding::kFixedFrame;
  }
  out->reserve(delta_bytes);
  PutVarint64(out, values[0]);
  for (size_t i = 1; i < n; ++i) PutVarint64(out, DeltaCode(values[i - 1], values[i]));
  return ColumnEncoding::kFixedDelta;
}

Status DecodeFixedColumn(ColumnEncoding encoding, std::string_view block, size_t rows, std::vector<uint64_t>* out) {
  switch (encoding) {
    case ColumnEncoding::kFixedConstant:
      if (block.size() != 8) return Malformed(encoding, "size is not 8");
      out->insert(out->end(), rows, DecodeFixed64(block.data()));
      return Status::OK();
    case ColumnEncoding::kFixedPlain: {
      if (block.size() != rows * 8) return Malformed(encoding, "size does not match row count");
      size_t start = out->size();
      out->resize(start + rows);
      for (size_t i = 0; i < rows; ++i) (*out)[start + i] = DecodeFixed64(block.data() + 8 * i);
      return Status::OK();
    }
    case ColumnEncoding::kFixedDelta:
      return DecodeDelta(block, rows, out);
    case ColumnEncoding::kFixedFrame:
      return DecodeFrame(block, rows, out);
    default:
      return Status::Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                                " is not a fixed column encoding");
  }
}

ColumnEncoding EncodeBytesColumn(const BytesColumnView& values, std::string* out) {
  out->clear();
  const size_t n = values.size();
  const std::string_view first = values.value(0);
  bool all_equal = true;
  size_t plain_bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    std::string_view v = values.value(i);
    all_equal = all_equal && v == first;
    plain_bytes += VarintLength(v.size()) + v.size();
  }
  if (all_equal) {
    out->assign(first);
    return ColumnEncoding::kBytesConstant;
  }

  // Try a dictionary; give up as soon as it has too many entries.
  std::unordered_map<std::string_view, uint32_t> index_of;
  std::vector<std::string_view> dict;
  std::vector<uint32_t> indexes(n);
  size_t dict_bytes = 0;
  bool use_dict = true;
  for (size_t i = 0; i < n && use_dict; ++i) {
    std::string_view v = values.value(i);
    auto [it, inserted] = index_of.try_emplace(v, static_cast<uint32_t>(dict.size()));
    if (inserted) {
      if (dict.size() == kMaxDictEntries) {
        use_dict = false;
        break;
      }
      dict.push_back(v);
      dict_bytes += VarintLength(v.size()) + v.size();
    }
    indexes[i] = it->second;
    dict_bytes += VarintLength(it->second);
  }
  if (use_dict && VarintLength(dict.size()) + dict_bytes < plain_bytes) {
    out->reserve(VarintLength(dict.size()) + dict_bytes);
    PutVarint64(out, dict.size());
    for (std::string_view v : dict) PutVarint64(out, v.size());
    for (std::string_view v : dict) out->append(v);
    for (uint32_t k : indexes) PutVarint64(out, k);
    return ColumnEncoding::kBytesDict;
  }

  out->reserve(plain_bytes);
  for (size_t i = 0; i < n; ++i) PutVarint64(out, values.value(i).size());
  uint32_t begin = values.begin;
  out->append(values.data + begin, values.ends[n - 1] - begin);
  return ColumnEncoding::kBytesPlain;
}

Status DecodeBytesColumn(ColumnEncoding encoding, std::string_view block, size_t rows, std::vector<uint32_t>* ends,
                         std::string* data) {
  switch (encoding) {
    case ColumnEncoding::kBytesConstant: {
      if (!FitsIn32(*data, static_cast<uint64_t>(block.size()) * rows)) {
        return Status::ResourceExhausted("bytes column exceeds 4 GiB");
      }
      size_t start = ends->size();
      ends->resize(start + rows);
      data->reserve(data->size() + block.size() * rows);
      for (size_t i = 0; i < rows; ++i) {
        data->append(block);
        (*ends)[start + i] = static_cast<uint32_t>(data->size());
      }
      return Status::OK();
    }
    case ColumnEncoding::kBytesPlain:
      return DecodeBytesPlain(block, rows, ends, data);
    case ColumnEncoding::kBytesDict:
      return DecodeBytesDict(block, rows, ends, data);
    default:
      return Status::Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                                " is not a bytes column encoding");
  }
}

Status CompressBlock(std::string_view raw, int level, std::string* stored, BlockCompression* compression) {
  if (raw.size() >= kMinCompressibleBytes) {
    stored->resize(ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compressCCtx(ThreadCCtx(), stored->data(), stored->size(), raw.data(), raw.size(), level);
    if (ZSTD_isError(n)) return Status::Internal(std::string("zstd compress: ") + ZSTD_getErrorName(n));
    if (n < raw.size()) {
      stored->resize(n);
      *compression = BlockCompression::kZstd;
      return Status::OK();
    }
  }
  stored->assign(raw);
  *compression = BlockCompression::kNone;
  return Status::OK();
}

Status DecompressBlock(BlockCompression compression, std::string_view stored, size_t raw_size, std::string* scratch,
                       std::string_view* raw) {
  switch (compression) {
    case BlockCompression::kNone:
      if (stored.size() != raw_size) return Status::Corruption("uncompressed block size mismatch");
      *raw = stored;
      return Status::OK();
    case BlockCompression::kZstd: {
      scratch->resize(raw_size);
      size_t n = ZSTD_decompressDCtx(ThreadDCtx(), scratch->data(), raw_size, stored.data(), stored.size());
      if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
      if (n != raw_size) return Status::Corruption("decompressed block size mismatch");
      *raw = *scratch;
      return Status::OK();
    }
  }
  return Status::Corruption("unknown block compression " + std::to_string(static_cast<int>(compression)));
}

}  // namespace otelstack
