// Column codecs: turn one column's values for one granule into a compact byte
// block and back. Encoding is chosen per block by estimated size (the
// encoders never fail); compression with zstd is applied on top only when it
// shrinks the block.
//
// Fixed columns (64-bit slots; the codec never interprets them, so int64 and
// float64 bit patterns, NaN payloads included, round-trip exactly):
//   kFixedConstant  all rows equal: the value as u64 LE (8 bytes)
//   kFixedPlain     rows x u64 LE
//   kFixedDelta     first value varint, then rows-1 x varint zigzag(v[i]-v[i-1])
//                   (wrapping arithmetic); best for sorted timestamps
//   kFixedFrame     frame of reference: min varint, width:u8 (1..8), then
//                   rows x (v-min) as `width`-byte LE integers
//   kFixedRice      Rice codes (rice_codec.h) for numbers with noisy low
//                   bits: mode:u8, base varint, k:u8, then the code stream.
//                   Mode 0 (values sorted ascending): base = the first
//                   value, then rows-1 codes of v[i]-v[i-1]; mode 1: base =
//                   the minimum, then rows codes of v[i]-min. Used when k is
//                   at least kMinRiceParameter (lower, zstd's entropy stage
//                   on the other encodings does as well), few residuals
//                   repeat the previous one (zstd codes repeats in almost
//                   nothing) and the codes are smaller than the other
//                   encodings before compression; the block is stored
//                   without further compression. Modes 2 and 3 are modes 0
//                   and 1 with the residuals bucketed instead of Rice-coded,
//                   when smaller: no k byte, then bucket alphabet varint,
//                   the residuals' buckets as a length-prefixed rANS stream,
//                   then the raw low bits, LSB first (a residual v < 16 is
//                   its own bucket; one of bit width w is bucket
//                   16 + 8 (w - 5) + its three bits below the top one, and
//                   has w - 4 raw bits). Durations spread over orders of
//                   magnitude and uniform delays, which Rice codes fit
//                   badly.
//   kFixedRelative  the values minus the same rows' values of the part's
//                   time column (wrapping): inner encoding:u8 (any fixed
//                   encoding but this one), then the inner block. Tried for
//                   timestamp columns other than the time column (a log's
//                   ObservedTimestamp is its Timestamp plus a small delay);
//                   used when its block is smaller than the absolute one's.
//                   Decoding needs the granule's time column.
//   kFixedDependent  a value per distinct value of another column, when the
//                   column is a function of it in the granule (layout in
//                   dependent_codec.h; see kBytesDependent).
// Bytes columns (strings, ids, encoded any-values):
//   kBytesConstant  all rows equal: the value itself
//   kBytesPlain     rows x length varint, then the concatenated values
//   kBytesDict      dict_count varint, dict_count x length varint, the
//                   concatenated dictionary values, then rows x index varint
//                   (used when <= kMaxDictEntries distinct values save space)
//   kBytesDictCoded the same entries, then instead of the index varints one
//                   rANS stream (rans_codec.h, alphabet = dict_count) of the
//                   rows' indexes: used when the indexes look like
//                   independent draws (severities, span names), whose zstd
//                   form takes up to half again their entropy
//   kBytesKvShredded  every row is a whole kvlist any-value (attribute maps).
//                   A field is one distinct (key, value tag); its prefix is the
//                   byte run "key length varint, key, tag" exactly as in rows.
//                   A shape is one row's ordered list of fields.
//                     field_count varint, field_count x prefix
//                     shape_count varint (>= 1), shape_count x
//                       (slot_count varint, slot_count x field id varint)
//                     rows x shape id varint
//                     per field, in field order, its streams, each as
//                     (byte size varint, bytes); n = the field's value count:
//                       empty          no stream
//                       bool           n raw value bytes, or (a stream
//                                      shorter than n) distinct count
//                                      varint, the distinct bytes, then a
//                                      rANS stream of each value's index
//                                      into them
//                       int            mode u8, then for mode 0: n x varint
//                                      zigzag(v - previous v of the field;
//                                      starts at 0), wrapping, length-
//                                      prefixed; for mode 1 (at most 256
//                                      distinct values): entry count
//                                      varint, entries as zigzag varints,
//                                      n x index u8; for mode 2, the same
//                                      entries, then the indexes as one
//                                      length-prefixed rANS stream
//                                      (rans_codec.h, alphabet = entry
//                                      count); for mode 3, the mode-1
//                                      entries coded given another field
//                                      (see "Coded given another field")
//                                      (kBytesKvShreddedDeltaInts and
//                                      kBytesKvShreddedPackedDeltaInts, the
//                                      layouts of format version 4, have
//                                      no mode byte: always mode 0)
//                       double         mode u8, then for mode 0: 8n bytes
//                                      byte-transposed (byte b of value i at
//                                      b*n + i); for mode 1 + scale (scale
//                                      0..9, value == r / 10^scale exactly):
//                                      codes (n varints: zigzag(r) << 1, or
//                                      1 for an exception), then exceptions
//                                      (8 raw LE bytes each); for mode 11
//                                      (full-precision values): top count
//                                      varint, the distinct top 16 bits
//                                      ascending, as varints of the
//                                      difference from the previous one
//                                      (the first: itself), each value's
//                                      top as a
//                                      length-prefixed rANS stream of
//                                      indexes into them (alphabet = top
//                                      count), then length-prefixed the
//                                      48 low bits of each value (6 LE
//                                      bytes)
//                       string, bytes, array, kvlist: the payloads after
//                                      the tag (for lists kept verbatim, for
//                                      strings without their length varint);
//                                      mode u8, then for mode 0: lengths (n
//                                      varints), payload bytes; for mode 1
//                                      (dictionary, <= kMaxDictEntries):
//                                      entry lengths, entry bytes, n index
//                                      varints; mode 4 is mode 1 with the
//                                      indexes as one length-prefixed rANS
//                                      stream (alphabet = entry count),
//                                      written when they look like
//                                      independent draws; mode 5 is mode 1
//                                      coded given another field (below);
//                                      for mode 3 (strings only):
//                                      one stream, a text-template block
//                                      (layout kNumberContexts) of the n
//                                      texts (raw text rows,
//                                      text_template_codec.h); mode 2 is
//                                      the same in layout kOneNumberStream
//                                      (written before, read only), mode 6
//                                      in layout kCodedRows
//                   Coded given another field (int mode 3, string mode 5):
//                   the mode-1 entries (strings: entry lengths, entries;
//                   ints: count, entries), then the context field (its index
//                   in the field list; a field with a dictionary, not itself
//                   coded given another), list count varint (its entry count
//                   + 1), per context value c (the last: rows without the
//                   context field) n varint and n entry varints, then a
//                   position alphabet varint and, length-prefixed, a rANS
//                   stream of each value's position in the list of its row's
//                   context value (the context field's first value in the
//                   row). Written when a field mostly follows from another
//                   (an HTTP method from its route).
//                   Decoding rebuilds each row byte-identically (key order,
//                   duplicate keys, u32 counts). Written for small blocks
//                   (below ~1 KiB per stream), else:
//   kBytesKvShreddedPacked  the same content as kBytesKvShredded, cut into
//                   packed streams (PutPackedStream: each compressed by
//                   itself): first one holding the fields, shapes and row
//                   shape ids, then one per field that has values (tag not
//                   empty), in field order, holding that field's streams.
//                   A mode 2 or 3 field's stream is stored as it is (its text
//                   template block compresses its own streams), and so is a
//                   double field's in mode 11; the block is stored without
//                   further compression.
//                   Either layout is used only when it is smaller than
//                   dict/plain before compression, every row parses as a
//                   whole kvlist with minimal varints, and there are <= 4096
//                   fields and shapes.
//   kBytesRecent    move-to-front coding for ids that recur a few rows apart
//                   (see recent_value_codec.h): rows x code byte (0 = next
//                   literal, k = position k-1 of the list of the
//                   kRecentListSize most recent distinct values), literal
//                   lengths as varints, the concatenated literals. Tried for
//                   id columns (trace and span ids); used when it is smaller
//                   than plain and than a dictionary that is not small (more
//                   than kKeepDictEntries entries): small dictionaries are
//                   kept for the query engine's dictionary form.
//   kBytesRowRef    values that repeat another column's value a few rows
//                   away in the granule (a span's ParentSpanId is its parent's
//                   SpanId): per row, a reference to that row or a literal
//                   (layout in row_ref_codec.h). Tried for the columns
//                   RowReferenceColumn (schema.h) names; used when smaller
//                   than the column's other encoding before compression.
//                   Decoding needs the referenced column: DecodeBytesColumn
//                   rejects it, row_ref_codec.h decodes it (as
//                   dependent_codec.h does kBytesDependent).
//   kBytesDependent  a value per distinct value of another column, when the
//                   column is a function of it in the granule (ScopeName of
//                   ServiceName): layout in dependent_codec.h. Tried for the
//                   columns DeterminingColumns (schema.h) names, first, and
//                   used whenever it applies and the column is not constant.
//                   Decoding needs the referenced column's values or codes.
//   kBytesConditional  an index per row into the values seen with the row's
//                   value of another column (a service's pods' resource
//                   attributes): layout in dependent_codec.h. Tried next for
//                   the same columns, with the first determining column,
//                   and used whenever it applies (few values per value of
//                   that column) and the column is not constant.
//   kBytesRecentByClass  kBytesRecent with a recent list per value of
//                   another column too (a log's trace and span ids among the
//                   service's latest): layout in recent_value_codec.h. Tried
//                   first for the columns RecentValueClassColumn (schema.h)
//                   names; used when the values repeat. Decoding needs the
//                   referenced column's values or codes.
//   kBytesTextTemplate  log bodies as message templates plus typed variable
//                   streams, each stream zstd-compressed by the encoding
//                   itself (the block is then stored without further
//                   compression); layout kNumberContexts in
//                   text_template_codec.h. Tried for AnyValue columns whose
//                   dictionary fails; used when it is smaller than plain
//                   before compression.
//   kBytesTextTemplateOneNumberStream  the same in layout kOneNumberStream
//                   (written by format version 5 and before; read only).
//   kBytesTextTemplateCodedRows  the same in layout kCodedRows: the rows'
//                   template codes rANS-coded, written when they look like
//                   independent draws and that is smaller.
//   kBytesListItems  every row an array of kvlists (span events and links):
//                   each row's item count, then the items of all rows as a
//                   column of their own (shredded, like attribute maps);
//                   layout in list_items_codec.h. Tried with shredding; used
//                   when its stored size (after compression) is smaller
//                   than that of the block the rows would take whole.
//
// Decoders validate everything they read and return Corruption (without
// context; callers add file, granule and column) instead of reading out of
// bounds. They append to caller-owned buffers: a bytes column decodes into one
// data buffer plus end offsets, with no allocation per row.
//
// Compression contexts are cached per thread, so all functions here are safe
// to call concurrently.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/any_value.h"
#include "common/status.h"
#include "store/part_format.h"
#include "store/text_template_codec.h"
#include "store/zstd_dictionary.h"

