#include "store/column_codec.h"

#include <xxhash.h>
#include <zstd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>
#include <tuple>

#include "common/any_value.h"
#include "common/bytes_equal.h"
#include "common/string_index.h"
#include "common/varint.h"
#include "store/bit_stream.h"
#include "store/decimal.h"
#include "store/list_items_codec.h"
#include "store/rans_codec.h"
#include "store/recent_value_codec.h"
#include "store/rice_codec.h"
#include "store/text_template_codec.h"

namespace otelstack {

namespace {

// The layout of a text-template block stored as encoding `e`.
TextTemplateLayout TextTemplateLayoutOf(ColumnEncoding e) {
  switch (e) {
    case ColumnEncoding::kBytesTextTemplateOneNumberStream:
      return TextTemplateLayout::kOneNumberStream;
    case ColumnEncoding::kBytesTextTemplateCodedRows:
      return TextTemplateLayout::kCodedRows;
    default:
      return TextTemplateLayout::kNumberContexts;
  }
}

constexpr size_t kDictSampleRows = 512;
constexpr size_t kDictSampleMaxDistinct = 384;
// A string field whose dictionary holds more than 1/8 of its values as
// distinct entries is also tried as templates (PutByteValues).
constexpr size_t kTemplateTrialDistinctShare = 8;

using part_format::BlockCompression;

// Below this size a zstd frame header costs more than it could save.
constexpr size_t kMinCompressibleBytes = 16;

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

// kFixedRice modes (column_codec.h).
// Rice codes are not tried when more than 1/kMaxRiceRepeatShare of the
// residuals repeat the previous one.
constexpr size_t kMaxRiceRepeatShare = 16;
// Modes 2 and 3 hold the residuals of modes 0 and 1 as bucket symbols and
// raw low bits (PutBucketedResiduals) instead of Rice codes.
enum class RiceMode : uint8_t {
  kSortedDeltas = 0,
  kOffsetsFromMin = 1,
  kSortedDeltasBucketed = 2,
  kOffsetsFromMinBucketed = 3
};

// Bucketed residuals: a residual v below kSmallResiduals is its own symbol;
// a larger one of bit width w is symbol kSmallResiduals + 8 (w - 5) + (its
// three bits below the top one), followed by its w - 4 low bits as they are.
// Rice codes fit geometric residuals (gaps between independent events);
// spread over orders of magnitude (durations) or uniform over a range
// (delays), residuals cost their bucket's entropy plus the raw bits, within
// a few hundredths of a bit of their own entropy.
constexpr uint32_t kSmallResiduals = 16;
constexpr uint32_t kResidualBuckets = kSmallResiduals + 8 * (64 - 4);

uint32_t ResidualBucket(uint64_t v, int* raw_bits) {
  if (v < kSmallResiduals) {
    *raw_bits = 0;
    return static_cast<uint32_t>(v);
  }
  const int w = std::bit_width(v);
  *raw_bits = w - 4;
  return kSmallResiduals + 8 * (w - 5) + static_cast<uint32_t>((v >> (w - 4)) & 7);
}

// How many raw bits follow a residual of bucket `symbol`.
int RawBitsOfBucket(uint32_t symbol) {
  return symbol < kSmallResiduals ? 0 : static_cast<int>((symbol - kSmallResiduals) / 8) + 1;
}

// The buckets of a block's residuals, computed once for its size and its
// writing.
struct ResidualBuckets {
  std::vector<uint16_t> symbols;  // each residual's bucket
  std::vector<uint32_t> counts;   // per bucket, up to the largest used
  uint64_t raw_bits = 0;          // the raw bits of all residuals