namespace otelstack {

enum class ColumnEncoding : uint8_t {
  kFixedConstant = 1,
  kFixedPlain = 2,
  kFixedDelta = 3,
  kFixedFrame = 4,
  kFixedRice = 5,
  kFixedRelative = 6,
  kFixedDependent = 7,
  kBytesConstant = 16,
  kBytesPlain = 17,
  kBytesDict = 18,
  kBytesKvShreddedDeltaInts = 19,  // read only: kBytesKvShredded before int modes
  kBytesRecent = 20,
  kBytesTextTemplateOneNumberStream = 21,  // read only: kBytesTextTemplate before number contexts
  kBytesKvShreddedPackedDeltaInts = 22,    // read only: kBytesKvShreddedPacked before int modes
  kBytesRowRef = 23,
  kBytesDependent = 24,
  kBytesConditional = 25,
  kBytesRecentByClass = 26,
  kBytesKvShredded = 27,
  kBytesKvShreddedPacked = 28,
  kBytesTextTemplate = 29,
  kBytesDictCoded = 30,
  kBytesTextTemplateCodedRows = 31,  // kBytesTextTemplate in layout kCodedRows
  kBytesListItems = 32,
};

// Whether blocks of `e` compress their own streams: the writer stores them
// as they are instead of trying zstd over the whole block again.
bool EncodingCompressesItself(ColumnEncoding e);
// The same for one block: also true for a kFixedRelative block whose inner
// encoding compresses itself.
bool BlockCompressesItself(ColumnEncoding e, std::string_view block);

// Whether blocks of `e` are text-template blocks (text_template_codec.h) of
// whole values (log bodies), in any layout.
bool IsTextTemplateEncoding(ColumnEncoding e);

// Whether blocks of `e` hold shredded attribute maps (either layout), which
// DecodeBytesColumnKeys can decode for a few keys.
bool IsShreddedEncoding(ColumnEncoding e);

inline constexpr size_t kMaxDictEntries = 4096;
// A dictionary of at most this many entries is kept even when kBytesRecent
// would be smaller: queries compare and group such columns (service names,
// severities) by dictionary code without decoding them. An absolute bound,
// so that the small last granule of a part keeps its dictionary too (a
// full granule of 8192 rows holds ~1100 distinct trace ids).
inline constexpr size_t kKeepDictEntries = 256;

std::string_view ColumnEncodingName(ColumnEncoding e);

// A bytes column slice in RowBatch layout: value i spans
// [i == 0 ? begin : ends[i-1], ends[i]) of `data`.
struct BytesColumnView {
  std::span<const uint32_t> ends;
  uint32_t begin = 0;
  const char* data = nullptr;

  size_t size() const { return ends.size(); }
  std::string_view value(size_t i) const {
    uint32_t b = i == 0 ? begin : ends[i - 1];
    return std::string_view(data + b, ends[i] - b);
  }
};

// Encodes `values` (REQUIRES: non-empty) into *out (replacing its content).
// With `time` (the same rows of the part's time column, or empty), the
// values relative to it are tried too (kFixedRelative).
ColumnEncoding EncodeFixedColumn(std::span<const uint64_t> values, std::string* out,
                                 std::span<const uint64_t> time = {});
// Rice codes are used only from this parameter up: below it, the values'
// low bits are not noise, and zstd over the other encodings codes them as
// well or better.
inline constexpr int kMinRiceParameter = 8;
// Whether decoding a block of `e` needs the granule's time column.
inline bool FixedEncodingNeedsTime(ColumnEncoding e) { return e == ColumnEncoding::kFixedRelative; }
// Reads `count` varint lengths from the front of *in, then the bytes they
// add up to (how several encodings store literals and dictionary entries):
// value k is [(*starts)[k], (*starts)[k+1]) of *bytes. False when *in is too
// short for either.
bool GetLengthPrefixedValues(std::string_view* in, size_t count, std::vector<uint32_t>* starts,
                             std::string_view* bytes);
// Whether a block of `e` refers to another column of its granule, which
// ReferencedStoredColumn names: kBytesRowRef, kBytesDependent,
// kBytesConditional, kFixedDependent, kBytesRecentByClass. The column
// referred to is stored this way itself only when it is stored before the
// column referring to it (PartReader checks), so references never cycle.
bool EncodingReferencesAColumn(ColumnEncoding e);
// The stored column (its index in the part) a block of such an encoding
// refers to: the block's first varint.
Status ReferencedStoredColumn(std::string_view block, uint32_t* column);
// Receives the values of an attribute-map column's items as the shredding
// encoder reads them, so that the token index need not parse the maps again
// (SkipIndexBuilder::AttributeValuesOf). `value_bytes` is the value as
// stored (tag and payload) and views the rows, like `value`'s views. Every
// distinct value of a field is passed at least once: ints and bools only
// the first time their field holds them, other values every time. String
// values take another way: once the encoding of their field is chosen,
// their text goes to StringValues() as TextSplitSink describes, in the
// cheapest form that encoding has (a dictionary's entries, what the
// template encoder splits, or else every value whole, as Text()).
// MapValuesComplete() follows only when every distinct value of every field
// was passed; an attempt that gives up may have passed some.
class MapValueSink {
 public:
  virtual void MapValue(const anyvalue::Value& value, std::string_view value_bytes) = 0;
  virtual TextSplitSink* StringValues() = 0;
  virtual void MapValuesComplete() = 0;