  explicit ResidualBuckets(std::span<const uint64_t> residuals) : symbols(residuals.size()), counts(kResidualBuckets) {
    uint32_t alphabet = 1;
    int bits;
    for (size_t i = 0; i < residuals.size(); ++i) {
      symbols[i] = static_cast<uint16_t>(ResidualBucket(residuals[i], &bits));
      ++counts[symbols[i]];
      raw_bits += bits;
      alphabet = std::max<uint32_t>(alphabet, symbols[i] + 1u);
    }
    counts.resize(alphabet);
  }
  // The size PutBucketedResiduals writes, within a few bytes.
  size_t EncodedSize() const {
    const size_t coded = RansModel(counts).EncodedSize(counts);
    return VarintLength(counts.size()) + VarintLength(coded) + coded + (raw_bits + 7) / 8;
  }
};

// The bucketed form of `residuals` (bucket alphabet, the rANS stream
// length-prefixed, then the raw bits LSB first) into *out.
void PutBucketedResiduals(std::span<const uint64_t> residuals, const ResidualBuckets& buckets, std::string* out) {
  PutVarint64(out, buckets.counts.size());
  std::string coded;
  RansEncode(RansModel(buckets.counts), buckets.symbols, &coded);
  PutLengthPrefixed(out, coded);
  out->reserve(out->size() + (buckets.raw_bits + 7) / 8);
  BitWriter raw(out);
  for (size_t i = 0; i < residuals.size(); ++i) {
    const int raw_bits = RawBitsOfBucket(buckets.symbols[i]);  // up to 60: the residual's bits below its top 4
    raw.Put(LowBits(residuals[i], raw_bits), raw_bits);
  }
  raw.Finish();
}

// Decodes bucketed residuals (PutBucketedResiduals) from all of `in` into
// `out` (its size is the count).
bool GetBucketedResiduals(std::string_view in, std::span<uint64_t> out) {
  uint64_t alphabet;
  std::string_view coded;
  if (!GetVarint64(&in, &alphabet) || alphabet == 0 || alphabet > kResidualBuckets || !GetLengthPrefixed(&in, &coded)) {
    return false;
  }
  std::vector<uint16_t> symbols;
  if (!RansDecode(coded, out.size(), static_cast<uint32_t>(alphabet), &symbols).ok()) return false;
  BitReader raw(in);
  for (size_t i = 0; i < out.size(); ++i) {
    const uint32_t s = symbols[i];
    if (s < kSmallResiduals) {
      out[i] = s;
      continue;
    }
    const int raw_bits = RawBitsOfBucket(s);  // up to 60, more than one Take reads: two pieces
    uint64_t low = raw.Take(std::min(raw_bits, 32));
    if (raw_bits > 32) low |= raw.Take(raw_bits - 32) << 32;
    if (raw.position() > raw.size_bits()) return false;  // the raw bits end early
    out[i] = ((uint64_t{8} | ((s - kSmallResiduals) & 7)) << raw_bits) | low;
  }
  return raw.PaddingIsZero();
}

// The Rice codes of `values` (sorted: their differences, else their offsets
// from `min`) into *out, when those residuals are noise; false otherwise.
// Noise means: the best parameter is at least kMinRiceParameter, and
// residuals rarely equal the one before (regular intervals, or bursts of
// equal timestamps as in metrics scrapes, repeat, and zstd over the other
// encodings codes repeats in almost nothing).
bool EncodeRice(std::span<const uint64_t> values, bool sorted, uint64_t min, std::string* out) {
  thread_local std::vector<uint64_t> residuals;
  const size_t n = values.size();
  residuals.resize(sorted ? n - 1 : n);
  if (sorted) {
    for (size_t i = 1; i < n; ++i) residuals[i - 1] = values[i] - values[i - 1];
  } else {
    for (size_t i = 0; i < n; ++i) residuals[i] = values[i] - min;
  }
  size_t repeats = 0;
  for (size_t i = 1; i < residuals.size(); ++i) repeats += residuals[i] == residuals[i - 1];
  if (repeats * kMaxRiceRepeatShare > residuals.size()) return false;
  uint64_t bits;
  const int k = BestRiceParameter(residuals, &bits);
  if (k < kMinRiceParameter) return false;
  out->clear();
  const ResidualBuckets buckets(residuals);
  if (buckets.EncodedSize() < bits / 8) {
    out->push_back(static_cast<char>(sorted ? RiceMode::kSortedDeltasBucketed : RiceMode::kOffsetsFromMinBucketed));
    PutVarint64(out, sorted ? values[0] : min);
    PutBucketedResiduals(residuals, buckets, out);
    return true;
  }
  out->push_back(static_cast<char>(sorted ? RiceMode::kSortedDeltas : RiceMode::kOffsetsFromMin));
  PutVarint64(out, sorted ? values[0] : min);
  out->push_back(static_cast<char>(k));
  RiceEncode(residuals, k, out);
  return true;
}

Status DecodeRice(std::string_view in, size_t rows, std::vector<uint64_t>* out) {
  constexpr ColumnEncoding e = ColumnEncoding::kFixedRice;
  if (in.empty() || rows == 0) return Malformed(e, "empty");
  const auto mode = static_cast<RiceMode>(in[0]);
  in.remove_prefix(1);
  if (mode > RiceMode::kOffsetsFromMinBucketed) return Malformed(e, "bad mode");
  const bool bucketed = mode == RiceMode::kSortedDeltasBucketed || mode == RiceMode::kOffsetsFromMinBucketed;
  const bool sorted = mode == RiceMode::kSortedDeltas || mode == RiceMode::kSortedDeltasBucketed;
  uint64_t base;
  if (!GetVarint64(&in, &base) || in.empty()) return Malformed(e, "truncated header");
  int k = 0;
  if (!bucketed) {
    k = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
  }
  const size_t start = out->size();
  out->resize(start + rows);
  uint64_t* dst = out->data() + start;
  const std::span<uint64_t> residuals =
      sorted ? std::span<uint64_t>(dst + 1, rows - 1) : std::span<uint64_t>(dst, rows);
  if (!(bucketed ? GetBucketedResiduals(in, residuals) : RiceDecode(in, k, residuals))) {
    out->resize(start);
    return Malformed(e, "bad code stream");
  }
  if (sorted) {
    dst[0] = base;
    for (size_t i = 1; i < rows; ++i) dst[i] += dst[i - 1];
  } else {
    for (size_t i = 0; i < rows; ++i) dst[i] += base;
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

// Decodes a kBytesDict block, or with `entropy_coded` a kBytesDictCoded one.
Status DecodeBytesDict(std::string_view in, size_t rows, std::vector<uint32_t>* ends, std::string* data,
                       std::vector<uint32_t>* codes, bool entropy_coded) {
  const ColumnEncoding e = entropy_coded ? ColumnEncoding::kBytesDictCoded : ColumnEncoding::kBytesDict;
  uint64_t count;
  if (!GetVarint64(&in, &count) || count == 0 || count > kMaxDictEntries) return Malformed(e, "bad dictionary size");
  // Dictionary entry k spans [starts[k], starts[k+1]) of `dict`.
  std::vector<uint32_t> starts;
  std::string_view dict;
  if (!GetLengthPrefixedValues(&in, count, &starts, &dict)) return Malformed(e, "truncated dictionary");
  auto entry = [&](size_t k) { return dict.substr(starts[k], starts[k + 1] - starts[k]); };

  std::vector<uint32_t> indexes(rows);
  if (entropy_coded) {
    std::vector<uint16_t> coded;
    Status s = RansDecode(in, rows, static_cast<uint32_t>(count), &coded);
    if (!s.ok()) return Malformed(e, s.message());
    std::copy(coded.begin(), coded.end(), indexes.begin());
  } else {
    for (size_t i = 0; i < rows; ++i) {
      uint64_t index;
      if (!GetVarint64(&in, &index) || index >= count) return Malformed(e, "bad index");
      indexes[i] = static_cast<uint32_t>(index);
    }
    if (!in.empty()) return Malformed(e, "trailing bytes");
  }
  if (codes != nullptr) {  // dictionary form: the entries, not the rows
    OTELSTACK_RETURN_IF_ERROR(AppendBytesRows(count, entry, ends, data));
    *codes = std::move(indexes);
    return Status::OK();
  }
  return AppendBytesRows(
      rows, [&](size_t i) { return entry(indexes[i]); }, ends, data);
}

// ---- Packed streams ------------------------------------------------------

// Reads a packed stream's raw size and stored bytes from the front of *in.
Status ReadPackedStream(std::string_view* in, uint64_t* raw_size, std::string_view* stored) {
  uint64_t stored_size;
  if (!GetVarint64(in, raw_size) || !GetVarint64(in, &stored_size)) {
    return Status::Corruption("truncated stream header");
  }
  if (stored_size > in->size()) return Status::Corruption("stream beyond the block");
  if (stored_size > *raw_size || *raw_size > part_format::kMaxBlockRawBytes) {
    return Status::Corruption("bad stream sizes");
  }
  *stored = in->substr(0, stored_size);
  in->remove_prefix(stored_size);
  return Status::OK();
}

// ---- Shredded kvlist columns ---------------------------------------------

namespace av = anyvalue;

// Each distinct (key, value tag) of a block is a field. Its identity is the
// exact byte run that precedes the value in a row: key length varint, key,
// tag. Copying that run back reproduces the row bytes exactly.
constexpr size_t kMaxShredFields = 4096;
constexpr size_t kMaxShredShapes = 4096;

bool HasStringPayload(av::Tag t) { return t == av::Tag::kString || t == av::Tag::kBytes; }

// An int field stores its values as deltas (mode 0) or, when it takes few
// distinct values (status codes, retry counts), as indexes into them (mode 1):
// the deltas between categorical values carry more entropy than the values.
constexpr size_t kMaxIntDictEntries = 256;  // indexes are one byte

// A field written with a dictionary, as a field coded given it needs it
// (ConditionFieldsOnEachOther).
struct FieldDictionary {
  std::vector<uint16_t> codes;  // each value's entry
  size_t entries = 0;
  std::string head;  // the stream after the mode byte, before the indexes
  bool entropy_coded = false;
  size_t index_bytes = 0;  // the indexes' size as written
};

struct ShredField {
  std::string_view prefix;  // key length varint, key, tag
  av::Tag tag;
  std::string lengths;  // string/blob lengths, int deltas, bool bytes
  std::string data;     // string/blob bytes, doubles (row-major until transposed)
  int64_t prev_int = 0;
  size_t count = 0;
  std::vector<uint32_t> value_rows;           // the row of each value
  std::optional<FieldDictionary> dictionary;  // set when written with one
  // Ints: the distinct values in order of first use and each value's index,
  // while there are at most kMaxIntDictEntries of them; int_slots finds a
  // value's index (open addressing, twice as many slots as entries).
  std::vector<int64_t> int_entries;
  std::string int_indexes;
  std::vector<int16_t> int_slots;  // -1: free
  bool int_dict_possible = true;
  // Bools: bit b set once a value whose truth is b was seen.
  uint8_t bools_seen = 0;

  // Returns whether v may be new to the field: false only when the
  // dictionary already holds it.
  bool AddIntToDictionary(int64_t v) {
    if (!int_dict_possible) return true;
    constexpr size_t kSlots = 2 * kMaxIntDictEntries;
    if (int_slots.empty()) int_slots.assign(kSlots, -1);
    size_t slot = (static_cast<uint64_t>(v) * 0x9E3779B97F4A7C15ULL) >> 55;  // 9 bits: kSlots == 512
    while (int_slots[slot] >= 0 && int_entries[int_slots[slot]] != v) slot = (slot + 1) % kSlots;
    const bool added = int_slots[slot] < 0;
    if (added) {
      if (int_entries.size() == kMaxIntDictEntries) {
        int_dict_possible = false;
        return true;
      }
      int_slots[slot] = static_cast<int16_t>(int_entries.size());
      int_entries.push_back(v);
    }
    int_indexes.push_back(static_cast<char>(int_slots[slot]));
    return added;
  }
  // Returns whether a bool of this truth is the field's first.
  bool AddBool(bool b) {
    const uint8_t bit = b ? 2 : 1;
    const bool first = (bools_seen & bit) == 0;
    bools_seen |= bit;
    return first;
  }
};
static_assert(2 * kMaxIntDictEntries == 512, "AddIntToDictionary hashes to 9 bits");

// Writes bool field f's stream: the raw value bytes, or when shorter the
// distinct bytes and a rANS stream of each value's (a flag true in 80 % of
// the rows takes 0.72 bits instead of a byte):
//   distinct count varint, the distinct bytes, then the rANS stream.
// A stream shorter than the value count is the coded form.
void PutBoolValues(const ShredField& f, std::string* out) {
  std::vector<uint16_t> indexes(f.lengths.size());
  std::vector<char> distinct;
  for (size_t i = 0; i < f.lengths.size(); ++i) {
    auto it = std::find(distinct.begin(), distinct.end(), f.lengths[i]);
    if (it == distinct.end()) it = distinct.insert(distinct.end(), f.lengths[i]);
    indexes[i] = static_cast<uint16_t>(it - distinct.begin());
  }
  std::string coded;
  if (RansEncodeIfIndependent(indexes, distinct.size(), &coded)) {
    std::string form;
    PutVarint64(&form, distinct.size());
    form.append(distinct.data(), distinct.size());
    form.append(coded);
    if (form.size() < f.lengths.size()) {
      PutLengthPrefixed(out, form);
      return;
    }
  }
  PutLengthPrefixed(out, f.lengths);
}

// Writes int field f's streams: mode 0, the deltas; or, when the distinct
// values (count varint, zigzag varints) and an index per value promise to
// compress smaller, mode 2 with the indexes entropy-coded (a length-prefixed
// rANS stream) or mode 1 with one index byte per value.
void PutIntValues(ShredField& f, std::string* out) {
  if (f.int_dict_possible) {
    std::string entries;
    PutVarint64(&entries, f.int_entries.size());
    for (int64_t v : f.int_entries) PutVarint64(&entries, ZigZagEncode(v));
    if (8.0 * entries.size() + OrderZeroBits(f.int_indexes) < OrderZeroBits(f.lengths)) {
      std::vector<uint16_t> indexes(f.int_indexes.begin(), f.int_indexes.end());
      for (uint16_t& k : indexes) k &= 0xff;  // the bytes were chars
      std::string coded;
      const bool entropy_coded = RansEncodeIfIndependent(indexes, f.int_entries.size(), &coded);
      out->push_back(entropy_coded ? 2 : 1);
      out->append(entries);
      if (entropy_coded) {
        PutLengthPrefixed(out, coded);
      } else {
        out->append(f.int_indexes);
      }
      f.dictionary = FieldDictionary{std::move(indexes), f.int_entries.size(), std::move(entries), entropy_coded,
                                     entropy_coded ? VarintLength(coded.size()) + coded.size() : f.int_indexes.size()};
      return;
    }
  }
  out->push_back(0);
  PutLengthPrefixed(out, f.lengths);
}

// Calls visit(value) for each length-prefixed value of f (strings, bytes,
// lists), in order, until visit returns false.
template <typename Visit>
void ForEachByteValue(const ShredField& f, Visit&& visit) {
  std::string_view lengths = f.lengths, data = f.data;
  for (size_t i = 0; i < f.count; ++i) {
    uint64_t len = 0;
    GetVarint64(&lengths, &len);  // written by ShredKvLists, so well-formed
    if (!visit(data.substr(0, len))) return;
    data.remove_prefix(len);
  }
}

// Strings in a text-template block whose row codes are rANS-coded
// (layout kCodedRows); mode 3 is that block in layout kNumberContexts.
constexpr int kCodedRowsTemplatedMode = 6;

// Writes f's strings in mode 3 or 6 (one text-template block of raw text,
// its streams compressed as `compression` says) when that is smaller than mode 0
// before compression, as for ids with a common prefix ("user-4411").
bool PutTemplatedStrings(const ShredField& f, const StreamCompression& compression, std::string* out,
                         TextSplitSink* sink) {
  std::vector<uint32_t> ends;
  ends.reserve(f.count);
  uint32_t end = 0;
  ForEachByteValue(f, [&](std::string_view v) {
    end += static_cast<uint32_t>(v.size());
    ends.push_back(end);
    return true;
  });
  std::string block;
  const BytesColumnView view{ends, 0, f.data.data()};
  TextTemplateLayout layout;
  if (!EncodeTextTemplateColumn(view, TextRows::kRawText, compression, f.lengths.size() + f.data.size(), &block,
                                &layout, sink)) {
    return false;
  }
  out->push_back(layout == TextTemplateLayout::kCodedRows ? kCodedRowsTemplatedMode : 3);
  PutLengthPrefixed(out, block);
  return true;
}

// Writes the length-prefixed values of f (strings, bytes, lists): mode 1 with
// a dictionary (entry lengths, entry bytes, index varints) when that is
// smaller, as for low-cardinality attributes (methods, routes), unless many
// of its entries are distinct and templates compress smaller; else, for
// strings, mode 3 (templates) when that is smaller; else mode 0: lengths,
// then bytes. Passes the text of string values to `strings` (may be null)
// in the form of the encoding chosen (see MapValueSink). Returns whether it
// chose mode 3, whose streams are compressed already.
bool PutByteValues(ShredField& f, const StreamCompression& compression, std::string* out, TextSplitSink* strings) {
  StringIndex dict;
  std::vector<uint16_t> ids;
  ids.reserve(f.count);
  size_t dict_bytes = 0, index_bytes = 0;  // index_bytes: the ids as varints
  bool use_dict = true;
  size_t i = 0;
  ForEachByteValue(f, [&](std::string_view v) {
    auto [id, inserted] = dict.Insert(v);
    if (inserted) {
      // As in EncodeBytesColumn: nearly all distinct so far (ids) -> give up.
      if (dict.size() > kMaxDictEntries || (i == kDictSampleRows && dict.size() - 1 > kDictSampleMaxDistinct)) {
        use_dict = false;
      }
      dict_bytes += VarintLength(v.size()) + v.size();
    }
    index_bytes += VarintLength(id);
    ids.push_back(static_cast<uint16_t>(id));  // id < kMaxDictEntries while use_dict
    ++i;
    return use_dict;
  });
  if (use_dict && dict_bytes + index_bytes < f.lengths.size() + f.data.size()) {
    std::string indexes;  // rANS-coded, or varints
    const bool entropy_coded = RansEncodeIfIndependent(ids, dict.size(), &indexes);
    if (!entropy_coded) {
      indexes.clear();
      for (uint16_t id : ids) PutVarint64(&indexes, id);
    }
    std::string dict_lengths, dict_data, head;
    for (std::string_view v : dict.keys()) {
      PutVarint64(&dict_lengths, v.size());
      dict_data.append(v);
    }
    PutLengthPrefixed(&head, dict_lengths);
    PutLengthPrefixed(&head, dict_data);
    std::string dict_form(1, entropy_coded ? 4 : 1);
    dict_form.append(head);
    PutLengthPrefixed(&dict_form, indexes);
    // Many distinct strings (paths and statements with ids in them) make a
    // dictionary smaller than the values before compression, yet larger
    // after it than their templates: then both are compressed, the smaller
    // kept. (A template attempt passes the values to `strings`; passing the
    // dictionary's again below adds no token.)
    if (f.tag == av::Tag::kString && dict.size() * kTemplateTrialDistinctShare > f.count) {
      std::string templated;
      if (PutTemplatedStrings(f, compression, &templated, strings) &&
          templated.size() < CompressedSize(dict_form, compression)) {
        out->append(templated);
        return true;
      }
    }
    out->append(dict_form);
    if (strings != nullptr) {
      for (std::string_view v : dict.keys()) strings->Text(v);
    }
    f.dictionary = FieldDictionary{std::move(ids), dict.size(), std::move(head), entropy_coded,
                                   VarintLength(indexes.size()) + indexes.size()};
    return false;
  }
  // A template attempt that fails may have passed some values: all are
  // passed below.
  if (f.tag == av::Tag::kString && PutTemplatedStrings(f, compression, out, strings)) return true;
  out->push_back(0);
  PutLengthPrefixed(out, f.lengths);
  PutLengthPrefixed(out, f.data);
  if (strings != nullptr) {
    ForEachByteValue(f, [&](std::string_view v) {
      strings->Text(v);
      return true;
    });
  }
  return false;
}

// Doubles that are decimals with few fraction digits (durations in ms,
// prices) are stored as the integer r with value == r / 10^scale exactly
// (DecimalAt, decimal.h).
//
// Writes f's doubles in decimal mode (mode byte 1 + scale, codes, exceptions)
// and returns true, or writes nothing and returns false when too few values
// are decimals.
bool PutDecimalDoubles(const ShredField& f, std::string* out) {
  int scale = -1;
  size_t misses = 0;
  int64_t r;
  for (size_t i = 0; i < f.count; ++i) {
    const double v = std::bit_cast<double>(DecodeFixed64(f.data.data() + 8 * i));
    int s = 0;
    while (s <= kMaxDecimalScale && !DecimalAt(v, s, &r)) ++s;
    if (s > kMaxDecimalScale) {
      // Each miss has tried every scale; once too many values missed, the
      // answer is no (random doubles miss from the first values on).
      if (++misses * 4 > f.count) return false;
    } else {
      scale = std::max(scale, s);
    }
  }
  if (scale < 0) return false;
  std::string codes, exceptions;
  for (size_t i = 0; i < f.count; ++i) {
    const char* raw = f.data.data() + 8 * i;
    if (DecimalAt(std::bit_cast<double>(DecodeFixed64(raw)), scale, &r)) {
      PutVarint64(&codes, ZigZagEncode(r) << 1);  // |r| < 2^53, so no overflow
    } else {
      PutVarint64(&codes, 1);
      exceptions.append(raw, 8);
    }
  }
  out->push_back(static_cast<char>(1 + scale));
  PutLengthPrefixed(out, codes);
  PutLengthPrefixed(out, exceptions);
  return true;
}

// ---- Fields coded given another field --------------------------------------
//
// A dictionary field whose value mostly follows from another field's value in
// the same row (an HTTP method from the route) is coded given it: per value
// of the other field (its first in the row; "absent" counts as a value), the
// list of entries seen with it, and per value of this field its position in
// its context's list, entropy-coded. Strings take mode 5, ints mode 3:
//   the mode-1 head (strings: entry lengths, entries; ints: entry count,
//   entries), context field varint (its index in the block's field list),
//   list count varint (the context field's entry count + 1), then for each
//   context value c in [0, context entries] (the last one "absent"): n
//   varint, n x entry varint; then position alphabet varint and the
//   positions as a length-prefixed rANS stream.
constexpr int kConditionalStringMode = 5;
constexpr int kConditionalIntMode = 3;
// Context lists longer than this mean the other field says little.
constexpr size_t kMaxConditionalList = 32;
// Fields whose indexes take fewer bytes are not worth the search.
constexpr size_t kMinConditionalIndexBytes = 64;
// Candidates are ranked on this many values of the field.
constexpr size_t kConditionalSampleValues = 1024;
constexpr uint16_t kNoContextValue = UINT16_MAX;  // > kMaxDictEntries

// Each row's context value from field r: its first value's entry, or
// kNoContextValue when the row has none.
std::vector<uint16_t> FirstEntryByRow(const ShredField& r, size_t rows) {
  std::vector<uint16_t> out(rows, kNoContextValue);
  const std::vector<uint16_t>& codes = r.dictionary->codes;
  for (size_t i = codes.size(); i-- > 0;) out[r.value_rows[i]] = codes[i];  // backwards: the first one stays
  return out;
}

// Field f's first `values` values coded given the context values
// `context_of_row` (contexts entries, the last one "absent"): the lists and
// positions, and the coded size. False when some list grows too long.
//
// Each context's list lives in a fixed run of kMaxConditionalList slots,
// padded with kNoContextValue (no entry equals it), so that finding an entry
// is four vector compares instead of a walk through a vector of its own.
struct ConditionalCoding {
  std::vector<uint16_t> list_slots;  // contexts x kMaxConditionalList
  std::vector<uint8_t> list_sizes;   // per context
  std::vector<uint16_t> positions;
  size_t alphabet = 0;
  std::vector<uint32_t> counts;  // of each position
  size_t list_bytes = 0;         // the lists as written
  size_t position_bytes = 0;     // the positions, entropy-coded, and their alphabet
  size_t bytes() const { return list_bytes + position_bytes; }
  size_t contexts() const { return list_sizes.size(); }
  std::span<const uint16_t> List(size_t c) const {
    return std::span<const uint16_t>(list_slots).subspan(c * kMaxConditionalList, list_sizes[c]);
  }
};

// The index of `code` among the kMaxConditionalList slots at `slots`, or
// kMaxConditionalList when none holds it.
size_t FindInConditionalList(const uint16_t* slots, uint16_t code) {
  static_assert(kMaxConditionalList == 32, "four vectors of eight slots");
#if defined(__SSE2__)
  const __m128i want = _mm_set1_epi16(static_cast<short>(code));
  const auto* v = reinterpret_cast<const __m128i*>(slots);
  // Slots 8k..8k+7 against the code: 0xffff where equal.
  const auto equal = [&](int k) { return _mm_cmpeq_epi16(_mm_loadu_si128(v + k), want); };
  // Packed to a byte per slot, then a bit per slot.
  const auto low = static_cast<uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(equal(0), equal(1))));
  const auto high = static_cast<uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(equal(2), equal(3))));
  const uint32_t found = low | high << 16;
  return found == 0 ? kMaxConditionalList : static_cast<size_t>(std::countr_zero(found));
#else
  return static_cast<size_t>(std::find(slots, slots + kMaxConditionalList, code) - slots);
#endif
}

bool CodeGivenContext(const ShredField& f, const std::vector<uint16_t>& context_of_row, size_t contexts, size_t values,
                      ConditionalCoding* out) {
  // A context's slots are padded when its first value comes (most contexts
  // of a large context field have none in a sample): list_slots keeps stale
  // slots of earlier calls, which List() never reads.
  if (out->list_slots.size() < contexts * kMaxConditionalList) out->list_slots.resize(contexts * kMaxConditionalList);
  out->list_sizes.assign(contexts, 0);
  out->positions.resize(values);
  out->alphabet = 0;
  const std::vector<uint16_t>& codes = f.dictionary->codes;
  for (size_t i = 0; i < values; ++i) {
    const uint16_t c = context_of_row[f.value_rows[i]];
    const size_t context = c == kNoContextValue ? contexts - 1 : c;
    uint16_t* slots = out->list_slots.data() + context * kMaxConditionalList;
    uint8_t& size = out->list_sizes[context];
    if (size == 0) std::fill_n(slots, kMaxConditionalList, kNoContextValue);
    size_t k = FindInConditionalList(slots, codes[i]);
    if (k == kMaxConditionalList) {
      if (size == kMaxConditionalList) return false;
      k = size++;
      slots[k] = codes[i];
      out->alphabet = std::max<size_t>(out->alphabet, size);
    }
    out->positions[i] = static_cast<uint16_t>(k);
  }
  out->counts.assign(out->alphabet, 0);
  for (uint16_t k : out->positions) ++out->counts[k];
  out->position_bytes = VarintLength(out->alphabet) + RansModel(out->counts).EncodedSize(out->counts) + 4;
  out->list_bytes = 0;
  for (size_t c = 0; c < contexts; ++c) {
    out->list_bytes += VarintLength(out->list_sizes[c]);
    for (uint16_t e : out->List(c)) out->list_bytes += VarintLength(e);
  }
  return true;
}

// Rewrites, in *streams (the streams of the fields with values, in field
// order; stream_of[i] is field i's), the dictionary fields that are smaller
// coded given another field. A context field is never coded given another.
void ConditionFieldsOnEachOther(std::vector<ShredField>& fields, const std::vector<int>& stream_of, size_t rows,
                                std::vector<std::string>* streams) {
  // Every pair (field, context) is estimated on a sample of the field's
  // values; pairs are then taken by gain. Information is mutual, but a
  // method coded given its route gains more than the route given its method:
  // the positions share one model, which fits lists of one or two entries
  // better than lists of a dozen.
  struct Pair {
    double gain;
    size_t field, context;
  };
  std::vector<Pair> pairs;
  std::vector<std::vector<uint16_t>> context_of_row(fields.size());  // built on first use
  ConditionalCoding coding;
  for (size_t fi = 0; fi < fields.size(); ++fi) {
    const ShredField& f = fields[fi];
    if (!f.dictionary || !f.dictionary->entropy_coded || f.dictionary->index_bytes < kMinConditionalIndexBytes)
      continue;
    const size_t sample = std::min(f.count, kConditionalSampleValues);
    for (size_t ri = 0; ri < fields.size(); ++ri) {
      const ShredField& r = fields[ri];
      if (ri == fi || !r.dictionary || 2 * r.count < f.count) continue;
      if (context_of_row[ri].empty()) context_of_row[ri] = FirstEntryByRow(r, rows);
      if (!CodeGivenContext(f, context_of_row[ri], r.dictionary->entries + 1, sample, &coding)) continue;
      const double estimate = static_cast<double>(coding.position_bytes) * static_cast<double>(f.count) / sample +
                              static_cast<double>(coding.list_bytes);
      const double gain = static_cast<double>(f.dictionary->index_bytes) - estimate;
      if (gain > 0.1 * static_cast<double>(f.dictionary->index_bytes)) pairs.push_back({gain, fi, ri});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.gain > b.gain; });
  std::vector<bool> is_context(fields.size()), conditional(fields.size());
  for (const Pair& pair : pairs) {
    const size_t fi = pair.field, best = pair.context;
    if (conditional[fi] || is_context[fi] || conditional[best]) continue;
    ShredField& f = fields[fi];
    const FieldDictionary& d = *f.dictionary;
    if (!CodeGivenContext(f, context_of_row[best], fields[best].dictionary->entries + 1, f.count, &coding) ||
        coding.bytes() >= d.index_bytes) {
      continue;
    }
    std::string stream(1, static_cast<char>(f.tag == av::Tag::kInt ? kConditionalIntMode : kConditionalStringMode));
    stream.append(d.head);
    PutVarint64(&stream, best);
    PutVarint64(&stream, coding.contexts());
    for (size_t c = 0; c < coding.contexts(); ++c) {
      PutVarint64(&stream, coding.List(c).size());
      for (uint16_t e : coding.List(c)) PutVarint64(&stream, e);
    }
    PutVarint64(&stream, coding.alphabet);
    std::string coded;
    RansEncode(RansModel(coding.counts), coding.positions, &coded);
    PutLengthPrefixed(&stream, coded);
    (*streams)[stream_of[fi]] = std::move(stream);
    conditional[fi] = true;
    is_context[best] = true;
  }
}

// Doubles of full precision (measured durations, ratios) are noise below
// their top bits: mode kSplitDoublesMode stores each value's top 16 bits
// (sign, exponent, 4 mantissa bits) as an entropy-coded index into the
// distinct tops, and the 48 bits below as they are. Byte-transposed zstd
// codes the exponent's byte apart from the mantissa bits that share it, and
// pays its frame and Huffman tables on six columns of noise.
constexpr int kSplitDoublesMode = 2 + kMaxDecimalScale;
constexpr int kSplitDoubleLowBits = 48;
constexpr size_t kSplitDoubleLowBytes = kSplitDoubleLowBits / 8;

// Writes f's doubles in mode kSplitDoublesMode and returns true when their
// low bytes are noise (order-0 entropy of nearly 8 bits: nothing for zstd
// to find) and the tops few enough for a dictionary; else writes nothing.
bool PutSplitDoubles(const ShredField& f, std::string* out) {
  const size_t n = f.count;
  if (n < 64) return false;
  std::string low_byte(n, '\0');
  for (size_t i = 0; i < n; ++i) low_byte[i] = f.data[8 * i];
  if (OrderZeroBits(low_byte) < 7.5 * static_cast<double>(n)) return false;
  // index_of[top]: the top's index in `tops` plus one, 0 for none yet. One
  // zeroed table per thread; the entries set here are zeroed again on the
  // way out, whichever it is.
  thread_local std::vector<uint16_t> index_of(size_t{1} << 16, 0);
  static_assert(kRansMaxAlphabet < UINT16_MAX, "indexes plus one fit in 16 bits");
  std::vector<uint16_t> tops, indexes(n);
  struct ZeroOnExit {
    std::vector<uint16_t>& table;
    const std::vector<uint16_t>& keys;
    ~ZeroOnExit() {
      for (uint16_t k : keys) table[k] = 0;
    }
  } zero_on_exit{index_of, tops};
  bool few_tops = true;
  for (size_t i = 0; i < n && few_tops; ++i) {
    const uint16_t top = static_cast<uint16_t>(DecodeFixed64(f.data.data() + 8 * i) >> kSplitDoubleLowBits);
    uint16_t& index = index_of[top];
    if (index == 0) {
      few_tops = tops.size() < kRansMaxAlphabet;
      tops.push_back(top);
      index = static_cast<uint16_t>(tops.size());
    }
    indexes[i] = static_cast<uint16_t>(index - 1);
  }
  if (!few_tops) return false;
  // The tops in ascending order, written as differences: mostly 1.
  std::vector<uint16_t> sorted = tops, rank(tops.size());
  std::sort(sorted.begin(), sorted.end());
  for (size_t k = 0; k < tops.size(); ++k) {
    rank[k] = static_cast<uint16_t>(std::lower_bound(sorted.begin(), sorted.end(), tops[k]) - sorted.begin());
  }
  std::vector<uint32_t> counts(tops.size());
  for (uint16_t& k : indexes) ++counts[k = rank[k]];
  std::string coded;
  RansEncode(RansModel(counts), indexes, &coded);
  out->push_back(static_cast<char>(kSplitDoublesMode));
  PutVarint64(out, sorted.size());
  for (size_t k = 0; k < sorted.size(); ++k) PutVarint64(out, k == 0 ? sorted[0] : sorted[k] - sorted[k - 1]);
  PutLengthPrefixed(out, coded);
  PutVarint64(out, n * kSplitDoubleLowBytes);
  const size_t low_start = out->size();
  out->resize(low_start + n * kSplitDoubleLowBytes);
  char* low = out->data() + low_start;
  for (size_t i = 0; i < n; ++i) {  // rows hold doubles LE: their low bytes come first
    std::memcpy(low + i * kSplitDoubleLowBytes, f.data.data() + 8 * i, kSplitDoubleLowBytes);
  }
  return true;
}

// A shredded block before packing, in pieces of the kBytesKvShredded layout:
// the header (fields, shapes, row shape ids) and the streams of each field
// that has values.
struct ShreddedParts {
  std::string header;
  std::vector<std::string> fields;
  std::vector<bool> compressed;  // fields[i] needs no zstd pass (templated strings, split doubles)

  // The size of the pieces joined: the block's size before compression,
  // which the encoder compares with the other encodings.
  size_t RawSize() const {
    size_t n = header.size();
    for (const std::string& f : fields) n += f.size();
    return n;
  }

  // Writes the block into *out and returns its encoding: packed streams, or
  // for small blocks the pieces joined (kBytesKvShredded), which the part
  // writer compresses as one frame; a frame per stream costs ~12 bytes, more
  // than compressing small streams apart gains. Fails only when zstd does.
  Status WriteTo(const StreamCompression& compression, std::string* out, ColumnEncoding* encoding) const {
    out->clear();
    if (RawSize() < kMinPackedStreamBytes * (1 + fields.size())) {
      *encoding = ColumnEncoding::kBytesKvShredded;
      out->reserve(RawSize());
      out->append(header);
      for (const std::string& f : fields) out->append(f);
      return Status::OK();
    }
    *encoding = ColumnEncoding::kBytesKvShreddedPacked;
    OTELSTACK_RETURN_IF_ERROR(PutPackedStream(header, /*compress=*/true, compression, out));
    for (size_t i = 0; i < fields.size(); ++i) {
      OTELSTACK_RETURN_IF_ERROR(PutPackedStream(fields[i], /*compress=*/!compressed[i], compression, out));
    }
    return Status::OK();
  }

  // Below this average size per stream a block is written joined.
  static constexpr size_t kMinPackedStreamBytes = 1024;
};

// A kvlist column's rows taken apart (ShredRows): each field's values, and
// each row's shape (its field ids in order).
struct ShreddedRows {
  std::vector<ShredField> fields;
  std::deque<std::string> shape_keys;  // varint count and field ids, by shape id
  std::vector<uint32_t> row_shapes;    // each row's shape id
};