 protected:
  ~MapValueSink() = default;
};

struct BytesEncodeOptions {
  // Try kBytesKvShreddedPacked for attribute maps (false skips the costly attempt).
  bool try_shredding = true;
  // Try kBytesTextTemplate: for columns of AnyValues (log bodies).
  bool try_text_templates = false;
  // Try kBytesRecent: for id columns (trace and span ids). Other columns keep
  // their dictionaries of up to kMaxDictEntries entries, which queries use.
  bool try_recent_values = false;
  // How encodings that compress their own streams compress them.
  StreamCompression compression;
  // Attribute maps: where a shredding attempt passes the values it reads.
  MapValueSink* map_values = nullptr;
  // Text columns: where a template attempt passes the text it splits.
  TextSplitSink* text_values = nullptr;
};
ColumnEncoding EncodeBytesColumn(const BytesColumnView& values, std::string* out,
                                 const BytesEncodeOptions& options = {});
// The rows of a bytes column given in dictionary form: row i is entry
// codes[i] of `entries` (distinct entries: equal codes <=> equal values, as
// in RowBatch's dictionary form). Writes the block EncodeBytesColumn would
// write for the expanded rows when that is certainly a kBytesConstant or a
// kBytesDict block, without hashing a single row, and returns true; returns
// false (and writes nothing) when EncodeBytesColumn might choose another
// encoding: the caller then expands the rows and calls it.
// REQUIRES: codes non-empty, every code < entries.size().
bool EncodeCodedBytesColumn(std::span<const uint32_t> codes, const BytesColumnView& entries,
                            const BytesEncodeOptions& options, std::string* out, ColumnEncoding* encoding);
// Encodes `values` (REQUIRES: non-empty) shredded whatever its size, if
// every row qualifies (see above), and sets *encoding to the layout used
// (kBytesKvShreddedPacked, or kBytesKvShredded for small blocks); otherwise
// clears *out and returns false. EncodeBytesColumn uses it when it wins.
bool EncodeKvShreddedColumn(const BytesColumnView& values, std::string* out, ColumnEncoding* encoding,
                            int zstd_level = 3);

// Decodes a block of `rows` values and appends them to *out. `time` is the
// granule's time column, required (rows values) when
// FixedEncodingNeedsTime(encoding), else ignored.
Status DecodeFixedColumn(ColumnEncoding encoding, std::string_view block, size_t rows, std::vector<uint64_t>* out,
                         std::span<const uint64_t> time = {});
// Appends `rows` values to *data and their end offsets (continuing from the
// current data->size()) to *ends. Fails if *data would exceed 4 GiB.
// When `codes` is given and the block is a dictionary or constant block, the
// output is the dictionary form instead: the distinct values (entries) are
// appended to *data / *ends and *codes receives each row's entry index
// (equal codes <=> equal values). Otherwise *codes is left empty and the
// rows are appended as usual.
// `dictionary` is the part dictionary the block's own zstd streams refer to
// (part_format.h), if any.
Status DecodeBytesColumn(ColumnEncoding encoding, std::string_view block, size_t rows, std::vector<uint32_t>* ends,
                         std::string* data, std::vector<uint32_t>* codes = nullptr,
                         const ZstdDictionary* dictionary = nullptr);

// The output stage of the bytes decoders: appends `rows` values, value_of(i)
// (a string_view, asked for twice) for row i, to *data and their end offsets
// to *ends, with one resize of each and no allocation per row.
// ResourceExhausted (nothing appended) when *data would pass 4 GiB.
template <typename ValueOf>
Status AppendBytesRows(size_t rows, ValueOf value_of, std::vector<uint32_t>* ends, std::string* data) {
  uint64_t total = 0;
  for (size_t i = 0; i < rows; ++i) total += value_of(i).size();
  if (data->size() + total > part_format::kMaxBlockRawBytes) {
    return Status::ResourceExhausted("bytes column exceeds 4 GiB");
  }
  const size_t first_end = ends->size();
  ends->resize(first_end + rows);
  size_t pos = data->size();
  data->resize(pos + total);
  char* dst = data->data();
  for (size_t i = 0; i < rows; ++i) {
    const std::string_view v = value_of(i);
    if (!v.empty()) std::memcpy(dst + pos, v.data(), v.size());
    pos += v.size();
    (*ends)[first_end + i] = static_cast<uint32_t>(pos);
  }
  return Status::OK();
}

// For lookups of a few keys in attribute maps (queries): as DecodeBytesColumn
// (no dictionary form), except that a shredded block decodes only the
// entries whose key is one of `keys`. Each row is then the kvlist of those
// entries, in their order in the row, duplicates kept, so looking up any of
// `keys` (anyvalue::FindKey: the first entry) gives the same value as in the
// whole row; every other key reads as absent. The other fields' streams are
// skipped, not decoded. Blocks of other encodings decode whole rows.
Status DecodeBytesColumnKeys(ColumnEncoding encoding, std::string_view block, size_t rows,
                             std::span<const std::string_view> keys, std::vector<uint32_t>* ends, std::string* data,
                             const ZstdDictionary* dictionary = nullptr);

// An attribute-map column of one granule taken apart by field (a key with
// one value type, as a shredded block stores it), for predicates on
// attribute values that need not rebuild every row's map: a bare search
// word tests each distinct value of a field once instead of each entry of
// each row.
struct MapField {
  std::string_view key;
  anyvalue::Tag tag = anyvalue::Tag::kEmpty;
  std::vector<uint32_t> rows;  // the row of each value, ascending (repeated when a row repeats the key)
  // Strings and bytes: the values themselves; other tags: each value's
  // payload as a row stores it after the tag (anyvalue::ReadPayload).
  std::vector<std::string_view> values;
  // Empty, or (a field stored with a dictionary) for each row in `rows` the
  // index of its value in `values`, which then holds each distinct value
  // once.
  std::vector<uint32_t> codes;