// Splits every row into fields and shapes. Returns false (leaving *out in an
// unspecified state) when some row is not a whole kvlist or uses a non-minimal
// varint that re-encoding would not reproduce, or when there are too many
// distinct fields or shapes. Passes each value other than a string to `sink`
// (may be null), a field's ints and bools once per distinct value.
//
// The loop runs once per attribute value: flattened, so that the appends of
// a byte or two to a field's streams (std::string::push_back, which GCC
// leaves out of line here) are inlined into it.
[[gnu::flatten]] bool ShredRows(const BytesColumnView& values, MapValueSink* sink, ShreddedRows* out) {
  const size_t n = values.size();
  StringIndex field_of;  // field prefix -> index in `fields`
  std::vector<ShredField>& fields = out->fields;
  StringIndex shape_of;                                   // shape key -> shape id
  std::deque<std::string>& shape_keys = out->shape_keys;  // the keys shape_of views
  std::vector<uint32_t>& row_shapes = out->row_shapes;
  row_shapes.assign(n, 0);
  std::string shape_key;  // varint field ids of the current row
  // Maps list their keys in the same order row after row, so the field that
  // followed field f last time (after[f + 1]; after[0] for a row's first) is
  // tried before the hash lookup.
  constexpr uint32_t kNoField = UINT32_MAX;
  std::vector<uint32_t> after = {kNoField};
  for (size_t r = 0; r < n; ++r) {
    std::string_view row = values.value(r);
    av::Value list;
    // The loop below reads (and so validates) every item; a row must hold
    // nothing after them.
    if (!av::ParseListHead(row, &list).ok() || list.tag != av::Tag::kKvList) return false;
    shape_key.clear();
    PutVarint64(&shape_key, list.count);
    std::string_view rest = list.body;
    size_t previous = 0;  // after[previous] predicts the next item's field
    for (uint32_t k = 0; k < list.count; ++k) {
      // A malformed row fails one of these reads; the checks also reject
      // non-minimal varints, which decoding would not reproduce.
      const std::string_view item = rest;
      uint64_t key_len;
      if (!GetVarint64(&rest, &key_len) || key_len >= rest.size()) return false;
      const size_t prefix_len = (item.size() - rest.size()) + key_len + 1;
      if (prefix_len != VarintLength(key_len) + key_len + 1) return false;
      rest.remove_prefix(key_len);
      av::Value v;
      if (rest.empty() || (!av::ReadScalar(&rest, &v) && !av::ReadValue(&rest, &v).ok())) return false;
      std::string_view prefix = item.substr(0, prefix_len);
      std::string_view payload = item.substr(prefix_len, item.size() - rest.size() - prefix_len);

      uint32_t field = after[previous];
      if (field == kNoField || !BytesEqual(fields[field].prefix, prefix)) {
        bool inserted;
        std::tie(field, inserted) = field_of.Insert(prefix);
        if (inserted) {
          if (fields.size() == kMaxShredFields) return false;
          fields.emplace_back();
          fields.back().prefix = prefix;
          fields.back().tag = v.tag;
          after.push_back(kNoField);
        }
        after[previous] = field;
      }
      previous = field + 1;
      PutVarint64(&shape_key, field);
      ShredField& f = fields[field];
      ++f.count;
      f.value_rows.push_back(static_cast<uint32_t>(r));
      // Values other than strings reach the sink here, a field's ints and
      // bools once per distinct value (a repeat adds no token); strings
      // when their field is encoded (PutByteValues).
      bool pass = sink != nullptr && v.tag != av::Tag::kString;
      switch (v.tag) {
        case av::Tag::kEmpty:
          break;
        case av::Tag::kString:
        case av::Tag::kBytes:
          if (payload.size() != VarintLength(v.str.size()) + v.str.size()) return false;
          PutVarint64(&f.lengths, v.str.size());
          f.data.append(v.str);
          break;
        case av::Tag::kBool:
          f.lengths.append(payload);  // the raw byte, whatever its value
          pass = pass && f.AddBool(v.b);
          break;
        case av::Tag::kInt:
          if (payload.size() != VarintLength(ZigZagEncode(v.i))) return false;
          PutVarint64(&f.lengths, DeltaCode(static_cast<uint64_t>(f.prev_int), static_cast<uint64_t>(v.i)));
          f.prev_int = v.i;
          pass = f.AddIntToDictionary(v.i) && pass;
          break;
        case av::Tag::kDouble:
          f.data.append(payload);
          break;
        case av::Tag::kArray:
        case av::Tag::kKvList:
          PutVarint64(&f.lengths, payload.size());
          f.data.append(payload);
          break;
      }
      if (pass) sink->MapValue(v, item.substr(prefix_len - 1, payload.size() + 1));  // tag and payload
    }
    if (!rest.empty()) return false;  // bytes after the last item
    uint32_t shape = shape_of.Find(shape_key);
    if (shape == StringIndex::kAbsent) {
      if (shape_keys.size() == kMaxShredShapes) return false;
      shape_keys.push_back(shape_key);
      shape = shape_of.Insert(shape_keys.back()).first;
    }
    row_shapes[r] = shape;
  }
  return true;
}

// Shreds the rows (ShredRows) and encodes each field's values into *out.
// Returns false as ShredRows does.
bool ShredKvLists(const BytesColumnView& values, const StreamCompression& compression, ShreddedParts* out,
                  MapValueSink* sink = nullptr) {
  ShreddedRows rows;
  if (!ShredRows(values, sink, &rows)) return false;
  std::vector<ShredField>& fields = rows.fields;
  const std::deque<std::string>& shape_keys = rows.shape_keys;
  const size_t n = values.size();

  std::string& header = out->header;
  header.clear();
  PutVarint64(&header, fields.size());
  for (const ShredField& f : fields) header.append(f.prefix);
  PutVarint64(&header, shape_keys.size());
  for (std::string_view s : shape_keys) header.append(s);
  for (uint32_t s : rows.row_shapes) PutVarint64(&header, s);
  out->fields.clear();
  out->compressed.clear();
  std::vector<int> stream_of(fields.size(), -1);
  for (size_t i = 0; i < fields.size(); ++i) {
    ShredField& f = fields[i];
    if (f.tag == av::Tag::kEmpty) continue;  // no stream
    stream_of[i] = static_cast<int>(out->fields.size());
    std::string& streams = out->fields.emplace_back();
    bool compressed = false;
    switch (f.tag) {
      case av::Tag::kBool:
        PutBoolValues(f, &streams);
        break;
      case av::Tag::kInt:
        PutIntValues(f, &streams);
        break;
      case av::Tag::kDouble: {
        if (PutDecimalDoubles(f, &streams)) break;
        if (PutSplitDoubles(f, &streams)) {
          compressed = true;  // noise and a rANS stream: nothing for zstd
          break;
        }
        streams.push_back(0);
        // Byte-transpose: all first bytes, then all second bytes...; sign,
        // exponent and high mantissa bytes of similar values then repeat.
        PutVarint64(&streams, f.data.size());
        size_t start = streams.size();
        streams.resize(start + f.data.size());
        char* dst = streams.data() + start;
        for (int b = 0; b < 8; ++b) {
          for (size_t i = 0; i < f.count; ++i) *dst++ = f.data[i * 8 + b];
        }
        break;
      }
      default:  // strings, bytes, arrays, kvlists
        compressed = PutByteValues(f, compression, &streams,
                                   sink != nullptr && f.tag == av::Tag::kString ? sink->StringValues() : nullptr);
        break;
    }
    out->compressed.push_back(compressed);
  }
  ConditionFieldsOnEachOther(fields, stream_of, n, &out->fields);
  if (sink != nullptr) sink->MapValuesComplete();
  return true;
}

// Decoder state of one field: its prefix and the unread part of its streams.
struct ShredCursor {
  std::string_view prefix;
  av::Tag tag;
  std::string_view lengths;
  std::string_view data;
  uint64_t count = 0;  // values in the block (from the shapes)
  uint64_t next = 0;   // doubles: index of the next value
  uint64_t prev_int = 0;
  std::vector<int64_t> int_entries;  // ints in mode 1: `lengths` holds index bytes into these
  bool int_dict = false;
  // Ints in mode 2 and length-prefixed values in mode 4: the indexes into
  // int_entries resp. dict, decoded, and the next one's position.
  bool entropy_coded = false;
  std::vector<uint16_t> coded_indexes;
  size_t next_index = 0;
  std::vector<char> bool_bytes;  // bools in the coded form, decoded (`lengths` views them; moves keep them)
  // Strings in mode 5 and ints in mode 3: coded given field context_field;
  // ResolveConditionalFields turns the positions into coded_indexes.
  bool conditional = false;
  uint64_t context_field = 0;
  std::vector<std::vector<uint16_t>> context_lists;
  std::vector<uint16_t> positions;
  int scale = -1;                      // doubles: decimal scale, or -1 for transposed raw values
  std::vector<uint64_t> double_tops;   // doubles in kSplitDoublesMode: the tops, shifted into place
  bool use_dict = false;               // length-prefixed values: `lengths` holds indexes
  std::vector<std::string_view> dict;  // ... into these entries
  bool templated = false;              // strings in mode 2 or 3: `data` is a text-template block,
  TextTemplateLayout template_layout = TextTemplateLayout::kNumberContexts;  // of that block
  bool decoded = false;                                                      // decoded on first use into:
  std::vector<uint32_t> text_ends;
  std::string text_data;
};

// Parses the dictionary streams of a length-prefixed field.
bool GetDictionary(std::string_view lengths, std::string_view data, std::vector<std::string_view>* dict) {
  while (!lengths.empty()) {
    uint64_t len;
    if (!GetVarint64(&lengths, &len) || len > data.size() || dict->size() == kMaxDictEntries) return false;
    dict->push_back(data.substr(0, len));
    data.remove_prefix(len);
  }
  return data.empty();
}

// A parsed shredded block: the fields (with their unread streams), the
// shapes (shape s lists field ids slots[shape_begin[s] .. shape_begin[s+1]))
// and each row's shape. `keep` selects the fields whose streams were read
// (all, unless the block was parsed for a few keys).
struct ShredBlock {
  std::vector<ShredCursor> fields;
  std::vector<bool> keep;
  std::vector<uint32_t> shape_begin;
  std::vector<uint32_t> slots;
  std::vector<uint32_t> row_shapes;
  std::deque<std::string> scratch;             // decompressed packed streams, which the cursors view
  const ZstdDictionary* dictionary = nullptr;  // what the block's zstd frames refer to
};

// Parses the fields, shapes and row shape ids from the front of *in.
Status ParseShredHeader(ColumnEncoding e, std::string_view* in, size_t rows, ShredBlock* b) {
  uint64_t field_count;
  if (!GetVarint64(in, &field_count) || field_count > kMaxShredFields) return Malformed(e, "bad field count");
  std::vector<ShredCursor>& fields = b->fields;
  fields.resize(field_count);
  for (ShredCursor& f : fields) {
    const std::string_view start = *in;
    uint64_t key_len;
    if (!GetVarint64(in, &key_len) || key_len >= in->size()) return Malformed(e, "truncated field key");
    in->remove_prefix(key_len);
    uint8_t tag = static_cast<unsigned char>((*in)[0]);
    in->remove_prefix(1);
    if (tag > static_cast<uint8_t>(av::Tag::kBytes)) return Malformed(e, "bad field tag");
    f.tag = static_cast<av::Tag>(tag);
    f.prefix = start.substr(0, start.size() - in->size());
  }

  uint64_t shape_count;
  if (!GetVarint64(in, &shape_count) || shape_count == 0 || shape_count > kMaxShredShapes) {
    return Malformed(e, "bad shape count");
  }
  std::vector<uint32_t>& shape_begin = b->shape_begin;
  std::vector<uint32_t>& slots = b->slots;
  shape_begin.assign(shape_count + 1, 0);
  for (uint64_t s = 0; s < shape_count; ++s) {
    uint64_t slot_count;
    // Every slot takes at least one byte, which bounds the allocation.
    if (!GetVarint64(in, &slot_count) || slot_count > in->size()) return Malformed(e, "bad shape size");
    for (uint64_t k = 0; k < slot_count; ++k) {
      uint64_t f;
      if (!GetVarint64(in, &f) || f >= field_count) return Malformed(e, "bad shape field");
      slots.push_back(static_cast<uint32_t>(f));
    }
    shape_begin[s + 1] = static_cast<uint32_t>(slots.size());
  }

  if (rows > in->size()) return Malformed(e, "truncated shape ids");
  std::vector<uint32_t>& row_shapes = b->row_shapes;
  row_shapes.resize(rows);
  std::vector<uint64_t> shape_rows(shape_count);
  for (size_t r = 0; r < rows; ++r) {
    uint64_t s;
    if (!GetVarint64(in, &s) || s >= shape_count) return Malformed(e, "bad shape id");
    row_shapes[r] = static_cast<uint32_t>(s);
    ++shape_rows[s];
  }
  for (uint64_t s = 0; s < shape_count; ++s) {
    for (uint32_t k = shape_begin[s]; k < shape_begin[s + 1]; ++k) fields[slots[k]].count += shape_rows[s];
  }
  return Status::OK();
}

// Whether int fields of blocks of `e` begin with a mode byte.
bool HasIntModes(ColumnEncoding e) {
  return e == ColumnEncoding::kBytesKvShredded || e == ColumnEncoding::kBytesKvShreddedPacked;
}

// Decodes the entropy-coded dictionary indexes of field f (an int field in
// mode 2, or length-prefixed values in mode 4) into f->coded_indexes.
Status DecodeShredIndexes(ColumnEncoding e, std::string_view coded, size_t entries, ShredCursor* f) {
  if (entries == 0) return Malformed(e, "entropy-coded indexes without entries");
  Status s = RansDecode(coded, f->count, static_cast<uint32_t>(entries), &f->coded_indexes);
  if (!s.ok()) return Malformed(e, s.message());
  f->entropy_coded = true;
  return Status::OK();
}

// Parses the part of a conditional field's streams after its dictionary
// (`entries` entries) from the front of *in.
Status ParseConditionalTail(ColumnEncoding e, std::string_view* in, size_t entries, ShredCursor* f) {
  uint64_t lists = 0, alphabet = 0;
  if (!GetVarint64(in, &f->context_field) || !GetVarint64(in, &lists) || lists == 0 || lists > kMaxDictEntries + 1) {
    return Malformed(e, "bad conditional field header");
  }
  f->context_lists.resize(lists);
  for (std::vector<uint16_t>& list : f->context_lists) {
    uint64_t n;
    if (!GetVarint64(in, &n) || n > kMaxConditionalList) return Malformed(e, "bad context list");
    for (uint64_t k = 0; k < n; ++k) {
      uint64_t entry;
      if (!GetVarint64(in, &entry) || entry >= entries) return Malformed(e, "bad context list entry");
      list.push_back(static_cast<uint16_t>(entry));
    }
  }
  std::string_view coded;
  if (!GetVarint64(in, &alphabet) || alphabet == 0 || alphabet > kMaxConditionalList ||
      !GetLengthPrefixed(in, &coded)) {
    return Malformed(e, "bad conditional positions");
  }
  Status s = RansDecode(coded, f->count, static_cast<uint32_t>(alphabet), &f->positions);
  if (!s.ok()) return Malformed(e, s.message());
  f->conditional = true;
  return Status::OK();
}

// Parses field f's streams from the front of *in (nothing for empty values).
Status ParseShredStreams(ColumnEncoding e, std::string_view* in, ShredCursor* f) {
  bool ok = true;
  switch (f->tag) {
    case av::Tag::kEmpty:
      break;
    case av::Tag::kBool: {
      ok = GetLengthPrefixed(in, &f->lengths) && f->lengths.size() <= f->count;
      if (!ok || f->lengths.size() == f->count) break;
      // The coded form (PutBoolValues): decoded into f->bool_bytes.
      std::string_view form = f->lengths;
      uint64_t distinct = 0;
      if (!GetVarint64(&form, &distinct) || distinct == 0 || distinct > 256 || form.size() < distinct) {
        return Malformed(e, "bad coded bools");
      }
      std::vector<uint16_t> indexes;
      Status s = RansDecode(form.substr(distinct), f->count, static_cast<uint32_t>(distinct), &indexes);
      if (!s.ok()) return Malformed(e, s.message());
      f->bool_bytes.resize(f->count);
      for (size_t i = 0; i < f->count; ++i) f->bool_bytes[i] = form[indexes[i]];
      f->lengths = std::string_view(f->bool_bytes.data(), f->bool_bytes.size());
      break;
    }
    case av::Tag::kInt: {
      if (!HasIntModes(e)) {
        ok = GetLengthPrefixed(in, &f->lengths);
        break;
      }
      if (in->empty()) return Malformed(e, "missing int mode");
      const int mode = static_cast<unsigned char>((*in)[0]);
      in->remove_prefix(1);
      if (mode > kConditionalIntMode) return Malformed(e, "bad int mode");
      if (mode == 0) {
        ok = GetLengthPrefixed(in, &f->lengths);
        break;
      }
      f->int_dict = true;
      uint64_t entries = 0;
      ok = GetVarint64(in, &entries) && entries >= 1 && entries <= kMaxIntDictEntries;
      for (uint64_t k = 0; ok && k < entries; ++k) {
        uint64_t code;
        ok = GetVarint64(in, &code);
        f->int_entries.push_back(ZigZagDecode(code));
      }
      if (ok && mode == 2) {
        std::string_view coded;
        ok = GetLengthPrefixed(in, &coded);
        if (ok) OTELSTACK_RETURN_IF_ERROR(DecodeShredIndexes(e, coded, f->int_entries.size(), f));
        break;
      }
      if (ok && mode == kConditionalIntMode) return ParseConditionalTail(e, in, f->int_entries.size(), f);
      ok = ok && in->size() >= f->count;
      if (ok) {
        f->lengths = in->substr(0, f->count);
        in->remove_prefix(f->count);
      }
      break;
    }
    case av::Tag::kDouble: {
      if (in->empty()) return Malformed(e, "missing double mode");
      const int mode = static_cast<unsigned char>((*in)[0]);
      in->remove_prefix(1);
      if (mode > kSplitDoublesMode) return Malformed(e, "bad double mode");
      if (mode == kSplitDoublesMode) {
        uint64_t tops = 0, top = 0;
        ok = GetVarint64(in, &tops) && tops >= 1 && tops <= kRansMaxAlphabet;
        for (uint64_t k = 0; ok && k < tops; ++k) {
          uint64_t delta;
          ok = GetVarint64(in, &delta) && (k == 0 || delta >= 1) && delta <= UINT16_MAX - top;
          top += delta;
          f->double_tops.push_back(top << kSplitDoubleLowBits);
        }
        std::string_view coded;
        ok = ok && GetLengthPrefixed(in, &coded);
        if (ok) OTELSTACK_RETURN_IF_ERROR(DecodeShredIndexes(e, coded, f->double_tops.size(), f));
        ok = ok && GetLengthPrefixed(in, &f->data) && f->data.size() == f->count * kSplitDoubleLowBytes;
        break;
      }
      f->scale = mode - 1;
      if (f->scale < 0) {
        ok = GetLengthPrefixed(in, &f->data) && f->count <= f->data.size() / 8 && f->data.size() == f->count * 8;
      } else {
        ok = GetLengthPrefixed(in, &f->lengths) && GetLengthPrefixed(in, &f->data);
      }
      break;
    }
    default: {
      if (in->empty()) return Malformed(e, "missing value mode");
      const int mode = static_cast<unsigned char>((*in)[0]);
      in->remove_prefix(1);
      const bool templated = mode == 2 || mode == 3 || mode == kCodedRowsTemplatedMode;
      if (mode > kCodedRowsTemplatedMode || (templated && f->tag != av::Tag::kString)) {
        return Malformed(e, "bad value mode");
      }
      if (templated) {
        f->templated = true;
        f->template_layout = mode == 2   ? TextTemplateLayout::kOneNumberStream
                             : mode == 3 ? TextTemplateLayout::kNumberContexts
                                         : TextTemplateLayout::kCodedRows;
        ok = GetLengthPrefixed(in, &f->data);
        break;
      }
      f->use_dict = mode == 1 || mode == 4 || mode == kConditionalStringMode;
      ok = GetLengthPrefixed(in, &f->lengths) && GetLengthPrefixed(in, &f->data);
      if (ok && f->use_dict) {
        ok = GetDictionary(f->lengths, f->data, &f->dict);
        f->data = std::string_view();
        if (ok && mode == kConditionalStringMode) {
          f->lengths = std::string_view();
          return ParseConditionalTail(e, in, f->dict.size(), f);
        }
        ok = ok && GetLengthPrefixed(in, &f->lengths);
      }
      if (ok && mode == 4) {
        OTELSTACK_RETURN_IF_ERROR(DecodeShredIndexes(e, f->lengths, f->dict.size(), f));
        f->lengths = std::string_view();
      }
      break;
    }
  }
  return ok ? Status::OK() : Malformed(e, "bad value stream");
}

// True when the key in `prefix` (key length varint, key, tag) is one of `keys`.
bool PrefixKeyIsOneOf(std::string_view prefix, std::span<const std::string_view> keys) {
  uint64_t key_len = 0;
  GetVarint64(&prefix, &key_len);  // checked by ParseShredHeader
  return std::find(keys.begin(), keys.end(), prefix.substr(0, key_len)) != keys.end();
}

// The entry of each of field r's values, when r is stored with a
// dictionary and not itself coded given another field.
Status EntriesOfValues(ColumnEncoding e, const ShredCursor& r, std::vector<uint16_t>* out) {
  if (r.conditional) return Malformed(e, "context field coded given another");
  if (r.entropy_coded) {
    *out = r.coded_indexes;
    return Status::OK();
  }
  if (!r.int_dict && !r.use_dict) return Malformed(e, "context field without a dictionary");
  out->resize(r.count);
  std::string_view indexes = r.lengths;  // a copy: the cursor reads them again
  for (uint16_t& entry : *out) {
    uint64_t k = 0;
    if (r.int_dict) {
      if (indexes.empty()) return Malformed(e, "truncated context indexes");
      k = static_cast<unsigned char>(indexes[0]);
      indexes.remove_prefix(1);
    } else if (!GetVarint64(&indexes, &k)) {
      return Malformed(e, "truncated context indexes");
    }
    entry = static_cast<uint16_t>(k);
  }
  return Status::OK();
}

// Turns conditional field i's positions into its entries (coded_indexes),
// given its context field's entries row by row.
Status ResolveConditionalField(ColumnEncoding e, ShredBlock& b, size_t i) {
  ShredCursor& f = b.fields[i];
  const ShredCursor& r = b.fields[f.context_field];
  std::vector<uint16_t> context_entries;
  OTELSTACK_RETURN_IF_ERROR(EntriesOfValues(e, r, &context_entries));
  const size_t r_entries = r.int_dict ? r.int_entries.size() : r.dict.size();
  if (f.context_lists.size() != r_entries + 1) return Malformed(e, "context lists do not match the context field");
  // Per shape: how many values of f and of r it holds.
  const size_t shapes = b.shape_begin.size() - 1;
  std::vector<uint32_t> f_slots(shapes), r_slots(shapes);
  for (size_t s = 0; s < shapes; ++s) {
    for (uint32_t k = b.shape_begin[s]; k < b.shape_begin[s + 1]; ++k) {
      f_slots[s] += b.slots[k] == i;
      r_slots[s] += b.slots[k] == f.context_field;
    }
  }
  f.coded_indexes.resize(f.count);
  size_t next_f = 0, next_r = 0;
  for (uint32_t s : b.row_shapes) {
    const uint16_t context = r_slots[s] == 0 ? static_cast<uint16_t>(r_entries) : context_entries[next_r];
    if (r_slots[s] != 0 && context >= r_entries) return Malformed(e, "context entry beyond its dictionary");
    next_r += r_slots[s];
    const std::vector<uint16_t>& list = f.context_lists[context];
    for (uint32_t k = 0; k < f_slots[s]; ++k, ++next_f) {
      const uint16_t position = f.positions[next_f];
      if (position >= list.size()) return Malformed(e, "position beyond its context list");
      f.coded_indexes[next_f] = list[position];
    }
  }
  f.entropy_coded = true;
  return Status::OK();
}

// Parses a block of encoding `e` (either shredded layout). Reads the streams
// of the fields `keep` accepts (every field when it is empty); a packed
// block's other streams are skipped without decompressing. b->dictionary is
// what the block's zstd frames refer to (null: none).
Status ParseShredBlock(ColumnEncoding e, std::string_view in, size_t rows,
                       const std::function<bool(const ShredCursor&)>& keep, ShredBlock* b) {
  const bool packed =
      e == ColumnEncoding::kBytesKvShreddedPacked || e == ColumnEncoding::kBytesKvShreddedPackedDeltaInts;
  auto next_packed = [&](std::string_view* stream) {
    Status s = GetPackedStream(&in, &b->scratch.emplace_back(), stream, b->dictionary);
    return s.ok() ? s : Malformed(e, s.message());
  };
  std::string_view header = in;
  if (packed) OTELSTACK_RETURN_IF_ERROR(next_packed(&header));
  OTELSTACK_RETURN_IF_ERROR(ParseShredHeader(e, &header, rows, b));
  if (packed && !header.empty()) return Malformed(e, "trailing header bytes");
  if (!packed) in = header;

  b->keep.resize(b->fields.size());
  std::vector<bool> parsed(b->fields.size(), !packed);      // the joined layout reads every field's streams
  std::vector<std::string_view> skipped(b->fields.size());  // packed streams not read (yet)
  auto parse_packed = [&](size_t i, std::string_view* record) -> Status {
    std::string_view streams;
    Status s = GetPackedStream(record, &b->scratch.emplace_back(), &streams, b->dictionary);
    if (!s.ok()) return Malformed(e, s.message());
    OTELSTACK_RETURN_IF_ERROR(ParseShredStreams(e, &streams, &b->fields[i]));
    if (!streams.empty()) return Malformed(e, "trailing field bytes");
    parsed[i] = true;
    return Status::OK();
  };
  for (size_t i = 0; i < b->fields.size(); ++i) {
    ShredCursor& f = b->fields[i];
    b->keep[i] = !keep || keep(f);
    if (!packed) {  // every field's streams are read, to find the next field's
      OTELSTACK_RETURN_IF_ERROR(ParseShredStreams(e, &in, &f));
      continue;
    }
    if (f.tag == av::Tag::kEmpty) continue;  // no stream
    if (!b->keep[i]) {
      const std::string_view record = in;
      std::string_view streams;
      uint64_t raw_size;
      Status s = ReadPackedStream(&in, &raw_size, &streams);
      if (!s.ok()) return Malformed(e, s.message());
      skipped[i] = record.substr(0, record.size() - in.size());
      continue;
    }
    OTELSTACK_RETURN_IF_ERROR(parse_packed(i, &in));
  }
  if (!in.empty()) return Malformed(e, "trailing bytes");
  // Conditional fields need their context field's entries, read now if the
  // keys asked for did not include it.
  for (size_t i = 0; i < b->fields.size(); ++i) {
    const ShredCursor& f = b->fields[i];
    if (!f.conditional || (!b->keep[i] && packed)) continue;
    if (f.context_field >= b->fields.size() || f.context_field == i) return Malformed(e, "bad context field");
    if (!parsed[f.context_field]) {
      std::string_view record = skipped[f.context_field];
      if (record.empty()) return Malformed(e, "context field without values");
      OTELSTACK_RETURN_IF_ERROR(parse_packed(f.context_field, &record));
    }
    OTELSTACK_RETURN_IF_ERROR(ResolveConditionalField(e, *b, i));
  }
  return Status::OK();
}

// Decodes all of templated field f's strings (raw text) into *ends and
// *data. Returns what is wrong, or nullptr.
const char* DecodeTemplatedField(const ShredCursor& f, const ZstdDictionary* dictionary, std::vector<uint32_t>* ends,
                                 std::string* data) {
  const Status s =
      DecodeTextTemplateColumn(f.data, f.template_layout, TextRows::kRawText, f.count, ends, data, dictionary);
  return s.ok() ? nullptr : "bad templated strings";
}