  // One of `values` as a Value (views into it).
  Status ValueOf(std::string_view value, anyvalue::Value* out) const {
    if (tag != anyvalue::Tag::kString && tag != anyvalue::Tag::kBytes) return anyvalue::ReadPayload(tag, value, out);
    *out = anyvalue::Value();
    out->tag = tag;
    out->str = value;
    return Status::OK();
  }
};
struct MapFields {
  std::vector<MapField> fields;
  std::string block;                // a caller's copy of the block, when the views may point into it
  std::deque<std::string> storage;  // what else the views point into
};
// Takes a shredded block (IsShreddedEncoding) apart into out->fields: the
// fields whose tag `keep` accepts, whose streams alone are decoded. Views
// point into `block`, which must outlive *out, and out->storage.
Status DecodeKvShreddedFields(ColumnEncoding encoding, std::string_view block, size_t rows,
                              const std::function<bool(anyvalue::Tag)>& keep, MapFields* out,
                              const ZstdDictionary* dictionary = nullptr);

// A row selection names some rows of a block, by index, strictly increasing,
// each below the block's row count: the rows a reader wants from a granule
// (a search's hits) when it does not want them all.
bool IsRowSelection(std::span<const uint32_t> selected, size_t rows);
// As DecodeBytesColumn (no dictionary form), except that only the rows
// `selected` names are appended, in order. Shredded maps and text templates
// read the other rows' values without writing them, which spares the copies
// and the memory of rebuilding a whole granule's maps and bodies for a few
// rows; other encodings decode the whole block, then keep the selected rows.
Status DecodeBytesColumnRows(ColumnEncoding encoding, std::string_view block, size_t rows,
                             std::span<const uint32_t> selected, std::vector<uint32_t>* ends, std::string* data,
                             const ZstdDictionary* dictionary = nullptr);
// Appends the values of the rows `selected` names to *data, and their ends
// to *ends: row r is values[r], or with `codes` (dictionary form: a code per
// row) values[codes[r]]. REQUIRES: a row selection of those rows.
void AppendSelectedValues(const BytesColumnView& values, std::span<const uint32_t> codes,
                          std::span<const uint32_t> selected, std::vector<uint32_t>* ends, std::string* data);

// Compresses `raw` with zstd at `level` into *stored when that saves space
// (sets *compression = kZstd); otherwise copies it (kNone).
Status CompressBlock(std::string_view raw, int level, std::string* stored, part_format::BlockCompression* compression);
// The same as `compression` says (a dictionary, a record of what compressed).
Status CompressBlock(std::string_view raw, const StreamCompression& compression, std::string* stored,
                     part_format::BlockCompression* compression_used);
// The size CompressBlock would store `raw` in with `compression`, measured
// without recording anything (no part dictionary marked used, nothing kept
// for making one): for choosing between encodings by their stored size.
// raw.size() when zstd fails (on allocation).
size_t CompressedSize(std::string_view raw, const StreamCompression& compression);
// The size in bits an order-0 entropy coder would give `bytes`: what zstd's
// literal coding approaches on short-range data without matches.
double OrderZeroBits(std::string_view bytes);
// A packed stream is a part of a block that is compressed by itself: raw
// size varint, stored size varint, then the stored bytes, a zstd frame of
// the raw bytes when stored size < raw size, else the raw bytes themselves.
// Appends `raw` as one to *out, compressed as `compression` says when that
// saves space, or stored as it is when `compress` is false.
Status PutPackedStream(std::string_view raw, bool compress, const StreamCompression& compression, std::string* out);
// Reads the packed stream at the front of *in and removes it from *in; *raw
// then points at its bytes: into *in's old range when stored as is, else
// into *scratch. A zstd frame refers to `dictionary` when the block's
// streams do (part_format.h). Returns Corruption (without context) when it
// is malformed.
Status GetPackedStream(std::string_view* in, std::string* scratch, std::string_view* raw,
                       const ZstdDictionary* dictionary = nullptr);

// Makes *raw point at the decoded bytes of a stored block: at `stored` itself
// when uncompressed, else at *scratch. A zstd frame refers to `dictionary`
// when given. Fails unless exactly `raw_size` bytes come out.
Status DecompressBlock(part_format::BlockCompression compression, std::string_view stored, size_t raw_size,
                       std::string* scratch, std::string_view* raw, const ZstdDictionary* dictionary = nullptr);

}  // namespace otelstack