// For a field stored with a dictionary (f.int_dict or f.use_dict): reads the
// index of the next value's entry. Returns what is wrong, or nullptr.
const char* NextShredEntry(ShredCursor& f, uint32_t* entry) {
  if (f.entropy_coded) {  // decoded within the dictionary's bounds
    if (f.next_index == f.coded_indexes.size()) return "entropy-coded indexes used up";
    *entry = f.coded_indexes[f.next_index++];
    return nullptr;
  }
  if (f.int_dict) {
    if (f.lengths.empty()) return "truncated int indexes";
    *entry = static_cast<unsigned char>(f.lengths[0]);
    f.lengths.remove_prefix(1);
    return *entry < f.int_entries.size() ? nullptr : "int index beyond its dictionary";
  }
  uint64_t index;
  if (!GetVarint64(&f.lengths, &index) || index >= f.dict.size()) return "bad dictionary index";
  *entry = static_cast<uint32_t>(index);
  return nullptr;
}

// Appends field f's next value (the bytes after its tag, as in a row) to
// *data, or only reads past it when `data` is null (a row not selected; a
// templated field's strings are then not even decoded). Returns what is
// wrong, or nullptr.
const char* AppendNextShredValue(ShredCursor& f, const ZstdDictionary* dictionary, std::string* data) {
  switch (f.tag) {
    case av::Tag::kEmpty:
      break;
    case av::Tag::kBool:
      if (data != nullptr) data->push_back(f.lengths[0]);
      f.lengths.remove_prefix(1);
      break;
    case av::Tag::kInt: {
      if (f.int_dict) {
        uint32_t k;
        if (const char* what = NextShredEntry(f, &k)) return what;
        if (data != nullptr) PutVarint64(data, ZigZagEncode(f.int_entries[k]));
        break;
      }
      uint64_t code;
      if (!GetVarint64(&f.lengths, &code)) return "truncated int stream";
      f.prev_int += static_cast<uint64_t>(ZigZagDecode(code));
      if (data != nullptr) PutVarint64(data, ZigZagEncode(static_cast<int64_t>(f.prev_int)));
      break;
    }
    case av::Tag::kDouble: {
      if (!f.double_tops.empty()) {  // kSplitDoublesMode
        uint32_t k;
        if (const char* what = NextShredEntry(f, &k)) return what;
        if (data != nullptr) {
          const char* low = f.data.data() + f.next * kSplitDoubleLowBytes;
          uint64_t bits = f.double_tops[k];
          for (size_t b = 0; b < kSplitDoubleLowBytes; ++b)
            bits |= uint64_t{static_cast<unsigned char>(low[b])} << (8 * b);
          PutFixed64(data, bits);
        }
        ++f.next;
        break;
      }
      if (f.scale < 0) {
        if (data != nullptr) {
          char fixed[8];
          for (int b = 0; b < 8; ++b) fixed[b] = f.data[b * f.count + f.next];
          data->append(fixed, 8);
        }
        ++f.next;
        break;
      }
      uint64_t code;
      if (!GetVarint64(&f.lengths, &code) || (code & 1 && code != 1)) return "bad double code";
      if (code == 1) {
        if (f.data.size() < 8) return "truncated double exceptions";
        if (data != nullptr) data->append(f.data.data(), 8);
        f.data.remove_prefix(8);
      } else if (data != nullptr) {
        const double v = static_cast<double>(ZigZagDecode(code >> 1)) / kDecimalPow10[f.scale];
        PutFixed64(data, std::bit_cast<uint64_t>(v));
      }
      break;
    }
    default: {
      uint64_t len;
      if (f.templated) {
        if (f.next >= f.count) return "templated strings used up";
        if (data == nullptr) {
          ++f.next;
          break;
        }
        // Decoded when the first value is needed: key projections and row
        // selections skip the fields they do not keep without decoding them.
        if (!f.decoded) {
          if (const char* what = DecodeTemplatedField(f, dictionary, &f.text_ends, &f.text_data)) return what;
          f.decoded = true;
        }
        const uint32_t begin = f.next == 0 ? 0 : f.text_ends[f.next - 1];
        const uint32_t value_end = f.text_ends[f.next++];
        PutVarint64(data, value_end - begin);
        data->append(f.text_data, begin, value_end - begin);
        break;
      }
      if (f.use_dict) {
        uint32_t index;
        if (const char* what = NextShredEntry(f, &index)) return what;
        if (data == nullptr) break;
        const std::string_view v = f.dict[index];
        if (HasStringPayload(f.tag)) PutVarint64(data, v.size());
        data->append(v);
        break;
      }
      if (!GetVarint64(&f.lengths, &len) || len > f.data.size()) return "truncated string stream";
      if (data != nullptr) {
        if (HasStringPayload(f.tag)) PutVarint64(data, len);
        data->append(f.data.data(), len);
      }
      f.data.remove_prefix(len);
      break;
    }
  }
  return nullptr;
}

// True when field f's streams were used up (raw doubles are read by index).
bool ShredStreamsUsedUp(const ShredCursor& f) {
  if (f.templated) return f.next == f.count;
  if (f.entropy_coded && f.next_index != f.coded_indexes.size()) return false;
  if (!f.double_tops.empty()) return f.next == f.count;  // kSplitDoublesMode: low bytes read by index
  const bool indexed = f.tag == av::Tag::kDouble && f.scale < 0;
  return f.lengths.empty() && (indexed || f.data.empty());
}

// Rebuilds each row of a parsed block of encoding `e` from the fields it
// keeps, or only the rows `selected` names (null: every row; REQUIRES: a row
// selection, see DecodeBytesColumnRows): the streams are read past the
// others' values. Consumes the block's streams.
Status EmitShredRows(ColumnEncoding e, ShredBlock& block, const std::span<const uint32_t>* selected,
                     std::vector<uint32_t>* ends, std::string* data) {
  std::vector<ShredCursor>& fields = block.fields;
  const std::vector<bool>& keep = block.keep;
  std::vector<uint32_t> shape_begin = block.shape_begin, slots = block.slots;
  if (std::find(keep.begin(), keep.end(), false) != keep.end()) {  // drop the other fields from the shapes
    slots.clear();
    for (size_t s = 0; s + 1 < shape_begin.size(); ++s) {
      for (uint32_t k = block.shape_begin[s]; k < block.shape_begin[s + 1]; ++k) {
        if (keep[block.slots[k]]) slots.push_back(block.slots[k]);
      }
      shape_begin[s + 1] = static_cast<uint32_t>(slots.size());
    }
  }

  const size_t rows = block.row_shapes.size();
  const size_t ends_start = ends->size();
  const size_t data_start = data->size();
  auto fail = [&](std::string_view what) {
    ends->resize(ends_start);
    data->resize(data_start);
    return Malformed(e, what);
  };
  ends->resize(ends_start + (selected != nullptr ? selected->size() : rows));
  size_t emitted = 0;  // rows written to *data
  char fixed[4];
  for (size_t r = 0; r < rows; ++r) {
    const uint32_t s = block.row_shapes[r];
    if (selected != nullptr && (emitted == selected->size() || (*selected)[emitted] != r)) {
      for (uint32_t k = shape_begin[s]; k < shape_begin[s + 1]; ++k) {
        if (const char* what = AppendNextShredValue(fields[slots[k]], block.dictionary, nullptr)) return fail(what);
      }
      continue;
    }
    data->push_back(static_cast<char>(av::Tag::kKvList));
    EncodeFixed32(fixed, shape_begin[s + 1] - shape_begin[s]);
    data->append(fixed, 4);
    for (uint32_t k = shape_begin[s]; k < shape_begin[s + 1]; ++k) {
      ShredCursor& f = fields[slots[k]];
      data->append(f.prefix);
      if (const char* what = AppendNextShredValue(f, block.dictionary, data)) return fail(what);
      if (data->size() > part_format::kMaxBlockRawBytes) {
        ends->resize(ends_start);
        data->resize(data_start);
        return Status::ResourceExhausted("bytes column exceeds 4 GiB");
      }
    }
    (*ends)[ends_start + emitted++] = static_cast<uint32_t>(data->size());
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (keep[i] && !ShredStreamsUsedUp(fields[i])) return fail("trailing stream bytes");
  }
  return Status::OK();
}

// Decodes a shredded block's rows, whole (`keys` null) or only the entries
// of *keys (see DecodeBytesColumnKeys), of every row (`selected` null) or of
// the rows *selected names (see DecodeBytesColumnRows).
Status DecodeKvShreddedInto(ColumnEncoding e, std::string_view in, size_t rows,
                            const std::span<const std::string_view>* keys, std::vector<uint32_t>* ends,
                            std::string* data, const ZstdDictionary* dictionary,
                            const std::span<const uint32_t>* selected = nullptr) {
  ShredBlock block;
  block.dictionary = dictionary;
  std::function<bool(const ShredCursor&)> keep;
  if (keys != nullptr) keep = [keys](const ShredCursor& f) { return PrefixKeyIsOneOf(f.prefix, *keys); };
  OTELSTACK_RETURN_IF_ERROR(ParseShredBlock(e, in, rows, keep, &block));
  return EmitShredRows(e, block, selected, ends, data);
}

// Fills m.codes with the entry of each of field f's values (a field stored
// with a dictionary), and m.values with the entries.
const char* TakeShredEntries(ShredCursor& f, MapField& m, std::deque<std::string>* storage) {
  if (f.use_dict) {
    m.values = f.dict;
  } else {  // ints: each entry as a row's payload holds it
    std::string& payloads = storage->emplace_back();
    std::vector<uint32_t> ends;
    for (int64_t v : f.int_entries) {
      PutVarint64(&payloads, ZigZagEncode(v));
      ends.push_back(static_cast<uint32_t>(payloads.size()));
    }
    const BytesColumnView entries{ends, 0, payloads.data()};
    for (size_t k = 0; k < entries.size(); ++k) m.values.push_back(entries.value(k));
  }
  m.codes.resize(m.rows.size());
  for (uint32_t& code : m.codes) {
    if (const char* what = NextShredEntry(f, &code)) return what;
  }
  return nullptr;
}

// Fills m.values with each of field f's values (a field without a
// dictionary).
const char* TakeShredValues(ShredCursor& f, const ZstdDictionary* dictionary, MapField& m,
                            std::deque<std::string>* storage) {
  std::string& payloads = storage->emplace_back();
  std::vector<uint32_t> ends;
  // Templated strings are decoded straight into the storage; other values
  // are appended as a row holds them (strings with their length first).
  const bool length_first = HasStringPayload(m.tag) && !f.templated;
  if (f.templated) {
    if (const char* what = DecodeTemplatedField(f, dictionary, &ends, &payloads)) return what;
    f.next = f.count;
  } else {
    ends.resize(m.rows.size());
    for (uint32_t& end : ends) {
      if (const char* what = AppendNextShredValue(f, dictionary, &payloads)) return what;
      end = static_cast<uint32_t>(payloads.size());
    }
  }
  if (ends.size() != m.rows.size()) return "value count differs from the shapes'";
  const BytesColumnView values{ends, 0, payloads.data()};
  m.values.resize(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    std::string_view v = values.value(k);
    uint64_t len;
    if (length_first && !GetVarint64(&v, &len)) return "bad string value";
    m.values[k] = v;
  }
  return nullptr;
}

}  // namespace

Status DecodeKvShreddedFields(ColumnEncoding encoding, std::string_view block, size_t rows,
                              const std::function<bool(anyvalue::Tag)>& keep, MapFields* out,
                              const ZstdDictionary* dictionary) {
  if (!IsShreddedEncoding(encoding)) return Status::InvalidArgument("not a shredded attribute-map block");
  out->fields.clear();
  out->storage.clear();
  ShredBlock parsed;
  parsed.dictionary = dictionary;
  OTELSTACK_RETURN_IF_ERROR(ParseShredBlock(
      encoding, block, rows, [&](const ShredCursor& f) { return keep(f.tag); }, &parsed));
  out->storage = std::move(parsed.scratch);          // moves the deque, not its strings: views into them stay valid
  std::vector<int> taken(parsed.fields.size(), -1);  // block field -> index in out->fields
  for (size_t i = 0; i < parsed.fields.size(); ++i) {
    if (!parsed.keep[i]) continue;
    taken[i] = static_cast<int>(out->fields.size());
    MapField& m = out->fields.emplace_back();
    std::string_view prefix = parsed.fields[i].prefix;
    uint64_t key_len = 0;
    GetVarint64(&prefix, &key_len);  // checked by ParseShredHeader
    m.key = prefix.substr(0, key_len);
    m.tag = parsed.fields[i].tag;
    m.rows.reserve(parsed.fields[i].count);
  }
  for (size_t r = 0; r < rows; ++r) {
    const uint32_t s = parsed.row_shapes[r];
    for (uint32_t k = parsed.shape_begin[s]; k < parsed.shape_begin[s + 1]; ++k) {
      if (const int t = taken[parsed.slots[k]]; t >= 0) out->fields[t].rows.push_back(static_cast<uint32_t>(r));
    }
  }
  for (size_t i = 0; i < parsed.fields.size(); ++i) {
    if (taken[i] < 0) continue;
    ShredCursor& f = parsed.fields[i];
    MapField& m = out->fields[taken[i]];
    const char* what = f.int_dict || f.use_dict ? TakeShredEntries(f, m, &out->storage)
                                                : TakeShredValues(f, dictionary, m, &out->storage);
    if (what == nullptr && !ShredStreamsUsedUp(f)) what = "trailing stream bytes";
    if (what != nullptr) return Malformed(encoding, what);
  }
  return Status::OK();
}

namespace {

// Writes a dictionary block: entry count, entry lengths, entries, then the
// rows' entry indexes, entropy-coded (kBytesDictCoded) when they look like
// independent draws, else as varints (kBytesDict). `size` is the kBytesDict
// block's size, for reserving. Returns the encoding written.
ColumnEncoding PutDictionaryBlock(const std::vector<std::string_view>& entries, std::span<const uint32_t> indexes,
                                  size_t size, std::string* out) {
  out->reserve(size);
  PutVarint64(out, entries.size());
  for (std::string_view v : entries) PutVarint64(out, v.size());
  for (std::string_view v : entries) out->append(v);
  const std::vector<uint16_t> narrow(indexes.begin(), indexes.end());  // < kMaxDictEntries
  std::string coded;
  if (RansEncodeIfIndependent(narrow, entries.size(), &coded)) {
    out->append(coded);
    return ColumnEncoding::kBytesDictCoded;
  }
  for (uint32_t k : indexes) PutVarint64(out, k);
  return ColumnEncoding::kBytesDict;
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
    case ColumnEncoding::kFixedRice:
      return "fixed-rice";
    case ColumnEncoding::kFixedRelative:
      return "fixed-relative";
    case ColumnEncoding::kFixedDependent:
      return "fixed-dependent";
    case ColumnEncoding::kBytesConstant:
      return "bytes-constant";
    case ColumnEncoding::kBytesPlain:
      return "bytes-plain";
    case ColumnEncoding::kBytesDict:
      return "bytes-dict";
    case ColumnEncoding::kBytesDictCoded:
      return "bytes-dict-coded";
    case ColumnEncoding::kBytesKvShredded:
      return "bytes-kv-shredded";
    case ColumnEncoding::kBytesKvShreddedPacked:
      return "bytes-kv-shredded-packed";
    case ColumnEncoding::kBytesKvShreddedDeltaInts:
      return "bytes-kv-shredded-delta-ints";
    case ColumnEncoding::kBytesKvShreddedPackedDeltaInts:
      return "bytes-kv-shredded-packed-delta-ints";
    case ColumnEncoding::kBytesRecent:
      return "bytes-recent";
    case ColumnEncoding::kBytesTextTemplateOneNumberStream:
      return "bytes-text-template-one-number-stream";
    case ColumnEncoding::kBytesTextTemplate:
      return "bytes-text-template";
    case ColumnEncoding::kBytesTextTemplateCodedRows:
      return "bytes-text-template-coded-rows";
    case ColumnEncoding::kBytesRowRef:
      return "bytes-row-ref";
    case ColumnEncoding::kBytesDependent:
      return "bytes-dependent";
    case ColumnEncoding::kBytesConditional:
      return "bytes-conditional";
    case ColumnEncoding::kBytesRecentByClass:
      return "bytes-recent-by-class";
    case ColumnEncoding::kBytesListItems:
      return "bytes-list-items";
  }
  return "unknown-encoding";
}

bool IsTextTemplateEncoding(ColumnEncoding e) {
  return e == ColumnEncoding::kBytesTextTemplate || e == ColumnEncoding::kBytesTextTemplateOneNumberStream ||
         e == ColumnEncoding::kBytesTextTemplateCodedRows;
}

bool EncodingCompressesItself(ColumnEncoding e) {
  return IsTextTemplateEncoding(e) || e == ColumnEncoding::kBytesKvShreddedPacked ||
         e == ColumnEncoding::kBytesKvShreddedPackedDeltaInts || e == ColumnEncoding::kFixedRice;
}

bool GetLengthPrefixedValues(std::string_view* in, size_t count, std::vector<uint32_t>* starts,
                             std::string_view* bytes) {
  if (count > in->size()) return false;  // a length takes at least a byte
  starts->assign(count + 1, 0);
  uint64_t total = 0;
  for (size_t k = 0; k < count; ++k) {
    uint64_t len;
    if (!GetVarint64(in, &len) || len > in->size() || (total += len) > in->size()) return false;
    (*starts)[k + 1] = static_cast<uint32_t>(total);
  }
  *bytes = in->substr(0, total);
  in->remove_prefix(total);
  return true;
}

bool EncodingReferencesAColumn(ColumnEncoding e) {
  return e == ColumnEncoding::kBytesRowRef || e == ColumnEncoding::kBytesDependent ||
         e == ColumnEncoding::kBytesConditional || e == ColumnEncoding::kFixedDependent ||
         e == ColumnEncoding::kBytesRecentByClass;
}

Status ReferencedStoredColumn(std::string_view block, uint32_t* column) {
  uint64_t c;
  if (!GetVarint64(&block, &c) || c > UINT32_MAX) return Status::Corruption("truncated column reference");
  *column = static_cast<uint32_t>(c);
  return Status::OK();
}

bool BlockCompressesItself(ColumnEncoding e, std::string_view block) {
  if (e == ColumnEncoding::kFixedRelative) {
    return !block.empty() && EncodingCompressesItself(static_cast<ColumnEncoding>(block[0]));
  }
  if (e == ColumnEncoding::kBytesListItems) return ListItemsBlockCompressesItself(block);
  return EncodingCompressesItself(e);
}

bool IsShreddedEncoding(ColumnEncoding e) {
  return e == ColumnEncoding::kBytesKvShredded || e == ColumnEncoding::kBytesKvShreddedPacked ||
         e == ColumnEncoding::kBytesKvShreddedDeltaInts || e == ColumnEncoding::kBytesKvShreddedPackedDeltaInts;
}

bool EncodeKvShreddedColumn(const BytesColumnView& values, std::string* out, ColumnEncoding* encoding, int zstd_level) {
  ShreddedParts shredded;
  const StreamCompression compression{.level = zstd_level};
  if (ShredKvLists(values, compression, &shredded) && shredded.WriteTo(compression, out, encoding).ok()) return true;
  out->clear();
  return false;
}

namespace {

// Every fixed encoding but kFixedRelative: the one with the smallest block
// before compression.
ColumnEncoding EncodeAbsoluteFixedColumn(std::span<const uint64_t> values, std::string* out) {
  out->clear();
  const size_t n = values.size();
  uint64_t min = values[0], max = values[0];
  size_t delta_bytes = VarintLength(values[0]);
  bool sorted = true;
  for (size_t i = 1; i < n; ++i) {
    min = std::min(min, values[i]);
    max = std::max(max, values[i]);
    sorted &= values[i] >= values[i - 1];
    delta_bytes += VarintLength(DeltaCode(values[i - 1], values[i]));
  }
  if (min == max) {
    PutFixed64(out, min);
    return ColumnEncoding::kFixedConstant;
  }
  const int width = BytesNeeded(max - min);
  const size_t frame_bytes = VarintLength(min) + 1 + n * width;
  const size_t plain_bytes = n * 8;
  // Rice codes need noise in the low kMinRiceParameter bits: a range below
  // that cannot have it.
  if (max - min >= (uint64_t{1} << kMinRiceParameter) && EncodeRice(values, sorted, min, out) &&
      out->size() < std::min({plain_bytes, frame_bytes, delta_bytes})) {
    return ColumnEncoding::kFixedRice;
  }
  out->clear();
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

}  // namespace

ColumnEncoding EncodeFixedColumn(std::span<const uint64_t> values, std::string* out, std::span<const uint64_t> time) {
  const ColumnEncoding absolute = EncodeAbsoluteFixedColumn(values, out);
  if (time.size() != values.size() || absolute == ColumnEncoding::kFixedConstant) return absolute;
  thread_local std::vector<uint64_t> offsets;
  offsets.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) offsets[i] = values[i] - time[i];
  thread_local std::string relative;
  const ColumnEncoding inner = EncodeAbsoluteFixedColumn(offsets, &relative);
  if (1 + relative.size() >= out->size()) return absolute;
  out->clear();
  out->push_back(static_cast<char>(inner));
  out->append(relative);
  return ColumnEncoding::kFixedRelative;
}

Status DecodeFixedColumn(ColumnEncoding encoding, std::string_view block, size_t rows, std::vector<uint64_t>* out,
                         std::span<const uint64_t> time) {
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
    case ColumnEncoding::kFixedRice:
      return DecodeRice(block, rows, out);
    case ColumnEncoding::kFixedDependent:
      return Status::Corruption("a fixed-dependent block is decoded with the column it refers to");
    case ColumnEncoding::kFixedRelative: {
      if (time.size() != rows) return Malformed(encoding, "decoded without the time column");
      if (block.empty()) return Malformed(encoding, "empty");
      const auto inner = static_cast<ColumnEncoding>(block[0]);
      if (inner == ColumnEncoding::kFixedRelative) return Malformed(encoding, "nested");
      const size_t start = out->size();
      OTELSTACK_RETURN_IF_ERROR(DecodeFixedColumn(inner, block.substr(1), rows, out));
      for (size_t i = 0; i < rows; ++i) (*out)[start + i] += time[i];
      return Status::OK();
    }
    default:
      return Status::Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                                " is not a fixed column encoding");
  }
}

namespace {

struct DictionaryAttempt {
  StringIndex dict;
  std::vector<uint32_t> indexes;  // of each row, when complete
  size_t bytes = 0;               // entries (length-prefixed) and indexes, as varints
  bool complete = false;          // every row has an index
  bool outgrown = false;          // given up at max_entries + 1 entries
};

// Builds a dictionary of `values` into *a (reset first). Gives up as soon as
// it would hold more than `max_entries` entries, or when the first
// kDictSampleRows rows are nearly all distinct (bodies, ids): hashing
// thousands of unique values only to give up is the most expensive part of
// encoding otherwise.
void TryDictionary(const BytesColumnView& values, size_t max_entries, DictionaryAttempt* a) {
  const size_t n = values.size();
  a->dict.Clear();
  a->indexes.resize(n);
  a->bytes = 0;
  a->complete = a->outgrown = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view v = values.value(i);
    auto [id, inserted] = a->dict.Insert(v);
    if (inserted) {
      // dict.size() counts v: give up at entry max_entries + 1, or when row
      // kDictSampleRows is new and most rows before it were too.
      a->outgrown = a->dict.size() > max_entries;
      if (a->outgrown || (i == kDictSampleRows && a->dict.size() - 1 > kDictSampleMaxDistinct)) return;
      a->bytes += VarintLength(v.size()) + v.size();
    }
    a->indexes[i] = id;
    a->bytes += VarintLength(id);
  }
  a->complete = true;
}

// EncodeBytesColumn for values that are not all equal, taken whole.
ColumnEncoding EncodeWholeRows(const BytesColumnView& values, size_t plain_bytes, std::string* out,
                               const BytesEncodeOptions& options) {
  const size_t n = values.size();
  const std::string_view first = values.value(0);
  // Ids (trace and span ids) usually take kBytesRecent, and a dictionary
  // larger than kKeepDictEntries is kept only when that fails: a first
  // attempt stops there, so that the usual granule does not hash its ~1100
  // distinct ids into a table that is then dropped.
  DictionaryAttempt attempt;
  TryDictionary(values, options.try_recent_values ? kKeepDictEntries : kMaxDictEntries, &attempt);
  bool recent_tried = false;
  if (options.try_recent_values && attempt.outgrown) {
    if (EncodeRecentValues(values, {}, plain_bytes, out)) return ColumnEncoding::kBytesRecent;
    out->clear();
    recent_tried = true;  // against the loosest bound: it would fail again
    TryDictionary(values, kMaxDictEntries, &attempt);
  }
  const StringIndex& dict = attempt.dict;
  const std::vector<uint32_t>& indexes = attempt.indexes;
  const size_t dict_bytes = attempt.bytes;
  const bool use_dict = attempt.complete;
  const bool dict_wins = use_dict && VarintLength(dict.size()) + dict_bytes < plain_bytes;
  // Attribute maps: shred when every row is a kvlist and that beats both
  // (before compression; shredding mostly removes the repeated keys). A
  // dictionary of few entries (resource attributes) always wins: skip.
  const bool small_dict = dict_wins && dict.size() * 8 <= n;
  if (options.try_shredding && !small_dict && !first.empty() && first[0] == static_cast<char>(anyvalue::Tag::kKvList)) {
    ShreddedParts shredded;
    const size_t best = dict_wins ? VarintLength(dict.size()) + dict_bytes : plain_bytes;
    ColumnEncoding encoding;
    // zstd fails only on allocation: then the next encoding is used.
    if (ShredKvLists(values, options.compression, &shredded, options.map_values) && shredded.RawSize() < best &&
        shredded.WriteTo(options.compression, out, &encoding).ok()) {
      return encoding;
    }
    out->clear();
  }
  // Ids recur a few rows apart among other ids: a move-to-front code beats a
  // large dictionary's indexes. The attempt gives up early on values that
  // rarely repeat and as soon as it cannot beat the best so far.
  const bool keep_dict = dict_wins && dict.size() <= kKeepDictEntries;
  if (options.try_recent_values && !keep_dict && !recent_tried) {
    const size_t best = dict_wins ? VarintLength(dict.size()) + dict_bytes : plain_bytes;
    // A finished dictionary attempt has given every row a value id.
    const std::span<const uint32_t> value_ids =
        use_dict ? std::span<const uint32_t>(indexes) : std::span<const uint32_t>();
    if (EncodeRecentValues(values, value_ids, best, out)) return ColumnEncoding::kBytesRecent;
    out->clear();
  }
  if (dict_wins) return PutDictionaryBlock(dict.keys(), indexes, VarintLength(dict.size()) + dict_bytes, out);

  TextTemplateLayout layout;
  if (options.try_text_templates && !first.empty() && first[0] == static_cast<char>(anyvalue::Tag::kString) &&
      EncodeTextTemplateColumn(values, TextRows::kAnyValueStrings, options.compression, plain_bytes, out, &layout,
                               options.text_values)) {
    return layout == TextTemplateLayout::kCodedRows ? ColumnEncoding::kBytesTextTemplateCodedRows
                                                    : ColumnEncoding::kBytesTextTemplate;
  }

  out->reserve(plain_bytes);
  for (size_t i = 0; i < n; ++i) PutVarint64(out, values.value(i).size());
  uint32_t begin = values.begin;
  out->append(values.data + begin, values.ends[n - 1] - begin);
  return ColumnEncoding::kBytesPlain;
}

// The bytes a block of encoding `e` takes in a part: its own size when it
// compresses itself, else what the part writer's zstd pass would leave
// (CompressColumnBlock), computed without recording anything.
size_t StoredBlockSize(ColumnEncoding e, std::string_view block, const StreamCompression& compression) {
  return BlockCompressesItself(e, block) ? block.size() : CompressedSize(block, compression);
}

// What a trial encoding does to its StreamCompression (a part dictionary
// used, streams recorded for one), held apart until the trial is chosen.
class TrialCompression {
 public:
  explicit TrialCompression(const StreamCompression& real) : real_(real), trial_(real) {
    trial_.used_dictionary = &used_dictionary_;
    trial_.record = real.record != nullptr ? &record_ : nullptr;
  }
  const StreamCompression& compression() const { return trial_; }
  void Commit() const {
    if (used_dictionary_ && real_.used_dictionary != nullptr) *real_.used_dictionary = true;
    if (real_.record != nullptr && real_.record->size() < kMaxZstdDictionaryBytes) {
      real_.record->append(record_, 0, kMaxZstdDictionaryBytes - real_.record->size());
    }
  }

 private:
  const StreamCompression& real_;
  StreamCompression trial_;
  bool used_dictionary_ = false;
  std::string record_;
};

// Arrays of kvlists (span events): the items as a column of their own, or
// the rows whole, whichever the part stores in fewer bytes.
ColumnEncoding EncodeListItemsOrWholeRows(const BytesColumnView& values, const ListItems& split, size_t plain_bytes,
                                          std::string* out, const BytesEncodeOptions& options) {
  const TrialCompression items_trial(options.compression), rows_trial(options.compression);
  BytesEncodeOptions trial = options;
  trial.compression = items_trial.compression();
  thread_local std::string items_block;
  const bool items_ok = EncodeListItemsColumn(split, trial, &items_block).ok();
  trial.compression = rows_trial.compression();
  const ColumnEncoding rows_encoding = EncodeWholeRows(values, plain_bytes, out, trial);
  if (items_ok && StoredBlockSize(ColumnEncoding::kBytesListItems, items_block, options.compression) <
                      StoredBlockSize(rows_encoding, *out, options.compression)) {
    items_trial.Commit();
    out->assign(items_block);
    return ColumnEncoding::kBytesListItems;
  }
  rows_trial.Commit();
  return rows_encoding;
}

}  // namespace

ColumnEncoding EncodeBytesColumn(const BytesColumnView& values, std::string* out, const BytesEncodeOptions& options) {
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
  if (options.try_shredding) {
    thread_local ListItems split;
    if (SplitListItems(values, &split)) return EncodeListItemsOrWholeRows(values, split, plain_bytes, out, options);
  }
  return EncodeWholeRows(values, plain_bytes, out, options);
}

bool EncodeCodedBytesColumn(std::span<const uint32_t> codes, const BytesColumnView& entries,
                            const BytesEncodeOptions& options, std::string* out, ColumnEncoding* encoding) {
  // Ids may take kBytesRecent; EncodeBytesColumn decides.
  if (options.try_recent_values) return false;
  const size_t n = codes.size();
  constexpr uint32_t kUnseen = UINT32_MAX;
  std::vector<uint32_t> local(entries.size(), kUnseen);  // block index of each entry
  std::vector<uint32_t> used;                            // entries, in order of first use
  size_t plain_bytes = 0, dict_bytes = 0;
  for (uint32_t code : codes) {
    const size_t size = entries.value(code).size();
    plain_bytes += VarintLength(size) + size;
    if (local[code] == kUnseen) {
      local[code] = static_cast<uint32_t>(used.size());
      used.push_back(code);
      dict_bytes += VarintLength(size) + size;
    }
    dict_bytes += VarintLength(local[code]);
  }
  out->clear();
  if (used.size() == 1) {
    out->assign(entries.value(used[0]));
    *encoding = ColumnEncoding::kBytesConstant;
    return true;
  }
  // Arrays of kvlists may take kBytesListItems: EncodeBytesColumn decides.
  const std::string_view first = entries.value(used[0]);
  if (!first.empty() && first[0] == static_cast<char>(anyvalue::Tag::kArray)) return false;
  // What EncodeBytesColumn does with these rows: a dictionary attempt that
  // cannot give up (at most kDictSampleMaxDistinct entries), which wins, and
  // is small (at most one entry per 8 rows), so shredding is not tried.
  const bool dict_wins = VarintLength(used.size()) + dict_bytes < plain_bytes;
  if (used.size() > kDictSampleMaxDistinct || used.size() * 8 > n || !dict_wins) return false;
  std::vector<std::string_view> dict;
  dict.reserve(used.size());
  for (uint32_t code : used) dict.push_back(entries.value(code));
  std::vector<uint32_t> indexes(n);
  for (size_t i = 0; i < n; ++i) indexes[i] = local[codes[i]];
  *encoding = PutDictionaryBlock(dict, indexes, VarintLength(used.size()) + dict_bytes, out);
  return true;
}

Status DecodeBytesColumn(ColumnEncoding encoding, std::string_view block, size_t rows, std::vector<uint32_t>* ends,
                         std::string* data, std::vector<uint32_t>* codes, const ZstdDictionary* dictionary) {
  if (codes != nullptr) codes->clear();
  switch (encoding) {
    case ColumnEncoding::kBytesConstant: {
      if (codes != nullptr) {  // dictionary form: one entry
        if (!FitsIn32(*data, block.size())) return Status::ResourceExhausted("bytes column exceeds 4 GiB");
        data->append(block);
        ends->push_back(static_cast<uint32_t>(data->size()));
        codes->assign(rows, 0);
        return Status::OK();
      }
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
    case ColumnEncoding::kBytesDictCoded:
      return DecodeBytesDict(block, rows, ends, data, codes, encoding == ColumnEncoding::kBytesDictCoded);
    case ColumnEncoding::kBytesKvShredded:
    case ColumnEncoding::kBytesKvShreddedPacked:
    case ColumnEncoding::kBytesKvShreddedDeltaInts:
    case ColumnEncoding::kBytesKvShreddedPackedDeltaInts:
      return DecodeKvShreddedInto(encoding, block, rows, /*keys=*/nullptr, ends, data, dictionary);
    case ColumnEncoding::kBytesRecent:
      return DecodeRecentValues(block, rows, ends, data);
    case ColumnEncoding::kBytesListItems:
      return DecodeListItemsColumn(block, rows, ends, data, dictionary);
    case ColumnEncoding::kBytesTextTemplateOneNumberStream:
    case ColumnEncoding::kBytesTextTemplate:
    case ColumnEncoding::kBytesTextTemplateCodedRows:
      return DecodeTextTemplateColumn(block, TextTemplateLayoutOf(encoding), TextRows::kAnyValueStrings, rows, ends,
                                      data, dictionary);
    case ColumnEncoding::kBytesRowRef:
    case ColumnEncoding::kBytesDependent:
    case ColumnEncoding::kBytesConditional:
    case ColumnEncoding::kBytesRecentByClass:
      return Status::Corruption("a " + std::string(ColumnEncodingName(encoding)) +
                                " block is decoded with the column it refers to");
    default:
      return Status::Corruption("encoding " + std::to_string(static_cast<int>(encoding)) +
                                " is not a bytes column encoding");
  }
}

bool IsRowSelection(std::span<const uint32_t> selected, size_t rows) {
  for (size_t i = 0; i < selected.size(); ++i) {
    if (selected[i] >= rows || (i > 0 && selected[i] <= selected[i - 1])) return false;
  }
  return true;
}

void AppendSelectedValues(const BytesColumnView& values, std::span<const uint32_t> codes,
                          std::span<const uint32_t> selected, std::vector<uint32_t>* ends, std::string* data) {
  for (uint32_t row : selected) {
    data->append(values.value(codes.empty() ? row : codes[row]));
    ends->push_back(static_cast<uint32_t>(data->size()));
  }
}

Status DecodeBytesColumnRows(ColumnEncoding encoding, std::string_view block, size_t rows,
                             std::span<const uint32_t> selected, std::vector<uint32_t>* ends, std::string* data,
                             const ZstdDictionary* dictionary) {
  if (!IsRowSelection(selected, rows)) return Status::InvalidArgument("row selection out of order or range");
  if (IsShreddedEncoding(encoding)) {
    return DecodeKvShreddedInto(encoding, block, rows, /*keys=*/nullptr, ends, data, dictionary, &selected);
  }
  if (IsTextTemplateEncoding(encoding)) {
    return DecodeTextTemplateColumn(block, TextTemplateLayoutOf(encoding), TextRows::kAnyValueStrings, rows, ends, data,
                                    dictionary, &selected);
  }
  std::vector<uint32_t> all_ends;
  std::string all_data;
  OTELSTACK_RETURN_IF_ERROR(DecodeBytesColumn(encoding, block, rows, &all_ends, &all_data, nullptr, dictionary));
  AppendSelectedValues(BytesColumnView{all_ends, 0, all_data.data()}, {}, selected, ends, data);
  return Status::OK();
}

Status DecodeBytesColumnKeys(ColumnEncoding encoding, std::string_view block, size_t rows,
                             std::span<const std::string_view> keys, std::vector<uint32_t>* ends, std::string* data,
                             const ZstdDictionary* dictionary) {
  if (!IsShreddedEncoding(encoding)) return DecodeBytesColumn(encoding, block, rows, ends, data, nullptr, dictionary);
  return DecodeKvShreddedInto(encoding, block, rows, &keys, ends, data, dictionary);
}

Status CompressBlock(std::string_view raw, int level, std::string* stored, BlockCompression* compression) {
  return CompressBlock(raw, StreamCompression{.level = level}, stored, compression);
}

Status CompressBlock(std::string_view raw, const StreamCompression& compression, std::string* stored,
                     BlockCompression* compression_used) {
  if (raw.size() >= kMinCompressibleBytes) {
    OTELSTACK_RETURN_IF_ERROR(ZstdCompress(raw, compression.level, compression.dictionary, stored));
    if (stored->size() < raw.size()) {
      *compression_used = BlockCompression::kZstd;
      if (compression.dictionary != nullptr && compression.used_dictionary != nullptr) {
        *compression.used_dictionary = true;
      }
      // What compressed to under half its size has structure that may
      // recur in other granules (templates, keys, dictionaries): a
      // dictionary's content. Random ids and numbers compress less and
      // would only make the dictionary larger.
      std::string* record = compression.record;
      if (record != nullptr && stored->size() * 2 < raw.size() && record->size() < kMaxZstdDictionaryBytes) {
        record->append(raw.substr(0, kMaxZstdDictionaryBytes - record->size()));
      }
      return Status::OK();
    }
  }
  stored->assign(raw);
  *compression_used = BlockCompression::kNone;
  return Status::OK();
}

double OrderZeroBits(std::string_view bytes) {
  uint32_t counts[256] = {};
  for (unsigned char c : bytes) ++counts[c];
  double bits = 0;
  const double n = static_cast<double>(bytes.size());
  for (uint32_t c : counts) {
    if (c != 0) bits -= c * std::log2(c / n);
  }
  return bits;
}

size_t CompressedSize(std::string_view raw, const StreamCompression& compression) {
  StreamCompression measure = compression;
  measure.record = nullptr;
  measure.used_dictionary = nullptr;
  thread_local std::string stored;
  BlockCompression used;
  return CompressBlock(raw, measure, &stored, &used).ok() ? stored.size() : raw.size();
}

Status DecompressBlock(BlockCompression compression, std::string_view stored, size_t raw_size, std::string* scratch,
                       std::string_view* raw, const ZstdDictionary* dictionary) {
  switch (compression) {
    case BlockCompression::kNone:
      if (stored.size() != raw_size) return Status::Corruption("uncompressed block size mismatch");
      *raw = stored;
      return Status::OK();
    case BlockCompression::kZstd:
      OTELSTACK_RETURN_IF_ERROR(ZstdDecompress(stored, raw_size, dictionary, scratch));
      *raw = *scratch;
      return Status::OK();
    case BlockCompression::kZstdDictionary:
    case BlockCompression::kDictionaryStreams:
      // The part reader resolves the block's dictionary id first (part_format.h).
      return Status::Corruption("a block that refers to a part dictionary, read without it");
  }
  return Status::Corruption("unknown block compression " + std::to_string(static_cast<int>(compression)));
}

Status PutPackedStream(std::string_view raw, bool compress, const StreamCompression& compression, std::string* out) {
  PutVarint64(out, raw.size());
  if (!compress) {
    PutVarint64(out, raw.size());
    out->append(raw);
    return Status::OK();
  }
  thread_local std::string stored;
  BlockCompression used;
  OTELSTACK_RETURN_IF_ERROR(CompressBlock(raw, compression, &stored, &used));
  PutVarint64(out, stored.size());
  out->append(stored);
  return Status::OK();
}

Status GetPackedStream(std::string_view* in, std::string* scratch, std::string_view* raw,
                       const ZstdDictionary* dictionary) {
  uint64_t raw_size;
  std::string_view stored;
  OTELSTACK_RETURN_IF_ERROR(ReadPackedStream(in, &raw_size, &stored));
  const bool compressed = stored.size() < raw_size;
  // Before allocating raw_size bytes: a zstd frame declares its content
  // size, and both must agree (a corrupt size is not trusted alone).
  if (compressed && ZSTD_getFrameContentSize(stored.data(), stored.size()) != raw_size) {
    return Status::Corruption("stream size disagrees with its zstd frame");
  }
  return DecompressBlock(compressed ? BlockCompression::kZstd : BlockCompression::kNone, stored, raw_size, scratch, raw,
                         dictionary);
}

}  // namespace otelstack
